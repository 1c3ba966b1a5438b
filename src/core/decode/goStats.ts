// Go-style JSON endpoints: /stats, /metrics/enhanced, /metrics/system (docs/formats.md §4).
import { numericLeaves } from './jsonWalk';
import { guessKind, guessUnit } from './roles';
import { SampleList } from './sampleList';
import { field, finiteNumber, isObject, objectField, parseTimestamp, truncate } from './values';
import type { Limits } from './limits';
import type { SeriesMeta } from './roles';
import type { JsonObject } from './values';
import type { ConnectionRow, DecodeResult } from '../model';

interface KnownField extends SeriesMeta {
  /** Series name when it differs from the path (nanoseconds are turned into ms). */
  readonly name?: string;
  readonly scale?: number;
}

const COUNT_GAUGE: KnownField = { kind: 'gauge', unit: 'count' };
const COUNTER: KnownField = { kind: 'counter', unit: 'count' };
const BYTES_GAUGE: KnownField = { kind: 'gauge', unit: 'bytes' };
const BYTES_COUNTER: KnownField = { kind: 'counter', unit: 'bytes' };
const NS_TO_MS = 1e-6;

const KNOWN = new Map<string, KnownField>([
  ['active_connections', { kind: 'gauge', unit: 'count', role: 'connections' }],
  ['connections.active', { kind: 'gauge', unit: 'count', role: 'connections' }],
  ['total_connections', COUNTER],
  ['connections.total', COUNTER],
  ['connections.peak', COUNT_GAUGE],
  ['messages_sent', COUNTER],
  ['messages_received', COUNTER],
  ['messages.sent', COUNTER],
  ['messages.received', COUNTER],
  ['bytes_sent', BYTES_COUNTER],
  ['bytes_received', BYTES_COUNTER],
  ['bytes.sent', BYTES_COUNTER],
  ['bytes.received', BYTES_COUNTER],
  ['uptime_seconds', { kind: 'gauge', unit: 'seconds', role: 'uptime' }],
  ['goroutines', COUNT_GAUGE],
  ['memory.alloc', BYTES_GAUGE],
  ['memory.total_alloc', BYTES_COUNTER],
  ['memory.sys', { kind: 'gauge', unit: 'bytes', role: 'rss' }],
  ['memory.heap_alloc', { kind: 'gauge', unit: 'bytes', role: 'heap' }],
  ['memory.heap_sys', BYTES_GAUGE],
  ['memory.heap_inuse', BYTES_GAUGE],
  ['memory.heap_idle', BYTES_GAUGE],
  ['memory.heap_released', BYTES_GAUGE],
  ['memory.heap_objects', COUNT_GAUGE],
  ['memory.stack_inuse', BYTES_GAUGE],
  ['gc.num_gc', COUNTER],
  ['gc.pause_total_ns', { kind: 'counter', unit: 'ms', name: 'gc.pause_total_ms', scale: NS_TO_MS }],
  ['gc.last_pause_ns', { kind: 'gauge', unit: 'ms', name: 'gc.last_pause_ms', scale: NS_TO_MS }],
  ['gc.gc_cpu_fraction', { kind: 'gauge', unit: 'ratio' }],
  ['cpu.num_cpu', COUNT_GAUGE],
  ['cpu.usage_percent', { kind: 'gauge', unit: 'percent', role: 'cpu' }],
]);

const MAX_ROWS = 500;
const MAX_TEXT = 200;

export function looksLikeGoStats(msg: JsonObject): boolean {
  if (Array.isArray(field(msg, 'connection_list'))) return true;
  const connections = objectField(msg, 'connections');
  if (connections && typeof field(connections, 'active') === 'number') return true;
  const memory = objectField(msg, 'memory');
  if (memory && typeof field(memory, 'heap_alloc') === 'number') return true;
  const gc = objectField(msg, 'gc');
  if (gc && typeof field(gc, 'num_gc') === 'number') return true;
  return typeof field(msg, 'active_connections') === 'number' && typeof field(msg, 'total_connections') === 'number';
}

function readPath(msg: JsonObject, path: string): unknown {
  const dot = path.indexOf('.');
  if (dot < 0) return field(msg, path);
  const parent = objectField(msg, path.slice(0, dot));
  return parent ? field(parent, path.slice(dot + 1)) : undefined;
}

export function decodeGoStats(msg: JsonObject, limits: Limits): DecodeResult {
  const out = new SampleList(limits.maxLeaves);
  for (const [path, meta] of KNOWN) {
    const v = finiteNumber(readPath(msg, path), true);
    out.add(meta.name ?? path, v === undefined ? undefined : v * (meta.scale ?? 1), meta.kind, meta.unit, meta.role);
  }
  const known = out.samples.length;
  // Fields outside the table still become series, typed from their names.
  const { leaves } = numericLeaves(
    msg,
    limits,
    (path, depth) => KNOWN.has(path) || (depth === 1 && (path === 'connection_list' || path === 'timestamp')),
  );
  for (const leaf of leaves) {
    const kind = guessKind(leaf.path);
    out.add(leaf.path, leaf.value, kind, guessUnit(leaf.path, kind));
  }
  const list = field(msg, 'connection_list');
  if (known === 0 && leaves.length === 0 && !Array.isArray(list)) {
    return { ok: false, error: 'expected a go-stats object (connections, memory, gc, goroutines, …) but found no such fields' };
  }
  const timestamp = parseTimestamp(field(msg, 'timestamp'));
  const connections = Array.isArray(list) ? connectionRows(list, timestamp ?? limits.now) : undefined;
  return {
    ok: true,
    value: {
      format: 'go-stats',
      samples: out.samples,
      ...(timestamp === undefined ? {} : { timestamp }),
      ...(connections === undefined ? {} : { connections }),
    },
  };
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return truncate(v, MAX_TEXT);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function first(row: JsonObject, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = field(row, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

function secondsSince(now: number, then: number | undefined): number | undefined {
  return then === undefined ? undefined : Math.max(0, (now - then) / 1000);
}

function optional<K extends keyof ConnectionRow>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, number>>);
}

function connectionRows(list: readonly unknown[], now: number): ConnectionRow[] {
  const rows: ConnectionRow[] = [];
  for (let i = 0; i < list.length && rows.length < MAX_ROWS; i++) {
    const raw = list[i];
    if (!isObject(raw)) continue;
    const connectedAt = parseTimestamp(first(raw, 'connected_at', 'connectedAt'));
    const lastActivity = parseTimestamp(first(raw, 'last_activity', 'lastActivity'));
    rows.push({
      id: text(field(raw, 'id')) ?? `#${i + 1}`,
      remoteAddress: text(first(raw, 'remote_addr', 'remoteAddr', 'remote_address', 'remoteAddress')) ?? '',
      ...optional('connectedAt', connectedAt),
      ...optional('durationSeconds', secondsSince(now, connectedAt)),
      ...optional('messagesIn', finiteNumber(first(raw, 'messages_received', 'messagesReceived'), true)),
      ...optional('messagesOut', finiteNumber(first(raw, 'messages_sent', 'messagesSent'), true)),
      ...optional('bytesIn', finiteNumber(first(raw, 'bytes_received', 'bytesReceived'), true)),
      ...optional('bytesOut', finiteNumber(first(raw, 'bytes_sent', 'bytesSent'), true)),
      ...optional('idleSeconds', secondsSince(now, lastActivity)),
    });
  }
  return rows;
}
