import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Sample } from '../../../src/core/model';
import { MetricStore } from '../../../src/core/store';
import type { StoreOptions } from '../../../src/core/store';
import { encodeCompact, encodeRaw, restore } from '../../../src/core/persist';

const MIN = 60_000;
const HOUR = 60 * MIN;
const OPTS: StoreOptions = { rawWindowMs: 15 * MIN, bucketMs: 10_000, downsampledWindowMs: 24 * HOUR, maxSeriesPerSource: 1000 };
const BIG = 64 * 1024 * 1024;
const T0 = 1_700_000_000_000;

function samples(t: number): Sample[] {
  return [
    { name: 'http.requests', labels: [], value: Math.floor(t / 100) % 50_000, kind: 'counter', unit: 'count', role: 'requests' },
    { name: 'memory.heapUsed', labels: [], value: 1e8 + Math.sin(t / 7e4) * 1e6 + 0.123, kind: 'gauge', unit: 'bytes', role: 'heap' },
    { name: '__proto__', labels: [['constructor', 'x'], ['ünï', 'cødé ✓']], value: t % 97, kind: 'gauge', unit: 'none' },
  ];
}

function filled(minutes: number, stepMs = 1000): { store: MetricStore; now: number } {
  const store = new MetricStore(OPTS);
  let now = T0;
  for (let t = 0; t <= minutes * MIN; t += stepMs) {
    now = T0 + t;
    store.ingest('src', samples(now), now);
  }
  return { store, now };
}

function snapshot(store: MetricStore, from: number, to: number): unknown {
  return store
    .list()
    .map((s) => {
      const { restored: _restored, ...info } = s;
      return { info, raw: store.points(s.id, from, to, 'raw'), rate: store.points(s.id, from, to, 'rate') };
    })
    .sort((a, b) => (a.info.id < b.info.id ? -1 : 1));
}

describe('persist: round trip', () => {
  it('restores both tiers exactly', () => {
    const { store, now } = filled(40);
    const compact = encodeCompact(store, BIG);
    const raw = encodeRaw(store, BIG);
    const copy = new MetricStore(OPTS);
    const r = restore(copy, compact, raw, now);
    assert.deepEqual(r.problems, []);
    assert.equal(r.restoredSeries, 3);
    assert.deepEqual(snapshot(copy, now - 24 * HOUR, now), snapshot(store, now - 24 * HOUR, now));
    assert.equal(copy.sampleCount(), store.sampleCount());
    assert.ok(copy.list().every((s) => s.restored === true));
  });

  it('is compact: base64 typed arrays, not an array of objects', () => {
    const { store } = filled(30);
    const text = encodeCompact(store, BIG);
    const parsed = JSON.parse(text) as { v: number; series: Array<Record<string, unknown>> };
    assert.equal(parsed.v, 1);
    assert.equal(typeof parsed.series[0]?.mn, 'string');
    assert.ok(text.length < 3 * 181 * 60 + 2000, `${text.length} chars for 3 × 181 buckets`);
  });

  it('raw blob starts with magic and version', () => {
    const { store } = filled(1);
    const raw = encodeRaw(store, BIG);
    assert.equal(String.fromCharCode(...raw.subarray(0, 4)), 'PLSR');
    assert.equal(raw[4], 1);
  });

  it('a new sample after restore starts counting again (no rate over the gap)', () => {
    const { store, now } = filled(5);
    const copy = new MetricStore(OPTS);
    restore(copy, encodeCompact(store, BIG), encodeRaw(store, BIG), now);
    copy.ingest('src', samples(now + 60_000), now + 60_000);
    const req = copy.get('src|http.requests');
    assert.equal(req?.value, null);
    assert.equal(req?.restored, undefined);
  });
});

describe('persist: budgets', () => {
  it('compact: respects the budget, dropping the oldest buckets of every series first', () => {
    const { store, now } = filled(24 * 60, 10_000);
    const budget = 64 * 1024;
    const text = encodeCompact(store, budget);
    assert.ok(Buffer.byteLength(text) <= budget);
    const copy = new MetricStore(OPTS);
    restore(copy, text, undefined, now);
    assert.equal(copy.size, 3, 'every series kept');
    const firsts = copy.list().map((s) => copy.points(s.id, 0, now, 'raw').t[0] ?? 0);
    assert.ok(firsts.every((t) => t === firsts[0]), 'one cut-off for all');
    assert.ok((firsts[0] ?? 0) > T0 + HOUR, 'the oldest went');
    const lasts = copy.list().map((s) => copy.points(s.id, 0, now, 'raw').t.at(-1));
    assert.ok(lasts.every((t) => t === Math.floor(now / 10_000) * 10_000), 'the newest stayed');
    // a bigger budget keeps more
    const more = encodeCompact(store, 4 * budget);
    assert.ok(more.length > text.length && Buffer.byteLength(more) <= 4 * budget);
  });

  it('compact: then drops the least recently updated series', () => {
    const store = new MetricStore(OPTS);
    for (let i = 0; i < 30; i++) store.ingest('s', [{ name: `series.${i}`, labels: [], value: i, kind: 'gauge', unit: 'none' }], T0 + i * 10_000);
    const text = encodeCompact(store, 2000);
    assert.ok(Buffer.byteLength(text) <= 2000);
    const names = (JSON.parse(text) as { series: Array<{ n: string }> }).series.map((s) => s.n);
    assert.ok(names.length > 0 && names.length < 30);
    assert.ok(names.includes('series.29'));
    assert.ok(!names.includes('series.0'));
    assert.equal(encodeCompact(store, 10), '');
  });

  it('raw: respects the cap, dropping the oldest samples first', () => {
    const { store, now } = filled(15);
    const cap = 20_000;
    const raw = encodeRaw(store, cap);
    assert.ok(raw.byteLength <= cap);
    const copy = new MetricStore(OPTS);
    const r = restore(copy, undefined, raw, now);
    assert.deepEqual(r.problems, []);
    assert.equal(copy.size, 3);
    for (const s of copy.list()) {
      const t = copy.points(s.id, 0, now, 'raw').t;
      assert.equal(t.at(-1), now);
      assert.ok(t.length > 100 && t.length < 901);
    }
  });

  it('points older than the windows are dropped on restore', () => {
    const { store, now } = filled(20);
    const compact = encodeCompact(store, BIG);
    const raw = encodeRaw(store, BIG);
    const later = new MetricStore(OPTS);
    restore(later, compact, raw, now + 2 * HOUR);
    assert.equal(later.sampleCount(), 0);
    assert.equal(later.size, 3);
    const tooLate = new MetricStore(OPTS);
    assert.equal(restore(tooLate, compact, raw, now + 25 * HOUR).restoredSeries, 0);
    assert.equal(tooLate.size, 0);
  });
});

describe('persist: bad input is reported, not thrown', () => {
  const { store, now } = filled(20);
  const compact = encodeCompact(store, BIG);
  const raw = encodeRaw(store, BIG);

  function check(c: unknown, r: Uint8Array | undefined, pattern: RegExp, expectSeries: number): void {
    const copy = new MetricStore(OPTS);
    const result = restore(copy, c, r, now, { maxCompactChars: 10_000_000, maxRawBytes: 10_000_000 });
    assert.equal(result.problems.length, 1, result.problems.join(' / '));
    assert.match(result.problems[0] ?? '', pattern);
    assert.equal(copy.size, expectSeries);
  }

  it('wrong version', () => {
    check(compact.replace('"v":1', '"v":2'), raw, /version 2, expected 1/, 3);
    const r = raw.slice();
    r[4] = 9;
    check(compact, r, /raw history has version 9/, 3);
  });

  it('corrupt', () => {
    check(compact.slice(0, -5), undefined, /not JSON/, 0);
    check('{"format":"nope"}', undefined, /not in a known format/, 0);
    const r = raw.slice();
    r[0] = 0;
    check(undefined, r, /not in a known format/, 0);
    const parsed = JSON.parse(compact) as { series: Array<Record<string, unknown>> };
    const first = parsed.series[0];
    assert.ok(first);
    first.mn = 'not base64!';
    check(JSON.stringify(parsed), undefined, /is corrupt; skipped/, 2);
    first.mn = parsed.series[1]?.mn;
    first.k = 'x';
    check(JSON.stringify(parsed), undefined, /bad kind; skipped/, 2);
  });

  it('truncated', () => {
    check(undefined, raw.subarray(0, raw.byteLength - 100), /truncated after 2 of 3 series/, 2);
    check(undefined, raw.subarray(0, 14), /truncated after 0 of 3 series/, 0);
  });

  it('oversized', () => {
    const copy = new MetricStore(OPTS);
    const r = restore(copy, compact, raw, now, { maxCompactChars: 100, maxRawBytes: 100 });
    assert.equal(r.problems.length, 2);
    assert.ok(r.problems.every((p) => /oversized/.test(p)));
    assert.equal(copy.size, 0);
  });

  it('other bucket width', () => {
    const copy = new MetricStore({ ...OPTS, bucketMs: 5000 });
    const r = restore(copy, compact, undefined, now);
    assert.match(r.problems[0] ?? '', /uses 10000 ms buckets, expected 5000/);
  });

  it('random bytes and random JSON never throw (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.jsonValue(), (bytes, json) => {
        const copy = new MetricStore(OPTS);
        const r = restore(copy, json, bytes, now);
        assert.ok(Array.isArray(r.problems));
        restore(copy, JSON.stringify(json), undefined, now);
      }),
      { numRuns: 300 },
    );
  });

  it('random damage to valid values never throws and keeps the store sane (property)', () => {
    const small = encodeRaw(filled(1).store, BIG);
    const smallCompact = encodeCompact(filled(1).store, BIG);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 3 }),
        (flips, cut, at, insert) => {
          const bytes = small.slice(0, small.byteLength - (cut % 64));
          for (const [i, b] of flips) bytes[i % bytes.byteLength] = b;
          const i = at % smallCompact.length;
          const text = smallCompact.slice(0, i) + insert + smallCompact.slice(i + insert.length);
          const copy = new MetricStore(OPTS);
          const r = restore(copy, text, bytes, T0 + MIN);
          assert.ok(copy.size <= 6, `${copy.size} series`); // a damaged name is another valid name
          for (const s of copy.list()) assert.ok(Number.isFinite(s.raw));
          assert.ok(r.problems.length <= 21);
        },
      ),
      { numRuns: 300 },
    );
  });
});
