// Before/after comparison around a dev-loop event (a save, a restart, a commit).
//
// The statistic: each window is summarised by its median. The noise of the series is estimated from the
// before-window alone, robustly, as σ̂ = 1.4826 × MAD (median absolute deviation; the factor makes it
// estimate the standard deviation for normal data while ignoring outliers such as one slow request).
// A change counts (regressed / improved) only when |after median − before median| > k·σ̂ + floor,
// i.e. when the after-window's typical value lies outside the band the before-window normally wanders in.
// k defaults to 3; `floor` is a small absolute amount in the series' unit, so that a perfectly flat
// before-window (σ̂ = 0) does not turn a 1 ms wobble into a regression. No fixed percentage is involved.

import type { Unit } from '../../shared/vocabulary';

export interface CompareOptions {
  readonly higherIsWorse: boolean;
  /** Fewest finite values each window needs before a verdict is given. Default 5. */
  readonly minSamples?: number;
  /** Multiple of the before-window's noise a change must exceed. Default 3. */
  readonly k?: number;
  /** Absolute amount (in the series' unit) a change must exceed on top of the noise. Default 0. */
  readonly floor?: number;
}

export interface Comparison {
  readonly beforeMedian: number | null;
  readonly afterMedian: number | null;
  /** Relative change of the medians in percent; null when it is undefined (no data, or a zero before-median). */
  readonly deltaPct: number | null;
  /** after median − before median (null without data). */
  readonly delta: number | null;
  readonly regressed: boolean;
  readonly improved: boolean;
  /** σ̂ of the before-window (1.4826 × MAD), in the series' unit. */
  readonly noise: number;
  /** The change a verdict needs: k·noise + floor. */
  readonly threshold: number;
  readonly enoughData: boolean;
}

const MAD_TO_SIGMA = 1.4826;

export function compareWindows(before: readonly number[], after: readonly number[], opts: CompareOptions): Comparison {
  const b = finiteSorted(before);
  const a = finiteSorted(after);
  const minSamples = Math.max(1, opts.minSamples ?? 5);
  const k = opts.k ?? 3;
  const floor = Math.max(0, opts.floor ?? 0);
  const beforeMedian = b.length > 0 ? medianOfSorted(b) : null;
  const afterMedian = a.length > 0 ? medianOfSorted(a) : null;
  const noise = beforeMedian === null ? 0 : MAD_TO_SIGMA * medianOfSorted(finiteSorted(b.map((v) => Math.abs(v - beforeMedian))));
  const threshold = k * noise + floor;
  const delta = beforeMedian !== null && afterMedian !== null ? afterMedian - beforeMedian : null;
  const deltaPct = delta !== null && beforeMedian !== null && beforeMedian !== 0 ? (delta / Math.abs(beforeMedian)) * 100 : null;
  const enoughData = b.length >= minSamples && a.length >= minSamples;
  const beyond = enoughData && delta !== null && Math.abs(delta) > threshold;
  const worse = delta !== null && (opts.higherIsWorse ? delta > 0 : delta < 0);
  return {
    beforeMedian,
    afterMedian,
    delta,
    deltaPct,
    regressed: beyond && worse,
    improved: beyond && !worse,
    noise,
    threshold,
    enoughData,
  };
}

export interface CompareKey {
  /** Series id the points provider understands. */
  readonly id: string;
  /** e.g. "p95 latency" */
  readonly label: string;
  /** For the status bar, e.g. "p95"; defaults to label. */
  readonly short?: string;
  readonly unit: Unit;
  readonly higherIsWorse: boolean;
  /** Overrides the default absolute floor for the unit. */
  readonly floor?: number;
}

export interface CompareRow extends Comparison {
  readonly id: string;
  readonly label: string;
  readonly short: string;
  readonly unit: Unit;
  readonly higherIsWorse: boolean;
}

/** Values of a series with from ≤ t < to (nulls and gaps allowed; they are ignored). */
export type PointsProvider = (seriesId: string, from: number, to: number) => readonly (number | null)[];

export interface CompareAroundOptions {
  readonly minSamples?: number;
  readonly k?: number;
}

/**
 * One row per key: the window of `windowMs` before `at` against the window of `windowMs` from `at` on
 * (or what exists of it so far).
 */
export function compareAround(
  points: PointsProvider,
  keys: readonly CompareKey[],
  at: number,
  windowMs: number,
  options: CompareAroundOptions = {},
): CompareRow[] {
  return keys.map((key) => {
    const before = finiteValues(points(key.id, at - windowMs, at));
    const after = finiteValues(points(key.id, at, at + windowMs));
    const comparison = compareWindows(before, after, {
      higherIsWorse: key.higherIsWorse,
      floor: key.floor ?? defaultFloor(key.unit),
      ...(options.minSamples !== undefined ? { minSamples: options.minSamples } : {}),
      ...(options.k !== undefined ? { k: options.k } : {}),
    });
    return { ...comparison, id: key.id, label: key.label, short: key.short ?? key.label, unit: key.unit, higherIsWorse: key.higherIsWorse };
  });
}

/** Smallest change worth reporting per unit, whatever the noise: below these a dev won't care. */
export function defaultFloor(unit: Unit): number {
  switch (unit) {
    case 'ms':
      return 1;
    case 'seconds':
      return 0.001;
    case 'percent':
      return 0.5; // percentage points
    case 'ratio':
      return 0.005;
    case 'per_second':
      return 0.5;
    case 'bytes':
      return 1024 * 1024;
    case 'count':
      return 1;
    case 'none':
      return 0;
  }
}

function finiteValues(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

function finiteSorted(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((x, y) => x - y);
}

function medianOfSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = Math.floor(n / 2);
  const hi = sorted[mid] ?? 0;
  return n % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}
