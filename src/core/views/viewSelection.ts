// Which series the panel holds when the store has more than it can show: a fair share per source
// (one flooding source cannot push a quiet one out), plus whatever the user's search (text or label selector) finds.

import type { SeriesInfo } from '../series/store';
import { matchesSeries, parseSeriesQuery } from '../../shared/matcher';

/**
 * At most `max` series, taken round-robin across sources in store order, so every source gets
 * max / sources of the room (more where another needs less). Order within a source is kept.
 */
export function fairSelection(all: readonly SeriesInfo[], max: number): SeriesInfo[] {
  if (all.length <= max) return [...all];
  const bySource = new Map<string, SeriesInfo[]>();
  for (const s of all) {
    let list = bySource.get(s.sourceId);
    if (list === undefined) {
      list = [];
      bySource.set(s.sourceId, list);
    }
    list.push(s);
  }
  const lists = [...bySource.values()];
  const taken = new Array<number>(lists.length).fill(0);
  const out: SeriesInfo[] = [];
  let room = max;
  // Whole rounds of the fair share first, then hand what is left to those that still have series.
  while (room > 0) {
    const open = lists.map((l, i) => (taken[i] ?? 0) < l.length);
    const openCount = open.filter(Boolean).length;
    if (openCount === 0) break;
    const share = Math.max(1, Math.floor(room / openCount));
    for (let i = 0; i < lists.length && room > 0; i++) {
      const list = lists[i];
      if (list === undefined || !open[i]) continue;
      const from = taken[i] ?? 0;
      const n = Math.min(share, list.length - from, room);
      for (let k = from; k < from + n; k++) {
        const s = list[k];
        if (s !== undefined) out.push(s);
      }
      taken[i] = from + n;
      room -= n;
    }
  }
  return out;
}

/**
 * Series the filter query keeps (plain text: name, labels as `key=value` or source name contain it,
 * case-insensitive; or a `name{label="x"}` selector, see src/shared/matcher.ts), at most `limit`: the
 * same test the panel's filter applies to the series it holds. An empty or malformed query finds none.
 */
export function searchSeries(all: readonly SeriesInfo[], query: string, limit: number, sourceName: (id: string) => string): SeriesInfo[] {
  const q = parseSeriesQuery(query);
  if (q.kind === 'all' || q.kind === 'invalid') return [];
  const out: SeriesInfo[] = [];
  for (const s of all) {
    if (matchesSeries(q, s, sourceName(s.sourceId))) {
      out.push(s);
      if (out.length >= limit) break;
    }
  }
  return out;
}
