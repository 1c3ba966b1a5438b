import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../../../src/core/model';
import type { Labels } from '../../../../src/shared/views';
import { MetricStore, seriesId, thin } from '../../../../src/core/series/store';
import type { StoreOptions } from '../../../../src/core/series/store';

const MIN = 60_000;
const OPTS: StoreOptions = { rawWindowMs: 15 * MIN, bucketMs: 10_000, downsampledWindowMs: 24 * 60 * MIN, maxSeriesPerSource: 2000 };

function gauge(name: string, value: number, labels: Labels = []): Sample {
  return { name, labels, value, kind: 'gauge', unit: 'none' };
}
function counter(name: string, value: number, labels: Labels = []): Sample {
  return { name, labels, value, kind: 'counter', unit: 'count', role: 'requests' };
}

describe('MetricStore: ingest', () => {
  it('ids are the source id and the canonical series key', () => {
    assert.equal(seriesId('s1', 'http_requests_total', [['method', 'GET']]), 's1|http_requests_total{method="GET"}');
    assert.equal(seriesId('s1', 'up', []), 's1|up');
  });

  it('gauges keep their value; counters become per-second rates after two samples', () => {
    const store = new MetricStore(OPTS);
    const r1 = store.ingest('a', [gauge('mem', 5), counter('req', 100)], 1000);
    assert.equal(r1.created, 2);
    assert.deepEqual([...r1.changed].sort(), ['a|mem', 'a|req']);
    assert.equal(store.get('a|mem')?.value, 5);
    assert.equal(store.get('a|req')?.value, null);
    assert.equal(store.get('a|req')?.raw, 100);
    store.ingest('a', [counter('req', 150)], 3000);
    assert.equal(store.get('a|req')?.value, 25);
    assert.equal(store.get('a|req')?.updatedAt, 3000);
    assert.equal(store.get('a|req')?.role, 'requests');
  });

  it('a decreasing counter is a reset: counted, rate from the new value', () => {
    const store = new MetricStore(OPTS);
    store.ingest('a', [counter('req', 1000)], 0);
    const r = store.ingest('a', [counter('req', 20)], 2000);
    assert.equal(r.resets, 1);
    assert.equal(store.get('a|req')?.value, 10);
  });

  it('bounds series per source and counts the refused ones once each', () => {
    const store = new MetricStore({ ...OPTS, maxSeriesPerSource: 10 });
    const samples = Array.from({ length: 25 }, (_, i) => gauge(`m${i}`, i));
    const r = store.ingest('a', samples, 0);
    assert.equal(r.created, 10);
    assert.equal(r.dropped, 15);
    assert.equal(store.size, 10);
    store.ingest('a', samples, 1000); // the same refused series again
    assert.equal(store.droppedSeries('a'), 15);
    store.ingest('b', samples.slice(0, 3), 0); // other sources have their own bound
    assert.equal(store.bySource('b').length, 3);
    assert.equal(store.droppedSeries('b'), 0);
  });

  it('100k series attempts stay bounded', () => {
    const store = new MetricStore({ ...OPTS, maxSeriesPerSource: 2000 });
    for (let batch = 0; batch < 10; batch++) {
      const samples = Array.from({ length: 10_000 }, (_, i) => gauge('x', 1, [['id', String(batch * 10_000 + i)]]));
      store.ingest('flood', samples, batch * 1000);
    }
    assert.equal(store.size, 2000);
    assert.equal(store.droppedSeries('flood'), 98_000);
    assert.ok(store.approxBytes() < 20 * 1024 * 1024);
  });

  it('stores names like __proto__ and constructor safely', () => {
    const store = new MetricStore(OPTS);
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    store.ingest('__proto__', [gauge('__proto__', 1), gauge('constructor', 2), gauge('x', 3, [['__proto__', 'polluted']]), gauge('hasOwnProperty', 4)], 0);
    assert.equal(store.get('__proto__|__proto__')?.value, 1);
    assert.equal(store.get('__proto__|constructor')?.value, 2);
    assert.equal(store.get('__proto__|x{__proto__="polluted"}')?.value, 3);
    assert.equal(store.get('__proto__|hasOwnProperty')?.value, 4);
    assert.equal(store.bySource('__proto__').length, 4);
    assert.equal(store.get('toString'), undefined);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('removes a source, clears, counts samples', () => {
    const store = new MetricStore(OPTS);
    store.ingest('a', [gauge('x', 1), gauge('y', 1)], 0);
    store.ingest('a', [gauge('x', 2)], 1000);
    store.ingest('b', [gauge('x', 1)], 0);
    assert.equal(store.sampleCount(), 4);
    assert.deepEqual(store.removeSource('a').sort(), ['a|x', 'a|y']);
    assert.equal(store.size, 1);
    assert.deepEqual(store.list().map((s) => s.id), ['b|x']);
    store.clear();
    assert.equal(store.size, 0);
    assert.equal(store.sampleCount(), 0);
  });

  it('configure resizes and evicts the least recently updated series beyond a lower bound', () => {
    const store = new MetricStore(OPTS);
    for (let i = 0; i < 5; i++) store.ingest('a', [gauge(`m${i}`, i)], i * 1000);
    for (let t = 0; t < 10 * MIN; t += 1000) store.ingest('a', [gauge('m4', 1)], 5000 + t);
    const removed = store.configure({ ...OPTS, rawWindowMs: MIN, maxSeriesPerSource: 2 });
    assert.deepEqual(removed, ['a|m0', 'a|m1', 'a|m2']);
    assert.equal(store.size, 2);
    const h = store.history('a|m4');
    assert.ok(h !== undefined && h.raw.size <= 601);
  });

  it('prune drops series whose history left every window', () => {
    const store = new MetricStore(OPTS);
    store.ingest('a', [gauge('old', 1)], 0);
    store.ingest('a', [gauge('new', 1)], 25 * 60 * MIN);
    assert.deepEqual(store.prune(25 * 60 * MIN), ['a|old']);
    assert.equal(store.size, 1);
  });
});

describe('MetricStore: repeated messages (a slow producer polled fast)', () => {
  it('an unchanged sample set adds no point: its series are only marked as seen, rates stand', () => {
    const store = new MetricStore(OPTS);
    store.ingest('a', [gauge('mem', 5), counter('req', 100)], 0);
    store.ingest('a', [gauge('mem', 6), counter('req', 160)], 2000);
    const r = store.ingest('a', [gauge('mem', 6), counter('req', 160)], 4000);
    assert.equal(r.repeat, true);
    assert.deepEqual([...r.changed].sort(), ['a|mem', 'a|req']);
    assert.equal(store.history('a|mem')?.raw.size, 2);
    assert.equal(store.history('a|req')?.raw.size, 2);
    assert.equal(store.get('a|req')?.value, 30, 'not 0');
    assert.equal(store.get('a|req')?.updatedAt, 4000);
    assert.equal(store.get('a|req')?.changedAt, 2000);
    assert.equal(store.ingest('a', [gauge('mem', 6), counter('req', 220)], 6000).repeat, false);
    assert.equal(store.get('a|req')?.value, 15, '60 over the 4 s since the last update');
  });

  it('a message with a new series or another unit is no repeat; nor is one on another source', () => {
    const store = new MetricStore(OPTS);
    store.ingest('a', [gauge('mem', 5)], 0);
    assert.equal(store.ingest('a', [gauge('mem', 5), gauge('cpu', 1)], 1000).repeat, false);
    assert.equal(store.ingest('a', [{ ...gauge('mem', 5), unit: 'bytes' }, gauge('cpu', 1)], 2000).repeat, false);
    assert.equal(store.get('a|mem')?.unit, 'bytes');
    assert.equal(store.ingest('b', [gauge('mem', 5)], 2000).repeat, false);
    assert.equal(store.ingest('a', [{ ...gauge('mem', 5), unit: 'bytes' }, gauge('cpu', 1)], 3000).repeat, true);
  });

  it('a series that holds still keeps a point at least every quarter of the raw window', () => {
    const store = new MetricStore({ ...OPTS, rawWindowMs: MIN });
    for (let t = 0; t <= 5 * MIN; t += 1000) store.ingest('a', [gauge('flat', 7)], t);
    const t = store.points('a|flat', 4 * MIN, 5 * MIN, 'raw').t;
    assert.ok(t.length >= 4 && t.length <= 5, `${t.length} points in the last minute`);
  });
});

describe('MetricStore: points', () => {
  function filled(): MetricStore {
    const store = new MetricStore(OPTS);
    // one hour of a counter growing by 10/s and a gauge = minute number, sampled every second
    for (let t = 0; t <= 60 * MIN; t += 1000) store.ingest('a', [counter('req', t / 100), gauge('g', Math.floor(t / MIN))], t);
    return store;
  }

  it('serves the raw tier where it covers the window', () => {
    const store = filled();
    const p = store.points('a|g', 50 * MIN, 60 * MIN, 'raw');
    assert.equal(p.t.length, 601);
    assert.equal(p.t[0], 50 * MIN);
    assert.equal(p.v[0], 50);
    assert.equal(p.v.at(-1), 60);
  });

  it('uses the downsampled averages before the raw tier', () => {
    const store = filled();
    const p = store.points('a|g', 0, 60 * MIN, 'raw');
    const rawFrom = 45 * MIN;
    const bucketPart = p.t.filter((t) => t < rawFrom);
    assert.equal(bucketPart.length, 270); // 45 min of 10 s buckets
    assert.deepEqual(bucketPart.slice(0, 2), [0, 10_000]);
    assert.equal(p.v[0], 0);
    assert.equal(p.t[270], rawFrom);
    assert.equal(p.t.length, 270 + 901);
  });

  it('counters: rates in rate mode, values as sent (bucket last) in raw mode', () => {
    const store = filled();
    const rate = store.points('a|req', 0, 60 * MIN, 'rate');
    assert.ok(rate.v.slice(1).every((v) => v !== null && Math.abs(v - 10) < 1e-9), 'every rate is 10/s');
    const raw = store.points('a|req', 0, 60 * MIN, 'raw');
    assert.equal(raw.v[0], 90); // last of the first bucket (t = 9 s)
    assert.equal(raw.v.at(-1), 36_000);
  });

  it('raw-tier rates handle a reset; the first point has no rate', () => {
    const store = new MetricStore(OPTS);
    store.ingest('a', [counter('c', 100)], 0);
    store.ingest('a', [counter('c', 200)], 1000);
    store.ingest('a', [counter('c', 50)], 2000);
    assert.deepEqual(store.points('a|c', 0, 2000, 'rate').v, [null, 100, 50]);
  });

  it('thins to maxPoints keeping each group’s min and max', () => {
    const store = filled();
    const p = store.points('a|g', 45 * MIN, 60 * MIN, 'raw', 20);
    assert.ok(p.t.length <= 20);
    assert.equal(Math.min(...(p.v as number[])), 45);
    assert.equal(Math.max(...(p.v as number[])), 60);
    for (let i = 1; i < p.t.length; i++) assert.ok((p.t[i] ?? 0) > (p.t[i - 1] ?? 0));
  });

  it('thin keeps spikes and leaves short series alone', () => {
    const v = Array.from({ length: 1000 }, (_, i) => (i === 437 ? 99 : i === 800 ? -5 : 1));
    const t = v.map((_, i) => i);
    const out = thin({ t, v }, 10);
    assert.ok(out.t.length <= 10);
    assert.ok(out.v.includes(99) && out.v.includes(-5));
    assert.deepEqual(thin({ t: [1, 2], v: [3, null] }, 10), { t: [1, 2], v: [3, null] });
    assert.deepEqual(thin({ t: [1, 2, 3], v: [null, null, null] }, 2), { t: [1], v: [null] });
  });

  it('unknown series and empty windows give no points', () => {
    const store = filled();
    assert.deepEqual(store.points('nope', 0, 1, 'raw'), { t: [], v: [] });
    assert.deepEqual(store.points('a|g', 10, 5, 'raw'), { t: [], v: [] });
  });
});
