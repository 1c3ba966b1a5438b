// Series and label discovery on a Prometheus-compatible engine (`/api/v1/labels`, `/api/v1/series`,
// `/api/v1/label/<name>/values`): for the panel's filter and for "Add Source…" suggestions.
import type { Labels } from '../shared/views';
import { apiError, parseNames, parseSeries } from '../core/decode/promqlApi';
import type { ApiResult } from '../core/decode/promqlApi';
import { httpGet, httpStatusReason, requestHeaders } from './httpGet';
import { apiTime, apiUrl } from './promqlQueries';

export interface DiscoveryOptions {
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** Only series seen in the last this many ms (default 1 h). */
  readonly lookbackMs?: number;
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const DEFAULT_LOOKBACK_MS = 3_600_000;

async function fetchApi<T>(url: string, options: DiscoveryOptions, parse: (body: string) => ApiResult<T>): Promise<ApiResult<T>> {
  const result = await httpGet(url, {
    headers: requestHeaders(options.headers ?? {}, options.token, { Accept: 'application/json' }),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
  }).result;
  if (!result.ok) return { ok: false, error: result.message };
  if (result.status < 200 || result.status > 299) return { ok: false, error: apiError(result.body) ?? httpStatusReason(result.status, url) };
  return parse(result.body);
}

function window(options: DiscoveryOptions): Array<readonly [string, string]> {
  const now = (options.now ?? Date.now)();
  return [
    ['start', apiTime(now - (options.lookbackMs ?? DEFAULT_LOOKBACK_MS))],
    ['end', apiTime(now)],
  ];
}

function built(server: string, endpoint: string, params: ReadonlyArray<readonly [string, string]>): string | ApiResult<never> {
  try {
    return apiUrl(server, endpoint, params);
  } catch {
    return { ok: false, error: 'invalid server URL' };
  }
}

/** Label names, optionally only of series matching the selectors. */
export async function promqlLabels(server: string, match: readonly string[] = [], options: DiscoveryOptions = {}): Promise<ApiResult<string[]>> {
  const url = built(server, 'labels', [...match.map((m) => ['match[]', m] as const), ...window(options)]);
  return typeof url === 'string' ? fetchApi(url, options, parseNames) : url;
}

/** Values of one label (e.g. every `job`), optionally only of series matching the selectors. */
export async function promqlLabelValues(server: string, label: string, match: readonly string[] = [], options: DiscoveryOptions = {}): Promise<ApiResult<string[]>> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) return { ok: false, error: `invalid label name ${JSON.stringify(label.slice(0, 60))}` };
  const url = built(server, `label/${label}/values`, [...match.map((m) => ['match[]', m] as const), ...window(options)]);
  return typeof url === 'string' ? fetchApi(url, options, parseNames) : url;
}

/** The series matching at least one selector (the API needs one), `__name__` included. */
export async function promqlSeries(server: string, match: readonly string[], options: DiscoveryOptions = {}): Promise<ApiResult<Labels[]>> {
  if (match.length === 0) return { ok: false, error: 'series discovery needs at least one selector, e.g. {job="api"}' };
  const url = built(server, 'series', [...match.map((m) => ['match[]', m] as const), ...window(options)]);
  return typeof url === 'string' ? fetchApi(url, options, (body) => parseSeries(body)) : url;
}
