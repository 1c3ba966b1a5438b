// Which lines the user hid from each chart with its legend, kept for as long as the panel lives (a chart
// rebuilt for a new theme or grouping shows the same lines). Pure, for tests.

export class LineVisibility {
  private readonly hidden = new Map<string, Set<string>>();

  isShown(chartId: string, lineKey: string): boolean {
    return !this.hidden.get(chartId)?.has(lineKey);
  }

  /** Shows a hidden line or hides a shown one; returns whether it is now shown. */
  toggle(chartId: string, lineKey: string): boolean {
    let set = this.hidden.get(chartId);
    if (!set) this.hidden.set(chartId, (set = new Set()));
    if (set.delete(lineKey)) return true;
    set.add(lineKey);
    return false;
  }

  /** Whether each of `lineKeys` is shown, in order. */
  shown(chartId: string, lineKeys: readonly string[]): boolean[] {
    return lineKeys.map((k) => this.isShown(chartId, k));
  }
}
