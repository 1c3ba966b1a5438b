// One source's update rhythm. A producer that collects every 5 or 60 s, polled every 2 s, sends the
// same sample set many times, then a changed one: those repeats add no point (a counter's rate would
// read 0, spike, 0), so stored points fall on the producer's real updates and rates span real intervals.

export interface CadenceVerdict {
  /** Nothing new: add no point (the series were still seen). */
  readonly repeat: boolean;
  /** Time to store the update at (the receive time, or the server's stamp mapped onto our clock). */
  readonly time: number;
  /**
   * Start of the interval this update's counter increases accrued over: the previous point's time
   * when that was the producer's update, else one learned interval back (after a point that was a
   * first message or a held-still repeat, which fall anywhere in the producer's cycle); null when
   * no interval is learned yet.
   */
  readonly since: number | null;
  /** The source's previous point (NaN for its first). */
  readonly previous: number;
}

/** Assumed update interval until one is learned: the slowest common collector (seed 002: 60 s). */
export const DEFAULT_UPDATE_INTERVAL_MS = 60_000;
/** A repeat later than this many update intervals after the last point is news: the values held still. */
const HOLD_FACTOR = 2;
const INTERVALS_KEPT = 8;
/**
 * Collection-to-arrival lags of two updates further apart than this: one of them was delivered late
 * (a retried OTLP export), so the time between arrivals is not the time the counters grew over.
 */
export const LATE_DELIVERY_MS = 1000;
const SKEWS_KEPT = 16;

export class Cadence {
  private lastPointAt = NaN;
  private lastChangeAt = NaN;
  private lastStamp = NaN;
  /** The server's stamp has changed between messages (a stamp that never changes is ignored). */
  private stampsAdvance = false;
  /** The server's stamp has repeated: it marks the producer's collection, not the response. */
  private stampsCollections = false;
  private readonly skews: number[] = [];
  private readonly intervals: number[] = [];
  /** `interval`, computed when `intervals` last changed (it is read on every message). */
  private learned: number | null | undefined = null;
  /** The last point's time is when the producer updated (not a first message followed by repeats, nor a held-still repeat). */
  private boundary = false;
  private lastPointFirst = false;
  /** Arrival minus collection time of the last update that said when it was collected. */
  private lastLag = NaN;
  /** Longest hold, so a series that holds still keeps points in the raw window. */
  maxHoldMs = Infinity;

  /** The producer's update interval as learned (a low quantile of recent changes), or null. */
  get interval(): number | null {
    if (this.learned === undefined) this.learned = lowQuantile(this.intervals);
    return this.learned;
  }

  /** How long repeats are skipped after the last point; at most `maxHoldMs` (set from the raw window). */
  holdMs(): number {
    return Math.min(this.maxHoldMs, HOLD_FACTOR * (this.interval ?? DEFAULT_UPDATE_INTERVAL_MS));
  }

  /**
   * One message received at `at` (our clock). `stamp`: the server's time for it, if it sent one;
   * `unchanged`: every sample equals its series' last value (and no series is new); `collectedAt`: when
   * the producer collected the values (its clock), for formats that say so.
   */
  observe(at: number, stamp: number | undefined, unchanged: boolean, collectedAt?: number): CadenceVerdict {
    const first = Number.isNaN(this.lastPointAt);
    const stamped = stamp !== undefined && Number.isFinite(stamp);
    if (stamped && !Number.isNaN(this.lastStamp)) {
      if (stamp === this.lastStamp) this.stampsCollections = true;
      else this.stampsAdvance = true;
    }
    const sameStamp = stamped && this.stampsAdvance && stamp === this.lastStamp;
    const held = !first && at - this.lastPointAt < this.holdMs();
    if (held && (unchanged || sameStamp)) {
      if (this.lastPointFirst) this.boundary = false;
      return { repeat: true, time: this.lastPointAt, since: this.lastPointAt, previous: this.lastPointAt };
    }

    let time = at;
    if (stamped) {
      this.skews.push(at - stamp);
      if (this.skews.length > SKEWS_KEPT) this.skews.shift();
      if (this.stampsAdvance && this.stampsCollections && stamp !== this.lastStamp) {
        // The stamp + the smallest recent lag is when the producer updated, on our clock.
        const mapped = stamp + Math.min(...this.skews);
        if (mapped <= at && at - mapped <= this.holdMs() && (first || mapped > this.lastPointAt)) time = mapped;
      }
      this.lastStamp = stamp;
    }
    if (!first && time < this.lastPointAt) time = this.lastPointAt;

    const change = !unchanged && !sameStamp;
    let since: number | null = first ? time : this.lastPointAt;
    if (!first && change && !this.boundary) {
      const interval = this.interval;
      since = interval === null ? null : Math.max(this.lastPointAt, time - interval);
    }
    if (collectedAt !== undefined && Number.isFinite(collectedAt)) {
      const lag = at - collectedAt;
      // Arrival times span a different interval than the collections did: no rate rather than a spike.
      if (Math.abs(lag - this.lastLag) > LATE_DELIVERY_MS) since = null;
      this.lastLag = lag;
    }
    // A repeat past the hold is recorded (a counter now reads 0) but is no update: nothing learned.
    if (change && !first) {
      // The first message falls anywhere in the producer's cycle: intervals count from the first change.
      if (!Number.isNaN(this.lastChangeAt) && time > this.lastChangeAt) {
        this.intervals.push(time - this.lastChangeAt);
        if (this.intervals.length > INTERVALS_KEPT) this.intervals.shift();
        this.learned = undefined;
      }
      this.lastChangeAt = time;
    }
    const previous = this.lastPointAt;
    this.lastPointAt = time;
    this.lastPointFirst = first;
    this.boundary = first || change;
    return { repeat: false, time, since, previous };
  }
}

const sortScratch: number[] = [];

/** The value a quarter of the way up `values` (at most INTERVALS_KEPT of them), sorted without allocating. */
function lowQuantile(values: readonly number[]): number | null {
  const sorted = sortScratch;
  sorted.length = 0;
  for (const v of values) {
    let i = sorted.length;
    while (i > 0 && (sorted[i - 1] as number) > v) {
      sorted[i] = sorted[i - 1] as number;
      i--;
    }
    sorted[i] = v;
  }
  return sorted[Math.floor((sorted.length - 1) / 4)] ?? null;
}
