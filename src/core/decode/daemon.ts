// The daemon protocol: metrics messages among logs and heartbeats (docs/formats.md §3).
import { guessKind, guessUnit } from './roles';
import { SampleList } from './sampleList';
import { field, finiteNumber, objectField, parseTimestamp } from './values';
import type { Limits } from './limits';
import type { SeriesMeta } from './roles';
import type { JsonObject } from './values';
import type { DecodeResult } from '../model';

const KNOWN = new Map<string, SeriesMeta>([
  ['http_requests', { kind: 'counter', unit: 'count', role: 'requests' }],
  ['http_errors', { kind: 'counter', unit: 'count', role: 'errors' }],
  ['avg_response_time', { kind: 'gauge', unit: 'ms', role: 'latency' }],
  ['memory_usage', { kind: 'gauge', unit: 'bytes', role: 'heap' }],
  ['goroutines', { kind: 'gauge', unit: 'count' }],
  ['uptime_seconds', { kind: 'gauge', unit: 'seconds', role: 'uptime' }],
  ['active_connections', { kind: 'gauge', unit: 'count', role: 'connections' }],
  ['cpu_percent', { kind: 'gauge', unit: 'percent', role: 'cpu' }],
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
  for (const key of Object.keys(raw)) {
    if (key.length > MAX_KEY) continue;
    const value: unknown = raw[key];
    const known = KNOWN.get(key);
    if (known) {
      out.add(key, finiteNumber(value, true), known.kind, known.unit, known.role);
    } else if (typeof value === 'number') {
      // Nested blocks and strings in unknown keys are not part of the daemon contract.
      const kind = guessKind(key);
      out.add(key, finiteNumber(value), kind, guessUnit(key, kind));
    }
  }
  const timestamp = parseTimestamp(field(msg, 'timestamp'));
  return { ok: true, value: { format: 'daemon', samples: out.samples, ...(timestamp === undefined ? {} : { timestamp }) } };
}

/** Message types the daemon sends besides metrics. */
export const DAEMON_OTHER_TYPES: ReadonlySet<string> = new Set(['log', 'heartbeat', 'status']);
