// The workspace-wide headline numbers. Several sources often watch the same server (its Bun stream,
// its /metrics and its snapshot socket), so summing them would double count: each number comes from
// the first source, in settings order, that provides it. Per-source items show each one.

import type { SummaryView } from '../protocol';
import type { SeriesInfo } from './store';
import { summarize } from './summary';

export function headline(series: readonly SeriesInfo[], sourceOrder: readonly string[]): SummaryView {
  const known = new Set(series.map((s) => s.sourceId));
  const order = [...sourceOrder.filter((id) => known.has(id)), ...[...known].filter((id) => !sourceOrder.includes(id))];
  if (order.length <= 1) return summarize(series);
  const perSource = order.map((id) => summarize(series, new Set([id])));
  const pick = <K extends keyof SummaryView>(key: K): SummaryView[K] => {
    for (const s of perSource) if (s[key] !== null) return s[key];
    return null as SummaryView[K];
  };
  const heapSource = perSource.find((s) => s.heapBytes !== null);
  return {
    requestRate: pick('requestRate'),
    latencyMs: pick('latencyMs'),
    errorRatePct: pick('errorRatePct'),
    connections: pick('connections'),
    pending: pick('pending'),
    subscribers: pick('subscribers'),
    heapBytes: heapSource?.heapBytes ?? null,
    heapTotalBytes: heapSource ? heapSource.heapTotalBytes : pick('heapTotalBytes'),
    rssBytes: pick('rssBytes'),
    cpuPct: pick('cpuPct'),
    uptimeSeconds: pick('uptimeSeconds'),
  };
}
