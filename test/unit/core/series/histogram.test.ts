import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HistogramTracker, histogramQuantile, sumBuckets } from '../../../../src/core/series/histogram';
import type { Buckets } from '../../../../src/core/series/histogram';
import type { HistogramSample, Sample } from '../../../../src/core/model';
import type { Labels } from '../../../../src/shared/views';

const INF = Number.POSITIVE_INFINITY;

/** Cumulative buckets for a list of observations. */
function histogram(observations: readonly number[], bounds: readonly number[], labels: Labels = [], name = 'lat'): HistogramSample {
  const all = [...bounds, INF];
  return {
    name,
    labels,
    unit: 'ms',
    role: 'latency',
    buckets: all.map((le) => [le, observations.filter((o) => o <= le).length] as const),
    sum: observations.reduce((a, b) => a + b, 0),
    count: observations.length,
  };
}

function quantile(samples: readonly Sample[], q: string, labels: Labels = []): Sample | undefined {
  return samples.find((s) => s.labels.some(([k, v]) => k === 'quantile' && v === q) && s.labels.length === labels.length + 1 && labels.every(([k, v]) => s.labels.some(([k2, v2]) => k === k2 && v === v2)));
}

const BOUNDS = [10, 20, 50, 100, 200, 500];

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket like histogram_quantile', () => {
    // 100 observations uniformly spread: 25 in each of (0,10], (10,20], (20,50], (50,100].
    const counts = [25, 50, 75, 100, 100];
    const bounds = [10, 20, 50, 100, INF];
    assert.equal(histogramQuantile(0.5, bounds, counts), 20);
    assert.equal(histogramQuantile(0.1, bounds, counts), 4);
    assert.equal(histogramQuantile(0.6, bounds, counts), 20 + 30 * (10 / 25));
    assert.equal(histogramQuantile(0.95, bounds, counts), 50 + 50 * (20 / 25));
  });

  it('returns the highest finite bound when the quantile is in the +Inf bucket', () => {
    assert.equal(histogramQuantile(0.99, [10, 20, INF], [1, 2, 100]), 20);
    assert.equal(histogramQuantile(0.5, [INF], [10]), undefined);
  });

  it('has no answer without observations', () => {
    assert.equal(histogramQuantile(0.5, [10, INF], [0, 0]), undefined);
    assert.equal(histogramQuantile(0.5, [], []), undefined);
  });
});

describe('HistogramTracker', () => {
  it('reports quantiles, count and sum of a single series, p95 carrying the role', () => {
    const obs = Array.from({ length: 100 }, (_, i) => i + 0.5); // 0.5 … 99.5
    const t = new HistogramTracker();
    const out = t.toSamples('s', [histogram(obs, BOUNDS)]);
    const p50 = quantile(out, '0.5');
    const p95 = quantile(out, '0.95');
    // 50th observation sits in (20,50]: 30 observations there, 30 below 20 → 20 + 30 × (50−20)/30.
    assert.equal(p50?.value, 20 + ((50 - 20) * (50 - 20)) / 30);
    assert.equal(p95?.value, 50 + (50 * (95 - 50)) / 50);
    assert.deepEqual([p95?.role, p95?.unit, p95?.kind, p50?.role], ['latency', 'ms', 'gauge', undefined]);
    assert.deepEqual(p95?.labels, [['quantile', '0.95']]);
    const count = out.find((s) => s.name === 'lat_count');
    const sum = out.find((s) => s.name === 'lat_sum');
    assert.deepEqual([count?.value, count?.kind, count?.unit], [100, 'counter', 'count']);
    assert.deepEqual([sum?.value, sum?.kind, sum?.unit], [obs.reduce((a, b) => a + b, 0), 'counter', 'ms']);
  });

  it('uses only the observations since the previous scrape', () => {
    const t = new HistogramTracker();
    const slow = Array.from({ length: 100 }, () => 150);
    const fast = Array.from({ length: 100 }, () => 5);
    t.toSamples('s', [histogram(slow, BOUNDS)]);
    const out = t.toSamples('s', [histogram([...slow, ...fast], BOUNDS)]);
    // Only the 100 fast ones are new: all in (0,10].
    assert.equal(quantile(out, '0.5')?.value, 5);
    assert.equal(quantile(out, '0.99')?.value, 9.9);
    assert.equal(out.find((s) => s.name === 'lat_count')?.value, 200, 'counters stay cumulative');
  });

  it('emits no quantiles for an interval without observations', () => {
    const t = new HistogramTracker();
    const h = histogram([1, 2, 3], BOUNDS);
    assert.ok(quantile(t.toSamples('s', [h]), '0.5'));
    const again = t.toSamples('s', [h]);
    assert.equal(again.some((s) => s.labels.some(([k]) => k === 'quantile')), false);
    assert.deepEqual(again.map((s) => s.name), ['lat_count', 'lat_sum']);
  });

  it('takes the current counts as the delta after a counter reset', () => {
    const t = new HistogramTracker();
    t.toSamples('s', [histogram(Array.from({ length: 1000 }, () => 5), BOUNDS)]);
    const out = t.toSamples('s', [histogram([300, 300, 300, 300], BOUNDS)]);
    assert.equal(quantile(out, '0.5')?.value, 200 + 300 * 0.5);
  });

  it('returns the highest finite bound when observations exceed every bound', () => {
    const out = new HistogramTracker().toSamples('s', [histogram([10_000, 20_000], BOUNDS)]);
    assert.equal(quantile(out, '0.95')?.value, 500);
  });

  it('aggregates several label sets; only the aggregate p95 carries the role', () => {
    const a = histogram(Array.from({ length: 90 }, () => 5), BOUNDS, [['route', '/a']]);
    const b = histogram(Array.from({ length: 10 }, () => 400), BOUNDS, [['route', '/b']]);
    const out = new HistogramTracker().toSamples('s', [a, b]);
    assert.equal(quantile(out, '0.5', [['route', '/a']])?.value, 5);
    assert.equal(quantile(out, '0.5', [['route', '/b']])?.value, 350);
    const agg95 = quantile(out, '0.95');
    // 95th of 100: 90 ≤ 10, 10 in (200,500] → 200 + 300 × (95−90)/10.
    assert.equal(agg95?.value, 350);
    assert.deepEqual(agg95?.labels, [['quantile', '0.95']]);
    assert.deepEqual(out.filter((s) => s.role !== undefined).map((s) => [s.labels, s.role]), [[[['quantile', '0.95']], 'latency']]);
  });

  it('sorts labels, keeps sources apart, forgets a source and bounds memory', () => {
    const t = new HistogramTracker(10);
    const h = histogram([1], BOUNDS, [['z', '1'], ['a', '2']]);
    const out = t.toSamples('one', [h]);
    assert.deepEqual(quantile(out, '0.5', h.labels)?.labels, [['a', '2'], ['quantile', '0.5'], ['z', '1']]);
    assert.deepEqual(out.find((s) => s.name === 'lat_count')?.labels, [['a', '2'], ['z', '1']]);
    assert.ok(quantile(t.toSamples('two', [h]), '0.5', h.labels), 'another source starts from scratch');
    assert.equal(t.size, 2);
    t.forget('one');
    assert.equal(t.size, 1);
    assert.ok(quantile(t.toSamples('one', [h]), '0.5', h.labels), 'forgotten: counts are new again');
    for (let i = 0; i < 50; i++) t.toSamples(`src${i}`, [h]);
    assert.equal(t.size, 10);
  });

  it('tolerates malformed buckets', () => {
    const bad: HistogramSample = {
      name: 'x',
      labels: [],
      unit: 'seconds',
      buckets: [[Number.NaN, 1], [1, Number.NaN], [2, 5], [1, 3], [5, 4]],
      sum: Number.NaN,
      count: 5,
    };
    const out = new HistogramTracker().toSamples('s', [bad]);
    for (const s of out) assert.ok(Number.isFinite(s.value));
    assert.equal(out.some((s) => s.name === 'x_sum'), false);
    // Left after cleaning: le 1 → 3, le 2 → 5, le 5 → 5 (made monotone), +Inf → 5.
    assert.equal(quantile(out, '0.5')?.value, 2.5 / 3);
    assert.equal(quantile(out, '0.95')?.value, 1 + (4.75 - 3) / 2);
  });
});

/** `values` as an array that counts how often its elements are read. */
function counted(values: readonly number[], reads: { n: number }): number[] {
  return new Proxy([...values], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.n++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

describe('sumBuckets', () => {
  it('sums cumulative buckets over the union of bounds; a missing bound counts at the nearest one below', () => {
    const a: Buckets = { bounds: [10, 50, INF], counts: [2, 5, 6] };
    const b: Buckets = { bounds: [20, 50, 100, INF], counts: [1, 4, 4, 9] };
    const c: Buckets = { bounds: [5, INF], counts: [3, 3] };
    assert.deepEqual(sumBuckets([a, b, c]), { bounds: [5, 10, 20, 50, 100, INF], counts: [3, 5, 6, 12, 12, 18] });
    assert.deepEqual(sumBuckets([a]), a);
    assert.deepEqual(sumBuckets([]), { bounds: [], counts: [] });
  });

  it('matches a direct per-bound sum on random series', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const series: Buckets[] = [];
      for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) {
        const bounds = [...new Set(Array.from({ length: Math.floor(rand() * 6) }, () => Math.floor(rand() * 20)))].sort((x, y) => x - y);
        bounds.push(INF);
        let running = 0;
        series.push({ bounds, counts: bounds.map(() => (running += Math.floor(rand() * 5))) });
      }
      const union = [...new Set(series.flatMap((s) => s.bounds))].sort((x, y) => x - y);
      const direct = union.map((u) =>
        series.reduce((sum, s) => {
          let j = -1;
          while (j + 1 < s.bounds.length && (s.bounds[j + 1] ?? INF) <= u) j++;
          return sum + (j >= 0 ? (s.counts[j] ?? 0) : 0);
        }, 0),
      );
      assert.deepEqual(sumBuckets(series), { bounds: union, counts: direct }, `round ${round}`);
    }
  });

  it('reads each point a bounded number of times: linear in the points, not series × union of bounds', () => {
    // 2,000 label groups of one family, each with its own 5 bounds plus +Inf (an attacker's scrape).
    const reads = { n: 0 };
    const series: Buckets[] = [];
    let points = 0;
    for (let k = 0; k < 2000; k++) {
      const bounds = [1, 2, 3, 4, 5].map((i) => k * 10 + i).concat(INF);
      series.push({ bounds: counted(bounds, reads), counts: counted([1, 2, 3, 4, 5, 6], reads) });
      points += bounds.length;
    }
    const summed = sumBuckets(series);
    assert.equal(summed.bounds.length, 2000 * 5 + 1);
    assert.equal(summed.counts.at(-1), 2000 * 6);
    assert.equal(summed.counts[4], 5, 'the first group alone up to its last finite bound');
    assert.ok(reads.n <= 4 * points, `${reads.n} element reads for ${points} points`);
  });
});
