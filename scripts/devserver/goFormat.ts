// Seed 003 (Go WebSocket server stats): /stats, /metrics/enhanced and /metrics/system, all read
// from one collection refreshed every 5 s (like the seed's EnhancedMetrics), memory in MiB where
// the seed's names end in _mb, durations in seconds, timestamps in Unix seconds.
import { availableParallelism } from 'node:os';
import { EVIL_STRINGS } from './hostile';
import type { FormatInputs } from './measures';
import { MiB, activeResources, connectionCount, memory, unixSeconds } from './measures';
import { round } from './stats';

export interface GoConnection {
  readonly id: string;
  readonly remote_addr: string;
  readonly duration_sec: number;
  readonly messages_sent: number;
  readonly messages_recv: number;
  readonly bytes_sent: number;
  readonly bytes_recv: number;
  readonly idle_sec: number;
}

export interface GoMemory {
  readonly heap_alloc_mb: number;
  readonly heap_sys_mb: number;
  readonly heap_idle_mb: number;
  readonly heap_inuse_mb: number;
  readonly heap_released_mb: number;
  readonly stack_inuse_mb: number;
  readonly sys_total_mb: number;
  readonly gc_count: number;
  readonly gc_cpu_percent: number;
  readonly goroutines: number;
}

export interface GoPerformance {
  readonly memory_mb: number;
  readonly cpu_percent: number;
  readonly goroutines: number;
  readonly active_conns: number;
}

/** GET /metrics/enhanced */
export interface EnhancedMetrics {
  readonly timestamp: number;
  readonly uptime_seconds: number;
  readonly last_update: number;
  readonly connections: {
    readonly active: number;
    readonly total: number;
    readonly peak: number;
    readonly messages_sent_total: number;
    readonly messages_recv_total: number;
    readonly bytes_sent_total: number;
    readonly bytes_recv_total: number;
    readonly avg_duration_sec: number;
    readonly connections: readonly GoConnection[];
  };
  readonly system: { readonly memory: GoMemory; readonly cpu: { readonly percent: number; readonly cores: number } };
  readonly performance: GoPerformance;
}

/** GET /metrics/system */
export interface SystemMetrics {
  readonly timestamp: number;
  readonly system: EnhancedMetrics['system'];
  readonly performance: GoPerformance;
}

/** GET /stats ("enhanced legacy"); nats and hub are elided in the seed, these are plausible stand-ins. */
export interface GoStats {
  readonly connections: { readonly active: number };
  readonly system: { readonly memory: { readonly heap_alloc: number }; readonly goroutines: number };
  readonly nats: { readonly connected: boolean; readonly in_msgs: number; readonly out_msgs: number };
  readonly hub: { readonly clients: number; readonly rooms: number };
  readonly uptime_seconds: number;
}

export const GO_UPDATE_MS = 5_000;

const mb = (bytes: number): number => round(bytes / MiB, 1);

/** One collection: what all three endpoints serve until the next one. */
export interface GoCollection {
  readonly enhanced: EnhancedMetrics;
  readonly system: SystemMetrics;
  readonly stats: GoStats;
}

export function collectGo(input: FormatInputs): GoCollection {
  const { stats } = input;
  const now = input.now;
  const mem = memory(input);
  const heapBytes = mem.heapUsed;
  const goroutines = activeResources();
  const active = connectionCount(input);
  const uptime = round(stats.uptimeSeconds, 1);
  const rows: GoConnection[] = [...stats.clients.values()]
    .filter((c) => c.stream !== 'sse')
    .map((c) => ({
      id: c.id,
      remote_addr: c.remoteAddr,
      duration_sec: round((now - c.connectedAt) / 1000, 1),
      messages_sent: c.messagesSent,
      messages_recv: c.messagesReceived,
      bytes_sent: c.bytesSent,
      bytes_recv: c.bytesReceived,
      idle_sec: round((now - c.lastActivity) / 1000, 1),
    }));
  if (input.modes.state.evil) {
    EVIL_STRINGS.forEach((s, i) => rows.push({ id: s, remote_addr: s, duration_sec: i, messages_sent: i, messages_recv: i, bytes_sent: i, bytes_recv: i, idle_sec: -1 }));
  }
  const durations = rows.map((r) => r.duration_sec);
  const gcSeconds = stats.gc.pauseTotalNs / 1e9;
  const memorySection: GoMemory = {
    heap_alloc_mb: mb(heapBytes),
    heap_sys_mb: mb(mem.heapTotal),
    heap_idle_mb: mb(Math.max(0, mem.heapTotal - heapBytes)),
    heap_inuse_mb: mb(heapBytes),
    heap_released_mb: 0,
    stack_inuse_mb: 0.5,
    sys_total_mb: mb(mem.rss),
    gc_count: stats.gc.count,
    gc_cpu_percent: round((gcSeconds / Math.max(0.001, stats.uptimeSeconds)) * 100, 2),
    goroutines,
  };
  const cpu = { percent: stats.cpuPercent, cores: availableParallelism() };
  const performance: GoPerformance = { memory_mb: mb(heapBytes), cpu_percent: stats.cpuPercent, goroutines, active_conns: active };
  const seconds = unixSeconds(now);
  const enhanced: EnhancedMetrics = {
    timestamp: seconds,
    uptime_seconds: uptime,
    last_update: seconds,
    connections: {
      active,
      total: stats.totalConnections,
      peak: Math.max(stats.peakConnections, active),
      messages_sent_total: stats.messagesSent,
      messages_recv_total: stats.messagesReceived,
      bytes_sent_total: stats.bytesSent,
      bytes_recv_total: stats.bytesReceived,
      avg_duration_sec: durations.length === 0 ? 0 : round(durations.reduce((a, b) => a + b, 0) / durations.length, 1),
      connections: rows,
    },
    system: { memory: memorySection, cpu },
    performance,
  };
  return {
    enhanced,
    system: { timestamp: seconds, system: enhanced.system, performance },
    stats: {
      connections: { active },
      system: { memory: { heap_alloc: heapBytes }, goroutines },
      nats: { connected: true, in_msgs: stats.messagesReceived, out_msgs: stats.messagesSent },
      hub: { clients: active, rooms: Object.values(stats.topics()).filter((n) => n > 0).length },
      uptime_seconds: uptime,
    },
  };
}

/** The seed's 5-second update loop (times --interval-scale); `collect()` also runs at once on a mode change or restart. */
export class GoCollector {
  private last: GoCollection;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly inputs: () => FormatInputs,
    intervalScale: number,
  ) {
    this.last = collectGo(inputs());
    this.timer = setInterval(() => this.collect(), Math.max(10, Math.round(GO_UPDATE_MS * intervalScale)));
  }

  get current(): GoCollection {
    return this.last;
  }

  collect(): void {
    this.last = collectGo(this.inputs());
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
