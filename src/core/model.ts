// The one normalised model every source format is decoded into.

import type { SeriesOverrides } from './decode/overrides';
import type { Labels } from '../shared/views';
import type { FormatHint, FormatId, Role, SeriesKind, Severity, SourceKind, Unit } from '../shared/vocabulary';

export interface Sample {
  /** Dotted name, e.g. `http.totalRequests`, `endpoint.p95`, `process_cpu_seconds_total`. */
  readonly name: string;
  readonly labels: Labels;
  /** Always finite. Decoders drop samples whose value is not a finite number. */
  readonly value: number;
  readonly kind: SeriesKind;
  readonly unit: Unit;
  readonly role?: Role;
}

/** A Prometheus-style histogram as sent: cumulative bucket counts. Turned into quantiles downstream. */
export interface HistogramSample {
  readonly name: string;
  readonly labels: Labels;
  readonly unit: Unit;
  readonly role?: Role;
  /** Upper bounds ascending, the last one `Infinity`; counts cumulative. */
  readonly buckets: ReadonlyArray<readonly [le: number, count: number]>;
  readonly sum: number;
  readonly count: number;
}

export interface ConnectionRow {
  readonly id: string;
  readonly remoteAddress: string;
  readonly connectedAt?: number; // ms since epoch
  readonly durationSeconds?: number;
  readonly messagesIn?: number;
  readonly messagesOut?: number;
  readonly bytesIn?: number;
  readonly bytesOut?: number;
  readonly idleSeconds?: number;
}

/** An alert the server itself raised (snapshot/update protocol). */
export interface ServerAlert {
  /** Stable across updates: derived from the alert's type (+ metric, labels), not the server's per-message id. */
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  /** The server's alert type (e.g. `latency_spike`), sanitised: letters, digits, `_.:-`, at most 64. */
  readonly kind?: string;
  readonly metric?: string;
  readonly value?: number;
  readonly threshold?: number;
  readonly timestamp?: number;
}

/** What one message from a source decodes to. */
export interface Decoded {
  readonly format: FormatId;
  /** Time the server stamped on the message (ms since epoch), when it sent a valid one. */
  readonly timestamp?: number;
  /**
   * When the producer collected these values (ms since epoch, its clock), for a push format that says so
   * (OTLP: the newest point's time). Only the lag between collection and arrival is used: see cadence.ts.
   */
  readonly collectedAt?: number;
  readonly samples: readonly Sample[];
  readonly histograms?: readonly HistogramSample[];
  /** Per-connection table; replaces the previous one for this source. */
  readonly connections?: readonly ConnectionRow[];
  readonly alerts?: readonly ServerAlert[];
  /** The server said something went wrong (e.g. a snapshot-protocol `error` message). */
  readonly serverError?: string;
  /** The message was understood but carries no metrics (another message type on a shared socket). */
  readonly ignored?: boolean;
  /** Past points from the source's own store (PromQL `query_range`), stored before `samples`. */
  readonly backfill?: readonly Backfill[];
}

/** One series' past points as the source's engine recorded them: times ascending, values finite. */
export interface Backfill {
  readonly name: string;
  readonly labels: Labels;
  readonly kind: SeriesKind;
  readonly unit: Unit;
  readonly role?: Role;
  readonly t: readonly number[];
  readonly v: readonly number[];
}

export type DecodeResult = { readonly ok: true; readonly value: Decoded } | { readonly ok: false; readonly error: string };

/** One PromQL query of a `promql` source: its result series are named `name`. */
export interface PromqlQuery {
  readonly name: string;
  readonly query: string;
  readonly unit?: Unit;
  readonly role?: Role;
}

/** A `promql` source's queries: listed, and/or expanded from a series selector such as `{job="api"}`. */
export interface PromqlSettings {
  readonly queries: readonly PromqlQuery[];
  readonly selector?: string;
}

export interface SourceConfig {
  /** Stable id derived from the name. */
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly kind: SourceKind;
  readonly format: FormatHint;
  readonly pollIntervalMs: number;
  readonly headers: Readonly<Record<string, string>>;
  /** undefined: decide from the first message. */
  readonly subscribe?: boolean;
  /** Corrections of inferred units and roles (`units` / `roles` settings), applied after decoding. */
  readonly overrides?: SeriesOverrides;
  /** kind `promql` only. */
  readonly promql?: PromqlSettings;
  /** kind `otlp` only: listen on a non-loopback address (`url`'s host) too; set only from user settings. */
  readonly allowNonLoopback?: boolean;
  /** Where the setting came from: workspace sources are not used in untrusted workspaces. */
  readonly scope: 'user' | 'workspace';
}

export interface Disposable {
  dispose(): void;
}

/** Where core and transports write what happened; the host backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function sortLabels(pairs: Iterable<readonly [string, string]>): Labels {
  const byKey = new Map<string, string>();
  for (const [k, v] of pairs) byKey.set(k, v);
  return [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Canonical key of name + labels, e.g. `http_requests_total{method="GET",path="/x"}`. */
export function seriesKey(name: string, labels: Labels): string {
  if (labels.length === 0) return name;
  return `${name}{${labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}
