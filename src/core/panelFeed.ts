// What the panel is sent: a full snapshot on `ready` (and when it becomes visible again), then
// deltas holding only what changed since the last post. Pure; the host panel owns the timer.

import type {
  SummaryView,
  ConnectionView,
  EndpointRow,
  PanelDelta,
  PanelSnapshot,
  PointsView,
  SeriesValue,
  SeriesView,
  SourceView,
  TopicRow,
  ValueMode,
  WindowId,
} from '../protocol';
import { WINDOWS } from '../protocol';
import type { Pipeline, PipelineChange } from './pipeline';
import type { SeriesInfo } from './store';
import type { AnnotationLog } from './annotations';
import type { AnnotationView } from '../protocol';
import { annotationView } from './beforeAfter';
import { headline } from './headline';
import { fairSelection, searchSeries } from './viewSelection';

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


export class PanelFeed {
  private dirtySeries = new Set<string>();
  private newSeries = false;
  private dirtySources = false;
  private dirtyAlerts = false;
  private dirtyRules = false;
  private dirtyConnections = false;
  private removed = false;
  private lastSummary = '';
  private lastEndpoints = '';
  private lastTopics = '';
  private lastTotal = -1;
  /** The panel's filter text; series it matches are held beyond the fair selection. */
  private query = '';
  /** Ids the webview knows, so a full list can say which ones went away. */
  private sent = new Set<string>();
  private readonly handles = new Map<string, number>();
  private nextHandle = 1;

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
    if (change.createdSeries) this.newSeries = true;
    if (change.source) this.dirtySources = true;
    if (change.alerts) this.dirtyAlerts = true;
    if (change.rules) this.dirtyRules = true;
    if (change.connections) this.dirtyConnections = true;
    if (change.cleared) this.removed = true;
  }

  get pending(): boolean {
    return this.newAnnotations.length > 0 || this.dirtySeries.size > 0 || this.newSeries || this.dirtySources || this.dirtyAlerts || this.dirtyRules || this.dirtyConnections || this.removed;
  }

  /** Once a second: source ages and messages/s move on without any change event. */
  noteTick(): void {
    if (this.pipeline.sources().length > 0) this.dirtySources = true;
  }

  /** The panel's filter changed: the next delta brings the series it matches that the panel lacks. */
  setSearch(query: string): void {
    if (query === this.query) return;
    this.query = query;
    this.newSeries = true;
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
    this.dirtyRules = true;
    this.dirtySources = true;
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

  snapshot(now: number): PanelSnapshot {
    this.reset();
    const all = this.pipeline.store.list();
    const summary = roundSummary(headline(all, this.pipeline.sources().map((rt) => rt.config.id), this.pipeline.summaryOptions));
    this.lastSummary = JSON.stringify(summary);
    const endpoints = endpointRows(all);
    const topics = topicRows(all);
    this.lastEndpoints = JSON.stringify(endpoints);
    this.lastTopics = JSON.stringify(topics);
    const series = this.viewSeries(all).map((x) => this.view(x));
    this.sent = new Set(series.map((s) => s.id));
    this.lastTotal = all.length;
    return {
      now,
      sources: this.sourceViews(),
      series,
      seriesTotal: all.length,
      summary,
      alerts: this.pipeline.alerts.views(now),
      rules: this.pipeline.rulesView(),
      endpoints,
      connections: this.connectionViews(now),
      topics,
      configProblems: this.problems(),
      annotations: this.annotationViews(now),
    };
  }

  /** The changes since the last snapshot or delta, or undefined when nothing changed. */
  delta(now: number): PanelDelta | undefined {
    if (!this.pending) return undefined;
    const d: { -readonly [K in keyof PanelDelta]: PanelDelta[K] } = { now };
    const store = this.pipeline.store;
    if (this.removed || this.newSeries) {
      const all = store.list();
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
    if (this.dirtySeries.size > 0 || this.newSeries || this.removed) {
      const all = store.list();
      const summary = roundSummary(headline(all, this.pipeline.sources().map((rt) => rt.config.id), this.pipeline.summaryOptions));
      const key = JSON.stringify(summary);
      if (key !== this.lastSummary) {
        this.lastSummary = key;
        d.summary = summary;
      }
      const endpoints = endpointRows(all);
      const endpointsKey = JSON.stringify(endpoints);
      if (endpointsKey !== this.lastEndpoints) {
        this.lastEndpoints = endpointsKey;
        d.endpoints = endpoints;
      }
      const topics = topicRows(all);
      const topicsKey = JSON.stringify(topics);
      if (topicsKey !== this.lastTopics) {
        this.lastTopics = topicsKey;
        d.topics = topics;
      }
    }
    if (this.dirtySources) d.sources = this.sourceViews();
    if (this.dirtyAlerts) d.alerts = this.pipeline.alerts.views(now);
    if (this.dirtyRules) {
      d.rules = this.pipeline.rulesView();
      d.configProblems = this.problems();
    }
    if (this.dirtyConnections || this.removed) d.connections = this.connectionViews(now);
    if (this.newAnnotations.length > 0) d.annotations = this.newAnnotations;
    this.reset();
    return d;
  }

  private reset(): void {
    this.newAnnotations = [];
    this.dirtySeries.clear();
    this.newSeries = false;
    this.dirtySources = false;
    this.dirtyAlerts = false;
    this.dirtyRules = false;
    this.dirtyConnections = false;
    this.removed = false;
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
