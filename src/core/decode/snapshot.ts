// The snapshot / update / error protocol and the bare MetricsSnapshot (seed 001; docs/formats.md §2).
import { SampleList } from './sampleList';
import { addUnknownFields } from './unknownFields';
import { field, finiteNumber, isObject, labelValue, objectField, parseTimestamp, printable, truncate } from './values';
import { decodeServerAlerts } from './serverAlerts';
import type { Limits } from './limits';
import type { JsonObject } from './values';
import type { DecodeResult } from '../model';
import type { Role, Unit } from '../../shared/vocabulary';

const MAX_ENDPOINTS = 1000;
const MAX_SERVER_ERROR = 500;

export const SNAPSHOT_TYPES: ReadonlySet<unknown> = new Set(['snapshot', 'update', 'error']);

const num = (v: unknown): number | undefined => finiteNumber(v, true);

/** Keys of the envelope, never measurements. */
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['type', 'data', 'alerts', 'timestamp']);
/** Endpoint keys that identify or stamp a row rather than measure it. */
const ENDPOINT_SKIP: ReadonlySet<string> = new Set(['method', 'path', 'endpoint', 'timestamp', 'id']);

/** Endpoint fields with a meaning in seed 001 (`EndpointMetrics`); errorRate is already a percent. */
const ENDPOINT_FIELDS: ReadonlyArray<readonly [key: string, kind: 'gauge' | 'counter', unit: Unit]> = [
  ['p50', 'gauge', 'ms'],
  ['p95', 'gauge', 'ms'],
  ['p99', 'gauge', 'ms'],
  ['errorRate', 'gauge', 'percent'],
  ['throughput', 'gauge', 'per_second'],
  // Not in the seed; older Pulse fixtures sent them and they cost nothing to keep.
  ['requests', 'counter', 'count'],
  ['errors', 'counter', 'count'],
];

/** `endpoint.<key>` of each ENDPOINT_FIELDS row, built once. */
const ENDPOINT_NAMES: readonly string[] = ENDPOINT_FIELDS.map(([k]) => `endpoint.${k}`);
const ENDPOINT_KNOWN: ReadonlySet<string> = new Set([...ENDPOINT_SKIP, ...ENDPOINT_FIELDS.map(([k]) => k)]);

/** Endpoint keys read above or that identify a row: not walked as unknown fields. */
function isEndpointKnown(key: string): boolean {
  return ENDPOINT_KNOWN.has(key);
}

/** `system` and `cdn` fields of seed 001's MetricsSnapshot: [key, unit, role]. */
const SYSTEM_FIELDS: ReadonlyArray<readonly [string, Unit, Role | undefined]> = [
  ['uptime', 'seconds', 'uptime'],
  // A bare number; the seed gives no unit. Assumed bytes of process memory (process.memoryUsage()),
  // the only memory figure the server sends, so it feeds the heap headline (docs/formats.md §2).
  ['memory', 'bytes', 'heap'],
  ['cpu', 'percent', 'cpu'],
  // Not in the seed; kept from older Pulse shapes.
  ['connections', 'count', 'connections'],
];
const CDN_FIELDS: ReadonlyArray<readonly [string, Unit, Role | undefined]> = [
  ['cacheHitRatio', 'percent', 'cacheHitRatio'], // percent: the seed's rule is cacheHitMin 90
  ['storage', 'percent', 'storage'], // percent: the seed's rule is storageMax 85
  ['bandwidth', 'bytes', undefined],
];

/** A bare MetricsSnapshot (no `type`), as `GET /api/metrics` and `/sse` send it — strict, for auto-detection. */
export function looksLikeBareSnapshot(msg: JsonObject): boolean {
  if (field(msg, 'type') !== undefined) return false;
  const endpoints = field(msg, 'endpoints');
  if (Array.isArray(endpoints)) {
    const list: readonly unknown[] = endpoints;
    if (list.length === 0) return true;
    for (let i = 0; i < list.length && i < 5; i++) {
      const ep = list[i];
      if (isObject(ep) && ['p50', 'p95', 'p99', 'errorRate', 'throughput'].some((k) => field(ep, k) !== undefined)) return true;
    }
  }
  const cdn = objectField(msg, 'cdn');
  if (cdn && ['cacheHitRatio', 'storage', 'bandwidth'].some((k) => field(cdn, k) !== undefined)) return true;
  // Seed 001's system block holds plain numbers (Go's, seed 003, holds memory/cpu objects); two of the
  // three, so a status page's lone `system.uptime` stays generic JSON.
  const system = objectField(msg, 'system');
  return system !== undefined && ['memory', 'cpu', 'uptime'].filter((k) => typeof field(system, k) === 'number').length >= 2;
}

/** Any block of a snapshot, when the format is fixed to `snapshot`. */
function hasSnapshotBlocks(msg: JsonObject): boolean {
  return Array.isArray(field(msg, 'endpoints')) || isObject(field(msg, 'system')) || isObject(field(msg, 'cdn'));
}

export function decodeSnapshot(msg: JsonObject, limits: Limits): DecodeResult {
  const type = field(msg, 'type');
  const bare = type === undefined && hasSnapshotBlocks(msg);
  if (!bare && !SNAPSHOT_TYPES.has(type)) {
    const got = typeof type === 'string' ? `type ${JSON.stringify(truncate(type, 40))}` : 'no type';
    return { ok: false, error: `expected a snapshot/update/error message, got ${got}` };
  }
  if (type === 'error') {
    const timestamp = parseTimestamp(field(msg, 'timestamp'));
    return { ok: true, value: { format: 'snapshot', samples: [], serverError: serverErrorText(msg), ...(timestamp === undefined ? {} : { timestamp }) } };
  }

  const data = bare ? msg : (objectField(msg, 'data') ?? (hasSnapshotBlocks(msg) ? msg : undefined));
  // The snapshot's own collection time first: a re-sent snapshot keeps it, so repeats can be told apart.
  const timestamp = parseTimestamp(data === undefined ? undefined : field(data, 'timestamp')) ?? parseTimestamp(field(msg, 'timestamp'));
  const out = new SampleList(limits.maxLeaves);
  if (data) {
    decodeEndpoints(field(data, 'endpoints'), out, limits);
    decodeBlock(objectField(data, 'system'), 'system', SYSTEM_FIELDS, out, limits);
    decodeBlock(objectField(data, 'cdn'), 'cdn', CDN_FIELDS, out, limits);
    addUnknownFields(data, '', (key) => key === 'endpoints' || key === 'system' || key === 'cdn' || ENVELOPE_KEYS.has(key), out, limits);
  }
  const rawAlerts = field(msg, 'alerts') ?? (data && data !== msg ? field(data, 'alerts') : undefined);
  // Alerts are optional on updates: an update without them means none is active any more.
  const alerts = Array.isArray(rawAlerts) ? decodeServerAlerts(rawAlerts) : type === 'update' ? [] : undefined;
  return {
    ok: true,
    value: { format: 'snapshot', samples: out.samples, ...(timestamp === undefined ? {} : { timestamp }), ...(alerts === undefined ? {} : { alerts }) },
  };
}

function serverErrorText(msg: JsonObject): string {
  const message = field(msg, 'message');
  const error = field(msg, 'error');
  const text =
    typeof error === 'string' && error.trim() !== ''
      ? error
      : typeof message === 'string' && message.trim() !== ''
        ? message
        : isObject(error) && typeof field(error, 'message') === 'string'
          ? String(field(error, 'message'))
          : 'the server reported an error';
  return truncate(printable(text), MAX_SERVER_ERROR);
}

function decodeEndpoints(endpoints: unknown, out: SampleList, limits: Limits): void {
  if (!Array.isArray(endpoints)) return;
  let throughput = 0;
  let tpN = 0;
  let errWeighted = 0;
  let errWeight = 0;
  let errPlain = 0;
  let errN = 0;
  let p95Weighted = 0;
  let p95Weight = 0;
  let p95Plain = 0;
  let p95N = 0;
  const list: readonly unknown[] = endpoints;
  for (let i = 0; i < list.length && i < MAX_ENDPOINTS; i++) {
    const ep = list[i];
    if (!isObject(ep)) continue;
    const labels: Array<[string, string]> = [];
    const method = labelValue(field(ep, 'method'));
    const path = labelValue(field(ep, 'path')) ?? labelValue(field(ep, 'endpoint'));
    if (method !== undefined) labels.push(['method', method]);
    if (path !== undefined) labels.push(['path', path]);
    for (let f = 0; f < ENDPOINT_FIELDS.length; f++) {
      const [key, kind, unit] = ENDPOINT_FIELDS[f] as (typeof ENDPOINT_FIELDS)[number];
      out.add(ENDPOINT_NAMES[f] as string, num(field(ep, key)), kind, unit, undefined, labels);
    }
    addUnknownFields(ep, 'endpoint', isEndpointKnown, out, limits, labels);
    const p95 = num(field(ep, 'p95'));
    const errorRate = num(field(ep, 'errorRate'));
    const tp = num(field(ep, 'throughput'));
    if (tp !== undefined) tpN++;
    const weight = tp !== undefined && tp > 0 ? tp : 0;
    throughput += weight;
    if (errorRate !== undefined) {
      errWeighted += errorRate * weight;
      errWeight += weight;
      errPlain += errorRate;
      errN++;
    }
    if (p95 !== undefined) {
      p95Weighted += p95 * weight;
      p95Weight += weight;
      p95Plain += p95;
      p95N++;
    }
  }
  // An empty endpoint list is a server with no traffic: throughput 0, not unknown.
  if (tpN > 0 || list.length === 0) out.add('http.throughput', throughput, 'gauge', 'per_second', 'requestRate');
  // Weighted by throughput (the share of requests that failed); with no traffic every endpoint counts the same.
  if (errN > 0) out.add('http.errorRate', errWeight > 0 ? errWeighted / errWeight : errPlain / errN, 'gauge', 'percent', 'errorRate');
  if (p95N > 0) out.add('http.p95', p95Weight > 0 ? p95Weighted / p95Weight : p95Plain / p95N, 'gauge', 'ms', 'latency');
}

function decodeBlock(
  block: JsonObject | undefined,
  prefix: string,
  fields: ReadonlyArray<readonly [string, Unit, Role | undefined]>,
  out: SampleList,
  limits: Limits,
): void {
  if (!block) return;
  const known = new Set<string>();
  for (const [key, unit, role] of fields) {
    const raw = field(block, key);
    // `cpu: {percent}` is an older Pulse shape; anything else nested is walked below.
    const value = key === 'cpu' && isObject(raw) ? num(field(raw, 'percent')) : num(raw);
    if (value === undefined) continue;
    known.add(key);
    out.add(`${prefix}.${key}`, value, 'gauge', unit, role);
  }
  addUnknownFields(block, prefix, (key) => known.has(key), out, limits);
}
