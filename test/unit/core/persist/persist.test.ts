import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Sample } from '../../../../src/core/model';
import { MetricStore } from '../../../../src/core/series/store';
import type { StoreOptions } from '../../../../src/core/series/store';
import { RawLogWriter, compactRaw, encodeRaw } from '../../../../src/core/persist/rawLog';
import { RAW_VERSION, RAW_VERSION_F64, SEGMENT_TARGET_BYTES, fnv1a } from '../../../../src/core/persist/segments';
import { PACK_F64, PACK_INT, PACK_XOR, packColumn, unpackColumn } from '../../../../src/core/persist/packed';
import { encodeCompact } from '../../../../src/core/persist/compact';
import { restore } from '../../../../src/core/persist/restore';

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

  it('raw log: segments with magic, version, length and an FNV-1a checksum', () => {
    const { store } = filled(1);
    const raw = encodeRaw(store, BIG);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    assert.equal(String.fromCharCode(...raw.subarray(0, 4)), 'PLSR');
    assert.equal(view.getUint16(4, true), RAW_VERSION);
    assert.equal(RAW_VERSION, 3);
    assert.equal(view.getUint32(8, true), raw.byteLength - 16, 'one segment');
    assert.equal(view.getUint32(12, true), fnv1a(raw.subarray(16), fnv1a(raw.subarray(4, 12))));
    assert.equal(fnv1a(new TextEncoder().encode('a')), 0xe40c292c, 'FNV-1a 32 test vector');
  });

  it('raw log: a big tier is cut into segments at series boundaries', () => {
    const store = new MetricStore(OPTS);
    // Values that do not pack (no integers, no shared bits) keep the entries near 16 B a sample.
    for (let t = 0; t < 5 * MIN; t += 100) store.ingest('src', Array.from({ length: 40 }, (_, i) => ({ name: `s${i}`, labels: [], value: Math.sin(t / 997 + i) * 1e6, kind: 'gauge' as const, unit: 'none' as const })), T0 + t);
    const raw = encodeRaw(store, BIG);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const sizes: number[] = [];
    for (let p = 0; p < raw.byteLength; p += 16 + view.getUint32(p + 8, true)) sizes.push(16 + view.getUint32(p + 8, true));
    assert.ok(sizes.length >= 4, `${sizes.length} segments`);
    assert.ok(sizes.slice(0, -1).every((s) => s >= SEGMENT_TARGET_BYTES && s < SEGMENT_TARGET_BYTES + 60_000), sizes.join(', '));
    // A cut through the third segment keeps the two before it.
    const cut = (sizes[0] ?? 0) + (sizes[1] ?? 0) + 100;
    const copy = new MetricStore(OPTS);
    const r = restore(copy, undefined, raw.subarray(0, cut), T0 + 5 * MIN);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0] ?? '', /ends with a truncated segment/);
    assert.ok(r.rawDamaged);
    assert.ok(copy.size > 0 && copy.size < 40, `${copy.size} series kept`);
    for (const s of copy.list()) assert.equal(copy.history(s.id)?.raw.size, store.history(s.id)?.raw.size, 'kept series are whole');
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
    // Packed, the whole 15 min take about 11 KB.
    const cap = 6_000;
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

describe('persist: append-only raw log', () => {
  function concat(...parts: Uint8Array[]): Uint8Array {
    return Uint8Array.from(Buffer.concat(parts));
  }

  function rawOf(store: MetricStore): Record<string, { t: number[]; v: number[] }> {
    const out: Record<string, { t: number[]; v: number[] }> = {};
    for (const s of store.list()) {
      const r = store.history(s.id)?.raw;
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < (r?.size ?? 0); i++) {
        t.push(r?.get(0, i) ?? NaN);
        v.push(r?.get(1, i) ?? NaN);
      }
      out[s.id] = { t, v };
    }
    return out;
  }

  /** One save: the writer's delta, committed and added to `log`. */
  function save(writer: RawLogWriter, store: MetricStore, log: Uint8Array[]): void {
    const d = writer.delta(store);
    d.commit();
    log.push(d.bytes);
  }

  /** Two windows' stores, each with its writer, appending to one log. */
  function twoWindows(): { a: MetricStore; b: MetricStore; wa: RawLogWriter; wb: RawLogWriter; log: Uint8Array[] } {
    return { a: new MetricStore(OPTS), b: new MetricStore(OPTS), wa: new RawLogWriter(), wb: new RawLogWriter(), log: [] };
  }

  /** Ingests `samples(t)` every second over (from, to]. */
  function feed(store: MetricStore, from: number, to: number): void {
    for (let t = from + 1000; t <= to; t += 1000) store.ingest('src', samples(t), t);
  }

  it('appended deltas restore the store exactly, each holding only the new samples', () => {
    const store = new MetricStore(OPTS);
    const writer = new RawLogWriter();
    const parts: Uint8Array[] = [];
    // Longer than the raw window, as a restored series cannot know where its very first sample was.
    let t = T0 + 20 * MIN;
    feed(store, T0, t);
    for (let save = 0; save < 6; save++) {
      if (save > 0) {
        feed(store, t, t + 30_000);
        t += 30_000;
      }
      const d = writer.delta(store);
      assert.equal(d.samples, save === 0 ? 3 * 901 : 3 * 30, `save ${save}`);
      d.commit();
      parts.push(d.bytes);
    }
    // Later deltas carry ids, not metas: smaller than the first.
    assert.ok((parts[1]?.byteLength ?? 0) < (parts[0]?.byteLength ?? 0));
    assert.equal(writer.delta(store).bytes.byteLength, 0, 'nothing new, nothing written');
    const copy = new MetricStore(OPTS);
    const r = restore(copy, encodeCompact(store, BIG), concat(...parts), t);
    assert.deepEqual(r.problems, []);
    assert.equal(r.rawDamaged, false);
    assert.deepEqual(snapshot(copy, t - 24 * HOUR, t), snapshot(store, t - 24 * HOUR, t));
    assert.deepEqual(rawOf(copy), rawOf(store));
    // Without the compact tier the raw entries alone carry the metas and the latest state.
    const rawOnly = new MetricStore(OPTS);
    assert.deepEqual(restore(rawOnly, undefined, concat(...parts), t).problems, []);
    assert.deepEqual(
      rawOnly.list().map(({ restored: _r, ...info }) => info),
      store.list().map(({ restored: _r, ...info }) => info),
    );
  });

  it('an uncommitted delta is sent again; after adopt() only newer samples are', () => {
    const store = new MetricStore(OPTS);
    const writer = new RawLogWriter();
    feed(store, T0, T0 + 10_000);
    const first = writer.delta(store);
    assert.equal(first.samples, 30);
    assert.equal(writer.delta(store).samples, 30, 'not committed: everything again');
    first.commit();
    const copy = new MetricStore(OPTS);
    const r = restore(copy, undefined, first.bytes, T0 + 10_000);
    const again = new RawLogWriter();
    again.adopt(copy, r.persisted);
    assert.equal(again.delta(copy).bytes.byteLength, 0);
    copy.ingest('src', samples(T0 + 11_000), T0 + 11_000);
    assert.equal(again.delta(copy).samples, 3);
  });

  it('a torn segment in the middle (a crash, then more appends) costs only that segment', () => {
    const store = new MetricStore(OPTS);
    const writer = new RawLogWriter();
    const take = (): Uint8Array => {
      const d = writer.delta(store);
      d.commit();
      return d.bytes;
    };
    feed(store, T0, T0 + 20_000);
    const a = take();
    feed(store, T0 + 20_000, T0 + 40_000);
    const b = take();
    feed(store, T0 + 40_000, T0 + 60_000);
    const c = take();
    const copy = new MetricStore(OPTS);
    const r = restore(copy, undefined, concat(a, b.subarray(0, b.byteLength - 50), c), T0 + 60_000);
    assert.equal(r.problems.length, 1, r.problems.join(' / '));
    assert.match(r.problems[0] ?? '', /corrupt segment at offset \d+/);
    const times = rawOf(copy)['src|http.requests']?.t ?? [];
    assert.equal(times.length, 40, 'the first and last 20 s');
    assert.equal(times[19], T0 + 20_000);
    assert.equal(times[20], T0 + 41_000);
  });

  it('two writers interleaved: a series only moves forward in time, nothing is corrupted', () => {
    const { a, b, wa, wb, log: parts } = twoWindows();
    let t = T0;
    for (let round = 0; round < 6; round++) {
      for (let k = 0; k < 10; k++) {
        t += 1000;
        a.ingest('src', samples(t), t);
        b.ingest('src', samples(t + 500), t + 500); // the same series, sampled elsewhere
        b.ingest('other', [{ name: 'only.b', labels: [], value: k, kind: 'gauge', unit: 'none' }], t);
      }
      for (const [w, s] of round % 2 === 0 ? ([[wa, a], [wb, b]] as const) : ([[wb, b], [wa, a]] as const)) save(w, s, parts);
    }
    const copy = new MetricStore(OPTS);
    const r = restore(copy, undefined, concat(...parts), t + 1000);
    assert.deepEqual(r.problems, []);
    assert.equal(copy.size, 4);
    for (const [id, { t: times, v }] of Object.entries(rawOf(copy))) {
      for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? 0) > (times[i - 1] ?? 0), `${id} in time order`);
      if (id.startsWith('other|')) continue;
      // Every point is a sample as some writer took it at that instant.
      const name = copy.get(id)?.name;
      times.forEach((at, i) => assert.equal(v[i], samples(at).find((s) => s.name === name)?.value, `${id} at ${at}`));
    }
    assert.deepEqual(rawOf(copy)['other|only.b'], rawOf(b)['other|only.b']);
  });

  it('a sample replacing the newest one at the same instant is saved again (last wins)', () => {
    const store = new MetricStore(OPTS);
    const writer = new RawLogWriter();
    const one = (v: number): Sample[] => [{ name: 'g', labels: [], value: v, kind: 'gauge', unit: 'none' }];
    store.ingest('src', one(1), T0);
    const first = writer.delta(store);
    first.commit();
    store.ingest('src', one(2), T0);
    const second = writer.delta(store);
    assert.equal(second.samples, 1);
    second.commit();
    const copy = new MetricStore(OPTS);
    restore(copy, undefined, concat(first.bytes, second.bytes), T0);
    assert.deepEqual(rawOf(copy)['src|g'], { t: [T0], v: [2] });
  });

  it('a series whose kind changed forgets its old points; a removed series is forgotten', () => {
    const store = new MetricStore({ ...OPTS, maxSeriesPerSource: 2 });
    const writer = new RawLogWriter();
    const parts: Uint8Array[] = [];
    const take = (): void => save(writer, store, parts);
    const x = (kind: 'gauge' | 'counter', v: number): Sample => ({ name: 'x', labels: [], value: v, kind, unit: 'count' });
    for (let i = 0; i < 5; i++) store.ingest('src', [x('counter', i), { name: 'y', labels: [], value: i, kind: 'gauge', unit: 'none' }], T0 + i * 1000);
    take();
    for (let i = 5; i < 8; i++) store.ingest('src', [x('gauge', 100 + i)], T0 + i * 1000);
    store.configure({ ...OPTS, maxSeriesPerSource: 1 }); // drops the least recently updated: y
    take();
    const copy = new MetricStore(OPTS);
    assert.deepEqual(restore(copy, undefined, concat(...parts), T0 + 8000).problems, []);
    assert.deepEqual(
      copy.list().map((s) => [s.id, s.kind]),
      [['src|x', 'gauge']],
    );
    assert.deepEqual(rawOf(copy)['src|x']?.v, [105, 106, 107]);
  });

  it('compaction merges the log and the pending samples, drops what left the window, keeps other writers', () => {
    const { a: mine, b: theirs, wa: wm, wb: wt, log: parts } = twoWindows();
    let t = T0;
    for (let round = 0; round < 30; round++) {
      feed(mine, t, t + 60_000);
      theirs.ingest('theirs', [{ name: 'q', labels: [], value: round, kind: 'gauge', unit: 'none' }], t + 60_000);
      t += 60_000;
      for (const [w, s] of [[wm, mine], [wt, theirs]] as const) save(w, s, parts);
    }
    feed(mine, t, t + 5000);
    t += 5000;
    const log = concat(...parts);
    const pending = wm.delta(mine);
    const { bytes, problems } = compactRaw(mine, log, pending.bytes, t, BIG);
    assert.deepEqual(problems, []);
    assert.ok(bytes.byteLength < log.byteLength / 1.5, `${bytes.byteLength} of ${log.byteLength}`);
    const fromLog = new MetricStore(OPTS);
    restore(fromLog, undefined, concat(log, pending.bytes), t);
    const fromCompacted = new MetricStore(OPTS);
    assert.deepEqual(restore(fromCompacted, undefined, bytes, t).problems, []);
    assert.deepEqual(rawOf(fromCompacted), rawOf(fromLog));
    assert.deepEqual(rawOf(fromCompacted)['src|http.requests'], rawOf(mine)['src|http.requests']);
    assert.equal(rawOf(fromCompacted)['theirs|q']?.t.length, 15, 'their points inside the 15 min window');
    // Capped like encodeRaw: the oldest go first.
    // (Packed, the window takes about 12 KB.)
    const capped = compactRaw(mine, log, pending.bytes, t, 6_000).bytes;
    assert.ok(capped.byteLength <= 6_000 && capped.byteLength > 4_000, `${capped.byteLength} bytes`);
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
    check(undefined, r, /unreadable bytes at offset 0/, 0);
    const flipped = raw.slice();
    flipped[raw.byteLength - 3] = (flipped[raw.byteLength - 3] ?? 0) ^ 1;
    check(undefined, flipped, /corrupt segment at offset 0 \(checksum mismatch\)/, 0);
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
    check(undefined, raw.subarray(0, raw.byteLength - 100), /ends with a truncated segment/, 0);
    check(undefined, raw.subarray(0, 14), /ends with a truncated segment \(14 bytes\)/, 0);
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

describe('persist: packed raw log (version 3) and the version 2 it replaced', () => {
  it('packed columns round-trip any doubles bit for bit, never over 8 bytes a number (property)', () => {
    const bits = (x: Float64Array): string => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex');
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.double()), fc.array(fc.integer({ min: -(2 ** 50), max: 2 ** 50 })), fc.array(fc.constantFrom(0, -0, 1, 2 ** 53, NaN, Infinity))), (values) => {
        const packed = packColumn(values.length, (i) => values[i] ?? 0);
        assert.ok(packed.bytes.byteLength <= 8 * values.length);
        const back = unpackColumn(packed.bytes, packed.mode, values.length);
        assert.ok(back);
        assert.equal(bits(back), bits(Float64Array.from(values)));
      }),
      { numRuns: 300 },
    );
  });

  it('a steady clock and a steady counter take a byte a number; a noisy gauge no more than 8', () => {
    const clock = packColumn(1000, (i) => T0 + 100 * i);
    assert.equal(clock.mode, PACK_INT);
    assert.ok(clock.bytes.byteLength < 1000 + 20, `${clock.bytes.byteLength} bytes`);
    const fractional = packColumn(1000, (i) => T0 + 100.37 * i + 0.0001 * (i % 7));
    assert.equal(fractional.mode, PACK_XOR);
    assert.ok(fractional.bytes.byteLength < 6 * 1000, `${fractional.bytes.byteLength} bytes`);
    assert.ok(packColumn(1000, (i) => Math.sin(i * 12.9898) * 43758.5453).bytes.byteLength <= 8000);
  });

  it('damaged packed bytes decode to null, never to wrong numbers or a throw', () => {
    const p = packColumn(50, (i) => T0 + 100 * i);
    assert.equal(unpackColumn(p.bytes.subarray(0, p.bytes.byteLength - 1), p.mode, 50), null, 'truncated');
    assert.equal(unpackColumn(Uint8Array.from([...p.bytes, 0]), p.mode, 50), null, 'trailing bytes');
    assert.equal(unpackColumn(p.bytes, 9, 50), null, 'unknown mode');
    assert.equal(unpackColumn(new Uint8Array(16).fill(255), PACK_INT, 2), null, 'overlong varint');
    assert.equal(unpackColumn(Uint8Array.from([0x90 | 0x09]), PACK_XOR, 1), null, 'impossible header');
    assert.equal(unpackColumn(new Uint8Array(8), PACK_F64, 4_000_000_000), null, 'a count the bytes cannot hold');
    assert.equal(unpackColumn(new Uint8Array(7), PACK_F64, 1), null);
  });

  it('is smaller than version 2 and restores the same store', () => {
    const { store, now } = filled(15);
    const v3 = encodeRaw(store, BIG);
    const v2 = encodeRaw(store, BIG, RAW_VERSION_F64);
    assert.equal(new DataView(v2.buffer, v2.byteOffset).getUint16(4, true), 2);
    assert.ok(v3.byteLength < 0.6 * v2.byteLength, `${v3.byteLength} vs ${v2.byteLength} bytes`);
    const a = new MetricStore(OPTS);
    const b = new MetricStore(OPTS);
    assert.deepEqual(restore(a, undefined, v3, now).problems, []);
    assert.deepEqual(restore(b, undefined, v2, now).problems, []);
    assert.deepEqual(snapshot(a, now - HOUR, now), snapshot(b, now - HOUR, now));
    assert.deepEqual(snapshot(a, now - HOUR, now), snapshot(store, now - HOUR, now));
  });

  it('a version 2 log with version 3 appends after it (an upgrade) restores whole, reporting nothing', () => {
    const store = new MetricStore(OPTS);
    for (let t = T0; t <= T0 + 5 * MIN; t += 1000) store.ingest('src', samples(t), t);
    const old = encodeRaw(store, BIG, RAW_VERSION_F64);
    const copy = new MetricStore(OPTS);
    const r = restore(copy, undefined, old, T0 + 5 * MIN);
    const writer = new RawLogWriter();
    writer.adopt(copy, r.persisted);
    for (let t = T0 + 5 * MIN + 1000; t <= T0 + 6 * MIN; t += 1000) {
      store.ingest('src', samples(t), t);
      copy.ingest('src', samples(t), t);
    }
    const appended = writer.delta(copy).bytes;
    assert.equal(new DataView(appended.buffer, appended.byteOffset).getUint16(4, true), RAW_VERSION);
    const again = new MetricStore(OPTS);
    const back = restore(again, undefined, Uint8Array.from(Buffer.concat([old, appended])), T0 + 6 * MIN);
    assert.deepEqual(back.problems, []);
    assert.equal(back.rawDamaged, false);
    for (const s of store.list()) assert.deepEqual(again.points(s.id, T0, T0 + 6 * MIN, 'raw').t, store.points(s.id, T0, T0 + 6 * MIN, 'raw').t, s.id);
  });

  it('a packed column that does not decode (checksum recomputed, so only the entry check sees it) costs that series only', () => {
    const { store, now } = filled(2);
    const bytes = encodeRaw(store, BIG).slice();
    const view = new DataView(bytes.buffer);
    // The first entry's time column: after flags, key, three f64 and n.
    const keyLen = view.getUint32(16 + 4 + 1, true);
    const colAt = 16 + 4 + 5 + keyLen + 28;
    bytes[colAt] = 7; // an unknown mode
    view.setUint32(12, fnv1a(bytes.subarray(16), fnv1a(bytes.subarray(4, 12))), true);
    const copy = new MetricStore(OPTS);
    const r = restore(copy, undefined, bytes, now);
    assert.equal(r.problems.length, 1, r.problems.join(' / '));
    assert.match(r.problems[0] ?? '', /has invalid samples; skipped/);
    assert.equal(copy.size, 2, 'the other series are kept');
    // And a column length past the entry: the rest of the segment goes, reported.
    view.setUint32(colAt + 1, 1e9, true);
    view.setUint32(12, fnv1a(bytes.subarray(16), fnv1a(bytes.subarray(4, 12))), true);
    const r2 = restore(new MetricStore(OPTS), undefined, bytes, now);
    assert.match(r2.problems.join(' / '), /truncated samples/);
  });
});
