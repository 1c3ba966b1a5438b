// The ingest shortcuts (remembered message shapes, cached ids, the newest bucket held in fields)
// give the same store as the plain path: series found again after removals, buckets complete when read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../../../src/core/model';
import type { Labels } from '../../../../src/shared/views';
import { MetricStore, seriesId } from '../../../../src/core/series/store';
import type { StoreOptions } from '../../../../src/core/series/store';
import { SeriesIds } from '../../../../src/core/series/seriesIds';
import { B_COUNT, B_LAST, B_MAX, B_MIN, B_SUM, SeriesHistory } from '../../../../src/core/series/history';

const OPTS: StoreOptions = { rawWindowMs: 15 * 60_000, bucketMs: 10_000, downsampledWindowMs: 3_600_000, maxSeriesPerSource: 2000 };

function gauge(name: string, value: number, labels: Labels = []): Sample {
  return { name, labels, value, kind: 'gauge', unit: 'none' };
}

describe('series ids, cached', () => {
  it('give the id seriesId builds, for fresh label arrays with the same content', () => {
    const ids = new SeriesIds();
    const a = ids.get('s', 'endpoint.p95', [['method', 'GET'], ['path', '/x']]);
    assert.equal(a, seriesId('s', 'endpoint.p95', [['method', 'GET'], ['path', '/x']]));
    assert.equal(ids.get('s', 'endpoint.p95', [['method', 'GET'], ['path', '/x']]), a);
    assert.notEqual(ids.get('s', 'endpoint.p95', [['method', 'GET']]), a);
    assert.equal(ids.get('s', 'endpoint.p95', []), 's|endpoint.p95');
    assert.equal(ids.get('t', 'endpoint.p95', []), 't|endpoint.p95');
  });
});

describe('MetricStore: remembered message shapes', () => {
  it('a series removed between two messages of the same shape is created again, not updated in the dark', () => {
    const store = new MetricStore(OPTS);
    store.ingest('a', [gauge('x', 1), gauge('y', 2)], 1000);
    store.ingest('a', [gauge('x', 3), gauge('y', 4)], 2000);
    const later = 2000 + OPTS.downsampledWindowMs + OPTS.bucketMs * 2;
    assert.deepEqual(store.prune(later).sort(), ['a|x', 'a|y']);
    const r = store.ingest('a', [gauge('x', 5), gauge('y', 6)], later);
    assert.equal(r.created, 2);
    assert.equal(store.get('a|x')?.value, 5);
    assert.equal(store.history('a|x')?.raw.size, 1);
  });

  it('alternating shapes and changing labels at the same position land on their own series', () => {
    const store = new MetricStore(OPTS);
    for (let i = 0; i < 6; i++) {
      const t = 1000 * (i + 1);
      if (i % 2 === 0) store.ingest('a', [gauge('p95', i, [['path', i % 4 === 0 ? '/a' : '/b']]), gauge('cpu', i)], t);
      else store.ingest('a', [gauge('heap', i), gauge('cpu', 10 + i), gauge('gc', i)], t);
    }
    assert.equal(store.get('a|p95{path="/a"}')?.value, 4);
    assert.equal(store.get('a|p95{path="/b"}')?.value, 2);
    assert.equal(store.get('a|cpu')?.value, 15);
    assert.equal(store.get('a|heap')?.value, 5);
    assert.equal(store.history('a|cpu')?.raw.size, 6);
  });

  it('the same series twice in one message is listed once and keeps the last value', () => {
    const store = new MetricStore(OPTS);
    const r = store.ingest('a', [gauge('x', 1), gauge('x', 2)], 1000);
    assert.deepEqual(r.changed, ['a|x']);
    assert.equal(store.get('a|x')?.value, 2);
    const again = store.ingest('a', [gauge('x', 3), gauge('x', 4)], 2000);
    assert.deepEqual(again.changed, ['a|x']);
    assert.equal(store.get('a|x')?.value, 4);
  });
});

describe('SeriesHistory: the newest bucket', () => {
  it('reads complete whenever it is read, mid-bucket included', () => {
    const h = new SeriesHistory('gauge', { rawWindowMs: 60_000, bucketMs: 10_000, downsampledWindowMs: 3_600_000 });
    h.add(1000, 5);
    h.add(2000, 1);
    assert.deepEqual([h.buckets.get(B_MIN, 0), h.buckets.get(B_MAX, 0), h.buckets.get(B_SUM, 0), h.buckets.get(B_LAST, 0), h.buckets.get(B_COUNT, 0)], [1, 5, 6, 1, 2]);
    h.add(3000, 9);
    assert.deepEqual(h.bucket(0), { index: 0, min: 1, max: 9, sum: 15, last: 9, count: 3 });
    h.add(12_000, 2);
    assert.equal(h.buckets.size, 2);
    assert.deepEqual(h.bucket(0), { index: 0, min: 1, max: 9, sum: 15, last: 9, count: 3 });
    assert.deepEqual(h.bucket(1), { index: 1, min: 2, max: 2, sum: 2, last: 2, count: 1 });
  });

  it('a restored bucket is continued by live samples in the same interval', () => {
    const h = new SeriesHistory('counter', { rawWindowMs: 60_000, bucketMs: 10_000, downsampledWindowMs: 3_600_000 });
    h.addBucket({ index: 5, min: 10, max: 20, sum: 10, last: 20, count: 2 });
    h.add(55_000, 26);
    assert.deepEqual(h.bucket(0), { index: 5, min: 10, max: 26, sum: 16, last: 26, count: 3 });
  });
});
