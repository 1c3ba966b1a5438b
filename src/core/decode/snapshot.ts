// The snapshot / update / error protocol (docs/formats.md §2).
import { SampleList } from './sampleList';
import { field, finiteNumber, isObject, labelValue, objectField, parseTimestamp, truncate } from './values';
import type { Limits } from './limits';
import type { JsonObject } from './values';
import type { DecodeResult, ServerAlert, Severity } from '../model';

const MAX_ENDPOINTS = 1000;
const MAX_ALERTS = 100;
const MAX_ALERT_ID = 200;
const MAX_ALERT_MESSAGE = 500;
const MAX_SERVER_ERROR = 500;

export const SNAPSHOT_TYPES: ReadonlySet<unknown> = new Set(['snapshot', 'update', 'error']);

const num = (v: unknown): number | undefined => finiteNumber(v, true);
const percentOf = (fraction: number | undefined): number | undefined => (fraction === undefined ? undefined : fraction * 100);

export function decodeSnapshot(msg: JsonObject, limits: Limits): DecodeResult {
  const type = field(msg, 'type');
  if (!SNAPSHOT_TYPES.has(type)) {
    const got = typeof type === 'string' ? `type ${JSON.stringify(truncate(type, 40))}` : 'no type';
    return { ok: false, error: `expected a snapshot/update/error message, got ${got}` };
  }
  const timestamp = parseTimestamp(field(msg, 'timestamp'));
  const stamp = timestamp === undefined ? {} : { timestamp };
  if (type === 'error') {
    return { ok: true, value: { format: 'snapshot', samples: [], serverError: serverErrorText(msg), ...stamp } };
  }

  const out = new SampleList(limits.maxLeaves);
  const data = objectField(msg, 'data');
  if (data) {
    decodeEndpoints(field(data, 'endpoints'), out);
    decodeSystem(objectField(data, 'system'), out);
    decodeCdn(objectField(data, 'cdn'), out);
  }
  const rawAlerts = field(msg, 'alerts') ?? (data ? field(data, 'alerts') : undefined);
  const alerts = Array.isArray(rawAlerts) ? decodeAlerts(rawAlerts) : undefined;
  return {
    ok: true,
    value: { format: 'snapshot', samples: out.samples, ...stamp, ...(alerts === undefined ? {} : { alerts }) },
  };
}

function serverErrorText(msg: JsonObject): string {
  const message = field(msg, 'message');
  const error = field(msg, 'error');
  const text =
    typeof message === 'string'
      ? message
      : typeof error === 'string'
        ? error
        : isObject(error) && typeof field(error, 'message') === 'string'
          ? String(field(error, 'message'))
          : 'the server reported an error';
  return truncate(text, MAX_SERVER_ERROR);
}

function decodeEndpoints(endpoints: unknown, out: SampleList): void {
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
    const path = labelValue(field(ep, 'path'));
    if (method !== undefined) labels.push(['method', method]);
    if (path !== undefined) labels.push(['path', path]);
    const p95 = num(field(ep, 'p95'));
    const errorRate = percentOf(num(field(ep, 'errorRate')));
    const tp = num(field(ep, 'throughput'));
    out.add('endpoint.p50', num(field(ep, 'p50')), 'gauge', 'ms', undefined, labels);
    out.add('endpoint.p95', p95, 'gauge', 'ms', undefined, labels);
    out.add('endpoint.p99', num(field(ep, 'p99')), 'gauge', 'ms', undefined, labels);
    out.add('endpoint.errorRate', errorRate, 'gauge', 'percent', undefined, labels);
    out.add('endpoint.throughput', tp, 'gauge', 'per_second', undefined, labels);
    out.add('endpoint.requests', num(field(ep, 'requests')), 'counter', 'count', undefined, labels);
    out.add('endpoint.errors', num(field(ep, 'errors')), 'counter', 'count', undefined, labels);
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
  // Weighted by throughput; with no traffic at all every endpoint counts the same.
  if (errN > 0) out.add('http.errorRate', errWeight > 0 ? errWeighted / errWeight : errPlain / errN, 'gauge', 'percent', 'errorRate');
  if (p95N > 0) out.add('http.p95', p95Weight > 0 ? p95Weighted / p95Weight : p95Plain / p95N, 'gauge', 'ms', 'latency');
}

function decodeSystem(system: JsonObject | undefined, out: SampleList): void {
  if (!system) return;
  const cpu = field(system, 'cpu');
  out.add('system.cpu', num(isObject(cpu) ? field(cpu, 'percent') : cpu), 'gauge', 'percent', 'cpu');
  const memory = objectField(system, 'memory');
  if (memory) {
    out.add('system.memory.used', num(field(memory, 'used')), 'gauge', 'bytes');
    out.add('system.memory.total', num(field(memory, 'total')), 'gauge', 'bytes');
    out.add('system.memory.percent', num(field(memory, 'percent')), 'gauge', 'percent');
  }
  out.add('system.uptime', num(field(system, 'uptime')), 'gauge', 'seconds', 'uptime');
  out.add('system.connections', num(field(system, 'connections')), 'gauge', 'count', 'connections');
  const storage = objectField(system, 'storage');
  if (storage) out.add('system.storage.usedPercent', num(field(storage, 'usedPercent')), 'gauge', 'percent', 'storage');
}

function decodeCdn(cdn: JsonObject | undefined, out: SampleList): void {
  if (!cdn) return;
  out.add('cdn.hitRatio', percentOf(num(field(cdn, 'hitRatio'))), 'gauge', 'percent', 'cacheHitRatio');
  out.add('cdn.bandwidth', num(field(cdn, 'bandwidth')), 'gauge', 'bytes');
  out.add('cdn.requests', num(field(cdn, 'requests')), 'counter', 'count');
}

const SEVERITIES: ReadonlySet<unknown> = new Set<Severity>(['info', 'warning', 'critical']);

function decodeAlerts(raw: readonly unknown[]): ServerAlert[] {
  const alerts: ServerAlert[] = [];
  for (let i = 0; i < raw.length && alerts.length < MAX_ALERTS; i++) {
    const a = raw[i];
    if (!isObject(a)) continue;
    const rawMessage = field(a, 'message');
    const rawMetric = field(a, 'metric');
    const metric = typeof rawMetric === 'string' && rawMetric.length > 0 ? truncate(rawMetric, MAX_ALERT_ID) : undefined;
    let message: string;
    if (typeof rawMessage === 'string' && rawMessage.trim().length > 0) message = truncate(rawMessage, MAX_ALERT_MESSAGE);
    else if (metric !== undefined) message = `Server alert on ${metric}`;
    else continue;
    const rawId = field(a, 'id');
    const id =
      typeof rawId === 'string' && rawId.length > 0 && rawId.length <= MAX_ALERT_ID
        ? rawId
        : typeof rawId === 'number' && Number.isFinite(rawId)
          ? String(rawId)
          : `server:${metric ?? 'alert'}:${hash(message)}`;
    const rawSeverity = field(a, 'severity');
    const severity: Severity = SEVERITIES.has(rawSeverity) ? (rawSeverity as Severity) : 'warning';
    const value = num(field(a, 'value'));
    const threshold = num(field(a, 'threshold'));
    const timestamp = parseTimestamp(field(a, 'timestamp'));
    alerts.push({
      id,
      severity,
      message,
      ...(metric === undefined ? {} : { metric }),
      ...(value === undefined ? {} : { value }),
      ...(threshold === undefined ? {} : { threshold }),
      ...(timestamp === undefined ? {} : { timestamp }),
    });
  }
  return alerts;
}

/** FNV-1a, hex: a stable id for an alert the server sent without one. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
