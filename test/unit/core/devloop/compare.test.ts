import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareAround, compareWindows } from '../../../../src/core/devloop/compare';
import type { CompareKey, PointsProvider } from '../../../../src/core/devloop/compare';
import { regressionNotice, isNoticeActive } from '../../../../src/core/devloop/regression';

// A fixed, noisy before-window around 50 (spread ±8).
const noisy = [42, 58, 47, 55, 50, 44, 56, 49, 53, 46, 51, 57, 43, 52, 48];
const shift = (xs: readonly number[], by: number) => xs.map((x) => x + by);

describe('compareWindows', () => {
  it('does not flag a small shift inside a noisy before-window', () => {
    const r = compareWindows(noisy, shift(noisy, 6), { higherIsWorse: true });
    assert.equal(r.enoughData, true);
    assert.equal(r.beforeMedian, 50);
    assert.equal(r.afterMedian, 56);
    assert.equal(r.regressed, false);
    assert.equal(r.improved, false);
    assert.ok(r.noise > 4, `noise ${r.noise}`);
  });

  it('flags a clear shift as a regression, with the percentage', () => {
    const r = compareWindows(noisy, shift(noisy, 40), { higherIsWorse: true });
    assert.equal(r.regressed, true);
    assert.equal(r.improved, false);
    assert.equal(r.deltaPct, 80);
  });

  it('judges against the noise, not a fixed percentage: +10 % on a quiet series is a regression', () => {
    const quiet = [100, 100.2, 99.9, 100.1, 99.8, 100, 100.1];
    const r = compareWindows(quiet, shift(quiet, 10), { higherIsWorse: true, floor: 1 });
    assert.equal(r.regressed, true);
    const loud = compareWindows(shift(noisy, 50), shift(noisy, 60), { higherIsWorse: true, floor: 1 });
    assert.equal(loud.regressed, false, '+10 % inside ±8 noise is not');
  });

  it('calls a move in the good direction an improvement', () => {
    const r = compareWindows(noisy, shift(noisy, -40), { higherIsWorse: true });
    assert.equal(r.improved, true);
    assert.equal(r.regressed, false);
    const rate = compareWindows(noisy, shift(noisy, -40), { higherIsWorse: false });
    assert.equal(rate.regressed, true, 'a request rate falling is worse');
  });

  it('uses the absolute floor on a flat before-window', () => {
    const flat = [45, 45, 45, 45, 45, 45];
    assert.equal(compareWindows(flat, [46, 46, 46, 46, 46], { higherIsWorse: true, floor: 2 }).regressed, false);
    assert.equal(compareWindows(flat, [50, 50, 50, 50, 50], { higherIsWorse: true, floor: 2 }).regressed, true);
  });

  it('gives no verdict without enough data', () => {
    const r = compareWindows([1, 2, 3], [100, 200, 300], { higherIsWorse: true });
    assert.equal(r.enoughData, false);
    assert.equal(r.regressed, false);
    assert.equal(r.afterMedian, 200);
    const empty = compareWindows([], [], { higherIsWorse: true, minSamples: 1 });
    assert.equal(empty.beforeMedian, null);
    assert.equal(empty.deltaPct, null);
    assert.equal(compareWindows([1, 2, 3], [100, 200, 300], { higherIsWorse: true, minSamples: 3 }).enoughData, true);
  });

  it('ignores non-finite values and has no percentage from a zero median', () => {
    const r = compareWindows([0, 0, 0, Number.NaN, 0, 0], [3, 3, 3, 3, 3, Infinity], { higherIsWorse: true, floor: 0.5 });
    assert.equal(r.beforeMedian, 0);
    assert.equal(r.afterMedian, 3);
    assert.equal(r.deltaPct, null);
    assert.equal(r.regressed, true);
  });
});

describe('compareAround', () => {
  const at = 100_000;
  const series = new Map<string, { t: number[]; v: (number | null)[] }>([
    ['p95', { t: [], v: [] }],
    ['rps', { t: [], v: [] }],
  ]);
  for (let i = 0; i < 60; i++) {
    const t = at - 30_000 + i * 1000;
    const after = t >= at;
    series.get('p95')?.t.push(t);
    series.get('p95')?.v.push((after ? 62 : 45) + (i % 3) - 1);
    series.get('rps')?.t.push(t);
    series.get('rps')?.v.push(i % 7 === 0 ? null : 40 + (i % 5));
  }
  const points: PointsProvider = (id, from, to) => {
    const s = series.get(id);
    if (!s) return [];
    return s.v.filter((_, i) => (s.t[i] ?? 0) >= from && (s.t[i] ?? 0) < to);
  };
  const keys: CompareKey[] = [
    { id: 'p95', label: 'p95 latency', short: 'p95', unit: 'ms', higherIsWorse: true },
    { id: 'rps', label: 'request rate', unit: 'per_second', higherIsWorse: false },
    { id: 'missing', label: 'heap', unit: 'bytes', higherIsWorse: true },
  ];

  it('builds one row per key from the windows on either side', () => {
    const rows = compareAround(points, keys, at, 30_000);
    assert.deepEqual(rows.map((r) => r.id), ['p95', 'rps', 'missing']);
    const [p95, rps, heap] = rows;
    assert.equal(p95?.beforeMedian, 45);
    assert.equal(p95?.afterMedian, 62);
    assert.equal(p95?.regressed, true);
    assert.equal(rps?.regressed, false);
    assert.equal(rps?.enoughData, true);
    assert.equal(heap?.enoughData, false);
    assert.equal(rps?.short, 'request rate');
  });

  it('makes a short status-bar notice for the worst regression, which expires', () => {
    const rows = compareAround(points, keys, at, 30_000);
    const notice = regressionNotice(rows, 1000);
    assert.equal(notice?.text, 'p95 +38 % since save');
    assert.equal(notice?.seriesId, 'p95');
    assert.equal(notice?.expiresAt, 61_000);
    assert.match(notice?.tooltip ?? '', /p95 latency: 45 ms → 62 ms/);
    assert.equal(isNoticeActive(notice, 60_999), true);
    assert.equal(isNoticeActive(notice, 61_000), false);
    assert.equal(regressionNotice(rows.filter((r) => !r.regressed), 0), undefined);
  });
});
