// Go WebSocket server stats (seed 003): /stats, /metrics/enhanced, /metrics/system.
import { forEachNumericLeaf } from './jsonWalk';
import { inferSeries, isTimestampName } from './roles';
import { SampleList } from './sampleList';
import { field, finiteNumber, isObject, objectField, parseTimestamp, truncate } from './values';
import type { Limits } from './limits';
import type { SeriesMeta } from './roles';
import type { JsonObject } from './values';
import type { ConnectionRow, DecodeResult } from '../model';

interface KnownField extends SeriesMeta {
  /** Series name when it differs from the path (MiB and nanoseconds are restated). */
  readonly name?: string;
  readonly scale?: number;
}

const COUNT_GAUGE: KnownField = { kind: 'gauge', unit: 'count' };
const COUNTER: KnownField = { kind: 'counter', unit: 'count' };
const BYTES_GAUGE: KnownField = { kind: 'gauge', unit: 'bytes' };
const BYTES_COUNTER: KnownField = { kind: 'counter', unit: 'bytes' };
const MIB = 1024 * 1024;
const NS_TO_MS = 1e-6;
const mib = (name: string, role?: 'heap'): KnownField => ({ kind: 'gauge', unit: 'bytes', name, scale: MIB, ...(role ? { role } : {}) });

/**
 * Fields whose meaning the seed states, read before everything else so that roles go by this
 * order, not by the server's key order (Go sorts map keys: `performance` comes before `system`).
 * For each role the seed's primary field comes first and `performance.*` (a summary repeating
 * `system.*`) only stands in when the primary is missing. Entries after the seed's are the older
 * flat shape some servers still send.
 */
const KNOWN = new Map<string, KnownField>([
  ['connections.active', { kind: 'gauge', unit: 'count', role: 'connections' }],
  ['performance.active_conns', { kind: 'gauge', unit: 'count', role: 'connections' }],
  ['system.memory.heap_alloc', { kind: 'gauge', unit: 'bytes', role: 'heap' }],
  ['system.memory.heap_alloc_mb', mib('system.memory.heap_alloc_bytes', 'heap')],
  ['performance.memory_mb', mib('performance.memory_bytes', 'heap')],
  ['system.cpu.percent', { kind: 'gauge', unit: 'percent', role: 'cpu' }],
  ['performance.cpu_percent', { kind: 'gauge', unit: 'percent', role: 'cpu' }],
  ['system.goroutines', { kind: 'gauge', unit: 'count', role: 'goroutines' }],
  ['system.memory.goroutines', { kind: 'gauge', unit: 'count', role: 'goroutines' }],
  ['performance.goroutines', { kind: 'gauge', unit: 'count', role: 'goroutines' }],
  ['uptime_seconds', { kind: 'gauge', unit: 'seconds', role: 'uptime' }],
  ['connections.total', COUNTER],
  ['connections.peak', COUNT_GAUGE],
  ['connections.messages_sent_total', COUNTER],
  ['connections.messages_recv_total', COUNTER],
  ['connections.bytes_sent_total', BYTES_COUNTER],
  ['connections.bytes_recv_total', BYTES_COUNTER],
  ['connections.avg_duration_sec', { kind: 'gauge', unit: 'seconds' }],
  ['system.memory.gc_count', COUNTER],
  ['system.memory.gc_cpu_percent', { kind: 'gauge', unit: 'percent' }],
  ['system.cpu.cores', COUNT_GAUGE],
  // Older flat shape.
  ['active_connections', { kind: 'gauge', unit: 'count', role: 'connections' }],
  ['memory.heap_alloc', { kind: 'gauge', unit: 'bytes', role: 'heap' }],
  ['cpu.usage_percent', { kind: 'gauge', unit: 'percent', role: 'cpu' }],
  ['goroutines', { kind: 'gauge', unit: 'count', role: 'goroutines' }],
  ['total_connections', COUNTER],
  ['messages_sent', COUNTER],
  ['messages_received', COUNTER],
  ['memory.alloc', BYTES_GAUGE],
  ['memory.total_alloc', BYTES_COUNTER],
  ['memory.sys', { kind: 'gauge', unit: 'bytes', role: 'rss' }],
  ['memory.heap_objects', COUNT_GAUGE],
  ['gc.num_gc', COUNTER],
  ['gc.pause_total_ns', { kind: 'counter', unit: 'ms', name: 'gc.pause_total_ms', scale: NS_TO_MS }],
  ['gc.last_pause_ns', { kind: 'gauge', unit: 'ms', name: 'gc.last_pause_ms', scale: NS_TO_MS }],
  ['gc.gc_cpu_fraction', { kind: 'gauge', unit: 'ratio' }],
  ['cpu.num_cpu', COUNT_GAUGE],
]);

/** Rows kept from one message; the seed itself warns of servers with thousands of connections. */
const MAX_ROWS = 2000;
const MAX_TEXT = 200;
/** The per-connection list in /metrics/enhanced (seed), and where older servers put it. */
const TABLE_PATHS: ReadonlySet<string> = new Set(['connections.connections', 'connection_list']);

export function looksLikeGoStats(msg: JsonObject): boolean {
  const connections = objectField(msg, 'connections');
  if (connections && typeof field(connections, 'active') === 'number') return true;
  // /metrics/system: `system` with `memory` / `cpu` blocks (a bare snapshot's are numbers), and `performance`.
  const system = objectField(msg, 'system');
  if (system && (isObject(field(system, 'memory')) || isObject(field(system, 'cpu')) || typeof field(system, 'goroutines') === 'number')) return true;
  const performance = objectField(msg, 'performance');
  if (performance && typeof field(performance, 'goroutines') === 'number') return true;
  if (Array.isArray(field(msg, 'connection_list'))) return true;
  const memory = objectField(msg, 'memory');
  if (memory && typeof field(memory, 'heap_alloc') === 'number') return true;
  const gc = objectField(msg, 'gc');
  if (gc && typeof field(gc, 'num_gc') === 'number') return true;
  return typeof field(msg, 'active_connections') === 'number' && typeof field(msg, 'total_connections') === 'number';
}

/** Dotted paths split once: the table is read on every message. */
const PATH_PARTS = new Map<string, readonly string[]>([...KNOWN.keys(), ...TABLE_PATHS].map((path) => [path, path.split('.')] as const));

function readPath(msg: JsonObject, path: string): unknown {
  let obj: JsonObject | undefined = msg;
  const parts = PATH_PARTS.get(path) ?? path.split('.');
  for (let i = 0; i < parts.length - 1 && obj !== undefined; i++) obj = objectField(obj, parts[i] ?? '');
  return obj === undefined ? undefined : field(obj, parts[parts.length - 1] ?? '');
}

export function decodeGoStats(msg: JsonObject, limits: Limits): DecodeResult {
  const out = new SampleList(limits.maxLeaves);
  for (const [path, meta] of KNOWN) {
    const v = finiteNumber(readPath(msg, path), true);
    out.add(meta.name ?? path, v === undefined ? undefined : v * (meta.scale ?? 1), meta.kind, meta.unit, meta.role);
  }
  const known = out.samples.length;
  // Fields outside the table (`nats`, `hub`, `heap_sys_mb`, …) still become series, typed from their names.
  let leaves = 0;
  forEachNumericLeaf(msg, limits, skipWalked, (path, value) => {
    leaves++;
    const meta = inferSeries(path);
    out.add(meta.name, value * meta.scale, meta.kind, meta.unit, meta.role);
  });
  const list = tableOf(msg);
  if (known === 0 && leaves === 0 && list === undefined) {
    return { ok: false, error: 'expected a go-stats object (connections, system, performance, …) but found no such fields' };
  }
  // `last_update` is when the collector last measured (every 5 s): the time the values belong to.
  const timestamp = parseTimestamp(field(msg, 'last_update')) ?? parseTimestamp(field(msg, 'timestamp'));
  const connections = list === undefined ? undefined : connectionRows(list, timestamp ?? limits.now);
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

/** Paths the walk leaves out: read from the table above, the connection list, points in time. */
function skipWalked(path: string): boolean {
  return KNOWN.has(path) || TABLE_PATHS.has(path) || isTimestampName(path);
}

function tableOf(msg: JsonObject): readonly unknown[] | undefined {
  for (const path of TABLE_PATHS) {
    const list = readPath(msg, path);
    if (Array.isArray(list)) return list;
  }
  return undefined;
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

const seconds = (v: unknown): number | undefined => {
  const n = finiteNumber(v, true);
  return n === undefined || n < 0 ? undefined : n;
};

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
      ...optional('durationSeconds', seconds(field(raw, 'duration_sec')) ?? secondsSince(now, connectedAt)),
      ...optional('messagesIn', finiteNumber(first(raw, 'messages_recv', 'messages_received', 'messagesReceived'), true)),
      ...optional('messagesOut', finiteNumber(first(raw, 'messages_sent', 'messagesSent'), true)),
      ...optional('bytesIn', finiteNumber(first(raw, 'bytes_recv', 'bytes_received', 'bytesReceived'), true)),
      ...optional('bytesOut', finiteNumber(first(raw, 'bytes_sent', 'bytesSent'), true)),
      ...optional('idleSeconds', seconds(field(raw, 'idle_sec')) ?? secondsSince(now, lastActivity)),
    });
  }
  return rows;
}
