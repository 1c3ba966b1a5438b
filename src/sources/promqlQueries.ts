// What a `promql` source asks its engine: the configured queries, or the standard ones a series
// selector such as `{job="api"}` expands to; and the API URLs they are sent to.

import type { PromqlQuery, PromqlSettings } from '../core/model';
import { MAX_QUERIES_PER_POLL, selectorMatchers } from '../core/settings/promqlSettings';

/**
 * The standard queries for one selector: request rate, error rate, p95 latency (from an
 * `http_request_duration_seconds` histogram), memory, CPU and `up`. Metrics the target does not
 * expose give empty results, which show as nothing rather than as errors.
 */
export function expandSelector(selector: string): PromqlQuery[] {
  const m = selectorMatchers(selector);
  if (m === undefined) return [];
  const sel = `{${m}}`;
  const and = (extra: string): string => `{${m ? `${m}, ` : ''}${extra}}`;
  return [
    { name: 'http.requestRate', query: `sum by (handler) (rate(http_requests_total${sel}[1m]))`, unit: 'per_second', role: 'requestRate' },
    {
      name: 'http.errorRate',
      query: `100 * sum(rate(http_requests_total${and('code=~"5.."')}[1m])) / sum(rate(http_requests_total${sel}[1m]))`,
      unit: 'percent',
      role: 'errorRate',
    },
    { name: 'http.p95', query: `1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket${sel}[5m])))`, unit: 'ms', role: 'latency' },
    { name: 'process.rss', query: `process_resident_memory_bytes${sel}`, unit: 'bytes', role: 'rss' },
    { name: 'process.heap', query: `nodejs_heap_size_used_bytes${sel} or go_memstats_heap_inuse_bytes${sel}`, unit: 'bytes', role: 'heap' },
    { name: 'process.cpu', query: `100 * rate(process_cpu_seconds_total${sel}[1m])`, unit: 'percent', role: 'cpu' },
    { name: 'up', query: `up${sel}`, unit: 'none' },
  ];
}

/** The configured queries then the selector's, first name wins, at most MAX_QUERIES_PER_POLL. */
export function promqlQueries(settings: PromqlSettings | undefined): PromqlQuery[] {
  const all = [...(settings?.queries ?? []), ...(settings?.selector !== undefined ? expandSelector(settings.selector) : [])];
  const seen = new Set<string>();
  const out: PromqlQuery[] = [];
  for (const q of all) {
    if (seen.has(q.name) || out.length >= MAX_QUERIES_PER_POLL) continue;
    seen.add(q.name);
    out.push(q);
  }
  return out;
}

/**
 * `<server>/api/v1/<endpoint>?<params>`. The server URL may be given with or without `/api/v1…`
 * (Thanos, Mimir and VictoriaMetrics serve the API under a prefix such as `/prometheus`).
 */
export function apiUrl(server: string, endpoint: string, params: ReadonlyArray<readonly [string, string]> = []): string {
  const url = new URL(server);
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1(?:\/.*)?$/, '');
  url.pathname = `${base}/api/v1/${endpoint}`;
  url.hash = '';
  for (const [k, v] of params) url.searchParams.append(k, v);
  return url.toString();
}

/** Seconds as the API takes them, ms precision. */
export function apiTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}
