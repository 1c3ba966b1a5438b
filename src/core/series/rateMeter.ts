/** Events per second over the last few seconds, in one-second buckets (constant memory). */
export class RateMeter {
  private readonly counts: Float64Array;
  private readonly seconds: Float64Array;

  constructor(private readonly windowSeconds = 5) {
    this.counts = new Float64Array(windowSeconds);
    this.seconds = new Float64Array(windowSeconds).fill(-1);
  }

  add(now: number, n = 1): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.windowSeconds;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + n;
  }

  /** Average per second over the completed seconds of the window. */
  rate(now: number): number {
    const current = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const s = this.seconds[i] ?? -1;
      if (s < current && s >= current - (this.windowSeconds - 1)) total += this.counts[i] ?? 0;
    }
    return total / (this.windowSeconds - 1);
  }
}
