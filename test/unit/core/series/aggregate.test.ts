import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetricStore } from '../../../../src/core/series/store';
import { aggregate, counterIncreaseRate, percentile, slopePerSecond } from '../../../../src/core/series/aggregate';

const MIN = 60_000;
const store = (): MetricStore => new MetricStore({ rawWindowMs: 15 * MIN, bucketMs: 10_000, downsampledWindowMs: 24 * 60 * MIN, maxSeriesPerSource: 100 });

describe('aggregate', () => {
  it('avg/min/max/p95/count of a gauge over the window, slope as rate', () => {
    const s = store();
    for (let i = 0; i <= 100; i++) s.ingest('a', [{ name: 'g', labels: [], value: i, kind: 'gauge', unit: 'none' }], i * 1000);
    const a = aggregate(s, 'a|g', MIN, 100_000);
    assert.ok(a);
    assert.equal(a.count, 61);
    assert.equal(a.min, 40);
    assert.equal(a.max, 100);
    assert.equal(a.avg, 70);
    assert.equal(a.p95, 97);
    assert.ok(Math.abs((a.rate ?? 0) - 1) < 1e-9);
  });

  it('counters: statistics of the rates, rate = increase per second with resets', () => {
    const s = store();
    const values = [0, 10, 20, 5, 15];
    values.forEach((v, i) => s.ingest('a', [{ name: 'c', labels: [], value: v, kind: 'counter', unit: 'count' }], i * 1000));
    const a = aggregate(s, 'a|c', MIN, 4000);
    assert.ok(a);
    assert.equal(a.rate, 35 / 4); // 10 + 10 + 5 (reset: counted from 0) + 10 in 4 s
    assert.equal(a.count, 4); // the first sample has no rate
    assert.equal(a.min, 5);
    assert.equal(a.max, 10);
  });

  it('1 h windows reach into the downsampled tier', () => {
    const s = store();
    // Values move every second (a sample set that holds still is a repeat and adds no point).
    for (let t = 0; t <= 60 * MIN; t += 1000) s.ingest('a', [{ name: 'g', labels: [], value: t < 30 * MIN ? 99 + 2 * ((t / 1000) % 2) : (t / 1000) % 2, kind: 'gauge', unit: 'none' }], t);
    const a = aggregate(s, 'a|g', 60 * MIN, 60 * MIN);
    assert.ok(a);
    assert.equal(a.max, 100);
    assert.equal(a.min, 0);
    assert.ok(a.count > 180 + 900);
  });

  it('unknown series → undefined; empty window → nulls', () => {
    const s = store();
    assert.equal(aggregate(s, 'nope', MIN, 0), undefined);
    s.ingest('a', [{ name: 'g', labels: [], value: 1, kind: 'gauge', unit: 'none' }], 0);
    assert.deepEqual(aggregate(s, 'a|g', MIN, 10 * MIN), { avg: null, min: null, max: null, p95: null, rate: null, count: 0 });
  });

  it('helpers', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
    assert.equal(percentile([], 0.95), null);
    assert.equal(slopePerSecond([0, 1000, 2000], [5, 5, 5]), 0);
    assert.equal(slopePerSecond([0], [5]), null);
    assert.equal(counterIncreaseRate([0, 1000, 2000], [10, 20, 5]), 7.5);
  });
});
