// Issue 20 row 4: an SSE `id:` with a character above U+00FF or a control character, then the stream
// ends. On a real loopback server: the source reconnects (never "failed"), sends the id as its UTF-8
// bytes when a header can carry it, and drops it when it cannot.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceConfig } from '../../../src/core/model';
import type { Transport } from '../../../src/sources/transport';
import { startLoopbackHttp } from '../../helpers/loopbackHttp';
import { until, watchTransport } from '../../helpers/transports';

interface Server {
  readonly url: string;
  /** The Last-Event-ID header of each request, in order (null: none). */
  readonly lastEventIds: (string | null)[];
  close(): Promise<void>;
}

/** The first response sends one event with `id` and ends; later ones send an event and stay open. */
async function startServer(id: string): Promise<Server> {
  const lastEventIds: (string | null)[] = [];
  const server = await startLoopbackHttp((req, res) => {
    const header = req.headers['last-event-id'];
    lastEventIds.push(typeof header === 'string' ? header : null);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (lastEventIds.length === 1) res.end(`id: ${id}\ndata: {"n":1}\n\n`);
    else res.write(`data: {"n":${lastEventIds.length}}\n\n`);
  });
  return { url: `${server.origin}/events`, lastEventIds, close: () => server.close() };
}

function config(url: string): SourceConfig {
  return { id: 'sse', name: 'sse', url, kind: 'sse', format: 'auto', pollIntervalMs: 1000, headers: {}, scope: 'user' };
}

describe('SSE event ids a header cannot carry as they are', () => {
  const cleanup: Array<() => unknown> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function run(id: string): Promise<{ server: Server; phases: string[] }> {
    const server = await startServer(id);
    cleanup.push(() => server.close());
    const w = watchTransport(config(server.url));
    const transport: Transport = w.transport;
    cleanup.push(() => transport.dispose());
    transport.start();
    await until('the second connection open with an event', () => server.lastEventIds.length >= 2 && w.received.length >= 2 && transport.state.phase === 'open');
    const phases = w.states.map((s) => s.phase);
    assert.ok(!phases.includes('failed'), `never failed: ${phases.join(' → ')}`);
    assert.ok(phases.includes('reconnecting'), 'reconnected after the stream ended');
    return { server, phases };
  }

  test('an id above U+00FF is sent back as its UTF-8 bytes', async () => {
    const id = 'caf€-☃-😀';
    const { server } = await run(id);
    const sent = server.lastEventIds[1];
    assert.ok(sent !== null && sent !== undefined, 'Last-Event-ID sent');
    assert.equal(Buffer.from(sent, 'latin1').toString('utf8'), id);
  });

  test('an id with a control character is not sent; the stream resumes without it', async () => {
    const { server } = await run('a\u0001b\u007f');
    assert.equal(server.lastEventIds[1], null);
  });

  test('a plain id is sent back unchanged', async () => {
    const { server } = await run('42-abc');
    assert.equal(server.lastEventIds[1], '42-abc');
  });
});
