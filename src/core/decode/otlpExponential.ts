// OTLP exponential histograms → explicit cumulative buckets (upper bound, count), so they take the
// same road to p50/p95/p99 as every other histogram.

/** One side of an exponential histogram: bucket `offset + i` holds values in (base^(offset+i), base^(offset+i+1)]. */
export interface ExpBuckets {
  readonly offset: number;
  readonly counts: readonly number[];
}

export interface ExpHistogram {
  readonly scale: number;
  readonly zeroCount: number;
  readonly zeroThreshold: number;
  readonly positive: ExpBuckets;
  readonly negative: ExpBuckets;
  readonly count: number;
}

/** Most buckets kept (both sides together); finer histograms are merged down to a coarser scale. */
export const MAX_EXP_BUCKETS = 160;
const MIN_SCALE = -10;

/** Halves the resolution: buckets i and i+1 of scale s become bucket floor(i/2) of scale s-1. */
function downscale(b: ExpBuckets): ExpBuckets {
  if (b.counts.length === 0) return { offset: Math.floor(b.offset / 2), counts: [] };
  const offset = Math.floor(b.offset / 2);
  const counts: number[] = [];
  for (let i = 0; i < b.counts.length; i++) {
    const at = Math.floor((b.offset + i) / 2) - offset;
    counts[at] = (counts[at] ?? 0) + (b.counts[i] ?? 0);
  }
  return { offset, counts };
}

/** Trailing and leading empty buckets cost bounds and say nothing. */
function trim(b: ExpBuckets): ExpBuckets {
  let start = 0;
  let end = b.counts.length;
  while (start < end && (b.counts[start] ?? 0) === 0) start++;
  while (end > start && (b.counts[end - 1] ?? 0) === 0) end--;
  return start === 0 && end === b.counts.length ? b : { offset: b.offset + start, counts: b.counts.slice(start, end) };
}

/** base^index for base = 2^(2^-scale); Infinity past the double range. */
function power(scale: number, index: number): number {
  return 2 ** (index * 2 ** -scale);
}

/**
 * Cumulative buckets ascending, ending with +Infinity, each bound multiplied by `scaleBy` (a unit
 * conversion). Counts must be finite and non-negative (the caller checks).
 */
export function expToBuckets(h: ExpHistogram, scaleBy = 1): Array<[number, number]> {
  let positive = trim(h.positive);
  let negative = trim(h.negative);
  let scale = Math.min(20, Math.max(MIN_SCALE, Math.trunc(h.scale)));
  while (positive.counts.length + negative.counts.length > MAX_EXP_BUCKETS && scale > MIN_SCALE) {
    positive = downscale(positive);
    negative = downscale(negative);
    scale--;
  }
  const out: Array<[number, number]> = [];
  let running = 0;
  const push = (le: number, n: number): void => {
    running += n;
    const bound = le * scaleBy;
    // A bound past the double range below zero adds its count to the next bucket up.
    if (!Number.isNaN(bound) && bound !== Number.NEGATIVE_INFINITY) out.push([bound === 0 ? 0 : bound, running]);
  };
  // Negative values, most negative first: bucket i holds [-base^(i+1), -base^i).
  for (let i = negative.counts.length - 1; i >= 0; i--) push(-power(scale, negative.offset + i), negative.counts[i] ?? 0);
  push(Math.max(0, h.zeroThreshold), h.zeroCount);
  if (positive.counts.length > 0) {
    // The lower edge of the first bucket, so interpolation inside it does not start from zero.
    const lower = power(scale, positive.offset);
    if (lower > Math.max(0, h.zeroThreshold) && Number.isFinite(lower)) push(lower, 0);
  }
  for (let i = 0; i < positive.counts.length; i++) push(power(scale, positive.offset + i + 1), positive.counts[i] ?? 0);
  out.push([Number.POSITIVE_INFINITY, Math.max(running, h.count)]);
  return out;
}
