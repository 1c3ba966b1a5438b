// One VS Code notification when a critical alert fires, rate-limited: never a flood.

import type { AlertView } from '../protocol';

export const NOTIFY_INTERVAL_MS = 60_000;

export interface NotifyDeps {
  show(message: string, ...actions: string[]): Thenable<string | undefined> | Promise<string | undefined>;
  openPanel(): void;
  snooze(alertId: string): void;
  enabled(): boolean;
  now?: () => number;
}

export class CriticalNotifier {
  private last = -Infinity;
  private suppressed = 0;

  constructor(private readonly deps: NotifyDeps) {}

  /** Returns true when a notification was shown. */
  notify(alerts: readonly AlertView[]): boolean {
    const critical = alerts.filter((a) => a.severity === 'critical' && a.state === 'firing');
    const first = critical[0];
    if (!first || !this.deps.enabled()) return false;
    const now = (this.deps.now ?? Date.now)();
    if (now - this.last < NOTIFY_INTERVAL_MS) {
      this.suppressed += critical.length;
      return false;
    }
    this.last = now;
    const more = critical.length - 1 + this.suppressed;
    this.suppressed = 0;
    const text = first.message.length > 200 ? `${first.message.slice(0, 199)}…` : first.message;
    const message = `Pulse: ${text}${more > 0 ? ` (and ${more} more critical)` : ''}`;
    void Promise.resolve(this.deps.show(message, 'Open Panel', 'Snooze 15 min')).then((choice) => {
      if (choice === 'Open Panel') this.deps.openPanel();
      else if (choice === 'Snooze 15 min') for (const a of critical) this.deps.snooze(a.id);
    });
    return true;
  }
}
