// What every part of the dev server shares: options, live stats, modes and what was last published.
import type { Modes } from './control';
import type {
  BunMessage,
  DaemonMetricsMessage,
  DaemonOtherMessage,
  EnhancedMetrics,
  FormatInputs,
  GoStats,
  SnapshotErrorMessage,
  SnapshotMessage,
  SystemMetrics,
} from './formats';
import type { PromMetrics } from './prometheus';
import type { Stats } from './stats';

export interface DevServerOptions {
  readonly port: number;
  readonly host: string;
  readonly traffic: boolean;
  /** Requests per second of synthetic load. */
  readonly rps: number;
  /** Multiplies every push interval (0.1 = ten times faster). */
  readonly intervalScale: number;
}

/** The last message object sent per format: GET /__control/state returns this, so tests compare instead of hard-coding. */
export interface Published {
  /** WS /api/dev/server-metrics/live */
  bun?: BunMessage;
  /** GET /api/dev/server-metrics */
  bunHttp?: BunMessage;
  /** WS /ws/metrics: the last snapshot or update */
  snapshot?: SnapshotMessage;
  snapshotError?: SnapshotErrorMessage;
  /** WS /daemon: the last metrics message, and the last of the others */
  daemon?: DaemonMetricsMessage;
  daemonEvent?: DaemonOtherMessage;
  /** GET /events: the last event's data */
  sse?: BunMessage;
  stats?: GoStats;
  enhanced?: EnhancedMetrics;
  system?: SystemMetrics;
  /** GET /metrics: the last body */
  prometheus?: string;
}

export interface Context {
  readonly options: DevServerOptions;
  readonly stats: Stats;
  readonly modes: Modes;
  readonly prom: PromMetrics;
  readonly published: Published;
  inputs(): FormatInputs;
}
