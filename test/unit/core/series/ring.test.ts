import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnRing } from '../../../../src/core/series/ring';
import { sampleRing } from '../../../../src/core/series/ring';
import { B_COUNT, B_INDEX, B_LAST, B_MAX, B_MIN, B_SUM, SeriesHistory, bucketCapacity, rawCapacity } from '../../../../src/core/series/history';

const MIN = 60_000;
const opts = { rawWindowMs: 15 * MIN, bucketMs: 10_000, downsampledWindowMs: 24 * 60 * MIN };

function rows(ring: ColumnRing, column = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < ring.size; i++) out.push(ring.get(column, i));
  return out;
}

describe('ColumnRing', () => {
  it('grows geometrically up to its limit, then overwrites the oldest', () => {
    const ring = sampleRing(40);
    assert.equal(ring.capacity, 16);
    for (let i = 0; i < 17; i++) ring.push([i, i * 10]);
    assert.equal(ring.capacity, 32);
    for (let i = 17; i < 45; i++) ring.push([i, i * 10]);
    assert.equal(ring.capacity, 40);
    assert.equal(ring.size, 40);
    assert.deepEqual(rows(ring).slice(0, 3), [5, 6, 7]);
    assert.equal(ring.get(1, 39), 440);
  });

  it('keeps rows in order across wrap-around and reallocation', () => {
    const ring = sampleRing(1000);
    for (let i = 0; i < 10; i++) ring.push([i, i]);
    ring.dropOldest(7);
    for (let i = 10; i < 40; i++) ring.push([i, i]);
    assert.deepEqual(rows(ring), Array.from({ length: 33 }, (_, i) => i + 7));
  });

  it('binary-searches and drops by time', () => {
    const ring = sampleRing(100);
    for (let i = 0; i < 50; i++) ring.push([i * 10, i]);
    assert.equal(ring.lowerBound(95), 10);
    assert.equal(ring.lowerBound(-1), 0);
    assert.equal(ring.lowerBound(10_000), 50);
    ring.dropBefore(200);
    assert.equal(ring.get(0, 0), 200);
    assert.equal(ring.size, 30);
  });

  it('shrinking the limit keeps the newest rows', () => {
    const ring = sampleRing(100);
    for (let i = 0; i < 60; i++) ring.push([i, i]);
    ring.setLimit(10);
    assert.equal(ring.size, 10);
    assert.equal(ring.capacity, 10);
    assert.deepEqual(rows(ring), [50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
  });

  it('out-of-range reads are NaN, writes are ignored', () => {
    const ring = sampleRing(4);
    assert.ok(Number.isNaN(ring.get(0, 0)));
    ring.set(0, 3, 1);
    assert.equal(ring.size, 0);
  });
});

describe('SeriesHistory', () => {
  it('capacities follow the windows and the 100 ms spacing rule', () => {
    assert.equal(rawCapacity(opts), 9001);
    assert.equal(bucketCapacity(opts), 8641);
    assert.equal(rawCapacity({ ...opts, minSpacingMs: 1000 }), 901);
  });

  it('keeps at most one raw sample per 100 ms slot, the last one', () => {
    const h = new SeriesHistory('gauge', opts);
    h.add(1000, 1);
    h.add(1050, 2);
    h.add(1099, 3);
    h.add(1100, 4);
    assert.equal(h.raw.size, 2);
    assert.deepEqual([h.raw.get(0, 0), h.raw.get(1, 0)], [1099, 3]);
    assert.deepEqual([h.raw.get(0, 1), h.raw.get(1, 1)], [1100, 4]);
    // every sample still rolls into the bucket
    assert.equal(h.buckets.get(B_COUNT, 0), 4);
  });

  it('stays bounded under a flood of samples', () => {
    const small = { rawWindowMs: 10_000, bucketMs: 1000, downsampledWindowMs: 60_000 };
    const h = new SeriesHistory('gauge', small);
    for (let t = 0; t < 200_000; t++) h.add(t, t % 7); // 1 kHz for 200 s
    assert.ok(h.raw.size <= rawCapacity(small));
    assert.ok(h.raw.capacity <= rawCapacity(small));
    assert.ok(h.buckets.size <= bucketCapacity(small));
    assert.ok(h.raw.get(0, 0) >= 200_000 - 1 - 10_000);
    assert.ok(h.buckets.get(B_INDEX, 0) >= 199 - 60);
  });

  it('rolls samples into 10 s buckets with min/max/avg/last/count', () => {
    const h = new SeriesHistory('gauge', opts);
    for (const [t, v] of [[0, 5], [3000, 1], [9000, 9], [10_000, 4], [25_000, 2]] as const) h.add(t, v);
    assert.equal(h.buckets.size, 3);
    assert.deepEqual(
      [B_INDEX, B_MIN, B_MAX, B_SUM, B_LAST, B_COUNT].map((c) => h.buckets.get(c, 0)),
      [0, 1, 9, 15, 9, 3],
    );
    assert.equal(h.buckets.get(B_INDEX, 2), 2);
  });

  it('trims the raw tier to its window while the buckets keep the day', () => {
    const h = new SeriesHistory('gauge', opts);
    for (let t = 0; t <= 60 * MIN; t += 1000) h.add(t, 1);
    assert.equal(h.raw.get(0, 0), 45 * MIN);
    assert.equal(h.buckets.get(B_INDEX, 0), 0);
    assert.equal(h.buckets.size, 361);
    assert.equal(h.trim(25 * 60 * MIN), false);
    assert.equal(h.raw.size, 0);
    assert.ok(h.buckets.get(B_INDEX, 0) >= (60 * MIN) / 10_000);
    assert.equal(h.trim(48 * 60 * MIN), true);
  });

  it('counter buckets hold the increase, resets counted from zero', () => {
    const h = new SeriesHistory('counter', opts);
    h.add(0, 100);
    h.add(5000, 150);
    h.add(10_000, 10); // reset
    h.add(15_000, 30);
    assert.equal(h.buckets.get(B_SUM, 0), 50);
    assert.equal(h.buckets.get(B_SUM, 1), 30);
    assert.equal(h.buckets.get(B_LAST, 1), 30);
  });

  it('clamps times that go backwards to the newest stored time', () => {
    const h = new SeriesHistory('gauge', opts);
    h.add(5000, 1);
    h.add(4000, 2);
    assert.equal(h.raw.size, 1);
    assert.deepEqual([h.raw.get(0, 0), h.raw.get(1, 0)], [5000, 2]);
  });

  it('reconfiguring to a shorter window keeps what fits', () => {
    const h = new SeriesHistory('gauge', opts);
    for (let t = 0; t <= 10 * MIN; t += 1000) h.add(t, 1);
    h.configure({ ...opts, rawWindowMs: MIN });
    assert.equal(h.raw.get(0, 0), 9 * MIN);
    assert.ok(h.raw.capacity <= rawCapacity({ ...opts, rawWindowMs: MIN }));
  });
});
