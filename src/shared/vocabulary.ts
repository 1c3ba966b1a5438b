// The closed word lists host, core and webview share, each written once as a list with its type derived from it.

/** How a value is measured; the formatter picks its display from this. */
export const UNITS = ['bytes', 'seconds', 'ms', 'percent', 'ratio', 'count', 'per_second', 'none'] as const;
export type Unit = (typeof UNITS)[number];

export const SERIES_KINDS = ['counter', 'gauge'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];

/**
 * What a series means, when a decoder knows. The status bar, the panel's gauges and the
 * default thresholds find the metrics that matter by role, whatever the source calls them.
 */
export const ROLES = [
  'requests', // counter of requests served (its rate is the request rate)
  'requestRate', // requests per second, when the source sends a rate instead of a counter
  'errors', // counter of failed requests
  'errorRate', // percent of requests that failed
  'latency', // response time in ms (p95 where the source has quantiles, else average)
  'connections', // open WebSocket / client connections
  'pending', // requests in flight
  'subscribers', // total pub/sub subscribers
  'heap', // heap used, bytes
  'rss', // resident set size, bytes
  'cpu', // CPU use, percent
  'uptime', // seconds since the server started
  'cacheHitRatio', // percent
  'storage', // percent of storage used
  'goroutines', // live goroutines (gauge, count)
  'jobs', // counter of completed jobs (its rate is jobs per second)
  'jobsFailed', // counter of failed jobs
] as const;
export type Role = (typeof ROLES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How Pulse reaches a source. */
export const SOURCE_KINDS = ['ws', 'sse', 'http-json', 'prometheus', 'promql', 'otlp'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The wire formats Pulse decodes. */
export const FORMAT_IDS = ['bun', 'snapshot', 'daemon', 'go-stats', 'prometheus', 'json', 'promql', 'otlp'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];
export const FORMAT_HINTS = ['auto', ...FORMAT_IDS] as const;
export type FormatHint = (typeof FORMAT_HINTS)[number];

export const ALERT_STATES = ['pending', 'firing', 'resolved', 'nodata'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Which side of a threshold is unhealthy. */
export const DIRECTIONS = ['above', 'below'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Where a threshold rule came from. */
export const RULE_ORIGINS = ['default', 'settings', 'override'] as const;
export type RuleOrigin = (typeof RULE_ORIGINS)[number];

/** The panel's time windows, and their length in ms (the Record type keeps the two in step). */
export const WINDOW_IDS = ['1m', '5m', '15m', '1h', '24h'] as const;
export type WindowId = (typeof WINDOW_IDS)[number];
export const WINDOWS: Readonly<Record<WindowId, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
};

/** Counters shown as a per-second rate or as the cumulative value sent. */
export const VALUE_MODES = ['rate', 'raw'] as const;
export type ValueMode = (typeof VALUE_MODES)[number];

export const SNOOZE_DURATIONS = ['15m', '1h', 'restart'] as const;
export type SnoozeDuration = (typeof SNOOZE_DURATIONS)[number];

/** Dev-loop events drawn on the charts. */
export const ANNOTATION_KINDS = [
  'save',
  'restart',
  'reconnect',
  'git-branch',
  'git-commit',
  'task-start',
  'task-end',
  'debug-start',
  'debug-end',
] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** The metrics panel's webview type (its serializer and `activeWebviewPanelId` when clauses). */
export const PANEL_VIEW_TYPE = 'pulse.metrics';
