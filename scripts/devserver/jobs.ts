// A small simulated job queue for seed 004's jobs_* numbers: jobs arrive, up to four run at once,
// and almost all complete; a few fail or are cancelled. Running totals only ever grow (until a restart).

const WORKERS = 4;

export class Jobs {
  pending = 0;
  active = 0;
  completed = 0;
  failed = 0;
  cancelled = 0;
  private running: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly random: () => number = Math.random) {
    this.timer = setInterval(() => this.tick(), 1_000);
  }

  private tick(): void {
    const now = Date.now();
    if (this.random() < 0.6) this.pending += 1 + Math.floor(this.random() * 2);
    const stillRunning: number[] = [];
    for (const doneAt of this.running) {
      if (doneAt > now) {
        stillRunning.push(doneAt);
        continue;
      }
      const roll = this.random();
      if (roll < 0.95) this.completed += 1;
      else if (roll < 0.99) this.failed += 1;
      else this.cancelled += 1;
    }
    this.running = stillRunning;
    while (this.running.length < WORKERS && this.pending > 0) {
      this.pending -= 1;
      this.running.push(now + 1_000 + this.random() * 4_000);
    }
    this.active = this.running.length;
  }

  reset(): void {
    this.pending = 0;
    this.active = 0;
    this.completed = 0;
    this.failed = 0;
    this.cancelled = 0;
    this.running = [];
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
