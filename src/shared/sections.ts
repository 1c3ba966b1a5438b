// The panel's sections, defined once: each row names a section and holds the guard that cleans its
// payload. The section ids, their payload types, the snapshot/delta fields and the webview's reducer all
// derive from this table. Host data is checked item by item so one odd item cannot break a section.

import type { AlertView, AnnotationView, ConnectionView, EndpointRow, PointsView, RuleView, SeriesValue, SeriesView, SourceView, SummaryView, TopicRow } from './views';
import type { Rec } from './check';
import { isFiniteNumber, isNumber, isOneOf, isRecord, isString } from './check';
import { ANNOTATION_KINDS } from './vocabulary';

export const numOrNull = (x: unknown): boolean => x === null || isNumber(x);
const optNum = (x: unknown): boolean => x === undefined || numOrNull(x);
const strOrNull = (x: unknown): boolean => x === null || isString(x);

function isLabels(x: unknown): boolean {
  return Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && isString(p[0]) && isString(p[1]));
}

function isSourceState(x: unknown): boolean {
  if (!isRecord(x)) return false;
  switch (x.phase) {
    case 'idle':
    case 'closed':
      return true;
    case 'connecting':
      return isNumber(x.attempt);
    case 'open':
      return isNumber(x.since);
    case 'reconnecting':
      return isNumber(x.retryAt) && isNumber(x.attempt) && isString(x.reason);
    case 'failed':
      return isString(x.reason);
    default:
      return false;
  }
}

const isSource = (x: unknown): x is SourceView =>
  isRecord(x) && isString(x.id) && isString(x.name) && isString(x.url) && isString(x.kind) && isSourceState(x.state) && numOrNull(x.lastMessageAt) && isNumber(x.messagesPerSecond) && isNumber(x.droppedSeries) &&
  strOrNull(x.lastError) && isNumber(x.errorCount) && numOrNull(x.lastErrorAt);

const isSeries = (x: unknown): x is SeriesView =>
  isRecord(x) && isString(x.id) && isNumber(x.handle) && isString(x.sourceId) && isString(x.name) && isLabels(x.labels) && (x.kind === 'counter' || x.kind === 'gauge') && isString(x.unit) && numOrNull(x.value) && isNumber(x.raw);

const isAlert = (x: unknown): x is AlertView =>
  isRecord(x) && isString(x.id) && isString(x.sourceId) && isString(x.message) && isString(x.severity) && isString(x.state) && isNumber(x.since) && numOrNull(x.value) && numOrNull(x.threshold) && isString(x.unit) && typeof x.acknowledged === 'boolean';

const isRule = (x: unknown): x is RuleView =>
  isRecord(x) && isString(x.id) && isString(x.metric) && numOrNull(x.warning) && numOrNull(x.critical) && numOrNull(x.clear) && (x.direction === 'above' || x.direction === 'below') && isNumber(x.forSeconds) && isString(x.origin) && Array.isArray(x.problems);

const isEndpoint = (x: unknown): x is EndpointRow =>
  isRecord(x) && isString(x.sourceId) && isString(x.method) && isString(x.path) && numOrNull(x.p50) && numOrNull(x.p95) && numOrNull(x.p99) && numOrNull(x.errorRate) && numOrNull(x.throughput);

const isConnection = (x: unknown): x is ConnectionView =>
  isRecord(x) && isString(x.sourceId) && isString(x.id) && isString(x.remoteAddress) && optNum(x.durationSeconds) && optNum(x.messagesIn) && optNum(x.messagesOut) && optNum(x.bytesIn) && optNum(x.bytesOut) && optNum(x.idleSeconds);

const isTopic = (x: unknown): x is TopicRow => isRecord(x) && isString(x.sourceId) && isString(x.topic) && isNumber(x.subscribers);

// Longer ids could not be sent back in a compare request (parseWebviewMessage caps ids at 512).
const MAX_ANNOTATION_ID = 512;

export const isAnnotation = (x: unknown): x is AnnotationView =>
  isRecord(x) && isString(x.id) && x.id.length > 0 && x.id.length <= MAX_ANNOTATION_ID && isFiniteNumber(x.at) && isOneOf(x.kind, ANNOTATION_KINDS) && isString(x.label) && strOrNull(x.detail) && strOrNull(x.sourceId);

/** Most charts pinned at once, and the longest id a pin may have (a history request caps ids alike). */
export const MAX_PINS = 24;
const MAX_PIN_ID = 512;

export const isPinId = (x: unknown): x is string => isString(x) && x.length > 0 && x.length <= MAX_PIN_ID;

/** Pinned series ids in chart order: bounded, each once. */
export const isPinList = (x: unknown): x is readonly string[] => Array.isArray(x) && x.length <= MAX_PINS && x.every(isPinId) && new Set(x).size === x.length;

/** Most series overlaid on one chart. */
export const MAX_OVERLAYS = 3;

/** One chart's overlays: series ids drawn on it besides its own, each once, at most MAX_OVERLAYS. */
export const isOverlayList = (x: unknown): x is readonly string[] => Array.isArray(x) && x.length <= MAX_OVERLAYS && x.every(isPinId) && new Set(x).size === x.length;

/** Overlays per pinned chart (chart id → overlay ids); own keys only, built without a prototype to touch. */
export type ChartOverlays = Readonly<Record<string, readonly string[]>>;

/** One chart's overlays as kept: pin ids only, each once, never the chart itself, at most MAX_OVERLAYS. */
export function overlayList(chart: string, x: unknown): readonly string[] {
  return [...new Set(keep(x, isPinId))].filter((id) => id !== chart).slice(0, MAX_OVERLAYS);
}

/**
 * The overlays of `charts` that have any, `of(chart)` read through overlayList. Built with fromEntries, so
 * a chart id such as `__proto__` stays a plain key.
 */
export function overlaysFor(charts: readonly string[], of: (chart: string) => unknown): ChartOverlays {
  return Object.fromEntries(charts.map((chart): [string, readonly string[]] => [chart, overlayList(chart, of(chart))]).filter(([, list]) => list.length > 0));
}

/** The host's overlays, or null when it keeps none: charts with a bad id or past MAX_PINS dropped, each list cleaned. */
function cleanOverlays(x: unknown): ChartOverlays | null {
  if (!isRecord(x)) return null;
  return overlaysFor(Object.keys(x).filter(isPinId).slice(0, MAX_PINS), (chart) => x[chart]);
}

/** The host's pins, or null when it keeps none (the page then keeps its own): bad ids dropped, duplicates once. */
function cleanPins(x: unknown): readonly string[] | null {
  if (!Array.isArray(x)) return null;
  return isPinList(x) ? x : [...new Set(keep(x, isPinId))].slice(0, MAX_PINS);
}

const SUMMARY_KEYS: readonly (keyof SummaryView)[] = [
  'requestRate', 'latencyMs', 'errorRatePct', 'connections', 'pending', 'subscribers', 'heapBytes', 'heapTotalBytes', 'rssBytes', 'cpuPct', 'uptimeSeconds', 'goroutines', 'jobRate',
];

/** Missing or odd summary fields read as null ("no source provides it"). */
export function cleanSummary(x: unknown): SummaryView {
  const r: Rec = isRecord(x) ? x : {};
  const out: Record<string, number | null> = {};
  for (const k of SUMMARY_KEYS) {
    const v = r[k];
    out[k] = isFiniteNumber(v) ? v : null;
  }
  return out as unknown as SummaryView;
}

/** The items of a list that pass the check (the list itself when all do; empty when it is no list). */
export function keep<T>(list: unknown, ok: (x: unknown) => x is T): readonly T[] {
  if (!Array.isArray(list)) return [];
  return list.every(ok) ? (list as readonly T[]) : list.filter(ok);
}

export interface SectionRow<T> {
  /** The envelope check on receipt: whether the field has the right shape at all (list or record). */
  readonly isShape: (x: unknown) => boolean;
  /** The payload with what the renderers cannot read dropped or defaulted. */
  readonly clean: (x: unknown) => T;
  /** A snapshot may leave it out (a host from before it existed): it then reads as `clean(undefined)`. */
  readonly optional?: true;
}

const listOf = <T>(ok: (x: unknown) => x is T): SectionRow<readonly T[]> => ({ isShape: Array.isArray, clean: (x) => keep(x, ok) });

// One row per section. Adding a section: its view type, a guard, a row here, a builder in PanelFeed
// and a renderer in webview/main.ts.
const ROWS = {
  sources: listOf(isSource),
  summary: { isShape: isRecord, clean: cleanSummary },
  series: listOf(isSeries),
  alerts: listOf(isAlert),
  rules: listOf(isRule),
  endpoints: listOf(isEndpoint),
  connections: listOf(isConnection),
  topics: listOf(isTopic),
  /** Problems with the configuration the user should fix (shown as a banner). */
  configProblems: listOf(isString),
  /** Dev-loop annotations, oldest first (deltas carry new ones, upserted by id). */
  annotations: listOf(isAnnotation),
  /** The pinned charts, in order, as the host keeps them (workspace state); null from a host that keeps none. */
  pins: { isShape: (x: unknown) => x === null || Array.isArray(x), clean: cleanPins },
  /** Series overlaid on the pinned charts, per chart id (host workspace state); null (or absent) from a host that keeps none. */
  overlays: { isShape: (x: unknown) => x == null || isRecord(x), clean: cleanOverlays, optional: true },
} satisfies Record<string, SectionRow<unknown>>;

export type SectionId = keyof typeof ROWS;

/** What each section carries on the wire. */
export type SectionViews = { readonly [K in SectionId]: ReturnType<(typeof ROWS)[K]['clean']> };

export const SECTION_ROWS: { readonly [K in SectionId]: SectionRow<SectionViews[K]> } = ROWS;

export const SECTIONS = Object.keys(ROWS) as readonly SectionId[];

export function isSectionId(x: string): x is SectionId {
  return Object.prototype.hasOwnProperty.call(ROWS, x);
}

/** Sections a snapshot may leave out. */
type OptionalSection = { [K in SectionId]: (typeof ROWS)[K] extends { readonly optional: true } ? K : never }[SectionId];

/** Everything the panel shows: every section, whole (an optional one may be missing). */
export type PanelSnapshot = Omit<SectionViews, OptionalSection> & Partial<Pick<SectionViews, OptionalSection>> & {
  readonly now: number;
  /** Series in the store; more than `series.length` when the panel holds only a fair share of them. */
  readonly seriesTotal: number;
};

/**
 * What changed since the last post. Absent fields did not change. A section field replaces the
 * section, except `series` (new series, or series whose description changed) and `annotations`
 * (new ones), which are upserted by id.
 */
export type PanelDelta = Partial<SectionViews> & {
  readonly now: number;
  /** Value updates of known series. */
  readonly values?: readonly SeriesValue[];
  /** Ids of series that no longer exist (history cleared). */
  readonly removedSeries?: readonly string[];
  readonly seriesTotal?: number;
  /**
   * Extra points for charted series. The extension sends live points as `values` (the webview appends
   * them to charted series itself); a sender may add points here, e.g. several per series per post.
   */
  readonly points?: readonly PointsView[];
};
