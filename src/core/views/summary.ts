// The headline numbers across sources, found by role whatever each source calls its metrics.

import type { Role } from '../../shared/vocabulary';
import type { SummaryView } from '../../shared/views';
import type { SeriesInfo } from '../series/store';
import { ROLE_UNITS, convertUnit } from '../series/units';
import type { CpuAcrossLabels } from '../settings/settings';
import { BoundedMemo } from '../memo';

const HEAP_TOTAL = /heap.?(total|size.?total)/i;
/** Whether a name is a heap total, by name: the same names come back on every read. Bounded (names are untrusted). */
const heapTotalNames = new BoundedMemo(4096, (name) => HEAP_TOTAL.test(name));

function isHeapTotal(name: string): boolean {
  return heapTotalNames.get(name);
}

export interface SummaryOptions {
  readonly cpuAcrossLabels: CpuAcrossLabels;
}

export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { cpuAcrossLabels: 'max' };

interface Slot {
  unlabeled: number | null; // sum
  labeled: number | null; // sum
  labeledCount: number;
  unlabeledMax: number | null;
  labeledMax: number | null;
  max: number | null; // over all
}

export interface SourceAcc {
  /** Per role: sums and maxima of its unlabeled and labeled series. */
  readonly sums: Map<string, Slot>;
}

const maxOf = (a: number | null, b: number): number => (a === null ? b : Math.max(a, b));

function add(acc: SourceAcc, key: string, value: number, labeled: boolean): void {
  let slot = acc.sums.get(key);
  if (slot === undefined) {
    slot = { unlabeled: null, labeled: null, labeledCount: 0, unlabeledMax: null, labeledMax: null, max: null };
    acc.sums.set(key, slot);
  }
  if (labeled) {
    slot.labeled = (slot.labeled ?? 0) + value;
    slot.labeledCount++;
    slot.labeledMax = maxOf(slot.labeledMax, value);
  } else {
    slot.unlabeled = (slot.unlabeled ?? 0) + value;
    slot.unlabeledMax = maxOf(slot.unlabeledMax, value);
  }
  slot.max = maxOf(slot.max, value);
}

/**
 * A source's total for a key. Unlabeled series win over labeled ones: a source that sends a total
 * and a per-endpoint breakdown with the same role must not be counted twice.
 */
function total(acc: SourceAcc, key: string): number | null {
  const slot = acc.sums.get(key);
  if (slot === undefined) return null;
  return slot.unlabeled ?? slot.labeled;
}

function maximum(acc: SourceAcc, key: string): number | null {
  return acc.sums.get(key)?.max ?? null;
}

/** The largest unlabeled series, else the labeled series combined as asked (busiest, mean or total). */
function acrossLabels(acc: SourceAcc, key: string, how: CpuAcrossLabels): number | null {
  const slot = acc.sums.get(key);
  if (slot === undefined) return null;
  if (slot.unlabeledMax !== null) return slot.unlabeledMax;
  if (how === 'sum') return slot.labeled;
  if (how === 'avg') return slot.labeled === null || slot.labeledCount === 0 ? null : slot.labeled / slot.labeledCount;
  return slot.labeledMax;
}

/** The series' current number in its role's unit, or null when it has none yet. */
export function roleValue(s: SeriesInfo, role: Role): number | null {
  if (role === 'cpu' && s.kind === 'counter') {
    // process_cpu_seconds_total: CPU seconds per second is a fraction of one core.
    return s.value === null ? null : s.value * 100;
  }
  if (role === 'requests' || role === 'errors' || role === 'jobs' || role === 'jobsFailed') {
    if (s.kind === 'counter') return s.value;
    return s.unit === 'per_second' ? s.value : null; // a gauge of the running total is no rate
  }
  const v = s.kind === 'counter' && (role === 'uptime' || role === 'heap' || role === 'rss' || role === 'goroutines') ? s.raw : s.value;
  if (v === null) return null;
  if (role === 'uptime' && s.unit === 'ms') return v / 1000;
  return convertUnit(v, s.unit, ROLE_UNITS.get(role) ?? s.unit);
}

function sumOver(accs: Iterable<SourceAcc>, f: (a: SourceAcc) => number | null): number | null {
  let out: number | null = null;
  for (const a of accs) {
    const v = f(a);
    if (v !== null) out = (out ?? 0) + v;
  }
  return out;
}

function maxOver(accs: Iterable<SourceAcc>, f: (a: SourceAcc) => number | null): number | null {
  let out: number | null = null;
  for (const a of accs) {
    const v = f(a);
    if (v !== null) out = out === null ? v : Math.max(out, v);
  }
  return out;
}

/** Per source: the sums and maxima of its series by role (one pass over the series). */
export function sumBySource(series: Iterable<SeriesInfo>, sourceIds?: ReadonlySet<string>): Map<string, SourceAcc> {
  const bySource = new Map<string, SourceAcc>();
  for (const s of series) {
    if (sourceIds !== undefined && !sourceIds.has(s.sourceId)) continue;
    let acc = bySource.get(s.sourceId);
    if (acc === undefined) {
      acc = { sums: new Map() };
      bySource.set(s.sourceId, acc);
    }
    const labeled = s.labels.length > 0;
    if (s.role !== null) {
      const v = roleValue(s, s.role);
      if (v !== null && Number.isFinite(v)) add(acc, s.role, v, labeled);
    } else if (Number.isFinite(s.raw) && isHeapTotal(s.name)) {
      add(acc, 'heapTotal', s.raw, labeled);
    }
  }
  return bySource;
}

/**
 * Headline numbers. Sums (request rate, connections, pending, subscribers, heap, RSS, goroutines,
 * job rate) add sources up; latency, CPU and uptime take the maximum. Within a source, unlabeled
 * series win over labeled ones of the same role (a total next to its breakdown is not counted
 * twice); labeled series alone are summed, except CPU: the busiest label by default, or their mean
 * or sum (`options.cpuAcrossLabels`). Per source, a `requests` counter's rate is used
 * when it has one, else its `requestRate` gauges — never both. The error rate is the request-
 * weighted mean of the sources' error rates (a source's `errorRate` series, or 100 · errors / requests).
 */
export function summarize(series: Iterable<SeriesInfo>, sourceIds?: ReadonlySet<string>, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): SummaryView {
  return summarizeSums([...sumBySource(series, sourceIds).values()], options);
}

/** The summary of the given sources' sums (see summarize). */
export function summarizeSums(accs: readonly SourceAcc[], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): SummaryView {
  const requestRate = (a: SourceAcc): number | null => total(a, 'requests') ?? total(a, 'requestRate');

  // Error rate: weight each source's percentage by its request rate.
  let weighted = 0;
  let weight = 0;
  let unweighted: number | null = null;
  for (const a of accs) {
    const req = requestRate(a);
    let pct = maximum(a, 'errorRate');
    if (pct === null) {
      const errors = total(a, 'errors');
      pct = errors !== null && req !== null && req > 0 ? (100 * errors) / req : null;
    }
    if (pct === null) continue;
    if (req !== null && req > 0) {
      weighted += pct * req;
      weight += req;
    }
    unweighted = unweighted === null ? pct : Math.max(unweighted, pct);
  }

  return {
    requestRate: sumOver(accs, requestRate),
    latencyMs: maxOver(accs, (a) => maximum(a, 'latency')),
    errorRatePct: weight > 0 ? weighted / weight : unweighted,
    connections: sumOver(accs, (a) => total(a, 'connections')),
    pending: sumOver(accs, (a) => total(a, 'pending')),
    subscribers: sumOver(accs, (a) => total(a, 'subscribers')),
    heapBytes: sumOver(accs, (a) => total(a, 'heap')),
    heapTotalBytes: sumOver(accs, (a) => total(a, 'heapTotal')),
    rssBytes: sumOver(accs, (a) => total(a, 'rss')),
    cpuPct: maxOver(accs, (a) => acrossLabels(a, 'cpu', options.cpuAcrossLabels)),
    uptimeSeconds: maxOver(accs, (a) => maximum(a, 'uptime')),
    goroutines: sumOver(accs, (a) => total(a, 'goroutines')),
    jobRate: sumOver(accs, (a) => total(a, 'jobs')),
  };
}
