// Bad payloads through the whole host pipeline: malformed, truncated and binary messages, a 50 MiB
// message, 10,000-level JSON, and numbers/timestamps at the edges. The dev server's misbehaviour
// modes where it has them; a small in-process WebSocket server for exact numeric messages.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesInfo } from '../../../src/core/series/store';
import { startLoopbackWs } from '../../helpers/loopbackWs';
import type { LoopbackWs } from '../../helpers/loopbackWs';
import type { Rig } from './support';
import { MiB, faultSuite, heartbeat, makeRig, reasonOf, sleep, sourceConfig, until } from './support';

function seriesNamed(rig: Rig, sourceId: string, name: string): SeriesInfo | undefined {
  return rig.pipeline.store.bySource(sourceId).find((s) => s.name === name && s.labels.length === 0);
}

/** A loopback WebSocket server that sends `messages` (raw text) to each client, `gapMs` apart. */
async function scriptedServer(messages: readonly string[], gapMs: number): Promise<LoopbackWs & { sent: () => number }> {
  let sent = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = await startLoopbackWs('/', (ws) => {
    let i = 0;
    const timer = setInterval(() => {
      const m = messages[i++];
      if (m === undefined) {
        clearInterval(timer);
        timers.delete(timer);
        return;
      }
      ws.send(m);
      sent++;
    }, gapMs);
    timers.add(timer);
  }, () => {
    for (const t of timers) clearInterval(t);
  });
  return { ...server, sent: () => sent };
}

describe('bad payloads through SourceManager and Pipeline', () => {
  const { server, defer, withRig } = faultSuite();
  const bunLive = (name: string) => sourceConfig(name, server().wsUrl('/api/dev/server-metrics/live'), 'ws');

  test('garbage (malformed JSON, binary noise, truncated frames) is counted and shown; good messages between still land; the stream stays open', () =>
    withRig(async (rig) => {
      const ws = bunLive('garbage-ws');
      const sse = sourceConfig('garbage-sse', server().url('/sse'), 'sse');
      await rig.apply([ws, sse]);
      await until('both open with data', () => [ws, sse].every((c) => rig.runtime(c.id).state.phase === 'open' && rig.runtime(c.id).messages >= 2));
      rig.history.set(ws.id, []);
      rig.history.set(sse.id, []);
      const errorsBefore = { ws: rig.runtime(ws.id).decodeErrors, sse: rig.runtime(sse.id).decodeErrors };
      await server().control('garbage');
      const start = Date.now();
      await until('decode errors on both', () => rig.runtime(ws.id).decodeErrors >= errorsBefore.ws + 3 && rig.runtime(sse.id).decodeErrors >= errorsBefore.sse + 2);
      // Good messages keep arriving between the bad ones.
      await until('good messages during garbage', () => [ws, sse].every((c) => rig.pipeline.store.bySource(c.id).some((s) => s.updatedAt > start + 200)));
      await server().control('normal');
      for (const c of [ws, sse]) {
        const seen = rig.history.get(c.id) ?? [];
        const errors = seen.map((h) => h.lastError).filter((e): e is string => e !== null);
        assert.ok(
          errors.some((e) => /^Could not decode a message: (not JSON or Prometheus text|invalid JSON)/.test(e)),
          `${c.id}: the decode error is shown on the source: ${JSON.stringify(errors.slice(0, 5))}`,
        );
        for (const e of errors) assert.ok(e.length <= 300, `${c.id}: lastError stays short (${e.length} chars)`);
        assert.ok(
          seen.every((h) => h.state.phase === 'open'),
          `${c.id}: bad messages never drop the connection: ${JSON.stringify(seen.map((h) => reasonOf(h.state) ?? h.state.phase))}`,
        );
      }
      // Nothing a garbage message carried became a series.
      for (const s of rig.pipeline.store.list()) assert.match(s.name, /^[\x20-\x7e]+$/, `series name is printable: ${JSON.stringify(s.name)}`);
    }));

  test('a 50 MiB WebSocket message is refused by maxPayload without buffering it; the host stays live; the source recovers', () =>
    withRig(async (rig) => {
      const ws = bunLive('huge-ws');
      await rig.apply([ws]);
      await until('open with data', () => rig.runtime(ws.id).state.phase === 'open' && rig.runtime(ws.id).messages >= 2);
      const seriesBefore = rig.pipeline.store.bySource(ws.id).length;
      const memory = (): number => {
        const m = process.memoryUsage();
        return m.heapUsed + m.arrayBuffers;
      };
      const baseline = memory();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, memory())), 10);
      const beat = heartbeat(50, 2_000);
      rig.history.set(ws.id, []);
      await server().control('huge', { bytes: 50 * 1024 * 1024 });
      try {
        await until('the size limit reason', () => (rig.history.get(ws.id) ?? []).filter((h) => /message larger than 4 MiB limit/.test(reasonOf(h.state) ?? h.lastError ?? '')).length >= 2, 15_000);
        await sleep(2_100); // at least one whole heartbeat window while refusing
      } finally {
        clearInterval(sampler);
      }
      const windows = beat.stop();
      assert.ok(peak - baseline < 40 * MiB, `memory rose by ${((peak - baseline) / MiB).toFixed(1)} MiB while 50 MiB messages were refused`);
      assert.ok(windows.length >= 1 && windows.every((n) => n >= 3), `heartbeat kept ticking: ${JSON.stringify(windows)} ticks per 2 s`);
      assert.equal(rig.runtime(ws.id).decodeErrors, 0, 'nothing of the huge message reached the decoder');
      assert.equal(rig.pipeline.store.bySource(ws.id).length, seriesBefore, 'history kept');
      const back = Date.now();
      await server().control('normal');
      await until('open again with fresh data', () => rig.runtime(ws.id).state.phase === 'open' && (rig.runtime(ws.id).lastMessageAt ?? 0) > back, 15_000);
    }));

  test('10,000-level JSON: the decoders stop at depth 64, the rest of the message is used, the stream goes on', () =>
    withRig(async (rig) => {
      const ws = bunLive('nested-ws');
      const poll = sourceConfig('nested-poll', server().url('/stats'), 'http-json');
      const deep = `${'{"a":'.repeat(10_000)}{"value":1}${'}'.repeat(10_000)}`;
      const inline = await scriptedServer([`{"ok":5,"deep":${deep}}`, `[${deep}]`, `{"ok":6,"deep":${deep}}`], 120);
      defer(() => inline.close());
      const json = sourceConfig('nested-json', inline.url, 'ws', { format: 'json' });
      await server().control('nested', { depth: 10_000 });
      const start = Date.now();
      await rig.apply([ws, poll, json]);
      await until('data from the dev server despite the nesting', () =>
        [ws, poll].every((c) => rig.runtime(c.id).state.phase === 'open' && rig.pipeline.store.bySource(c.id).some((s) => s.updatedAt > start)),
      );
      await until('the inline messages', () => inline.sent() === 3 && seriesNamed(rig, json.id, 'ok')?.raw === 6);
      for (const s of rig.pipeline.store.list()) {
        assert.ok(s.name.split('.').length <= 64, `series name depth bounded: ${s.name.slice(0, 80)}…`);
        assert.ok(s.name.length <= 1_000, `series name length bounded (${s.name.length})`);
      }
      assert.equal(rig.runtime(json.id).state.phase, 'open');
      assert.ok(rig.pipeline.store.bySource(ws.id).length >= 3, 'bun series stored next to the nesting');
    }));

  test('numbers as strings, NaN, Infinity, -0, 1e308, negative counters, resets, odd timestamps: finite data only, never a negative rate', async () => {
    const future = Date.UTC(3000, 0, 1);
    const bun = (fields: string): string => `{"type":"metrics",${fields}}`;
    const messages = [
      bun(`"timestamp":"3000-01-01T00:00:00Z","http":{"pendingRequests":"12.5","totalRequests":100},"memory":{"heapUsed":1e308,"rss":-0,"heapTotal":"NaN","external":"Infinity","arrayBuffers":1e309},"uptime":"  42  ","cpu":{"percent":"-0"}`),
      bun(`"timestamp":${future},"http":{"pendingRequests":"abc","totalRequests":-5},"memory":{"heapUsed":"1e3","rss":7}`),
      bun(`"timestamp":"2020-01-01T00:00:00.000Z","http":{"pendingRequests":3,"totalRequests":1000},"memory":{"heapUsed":5,"rss":"0x10"}`),
      bun(`"timestamp":-1,"http":{"pendingRequests":4,"totalRequests":10},"memory":{"heapUsed":6,"rss":8}`),
      '{"type":"metrics","http":{"pendingRequests":NaN}}',
      '{"type":"metrics","http":{"totalRequests":Infinity}}',
      bun(`"timestamp":"not a time","http":{"pendingRequests":5,"totalRequests":40},"memory":{"heapUsed":7,"rss":9}`),
    ];
    const inline = await scriptedServer(messages, 150);
    defer(() => inline.close());
    const rig = makeRig();
    defer(() => rig.dispose());
    const config = sourceConfig('numbers', inline.url, 'ws', { format: 'bun' });
    // Every value each series took, read at each change (the store keeps only the latest).
    const seen = new Map<string, SeriesInfo[]>();
    const listener = rig.pipeline.onDidChange((change) => {
      for (const id of change.series ?? []) {
        const s = rig.pipeline.store.get(id);
        if (s) seen.set(s.name, [...(seen.get(s.name) ?? []), s]);
      }
    });
    const start = Date.now();
    try {
      await rig.apply([config]);
      await until('all messages handled', () => inline.sent() === messages.length && rig.runtime(config.id).messages === messages.length, 10_000);
      const values = (name: string): number[] => (seen.get(name) ?? []).map((s) => s.raw);

      assert.deepEqual(values('http.pendingRequests'), [12.5, 3, 4, 5], 'numeric strings accepted, "abc" and NaN dropped');
      assert.deepEqual(values('memory.heapUsed'), [1e308, 1000, 5, 6, 7], '1e308 kept as a finite number');
      const rss = seen.get('memory.rss') ?? [];
      assert.ok(rss.length > 0 && Object.is(rss[0]?.raw, 0), '-0 stored as 0');
      assert.deepEqual(values('memory.rss'), [0, 7, 8, 9], '"0x10" is not a number');
      assert.equal(seen.get('memory.heapTotal'), undefined, '"NaN" is not a value');
      assert.equal(seen.get('memory.external'), undefined, '"Infinity" is not a value');
      assert.equal(seen.get('memory.arrayBuffers'), undefined, '1e309 (Infinity) is not a value');
      assert.deepEqual(values('uptime'), [42]);
      assert.equal(rig.runtime(config.id).decodeErrors, 2, 'NaN and Infinity literals are invalid JSON, counted');

      const all = rig.pipeline.store.list();
      for (const s of all) {
        assert.ok(Number.isFinite(s.raw), `${s.name}: finite raw`);
        assert.ok(s.updatedAt >= start && s.updatedAt <= Date.now(), `${s.name}: stamped with the receive time, not the server's (${new Date(s.updatedAt).toISOString()})`);
      }
      const requests = seen.get('http.totalRequests') ?? [];
      assert.deepEqual(
        requests.map((s) => s.raw),
        [100, -5, 1000, 10, 40],
        'counter values as sent',
      );
      const rates = requests.map((s) => s.value).filter((v): v is number => v !== null);
      assert.ok(rates.length >= 3, `rates computed: ${JSON.stringify(rates)}`);
      for (const r of rates) assert.ok(Number.isFinite(r) && r >= 0, `a counter's rate is never negative: ${JSON.stringify(requests.map((s) => s.value))}`);
      const id = requests[0]?.id ?? '';
      const points = rig.pipeline.store.points(id, 0, Date.now() + 1, 'rate');
      for (const v of points.v) assert.ok(v === null || (Number.isFinite(v) && v >= 0), `rate points are never negative: ${JSON.stringify(points.v)}`);
      // What the panel would be sent is plain finite JSON.
      const snapshot = rig.feed.snapshot(Date.now());
      assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot, 'the snapshot JSON round-trips (no NaN, Infinity or -0 inside)');
    } finally {
      listener.dispose();
      rig.dispose();
    }
  });
});
