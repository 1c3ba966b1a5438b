// Time for receive stamps, intervals, ages and no-data: monotonic, anchored to the wall clock, so a
// wall-clock step (NTP, a user changing the time, a VM resuming) never moves it backwards or jumps it.

/** Milliseconds on a wall-anchored scale that never goes backwards. */
export interface Clock {
  now(): number;
}

export interface SteadyClockOptions {
  /** The wall clock (default Date.now, read at each call so a replaced Date.now is seen). */
  readonly wall?: () => number;
  /** A monotonic clock in ms (default performance.now). */
  readonly monotonic?: () => number;
  /** Told once per step, when the wall clock leaves the monotonic one by more than `stepMs`. */
  readonly onStep?: (message: string) => void;
  /** Divergence that counts as a step. Default 5 s. */
  readonly stepMs?: number;
  /**
   * A step forward that holds this long (monotonic time) is adopted: the machine slept (the
   * monotonic clock stops while suspended) or the clock was corrected for good. Default 30 s.
   * Steps backwards are never adopted: that would move time backwards.
   */
  readonly adoptAfterMs?: number;
}

const DEFAULT_STEP_MS = 5_000;
const DEFAULT_ADOPT_AFTER_MS = 30_000;

function describeMs(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7_200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}

/** Wall time at creation plus monotonic time elapsed since; steps of the wall clock are logged, not followed. */
export class SteadyClock implements Clock {
  private readonly wall: () => number;
  private readonly monotonic: () => number;
  private readonly stepMs: number;
  private readonly adoptAfterMs: number;
  /** wall − monotonic at the anchor. */
  private base: number;
  private last = -Infinity;
  /** A step is under way (logged once, until the wall clock agrees again). */
  private stepping = false;
  /** Monotonic time a forward step was first seen at, and its size (NaN: none). */
  private aheadSince = NaN;
  private aheadBy = NaN;

  constructor(private readonly options: SteadyClockOptions = {}) {
    this.wall = options.wall ?? (() => Date.now());
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.stepMs = options.stepMs ?? DEFAULT_STEP_MS;
    this.adoptAfterMs = options.adoptAfterMs ?? DEFAULT_ADOPT_AFTER_MS;
    this.base = this.wall() - this.monotonic();
  }

  now(): number {
    const mono = this.monotonic();
    const wall = this.wall();
    let t = this.base + mono;
    const gap = wall - t;
    if (!Number.isFinite(gap) || Math.abs(gap) <= this.stepMs) {
      this.stepping = false;
      this.aheadSince = NaN;
    } else {
      if (!this.stepping) {
        this.stepping = true;
        this.options.onStep?.(`The system clock stepped ${gap > 0 ? 'ahead' : 'back'} by ${describeMs(gap)}; Pulse keeps timing data with its monotonic clock.`);
      }
      if (gap < 0) {
        this.aheadSince = NaN;
      } else if (Number.isNaN(this.aheadSince) || Math.abs(gap - this.aheadBy) > this.stepMs) {
        this.aheadSince = mono;
        this.aheadBy = gap;
      } else if (mono - this.aheadSince >= this.adoptAfterMs) {
        this.base += gap;
        t = this.base + mono;
        this.stepping = false;
        this.aheadSince = NaN;
        this.options.onStep?.(`The system clock stayed ${describeMs(gap)} ahead (the machine slept, or the clock was corrected); Pulse follows it from now on.`);
      }
    }
    if (t > this.last) this.last = t;
    return this.last;
  }
}
