// Rolling baseline of one series for anomaly rules: exponentially weighted mean and mean absolute
// deviation. The weight of a sample depends on the time since the previous one, not on the number
// of samples, so a source sending 10× as often does not forget 10× faster.
//
// The caller stops feeding the baseline while the value is anomalous (or an alert on it is active),
// so a sustained spike keeps firing instead of becoming the new normal; a slow drift is followed.

import type { Unit } from '../../shared/vocabulary';

export interface BaselineOptions {
  /** Time constant of the exponential decay (a sample's weight falls to 1/e after this long). */
  readonly tauMs: number;
  /** No verdict until this many samples… */
  readonly warmupSamples: number;
  /** …spanning at least this long. */
  readonly warmupMs: number;
  /** The excess must also be this many mean absolute deviations, so noisy series need a bigger jump. */
  readonly deviations: number;
}

export const DEFAULT_BASELINE: BaselineOptions = { tauMs: 120_000, warmupSamples: 20, warmupMs: 30_000, deviations: 3 };

/** Smallest excess over the baseline that counts, per unit, so 1 ms → 2 ms is no spike. */
export function anomalyFloor(unit: Unit): number {
  switch (unit) {
    case 'ms':
      return 5;
    case 'seconds':
      return 0.005;
    case 'percent':
      return 1;
    case 'ratio':
      return 0.01;
    case 'bytes':
      return 1024 * 1024;
    case 'count':
    case 'per_second':
      return 1;
    case 'none':
      return 1e-9;
  }
}

export interface AnomalyVerdict {
  readonly anomalous: boolean;
  /** Back within half the margin: an active anomaly alert may resolve. */
  readonly cleared: boolean;
  /** The level beyond which the value is anomalous: baseline · (1 ± fraction). */
  readonly threshold: number;
  readonly baseline: number;
}

export class Baseline {
  private mean = NaN;
  private dev = 0;
  private n = 0;
  private firstAt = NaN;
  private lastAt = NaN;

  constructor(private readonly options: BaselineOptions = DEFAULT_BASELINE) {}

  get value(): number {
    return this.mean;
  }

  get samples(): number {
    return this.n;
  }

  observe(value: number, at: number): void {
    if (!Number.isFinite(value)) return;
    if (this.n === 0) {
      this.mean = value;
      this.dev = 0;
      this.firstAt = at;
    } else {
      const dt = Math.max(0, at - this.lastAt);
      const alpha = 1 - Math.exp(-dt / this.options.tauMs);
      this.dev += alpha * (Math.abs(value - this.mean) - this.dev);
      this.mean += alpha * (value - this.mean);
    }
    this.n++;
    this.lastAt = Number.isFinite(this.lastAt) ? Math.max(this.lastAt, at) : at;
  }

  ready(at: number): boolean {
    return this.n >= this.options.warmupSamples && at - this.firstAt >= this.options.warmupMs;
  }

  /** Is `value` more than `fraction` beyond the baseline (above, or below for direction 'below')? */
  check(value: number, fraction: number, direction: 'above' | 'below', floor: number, at: number): AnomalyVerdict {
    const base = this.mean;
    const needed = Math.max(Math.abs(base) * fraction, floor, this.options.deviations * this.dev);
    const threshold = direction === 'above' ? base + needed : base - needed;
    if (!this.ready(at) || !Number.isFinite(base)) return { anomalous: false, cleared: true, threshold, baseline: base };
    const excess = direction === 'above' ? value - base : base - value;
    // Hysteresis: once anomalous, it clears only when back within half the margin.
    return { anomalous: excess > needed, cleared: excess <= needed / 2, threshold, baseline: base };
  }

  reset(): void {
    this.mean = NaN;
    this.dev = 0;
    this.n = 0;
    this.firstAt = NaN;
    this.lastAt = NaN;
  }
}
