// The order of OTLP points by their own timestamps, not by arrival: an SDK retries an export that
// failed (e.g. sent before Pulse listened) after newer ones went through, and that stale point must
// not make a counter go backwards. A cumulative point with a new start time is a real restart.

/** What to do with a point: use it (`restart` when its series started over), or drop it as stale. */
export type PointVerdict = 'accept' | 'restart' | 'stale';

interface Seen {
  start: number;
  time: number;
  /** The last accepted histogram total (what a dropped point still stands for in the request counter). */
  count: number;
}

const DEFAULT_MAX_KEYS = 10_000;

export class PointOrder {
  /** Map order is least recently accepted first, for eviction. */
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  /** Series tracked, for tests and diagnostics. */
  get size(): number {
    return this.seen.size;
  }

  /**
   * Judges one point of series `key` by its `time` and `start` (ns since the epoch, 0 when not sent).
   * A point without a time is always accepted (nothing to order it by). `cumulative`: its start time
   * says when the series began counting, so a later one is a restart.
   */
  admit(key: string, start: number, time: number, cumulative: boolean): PointVerdict {
    if (time <= 0) return 'accept';
    const prev = this.seen.get(key);
    let verdict: PointVerdict = 'accept';
    if (prev !== undefined) {
      const newStart = cumulative && start > 0 && prev.start > 0 && start !== prev.start;
      if (newStart && start > prev.start) verdict = 'restart';
      else if (time <= prev.time || newStart) return 'stale';
    }
    this.seen.delete(key);
    this.seen.set(key, { start, time, count: prev?.count ?? 0 });
    while (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next();
      if (oldest.done === true) break;
      this.seen.delete(oldest.value);
    }
    return verdict;
  }

  /** Notes the histogram total (cumulative, or delta's running total) of the point just accepted for `key`. */
  noteCount(key: string, count: number): void {
    const seen = this.seen.get(key);
    if (seen !== undefined) seen.count = count;
  }

  /** The histogram total last noted for `key` (0 when never seen). */
  lastCount(key: string): number {
    return this.seen.get(key)?.count ?? 0;
  }
}
