// Cumulative Prometheus histograms → quantile samples over the interval since the previous scrape.
import { seriesKey, sortLabels } from '../model';
import type { HistogramSample, Sample } from '../model';
import type { Labels } from '../../shared/views';

export const QUANTILES = [0.5, 0.95, 0.99] as const;
/** The quantile that carries the histogram's role (e.g. latency means p95). */
const ROLE_QUANTILE = 0.95;
const DEFAULT_MAX_KEYS = 5000;

interface Entry {
  readonly sourceId: string;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

export interface Buckets {
  readonly bounds: number[];
  readonly counts: number[];
}

/**
 * Like PromQL's histogram_quantile: the bucket holding the q-th observation, linearly interpolated
 * within it (from 0 for the first bucket when its bound is positive). In the +Inf bucket the answer
 * is the highest finite bound. `counts` are cumulative and end with the total; undefined when empty.
 */
export function histogramQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number | undefined {
  const n = Math.min(bounds.length, counts.length);
  const total = counts[n - 1];
  if (n === 0 || total === undefined || !(total > 0) || !(q >= 0 && q <= 1)) return undefined;
  const rank = q * total;
  let i = 0;
  while (i < n - 1 && (counts[i] ?? 0) < rank) i++;
  const upper = bounds[i] ?? Number.NaN;
  if (upper === Number.POSITIVE_INFINITY) {
    const highest = i > 0 ? bounds[i - 1] : undefined;
    return highest !== undefined && Number.isFinite(highest) ? highest : undefined;
  }
  const first = bounds[0] ?? 0;
  const lower = i === 0 ? (first > 0 ? 0 : first) : (bounds[i - 1] ?? 0);
  const below = i === 0 ? 0 : (counts[i - 1] ?? 0);
  const inBucket = (counts[i] ?? 0) - below;
  if (!(inBucket > 0)) return upper;
  return lower + ((upper - lower) * (rank - below)) / inBucket;
}

/** Valid buckets only, ascending, counts made monotone, ending with +Inf. */
function clean(h: HistogramSample): Buckets {
  const pairs = h.buckets.filter(([le, c]) => !Number.isNaN(le) && Number.isFinite(c) && c >= 0);
  pairs.sort((a, b) => a[0] - b[0]);
  const bounds: number[] = [];
  const counts: number[] = [];
  let running = 0;
  for (const [le, c] of pairs) {
    running = Math.max(running, c);
    if (bounds.length > 0 && bounds[bounds.length - 1] === le) counts[counts.length - 1] = running;
    else {
      bounds.push(le);
      counts.push(running);
    }
  }
  if (bounds[bounds.length - 1] !== Number.POSITIVE_INFINITY) {
    bounds.push(Number.POSITIVE_INFINITY);
    counts.push(Math.max(running, Number.isFinite(h.count) ? h.count : 0));
  }
  return { bounds, counts };
}

/**
 * Sum of several series' cumulative buckets over the union of their bounds; a series without a given
 * bound contributes its count at the nearest bound below it. One sweep over all points in bound
 * order: O(P log P) for P points in all, whatever the number of series (a family of 40k label
 * groups with different bounds each must not cost 40k × the union).
 */
export function sumBuckets(series: readonly Buckets[]): Buckets {
  let total = 0;
  for (const s of series) total += Math.min(s.bounds.length, s.counts.length);
  // Every point as (bound, series, count), in bound order.
  const bound = new Float64Array(total);
  const owner = new Uint32Array(total);
  const count = new Float64Array(total);
  let p = 0;
  for (let k = 0; k < series.length; k++) {
    const s = series[k];
    if (s === undefined) continue;
    const n = Math.min(s.bounds.length, s.counts.length);
    for (let i = 0; i < n; i++, p++) {
      bound[p] = s.bounds[i] ?? Number.NaN;
      owner[p] = k;
      count[p] = s.counts[i] ?? 0;
    }
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => (bound[a] ?? 0) - (bound[b] ?? 0) || a - b);
  const current = new Float64Array(series.length);
  const bounds: number[] = [];
  const counts: number[] = [];
  let sum = 0;
  for (let i = 0; i < total; i++) {
    const at = order[i] ?? 0;
    const k = owner[at] ?? 0;
    const c = count[at] ?? 0;
    sum += c - (current[k] ?? 0);
    current[k] = c;
    const b = bound[at] ?? Number.NaN;
    if (bounds.length > 0 && bounds[bounds.length - 1] === b) counts[counts.length - 1] = sum;
    else {
      bounds.push(b);
      counts.push(sum);
    }
  }
  return { bounds, counts };
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export class HistogramTracker {
  /** Last cumulative counts per tracked series; Map order is least recently seen first. */
  private readonly last = new Map<string, Entry>();

  constructor(private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  /** Tracked series, for tests and diagnostics. */
  get size(): number {
    return this.last.size;
  }

  toSamples(sourceId: string, histograms: readonly HistogramSample[]): Sample[] {
    const out: Sample[] = [];
    const byName = new Map<string, Array<{ h: HistogramSample; buckets: Buckets }>>();
    for (const h of histograms) {
      const buckets = clean(h);
      const group = byName.get(h.name);
      if (group) group.push({ h, buckets });
      else byName.set(h.name, [{ h, buckets }]);
    }
    for (const [name, group] of byName) {
      const sole = group.length === 1;
      for (const { h, buckets } of group) {
        const labels = sortLabels(h.labels);
        const delta = this.delta(`${sourceId}\u0000${seriesKey(name, labels)}`, sourceId, buckets);
        this.quantiles(out, h, labels, delta, sole);
        push(out, { name: `${name}_count`, labels, value: h.count, kind: 'counter', unit: 'count' });
        push(out, { name: `${name}_sum`, labels, value: h.sum, kind: 'counter', unit: h.unit });
      }
      const first = group[0];
      if (!sole && first !== undefined) {
        const summed = sumBuckets(group.map((g) => g.buckets));
        const delta = this.delta(`${sourceId}\u0000\u0001${name}`, sourceId, summed);
        this.quantiles(out, first.h, [], delta, true);
      }
    }
    return out;
  }

  /** Drops everything remembered for a source (it was removed or reset). */
  forget(sourceId: string): void {
    for (const [key, entry] of this.last) if (entry.sourceId === sourceId) this.last.delete(key);
  }

  /** Counts since the previous call for this key; the current counts on first sight or a reset. */
  private delta(key: string, sourceId: string, cur: Buckets): Buckets {
    const prev = this.last.get(key);
    this.last.delete(key);
    this.last.set(key, { sourceId, bounds: cur.bounds, counts: cur.counts });
    while (this.last.size > this.maxKeys) {
      const oldest = this.last.keys().next();
      if (oldest.done === true) break;
      this.last.delete(oldest.value);
    }
    if (prev === undefined || !sameBounds(prev.bounds, cur.bounds)) return cur;
    const counts = cur.counts.map((c, i) => c - (prev.counts[i] ?? 0));
    if (counts.some((c) => c < 0)) return cur; // counter reset: the process restarted
    return { bounds: cur.bounds, counts };
  }

  private quantiles(out: Sample[], h: HistogramSample, labels: Labels, delta: Buckets, carriesRole: boolean): void {
    for (const q of QUANTILES) {
      const value = histogramQuantile(q, delta.bounds, delta.counts);
      if (value === undefined) continue;
      const role = carriesRole && q === ROLE_QUANTILE ? h.role : undefined;
      push(out, {
        name: h.name,
        labels: sortLabels([...labels, ['quantile', String(q)]]),
        value,
        kind: 'gauge',
        unit: h.unit,
        ...(role === undefined ? {} : { role }),
      });
    }
  }
}

function push(out: Sample[], s: Sample): void {
  if (Number.isFinite(s.value)) out.push(s.value === 0 ? { ...s, value: 0 } : s);
}
