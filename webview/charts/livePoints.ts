// Live chart points from a delta's value updates: the host sends no separate points for the watched series.
import type { PointsView, SeriesValue, SeriesView } from '../../src/shared/views';
import type { HistoryRequest } from './chartData';

/** One point per value update of a series in `request`, timed on the host's clock, raw or rate as requested. */
export function livePoints(values: readonly SeriesValue[], series: Iterable<SeriesView>, hostNow: number, request: HistoryRequest): PointsView[] {
  const watched = new Set(request.ids);
  const byHandle = new Map<number, string>();
  for (const s of series) if (watched.has(s.id)) byHandle.set(s.handle, s.id);
  const points: PointsView[] = [];
  for (const [handle, value, raw, ageMs] of values) {
    const id = byHandle.get(handle);
    if (id === undefined) continue;
    points.push({ id, t: [hostNow - ageMs], v: [request.mode === 'raw' ? (raw ?? value) : value] });
  }
  return points;
}
