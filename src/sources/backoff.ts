// Reconnect delays: exponential backoff with full jitter, so many clients of one restarted
// server do not all come back in the same instant.

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 30_000;
/** A connection open this long counts as healthy and resets the backoff. */
export const HEALTHY_AFTER_MS = 5_000;

/** delay = random() × min(cap, base × 2^attempt), attempt counted from 0. */
export function backoffDelay(attempt: number, random: () => number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const exponent = Math.max(0, Math.min(attempt, 30));
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(r * ceiling);
}

/** Whether a connection that just ended earned a backoff reset. */
export function wasHealthy(openedAt: number | undefined, endedAt: number, receivedData: boolean): boolean {
  if (receivedData) return true;
  return openedAt !== undefined && endedAt - openedAt >= HEALTHY_AFTER_MS;
}

export interface BackoffStep {
  /** 1 for the first retry after a healthy period. */
  readonly attempt: number;
  readonly delayMs: number;
}

/** Counts consecutive failures; pure apart from the injected random. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly baseMs = BACKOFF_BASE_MS,
    private readonly capMs = BACKOFF_CAP_MS,
  ) {}

  get attempt(): number {
    return this.failures;
  }

  next(): BackoffStep {
    const delayMs = backoffDelay(this.failures, this.random, this.baseMs, this.capMs);
    this.failures += 1;
    return { attempt: this.failures, delayMs };
  }

  reset(): void {
    this.failures = 0;
  }
}
