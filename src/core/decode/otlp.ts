// OTLP metrics (an ExportMetricsServiceRequest, decoded from protobuf or JSON into the OTLP JSON shape)
// → Pulse's model. Everything in it is untrusted: shapes are checked, sizes bounded, and points that
// cannot be used are counted as rejected (OTLP partial success) rather than failing the request.
import type { Decoded, HistogramSample } from '../model';
import type { Labels } from '../../shared/views';
import type { Role, SeriesKind } from '../../shared/vocabulary';
import { seriesKey, sortLabels } from '../model';
import { normalizeLabels } from './labels';
import { SampleList } from './sampleList';
import { field, finiteNumber, isObject, objectField, printable } from './values';
import type { JsonObject } from './values';
import type { DeltaTotals } from './otlpDelta';
import type { CumulativeBuckets } from './otlpDelta';
import { expToBuckets } from './otlpExponential';
import type { PointOrder } from './otlpOrder';
import type { ExpBuckets } from './otlpExponential';
import { isRequestDuration, otlpRole, otlpUnit } from './otlpUnits';

export interface OtlpOptions {
  /** Most data points one request may carry; the rest are rejected. */
  readonly maxPoints?: number;
  /** Orders points by their own timestamps from request to request; without it, every point is used as it arrives. */
  readonly order?: PointOrder;
}

export interface OtlpMapped {
  readonly decoded: Decoded;
  readonly accepted: number;
  readonly rejected: number;
  /** Points dropped for being no newer than one already used for their series (a retried export). */
  readonly stale: number;
  /** Why points were rejected (the first reason), for `partialSuccess.errorMessage`. */
  readonly reason: string;
}

export type OtlpResult = { readonly ok: true; readonly value: OtlpMapped } | { readonly ok: false; readonly error: string };

const DEFAULT_MAX_POINTS = 5000;
/** Samples per point at most: a summary's quantiles (capped below) plus its count and sum. */
const SAMPLES_PER_POINT = 4;
const MAX_QUANTILES = 8;
const MAX_ATTRIBUTES = 16;
const MAX_KEY = 128;
const MAX_NAME = 255;
const MAX_EXPLICIT_BUCKETS = 256;
const MAX_EXP_BUCKET_COUNTS = 16_384;
const DELTA = 1;
/** DataPointFlags.FLAG_NO_RECORDED_VALUE: the point is a gap, not a value. */
const NO_RECORDED_VALUE = 1;

/** Resource attributes that become labels, and their label names. */
const RESOURCE_LABELS: ReadonlyMap<string, string> = new Map([
  ['service.name', 'service'],
  ['service.namespace', 'namespace'],
  ['service.instance.id', 'instance'],
  ['deployment.environment.name', 'environment'],
  ['deployment.environment', 'environment'],
]);

const STATUS_ATTRIBUTES = ['http.response.status_code', 'http.status_code'];

interface RequestTotals {
  readonly labels: Labels;
  requests: number;
  errors: number;
  hasStatus: boolean;
}

interface Context {
  readonly out: SampleList;
  readonly histograms: HistogramSample[];
  readonly totals: DeltaTotals;
  readonly requests: Map<string, RequestTotals>;
  readonly order: PointOrder | undefined;
  budget: number;
  readonly maxPoints: number;
  accepted: number;
  rejected: number;
  stale: number;
  reason: string;
  /** The newest accepted point's time (ns since epoch; 0 while none). */
  newest: number;
}

type Pairs = Array<readonly [string, string]>;

/** Maps one request; `totals` carries delta-temporality running totals from request to request. */
export function mapOtlpMetrics(request: unknown, totals: DeltaTotals, options: OtlpOptions = {}): OtlpResult {
  if (!isObject(request)) return { ok: false, error: 'the body is not an ExportMetricsServiceRequest object' };
  const resourceMetrics = field(request, 'resourceMetrics');
  if (resourceMetrics !== undefined && resourceMetrics !== null && !Array.isArray(resourceMetrics)) return { ok: false, error: '"resourceMetrics" must be an array' };
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const ctx: Context = { out: new SampleList(maxPoints * SAMPLES_PER_POINT), histograms: [], totals, requests: new Map(), order: options.order, budget: maxPoints, maxPoints, accepted: 0, rejected: 0, stale: 0, reason: '', newest: 0 };
  for (const rm of list(resourceMetrics)) {
    if (!isObject(rm)) continue;
    const resource = resourceLabels(objectField(rm, 'resource'));
    for (const sm of list(field(rm, 'scopeMetrics'))) {
      if (!isObject(sm)) continue;
      for (const metric of list(field(sm, 'metrics'))) if (isObject(metric)) mapMetric(ctx, metric, resource);
    }
  }
  for (const t of ctx.requests.values()) {
    ctx.out.add('http.server.requests', t.requests, 'counter', 'count', 'requests', t.labels);
    if (t.hasStatus) ctx.out.add('http.server.errors', t.errors, 'counter', 'count', 'errors', t.labels);
  }
  const decoded: Decoded = {
    format: 'otlp',
    samples: ctx.out.samples,
    ...(ctx.histograms.length > 0 ? { histograms: ctx.histograms } : {}),
    ...(ctx.newest > 0 ? { collectedAt: ctx.newest / 1e6 } : {}),
  };
  return { ok: true, value: { decoded, accepted: ctx.accepted, rejected: ctx.rejected, stale: ctx.stale, reason: ctx.reason } };
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function reject(ctx: Context, points: number, reason: string): void {
  if (points <= 0) return;
  ctx.rejected += points;
  if (ctx.reason === '') ctx.reason = reason;
}

/** Takes one point from the request's budget; false (and the point rejected) once it is spent. */
function take(ctx: Context): boolean {
  if (ctx.budget > 0) {
    ctx.budget--;
    return true;
  }
  reject(ctx, 1, `more than ${ctx.maxPoints} data points in one request`);
  return false;
}

function mapMetric(ctx: Context, metric: JsonObject, resource: Pairs): void {
  const rawName = field(metric, 'name');
  const unitField = field(metric, 'unit');
  const unit = typeof unitField === 'string' && unitField.length <= 64 ? unitField : '';
  const data = dataOf(metric);
  if (data === undefined) return;
  const points = list(field(data.body, 'dataPoints'));
  if (typeof rawName !== 'string' || rawName.length === 0 || rawName.length > MAX_NAME || printable(rawName) !== rawName) {
    reject(ctx, points.length, `a metric name is missing, longer than ${MAX_NAME} characters or not printable`);
    return;
  }
  const name = rawName;
  const delta = temporality(field(data.body, 'aggregationTemporality')) === DELTA;
  for (const point of points) {
    if (!take(ctx)) continue;
    if (!isObject(point)) {
      reject(ctx, 1, `a data point of "${name}" is not an object`);
      continue;
    }
    const flags = finiteNumber(field(point, 'flags'), true) ?? 0;
    if ((flags & NO_RECORDED_VALUE) !== 0) {
      ctx.accepted++;
      continue;
    }
    const attrs = attributes(field(point, 'attributes'));
    const labels = normalizeLabels(sortLabels([...attrs, ...resource]));
    if (isStale(ctx, data.type, name, labels, point, delta, attrs, resource)) continue;
    const time = finiteNumber(field(point, 'timeUnixNano'), true);
    if (time !== undefined && time > ctx.newest) ctx.newest = time;
    const problem =
      data.type === 'gauge' || data.type === 'sum'
        ? numberPoint(ctx, name, unit, point, attrs, labels, data.type === 'sum' && field(data.body, 'isMonotonic') === true, delta)
        : data.type === 'summary'
          ? summaryPoint(ctx, name, unit, point, attrs, labels)
          : histogramPoint(ctx, name, unit, point, attrs, labels, resource, delta, data.type === 'exponentialHistogram');
    if (problem === undefined) ctx.accepted++;
    else reject(ctx, 1, `${problem} ("${name}")`);
  }
}

/**
 * True (and the point counted as stale) when its series already had a point at least as new. A dropped
 * request-duration histogram still counts its series' last accepted total towards the service's
 * request counter, so a partly stale export cannot make that counter go backwards.
 */
function isStale(ctx: Context, type: DataType, name: string, labels: Labels, point: JsonObject, delta: boolean, attrs: Pairs, resource: Pairs): boolean {
  if (ctx.order === undefined) return false;
  const time = finiteNumber(field(point, 'timeUnixNano'), true) ?? 0;
  const start = finiteNumber(field(point, 'startTimeUnixNano'), true) ?? 0;
  const key = seriesKey(name, labels);
  if (ctx.order.admit(key, start, time, type !== 'gauge' && !delta) !== 'stale') return false;
  ctx.stale++;
  if ((type === 'histogram' || type === 'exponentialHistogram') && isRequestDuration(name) && name.startsWith('http.')) countRequests(ctx, resource, new Map(attrs), ctx.order.lastCount(key));
  return true;
}

type DataType = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
const DATA_TYPES: readonly DataType[] = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

function dataOf(metric: JsonObject): { readonly type: DataType; readonly body: JsonObject } | undefined {
  for (const type of DATA_TYPES) {
    const body = objectField(metric, type);
    if (body !== undefined) return { type, body };
  }
  return undefined;
}

/** AggregationTemporality as a number (protobuf, OTLP JSON) or its enum name (some JSON writers). */
function temporality(value: unknown): number {
  if (value === 'AGGREGATION_TEMPORALITY_DELTA') return DELTA;
  return finiteNumber(value, true) ?? 0;
}

function numberPoint(ctx: Context, name: string, unit: string, point: JsonObject, attrs: Pairs, labels: Labels, monotonic: boolean, delta: boolean): string | undefined {
  const raw = finiteNumber(field(point, 'asDouble'), true) ?? finiteNumber(field(point, 'asInt'), true);
  if (raw === undefined) return 'a data point has no finite value';
  const kind: SeriesKind = monotonic ? 'counter' : 'gauge';
  const mapped = otlpUnit(unit, name, kind);
  let value = raw * mapped.scale;
  if (delta) value = ctx.totals.addSum(seriesKey(name, labels), value);
  ctx.out.add(name, value, kind, mapped.unit, otlpRole(name, mapped.unit, kind, new Map(attrs)), labels);
  return undefined;
}

function summaryPoint(ctx: Context, name: string, unit: string, point: JsonObject, attrs: Pairs, labels: Labels): string | undefined {
  const mapped = otlpUnit(unit, name, 'gauge');
  const role = otlpRole(name, mapped.unit, 'gauge', new Map(attrs));
  const quantiles = list(field(point, 'quantileValues')).slice(0, MAX_QUANTILES);
  for (const qv of quantiles) {
    if (!isObject(qv)) continue;
    const q = finiteNumber(field(qv, 'quantile'), true) ?? 0;
    const v = finiteNumber(field(qv, 'value'), true);
    if (q < 0 || q > 1 || v === undefined) continue;
    const quantileRole: Role | undefined = q === 0.95 ? role : undefined;
    ctx.out.add(name, v * mapped.scale, 'gauge', mapped.unit, quantileRole, sortLabels([...labels, ['quantile', String(q)]]));
  }
  const count = finiteNumber(field(point, 'count'), true);
  if (count !== undefined && count >= 0) ctx.out.add(`${name}_count`, count, 'counter', 'count', undefined, labels);
  const sum = finiteNumber(field(point, 'sum'), true);
  if (sum !== undefined) ctx.out.add(`${name}_sum`, sum * mapped.scale, 'counter', mapped.unit, undefined, labels);
  return undefined;
}

function histogramPoint(ctx: Context, name: string, unit: string, point: JsonObject, attrs: Pairs, labels: Labels, resource: Pairs, delta: boolean, exponential: boolean): string | undefined {
  const mapped = otlpUnit(unit, name, 'gauge', true);
  const count = finiteNumber(field(point, 'count'), true) ?? 0;
  if (count < 0) return 'a histogram count is negative';
  let buckets: CumulativeBuckets | string = exponential ? exponentialBuckets(point, count, mapped.scale) : explicitBuckets(point, count, mapped.scale);
  if (typeof buckets === 'string') return buckets;
  let sum = (finiteNumber(field(point, 'sum'), true) ?? 0) * mapped.scale;
  let total = Math.max(count, buckets[buckets.length - 1]?.[1] ?? 0);
  if (delta) {
    const running = ctx.totals.addHistogram(seriesKey(name, labels), buckets, sum, total);
    buckets = running.buckets;
    sum = running.sum;
    total = running.count;
  }
  ctx.order?.noteCount(seriesKey(name, labels), total);
  const attrMap = new Map(attrs);
  const role = otlpRole(name, mapped.unit, 'gauge', attrMap);
  ctx.histograms.push({ name, labels, unit: mapped.unit, ...(role === undefined ? {} : { role }), buckets, sum, count: total });
  if (isRequestDuration(name) && name.startsWith('http.')) countRequests(ctx, resource, attrMap, total);
  return undefined;
}

/** Explicit buckets: OTLP counts are per bucket, with one more count than bounds (the last one unbounded). */
function explicitBuckets(point: JsonObject, count: number, scale: number): CumulativeBuckets | string {
  const counts = list(field(point, 'bucketCounts'));
  const bounds = list(field(point, 'explicitBounds'));
  if (counts.length === 0) return [[Number.POSITIVE_INFINITY, count]];
  if (counts.length > MAX_EXPLICIT_BUCKETS) return `a histogram has more than ${MAX_EXPLICIT_BUCKETS} buckets`;
  if (counts.length !== bounds.length + 1) return 'a histogram has not one bucket count more than bounds';
  const out: Array<[number, number]> = [];
  let running = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < counts.length; i++) {
    const c = finiteNumber(counts[i], true);
    if (c === undefined || c < 0) return 'a histogram bucket count is not a non-negative number';
    running += c;
    if (i === bounds.length) break;
    const le = finiteNumber(bounds[i], true);
    if (le === undefined || le <= previous) return 'histogram bounds are not finite and increasing';
    previous = le;
    out.push([le * scale === 0 ? 0 : le * scale, running]);
  }
  out.push([Number.POSITIVE_INFINITY, running]);
  return out;
}

function exponentialBuckets(point: JsonObject, count: number, scaleBy: number): CumulativeBuckets | string {
  const scale = finiteNumber(field(point, 'scale'), true) ?? 0;
  if (!Number.isInteger(scale) || scale < -10 || scale > 20) return 'an exponential histogram scale is outside -10…20';
  const zeroCount = finiteNumber(field(point, 'zeroCount'), true) ?? 0;
  const zeroThreshold = finiteNumber(field(point, 'zeroThreshold'), true) ?? 0;
  const positive = expSide(field(point, 'positive'));
  const negative = expSide(field(point, 'negative'));
  if (positive === undefined || negative === undefined || zeroCount < 0) return 'exponential histogram buckets are not non-negative numbers';
  return expToBuckets({ scale, zeroCount, zeroThreshold, positive, negative, count }, scaleBy);
}

function expSide(value: unknown): ExpBuckets | undefined {
  if (!isObject(value)) return { offset: 0, counts: [] };
  const offset = finiteNumber(field(value, 'offset'), true) ?? 0;
  const raw = list(field(value, 'bucketCounts'));
  if (!Number.isInteger(offset) || Math.abs(offset) > 2 ** 31 || raw.length > MAX_EXP_BUCKET_COUNTS) return undefined;
  const counts: number[] = [];
  for (const c of raw) {
    const n = finiteNumber(c, true);
    if (n === undefined || n < 0) return undefined;
    counts.push(n);
  }
  return { offset, counts };
}

/** Request and error totals per service from the request-duration histogram's counts (by status when sent). */
function countRequests(ctx: Context, resource: Pairs, attrs: ReadonlyMap<string, string>, count: number): void {
  const labels = normalizeLabels(sortLabels(resource));
  const key = seriesKey('', labels);
  let t = ctx.requests.get(key);
  if (t === undefined) {
    t = { labels, requests: 0, errors: 0, hasStatus: false };
    ctx.requests.set(key, t);
  }
  t.requests += count;
  for (const k of STATUS_ATTRIBUTES) {
    const status = attrs.get(k);
    if (status === undefined) continue;
    t.hasStatus = true;
    if (status.startsWith('5')) t.errors += count;
    break;
  }
}

function resourceLabels(resource: JsonObject | undefined): Pairs {
  if (resource === undefined) return [];
  const out: Pairs = [];
  for (const kv of list(field(resource, 'attributes'))) {
    if (!isObject(kv)) continue;
    const key = field(kv, 'key');
    const label = typeof key === 'string' ? RESOURCE_LABELS.get(key) : undefined;
    if (label === undefined) continue;
    const value = anyValue(field(kv, 'value'));
    if (value !== undefined && value !== '') out.push([label, value]);
  }
  return out;
}

/** A point's attributes as label pairs: at most MAX_ATTRIBUTES, printable keys, scalar values. */
function attributes(value: unknown): Pairs {
  const out: Pairs = [];
  for (const kv of list(value)) {
    if (out.length >= MAX_ATTRIBUTES) break;
    if (!isObject(kv)) continue;
    const key = field(kv, 'key');
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY || printable(key) !== key) continue;
    const v = anyValue(field(kv, 'value'));
    if (v !== undefined) out.push([key, v]);
  }
  return out;
}

/** An AnyValue as label text: scalars, and arrays of scalars joined by commas; nothing else. */
function anyValue(value: unknown, depth = 0): string | undefined {
  if (!isObject(value)) return undefined;
  const s = field(value, 'stringValue');
  if (typeof s === 'string') return s;
  const b = field(value, 'boolValue');
  if (typeof b === 'boolean') return String(b);
  const n = finiteNumber(field(value, 'intValue'), true) ?? finiteNumber(field(value, 'doubleValue'), true);
  if (n !== undefined) return String(n);
  const array = objectField(value, 'arrayValue');
  if (array !== undefined && depth === 0) {
    const parts: string[] = [];
    for (const item of list(field(array, 'values')).slice(0, 8)) {
      const text = anyValue(item, depth + 1);
      if (text !== undefined) parts.push(text);
    }
    return parts.join(',');
  }
  return undefined;
}
