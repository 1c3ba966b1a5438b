// What every part of the dev server shares: options, live stats, modes, collectors and what was last published.
import type { BunHttpMetrics, BunLiveMessage, BunStatus } from './bunFormat';
import type { Modes } from './control';
import type { DaemonMetricsMessage, DaemonOtherMessage } from './daemonFormat';
import type { EncoreMetrics } from './encore';
import type { EnhancedMetrics, GoCollector, GoStats, SystemMetrics } from './goFormat';
import type { Jobs } from './jobs';
import type { FormatInputs } from './measures';
import type { MetricsSnapshot, ServerMessage } from './snapshotFormat';
import type { Stats } from './stats';

export interface DevServerOptions {
  readonly port: number;
  readonly host: string;
  readonly traffic: boolean;
  /** Requests per second of synthetic load. */
  readonly rps: number;
  /** Multiplies every push and collection interval (0.1 = ten times faster). */
  readonly intervalScale: number;
}

/** The last message object sent per format: GET /__control/state returns this, so tests compare instead of hard-coding. */
export interface Published {
  /** Seed 000, WS /api/dev/server-metrics/live */
  bun?: BunLiveMessage;
  /** Seed 000, GET /api/dev/server-metrics */
  bunHttp?: BunHttpMetrics;
  /** Seed 000, GET /api/dev/status */
  bunStatus?: BunStatus;
  /** Seed 001, WS /metrics: the last snapshot or update */
  snapshot?: Extract<ServerMessage, { type: 'snapshot' | 'update' }>;
  /** Seed 001, WS /metrics: the last error message */
  snapshotError?: Extract<ServerMessage, { type: 'error' }>;
  /** Seed 001, GET /api/metrics */
  apiMetrics?: MetricsSnapshot;
  /** Seed 001, GET /sse: the last event's data */
  sse?: MetricsSnapshot;
  /** Seed 004, WS /ws: the last metrics message, and the last of the others */
  daemon?: DaemonMetricsMessage;
  daemonEvent?: DaemonOtherMessage;
  /** Seed 003 */
  stats?: GoStats;
  enhanced?: EnhancedMetrics;
  system?: SystemMetrics;
  /** Seed 002, GET /metrics: the last body */
  prometheus?: string;
}

export interface Context {
  readonly options: DevServerOptions;
  readonly stats: Stats;
  readonly modes: Modes;
  readonly jobs: Jobs;
  readonly encore: EncoreMetrics;
  readonly go: GoCollector;
  readonly published: Published;
  inputs(): FormatInputs;
}
