// One VS Code notification when a critical alert fires, rate-limited: never a flood. And the gate every
// Pulse notification goes through: one at a time, and "Don't Show Again" remembered in globalState.

import type { AlertView } from '../shared/views';
import type { SafeText } from '../core/views/safeText';
import { constant, plainText, safe } from '../core/views/safeText';

export const NOTIFY_INTERVAL_MS = 60_000;

export interface NotifyDeps {
  show(message: SafeText, ...actions: SafeText[]): Thenable<string | undefined> | Promise<string | undefined>;
  openPanel(): void;
  snooze(alertId: string): void;
  enabled(): boolean;
  now?: () => number;
  /** When given: nothing is shown while another Pulse notification is open, or once the user said "Don't Show Again". */
  gate?: NotificationGate;
  /** The notification's words in the user's language (the host passes vscode.l10n's); English when not given. */
  words?: NotifyWords;
}

export const DONT_SHOW = "Don't Show Again";

export interface NotifyWords {
  readonly openPanel: SafeText;
  readonly snooze: SafeText;
  /** `text` is the first alert's message (already plain), `more` how many other critical alerts are firing or were held back. */
  critical(text: SafeText, more: number): SafeText;
}

export const ENGLISH_WORDS: NotifyWords = {
  openPanel: constant('Open Panel'),
  snooze: constant('Snooze 15 min'),
  critical: (text, more) => (more > 0 ? safe`Pulse: ${text} (and ${more} more critical)` : safe`Pulse: ${text}`),
};
/** The gate id of the critical-alert notification. */
export const CRITICAL_ID = 'criticalAlert';

export class CriticalNotifier {
  private last = -Infinity;
  private suppressed = 0;

  constructor(private readonly deps: NotifyDeps) {}

  /** Returns true when a notification was shown. */
  notify(alerts: readonly AlertView[]): boolean {
    const critical = alerts.filter(shouldNotify);
    const first = critical[0];
    const gate = this.deps.gate;
    if (!first || !this.deps.enabled() || gate?.muted(CRITICAL_ID)) return false;
    const now = (this.deps.now ?? Date.now)();
    if (now - this.last < NOTIFY_INTERVAL_MS || gate?.busy()) {
      this.suppressed += critical.length;
      return false;
    }
    this.last = now;
    const more = critical.length - 1 + this.suppressed;
    this.suppressed = 0;
    // Alert text carries server names: no link or command may survive in it (showErrorMessage parses links).
    const words = this.deps.words ?? ENGLISH_WORDS;
    const message = words.critical(plainText(first.message, 200), more);
    const shown = Promise.resolve(gate ? this.deps.show(message, words.openPanel, words.snooze, gate.dontShow) : this.deps.show(message, words.openPanel, words.snooze));
    gate?.hold(shown);
    void shown.then((choice) => {
      if (choice === words.openPanel) this.deps.openPanel();
      else if (choice === words.snooze) for (const a of critical) this.deps.snooze(a.id);
      else if (gate && choice === gate.dontShow) void gate.mute(CRITICAL_ID);
    });
    return true;
  }
}

/** Critical, firing, and not quieted by the user; rule and server alerts alike. */
export function shouldNotify(a: AlertView): boolean {
  return a.severity === 'critical' && a.state === 'firing' && !a.acknowledged && a.snoozedUntil === null && !a.snoozedUntilRestart;
}

/** Where "Don't Show Again" answers are kept (an ExtensionContext memento: globalState). */
export interface GateState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const MUTED_KEY = 'pulse.notifications.muted';
/** A notification nobody answers still blocks the next one this long (VS Code hides toasts, their promise stays pending). */
export const GATE_HOLD_MS = 30_000;

/** At most one Pulse notification at a time; ids the user muted are never shown again. */
export class NotificationGate {
  private openUntil = -Infinity;
  private generation = 0;

  constructor(
    private readonly state: GateState,
    private readonly now: () => number = Date.now,
    /** The "Don't Show Again" button as the user reads it (translated by the host). */
    readonly dontShow: SafeText = constant(DONT_SHOW),
  ) {}

  muted(id: string): boolean {
    const list = this.state.get<unknown>(MUTED_KEY);
    return Array.isArray(list) && list.includes(id);
  }

  async mute(id: string): Promise<void> {
    if (this.muted(id)) return;
    const list = this.state.get<unknown>(MUTED_KEY);
    const ids = Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').slice(-49) : [];
    await this.state.update(MUTED_KEY, [...ids, id]);
  }

  /** True while a Pulse notification is open (answered, dismissed, or older than GATE_HOLD_MS frees it). */
  busy(): boolean {
    return this.now() < this.openUntil;
  }

  /** Marks a notification open until it is answered. */
  hold(answer: PromiseLike<unknown>): void {
    const generation = ++this.generation;
    this.openUntil = this.now() + GATE_HOLD_MS;
    const release = (): void => {
      if (generation === this.generation) this.openUntil = -Infinity;
    };
    answer.then(release, release);
  }

  /**
   * Shows a repeating notification (whose last button is `dontShow`) unless it is muted or another is
   * open; "Don't Show Again" mutes `id`. Resolves to the button chosen, or undefined.
   */
  async show<A extends string>(id: string, show: () => PromiseLike<A | undefined>): Promise<A | undefined> {
    if (this.muted(id) || this.busy()) return undefined;
    const answer = show();
    this.hold(answer);
    const choice = await answer;
    const said: string | undefined = choice;
    if (said === this.dontShow) {
      await this.mute(id);
      return undefined;
    }
    return choice;
  }
}
