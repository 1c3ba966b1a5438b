// The data the host sends the panel webview (and the threshold edit it sends back): plain, serialisable views.
// Protocol and core both build on these; they depend on nothing but the shared vocabulary.

import type { AlertState, AnnotationKind, Direction, Role, RuleOrigin, SeriesKind, Severity, SourceKind, Unit } from './vocabulary';

/** Label pairs sorted by key, keys unique. Pairs (not an object) so no key can touch a prototype. */
export type Labels = ReadonlyArray<readonly [key: string, value: string]>;

/** A source's connection state, as users see it. */
export type SourceState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'connecting'; readonly attempt: number }
  | { readonly phase: 'open'; readonly since: number }
  | { readonly phase: 'reconnecting'; readonly retryAt: number; readonly attempt: number; readonly reason: string }
  | { readonly phase: 'closed' } // closed by the user
  | { readonly phase: 'failed'; readonly reason: string }; // will not retry on its own (401/403/404, bad URL)

export interface SourceView {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly kind: SourceKind;
  readonly state: SourceState;
  readonly lastMessageAt: number | null;
  readonly messagesPerSecond: number;
  /** Series refused by the cardinality bound so far. */
  readonly droppedSeries: number;
  /**
   * The last error the source reported (decode failure, server `error` message, refused payload or
   * other transport warning), kept after it recovers; null when there has been none.
   */
  readonly lastError: string | null;
  /** How many such errors so far. */
  readonly errorCount: number;
  /** When the last one happened (host clock, ms since epoch). */
  readonly lastErrorAt: number | null;
}

/** One series as the store keeps it and the panel shows it. */
export interface SeriesFacts {
  readonly id: string;
  readonly sourceId: string;
  readonly name: string;
  readonly labels: Labels;
  readonly kind: SeriesKind;
  readonly unit: Unit;
  readonly role: Role | null;
  /** Gauges: the last value. Counters: the per-second rate over the last interval (null until two samples; a decrease counts as a reset). */
  readonly value: number | null;
  /** The last value as sent (counters: cumulative). */
  readonly raw: number;
  /** When the series was last received (a repeat of an unchanged sample set counts: the source is alive). */
  readonly updatedAt: number;
}

export interface SeriesView extends SeriesFacts {
  /** A small number standing for the id in value updates (keeps deltas small). */
  readonly handle: number;
}

/**
 * A value update of a known series, compact: [handle, value, raw (null: same as value), age in ms
 * before the delta's `now`].
 */
export type SeriesValue = readonly [handle: number, value: number | null, raw: number | null, ageMs: number];

/** Points of one series, oldest first. Times are ms since epoch. */
export interface PointsView {
  readonly id: string;
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
}

export interface AlertView {
  readonly id: string;
  readonly ruleId: string | null; // null for server-sent alerts
  readonly seriesId: string | null;
  readonly sourceId: string;
  readonly origin: 'rule' | 'server';
  readonly severity: Severity;
  readonly state: AlertState;
  readonly message: string;
  readonly since: number;
  readonly value: number | null;
  readonly peak: number | null;
  readonly threshold: number | null;
  readonly unit: Unit;
  readonly acknowledged: boolean;
  readonly snoozedUntil: number | null; // ms since epoch; Infinity is sent as null + snoozedUntilRestart
  readonly snoozedUntilRestart: boolean;
  readonly resolvedAt: number | null;
}

/** A threshold rule's levels, as the rule engine holds them and the panel shows them. */
export interface RuleLevels {
  readonly warning: number | null;
  readonly critical: number | null;
  readonly direction: Direction;
  readonly forSeconds: number;
  readonly clear: number | null;
  /** Fire when the value exceeds the rolling baseline by this fraction (0.5 = +50 %). */
  readonly anomaly: number | null;
}

export interface RuleView extends RuleLevels {
  readonly id: string;
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly unit: Unit;
  readonly origin: RuleOrigin;
  /** Problems found in the settings for this rule (the rule fell back to its default). */
  readonly problems: readonly string[];
}

export interface EndpointRow {
  readonly sourceId: string;
  readonly method: string;
  readonly path: string;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly errorRate: number | null; // percent
  readonly throughput: number | null; // requests per second
}

export interface ConnectionView {
  readonly sourceId: string;
  readonly id: string;
  readonly remoteAddress: string;
  readonly durationSeconds: number | null;
  readonly messagesIn: number | null;
  readonly messagesOut: number | null;
  readonly bytesIn: number | null;
  readonly bytesOut: number | null;
  readonly idleSeconds: number | null;
}

export interface TopicRow {
  readonly sourceId: string;
  readonly topic: string;
  readonly subscribers: number;
}

/** Something that happened in the dev loop: a save, a restart, a branch switch, a task… */
export interface AnnotationView {
  readonly id: string;
  readonly at: number;
  readonly kind: AnnotationKind;
  readonly label: string;
  readonly detail: string | null;
  readonly sourceId: string | null;
}

/** One key series compared before and after an annotation. */
export interface CompareRowView {
  readonly id: string;
  readonly label: string;
  readonly unit: Unit;
  readonly before: number | null;
  readonly after: number | null;
  readonly deltaPct: number | null;
  /** The before-window's spread the change is judged against. */
  readonly noise: number;
  readonly verdict: 'regressed' | 'improved' | 'same' | 'no-data';
}

/** The headline numbers, across sources (null: no source provides it). */
export interface SummaryView {
  readonly requestRate: number | null; // req/s
  readonly latencyMs: number | null;
  readonly errorRatePct: number | null;
  readonly connections: number | null;
  readonly pending: number | null;
  readonly subscribers: number | null;
  readonly heapBytes: number | null;
  readonly heapTotalBytes: number | null;
  readonly rssBytes: number | null;
  readonly cpuPct: number | null;
  readonly uptimeSeconds: number | null;
  readonly goroutines: number | null;
  /** Completed jobs per second (rate of a `jobs` counter). */
  readonly jobRate: number | null;
}

/** A change to a rule's levels, as the panel asks for it. */
export interface ThresholdPatch {
  readonly warning?: number | null;
  readonly critical?: number | null;
  readonly clear?: number | null;
  readonly forSeconds?: number;
}
