// Seed 001 (snapshot/update/error protocol): MetricsSnapshot, the WS messages and the server's own
// anomaly alerts, with the seed's names and units (errorRate, cacheHitRatio and storage in percent).
import { randomUUID } from 'node:crypto';
import { EVIL_STRINGS } from './hostile';
import type { FormatInputs } from './measures';
import { memory } from './measures';
import type { EndpointStats } from './stats';
import { round } from './stats';

export interface EndpointMetrics {
  readonly path: string;
  readonly method: string;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Percent. */
  readonly errorRate: number;
  /** Requests per second. */
  readonly throughput: number;
}

export interface MetricsSnapshot {
  readonly timestamp: number;
  readonly endpoints: readonly EndpointMetrics[];
  /** bandwidth in bytes per second; cacheHitRatio and storage in percent. */
  readonly cdn: { readonly bandwidth: number; readonly cacheHitRatio: number; readonly storage: number };
  /** uptime in seconds, memory in bytes (heap used), cpu in percent. */
  readonly system: { readonly uptime: number; readonly memory: number; readonly cpu: number };
}

export interface Alert {
  readonly id: string;
  readonly type: 'latency_spike' | 'error_rate';
  readonly severity: 'critical';
  readonly value: number;
}

export type ServerMessage =
  | { readonly type: 'snapshot'; readonly data: MetricsSnapshot; readonly timestamp: number }
  | { readonly type: 'update'; readonly data: MetricsSnapshot; readonly alerts?: readonly Alert[]; readonly timestamp: number }
  | { readonly type: 'error'; readonly error: string; readonly timestamp: number };

/** The seed's default thresholds. */
export const THRESHOLDS = { latencySpikePercent: 50, errorRateCritical: 5 } as const;

function endpoints(input: FormatInputs): EndpointMetrics[] {
  const list: EndpointMetrics[] = input.stats.endpointStats().map((e: EndpointStats) => ({
    path: e.path,
    method: e.method,
    p50: e.p50,
    p95: e.p95,
    p99: e.p99,
    errorRate: round(e.errorRate * 100),
    throughput: e.throughput,
  }));
  const cardinality = input.modes.state.cardinality;
  if (cardinality) for (let i = 0; i < cardinality.count; i++) list.push({ path: `/api/items/${i}`, method: 'GET', p50: 5, p95: 9, p99: 12, errorRate: 0, throughput: 0.1 });
  if (input.modes.state.evil) EVIL_STRINGS.forEach((s, i) => list.push({ path: s, method: s.slice(0, 200), p50: i, p95: i, p99: i, errorRate: 0, throughput: 0 }));
  return list;
}

export function metricsSnapshot(input: FormatInputs): MetricsSnapshot {
  const { stats } = input;
  return {
    timestamp: input.now,
    endpoints: endpoints(input),
    cdn: { bandwidth: stats.bandwidth(), cacheHitRatio: stats.cacheHitPercent(), storage: stats.storageUsedPercent },
    system: { uptime: Math.floor(stats.uptimeSeconds), memory: memory(input).heapUsed, cpu: stats.cpuPercent },
  };
}

/**
 * The seed's detectAnomalies: average p50 against a baseline, average error rate against 5 %.
 * The baseline is learned while the server is healthy, and alerts are only raised while the
 * `latency` or `errors` mode is on, so a healthy server never raises one.
 */
export class AnomalyDetector {
  private baseline: number | undefined;

  detect(input: FormatInputs, snapshot: MetricsSnapshot): Alert[] {
    const list = snapshot.endpoints;
    if (list.length === 0) return [];
    const avgLatency = list.reduce((s, e) => s + e.p50, 0) / list.length;
    const errorRate = list.reduce((s, e) => s + e.errorRate, 0) / list.length;
    const modes = input.modes.state;
    if (!modes.latency && !modes.errors) {
      this.baseline = this.baseline === undefined ? avgLatency : this.baseline + 0.2 * (avgLatency - this.baseline);
      return [];
    }
    const alerts: Alert[] = [];
    const base = this.baseline ?? avgLatency;
    const spike = base > 0 ? ((avgLatency - base) / base) * 100 : 0;
    if (spike > THRESHOLDS.latencySpikePercent) alerts.push({ id: randomUUID(), type: 'latency_spike', severity: 'critical', value: round(spike) });
    if (errorRate > THRESHOLDS.errorRateCritical) alerts.push({ id: randomUUID(), type: 'error_rate', severity: 'critical', value: round(errorRate) });
    return alerts;
  }
}
