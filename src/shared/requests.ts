// What the panel webview may ask the host, written once: each row's field checks are both the validator
// and, through the types they guard, the source of `WebviewMessage`. A new request is one row here and
// one handler in src/host/panel/handlers.ts (which does not compile until the handler exists).

import type { ThresholdPatch } from './views';
import { SNOOZE_DURATIONS, VALUE_MODES, WINDOW_IDS } from './vocabulary';
import { isFiniteNumber, isOneOf, isRecord, isString } from './check';
import { isOverlayList, isPinId, isPinList } from './sections';

/** A field check: says whether a value may stand in the field, and so what type the field has. */
type Field<T> = (x: unknown) => x is T;
type Schema = Readonly<Record<string, Field<unknown>>>;

const MAX_ID = 512;
const MAX_IDS = 200;
const MAX_QUERY = 200;
const MAX_PATH = 2048;
const MAX_FOR_SECONDS = 86_400;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

const id = (x: unknown): x is string => isString(x) && x.length > 0 && x.length <= MAX_ID;
const requestId = (x: unknown): x is number => Number.isSafeInteger(x);
const ids = (x: unknown): x is readonly string[] => Array.isArray(x) && x.length <= MAX_IDS && x.every(id);
const oneOf =
  <T extends string>(values: readonly T[]): Field<T> =>
  (x): x is T =>
    isOneOf(x, values);
const orNull =
  <T>(field: Field<T>): Field<T | null> =>
  (x): x is T | null =>
    x === null || field(x);
const httpMethod = (x: unknown): x is string => isString(x) && /^[A-Z]{1,10}$/.test(x);
const handlerPath = (x: unknown): x is string => isString(x) && x.length <= MAX_PATH && x.startsWith('/') && !CONTROL.test(x);
const query = (x: unknown): x is string => isString(x) && x.length <= MAX_QUERY && !CONTROL.test(x);
const level = (x: unknown): x is number | null => x === null || (isFiniteNumber(x) && Math.abs(x) < 1e15);
const forSeconds = (x: unknown): x is number => isFiniteNumber(x) && x >= 0 && x <= MAX_FOR_SECONDS;
const PATCH_FIELDS: Schema = { warning: level, critical: level, clear: level, forSeconds };
/** The most a chart export may carry: its CSV text, or its PNG as a data URL (both in characters). */
export const MAX_EXPORT_CSV = 5 * 1024 * 1024;
export const MAX_EXPORT_PNG = 10 * 1024 * 1024;
export const PNG_DATA_URL = 'data:image/png;base64,';
/** One chart saved as a file: a plain name (no path) ending in its format's extension, and the content. */
export interface ChartExport {
  readonly format: 'csv' | 'png';
  readonly fileName: string;
  readonly content: string;
}
const EXPORT_FIELDS = ['format', 'fileName', 'content'];
const exportName = (x: unknown): x is string => isString(x) && /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/.test(x);
const pngDataUrl = (x: string): boolean => x.length <= MAX_EXPORT_PNG && x.startsWith(PNG_DATA_URL) && /^[A-Za-z0-9+/]+={0,2}$/.test(x.slice(PNG_DATA_URL.length));
const chartExport = (x: unknown): x is ChartExport =>
  isRecord(x) &&
  Object.keys(x).every((k) => EXPORT_FIELDS.includes(k)) &&
  exportName(x.fileName) &&
  isString(x.content) &&
  (x.format === 'csv' ? x.fileName.endsWith('.csv') && x.content.length <= MAX_EXPORT_CSV : x.format === 'png' && x.fileName.endsWith('.png') && pngDataUrl(x.content));
/** Any subset of the patch fields, nothing else. */
const thresholdPatch = (x: unknown): x is ThresholdPatch => isRecord(x) && Object.keys(x).every((k) => hasOwn(PATCH_FIELDS, k) && PATCH_FIELDS[k]?.(x[k]) === true);

/** Every request, with its fields. Fields are exact: a missing or extra one refuses the message. */
export const REQUESTS = {
  ready: {},
  requestHistory: { requestId, ids, window: oneOf(WINDOW_IDS), mode: oneOf(VALUE_MODES) },
  /** A null sourceId reconnects every source. */
  reconnect: { sourceId: orNull(id) },
  addSource: {},
  openSettings: {},
  acknowledgeAlert: { alertId: id },
  dismissAlert: { alertId: id },
  snoozeAlert: { alertId: id, duration: oneOf(SNOOZE_DURATIONS) },
  setThreshold: { ruleId: id, patch: thresholdPatch },
  resetThreshold: { ruleId: id },
  saveThresholdToSettings: { ruleId: id },
  goToHandler: { method: orNull(httpMethod), path: handlerPath },
  /** The series filter's text: the host adds the series it matches beyond those the panel holds. */
  searchSeries: { query },
  /** Before/after comparison around an annotation, or around the last save. */
  compare: { requestId, annotationId: id },
  /** A chart's visible range as CSV, or its canvas as PNG: the host asks where to save it. */
  exportChart: { file: chartExport },
  /** The user pinned, unpinned or reordered charts: the whole list, in chart order. */
  setPins: { ids: isPinList },
  /** The user overlaid series on a pinned chart, or removed one: that chart's whole overlay list. */
  setOverlays: { chartId: isPinId, ids: isOverlayList },
} as const satisfies Readonly<Record<string, Schema>>;

export type RequestType = keyof typeof REQUESTS;

type FieldsOf<S> = { readonly [F in keyof S]: S[F] extends Field<infer T> ? T : never };

/** One request as the webview posts it (`WebviewMessage<'compare'>`), or any of them (`WebviewMessage`). */
export type WebviewMessage<K extends RequestType = RequestType> = {
  [P in K]: { readonly type: P } & FieldsOf<(typeof REQUESTS)[P]>;
}[K];

/**
 * Validates what the webview sent. Anything not exactly one of the requests is refused (undefined);
 * what is accepted is a fresh copy, so nothing the page still holds reaches the host.
 */
export function parseWebviewMessage(x: unknown): WebviewMessage | undefined {
  if (!isRecord(x) || !isString(x.type) || !hasOwn(REQUESTS, x.type)) return undefined;
  const schema: Schema = REQUESTS[x.type as RequestType];
  if (Object.keys(x).some((k) => k !== 'type' && !hasOwn(schema, k))) return undefined;
  const out: Record<string, unknown> = { type: x.type };
  for (const [key, check] of Object.entries(schema)) {
    const value = x[key];
    if (!check(value)) return undefined;
    out[key] = copy(value);
  }
  return out as WebviewMessage;
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** One level deep is enough: no field holds more than a list of strings or a record of numbers. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (isRecord(value)) return Object.fromEntries(Object.keys(value).map((k) => [k, value[k]]));
  return value;
}
