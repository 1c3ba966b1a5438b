// Prometheus text / OpenMetrics → the normalised model (docs/formats.md §5).
import { normalizeLabels } from './labels';
import { parsePrometheusText } from './prometheusParse';
import { guessKind, guessUnit, prometheusRole } from './roles';
import { SampleList } from './sampleList';
import { snippet } from './values';
import type { Limits } from './limits';
import type { PromFamily, PromSample } from './prometheusParse';
import type { DecodeResult, HistogramSample } from '../model';
import type { Labels } from '../../shared/views';
import type { Role, SeriesKind, Unit } from '../../shared/vocabulary';
import { BoundedMemo } from '../memo';

/** Samples read from one scrape, and series produced from them. */
const MAX_PARSED = 200_000;
const MAX_SERIES = 50_000;
const MAX_HISTOGRAMS = 5_000;

const UNIT_BY_METADATA: ReadonlyMap<string, Unit> = new Map<string, Unit>([
  ['seconds', 'seconds'],
  ['bytes', 'bytes'],
  ['ratio', 'ratio'],
  ['percent', 'percent'],
  ['milliseconds', 'ms'],
]);

const STATUS_LABELS: ReadonlySet<string> = new Set(['status', 'code', 'status_code', 'statusCode']);

export function decodePrometheus(text: string, limits: Limits): DecodeResult {
  const parsed = parsePrometheusText(text, MAX_PARSED);
  let sampleCount = 0;
  for (const fam of parsed.families) sampleCount += fam.samples.length;
  if (sampleCount === 0 && parsed.firstInvalid !== undefined) {
    const { line, text: bad } = parsed.firstInvalid;
    return { ok: false, error: `not Prometheus text: line ${line} is not a sample or comment: ${snippet(bad, 60)}` };
  }

  const out = new SampleList(MAX_SERIES);
  const histograms: HistogramSample[] = [];
  const requests = findRequestsFamily(parsed.families);
  const latency = findLatencyHistogram(parsed.families);

  for (const fam of parsed.families) {
    // The budgets hold across families and are checked before decoding one: a family past them costs nothing.
    if (fam.type === 'histogram' ? histograms.length >= MAX_HISTOGRAMS : out.samples.length >= MAX_SERIES) continue;
    switch (fam.type) {
      case 'histogram':
        for (const h of toHistograms(fam, fam === latency ? 'latency' : undefined, MAX_HISTOGRAMS - histograms.length)) histograms.push(h);
        break;
      case 'summary':
        addSummary(fam, out);
        break;
      case 'counter':
        addCounter(fam, out, fam === requests);
        break;
      case 'untyped': {
        const names = new FamilyNames(fam);
        for (const s of fam.samples) {
          if (s.name.endsWith('_created')) continue;
          const kind = guessKind(s.name);
          const direct = fam === requests && fam.samples.length === 1 && s.labels.length === 0;
          out.add(s.name, s.value, kind, names.unit(s.name, kind), direct ? 'requests' : names.role(s.name), s.labels);
        }
        if (fam === requests) addCounter(fam, out, true);
        break;
      }
      default: {
        const names = new FamilyNames(fam);
        for (const s of fam.samples) out.add(s.name, s.value, 'gauge', names.unit(s.name, 'gauge'), names.role(s.name), s.labels);
      }
    }
  }

  const start = parsed.families.find((f) => f.name === 'process_start_time_seconds')?.samples[0]?.value;
  if (start !== undefined && Number.isFinite(start) && !parsed.families.some((f) => f.name === 'process_uptime_seconds')) {
    const uptime = limits.now / 1000 - start;
    if (uptime >= 0) out.add('process_uptime_seconds', uptime, 'gauge', 'seconds', 'uptime');
  }
  return { ok: true, value: { format: 'prometheus', samples: out.samples, ...(histograms.length > 0 ? { histograms } : {}) } };
}

/**
 * Units and roles of one family's sample names, remembered for the last name asked: a family's
 * samples come name after name (`_bucket` lines, then `_sum`…), so each is worked out once per run.
 * Every series of a family with a role keeps it, labelled or not (seed 002's `memory_usage_bytes{service}`).
 */
class FamilyNames {
  private unitName = '';
  private unitKind: SeriesKind | undefined;
  private lastUnit: Unit = 'none';
  private roleName = '';
  private lastRole: Role | undefined;

  constructor(private readonly fam: PromFamily) {}

  unit(name: string, kind: SeriesKind): Unit {
    if (name === this.unitName && kind === this.unitKind) return this.lastUnit;
    this.unitName = name;
    this.unitKind = kind;
    return (this.lastUnit = unitOf(this.fam, name, kind));
  }

  role(name: string): Role | undefined {
    if (name === this.roleName) return this.lastRole;
    this.roleName = name;
    return (this.lastRole = prometheusRole(name));
  }
}

/** Guessed units by name, one table per kind: scrapes repeat the same names, and guessing is the costly part. */
const UNIT_CACHE_MAX = 5_000;
const counterUnits = new BoundedMemo(UNIT_CACHE_MAX, (name) => guessUnit(name, 'counter'));
const gaugeUnits = new BoundedMemo(UNIT_CACHE_MAX, (name) => guessUnit(name, 'gauge'));

function unitOf(fam: PromFamily, name: string, kind: SeriesKind): Unit {
  if (name.endsWith('_count') || name.endsWith('_bucket')) return 'count';
  if (fam.unit.length > 0) {
    const declared = UNIT_BY_METADATA.get(fam.unit);
    if (declared !== undefined) return declared;
  }
  return (kind === 'counter' ? counterUnits : gaugeUnits).get(name);
}

/** The name a counter's sample is stored under: OpenMetrics' `X_total` for family `X_total` stays `X_total`. */
function counterName(fam: PromFamily, s: PromSample): string {
  return fam.name.endsWith('_total') && s.name.length === fam.name.length + 6 && s.name.endsWith('_total') ? fam.name : s.name;
}

function counterSeriesName(fam: PromFamily): string {
  return fam.type === 'counter' && !fam.name.endsWith('_total') ? `${fam.name}_total` : fam.name;
}

/** `http_requests_total` if present, else the first counter named `*_requests_total`. */
function findRequestsFamily(families: readonly PromFamily[]): PromFamily | undefined {
  let found: PromFamily | undefined;
  for (const fam of families) {
    if (fam.type !== 'counter' && !(fam.type === 'untyped' && fam.name.endsWith('_total'))) continue;
    const name = counterSeriesName(fam);
    if (name === 'http_requests_total') return fam;
    if (found === undefined && name.endsWith('_requests_total')) found = fam;
  }
  return found;
}

/** `http_request_duration_seconds` if present, else the first request/response duration or latency histogram. */
function findLatencyHistogram(families: readonly PromFamily[]): PromFamily | undefined {
  let found: PromFamily | undefined;
  for (const fam of families) {
    if (fam.type !== 'histogram') continue;
    if (fam.name === 'http_request_duration_seconds') return fam;
    if (
      found === undefined &&
      /(?:request|response|http)/.test(fam.name) &&
      /_(?:duration|latency)_(?:seconds|milliseconds|ms)$/.test(fam.name)
    ) {
      found = fam;
    }
  }
  return found;
}

function addCounter(fam: PromFamily, out: SampleList, isRequests: boolean): void {
  const series = fam.samples.filter((s) => !s.name.endsWith('_created'));
  if (fam.type === 'counter') {
    const names = new FamilyNames(fam);
    for (const s of series) {
      const name = counterName(fam, s);
      const direct = isRequests && series.length === 1 && s.labels.length === 0;
      out.add(name, s.value, 'counter', names.unit(name, 'counter'), direct ? 'requests' : names.role(s.name), s.labels);
    }
  }
  if (!isRequests || (series.length === 1 && series[0]?.labels.length === 0)) return;
  // Many labelled series: one unlabelled total carries the role, and 5xx ones an errors total.
  const name = counterSeriesName(fam);
  const base = name.slice(0, -'_total'.length);
  let all = 0;
  let errors = 0;
  let hasStatus = false;
  for (const s of series) {
    if (!Number.isFinite(s.value)) continue;
    all += s.value;
    const status = s.labels.find(([k]) => STATUS_LABELS.has(k));
    if (status !== undefined) {
      hasStatus = true;
      if (status[1].startsWith('5')) errors += s.value;
    }
  }
  out.add(`${base}_all_total`, all, 'counter', 'count', 'requests');
  if (hasStatus) out.add(`${base}_errors_total`, errors, 'counter', 'count', 'errors');
}

function addSummary(fam: PromFamily, out: SampleList): void {
  for (const s of fam.samples) {
    if (s.name === fam.name) out.add(s.name, s.value, 'gauge', unitOf(fam, s.name, 'gauge'), undefined, s.labels);
    else if (s.name.endsWith('_sum')) out.add(s.name, s.value, 'counter', unitOf(fam, fam.name, 'gauge'), undefined, s.labels);
    else if (s.name.endsWith('_count')) out.add(s.name, s.value, 'counter', 'count', undefined, s.labels);
  }
}

interface Group {
  readonly raw: ReadonlyArray<readonly [string, string]>;
  readonly labels: Labels;
  readonly buckets: Array<[number, number]>;
  sum: number | undefined;
  count: number | undefined;
}

function withoutLe(labels: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const rest: Array<[string, string]> = [];
  for (const [k, v] of labels) if (k !== 'le') rest.push([k, v]);
  return rest;
}

/** Whether `a` equals `withoutLe(b)`, without building it. */
function sameLabels(a: ReadonlyArray<readonly [string, string]>, b: ReadonlyArray<readonly [string, string]>): boolean {
  let i = 0;
  for (const y of b) {
    if (y[0] === 'le') continue;
    const x = a[i++];
    if (x === undefined || (x !== y && (x[0] !== y[0] || x[1] !== y[1]))) return false;
  }
  return i === a.length;
}

function leOf(labels: ReadonlyArray<readonly [string, string]>): string | undefined {
  for (const [k, v] of labels) if (k === 'le') return v;
  return undefined;
}

/**
 * Which of a histogram's series `name` is (`<base>_bucket`, `_sum` or `_count`). The parser files a
 * sample under a family only when its name starts with the family's name, so only the end is compared.
 */
function histogramPart(base: string, name: string): 'bucket' | 'sum' | 'count' | undefined {
  const extra = name.length - base.length;
  if (extra === 7 && name.endsWith('_bucket')) return 'bucket';
  if (extra === 4 && name.endsWith('_sum')) return 'sum';
  if (extra === 6 && name.endsWith('_count')) return 'count';
  return undefined;
}

/** At most `budget` label groups of the family (the first ones sent); samples of later groups are skipped. */
function toHistograms(fam: PromFamily, role: Role | undefined, budget: number): HistogramSample[] {
  const groups = new Map<string, Group>();
  let last: Group | undefined;
  /** The labels of the last group refused for the budget (its other samples follow it). */
  let skipped: ReadonlyArray<readonly [string, string]> | undefined;
  for (const s of fam.samples) {
    const part = histogramPart(fam.name, s.name);
    if (part === undefined) continue;
    const isBucket = part === 'bucket';
    let group = last !== undefined && sameLabels(last.raw, s.labels) ? last : undefined;
    if (group === undefined && skipped !== undefined && sameLabels(skipped, s.labels)) continue;
    if (group === undefined) {
      const rest = withoutLe(s.labels);
      const labels = normalizeLabels(rest);
      const key = labels.map(([k, v]) => `${k}\u0000${v}`).join('\u0001');
      group = groups.get(key);
      if (group === undefined) {
        if (groups.size >= budget) {
          skipped = rest;
          continue;
        }
        group = { raw: rest, labels, buckets: [], sum: undefined, count: undefined };
        groups.set(key, group);
      }
      last = group;
    }
    if (isBucket) {
      const le = leOf(s.labels);
      const bound = le === undefined ? Number.NaN : le === '+Inf' || le === 'Inf' ? Number.POSITIVE_INFINITY : Number(le);
      if (le !== undefined && le.trim().length > 0 && !Number.isNaN(bound) && Number.isFinite(s.value) && s.value >= 0) {
        group.buckets.push([bound, s.value]);
      }
    } else if (part === 'sum') group.sum = s.value;
    else group.count = s.value;
  }

  const unit = unitOf(fam, fam.name, 'gauge');
  // Latency is milliseconds throughout the model, whatever the histogram was instrumented in.
  const scale = role === 'latency' && unit === 'seconds' ? 1000 : 1;
  const result: HistogramSample[] = [];
  for (const g of groups.values()) {
    const buckets = g.buckets.sort((a, b) => a[0] - b[0]).filter((b, i, all) => i === 0 || all[i - 1]?.[0] !== b[0]);
    const top = buckets[buckets.length - 1];
    const count = g.count !== undefined && Number.isFinite(g.count) ? g.count : top?.[1];
    if (count === undefined || count < 0) continue;
    if (top === undefined || top[0] !== Number.POSITIVE_INFINITY) buckets.push([Number.POSITIVE_INFINITY, Math.max(count, top?.[1] ?? 0)]);
    const sum = g.sum !== undefined && Number.isFinite(g.sum) ? g.sum : 0;
    result.push({
      name: fam.name,
      labels: g.labels,
      unit: scale === 1 ? unit : 'ms',
      ...(role === undefined ? {} : { role }),
      buckets: scale === 1 ? buckets : buckets.map(([le, c]) => [le * scale, c] as const),
      sum: sum * scale,
      count,
    });
  }
  return result;
}

