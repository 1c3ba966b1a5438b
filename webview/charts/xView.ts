// One chart's time range: live (follows the data), zoomed (a dragged range) or paused (frozen with the panel).
// Pure (no DOM, no uPlot), so the zoom and pause rules are tested in plain Node.

export interface TimeRange {
  readonly min: number;
  readonly max: number;
}

export type XMode = 'live' | 'zoomed' | 'paused';

/** A usable range: finite, in order and at least 1 ms wide. */
export function validRange(min: number | null | undefined, max: number | null | undefined): TimeRange | null {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return null;
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  return hi - lo >= 1 ? { min: lo, max: hi } : null;
}

/**
 * Zoom wins over pause: a chart zoomed while paused shows its zoom, and Reset zoom brings back the paused
 * range. A chart paused before it had a range freezes at the first range it shows.
 */
export class XView {
  private zoom: TimeRange | null = null;
  private frozen: TimeRange | null = null;

  constructor(private paused = false) {}

  get mode(): XMode {
    return this.zoom ? 'zoomed' : this.paused ? 'paused' : 'live';
  }

  /** The range to keep on screen whatever data arrives, or null to follow the data. */
  get held(): TimeRange | null {
    return this.zoom ?? (this.paused ? this.frozen : null);
  }

  /** Zooms to [min, max]; returns false (and changes nothing) for an unusable range. */
  zoomTo(min: number, max: number): boolean {
    const r = validRange(min, max);
    if (!r) return false;
    this.zoom = r;
    return true;
  }

  /** Leaves the zoom; returns whether there was one. */
  resetZoom(): boolean {
    const had = this.zoom !== null;
    this.zoom = null;
    return had;
  }

  /** Freezes at `current` (the range on screen), or at the next range shown when there is none yet. */
  pause(current: TimeRange | null): void {
    this.paused = true;
    this.frozen = current;
  }

  resume(): void {
    this.paused = false;
    this.frozen = null;
  }

  /** While paused, forgets the frozen range so the next range shown (e.g. after a new window) is frozen. */
  refreeze(): void {
    if (this.paused) this.frozen = null;
  }

  /**
   * The x range to draw for data spanning [dataMin, dataMax] (what uPlot's range function returns). Live, it
   * is the data within the window (`floor` is its start: older points kept for a held chart stay off).
   */
  range(dataMin: number | null, dataMax: number | null, floor: number): [number, number] | [null, null] {
    const held = this.held;
    if (held) return [held.min, held.max];
    if (dataMin == null || dataMax == null) return [null, null];
    const shown: [number, number] = floor > dataMin && floor < dataMax ? [floor, dataMax] : [dataMin, dataMax];
    if (this.paused && !this.frozen) this.frozen = validRange(shown[0], shown[1]);
    return shown;
  }
}

/** The oldest time any held range needs, so trimming the history keeps it (null: nothing held). */
export function oldestHeld(views: Iterable<XView>): number | null {
  let oldest: number | null = null;
  for (const v of views) {
    const h = v.held;
    if (h && (oldest === null || h.min < oldest)) oldest = h.min;
  }
  return oldest;
}
