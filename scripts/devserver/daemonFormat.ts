// Seed 004 (hypervisord daemon): WS /ws sends {"type":"metrics","timestamp":"<RFC 3339>","data":{"raw":{…}}}
// every 2 s among other message types; avg_response_time in ms, memory_usage in bytes, job counts
// as running totals.
import { EVIL_KEYS, EVIL_STRINGS, objectWithKeys } from './hostile';
import type { Jobs } from './jobs';
import type { FormatInputs } from './measures';
import { activeResources, connectionCount, isoSeconds, memory } from './measures';
import { round } from './stats';

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

export function daemonMetrics(input: FormatInputs, jobs: Jobs): DaemonMetricsMessage {
  const { stats, modes } = input;
  const connections = connectionCount(input);
  let raw: Record<string, number> = {
    http_requests: stats.endpointRequests,
    http_errors: stats.endpointErrors,
    avg_response_time: stats.averageResponseMs(),
    memory_usage: memory(input).heapUsed,
    goroutines: activeResources(),
    uptime_seconds: round(stats.uptimeSeconds, 1),
    active_connections: connections,
    websocket_clients: connections,
    jobs_active: jobs.active,
    jobs_completed: jobs.completed,
    jobs_failed: jobs.failed,
    jobs_pending: jobs.pending,
    // In the seed's broadcast map too (left out of its JSON example).
    jobs_cancelled: jobs.cancelled,
    cpu_usage: stats.cpuPercent,
  };
  const cardinality = modes.state.cardinality;
  if (cardinality) for (let i = 0; i < cardinality.count; i++) raw[`item_${i}_count`] = i;
  if (modes.state.evil) raw = objectWithKeys([...Object.entries(raw), ...[...EVIL_KEYS, ...EVIL_STRINGS].map((k, i) => [k, i] as const)]);
  return { type: 'metrics', timestamp: isoSeconds(input.now), data: { raw } };
}

const LOG_LINES = ['GET /health 200', 'job 1042 completed', 'job 1043 started', 'worker pool resized', 'config reloaded'];

export function daemonOther(input: FormatInputs, jobs: Jobs, tick: number): DaemonOtherMessage {
  const timestamp = isoSeconds(input.now);
  switch (tick % 3) {
    case 0: {
      const evil = input.modes.state.evil;
      const message = evil ? (EVIL_STRINGS[tick % EVIL_STRINGS.length] ?? '') : (LOG_LINES[tick % LOG_LINES.length] ?? '');
      return { type: 'log', timestamp, data: { level: 'info', message } };
    }
    case 1:
      return { type: 'heartbeat', timestamp, data: { seq: tick } };
    default:
      return { type: 'status', timestamp, data: { state: 'running', workers: 4, queue: jobs.pending } };
  }
}
