// The workspace-wide headline numbers. Several sources often watch the same server (its Bun stream,
// its /metrics and its snapshot socket), so summing them would double count: each number comes from
// the first source, in settings order, that provides it. Per-source items show each one. Also: the
// labelled series a headline is made of, for the tooltip.

import type { SummaryView } from '../../shared/views';
import type { Role } from '../../shared/vocabulary';
import type { StatusMetric } from '../settings/settings';
import type { LabelValue } from './statusText';
import type { SeriesInfo } from '../series/store';
import type { SummaryOptions } from './summary';
import type { SourceAcc } from './summary';
import { DEFAULT_SUMMARY_OPTIONS, roleValue, sumBySource, summarizeSums } from './summary';

/** The role each status bar metric is read from. */
export const STATUS_ROLE: Readonly<Record<StatusMetric, Role>> = {
  requestRate: 'requests',
  latency: 'latency',
  errorRate: 'errorRate',
  connections: 'connections',
  heap: 'heap',
  uptime: 'uptime',
  cpu: 'cpu',
  pending: 'pending',
  subscribers: 'subscribers',
  goroutines: 'goroutines',
  jobs: 'jobs',
};

export function headline(series: readonly SeriesInfo[], sourceOrder: readonly string[], options?: SummaryOptions): SummaryView {
  return headlineOf(sumBySource(series), sourceOrder, options);
}

/** The headline from per-source sums: sources in `sourceOrder` first, then any other that has series. */
function headlineOf(sums: ReadonlyMap<string, SourceAcc>, sourceOrder: readonly string[], options?: SummaryOptions): SummaryView {
  if (sums.size <= 1) return summarizeSums([...sums.values()], options);
  const perSource: SummaryView[] = [];
  for (const id of sourceOrder) {
    const acc = sums.get(id);
    if (acc !== undefined) perSource.push(summarizeSums([acc], options));
  }
  const ordered = new Set(sourceOrder);
  for (const [id, acc] of sums) if (!ordered.has(id)) perSource.push(summarizeSums([acc], options));
  const pick = <K extends keyof SummaryView>(key: K): SummaryView[K] => {
    for (const s of perSource) if (s[key] !== null) return s[key];
    return null as SummaryView[K];
  };
  const heapSource = perSource.find((s) => s.heapBytes !== null);
  return {
    requestRate: pick('requestRate'),
    latencyMs: pick('latencyMs'),
    errorRatePct: pick('errorRatePct'),
    connections: pick('connections'),
    pending: pick('pending'),
    subscribers: pick('subscribers'),
    heapBytes: heapSource?.heapBytes ?? null,
    heapTotalBytes: heapSource ? heapSource.heapTotalBytes : pick('heapTotalBytes'),
    rssBytes: pick('rssBytes'),
    cpuPct: pick('cpuPct'),
    uptimeSeconds: pick('uptimeSeconds'),
    goroutines: pick('goroutines'),
    jobRate: pick('jobRate'),
  };
}

/** What a live headline is computed from: the store's series and a number that moves whenever they change. */
export interface HeadlineStore {
  readonly version: number;
  list(): readonly SeriesInfo[];
}

/**
 * The headline, computed when read and only if the store changed since the last read: the status
 * bar and the panel read it a few times a second while messages change the store far more often.
 */
export class LiveHeadline {
  private version = -1;
  private sums: ReadonlyMap<string, SourceAcc> = new Map();
  /** Views computed from `sums`, by order and options. */
  private readonly views = new Map<string, SummaryView>();

  constructor(private readonly store: HeadlineStore) {}

  /** The headline over every series, sources in `sourceOrder` first (see headline). */
  read(sourceOrder: readonly string[], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): SummaryView {
    return this.memo(`*\u0000${options.cpuAcrossLabels}\u0000${sourceOrder.join('\u0000')}`, () => headlineOf(this.sums, sourceOrder, options));
  }

  /** One source's own headline (its series only). */
  readSource(sourceId: string, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): SummaryView {
    return this.memo(`1\u0000${options.cpuAcrossLabels}\u0000${sourceId}`, () => {
      const acc = this.sums.get(sourceId);
      return summarizeSums(acc === undefined ? [] : [acc], options);
    });
  }

  private memo(key: string, compute: () => SummaryView): SummaryView {
    if (this.version !== this.store.version) {
      this.sums = sumBySource(this.store.list());
      this.views.clear();
      this.version = this.store.version;
    }
    let view = this.views.get(key);
    if (view === undefined) {
      view = compute();
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      this.views.set(key, view);
    }
    return view;
  }
}

const MAX_VIEWS = 64;

/** Metrics whose headline combines a source's labelled series (sum; for CPU as `cpuAcrossLabels` says). */
const COMBINED: ReadonlySet<StatusMetric> = new Set<StatusMetric>(['requestRate', 'connections', 'heap', 'cpu', 'pending', 'subscribers', 'goroutines', 'jobs']);
const MAX_LABEL_TEXT = 80;

/**
 * The labelled series behind a headline: those of the first source (in order) that has the role,
 * when that source sends no unlabelled total of it.
 */
export function labelBreakdown(series: readonly SeriesInfo[], order: readonly string[], metric: StatusMetric): LabelValue[] | undefined {
  if (!COMBINED.has(metric)) return undefined;
  const role = STATUS_ROLE[metric];
  const withRole = series.filter((x) => x.role === role);
  for (const id of order) {
    const own = withRole.filter((x) => x.sourceId === id);
    if (own.length === 0) continue;
    if (own.some((x) => x.labels.length === 0)) return undefined;
    const out: LabelValue[] = [];
    for (const x of own) {
      const v = x.role === null ? null : roleValue(x, x.role);
      if (v === null || !Number.isFinite(v)) continue;
      out.push({ label: x.labels.map(([k, val]) => `${k}=${val}`).join(', ').slice(0, MAX_LABEL_TEXT), value: v });
    }
    return out;
  }
  return undefined;
}
