// Which annotation markers a chart shows, and which one the pointer is on. Pure (no DOM), for tests.
import type { AnnotationView } from '../../src/shared/views';

/** How close (CSS px) the pointer must come to a marker to show it. */
export const HOVER_PX = 6;

/** Annotations whose time lies in the x range [min, max] (seconds, as uPlot's time scale holds it). */
export function inRange(list: readonly AnnotationView[], min: number | null | undefined, max: number | null | undefined): AnnotationView[] {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  return list.filter((a) => a.at / 1000 >= min && a.at / 1000 <= max);
}

/** The marker nearest to `x` (CSS px from the plot's left edge) within `maxPx`, among `positions`. */
export function nearest<T>(items: readonly T[], positions: readonly number[], x: number, maxPx = HOVER_PX): T | null {
  let best: T | null = null;
  let bestDist = maxPx;
  for (let i = 0; i < items.length; i++) {
    const d = Math.abs((positions[i] ?? Number.NaN) - x);
    if (d <= bestDist) {
      best = items[i] ?? null;
      bestDist = d;
    }
  }
  return best;
}
