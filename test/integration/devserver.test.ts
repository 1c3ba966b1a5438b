import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { RawData } from 'ws';
import type { BunMessage, DaemonMetricsMessage, SnapshotMessage } from '../../scripts/devserver/formats';
import { startDevServer } from '../helpers/devserver';
import type { DevServer } from '../helpers/devserver';

interface Frame {
  readonly text: string;
  readonly binary: boolean;
}

interface Client {
  readonly ws: WebSocket;
  readonly frames: Frame[];
  readonly closes: number[];
  json<T>(): T[];
  close(): void;
}

const clients: Client[] = [];

function connect(url: string, options: { subscribe?: boolean; headers?: Record<string, string> } = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers: options.headers ?? {} });
  const client: Client = {
    ws,
    frames: [],
    closes: [],
    json: <T>() =>
      client.frames.flatMap((f) => {
        try {
          return [JSON.parse(f.text) as T];
        } catch {
          return [];
        }
      }),
    close: () => ws.terminate(),
  };
  clients.push(client);
  ws.on('message', (data: RawData, binary: boolean) => client.frames.push({ text: (data as Buffer).toString('utf8'), binary }));
  ws.on('close', (code: number) => client.closes.push(code));
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      if (options.subscribe) ws.send('{"type":"subscribe"}');
      resolve(client);
    });
    ws.once('error', reject);
  });
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function getText(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Cumulative histogram buckets of http_request_duration_seconds for one route. */
function histogram(text: string, route: string): { buckets: Map<string, number>; count: number } {
  const buckets = new Map<string, number>();
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.includes(`route="${route}"`) || !line.includes('method="GET"')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (line.startsWith('http_request_duration_seconds_bucket') && le) buckets.set(le, value);
    if (line.startsWith('http_request_duration_seconds_count')) count = value;
  }
  return { buckets, count };
}

describe('dev server', () => {
  let dev: DevServer;
  before(async () => {
    dev = await startDevServer({ args: ['--interval-scale', '0.2', '--rps', '40'] });
  });
  after(async () => {
    for (const c of clients) c.close();
    await dev.stop();
  });

  it('/__control/state holds exactly what clients received, per format', async () => {
    const bun = await connect(dev.wsUrl('/api/dev/server-metrics/live'));
    const snap = await connect(dev.wsUrl('/ws/metrics'), { subscribe: true });
    const daemon = await connect(dev.wsUrl('/daemon'));
    await until('messages on every stream', () => bun.frames.length > 1 && snap.frames.length > 1 && daemon.json<{ type: string }>().some((m) => m.type === 'metrics'));
    const state = await dev.state();
    assert.ok(state.bun && state.snapshot && state.daemon);
    const { bun: lastBun, snapshot: lastSnap, daemon: lastDaemon } = state;
    const sameTime = <T extends { timestamp: unknown }>(list: T[], ts: unknown): T | undefined => list.find((m) => m.timestamp === ts);
    assert.deepEqual(await until('the bun message', () => sameTime(bun.json<BunMessage>(), lastBun.timestamp)), lastBun);
    assert.deepEqual(await until('the snapshot message', () => sameTime(snap.json<SnapshotMessage>(), lastSnap.timestamp)), lastSnap);
    assert.deepEqual(await until('the daemon message', () => sameTime(daemon.json<DaemonMetricsMessage>(), lastDaemon.timestamp)), lastDaemon);

    const stats = await getText(dev.url('/stats'));
    assert.deepEqual(JSON.parse(stats.text), (await dev.state()).stats);
    const prom = await getText(dev.url('/metrics'));
    assert.equal(prom.text, (await dev.state()).prometheus);
    for (const c of [bun, snap, daemon]) c.close();
  });

  it('snapshot protocol: nothing before subscribe, then snapshot and updates', async () => {
    const c = await connect(dev.wsUrl('/ws/metrics'));
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(c.frames.length, 0);
    c.ws.send('{"type":"subscribe"}');
    await until('snapshot and update', () => c.frames.length >= 2);
    const [first, second] = c.json<SnapshotMessage>();
    assert.equal(first?.type, 'snapshot');
    assert.equal(typeof first?.timestamp, 'string');
    assert.equal(second?.type, 'update');
    assert.ok(first.data.endpoints.some((e) => e.path === '/api/users' && e.requests > 0), 'real traffic shows up');
    c.close();
  });

  it('latency mode raises p95 in the snapshot, daemon and Prometheus formats', async () => {
    const daemon = await connect(dev.wsUrl('/daemon'));
    const before = await until('a daemon metrics message', () => daemon.json<DaemonMetricsMessage>().find((m) => m.type === 'metrics'));
    const baseline = before.data.raw.avg_response_time ?? 0;
    assert.ok(baseline < 200, `baseline average ${baseline} ms`);
    await dev.control('latency', { ms: 400, path: '/api/users' });
    try {
      const promBefore = histogram((await getText(dev.url('/metrics'))).text, '/api/users');
      const snap = await connect(dev.wsUrl('/ws/metrics'), { subscribe: true });
      const update = await until('an update with high p95 and an alert', () =>
        snap.json<SnapshotMessage>().find((m) => m.type === 'update' && m.data.endpoints.some((e) => e.path === '/api/users' && e.p95 >= 400)),
      );
      assert.equal(update.type, 'update');
      assert.ok(update.type === 'update' && update.alerts?.some((a) => a.id === 'lat-GET-/api/users' && a.value >= 400));
      await until('the daemon average to rise', () => daemon.json<DaemonMetricsMessage>().some((m) => m.type === 'metrics' && (m.data.raw.avg_response_time ?? 0) > baseline + 50));
      const promAfter = histogram((await getText(dev.url('/metrics'))).text, '/api/users');
      const observed = promAfter.count - promBefore.count;
      const fast = (promAfter.buckets.get('0.3') ?? 0) - (promBefore.buckets.get('0.3') ?? 0);
      assert.ok(observed > 0, 'new observations');
      assert.ok(fast / observed < 0.05, `p95 of the new observations is above 300 ms (${fast}/${observed} fast)`);
      snap.close();
    } finally {
      daemon.close();
      await dev.control('normal');
    }
  });

  it('errors mode raises error rates and counts', async () => {
    await dev.control('errors', { rate: 0.6 });
    try {
      const snap = await connect(dev.wsUrl('/ws/metrics'), { subscribe: true });
      await until('a high error rate', () => snap.json<SnapshotMessage>().some((m) => m.data.endpoints.some((e) => e.errorRate > 0.2)));
      const prom = (await getText(dev.url('/metrics'))).text;
      assert.match(prom, /http_requests_total\{method="GET",route="\/api\/orders",status="500"\} [1-9]/);
      snap.close();
    } finally {
      await dev.control('normal');
    }
  });

  it('heap and connections overrides show in every JSON format', async () => {
    await dev.control('heap', { bytes: 123_456_789 });
    await dev.control('connections', { count: 42 });
    try {
      const bun = JSON.parse((await getText(dev.url('/api/dev/server-metrics'))).text) as BunMessage;
      assert.equal(bun.memory.heapUsed, 123_456_789);
      assert.equal(bun.websockets.pendingConnections, 42);
      const stats = JSON.parse((await getText(dev.url('/stats'))).text) as { active_connections: number };
      assert.equal(stats.active_connections, 42);
      const system = JSON.parse((await getText(dev.url('/metrics/system'))).text) as { memory: { heap_alloc: number } };
      assert.equal(system.memory.heap_alloc, 123_456_789);
      assert.match((await getText(dev.url('/metrics'))).text, /^ws_connections 42$/m);
    } finally {
      await dev.control('normal');
    }
  });

  it('/metrics/enhanced lists the open WebSocket clients', async () => {
    const c = await connect(dev.wsUrl('/api/dev/server-metrics/live'));
    await until('a message', () => c.frames.length > 0);
    const local = (c.ws as unknown as { _socket: { localPort: number } })._socket.localPort;
    const enhanced = JSON.parse((await getText(dev.url('/metrics/enhanced'))).text) as {
      connection_list: { id: string; remote_addr: string; messages_sent: number; connected_at: string }[];
    };
    const row = enhanced.connection_list.find((r) => r.remote_addr.endsWith(`:${local}`));
    assert.ok(row, JSON.stringify(enhanced.connection_list));
    assert.ok(row.messages_sent > 0);
    assert.ok(!Number.isNaN(Date.parse(row.connected_at)));
    c.close();
  });

  it('Prometheus text from prom-client, and OpenMetrics when asked', async () => {
    const text = await getText(dev.url('/metrics'));
    assert.match(text.type, /^text\/plain; version=0\.0\.4/);
    assert.match(text.text, /^# TYPE http_requests_total counter$/m);
    assert.match(text.text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(text.text, /^# TYPE ws_connections gauge$/m);
    assert.match(text.text, /^process_cpu_seconds_total /m);
    const om = await getText(dev.url('/metrics'), { Accept: 'application/openmetrics-text; version=1.0.0' });
    assert.match(om.type, /^application\/openmetrics-text/);
    assert.ok(om.text.endsWith('# EOF\n'));
  });

  it('restart resets uptime and counters and closes sockets with 1012', async () => {
    const c = await connect(dev.wsUrl('/api/dev/server-metrics/live'));
    await until('a message', () => c.frames.length > 0);
    const before = JSON.parse((await getText(dev.url('/api/dev/server-metrics'))).text) as BunMessage;
    await dev.restart();
    await until('close 1012', () => c.closes.includes(1012));
    const afterRestart = JSON.parse((await getText(dev.url('/api/dev/server-metrics'))).text) as BunMessage;
    assert.ok(afterRestart.uptime < before.uptime, `${afterRestart.uptime} < ${before.uptime}`);
    assert.ok(afterRestart.http.totalRequests < before.http.totalRequests);
  });

  it('evil, nested and cardinality modes produce hostile but valid output', async () => {
    await dev.control('evil');
    await dev.control('nested', { depth: 3_000 });
    await dev.control('cardinality', { count: 500 });
    try {
      const raw = (await getText(dev.url('/api/dev/server-metrics'))).text;
      assert.ok(raw.includes('"__proto__":'), 'an own __proto__ key on the wire');
      assert.ok(raw.includes('\\ud800'), 'a lone surrogate, escaped in JSON');
      const bun = JSON.parse(raw) as BunMessage & { nested: unknown };
      const subs = bun.websockets.subscribers;
      assert.ok(Object.hasOwn(subs, '__proto__') && Object.hasOwn(subs, 'constructor'));
      assert.ok(Object.hasOwn(subs, '<img src=x onerror=alert(1)>'));
      assert.ok(Object.keys(subs).some((k) => k.length >= 100 * 1024));
      assert.ok(Object.hasOwn(subs, 'topic-499'));
      let depth = 0;
      for (let node: unknown = bun.nested; typeof node === 'object' && node !== null && 'a' in node; node = (node as { a: unknown }).a) depth += 1;
      assert.equal(depth, 3_000);
      const prom = (await getText(dev.url('/metrics'))).text;
      assert.equal(prom.match(/^pulse_demo_items\{/gm)?.length, 500);
      assert.match(prom, /pulse_demo_evil\{label="<img src=x onerror=alert\(1\)>"\}/);
      const snap = await connect(dev.wsUrl('/ws/metrics'), { subscribe: true });
      await until('an evil error message', () => snap.json<{ type: string; message?: string }>().some((m) => m.type === 'error' && (m.message ?? '').includes('<')));
      snap.close();
    } finally {
      await dev.control('normal');
    }
  });

  it('garbage mode sends malformed JSON, binary noise and truncated messages', async () => {
    await dev.control('garbage');
    try {
      const c = await connect(dev.wsUrl('/api/dev/server-metrics/live'));
      await until('eight frames', () => c.frames.length >= 8);
      assert.ok(c.frames.some((f) => f.binary));
      const unparsable = c.frames.filter((f) => {
        try {
          JSON.parse(f.text);
          return false;
        } catch {
          return true;
        }
      });
      assert.ok(unparsable.length >= 3, `${unparsable.length} bad frames`);
      assert.ok(c.json<BunMessage>().some((m) => m.type === 'metrics'), 'good messages still come between');
      c.close();
    } finally {
      await dev.control('normal');
    }
  });

  it('serverError, flap, unauthorized, reset and http500 modes', async () => {
    await dev.control('serverError', { message: 'metrics backend unavailable' });
    const snap = await connect(dev.wsUrl('/ws/metrics'), { subscribe: true });
    await until('an error message', () => snap.json<{ type: string; message?: string }>().some((m) => m.type === 'error' && m.message === 'metrics backend unavailable'));
    snap.close();

    await dev.control('normal');
    await dev.control('flap');
    const flapping = await connect(dev.wsUrl('/daemon'));
    await until('the server to close it', () => flapping.closes.length > 0);

    await dev.control('normal');
    await dev.control('unauthorized', { token: 't0k' });
    assert.equal((await getText(dev.url('/stats'))).status, 401);
    assert.equal((await getText(dev.url('/stats'), { Authorization: 'Bearer t0k' })).status, 200);
    await assert.rejects(connect(dev.wsUrl('/daemon')), /401/);
    await connect(dev.wsUrl('/daemon'), { headers: { Authorization: 'Bearer t0k' } });

    await dev.control('normal');
    await dev.control('http500');
    assert.equal((await getText(dev.url('/metrics'))).status, 500);
    await assert.rejects(connect(dev.wsUrl('/daemon')), /500/);

    await dev.control('normal');
    await dev.control('reset');
    await assert.rejects(getText(dev.url('/stats')));
    await dev.control('normal');
    assert.equal((await getText(dev.url('/stats'))).status, 200);
  });

  it('the demo API answers and traffic can be tuned', async () => {
    const users = await getText(dev.url('/api/users?page=2'));
    assert.equal(users.status, 200);
    const res = await fetch(dev.url('/api/orders'), { method: 'POST', body: '{"item":"x"}' });
    assert.ok(res.status === 201 || res.status === 500);
    await fetch(dev.url('/__control/traffic'), { method: 'POST', body: '{"rps":5}' });
    assert.equal((await dev.state()).traffic.rps, 5);
    const bad = await fetch(dev.url('/__control/mode'), { method: 'POST', body: '{"mode":"nope"}' });
    assert.equal(bad.status, 400);
  });

  it('SIGTERM closes every socket and exits 0', async () => {
    const c = await connect(dev.wsUrl('/api/dev/server-metrics/live'));
    await dev.stop();
    assert.equal(dev.exitCode, 0);
    await until('the socket to close', () => c.closes.length > 0);
  });
});
