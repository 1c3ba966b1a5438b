// Element-level checks on host data. parseHostMessage checks the envelope and that lists are lists;
// these drop list items that lack what the renderers read, so one odd item cannot break a section.
import type {
  AlertView,
  AnnotationView,
  CompareRowView,
  ConnectionView,
  EndpointRow,
  PointsView,
  RuleView,
  SeriesValue,
  SeriesView,
  SourceView,
  SummaryView,
  TopicRow,
} from '../src/protocol';
import type { Unit } from '../src/core/model';
import { isAnnotationKind } from './annotationKinds';

type Rec = Record<string, unknown>;

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
const str = (x: unknown): x is string => typeof x === 'string';
const num = (x: unknown): x is number => typeof x === 'number' && !Number.isNaN(x);
const numOrNull = (x: unknown): boolean => x === null || num(x);
const optNum = (x: unknown): boolean => x === undefined || numOrNull(x);

function isLabels(x: unknown): boolean {
  return Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && str(p[0]) && str(p[1]));
}

function isSourceState(x: unknown): boolean {
  if (!isRec(x)) return false;
  switch (x.phase) {
    case 'idle':
    case 'closed':
      return true;
    case 'connecting':
      return num(x.attempt);
    case 'open':
      return num(x.since);
    case 'reconnecting':
      return num(x.retryAt) && num(x.attempt) && str(x.reason);
    case 'failed':
      return str(x.reason);
    default:
      return false;
  }
}

const isSource = (x: unknown): x is SourceView =>
  isRec(x) && str(x.id) && str(x.name) && str(x.url) && str(x.kind) && isSourceState(x.state) && numOrNull(x.lastMessageAt) && num(x.messagesPerSecond) && num(x.droppedSeries) &&
  (x.lastError === null || str(x.lastError)) && num(x.errorCount) && numOrNull(x.lastErrorAt);

const isSeries = (x: unknown): x is SeriesView =>
  isRec(x) && str(x.id) && num(x.handle) && str(x.sourceId) && str(x.name) && isLabels(x.labels) && (x.kind === 'counter' || x.kind === 'gauge') && str(x.unit) && numOrNull(x.value) && num(x.raw);

const isAlert = (x: unknown): x is AlertView =>
  isRec(x) && str(x.id) && str(x.sourceId) && str(x.message) && str(x.severity) && str(x.state) && num(x.since) && numOrNull(x.value) && numOrNull(x.threshold) && str(x.unit) && typeof x.acknowledged === 'boolean';

const isRule = (x: unknown): x is RuleView =>
  isRec(x) && str(x.id) && str(x.metric) && numOrNull(x.warning) && numOrNull(x.critical) && numOrNull(x.clear) && (x.direction === 'above' || x.direction === 'below') && num(x.forSeconds) && str(x.origin) && Array.isArray(x.problems);

const isEndpoint = (x: unknown): x is EndpointRow =>
  isRec(x) && str(x.sourceId) && str(x.method) && str(x.path) && numOrNull(x.p50) && numOrNull(x.p95) && numOrNull(x.p99) && numOrNull(x.errorRate) && numOrNull(x.throughput);

const isConnection = (x: unknown): x is ConnectionView =>
  isRec(x) && str(x.sourceId) && str(x.id) && str(x.remoteAddress) && optNum(x.durationSeconds) && optNum(x.messagesIn) && optNum(x.messagesOut) && optNum(x.bytesIn) && optNum(x.bytesOut) && optNum(x.idleSeconds);

const isTopic = (x: unknown): x is TopicRow => isRec(x) && str(x.sourceId) && str(x.topic) && num(x.subscribers);

const isPoints = (x: unknown): x is PointsView =>
  isRec(x) && str(x.id) && Array.isArray(x.t) && Array.isArray(x.v) && x.t.length === x.v.length && x.t.every(num) && x.v.every(numOrNull);

// Longer ids could not be sent back in a compare request (parseWebviewMessage caps ids at 512).
const MAX_ANNOTATION_ID = 512;
const strOrNull = (x: unknown): boolean => x === null || str(x);

const isAnnotation = (x: unknown): x is AnnotationView =>
  isRec(x) && str(x.id) && x.id.length > 0 && x.id.length <= MAX_ANNOTATION_ID && typeof x.at === 'number' && Number.isFinite(x.at) && isAnnotationKind(x.kind) && str(x.label) && strOrNull(x.detail) && strOrNull(x.sourceId);

// formatValue has a case per unit and nothing for others, so the unit must be one of these.
const UNITS: Readonly<Record<Unit, true>> = { bytes: true, ms: true, seconds: true, percent: true, ratio: true, per_second: true, count: true, none: true };
const VERDICTS: Readonly<Record<CompareRowView['verdict'], true>> = { regressed: true, improved: true, same: true, 'no-data': true };
const isKeyOf = (o: object, x: unknown): boolean => typeof x === 'string' && Object.prototype.hasOwnProperty.call(o, x);

const isCompareRow = (x: unknown): x is CompareRowView =>
  isRec(x) && str(x.id) && str(x.label) && isKeyOf(UNITS, x.unit) && numOrNull(x.before) && numOrNull(x.after) && numOrNull(x.deltaPct) && num(x.noise) && isKeyOf(VERDICTS, x.verdict);

/** The annotation of a didCompare reply: null when absent or malformed. */
export function cleanAnnotation(x: unknown): AnnotationView | null {
  return isAnnotation(x) ? x : null;
}

const SUMMARY_KEYS: readonly (keyof SummaryView)[] = [
  'requestRate', 'latencyMs', 'errorRatePct', 'connections', 'pending', 'subscribers', 'heapBytes', 'heapTotalBytes', 'rssBytes', 'cpuPct', 'uptimeSeconds', 'goroutines', 'jobRate',
];

/** Missing or odd summary fields read as null ("no source provides it"). */
export function cleanSummary(x: unknown): SummaryView {
  const r = isRec(x) ? x : {};
  const out: Record<string, number | null> = {};
  for (const k of SUMMARY_KEYS) {
    const v = r[k];
    out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return out as unknown as SummaryView;
}

function isValue(x: unknown): x is SeriesValue {
  return Array.isArray(x) && x.length === 4 && num(x[0]) && numOrNull(x[1]) && numOrNull(x[2]) && num(x[3]);
}

function keep<T>(list: readonly unknown[], ok: (x: unknown) => x is T): readonly T[] {
  return list.every(ok) ? (list as readonly T[]) : list.filter(ok);
}

export const clean = {
  sources: (l: readonly unknown[]) => keep(l, isSource),
  series: (l: readonly unknown[]) => keep(l, isSeries),
  alerts: (l: readonly unknown[]) => keep(l, isAlert),
  rules: (l: readonly unknown[]) => keep(l, isRule),
  endpoints: (l: readonly unknown[]) => keep(l, isEndpoint),
  connections: (l: readonly unknown[]) => keep(l, isConnection),
  topics: (l: readonly unknown[]) => keep(l, isTopic),
  points: (l: readonly unknown[]) => keep(l, isPoints),
  annotations: (l: readonly unknown[]) => keep(l, isAnnotation),
  compareRows: (l: readonly unknown[]) => keep(l, isCompareRow),
  strings: (l: readonly unknown[]) => keep(l, str),
  values: (l: readonly unknown[]) => keep(l, isValue),
};
