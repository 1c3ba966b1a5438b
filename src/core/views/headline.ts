// The workspace-wide headline numbers. Several sources often watch the same server (its Bun stream,
// its /metrics and its snapshot socket), so summing them would double count: each number comes from
// the first source, in settings order, that provides it. Per-source items show each one. Also: the
// labelled series a headline is made of, for the tooltip.

import type { SummaryView } from '../../shared/views';
import type { Role } from '../../shared/vocabulary';
import type { StatusMetric } from '../settings/settings';
import type { LabelValue } from './statusText';
import type { SeriesInfo } from '../series/store';
import type { SummaryOptions } from './summary';
import { roleValue, summarize } from './summary';

/** The role each status bar metric is read from. */
export const STATUS_ROLE: Readonly<Record<StatusMetric, Role>> = {
  requestRate: 'requests',
  latency: 'latency',
  errorRate: 'errorRate',
  connections: 'connections',
  heap: 'heap',
  uptime: 'uptime',
  cpu: 'cpu',
  pending: 'pending',
  subscribers: 'subscribers',
  goroutines: 'goroutines',
  jobs: 'jobs',
};

export function headline(series: readonly SeriesInfo[], sourceOrder: readonly string[], options?: SummaryOptions): SummaryView {
  const known = new Set(series.map((s) => s.sourceId));
  const order = [...sourceOrder.filter((id) => known.has(id)), ...[...known].filter((id) => !sourceOrder.includes(id))];
  if (order.length <= 1) return summarize(series, undefined, options);
  const perSource = order.map((id) => summarize(series, new Set([id]), options));
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
    goroutines: pick('goroutines'),
    jobRate: pick('jobRate'),
  };
}

/** Metrics whose headline combines a source's labelled series (sum; for CPU as `cpuAcrossLabels` says). */
const COMBINED: ReadonlySet<StatusMetric> = new Set<StatusMetric>(['requestRate', 'connections', 'heap', 'cpu', 'pending', 'subscribers', 'goroutines', 'jobs']);
const MAX_LABEL_TEXT = 80;

/**
 * The labelled series behind a headline: those of the first source (in order) that has the role,
 * when that source sends no unlabelled total of it.
 */
export function labelBreakdown(series: readonly SeriesInfo[], order: readonly string[], metric: StatusMetric): LabelValue[] | undefined {
  if (!COMBINED.has(metric)) return undefined;
  const role = STATUS_ROLE[metric];
  const withRole = series.filter((x) => x.role === role);
  for (const id of order) {
    const own = withRole.filter((x) => x.sourceId === id);
    if (own.length === 0) continue;
    if (own.some((x) => x.labels.length === 0)) return undefined;
    const out: LabelValue[] = [];
    for (const x of own) {
      const v = x.role === null ? null : roleValue(x, x.role);
      if (v === null || !Number.isFinite(v)) continue;
      out.push({ label: x.labels.map(([k, val]) => `${k}=${val}`).join(', ').slice(0, MAX_LABEL_TEXT), value: v });
    }
    return out;
  }
  return undefined;
}
