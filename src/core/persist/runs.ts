// Series' raw points as candidates for a snapshot of the log, and the cap that fits them into a byte budget.

import type { SeriesHistory } from '../series/history';
import { smallestFitting } from './fit';
import { ENTRY_FIXED, SEGMENT_COUNT_BYTES, SEGMENT_HEADER, SEGMENT_TARGET_BYTES } from './segments';
import type { Entry, PointSource } from './segments';
import { lowerBound as lowerBoundIn } from '../../shared/sorted';

export function ringPoints(ring: SeriesHistory['raw']): PointSource {
  return { time: (i) => ring.get(0, i), value: (i) => ring.get(1, i) };
}

/** A series' raw points as a snapshot candidate. */
export interface Run {
  readonly entry: Entry;
  /** Rows in `entry.points` (entry.start is 0). */
  readonly n: number;
  readonly lowerBound: (t: number) => number;
}

/**
 * The runs' newest points that fit in `maxBytes` of segments: the oldest points go first (one
 * cut-off time for all series), then the least recently updated series.
 */
export function capRuns(runs: readonly Run[], maxBytes: number): Entry[] {
  // Segments but the last hold ≥ SEGMENT_TARGET_BYTES, which bounds the number of headers.
  const budget = maxBytes - (SEGMENT_HEADER + SEGMENT_COUNT_BYTES) * (Math.floor(maxBytes / SEGMENT_TARGET_BYTES) + 1);
  let list = runs.filter((r) => r.n > 0);
  if (list.length === 0 || budget <= 0) return [];
  const fixed = (r: Run): number => ENTRY_FIXED + r.entry.key.byteLength;
  const count = (r: Run, cut: number): number => r.n - r.lowerBound(cut);
  const size = (cut: number, of: readonly Run[]): number => {
    let total = 0;
    for (const r of of) {
      const n = count(r, cut);
      if (n > 0) total += fixed(r) + 16 * n;
    }
    return total;
  };
  let minT = Infinity;
  let maxT = -Infinity;
  for (const r of list) {
    minT = Math.min(minT, r.entry.points.time(0));
    maxT = Math.max(maxT, r.entry.points.time(r.n - 1));
  }
  let cut = smallestFitting(minT, maxT, budget, (x) => size(x, list), false);
  if (cut === undefined) {
    const kept = list.filter((r) => r.entry.points.time(r.n - 1) >= maxT).sort((a, b) => a.entry.at - b.entry.at);
    let total = size(maxT, kept);
    while (kept.length > 0 && total > budget) {
      const gone = kept.shift();
      if (gone !== undefined) total -= fixed(gone) + 16 * count(gone, maxT);
    }
    list = kept;
    cut = maxT;
  }
  const at = cut;
  return list.filter((r) => count(r, at) > 0).map((r) => ({ ...r.entry, start: r.lowerBound(at), end: r.n }));
}

export function arrayRun(entry: Omit<Entry, 'points' | 'start' | 'end'>, t: readonly number[], v: readonly number[]): Run {
  const lowerBound = (key: number): number => lowerBoundIn(t, key);
  return { entry: { ...entry, points: { time: (i) => t[i] ?? NaN, value: (i) => v[i] ?? NaN }, start: 0, end: t.length }, n: t.length, lowerBound };
}
