import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { MAX_EVENT_ID_BYTES, SseParser, lastEventIdHeader } from '../../../src/sources/sseSource';
import type { SseEvent } from '../../../src/sources/sseSource';
import { silentLog, until } from '../../helpers/transports';
import type { Watched } from '../../helpers/transports';
import type { TransportDeps } from '../../../src/sources/transport';
import { devServerPerSuite } from '../../helpers/devServerSuite';
import { disposing, inlineHttpServer, inMode, suiteTransports, untilPhase } from '../../helpers/sourceTesting';
import type { InlineServer } from '../../helpers/sourceTesting';

const sources = suiteTransports(silentLog);
function watch(url: string, deps: Partial<TransportDeps> = {}): Watched {
  return sources.watch({ id: 'sse', name: 'sse', url, kind: 'sse', format: 'auto', pollIntervalMs: 1000, headers: {}, scope: 'user' }, deps);
}

function parseAll(chunks: readonly string[], maxBytes = 1024): { events: SseEvent[]; retries: number[]; oversized: number } {
  const out = { events: [] as SseEvent[], retries: [] as number[], oversized: 0 };
  const parser = new SseParser(maxBytes, {
    event: (e) => out.events.push(e),
    retry: (ms) => out.retries.push(ms),
    oversized: () => (out.oversized += 1),
  });
  for (const c of chunks) parser.feed(c);
  return out;
}

const inlineServer = (handler: http.RequestListener): Promise<InlineServer> => inlineHttpServer(handler, '/events');

describe('SSE parser', () => {
  it('joins multi-line data with \\n, ignores comments, ends events at blank lines', () => {
    const { events } = parseAll([': hello\n', 'data: {"a":\ndata: 1}\n\n', 'event: tick\nid: 7\ndata:x\n\n']);
    assert.deepEqual(events, [
      { type: 'message', data: '{"a":\n1}' },
      { type: 'tick', data: 'x', id: '7' },
    ]);
  });

  it('handles CRLF and CR line endings, even split across chunks, and a leading BOM', () => {
    const { events } = parseAll(['\uFEFFdata: one\r', '\n\r', '\ndata: two\r\r']);
    assert.deepEqual(
      events.map((e) => e.data),
      ['one', 'two'],
    );
  });

  it('reads retry: and skips events without data', () => {
    const { events, retries } = parseAll(['retry: 1500\n\nretry: soon\n\nevent: empty\n\n']);
    assert.deepEqual(retries, [1500]);
    assert.deepEqual(events, []);
  });

  it('drops an event over the limit and keeps parsing after it', () => {
    const big = 'x'.repeat(600);
    const { events, oversized } = parseAll([`data: ${big}\ndata: ${big}\n\ndata: ok\n\n`], 1000);
    assert.equal(oversized, 1);
    assert.deepEqual(
      events.map((e) => e.data),
      ['ok'],
    );
  });

  it('bounds an endless line arriving in pieces', () => {
    const chunks = ['data: '];
    for (let i = 0; i < 50; i++) chunks.push('y'.repeat(100));
    chunks.push('\n\ndata: after\n\n');
    const { events, oversized } = parseAll(chunks, 1000);
    assert.equal(oversized, 1);
    assert.deepEqual(
      events.map((e) => e.data),
      ['after'],
    );
  });

  it('turns an event id into a header value: UTF-8 bytes, or nothing for control characters and huge ids', () => {
    assert.equal(lastEventIdHeader('42'), '42');
    assert.equal(lastEventIdHeader('tab\there'), 'tab\there');
    assert.equal(Buffer.from(lastEventIdHeader('€☃') ?? '', 'latin1').toString('utf8'), '€☃');
    assert.doesNotMatch(lastEventIdHeader('€☃') ?? '', /[^\t\x20-\x7e\x80-\xff]/, 'only octets a header may carry');
    assert.equal(lastEventIdHeader('a\u0001b'), undefined);
    assert.equal(lastEventIdHeader('a\u007fb'), undefined);
    assert.equal(lastEventIdHeader('x'.repeat(MAX_EVENT_ID_BYTES + 1)), undefined);
    assert.equal(lastEventIdHeader(''), undefined);
  });
});

describe('SSE transport', () => {
  const dev = devServerPerSuite(['--interval-scale', '0.2', '--no-traffic'], () => sources.disposeAll());

  it('streams seed-001 snapshots from /sse (single- and multi-line) and goes open', async () => {
    const w = watch(dev().url('/sse'));
    w.transport.start();
    await until('six events', () => w.received.length >= 6);
    assert.deepEqual(
      w.states.map((s) => s.phase),
      ['connecting', 'open'],
    );
    await inMode(dev(), 'multiline', async () => {
      await until('an event over several data: lines', () => w.received.some((r) => r.payload.includes('\n')));
    });
    for (const r of w.received) assert.ok(Array.isArray((JSON.parse(r.payload) as { endpoints: unknown }).endpoints), 'a bare MetricsSnapshot');
    w.transport.dispose();
  });

  it('401 → failed, no retry', async () => {
    await inMode(dev(), 'unauthorized', async () => {
      const w = watch(dev().url('/sse'));
      w.transport.start();
      const failed = await untilPhase(w, 'failed');
      assert.match(failed.reason, /HTTP 401/);
      w.transport.dispose();
    });
  });

  it('an HTML page instead of a stream → clear warning and retry', async () => {
    await inMode(dev(), 'html', async () => {
      const w = watch(dev().url('/sse'));
      w.transport.start();
      const state = await untilPhase(w, 'reconnecting');
      assert.match(state.reason, /HTML page, not an event stream/);
      assert.ok(w.warnings.some((m) => m.includes('HTML')));
      w.transport.dispose();
    });
  });

  it('a stream that stalls mid-event is dropped and retried', async () => {
    await inMode(dev(), 'stall', async () => {
      const w = watch(dev().url('/sse'), { heartbeatIntervalMs: 150 });
      w.transport.start();
      const state = await untilPhase(w, 'reconnecting');
      assert.match(state.reason, /no data/);
      assert.equal(w.received.length, 0);
      w.transport.dispose();
    });
  });

  it('an oversized event is dropped with a warning and the stream goes on', async () => {
    const w = watch(dev().url('/sse'), { maxPayloadBytes: 64 * 1024 });
    w.transport.start();
    await until('open', () => w.transport.state.phase === 'open');
    await dev().control('huge', { bytes: 200 * 1024 });
    try {
      await until('a warning', () => w.warnings.length > 0);
      assert.match(w.warnings[0] ?? '', /event larger than .* limit dropped/);
      const count = w.received.length;
      await until('more events after it', () => w.received.length > count + 1);
      assert.equal(w.transport.state.phase, 'open');
      assert.ok(w.received.every((r) => r.bytes <= 64 * 1024));
    } finally {
      w.transport.dispose();
      await dev().control('normal');
    }
  });

  it('comes back after the server ends the stream (restart)', async () => {
    const w = watch(dev().url('/sse'));
    w.transport.start();
    await until('data', () => w.received.length >= 1);
    await dev().restart();
    await until('reconnecting', () => w.states.some((s) => s.phase === 'reconnecting'));
    const count = w.received.length;
    await until('open again with data', () => w.transport.state.phase === 'open' && w.received.length > count);
    w.transport.dispose();
  });

  it("respects the server's retry: (within bounds)", async () => {
    const srv = await inlineServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end('retry: 3000\ndata: {"a":1}\n\n');
    });
    const w = watch(srv.url, { random: () => 0 });
    await disposing(w, srv, async () => {
      w.transport.start();
      const state = await untilPhase(w, 'reconnecting');
      assert.ok(state.retryAt - Date.now() > 2_000, `retry in ${state.retryAt - Date.now()} ms`);
    });
  });

  it('stop() → closed, and no more requests', async () => {
    let requests = 0;
    const srv = await inlineServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: 1\n\n');
    });
    const w = watch(srv.url);
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('data', () => w.received.length >= 1);
      w.transport.stop();
      assert.equal(w.transport.state.phase, 'closed');
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(requests, 1);
      assert.equal(w.transport.state.phase, 'closed');
    });
  });
});
