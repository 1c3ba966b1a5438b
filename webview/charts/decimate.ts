// Pixel-bound chart data (M4): per pixel column of the visible x range, each line keeps its first, last,
// lowest and highest point, so a chart draws a few points per pixel whatever its buffer holds and spikes
// survive. Pure (no DOM, no uPlot), so it is tested in plain Node.

import { lowerBound } from '../../src/shared/sorted';
import type { Aligned } from './chartData';

/** The index of the x nearest to t (the earlier one on a tie); null for no points. */
export function nearestIndex(x: readonly number[], t: number): number | null {
  if (x.length === 0 || !Number.isFinite(t)) return null;
  const i = lowerBound(x, t);
  if (i === 0) return 0;
  if (i === x.length) return x.length - 1;
  return t - (x[i - 1] ?? 0) <= (x[i] ?? 0) - t ? i - 1 : i;
}

/** Marks in `keep` one line's M4 points per column over indices [from, to). */
function markLine(y: readonly (number | null)[], column: Float64Array, from: number, to: number, keep: Uint8Array): void {
  let col = NaN;
  let first = -1;
  let last = -1;
  let lowAt = -1;
  let highAt = -1;
  let low = 0;
  let high = 0;
  let firstNull = -1;
  let nullRun = -1;
  for (let i = from; i <= to; i++) {
    const c = i < to ? (column[i - from] as number) : NaN;
    if (c !== col) {
      // The column ended: keep its points.
      if (first >= 0) {
        keep[first] = 1;
        keep[last] = 1;
        keep[lowAt] = 1;
        keep[highAt] = 1;
      }
      if (firstNull >= 0) keep[firstNull] = 1;
      if (nullRun >= 0) keep[nullRun] = 1;
      if (i === to) return;
      col = c;
      first = last = lowAt = highAt = firstNull = nullRun = -1;
    }
    const v = y[i];
    if (v == null) {
      if (firstNull < 0) firstNull = i;
      if (nullRun < 0) nullRun = i;
      continue;
    }
    nullRun = -1;
    if (first < 0) {
      first = lowAt = highAt = i;
      low = high = v;
    } else if (v < low) {
      low = v;
      lowAt = i;
    } else if (v > high) {
      high = v;
      highAt = i;
    }
    last = i;
  }
}

/**
 * The points of `data` to draw for the x range [min, max] on `columns` pixel columns. Columns are `width`
 * = (max − min) / columns wide and aligned to multiples of that width in absolute x, so a live window
 * sliding by less than a column picks the same points. Per column and line it keeps the first and last
 * non-null points, the lowest and highest, the first null and the start of a trailing null run (a gap
 * stays a gap); one point on each side of the range is kept so lines reach the edges. Returns `data`
 * itself (no copy) when the range holds no more points than columns or the arguments are unusable.
 */
export function decimate(data: Aligned, min: number, max: number, columns: number): Aligned {
  const x = data[0];
  const cols = Math.floor(columns);
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min || !(cols >= 1)) return data;
  const from = lowerBound(x, min);
  let to = lowerBound(x, max);
  if (x[to] === max) to++;
  if (to - from <= cols) return data;
  const width = (max - min) / cols;
  const ys = data.slice(1) as (number | null)[][];
  const keep = new Uint8Array(x.length);
  if (from > 0) keep[from - 1] = 1;
  if (to < x.length) keep[to] = 1;
  // Each point's column, once for every line.
  const column = new Float64Array(to - from);
  for (let i = from; i < to; i++) column[i - from] = Math.floor((x[i] as number) / width);
  for (const y of ys) markLine(y, column, from, to, keep);
  const outX: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) outX.push(x[i] as number);
  const outY = ys.map((y) => {
    const out: (number | null)[] = [];
    for (let i = 0; i < keep.length; i++) if (keep[i]) out.push(y[i] ?? null);
    return out;
  });
  return [outX, ...outY];
}
