// Issue 20 row 5: a WebSocket server that drips its `101` response one byte per 400 ms. ws's handshake
// timeout is an idle timer each byte restarts; the source's deadline is absolute, so it gives up in
// time, drops the socket and retries (a raw `net` server on loopback).

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SourceConfig } from '../../../src/core/model';
import { until, watchTransport } from '../../helpers/transports';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const DRIP_MS = 400;

interface DripServer {
  readonly url: string;
  connections: number;
  closed: number;
  close(): Promise<void>;
}

async function startDripServer(): Promise<DripServer> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0, closed: 0 };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    let request = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      state.closed++;
      sockets.delete(socket);
      clearInterval(timer);
    });
    socket.on('data', (chunk) => {
      if (timer) return;
      request += chunk.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      const key = /sec-websocket-key:\s*(\S+)/i.exec(request)?.[1] ?? '';
      const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
      const response = Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`, 'latin1');
      let sent = 0;
      timer = setInterval(() => {
        if (sent >= response.length) return clearInterval(timer);
        socket.write(response.subarray(sent, sent + 1));
        sent++;
      }, DRIP_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/live`,
    get connections() {
      return state.connections;
    },
    get closed() {
      return state.closed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('a WebSocket handshake dripped one byte at a time', () => {
  const cleanup: Array<() => unknown> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  test('the source gives up at the handshake deadline, drops the socket and retries', async () => {
    const server = await startDripServer();
    cleanup.push(() => server.close());
    const config: SourceConfig = { id: 'drip', name: 'drip', url: server.url, kind: 'ws', format: 'auto', pollIntervalMs: 1000, headers: {}, scope: 'user' };
    const w = watchTransport(config, { handshakeTimeoutMs: 1_500 });
    cleanup.push(() => w.transport.dispose());
    const started = Date.now();
    w.transport.start();
    // Without the deadline the drip (a byte per 400 ms, under ws's 1.5 s idle timer) keeps it "connecting" for ~50 s.
    await until('reconnecting after the deadline', () => w.states.some((s) => s.phase === 'reconnecting'), 8_000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1_400, `not before the deadline (${elapsed} ms)`);
    assert.ok(w.warnings.some((m) => /handshake/.test(m)), `a warning says why: ${JSON.stringify(w.warnings)}`);
    assert.ok(!w.states.some((s) => s.phase === 'open'), 'never open');
    await until('the dripping socket closed by the client', () => server.closed >= 1, 5_000);
    await until('a retry', () => server.connections >= 2, 10_000);
  });
});
