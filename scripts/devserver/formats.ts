// Builders of every wire format of docs/formats.md, from the live Stats and the active modes.
import { availableParallelism, freemem, totalmem } from 'node:os';
import type { Modes } from './control';
import { EVIL_KEYS, EVIL_STRINGS, objectWithKeys } from './hostile';
import type { EndpointStats, Stats } from './stats';
import { round } from './stats';

export interface FormatInputs {
  readonly stats: Stats;
  readonly modes: Modes;
  readonly now: number;
}

export interface BunMessage {
  readonly type?: 'metrics';
  readonly timestamp: number;
  readonly pid: number;
  readonly uptime: number;
  readonly http: { readonly pendingRequests: number; readonly totalRequests: number };
  readonly websockets: { readonly pendingConnections: number; readonly subscribers: Record<string, number>; readonly totalSubscribers: number };
  readonly memory: { readonly heapUsed: number; readonly heapTotal: number; readonly rss: number; readonly external: number; readonly arrayBuffers: number };
  readonly cpu: { readonly percent: number };
}

export interface SnapshotEndpoint {
  readonly method: string;
  readonly path: string;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errorRate: number;
  readonly throughput: number;
  readonly requests: number;
  readonly errors: number;
}

export interface SnapshotData {
  readonly endpoints: readonly SnapshotEndpoint[];
  readonly system: {
    readonly cpu: number;
    readonly memory: { readonly used: number; readonly total: number; readonly percent: number };
    readonly uptime: number;
    readonly connections: number;
    readonly storage: { readonly usedPercent: number };
  };
  readonly cdn: { readonly hitRatio: number; readonly bandwidth: number; readonly requests: number };
}

export interface ServerAlertMessage {
  readonly id: string;
  readonly severity: 'warning' | 'critical';
  readonly message: string;
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
  readonly timestamp: number;
}

export type SnapshotMessage =
  | { readonly type: 'snapshot'; readonly timestamp: string; readonly data: SnapshotData }
  | { readonly type: 'update'; readonly timestamp: number; readonly data: SnapshotData; readonly alerts?: readonly ServerAlertMessage[] };

export interface SnapshotErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

export interface DaemonMetricsMessage {
  readonly type: 'metrics';
  readonly timestamp: string;
  readonly data: { readonly raw: Record<string, number> };
}

export interface DaemonOtherMessage {
  readonly type: 'log' | 'heartbeat' | 'status';
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

export interface GoStats {
  readonly active_connections: number;
  readonly total_connections: number;
  readonly messages_sent: number;
  readonly messages_received: number;
  readonly uptime_seconds: number;
  readonly goroutines: number;
}

export interface ConnectionListRow {
  readonly id: string;
  readonly remote_addr: string;
  readonly connected_at: string;
  readonly messages_sent: number;
  readonly messages_received: number;
  readonly bytes_sent: number;
  readonly bytes_received: number;
  readonly last_activity: string;
}

export interface EnhancedMetrics {
  readonly timestamp: string;
  readonly connections: { readonly active: number; readonly total: number; readonly peak: number };
  readonly messages: { readonly sent: number; readonly received: number };
  readonly bytes: { readonly sent: number; readonly received: number };
  readonly connection_list: readonly ConnectionListRow[];
}

export interface SystemMetrics {
  readonly memory: Record<'alloc' | 'total_alloc' | 'sys' | 'heap_alloc' | 'heap_sys' | 'heap_inuse' | 'heap_objects' | 'stack_inuse', number>;
  readonly gc: { readonly num_gc: number; readonly pause_total_ns: number; readonly last_pause_ns: number; readonly gc_cpu_fraction: number };
  readonly goroutines: number;
  readonly cpu: { readonly num_cpu: number; readonly usage_percent: number };
  readonly uptime_seconds: number;
}

/** Latency above which the snapshot protocol raises its own alert. */
export const ALERT_P95_MS = 200;

function memory(input: FormatInputs): NodeJS.MemoryUsage {
  const real = process.memoryUsage();
  const heap = input.modes.state.heap;
  return heap && !heap.allocate ? { ...real, heapUsed: heap.bytes, heapTotal: Math.max(real.heapTotal, heap.bytes) } : real;
}

export function connectionCount(input: Pick<FormatInputs, 'stats' | 'modes'>): number {
  return input.modes.state.connections?.count ?? input.stats.webSocketCount();
}

/** Something alive to report where Go would count goroutines: the runtime's active handles and requests. */
function activeResources(): number {
  return process.getActiveResourcesInfo().length;
}

export function bunMessage(input: FormatInputs, live: boolean): BunMessage {
  const { stats, modes } = input;
  const mem = memory(input);
  let subscribers: Record<string, number> = stats.topics();
  const cardinality = modes.state.cardinality;
  if (cardinality) for (let i = 0; i < cardinality.count; i++) subscribers[`topic-${i}`] = i % 7;
  if (modes.state.evil) subscribers = objectWithKeys([...Object.entries(subscribers), ...[...EVIL_KEYS, ...EVIL_STRINGS].map((k, i) => [k, i + 1] as const)]);
  const totalSubscribers = Object.values(subscribers).reduce((a, b) => a + b, 0);
  const body = {
    timestamp: input.now,
    pid: process.pid,
    uptime: round(stats.uptimeSeconds, 1),
    http: { pendingRequests: stats.pendingRequests, totalRequests: stats.totalRequests },
    websockets: { pendingConnections: connectionCount(input), subscribers, totalSubscribers },
    memory: { heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, rss: mem.rss, external: mem.external, arrayBuffers: mem.arrayBuffers },
    cpu: { percent: stats.cpuPercent },
  };
  return live ? { type: 'metrics', ...body } : body;
}

function endpoints(input: FormatInputs): SnapshotEndpoint[] {
  const list: SnapshotEndpoint[] = input.stats.endpointStats().map((e: EndpointStats) => ({ ...e }));
  const cardinality = input.modes.state.cardinality;
  if (cardinality) {
    for (let i = 0; i < cardinality.count; i++) {
      list.push({ method: 'GET', path: `/api/items/${i}`, p50: 5, p95: 9, p99: 12, errorRate: 0, throughput: 0.1, requests: i, errors: 0 });
    }
  }
  if (input.modes.state.evil) {
    EVIL_STRINGS.forEach((s, i) => list.push({ method: s.slice(0, 200), path: s, p50: i, p95: i, p99: i, errorRate: 0, throughput: 0, requests: i, errors: 0 }));
  }
  return list;
}

export function snapshotData(input: FormatInputs): SnapshotData {
  const { stats } = input;
  const total = totalmem();
  const used = total - freemem();
  return {
    endpoints: endpoints(input),
    system: {
      cpu: stats.cpuPercent,
      memory: { used, total, percent: round((used / total) * 100) },
      uptime: Math.floor(stats.uptimeSeconds),
      connections: connectionCount(input),
      storage: { usedPercent: stats.storageUsedPercent },
    },
    cdn: { hitRatio: stats.hitRatio, bandwidth: stats.bandwidth(), requests: stats.cacheHits + stats.cacheMisses },
  };
}

export function snapshotMessage(input: FormatInputs): SnapshotMessage {
  return { type: 'snapshot', timestamp: new Date(input.now).toISOString(), data: snapshotData(input) };
}

export function updateMessage(input: FormatInputs): SnapshotMessage {
  const data = snapshotData(input);
  const alerts: ServerAlertMessage[] = data.endpoints
    .filter((e) => e.p95 > ALERT_P95_MS && e.requests > 0)
    .map((e) => ({
      id: `lat-${e.method}-${e.path}`.slice(0, 300),
      severity: e.p95 > ALERT_P95_MS * 2.5 ? 'critical' : 'warning',
      message: `p95 above ${ALERT_P95_MS} ms on ${e.method} ${e.path}`,
      metric: 'endpoint.p95',
      value: e.p95,
      threshold: ALERT_P95_MS,
      timestamp: input.now,
    }));
  return { type: 'update', timestamp: input.now, data, ...(alerts.length > 0 ? { alerts } : {}) };
}

export function daemonMetrics(input: FormatInputs): DaemonMetricsMessage {
  const { stats, modes } = input;
  let raw: Record<string, number> = {
    http_requests: stats.endpointRequests,
    http_errors: stats.endpointErrors,
    avg_response_time: stats.averageResponseMs(),
    memory_usage: memory(input).heapUsed,
    goroutines: activeResources(),
    uptime_seconds: Math.floor(stats.uptimeSeconds),
    active_connections: connectionCount(input),
    cpu_percent: stats.cpuPercent,
    cache_hits_total: stats.cacheHits,
  };
  const cardinality = modes.state.cardinality;
  if (cardinality) for (let i = 0; i < cardinality.count; i++) raw[`item_${i}_count`] = i;
  if (modes.state.evil) raw = objectWithKeys([...Object.entries(raw), ...[...EVIL_KEYS, ...EVIL_STRINGS].map((k, i) => [k, i] as const)]);
  return { type: 'metrics', timestamp: new Date(input.now).toISOString(), data: { raw } };
}

const LOG_LINES = ['GET /api/users 200', 'POST /api/orders 201', 'GET /api/search 200', 'cache refreshed', 'worker pool resized'];

export function daemonOther(input: FormatInputs, tick: number): DaemonOtherMessage {
  const timestamp = new Date(input.now).toISOString();
  switch (tick % 3) {
    case 0: {
      const evil = input.modes.state.evil;
      const message = evil ? (EVIL_STRINGS[tick % EVIL_STRINGS.length] ?? '') : (LOG_LINES[tick % LOG_LINES.length] ?? '');
      return { type: 'log', timestamp, data: { level: tick % 10 === 0 ? 'warn' : 'info', message } };
    }
    case 1:
      return { type: 'heartbeat', timestamp, data: { seq: tick } };
    default:
      return { type: 'status', timestamp, data: { state: 'running', workers: 4, queue: input.stats.pendingRequests } };
  }
}

export function goStats(input: FormatInputs): GoStats {
  const { stats } = input;
  return {
    active_connections: connectionCount(input),
    total_connections: stats.totalConnections,
    messages_sent: stats.messagesSent,
    messages_received: stats.messagesReceived,
    uptime_seconds: Math.floor(stats.uptimeSeconds),
    goroutines: activeResources(),
  };
}

export function enhancedMetrics(input: FormatInputs): EnhancedMetrics {
  const { stats } = input;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const rows: ConnectionListRow[] = [...stats.clients.values()]
    .filter((c) => c.stream !== 'sse')
    .map((c) => ({
      id: c.id,
      remote_addr: c.remoteAddr,
      connected_at: iso(c.connectedAt),
      messages_sent: c.messagesSent,
      messages_received: c.messagesReceived,
      bytes_sent: c.bytesSent,
      bytes_received: c.bytesReceived,
      last_activity: iso(c.lastActivity),
    }));
  if (input.modes.state.evil) {
    EVIL_STRINGS.forEach((s, i) =>
      rows.push({ id: s, remote_addr: s, connected_at: s.slice(0, 50), messages_sent: i, messages_received: i, bytes_sent: i, bytes_received: i, last_activity: 'not a date' }),
    );
  }
  return {
    timestamp: iso(input.now),
    connections: { active: connectionCount(input), total: stats.totalConnections, peak: Math.max(stats.peakConnections, connectionCount(input)) },
    messages: { sent: stats.messagesSent, received: stats.messagesReceived },
    bytes: { sent: stats.bytesSent, received: stats.bytesReceived },
    connection_list: rows,
  };
}

export function systemMetrics(input: FormatInputs): SystemMetrics {
  const { stats } = input;
  const mem = memory(input);
  const uptime = Math.max(stats.uptimeSeconds, 0.001);
  return {
    memory: {
      alloc: mem.heapUsed,
      total_alloc: stats.totalAllocated + mem.heapUsed,
      sys: mem.rss,
      heap_alloc: mem.heapUsed,
      heap_sys: mem.heapTotal,
      heap_inuse: mem.heapUsed,
      // V8 does not count objects cheaply; an average object size of 64 bytes is close enough for a demo.
      heap_objects: Math.round(mem.heapUsed / 64),
      stack_inuse: 1024 * 1024,
    },
    gc: {
      num_gc: stats.gc.count,
      pause_total_ns: stats.gc.pauseTotalNs,
      last_pause_ns: stats.gc.lastPauseNs,
      gc_cpu_fraction: round(stats.gc.pauseTotalNs / 1e9 / uptime, 6),
    },
    goroutines: activeResources(),
    cpu: { num_cpu: availableParallelism(), usage_percent: stats.cpuPercent },
    uptime_seconds: Math.floor(stats.uptimeSeconds),
  };
}
