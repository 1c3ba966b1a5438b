// The hypervisord daemon's WebSocket (seed 004): metrics messages among logs and heartbeats.
import { inferSeries, isTimestampName } from './roles';
import { SampleList } from './sampleList';
import { field, finiteNumber, objectField, parseTimestamp } from './values';
import type { Limits } from './limits';
import type { SeriesMeta } from './roles';
import type { JsonObject } from './values';
import type { DecodeResult } from '../model';

const COUNT: SeriesMeta = { kind: 'gauge', unit: 'count' };

/** `data.raw` keys the seed names, with what they mean; read first, so roles go by this order. */
const KNOWN = new Map<string, SeriesMeta>([
  ['http_requests', { kind: 'counter', unit: 'count', role: 'requests' }],
  ['http_errors', { kind: 'counter', unit: 'count', role: 'errors' }],
  ['avg_response_time', { kind: 'gauge', unit: 'ms', role: 'latency' }],
  ['memory_usage', { kind: 'gauge', unit: 'bytes', role: 'heap' }],
  // The seed's daemon sends 0.0 here today ("goroutine count as proxy" is a plan); taken as a percent.
  ['cpu_usage', { kind: 'gauge', unit: 'percent', role: 'cpu' }],
  ['goroutines', { kind: 'gauge', unit: 'count', role: 'goroutines' }],
  ['uptime_seconds', { kind: 'gauge', unit: 'seconds', role: 'uptime' }],
  ['active_connections', { kind: 'gauge', unit: 'count', role: 'connections' }],
  // The same number as active_connections (both count WebSocket clients): a series, no second role.
  ['websocket_clients', COUNT],
  ['jobs_active', COUNT],
  ['jobs_pending', COUNT],
  // Running totals since the daemon started: counters, so their rate is jobs per second.
  ['jobs_completed', { kind: 'counter', unit: 'count', role: 'jobs' }],
  ['jobs_failed', { kind: 'counter', unit: 'count', role: 'jobsFailed' }],
  ['jobs_cancelled', { kind: 'counter', unit: 'count' }],
]);

const MAX_KEY = 128;

/** The daemon's `data.raw` metrics object, when the message is one. */
export function daemonRaw(msg: JsonObject): JsonObject | undefined {
  const data = objectField(msg, 'data');
  return data ? objectField(data, 'raw') : undefined;
}

export function decodeDaemon(msg: JsonObject, limits: Limits): DecodeResult {
  const type = field(msg, 'type');
  if (typeof type === 'string' && type !== 'metrics') return { ok: true, value: { format: 'daemon', samples: [], ignored: true } };
  const raw = daemonRaw(msg);
  if (type !== 'metrics' || raw === undefined) {
    return { ok: false, error: 'expected a daemon message ({"type":"metrics","data":{"raw":{…}}} or another type)' };
  }
  const out = new SampleList(limits.maxLeaves);
  for (const [key, known] of KNOWN) out.add(key, finiteNumber(field(raw, key), true), known.kind, known.unit, known.role);
  for (const key of Object.keys(raw)) {
    if (out.full) break;
    if (key.length > MAX_KEY || KNOWN.has(key) || isTimestampName(key)) continue;
    const value: unknown = raw[key];
    // Nested blocks and strings in unknown keys are not part of the daemon contract.
    if (typeof value !== 'number') continue;
    const meta = inferSeries(key);
    const v = finiteNumber(value);
    out.add(meta.name, v === undefined ? undefined : v * meta.scale, meta.kind, meta.unit, meta.role);
  }
  const timestamp = parseTimestamp(field(msg, 'timestamp'));
  return { ok: true, value: { format: 'daemon', samples: out.samples, ...(timestamp === undefined ? {} : { timestamp }) } };
}

/** Message types the daemon sends besides metrics. */
export const DAEMON_OTHER_TYPES: ReadonlySet<string> = new Set(['log', 'heartbeat', 'status']);
