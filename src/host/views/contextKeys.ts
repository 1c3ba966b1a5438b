// The `when`-clause context keys that hide commands with nothing to act on; set only when they change.

export interface ContextState {
  /** At least one source is configured. */
  readonly 'pulse.hasSources': boolean;
  /** At least one alert is visible (firing, pending, no data or recently resolved). */
  readonly 'pulse.hasAlerts': boolean;
  /** At least one source is connected. */
  readonly 'pulse.connected': boolean;
}

export class ContextKeys {
  private readonly last = new Map<string, boolean>();

  constructor(private readonly set: (key: string, value: boolean) => void) {}

  update(state: ContextState): void {
    for (const [key, value] of Object.entries(state) as [string, boolean][]) {
      if (this.last.get(key) === value) continue;
      this.last.set(key, value);
      this.set(key, value);
    }
  }
}
