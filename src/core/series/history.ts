// One series' history in two tiers: raw samples for the last `rawWindowMs`, and fixed-width
// buckets (min/max/avg/last/count) for the last `downsampledWindowMs`. Every sample rolls into
// the current bucket as it arrives, so the buckets are complete even where the raw tier is.
//
// Memory bound, whatever the input rate: the raw tier keeps at most one sample per
// `minSpacingMs` slot (slot = floor(t / minSpacingMs)); a later sample in the same slot replaces
// the earlier one (last wins). Its capacity is therefore rawWindowMs / minSpacingMs + 1.

import type { SeriesKind } from '../../shared/vocabulary';
import { ColumnRing, sampleRing } from './ring';

export interface HistoryOptions {
  readonly rawWindowMs: number;
  readonly bucketMs: number;
  readonly downsampledWindowMs: number;
  /** Raw samples closer together than this share a slot (last wins). Default 100 ms (10 Hz). */
  readonly minSpacingMs?: number;
}

export const DEFAULT_MIN_SPACING_MS = 100;

// Bucket columns. For gauges SUM is the sum of values (avg = SUM / COUNT); for counters it is the
// increase since the previous sample, resets handled, so rates need no neighbouring bucket.
export const B_INDEX = 0; // floor(t / bucketMs)
export const B_MIN = 1;
export const B_MAX = 2;
export const B_SUM = 3;
export const B_LAST = 4;
export const B_COUNT = 5;

export interface Points {
  t: number[];
  v: (number | null)[];
}

export interface BucketRow {
  readonly index: number;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  readonly last: number;
  readonly count: number;
}

export function rawCapacity(options: HistoryOptions): number {
  const spacing = Math.max(1, options.minSpacingMs ?? DEFAULT_MIN_SPACING_MS);
  return Math.ceil(Math.max(0, options.rawWindowMs) / spacing) + 1;
}

export function bucketCapacity(options: HistoryOptions): number {
  return Math.ceil(Math.max(0, options.downsampledWindowMs) / Math.max(1, options.bucketMs)) + 1;
}

/** Per-second increase of a counter going from `a` to `b` in `ms`: a decrease is a reset, counted from 0. */
export function counterRate(a: number, b: number, ms: number): number | null {
  if (!(ms > 0)) return null;
  return counterIncrease(a, b) / (ms / 1000);
}

/** Increase of a counter going from `a` to `b`: a decrease is a reset, counted from 0; never below 0. */
export function counterIncrease(a: number, b: number): number {
  return b >= a ? b - a : Math.max(0, b);
}

export class SeriesHistory {
  readonly raw: ColumnRing;
  /** The buckets; the newest row may be behind `cur` until `buckets` is read. */
  private readonly bucketRing: ColumnRing;
  private options: HistoryOptions;
  /** Time of the newest raw sample while `raw` is not empty (read on every add: no trip to the ring). */
  private newestRaw = NaN;
  /**
   * The newest bucket, accumulated here and written to the ring when read or when the next one
   * starts: most samples change only this. `index` NaN: not held here (the ring has it).
   */
  private readonly cur = { index: NaN, min: 0, max: 0, sum: 0, last: 0, count: 0, dirty: false };
  private spacing: number;
  private lastValue = NaN;
  /** Time of the first sample this history ever got (NaN for restored buckets only). */
  private firstTime = NaN;
  /** A raw sample whose counter rate is unknown (see add). */
  private rateUnknownAt = NaN;

  /** `initial`: rows to allocate up front in each tier (restore knows how many are coming). */
  constructor(
    readonly kind: SeriesKind,
    options: HistoryOptions,
    initial?: { readonly raw: number; readonly buckets: number },
  ) {
    this.options = options;
    this.spacing = Math.max(1, options.minSpacingMs ?? DEFAULT_MIN_SPACING_MS);
    this.raw = sampleRing(rawCapacity(options), initial?.raw);
    this.bucketRing = new ColumnRing(['u32', 'f64', 'f64', 'f64', 'f64', 'u32'], bucketCapacity(options), initial?.buckets);
  }

  /** Room for this many more raw samples and buckets, allocated in one step (restore). */
  reserve(raw: number, buckets: number): void {
    this.raw.reserve(this.raw.size + raw);
    this.buckets.reserve(this.buckets.size + buckets);
  }

  /** The downsampled tier, up to date. */
  get buckets(): ColumnRing {
    this.settleBucket();
    return this.bucketRing;
  }

  configure(options: HistoryOptions): void {
    this.options = options;
    this.spacing = Math.max(1, options.minSpacingMs ?? DEFAULT_MIN_SPACING_MS);
    this.raw.setLimit(rawCapacity(options));
    this.buckets.setLimit(bucketCapacity(options));
    const newest = this.raw.get(0, this.raw.size - 1);
    if (Number.isFinite(newest)) this.trim(newest);
  }

  get bucketMs(): number {
    return this.options.bucketMs;
  }

  /**
   * Adds a sample. Times going backwards are clamped to the newest stored time. `rateUnknown`: the
   * counter's increase since the previous sample spans an unknown interval (store.ts: a slow
   * producer's first update); it has no rate and adds nothing to the bucket's increase.
   */
  add(time: number, value: number, rateUnknown = false): void {
    const newest = this.newestTime();
    const t = newest > time && Number.isFinite(newest) ? newest : time; // times going backwards: clamped
    if (this.raw.size === 0 && this.bucketRing.size === 0) this.firstTime = t;
    if (rateUnknown) {
      this.rateUnknownAt = t;
      this.lastValue = NaN;
    }
    this.addToBucket(t, value); // before the raw sample: the counter increase needs the previous value
    this.putRaw(t, newest, value);
  }

  /** Adds a raw sample only (restore: the buckets already hold it). */
  addRaw(time: number, value: number): void {
    const newest = this.newestTime();
    this.putRaw(newest > time && Number.isFinite(newest) ? newest : time, newest, value);
  }

  /** `t` already clamped to `newest` (the newest stored time, NaN when none). */
  private putRaw(t: number, newest: number, value: number): void {
    const raw = this.raw;
    if (raw.size > 0 && Math.floor(t / this.spacing) === Math.floor(newest / this.spacing)) {
      raw.setLast(0, t);
      raw.setLast(1, value);
    } else {
      raw.push2(t, value);
    }
    this.newestRaw = t;
    const horizon = t - this.options.rawWindowMs;
    if (raw.get(0, 0) < horizon) raw.dropBefore(horizon);
    this.lastValue = value;
  }

  /** Appends a whole bucket (restore). Rows must come oldest first; older or equal indexes are ignored. */
  addBucket(row: BucketRow): void {
    const n = this.buckets.size;
    if (n > 0 && row.index <= this.buckets.get(B_INDEX, n - 1)) return;
    this.buckets.push([row.index, row.min, row.max, row.sum, row.last, row.count]);
    this.buckets.dropBefore(row.index - Math.ceil(this.options.downsampledWindowMs / this.options.bucketMs));
    this.lastValue = row.last;
  }

  newestTime(): number {
    return this.raw.size > 0 ? this.newestRaw : NaN;
  }

  newestBucketIndex(): number {
    return this.buckets.size > 0 ? this.buckets.get(B_INDEX, this.buckets.size - 1) : NaN;
  }

  /** Drops what fell out of the windows as of `now`. Returns true when nothing is left. */
  trim(now: number): boolean {
    this.raw.dropBefore(now - this.options.rawWindowMs);
    this.buckets.dropBefore(Math.floor((now - this.options.downsampledWindowMs) / this.options.bucketMs));
    return this.raw.size === 0 && this.buckets.size === 0;
  }

  bytes(): number {
    return this.raw.bytes() + this.buckets.bytes();
  }

  bucket(row: number): BucketRow {
    const b = this.buckets;
    return { index: b.get(B_INDEX, row), min: b.get(B_MIN, row), max: b.get(B_MAX, row), sum: b.get(B_SUM, row), last: b.get(B_LAST, row), count: b.get(B_COUNT, row) };
  }

  /**
   * Points in [from, to]: raw samples where the raw tier covers the window, buckets before
   * (plotted at the bucket's start). `raw` mode: gauge values, counter values as sent (bucket: last).
   * `rate` mode: gauges as in raw mode; counters as per-second rates.
   */
  points(from: number, to: number, mode: 'rate' | 'raw'): Points {
    const out: Points = { t: [], v: [] };
    const raw = this.raw;
    const rate = mode === 'rate' && this.kind === 'counter';
    const rawStart = raw.size > 0 ? raw.get(0, 0) : Infinity;
    if (from < rawStart) this.bucketPoints(from, Math.min(to, rawStart), rawStart, rate, out);
    if (raw.size === 0 || to < rawStart) return out;
    for (let i = raw.lowerBound(Math.max(from, rawStart)); i < raw.size; i++) {
      const t = raw.get(0, i);
      if (t > to) break;
      const v = raw.get(1, i);
      out.t.push(t);
      if (!rate) out.v.push(v);
      else if (t === this.rateUnknownAt) out.v.push(null);
      else out.v.push(i > 0 ? counterRate(raw.get(1, i - 1), v, t - raw.get(0, i - 1)) : this.bucketRateAt(t));
    }
    return out;
  }

  /** Counter rate of the bucket holding `t` (the raw tier's oldest sample has no neighbour left). */
  private bucketRateAt(t: number): number | null {
    const b = this.buckets;
    const ms = this.options.bucketMs;
    const row = b.lowerBound(Math.floor(t / ms));
    if (row >= b.size || b.get(B_INDEX, row) !== Math.floor(t / ms)) return null;
    if (t <= this.firstTime) return null; // the series' very first sample
    const span = row > 0 ? (b.get(B_INDEX, row) - b.get(B_INDEX, row - 1)) * ms : ms;
    return b.get(B_SUM, row) / (span / 1000);
  }

  private bucketPoints(from: number, to: number, rawStart: number, rate: boolean, out: Points): void {
    const b = this.buckets;
    const ms = this.options.bucketMs;
    const firstRawBucket = Number.isFinite(rawStart) ? Math.floor(rawStart / ms) : Infinity;
    for (let i = b.lowerBound(Math.floor(from / ms)); i < b.size; i++) {
      const index = b.get(B_INDEX, i);
      const t = index * ms;
      if (index >= firstRawBucket || t > to) break;
      if (t < from) continue;
      out.t.push(t);
      if (this.kind === 'gauge') {
        const count = b.get(B_COUNT, i);
        out.v.push(count > 0 ? b.get(B_SUM, i) / count : null);
      } else if (!rate) {
        out.v.push(b.get(B_LAST, i));
      } else {
        const span = i > 0 ? (index - b.get(B_INDEX, i - 1)) * ms : ms;
        out.v.push(b.get(B_SUM, i) / (span / 1000));
      }
    }
  }

  private addToBucket(time: number, value: number): void {
    const index = Math.floor(time / this.options.bucketMs);
    const sumTerm = this.kind !== 'counter' ? value : Number.isFinite(this.lastValue) ? counterIncrease(this.lastValue, value) : 0;
    if (Number.isNaN(this.cur.index)) this.loadBucket();
    if (this.cur.index >= index) {
      this.cur.min = Math.min(this.cur.min, value);
      this.cur.max = Math.max(this.cur.max, value);
      this.cur.sum += sumTerm;
      this.cur.last = value;
      this.cur.count = (this.cur.count + 1) >>> 0; // the ring's count column is a u32
      this.cur.dirty = true;
      return;
    }
    this.settleBucket();
    const b = this.bucketRing;
    b.push([index, value, value, sumTerm, value, 1]);
    b.dropBefore(index - Math.ceil(this.options.downsampledWindowMs / this.options.bucketMs));
    this.loadBucket();
  }

  /** Takes the ring's newest bucket into `cur` (none when the ring is empty). */
  private loadBucket(): void {
    const b = this.bucketRing;
    if (b.size === 0) return;
    this.cur.index = b.last(B_INDEX);
    this.cur.min = b.last(B_MIN);
    this.cur.max = b.last(B_MAX);
    this.cur.sum = b.last(B_SUM);
    this.cur.last = b.last(B_LAST);
    this.cur.count = b.last(B_COUNT);
    this.cur.dirty = false;
  }

  /** Writes `cur` back to the ring's newest row and lets go of it. */
  private settleBucket(): void {
    if (this.cur.dirty) {
      const b = this.bucketRing;
      b.setLast(B_MIN, this.cur.min);
      b.setLast(B_MAX, this.cur.max);
      b.setLast(B_SUM, this.cur.sum);
      b.setLast(B_LAST, this.cur.last);
      b.setLast(B_COUNT, this.cur.count);
      this.cur.dirty = false;
    }
    this.cur.index = NaN;
  }
}
