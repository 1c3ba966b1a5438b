// What the panel is sent: a full snapshot on `ready` (and when it becomes visible again), then
// deltas holding only what changed since the last post. Pure; the host panel owns the timer.

import type { AnnotationView, ConnectionView, EndpointRow, PointsView, SeriesValue, SeriesView, SourceView, SummaryView, TopicRow } from '../../shared/views';
import type { ValueMode, WindowId } from '../../shared/vocabulary';
import { WINDOWS } from '../../shared/vocabulary';
import type { ChangeKind, Pipeline, PipelineChange } from '../pipeline';
import { CHANGE_KINDS } from '../pipeline';
import type { PanelDelta, PanelSnapshot, SectionId, SectionViews } from '../../shared/sections';
import type { SeriesInfo } from '../series/store';
import type { AnnotationLog } from '../devloop/annotations';
import { annotationView } from '../devloop/beforeAfter';
import { fairSelection, searchSeries } from './viewSelection';
import type { PinSource } from './pins';

export const MAX_SERIES_IN_VIEW = 5000;
/** Most series a search adds to the view beyond the fair selection. */
export const MAX_SEARCH_RESULTS = 500;
const MAX_POINTS = 1200;

export function seriesView(s: SeriesInfo, handle: number): SeriesView {
  return { id: s.id, handle, sourceId: s.sourceId, name: s.name, labels: s.labels, kind: s.kind, unit: s.unit, role: s.role, value: compactRate(s), raw: s.raw, updatedAt: s.updatedAt };
}

/** Counter rates are computed, so their float noise carries no information: 4 decimals are plenty. */
function compactRate(s: SeriesInfo): number | null {
  if (s.value === null || s.kind !== 'counter') return s.value;
  return Math.round(s.value * 10_000) / 10_000;
}

function roundSummary(summary: SummaryView): SummaryView {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(summary)) out[k] = typeof v === 'number' ? Number(v.toPrecision(6)) : null;
  return out as unknown as SummaryView;
}

function labelOf(s: SeriesInfo, key: string): string | undefined {
  for (const [k, v] of s.labels) if (k === key) return v;
  return undefined;
}

const ENDPOINT_FIELDS = new Map<string, 'p50' | 'p95' | 'p99' | 'errorRate' | 'throughput'>([
  ['endpoint.p50', 'p50'],
  ['endpoint.p95', 'p95'],
  ['endpoint.p99', 'p99'],
  ['endpoint.errorRate', 'errorRate'],
  ['endpoint.throughput', 'throughput'],
]);

export function endpointRows(series: readonly SeriesInfo[]): EndpointRow[] {
  const rows = new Map<string, { -readonly [K in keyof EndpointRow]: EndpointRow[K] }>();
  for (const s of series) {
    const field = ENDPOINT_FIELDS.get(s.name);
    if (!field) continue;
    const method = labelOf(s, 'method') ?? '';
    const path = labelOf(s, 'path') ?? '';
    const key = `${s.sourceId}\u0000${method}\u0000${path}`;
    let row = rows.get(key);
    if (!row) {
      row = { sourceId: s.sourceId, method, path, p50: null, p95: null, p99: null, errorRate: null, throughput: null };
      rows.set(key, row);
    }
    row[field] = s.value;
  }
  return [...rows.values()];
}

export function topicRows(series: readonly SeriesInfo[]): TopicRow[] {
  const out: TopicRow[] = [];
  for (const s of series) {
    if (s.name !== 'websockets.subscribers') continue;
    const topic = labelOf(s, 'topic');
    if (topic !== undefined && s.value !== null) out.push({ sourceId: s.sourceId, topic, subscribers: s.value });
  }
  return out;
}

/** What makes a section worth rebuilding: a pipeline change, or series values that moved. */
type Trigger = ChangeKind | 'values' | 'pins';

/** Sections sent whole. `series` and `annotations` are sent as increments (see delta). */
type WholeSection = Exclude<SectionId, 'series' | 'annotations'>;

interface BuildContext {
  readonly now: number;
  /** Every series in the store, listed once per post. */
  readonly all: () => readonly SeriesInfo[];
}

interface SectionFeed<K extends WholeSection> {
  /** A delta carries the section only after one of these. */
  readonly on: readonly Trigger[];
  /** Sent only when it differs from the last copy sent: it is derived from values that move all the time. */
  readonly dedupe?: true;
  readonly build: (c: BuildContext) => SectionViews[K];
}

const FROM_SERIES: readonly Trigger[] = ['values', 'createdSeries', 'cleared'];

export class PanelFeed {
  private dirtySeries = new Set<string>();
  private readonly changed = new Set<ChangeKind>();
  /** The last copy sent of each deduplicated section, as JSON. */
  private readonly last = new Map<SectionId, string>();
  private lastTotal = -1;
  /** The panel's filter text; series it matches are held beyond the fair selection. */
  private query = '';
  /** Ids the webview knows, so a full list can say which ones went away. */
  private sent = new Set<string>();
  private readonly handles = new Map<string, number>();
  private nextHandle = 1;

  private readonly feeds: { readonly [K in WholeSection]: SectionFeed<K> } = {
    sources: { on: ['source'], build: () => this.sourceViews() },
    summary: { on: FROM_SERIES, dedupe: true, build: () => roundSummary(this.pipeline.headline()) },
    alerts: { on: ['alerts'], build: (c) => this.pipeline.alerts.views(c.now) },
    rules: { on: ['rules'], build: () => this.pipeline.rulesView() },
    endpoints: { on: FROM_SERIES, dedupe: true, build: (c) => endpointRows(c.all()) },
    connections: { on: ['connections', 'cleared'], build: (c) => this.connectionViews(c.now) },
    topics: { on: FROM_SERIES, dedupe: true, build: (c) => topicRows(c.all()) },
    configProblems: { on: ['rules'], build: () => this.problems() },
    // Defaults are added when series appear; what the page sent itself is not echoed back (see setPins).
    pins: { on: ['createdSeries', 'cleared', 'pins'], dedupe: true, build: (c) => this.pinSource?.current(c.all()) ?? null },
    overlays: { on: ['pins'], dedupe: true, build: () => this.pinSource?.overlays() ?? null },
  };

  private handleOf(id: string): number {
    let h = this.handles.get(id);
    if (h === undefined) {
      h = this.nextHandle++;
      this.handles.set(id, h);
      if (this.handles.size > 50_000) this.handles.clear();
    }
    return h;
  }

  private view(s: SeriesInfo): SeriesView {
    return seriesView(s, this.handleOf(s.id));
  }

  private newAnnotations: AnnotationView[] = [];

  constructor(
    private readonly pipeline: Pipeline,
    private readonly configProblems: () => readonly string[],
    private readonly annotations?: AnnotationLog,
    private readonly pinSource?: PinSource,
  ) {
    annotations?.onDidAdd((a) => {
      if (this.newAnnotations.length < 500) this.newAnnotations.push(annotationView(a));
    });
  }

  private annotationViews(now: number): AnnotationView[] {
    return (this.annotations?.list(now - 86_400_000, Infinity) ?? []).slice(-500).map(annotationView);
  }

  note(change: PipelineChange): void {
    if (change.series) for (const id of change.series) this.dirtySeries.add(id);
    for (const kind of CHANGE_KINDS) if (change[kind]) this.changed.add(kind);
  }

  get pending(): boolean {
    return this.newAnnotations.length > 0 || this.dirtySeries.size > 0 || this.changed.size > 0 || this.pinsSet;
  }

  private pinsSet = false;

  /**
   * The page's pins changed (pin, unpin, reorder): the host keeps them. The page already shows them, so
   * the next delta carries pins only if the host kept something else.
   */
  setPins(ids: readonly string[]): void {
    if (!this.pinSource) return;
    this.pinSource.set(ids);
    this.last.set('pins', JSON.stringify(ids));
    this.pinsSet = true;
  }

  /**
   * The page changed one chart's overlays: the host keeps them. Like pins, they are sent back only when
   * the host kept something else (e.g. the chart is no longer pinned).
   */
  setOverlays(chartId: string, ids: readonly string[]): void {
    if (!this.pinSource) return;
    const kept = this.pinSource.setOverlays(chartId, ids);
    const same = kept.length === ids.length && kept.every((id, i) => id === ids[i]);
    // Kept as sent: the page has it already. Else the next delta tells the page what the host kept.
    if (same) this.last.set('overlays', JSON.stringify(this.pinSource.overlays()));
    else this.last.delete('overlays');
    this.pinsSet = true;
  }

  /** Once a second: source ages and messages/s move on without any change event. */
  noteTick(): void {
    if (this.pipeline.sources().length > 0) this.changed.add('source');
  }

  /** The panel's filter changed: the next delta brings the series it matches that the panel lacks. */
  setSearch(query: string): void {
    if (query === this.query) return;
    this.query = query;
    this.changed.add('createdSeries');
  }

  /** Fair share per source (so a flooding source cannot hide a quiet one), plus the search's matches. */
  private viewSeries(all: readonly SeriesInfo[]): SeriesInfo[] {
    const fair = fairSelection(all, MAX_SERIES_IN_VIEW);
    if (this.query === '' || fair.length === all.length) return fair;
    const names = new Map(this.pipeline.sources().map((rt) => [rt.config.id, rt.config.name]));
    const have = new Set(fair.map((x) => x.id));
    const found = searchSeries(all, this.query, MAX_SEARCH_RESULTS, (id) => names.get(id) ?? id).filter((x) => !have.has(x.id));
    return fair.concat(found);
  }

  /** Marks a configuration change (problems banner) for the next delta. */
  noteConfig(): void {
    this.changed.add('rules');
    this.changed.add('source');
  }

  sourceViews(): SourceView[] {
    return this.pipeline.sources().map((rt) => ({
      id: rt.config.id,
      name: rt.config.name,
      url: rt.config.url,
      kind: rt.config.kind,
      state: rt.state,
      lastMessageAt: rt.lastMessageAt,
      messagesPerSecond: rt.meter.rate(Date.now()),
      droppedSeries: this.pipeline.store.droppedSeries(rt.config.id),
      lastError: rt.lastReportedError,
      errorCount: rt.errorCount,
      lastErrorAt: rt.lastErrorAt,
    }));
  }

  private connectionViews(now: number): ConnectionView[] {
    const out: ConnectionView[] = [];
    for (const rt of this.pipeline.sources()) {
      for (const c of rt.connections) {
        out.push({
          sourceId: rt.config.id,
          id: c.id,
          remoteAddress: c.remoteAddress,
          durationSeconds: c.durationSeconds ?? (c.connectedAt !== undefined ? Math.max(0, (now - c.connectedAt) / 1000) : null),
          messagesIn: c.messagesIn ?? null,
          messagesOut: c.messagesOut ?? null,
          bytesIn: c.bytesIn ?? null,
          bytesOut: c.bytesOut ?? null,
          idleSeconds: c.idleSeconds ?? null,
        });
      }
    }
    return out;
  }

  private problems(): string[] {
    return [...this.configProblems(), ...this.pipeline.thresholdProblems()];
  }

  private context(now: number): BuildContext {
    let all: readonly SeriesInfo[] | undefined;
    return { now, all: () => (all ??= this.pipeline.store.list()) };
  }

  /** Builds one whole section into `out`; with `onlyIfChanged`, leaves it out when it equals the last copy sent. */
  private fill<K extends WholeSection>(out: { -readonly [P in WholeSection]?: SectionViews[P] }, id: K, c: BuildContext, onlyIfChanged: boolean): void {
    const feed: SectionFeed<K> = this.feeds[id];
    const view = feed.build(c);
    if (feed.dedupe) {
      const key = JSON.stringify(view);
      if (onlyIfChanged && key === this.last.get(id)) return;
      this.last.set(id, key);
    }
    out[id] = view;
  }

  private wholeSections(): WholeSection[] {
    return Object.keys(this.feeds) as WholeSection[];
  }

  snapshot(now: number): PanelSnapshot {
    this.reset();
    const c = this.context(now);
    const whole: { -readonly [P in WholeSection]?: SectionViews[P] } = {};
    for (const id of this.wholeSections()) this.fill(whole, id, c, false);
    const all = c.all();
    const series = this.viewSeries(all).map((x) => this.view(x));
    this.sent = new Set(series.map((s) => s.id));
    this.lastTotal = all.length;
    return { ...(whole as { [P in WholeSection]: SectionViews[P] }), now, series, seriesTotal: all.length, annotations: this.annotationViews(now) };
  }

  /** The changes since the last snapshot or delta, or undefined when nothing changed. */
  delta(now: number): PanelDelta | undefined {
    if (!this.pending) return undefined;
    const d: { -readonly [K in keyof PanelDelta]: PanelDelta[K] } = { now };
    const c = this.context(now);
    const store = this.pipeline.store;
    if (this.changed.has('cleared') || this.changed.has('createdSeries')) {
      const all = c.all();
      const current = this.viewSeries(all);
      const ids = new Set(current.map((s) => s.id));
      if (all.length !== this.lastTotal) {
        this.lastTotal = all.length;
        d.seriesTotal = all.length;
      }
      const gone = [...this.sent].filter((id) => !ids.has(id));
      const added = current.filter((s) => !this.sent.has(s.id)).map((x) => this.view(x));
      if (added.length > 0) d.series = added;
      if (gone.length > 0) d.removedSeries = gone;
      this.sent = ids;
    }
    if (this.dirtySeries.size > 0) {
      const values: SeriesValue[] = [];
      for (const id of this.dirtySeries) {
        const s = store.get(id);
        if (!s || !this.sent.has(id)) continue;
        const value = compactRate(s);
        values.push([this.handleOf(id), value, value === s.raw ? null : s.raw, now - s.updatedAt]);
      }
      if (values.length > 0) d.values = values;
    }
    const happened = (t: Trigger) => (t === 'values' ? this.dirtySeries.size > 0 : t === 'pins' ? this.pinsSet : this.changed.has(t));
    for (const id of this.wholeSections()) if (this.feeds[id].on.some(happened)) this.fill(d, id, c, true);
    if (this.newAnnotations.length > 0) d.annotations = this.newAnnotations;
    this.reset();
    return d;
  }

  private reset(): void {
    this.newAnnotations = [];
    this.pinsSet = false;
    this.dirtySeries.clear();
    this.changed.clear();
  }

  /**
   * Answers a history request. Live points then come from the value updates of those series: the
   * webview appends them itself, so no point is sent twice.
   */
  history(ids: readonly string[], window: WindowId, mode: ValueMode, now: number): PointsView[] {
    const from = now - WINDOWS[window];
    const out: PointsView[] = [];
    for (const id of ids) {
      if (!this.pipeline.store.get(id)) continue;
      const { t, v } = this.pipeline.store.points(id, from, now, mode, MAX_POINTS);
      out.push({ id, t, v });
    }
    return out;
  }
}
