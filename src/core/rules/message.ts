// The text of an alert transition, and the human name of a series it is about.

import type { Labels } from '../../shared/views';
import type { Severity, Unit } from '../../shared/vocabulary';
import { assertNever } from '../../shared/check';
import { formatPercent, formatValue } from '../../shared/format';
import type { SeriesInfo } from '../series/store';

export type SeriesName = Pick<SeriesInfo, 'name' | 'labels' | 'role'>;

/** What happened, in the display unit. */
export type AlertNews =
  | { readonly kind: 'noData'; readonly silentMs: number }
  | { readonly kind: 'back'; readonly value: number }
  | { readonly kind: 'anomaly'; readonly value: number; readonly baseline: number; readonly direction: 'above' | 'below' }
  | { readonly kind: 'level'; readonly value: number; readonly severity: Severity; readonly threshold: number | null; readonly direction: 'above' | 'below' }
  | { readonly kind: 'ended'; readonly why: string };

const ROLE_WORDS: Readonly<Partial<Record<string, string>>> = {
  errorRate: 'error rate',
  cacheHitRatio: 'cache hit ratio',
  storage: 'storage use',
  heap: 'heap',
  rss: 'RSS',
  cpu: 'CPU',
  connections: 'connections',
  pending: 'pending requests',
  subscribers: 'subscribers',
  requestRate: 'request rate',
  requests: 'request rate',
  errors: 'error rate',
};

function labelSuffix(labels: Labels): string {
  return labels.length === 0 ? '' : ` {${labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

/** A human name for the series, e.g. "p95 latency {path="/api"}" or "http.errorRate". */
export function describeSeries(s: SeriesName): string {
  let base = s.name;
  if (s.role === 'latency') {
    const q = /(?:^|[^a-z0-9])p(50|75|90|95|99|999)(?![0-9])/i.exec(s.name);
    base = q !== null ? `p${q[1]} latency` : 'latency';
  } else if (s.role !== null) {
    base = ROLE_WORDS[s.role] ?? s.name;
  }
  return `${base}${labelSuffix(s.labels)}`;
}

export function messageFor(s: SeriesName, unit: Unit, news: AlertNews): string {
  const name = describeSeries(s);
  switch (news.kind) {
    case 'noData':
      return `${name}: no data for ${Math.round(news.silentMs / 1000)} s`;
    case 'back':
      return `${name} is back to ${formatValue(news.value, unit)}`;
    case 'anomaly': {
      const pct = Math.round((Math.abs(news.value - news.baseline) / Math.abs(news.baseline || 1)) * 100);
      return `${name} ${formatValue(news.value, unit)} is ${formatPercent(pct)} ${news.direction} its baseline ${formatValue(news.baseline, unit)}`;
    }
    case 'level':
      return `${name} ${formatValue(news.value, unit)} is ${news.direction} the ${news.severity} level ${formatValue(news.threshold, unit)}`;
    case 'ended':
      return `${name}: alert ended (${news.why})`;
    default:
      return assertNever(news, 'alert news');
  }
}
