// Pixel-bound chart data: M4 decimation keeps every column's first, last, lowest and highest point per
// line (spikes survive), at most four values per line per pixel column, x sorted, gaps kept as gaps, the
// data untouched when it has no more points than pixels; and the nearest-point lookup the legend uses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Aligned } from '../../../webview/charts/chartData';
import { decimate, nearestIndex } from '../../../webview/charts/decimate';
import { lowerBound } from '../../../src/shared/sorted';

/** A deterministic random walk (LCG), with an occasional null when `gaps`. */
function walk(seed: number, n: number, gaps = false): (number | null)[] {
  let s = seed;
  let v = 100;
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v += (s / 2147483648 - 0.5) * 10;
    out.push(gaps && s % 37 === 0 ? null : Math.round(v * 100) / 100);
  }
  return out;
}

function times(n: number, start = 0, step = 1000): number[] {
  return Array.from({ length: n }, (_, i) => start + i * step);
}

/** The column of x for a decimation of [min, max] on `columns`. */
const columnOf = (x: number, min: number, max: number, columns: number) => Math.floor(x / ((max - min) / columns));

/** Per column (within [min, max]): the indices of the points, in x order. */
function byColumn(d: Aligned, min: number, max: number, columns: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  d[0].forEach((x, i) => {
    if (x < min || x > max) return;
    const c = columnOf(x, min, max, columns);
    const list = out.get(c) ?? [];
    list.push(i);
    out.set(c, list);
  });
  return out;
}

/** The checks every decimation must pass, against the full data. */
function checkDecimation(full: Aligned, min: number, max: number, columns: number): Aligned {
  const d = decimate(full, min, max, columns);
  const [x, ...ys] = d;
  const [fx, ...fys] = full;
  assert.equal(ys.length, fys.length, 'one array per line');
  for (const y of ys) assert.equal(y.length, x.length, 'lines as long as x');
  for (let i = 1; i < x.length; i++) assert.ok((x[i] ?? 0) > (x[i - 1] ?? 0), 'x strictly ascending');
  // Every kept point is a real one: same x, same values.
  const at = new Map(fx.map((t, i) => [t, i]));
  x.forEach((t, k) => {
    const i = at.get(t);
    assert.ok(i !== undefined, `x ${t} is in the data`);
    ys.forEach((y, j) => assert.equal(y[k], fys[j]?.[i] ?? null, `line ${j} at ${t}`));
  });
  const full0 = byColumn(full, min, max, columns);
  const kept0 = byColumn(d, min, max, columns);
  fys.forEach((fy, j) => {
    const y = ys[j] ?? [];
    for (const [c, idx] of full0) {
      const vals = idx.map((i) => ({ t: fx[i] ?? 0, v: fy[i] ?? null })).filter((p) => p.v !== null) as { t: number; v: number }[];
      const keptIdx = kept0.get(c) ?? [];
      const kept = keptIdx.map((k) => ({ t: x[k] ?? 0, v: y[k] ?? null }));
      const keptValues = kept.filter((p) => p.v !== null);
      if (d !== full) assert.ok(keptValues.length <= 4 * fys.length, `column ${c}: at most 4 points per line`);
      if (fys.length === 1 && d !== full) assert.ok(keptValues.length <= 4, `column ${c}: ≤ 4 values`);
      if (vals.length === 0) {
        if (idx.some((i) => fy[i] === null)) assert.ok(kept.some((p) => p.v === null), `column ${c}: an all-null column stays a gap`);
        continue;
      }
      const lowest = Math.min(...vals.map((p) => p.v));
      const highest = Math.max(...vals.map((p) => p.v));
      assert.ok(keptValues.some((p) => p.v === lowest), `column ${c} line ${j}: minimum kept`);
      assert.ok(keptValues.some((p) => p.v === highest), `column ${c} line ${j}: maximum kept`);
      assert.ok(kept.some((p) => p.t === vals[0]?.t), `column ${c} line ${j}: first kept`);
      assert.ok(kept.some((p) => p.t === vals[vals.length - 1]?.t), `column ${c} line ${j}: last kept`);
    }
    // A gap between two kept values in different columns is still a gap.
    const nn = y.map((v, k) => (v === null ? -1 : k)).filter((k) => k >= 0);
    for (let a = 1; a < nn.length; a++) {
      const p = nn[a - 1] ?? 0;
      const q = nn[a] ?? 0;
      const tp = x[p] ?? 0;
      const tq = x[q] ?? 0;
      if (columnOf(tp, min, max, columns) === columnOf(tq, min, max, columns)) continue;
      const gapInFull = fx.some((t, i) => t > tp && t < tq && fy[i] === null);
      const gapKept = y.slice(p + 1, q).some((v) => v === null);
      assert.equal(gapKept, gapInFull, `gap between ${tp} and ${tq}`);
    }
  });
  return d;
}

describe('chart decimation (M4)', () => {
  it('keeps a one-sample spike and the first and last points', () => {
    const n = 3600;
    const t = times(n);
    const v: (number | null)[] = t.map(() => 10);
    v[1234] = 9_999;
    v[2345] = -50;
    const full: Aligned = [t, v];
    const d = checkDecimation(full, 0, t[n - 1] ?? 0, 100);
    assert.ok(d[0].length <= 100 * 4, 'at most 4 points per column');
    assert.ok(d[0].length < n / 5, `decimated: ${d[0].length} of ${n}`);
    assert.ok(d[1]?.includes(9_999), 'spike up kept');
    assert.ok(d[1]?.includes(-50), 'spike down kept');
    assert.equal(d[0][0], t[0]);
    assert.equal(d[0].at(-1), t.at(-1));
  });

  it('returns the data itself when it has no more points than columns', () => {
    const full: Aligned = [times(50), walk(3, 50)];
    assert.equal(decimate(full, 0, 49_000, 50), full);
    assert.equal(decimate(full, 0, 49_000, 500), full);
    // Only the points inside the range count: 60 points, 40 of them shown on 40 columns.
    const longer: Aligned = [times(60), walk(4, 60)];
    assert.equal(decimate(longer, 10_000, 49_000, 40), longer);
  });

  it('leaves unusable ranges alone', () => {
    const full: Aligned = [times(500), walk(5, 500)];
    for (const [min, max, cols] of [[NaN, 1, 10], [5, 5, 10], [9, 1, 10], [0, 500_000, 0], [0, 500_000, NaN]] as const) {
      assert.equal(decimate(full, min, max, cols), full, `${min}..${max} on ${cols}`);
    }
  });

  it('holds for random walks, with gaps, several lines and ranges inside the data', () => {
    const cases: Array<{ n: number; lines: number; gaps: boolean; min: number; max: number; columns: number }> = [
      { n: 3600, lines: 1, gaps: false, min: 0, max: 3_599_000, columns: 500 },
      { n: 3600, lines: 1, gaps: true, min: 0, max: 3_599_000, columns: 300 },
      { n: 3600, lines: 1, gaps: true, min: 600_000, max: 1_800_000, columns: 77 },
      { n: 2000, lines: 3, gaps: true, min: 0, max: 1_999_000, columns: 120 },
      { n: 5000, lines: 2, gaps: false, min: 123_456, max: 4_000_000, columns: 1 },
      { n: 1000, lines: 1, gaps: true, min: -50_000, max: 2_000_000, columns: 9 },
    ];
    for (const [k, c] of cases.entries()) {
      const full: Aligned = [times(c.n), ...Array.from({ length: c.lines }, (_, j) => walk(11 * k + j + 1, c.n, c.gaps))];
      const d = checkDecimation(full, c.min, c.max, c.columns);
      assert.notEqual(d, full, `case ${k} decimated`);
    }
  });

  it('keeps one point on each side of the range so lines reach the edges, and drops the rest outside', () => {
    const t = times(3000);
    const full: Aligned = [t, walk(9, 3000)];
    const d = decimate(full, 1_000_500, 2_000_500, 50);
    assert.equal(d[0][0], 1_000_000, 'the point just before the range');
    assert.equal(d[0].at(-1), 2_001_000, 'the point just after the range');
    assert.equal(d[0].filter((x) => x < 1_000_500).length, 1);
    assert.equal(d[0].filter((x) => x > 2_000_500).length, 1);
  });

  it('picks the same points for a window that slides by less than a column', () => {
    const t = times(3600);
    const full: Aligned = [t, walk(21, 3600)];
    const a = decimate(full, 0, 3_600_000, 360);
    const b = decimate(full, 100, 3_600_100, 360);
    // Columns are aligned in absolute time: only the edge columns may differ.
    const inner = (d: Aligned) => d[0].filter((x) => x >= 20_000 && x < 3_580_000);
    assert.deepEqual(inner(b), inner(a));
  });
});

describe('nearest point (the legend reads the full data)', () => {
  it('finds the nearest x, the earlier on a tie, and clamps to the ends', () => {
    const x = [10, 20, 30, 40];
    assert.equal(nearestIndex(x, 24), 1);
    assert.equal(nearestIndex(x, 26), 2);
    assert.equal(nearestIndex(x, 25), 1);
    assert.equal(nearestIndex(x, -5), 0);
    assert.equal(nearestIndex(x, 99), 3);
    assert.equal(nearestIndex(x, 30), 2);
    assert.equal(nearestIndex([], 3), null);
    assert.equal(nearestIndex(x, NaN), null);
    assert.equal(lowerBound(x, 30), 2);
    assert.equal(lowerBound(x, 31), 3);
    assert.equal(lowerBound(x, 100), 4);
  });

  it('reads a real nearest value where the decimated data would show another point of the column', () => {
    // 100 points in one column: the decimated data keeps 4 of them; hovering at 50 s the nearest real
    // point is the 50th, which decimation dropped.
    const t = times(100);
    const v = t.map((_, i) => (i === 0 ? 0 : i === 99 ? 1 : i === 10 ? -100 : i === 90 ? 100 : i));
    const full: Aligned = [t, v];
    const d = decimate(full, 0, 99_000, 1);
    assert.ok(!d[0].includes(50_000), 'the 50th point is not drawn');
    const fromDecimated = nearestIndex(d[0], 50_000);
    const fromFull = nearestIndex(full[0], 50_000);
    assert.notEqual(d[1]?.[fromDecimated ?? -1], 50, 'the decimated arrays would name another value');
    assert.equal(full[1]?.[fromFull ?? -1], 50, 'the full data names the real one');
  });
});
