import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { Logger, SourceConfig } from '../../../src/core/model';
import { sleep, until } from '../../helpers/transports';
import type { Received } from '../../../src/sources/transport';
import { startDevServer } from '../../helpers/devserver';
import { devServerPerSuite } from '../../helpers/devServerSuite';
import { disposing, inlineHttpServer, suiteTransports, untilPhase } from '../../helpers/sourceTesting';
import type { InlineServer } from '../../helpers/sourceTesting';
import { freePort } from '../../helpers/ports';

const logLines: string[] = [];
const log: Logger = {
  trace: (m) => logLines.push(m),
  debug: (m) => logLines.push(m),
  info: (m) => logLines.push(m),
  warn: (m) => logLines.push(m),
  error: (m) => logLines.push(m),
};

function wsConfig(url: string, extra: Partial<SourceConfig> = {}): SourceConfig {
  return { id: 'test', name: 'test', url, kind: 'ws', format: 'auto', pollIntervalMs: 1000, headers: {}, scope: 'user', ...extra };
}


const sources = suiteTransports(log);
const watch = sources.watch;

const parse = (r: Received): { type?: string } => JSON.parse(r.payload) as { type?: string };

/** A loopback HTTP server with a ws server on it; closes everything in `close()`. */
async function inlineServer(setup: (wss: WebSocketServer, server: http.Server) => void): Promise<InlineServer> {
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  const srv = await inlineHttpServer((_req, res) => res.end(), '/', 'ws');
  setup(wss, srv.server);
  return {
    ...srv,
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      return srv.close();
    },
  };
}

function upgradeAll(wss: WebSocketServer, server: http.Server, onConnection: (ws: WebSocket) => void): void {
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      onConnection(ws);
    });
  });
}

describe('WebSocket transport', () => {
  const dev = devServerPerSuite(['--interval-scale', '0.2'], () => sources.disposeAll());

  it('receives bun metrics and goes connecting → open', async () => {
    const w = watch(wsConfig(dev().wsUrl('/api/dev/server-metrics/live'), { subscribe: false }));
    w.transport.start();
    await until('two messages', () => w.received.length >= 2);
    assert.deepEqual(
      w.states.map((s) => s.phase),
      ['connecting', 'open'],
    );
    assert.equal(w.transport.state.phase, 'open');
    const first = w.received[0];
    assert.ok(first);
    assert.equal(parse(first).type, 'metrics');
    assert.equal(first.bytes, Buffer.byteLength(first.payload));
    w.transport.dispose();
  });

  it('snapshot protocol (seed 001): a snapshot on open, then updates, whether or not the client subscribes', async () => {
    const never = watch(wsConfig(dev().wsUrl('/metrics'), { subscribe: false }));
    const eager = watch(wsConfig(dev().wsUrl('/metrics'), { subscribe: true }));
    never.transport.start();
    eager.transport.start();
    await until('a snapshot and an update on each', () => never.received.length >= 2 && eager.received.length >= 2);
    for (const w of [never, eager]) {
      const [first, second] = w.received.map(parse);
      assert.equal(first?.type, 'snapshot');
      assert.equal(second?.type, 'update');
      assert.equal(w.transport.state.phase, 'open');
    }
    never.transport.dispose();
    eager.transport.dispose();
  });

  it('subscribe: true always subscribes; unset does not when the server talks first', async () => {
    const subscribed: boolean[] = [];
    const srv = await inlineServer((wss, server) =>
      upgradeAll(wss, server, (ws) => {
        const index = subscribed.push(false) - 1;
        ws.send('{"type":"hello"}');
        ws.on('message', (data: Buffer) => {
          if (data.toString() === '{"type":"subscribe"}') subscribed[index] = true;
        });
      }),
    );
    const eager = watch(wsConfig(srv.url, { subscribe: true }));
    try {
      eager.transport.start();
      await until('the eager subscribe', () => subscribed[0]);
      eager.transport.dispose();
      const auto = watch(wsConfig(srv.url));
      auto.transport.start();
      await until('hello', () => auto.received.length >= 1);
      await sleep(1_500);
      assert.deepEqual(subscribed, [true, false]);
      auto.transport.dispose();
    } finally {
      await srv.close();
    }
  });

  it('daemon stream carries metrics among other message types', async () => {
    const w = watch(wsConfig(dev().wsUrl('/ws'), { subscribe: false }));
    w.transport.start();
    await until('metrics and another type', () => {
      const types = new Set(w.received.map((r) => parse(r).type));
      return types.has('metrics') && types.size >= 2;
    });
    w.transport.dispose();
  });

  it('reconnects on its own after the server is killed and comes back on the same port', async () => {
    const port = await freePort();
    let server = await startDevServer({ port, args: ['--interval-scale', '0.2', '--no-traffic'] });
    const w = watch(wsConfig(server.wsUrl('/api/dev/server-metrics/live'), { subscribe: false }), { random: () => 0.5 });
    try {
      w.transport.start();
      await until('first message', () => w.received.length >= 1);
      await server.stop();
      const reconnecting = await untilPhase(w, 'reconnecting');
      assert.ok(reconnecting.retryAt >= Date.now() - 1000, 'retryAt is a time in the near future');
      assert.ok(reconnecting.attempt >= 1);
      assert.ok(reconnecting.reason.length > 0);
      server = await startDevServer({ port, args: ['--interval-scale', '0.2', '--no-traffic'] });
      const before = w.received.length;
      await until('open again with data from the new server', () => w.transport.state.phase === 'open' && w.received.length > before, 20_000);
    } finally {
      w.transport.dispose();
      await server.stop();
    }
  });

  it('401 on the handshake → failed with a hint, and exactly one attempt', async () => {
    let attempts = 0;
    const srv = await inlineServer((_wss, server) => {
      server.on('upgrade', (_req, socket) => {
        attempts += 1;
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
    });
    const w = watch(wsConfig(srv.url));
    await disposing(w, srv, async () => {
      w.transport.start();
      const failed = await untilPhase(w, 'failed');
      assert.match(failed.reason, /HTTP 401 Unauthorized from ws:\/\/127\.0\.0\.1:\d+\/: set a token with 'Pulse: Set Source Token'/);
      await sleep(2_000);
      assert.equal(attempts, 1);
      assert.equal(w.transport.state.phase, 'failed');
    });
  });

  it('other handshake statuses (503) are retried', async () => {
    let attempts = 0;
    const srv = await inlineServer((_wss, server) => {
      server.on('upgrade', (_req, socket) => {
        attempts += 1;
        // The client may drop its end first (it gave up on this attempt): a reset here is not the test's subject.
        socket.on('error', () => undefined);
        socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
    });
    const w = watch(wsConfig(srv.url), { random: () => 0.1 });
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('three attempts', () => attempts >= 3);
      assert.ok(w.warnings.some((m) => m.includes('HTTP 503')));
      assert.ok(w.states.some((s) => s.phase === 'reconnecting' && s.reason.includes('HTTP 503')));
      assert.ok(!w.states.some((s) => s.phase === 'failed'));
    });
  });

  it('heartbeat: a peer that stops answering pings is dropped and retried', async () => {
    let connections = 0;
    const srv = await inlineServer((wss, server) => upgradeAll(wss, server, () => (connections += 1)));
    const w = watch(wsConfig(srv.url, { subscribe: false }), { heartbeatIntervalMs: 100 });
    await disposing(w, srv, async () => {
      w.transport.start();
      const reconnecting = await until('reconnecting', () => (w.transport.state.phase === 'reconnecting' ? w.transport.state : undefined), 5_000);
      assert.match(reconnecting.reason, /no answer/);
      assert.ok(w.warnings.some((m) => m.includes('no answer')));
      await until('a second connection', () => connections >= 2);
    });
  });

  it('heartbeat: a peer that answers pings stays open', async () => {
    const srv = await inlineServer((wss, server) => upgradeAll(wss, server, (ws) => ws.on('ping', (d: Buffer) => ws.pong(d))));
    const w = watch(wsConfig(srv.url, { subscribe: false }), { heartbeatIntervalMs: 100 });
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('open', () => w.transport.state.phase === 'open');
      await sleep(800);
      assert.equal(w.transport.state.phase, 'open');
      assert.deepEqual(w.warnings, []);
    });
  });

  it('a message over maxPayload → warning and reconnect', async () => {
    let connections = 0;
    const srv = await inlineServer((wss, server) =>
      upgradeAll(wss, server, (ws) => {
        connections += 1;
        ws.send(connections === 1 ? JSON.stringify({ big: 'x'.repeat(4096) }) : JSON.stringify({ small: true }));
      }),
    );
    const w = watch(wsConfig(srv.url, { subscribe: false }), { maxPayloadBytes: 1024 });
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('the small message on the second connection', () => w.received.length >= 1);
      assert.ok(w.warnings.some((m) => /message larger than .* limit/.test(m)), w.warnings.join('; '));
      assert.ok(w.states.some((s) => s.phase === 'reconnecting'));
      assert.deepEqual(JSON.parse((w.received[0] as Received).payload), { small: true });
    });
  });

  it('binary frames are decoded as UTF-8; the token goes in the header and never in the log', async () => {
    let authorization: string | undefined;
    const srv = await inlineServer((wss, server) => {
      server.on('upgrade', (req) => (authorization = req.headers.authorization));
      upgradeAll(wss, server, (ws) => ws.send(Buffer.from('{"héllo":"wörld"}', 'utf8'), { binary: true }));
    });
    const token = 'sekrit-token-123';
    const w = watch(wsConfig(srv.url, { subscribe: false, headers: { 'X-Api-Key': 'header-value-456' } }), { token });
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('a message', () => w.received.length >= 1);
      assert.equal((w.received[0] as Received).payload, '{"héllo":"wörld"}');
      assert.equal(authorization, `Bearer ${token}`);
      const all = logLines.join('\n');
      assert.ok(!all.includes(token), 'token leaked into the log');
      assert.ok(!all.includes('header-value-456'), 'header value leaked into the log');
      assert.ok(all.includes('X-Api-Key'), 'header names are logged');
    });
  });

  it('stop() closes with 1000, goes to closed and never reconnects', async () => {
    let connections = 0;
    const codes: number[] = [];
    const srv = await inlineServer((wss, server) =>
      upgradeAll(wss, server, (ws) => {
        connections += 1;
        ws.on('close', (code: number) => codes.push(code));
      }),
    );
    const w = watch(wsConfig(srv.url, { subscribe: false }));
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('open', () => w.transport.state.phase === 'open');
      w.transport.stop();
      assert.equal(w.transport.state.phase, 'closed');
      await until('server saw the close', () => codes.length === 1);
      assert.deepEqual(codes, [1000]);
      await sleep(1_000);
      assert.equal(connections, 1);
      assert.equal(w.transport.state.phase, 'closed');
      assert.equal(w.transport.send('x'), false);
    });
  });

  it('reconnect() drops the connection and connects again at once', async () => {
    let connections = 0;
    const srv = await inlineServer((wss, server) => upgradeAll(wss, server, () => (connections += 1)));
    const w = watch(wsConfig(srv.url, { subscribe: false }));
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('open', () => w.transport.state.phase === 'open');
      w.transport.reconnect();
      await until('second connection', () => connections === 2 && w.transport.state.phase === 'open');
    });
  });

  it('a listener that stops the source while it is reconnecting leaves no retry behind', async () => {
    const port = await freePort();
    const w = watch(wsConfig(`ws://127.0.0.1:${port}/`), { random: () => 0 });
    w.transport.onDidChangeState((s) => {
      if (s.phase === 'reconnecting') w.transport.stop();
    });
    w.transport.start();
    await until('closed', () => w.transport.state.phase === 'closed');
    await sleep(300);
    assert.deepEqual(
      w.states.map((s) => s.phase),
      ['connecting', 'reconnecting', 'closed'],
    );
    w.transport.dispose();
  });

  it('an invalid URL fails at once with a clear reason', () => {
    const w = watch(wsConfig('ws://exa mple:99999/'));
    w.transport.start();
    const state = w.transport.state;
    assert.equal(state.phase, 'failed');
    assert.match(state.phase === 'failed' ? state.reason : '', /Invalid WebSocket URL/);
    const http = watch(wsConfig('http://127.0.0.1:1/'));
    http.transport.start();
    assert.equal(http.transport.state.phase, 'failed');
    w.transport.dispose();
    http.transport.dispose();
  });
});
