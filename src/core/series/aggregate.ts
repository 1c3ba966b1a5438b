// Statistics of one series over a trailing window (1m, 5m, 15m, 1h…). Where the window reaches
// past the raw tier, the 10-second buckets stand in (their averages, so p95 is approximate there).

import type { MetricStore } from './store';

export interface Aggregate {
  /** Of the series' values: gauges as sent, counters as per-second rates. Null with no points. */
  readonly avg: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Nearest-rank 95th percentile of the points. */
  readonly p95: number | null;
  /** Counters: per-second increase over the window (resets handled). Gauges: slope per second. Null with < 2 points. */
  readonly rate: number | null;
  /** Points the statistics are computed from. */
  readonly count: number;
}

export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** Least-squares slope of v over t, per second. */
export function slopePerSecond(t: readonly number[], v: readonly number[]): number | null {
  const n = Math.min(t.length, v.length);
  if (n < 2) return null;
  const t0 = t[0] ?? 0;
  let st = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    st += (t[i] ?? 0) - t0;
    sv += v[i] ?? 0;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = (t[i] ?? 0) - t0 - mt;
    num += dt * ((v[i] ?? 0) - mv);
    den += dt * dt;
  }
  return den > 0 ? (num / den) * 1000 : null;
}

/** Per-second increase of a counter over its points; a decrease is a reset counted from 0. */
export function counterIncreaseRate(t: readonly number[], v: readonly number[]): number | null {
  const n = Math.min(t.length, v.length);
  if (n < 2) return null;
  let increase = 0;
  for (let i = 1; i < n; i++) {
    const a = v[i - 1] ?? 0;
    const b = v[i] ?? 0;
    increase += b >= a ? b - a : b;
  }
  const span = (t[n - 1] ?? 0) - (t[0] ?? 0);
  return span > 0 ? increase / (span / 1000) : null;
}

export function aggregate(store: MetricStore, id: string, windowMs: number, now: number): Aggregate | undefined {
  const info = store.get(id);
  if (info === undefined) return undefined;
  const from = now - windowMs;
  const values: number[] = [];
  for (const v of store.points(id, from, now, 'rate').v) if (v !== null && Number.isFinite(v)) values.push(v);

  const raw = store.points(id, from, now, 'raw');
  const rt: number[] = [];
  const rv: number[] = [];
  raw.v.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      rt.push(raw.t[i] ?? 0);
      rv.push(v);
    }
  });
  const rate = info.kind === 'counter' ? counterIncreaseRate(rt, rv) : slopePerSecond(rt, rv);

  if (values.length === 0) return { avg: null, min: null, max: null, p95: null, rate, count: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return { avg: sum / values.length, min, max, p95: percentile(sorted, 0.95), rate, count: values.length };
}
