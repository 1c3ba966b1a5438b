// Prometheus HTTP API responses (`/api/v1/query`, `query_range`, `labels`, `series`) read as
// untrusted JSON: every shape checked, series, points and strings bounded, NaN/±Inf dropped.

import type { Labels } from '../../shared/views';
import { normalizeLabels } from './labels';
import { field, finiteNumber, isObject, printable, truncate } from './values';

export interface ApiLimits {
  /** Most series kept from one response; the rest are counted in `dropped`. */
  readonly maxSeries: number;
  /** Most points kept from one response (all series together). */
  readonly maxPoints: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = { maxSeries: 500, maxPoints: 200_000 };

export interface InstantSeries {
  readonly labels: Labels;
  /** Evaluation time, ms since the epoch. */
  readonly t: number;
  readonly v: number;
}

export interface RangeSeries {
  readonly labels: Labels;
  readonly t: number[];
  readonly v: number[];
}

export type ApiResult<T> =
  | { readonly ok: true; readonly data: T; readonly dropped: number }
  | { readonly ok: false; readonly error: string };

const MAX_LABELS = 64;
const MAX_LABEL_NAME = 128;
const MAX_ERROR = 300;
const MAX_NAMES = 10_000;
/** Seconds since the epoch: after 1973, before 5138. Anything else is not a sample time. */
const MIN_SECONDS = 1e8;
const MAX_SECONDS = 1e11;

function fail<T>(error: string): ApiResult<T> {
  return { ok: false, error };
}

/** The JSON body, or why not. Non-JSON (an HTML login page, a proxy's error text) is named as such. */
function parseBody(body: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const head = printable(body.slice(0, 60)).trim();
    return { ok: false, error: `not a Prometheus API response (not JSON${head ? `: ${JSON.stringify(truncate(head, 60))}` : ''})` };
  }
  if (!isObject(value)) return { ok: false, error: 'not a Prometheus API response (not a JSON object)' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** `{status:"error", errorType, error}` as one line, or the `data` of a success. */
function envelope(body: string): { ok: true; data: unknown } | { ok: false; error: string } {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed;
  const status = field(parsed.value, 'status');
  if (status === 'error') {
    const type = field(parsed.value, 'errorType');
    const text = field(parsed.value, 'error');
    const typeText = typeof type === 'string' && type ? `${truncate(printable(type), 40)}: ` : '';
    return { ok: false, error: `${typeText}${typeof text === 'string' ? truncate(printable(text), MAX_ERROR) : 'unknown error'}` };
  }
  if (status !== 'success') return { ok: false, error: 'not a Prometheus API response (no "status": "success")' };
  return { ok: true, data: field(parsed.value, 'data') };
}

/** A sample value: Prometheus sends strings ("1.5", "NaN", "+Inf"); a few engines send numbers. NaN/±Inf → undefined. */
export function sampleValue(value: unknown): number | undefined {
  return finiteNumber(value, true);
}

/** A sample time in seconds (a float) → ms, or undefined. */
export function sampleTime(value: unknown): number | undefined {
  const s = finiteNumber(value, true);
  if (s === undefined || s < MIN_SECONDS || s > MAX_SECONDS) return undefined;
  return Math.round(s * 1000);
}

/**
 * A result's `metric` object as labels. `__name__` is kept only when `keepName`; names and values
 * are bounded, and a metric with too many labels is refused (undefined).
 */
export function metricLabels(metric: unknown, keepName: boolean): Labels | undefined {
  if (metric === undefined) return [];
  if (!isObject(metric)) return undefined;
  const keys = Object.keys(metric);
  if (keys.length > MAX_LABELS + 1) return undefined;
  const pairs: Array<readonly [string, string]> = [];
  for (const key of keys) {
    if (key === '__name__' && !keepName) continue;
    const value = field(metric, key);
    if (typeof value !== 'string' || key.length === 0 || key.length > MAX_LABEL_NAME) return undefined;
    pairs.push([printable(key), printable(value)]);
  }
  return normalizeLabels(pairs);
}

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * A `[time, "value"]` pair; 'skip' for NaN/±Inf (a quantile with no traffic, a division by zero:
 * normal, not an error); undefined when malformed.
 */
function point(x: unknown): readonly [number, number] | 'skip' | undefined {
  if (!Array.isArray(x) || x.length !== 2) return undefined;
  const t = sampleTime(x[0]);
  if (t === undefined) return undefined;
  const raw: unknown = x[1];
  const v = sampleValue(raw);
  if (v !== undefined) return [t, v];
  return (typeof raw === 'string' && NON_FINITE.test(raw)) || (typeof raw === 'number' && !Number.isFinite(raw)) ? 'skip' : undefined;
}

/** The API's own error (`status: "error"`) in a body, e.g. of an HTTP 400/422/503; undefined when the body is not one. */
export function apiError(body: string): string | undefined {
  const env = envelope(body);
  return !env.ok && !env.error.startsWith('not a Prometheus API response') ? env.error : undefined;
}

/** Distinct `__name__`s in a result: labels keep `__name__` only when there are several. */
function severalNames(result: readonly unknown[]): boolean {
  let first: unknown;
  for (const r of result) {
    const name = isObject(r) && isObject(field(r, 'metric')) ? field(field(r, 'metric') as Record<string, unknown>, '__name__') : undefined;
    if (name === undefined) continue;
    if (first === undefined) first = name;
    else if (name !== first) return true;
  }
  return false;
}

function resultOf(data: unknown): { type: string; result: unknown } | undefined {
  if (!isObject(data)) return undefined;
  const type = field(data, 'resultType');
  return typeof type === 'string' ? { type, result: field(data, 'result') } : undefined;
}

/** `/api/v1/query`: a vector (or a scalar, as one unlabelled series). */
export function parseInstant(body: string, limits: ApiLimits = DEFAULT_API_LIMITS): ApiResult<InstantSeries[]> {
  const env = envelope(body);
  if (!env.ok) return env;
  const res = resultOf(env.data);
  if (!res) return fail('malformed response: no "data.resultType"');
  if (res.type === 'scalar') {
    const p = point(res.result);
    if (p === 'skip') return { ok: true, data: [], dropped: 0 };
    return { ok: true, data: p ? [{ labels: [], t: p[0], v: p[1] }] : [], dropped: p ? 0 : 1 };
  }
  if (res.type === 'string') return fail('the query returns a string, not numbers');
  if (res.type === 'matrix') return fail('the query returns a range vector: wrap it in a function such as rate(…)');
  if (res.type !== 'vector') return fail(`unknown result type ${JSON.stringify(truncate(printable(res.type), 30))}`);
  if (!Array.isArray(res.result)) return fail('malformed response: "data.result" is not a list');
  const keepName = severalNames(res.result.slice(0, limits.maxSeries));
  const out: InstantSeries[] = [];
  let dropped = 0;
  for (const r of res.result as unknown[]) {
    if (out.length >= limits.maxSeries || !isObject(r)) {
      dropped++;
      continue;
    }
    const labels = metricLabels(field(r, 'metric'), keepName);
    const p = point(field(r, 'value'));
    if (labels === undefined || p === undefined) {
      dropped++;
      continue;
    }
    if (p === 'skip') continue;
    out.push({ labels, t: p[0], v: p[1] });
  }
  return { ok: true, data: out, dropped };
}

/** `/api/v1/query_range`: a matrix. Points out of order or not finite are dropped. */
export function parseRange(body: string, limits: ApiLimits = DEFAULT_API_LIMITS): ApiResult<RangeSeries[]> {
  const env = envelope(body);
  if (!env.ok) return env;
  const res = resultOf(env.data);
  if (!res) return fail('malformed response: no "data.resultType"');
  if (res.type !== 'matrix') return fail(`expected a matrix from query_range, got ${JSON.stringify(truncate(printable(res.type), 30))}`);
  if (!Array.isArray(res.result)) return fail('malformed response: "data.result" is not a list');
  const keepName = severalNames(res.result.slice(0, limits.maxSeries));
  const out: RangeSeries[] = [];
  let dropped = 0;
  let budget = limits.maxPoints;
  for (const r of res.result as unknown[]) {
    const values = isObject(r) ? field(r, 'values') : undefined;
    const labels = isObject(r) ? metricLabels(field(r, 'metric'), keepName) : undefined;
    if (out.length >= limits.maxSeries || budget <= 0 || labels === undefined || !Array.isArray(values)) {
      dropped++;
      continue;
    }
    const s: RangeSeries = { labels, t: [], v: [] };
    for (const x of values as unknown[]) {
      if (budget <= 0) break;
      const p = point(x);
      if (p === undefined || p === 'skip' || (s.t.length > 0 && p[0] <= (s.t[s.t.length - 1] ?? -Infinity))) continue;
      s.t.push(p[0]);
      s.v.push(p[1]);
      budget--;
    }
    if (s.t.length > 0) out.push(s);
  }
  return { ok: true, data: out, dropped };
}

/** `/api/v1/labels` (and `/api/v1/label/<name>/values`): a list of strings, bounded. */
export function parseNames(body: string): ApiResult<string[]> {
  const env = envelope(body);
  if (!env.ok) return env;
  if (!Array.isArray(env.data)) return fail('malformed response: "data" is not a list');
  const out: string[] = [];
  let dropped = 0;
  for (const x of env.data as unknown[]) {
    if (typeof x === 'string' && x.length <= MAX_LABEL_NAME * 2 && out.length < MAX_NAMES) out.push(printable(x));
    else dropped++;
  }
  return { ok: true, data: out, dropped };
}

/** `/api/v1/series`: label sets, `__name__` included. */
export function parseSeries(body: string, limits: ApiLimits = DEFAULT_API_LIMITS): ApiResult<Labels[]> {
  const env = envelope(body);
  if (!env.ok) return env;
  if (!Array.isArray(env.data)) return fail('malformed response: "data" is not a list');
  const out: Labels[] = [];
  let dropped = 0;
  for (const x of env.data as unknown[]) {
    const labels = out.length < limits.maxSeries ? metricLabels(x, true) : undefined;
    if (labels === undefined) dropped++;
    else out.push(labels);
  }
  return { ok: true, data: out, dropped };
}
