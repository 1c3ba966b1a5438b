// Whether the set of series or their descriptions changed between two states. Value updates replace a
// series' object but keep everything else (labels by reference), so this is a cheap identity check
// that lets value-only frames skip work that depends on names, labels, units and kinds.
import type { SeriesView } from '../../src/shared/views';

function sameDescription(a: SeriesView, b: SeriesView): boolean {
  return a.name === b.name && a.labels === b.labels && a.kind === b.kind && a.unit === b.unit && a.sourceId === b.sourceId && a.role === b.role && a.handle === b.handle;
}

/** True when `next` has the same series ids as `prev`, each described the same (values may differ). */
export function sameSeriesShape(prev: ReadonlyMap<string, SeriesView> | null, next: ReadonlyMap<string, SeriesView>): boolean {
  if (prev === next) return true;
  if (!prev || prev.size !== next.size) return false;
  for (const [id, s] of next) {
    const p = prev.get(id);
    if (!p || (p !== s && !sameDescription(p, s))) return false;
  }
  return true;
}
