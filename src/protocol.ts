// Every message between the extension host and the metrics panel webview.
// Imported by both sides; it must stay free of `vscode` and of the DOM.
// Host events read `didX`; webview requests are imperatives.

import type { Labels, SeriesKind, Severity, SourceKind, SourceState, Unit, Role } from './core/model';
import type { AnnotationKind } from './core/annotations';

export const PANEL_VIEW_TYPE = 'pulse.metrics';

export type WindowId = '1m' | '5m' | '15m' | '1h' | '24h';
export const WINDOWS: Readonly<Record<WindowId, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
};
export type ValueMode = 'rate' | 'raw';

// ---------------------------------------------------------------- views (data sent to the webview)

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

export interface SeriesView {
  readonly id: string;
  /** A small number standing for the id in value updates (keeps deltas small). */
  readonly handle: number;
  readonly sourceId: string;
  readonly name: string;
  readonly labels: Labels;
  readonly kind: SeriesKind;
  readonly unit: Unit;
  readonly role: Role | null;
  /** Gauges: the last value. Counters: the per-second rate (null until two samples). */
  readonly value: number | null;
  /** Counters: the cumulative value as sent. Gauges: same as value. */
  readonly raw: number;
  readonly updatedAt: number;
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

export type AlertState = 'pending' | 'firing' | 'resolved' | 'nodata';

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

export type RuleOrigin = 'default' | 'settings' | 'override';

export interface RuleView {
  readonly id: string;
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly warning: number | null;
  readonly critical: number | null;
  readonly direction: 'above' | 'below';
  readonly forSeconds: number;
  readonly clear: number | null;
  readonly anomaly: number | null;
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

export interface PanelSnapshot {
  readonly now: number;
  readonly sources: readonly SourceView[];
  readonly series: readonly SeriesView[];
  /** Series in the store; more than `series.length` when the panel holds only a fair share of them. */
  readonly seriesTotal: number;
  readonly summary: SummaryView;
  readonly alerts: readonly AlertView[];
  readonly rules: readonly RuleView[];
  readonly endpoints: readonly EndpointRow[];
  readonly connections: readonly ConnectionView[];
  readonly topics: readonly TopicRow[];
  /** Problems with the configuration the user should fix (shown as a banner). */
  readonly configProblems: readonly string[];
  /** Dev-loop annotations in the history window, oldest first. */
  readonly annotations: readonly AnnotationView[];
}

/** What changed since the last post. Absent fields did not change. */
export interface PanelDelta {
  readonly now: number;
  readonly sources?: readonly SourceView[];
  /** New series, or series whose description changed (upserted by id). */
  readonly series?: readonly SeriesView[];
  /** Value updates of known series. */
  readonly values?: readonly SeriesValue[];
  /** Ids of series that no longer exist (history cleared). */
  readonly removedSeries?: readonly string[];
  readonly seriesTotal?: number;
  readonly summary?: SummaryView;
  readonly alerts?: readonly AlertView[];
  readonly rules?: readonly RuleView[];
  readonly endpoints?: readonly EndpointRow[];
  readonly connections?: readonly ConnectionView[];
  readonly topics?: readonly TopicRow[];
  readonly configProblems?: readonly string[];
  /** New annotations since the last post (upserted by id). */
  readonly annotations?: readonly AnnotationView[];
  /**
   * Extra points for charted series. The extension sends live points as `values` (the webview appends
   * them to charted series itself); a sender may add points here, e.g. several per series per post.
   */
  readonly points?: readonly PointsView[];
}

// ---------------------------------------------------------------- messages

export type HostMessage =
  | { readonly type: 'didSnapshot'; readonly snapshot: PanelSnapshot }
  | { readonly type: 'didUpdate'; readonly delta: PanelDelta }
  | { readonly type: 'didLoadHistory'; readonly requestId: number; readonly window: WindowId; readonly mode: ValueMode; readonly series: readonly PointsView[] }
  | { readonly type: 'didCompare'; readonly requestId: number; readonly annotation: AnnotationView | null; readonly rows: readonly CompareRowView[] };

export type SnoozeDuration = '15m' | '1h' | 'restart';

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'requestHistory'; readonly requestId: number; readonly ids: readonly string[]; readonly window: WindowId; readonly mode: ValueMode }
  | { readonly type: 'reconnect'; readonly sourceId: string | null }
  | { readonly type: 'addSource' }
  | { readonly type: 'openSettings' }
  | { readonly type: 'acknowledgeAlert'; readonly alertId: string }
  | { readonly type: 'dismissAlert'; readonly alertId: string }
  | { readonly type: 'snoozeAlert'; readonly alertId: string; readonly duration: SnoozeDuration }
  | { readonly type: 'setThreshold'; readonly ruleId: string; readonly patch: ThresholdPatch }
  | { readonly type: 'resetThreshold'; readonly ruleId: string }
  | { readonly type: 'saveThresholdToSettings'; readonly ruleId: string }
  | { readonly type: 'goToHandler'; readonly method: string | null; readonly path: string }
  /** The series filter's text: the host adds the series it matches beyond those the panel holds. */
  | { readonly type: 'searchSeries'; readonly query: string }
  /** Before/after comparison around an annotation, or around the last save. */
  | { readonly type: 'compare'; readonly requestId: number; readonly annotationId: string };

export interface ThresholdPatch {
  readonly warning?: number | null;
  readonly critical?: number | null;
  readonly clear?: number | null;
  readonly forSeconds?: number;
}

// ---------------------------------------------------------------- validation on receipt

const MAX_ID = 512;
const MAX_IDS = 200;
const MAX_QUERY = 200;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isId(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_ID;
}
function isOneOf<T extends string>(x: unknown, values: readonly T[]): x is T {
  return typeof x === 'string' && (values as readonly string[]).includes(x);
}
function isThresholdNumber(x: unknown): x is number | null {
  return x === null || (typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < 1e15);
}

const WINDOW_IDS = Object.keys(WINDOWS) as WindowId[];

const WEBVIEW_KEYS: Readonly<Record<WebviewMessage['type'], readonly string[]>> = {
  ready: [],
  addSource: [],
  openSettings: [],
  requestHistory: ['requestId', 'ids', 'window', 'mode'],
  reconnect: ['sourceId'],
  acknowledgeAlert: ['alertId'],
  dismissAlert: ['alertId'],
  snoozeAlert: ['alertId', 'duration'],
  setThreshold: ['ruleId', 'patch'],
  resetThreshold: ['ruleId'],
  saveThresholdToSettings: ['ruleId'],
  goToHandler: ['method', 'path'],
  compare: ['requestId', 'annotationId'],
  searchSeries: ['query'],
};

/** Validates what the webview sent. Anything not exactly one of WebviewMessage is refused (undefined). */
export function parseWebviewMessage(x: unknown): WebviewMessage | undefined {
  if (!isRecord(x) || typeof x.type !== 'string' || !Object.prototype.hasOwnProperty.call(WEBVIEW_KEYS, x.type)) return undefined;
  const allowed = WEBVIEW_KEYS[x.type as WebviewMessage['type']];
  if (Object.keys(x).some((k) => k !== 'type' && !allowed.includes(k))) return undefined;
  switch (x.type) {
    case 'ready':
    case 'addSource':
    case 'openSettings':
      return { type: x.type };
    case 'requestHistory': {
      const { requestId, ids, window, mode } = x;
      if (typeof requestId !== 'number' || !Number.isSafeInteger(requestId)) return undefined;
      if (!Array.isArray(ids) || ids.length > MAX_IDS || !ids.every(isId)) return undefined;
      if (!isOneOf(window, WINDOW_IDS) || !isOneOf(mode, ['rate', 'raw'] as const)) return undefined;
      return { type: 'requestHistory', requestId, ids: [...ids], window, mode };
    }
    case 'reconnect':
      if (x.sourceId !== null && !isId(x.sourceId)) return undefined;
      return { type: 'reconnect', sourceId: x.sourceId };
    case 'acknowledgeAlert':
    case 'dismissAlert':
      return isId(x.alertId) ? { type: x.type, alertId: x.alertId } : undefined;
    case 'snoozeAlert':
      if (!isId(x.alertId) || !isOneOf(x.duration, ['15m', '1h', 'restart'] as const)) return undefined;
      return { type: 'snoozeAlert', alertId: x.alertId, duration: x.duration };
    case 'setThreshold': {
      if (!isId(x.ruleId) || !isRecord(x.patch)) return undefined;
      const p = x.patch;
      const patch: { -readonly [K in keyof ThresholdPatch]: ThresholdPatch[K] } = {};
      for (const key of Object.keys(p)) {
        if (key === 'warning' || key === 'critical' || key === 'clear') {
          const value = p[key];
          if (!isThresholdNumber(value)) return undefined;
          patch[key] = value;
        } else if (key === 'forSeconds') {
          const value = p[key];
          if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 86_400) return undefined;
          patch.forSeconds = value;
        } else {
          return undefined;
        }
      }
      return { type: 'setThreshold', ruleId: x.ruleId, patch };
    }
    case 'resetThreshold':
    case 'saveThresholdToSettings':
      return isId(x.ruleId) ? { type: x.type, ruleId: x.ruleId } : undefined;
    case 'goToHandler': {
      const { method, path } = x;
      if (method !== null && (typeof method !== 'string' || !/^[A-Z]{1,10}$/.test(method))) return undefined;
      // eslint-disable-next-line no-control-regex
      if (typeof path !== 'string' || path.length > 2048 || !path.startsWith('/') || /[\u0000-\u001f]/.test(path)) return undefined;
      return { type: 'goToHandler', method, path };
    }
    case 'searchSeries':
      // eslint-disable-next-line no-control-regex
      if (typeof x.query !== 'string' || x.query.length > MAX_QUERY || /[\u0000-\u001f]/.test(x.query)) return undefined;
      return { type: 'searchSeries', query: x.query };
    case 'compare':
      if (typeof x.requestId !== 'number' || !Number.isSafeInteger(x.requestId) || !isId(x.annotationId)) return undefined;
      return { type: 'compare', requestId: x.requestId, annotationId: x.annotationId };
    default:
      return undefined;
  }
}

/**
 * Validates what the host sent, on the webview side. The host is trusted code, but the check keeps a
 * malformed or stale message (e.g. from an older extension version after an update) from breaking the view.
 */
export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isRecord(x)) return undefined;
  switch (x.type) {
    case 'didSnapshot': {
      const s = x.snapshot;
      if (!isRecord(s) || typeof s.now !== 'number') return undefined;
      const arrays = ['sources', 'series', 'alerts', 'rules', 'endpoints', 'connections', 'topics', 'configProblems', 'annotations'];
      if (!arrays.every((k) => Array.isArray(s[k])) || !isRecord(s.summary)) return undefined;
      return x as unknown as HostMessage;
    }
    case 'didUpdate': {
      const d = x.delta;
      if (!isRecord(d) || typeof d.now !== 'number') return undefined;
      for (const [k, v] of Object.entries(d)) {
        if (k === 'now') continue;
        if (k === 'summary' ? !isRecord(v) : k === 'seriesTotal' ? typeof v !== 'number' : !Array.isArray(v)) return undefined;
      }
      return x as unknown as HostMessage;
    }
    case 'didLoadHistory':
      if (typeof x.requestId !== 'number' || !isOneOf(x.window, WINDOW_IDS) || !Array.isArray(x.series)) return undefined;
      return x as unknown as HostMessage;
    case 'didCompare':
      if (typeof x.requestId !== 'number' || !Array.isArray(x.rows) || (x.annotation !== null && !isRecord(x.annotation))) return undefined;
      return x as unknown as HostMessage;
    default:
      return undefined;
  }
}
