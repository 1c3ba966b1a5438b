// Running totals for OTLP delta temporality: each delta point adds to its series' total, so the store
// sees an ever-growing counter (and rates, histogram intervals and resets work as for cumulative data).

export type CumulativeBuckets = ReadonlyArray<readonly [le: number, count: number]>;

interface HistogramTotal {
  readonly buckets: Array<[number, number]>;
  sum: number;
  count: number;
}

const DEFAULT_MAX_KEYS = 10_000;

export class DeltaTotals {
  /** Map order is least recently updated first, for eviction. */
  private readonly sums = new Map<string, number>();
  private readonly histograms = new Map<string, HistogramTotal>();

  constructor(private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  /** Series tracked, for tests and diagnostics. */
  get size(): number {
    return this.sums.size + this.histograms.size;
  }

  /** The series' total after adding `delta`. */
  addSum(key: string, delta: number): number {
    const total = (this.sums.get(key) ?? 0) + delta;
    this.sums.delete(key);
    this.sums.set(key, total);
    this.evict(this.sums);
    return total;
  }

  /** The series' cumulative buckets, sum and count after adding one delta point (same bounds; new bounds start over). */
  addHistogram(key: string, buckets: CumulativeBuckets, sum: number, count: number): { readonly buckets: CumulativeBuckets; readonly sum: number; readonly count: number } {
    const prev = this.histograms.get(key);
    this.histograms.delete(key);
    let total: HistogramTotal;
    if (prev !== undefined && sameBounds(prev.buckets, buckets)) {
      for (let i = 0; i < buckets.length; i++) {
        const slot = prev.buckets[i];
        if (slot !== undefined) slot[1] += buckets[i]?.[1] ?? 0;
      }
      prev.sum += sum;
      prev.count += count;
      total = prev;
    } else {
      total = { buckets: buckets.map(([le, c]) => [le, c]), sum, count };
    }
    this.histograms.set(key, total);
    this.evict(this.histograms);
    return { buckets: total.buckets.map(([le, c]) => [le, c] as const), sum: total.sum, count: total.count };
  }

  private evict(map: Map<string, unknown>): void {
    while (map.size > this.maxKeys) {
      const oldest = map.keys().next();
      if (oldest.done === true) break;
      map.delete(oldest.value);
    }
  }
}

function sameBounds(a: CumulativeBuckets, b: CumulativeBuckets): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]?.[0] !== b[i]?.[0]) return false;
  return true;
}
