// The panel's data and a pure reducer over host messages. Dirty flags tell the renderer which
// sections changed since it last drew, so unchanged sections are left alone.
import type {
  AlertView,
  AnnotationView,
  ConnectionView,
  EndpointRow,
  HostMessage,
  PanelDelta,
  PanelSnapshot,
  RuleView,
  SeriesView,
  SourceView,
  SummaryView,
  TopicRow,
} from '../src/protocol';
import { assertNever } from '../src/core/assert';
import { clean, cleanSummary } from './guards';

export type SectionId = 'sources' | 'summary' | 'series' | 'alerts' | 'rules' | 'endpoints' | 'connections' | 'topics' | 'configProblems' | 'annotations';

export const ALL_SECTIONS: readonly SectionId[] = ['sources', 'summary', 'series', 'alerts', 'rules', 'endpoints', 'connections', 'topics', 'configProblems', 'annotations'];

/** Most annotations the panel keeps (the newest). */
export const MAX_ANNOTATIONS = 500;

export interface PanelState {
  /** A snapshot has arrived. */
  readonly loaded: boolean;
  /** The host's clock at its last message. */
  readonly hostNow: number;
  /** Host clock minus local clock (ms), to count down host times such as retryAt. */
  readonly clockOffset: number;
  readonly sources: readonly SourceView[];
  readonly summary: SummaryView;
  readonly series: ReadonlyMap<string, SeriesView>;
  /** Series the host has; more than `series.size` when the panel holds a fair share of them. */
  readonly seriesTotal: number;
  readonly alerts: readonly AlertView[];
  readonly rules: readonly RuleView[];
  readonly endpoints: readonly EndpointRow[];
  readonly connections: readonly ConnectionView[];
  readonly topics: readonly TopicRow[];
  readonly configProblems: readonly string[];
  /** Dev-loop annotations, oldest first, at most MAX_ANNOTATIONS. */
  readonly annotations: readonly AnnotationView[];
  readonly dirty: ReadonlySet<SectionId>;
}

export type DataMessage = Extract<HostMessage, { type: 'didSnapshot' | 'didUpdate' }>;

export const initialState: PanelState = {
  loaded: false,
  hostNow: 0,
  clockOffset: 0,
  sources: [],
  summary: cleanSummary({}),
  series: new Map(),
  seriesTotal: 0,
  alerts: [],
  rules: [],
  endpoints: [],
  connections: [],
  topics: [],
  configProblems: [],
  annotations: [],
  dirty: new Set(),
};

function fromSnapshot(s: PanelSnapshot, localNow: number): PanelState {
  return {
    loaded: true,
    hostNow: s.now,
    clockOffset: s.now - localNow,
    sources: clean.sources(s.sources),
    summary: cleanSummary(s.summary),
    series: new Map(clean.series(s.series).map((x) => [x.id, x])),
    seriesTotal: cleanCount(s.seriesTotal),
    alerts: clean.alerts(s.alerts),
    rules: clean.rules(s.rules),
    endpoints: clean.endpoints(s.endpoints),
    connections: clean.connections(s.connections),
    topics: clean.topics(s.topics),
    configProblems: clean.strings(s.configProblems),
    annotations: upsertAnnotations([], clean.annotations(s.annotations)),
    dirty: new Set(ALL_SECTIONS),
  };
}

function applyDelta(state: PanelState, d: PanelDelta, localNow: number): PanelState {
  const dirty = new Set(state.dirty);
  const next: { -readonly [K in keyof PanelState]: PanelState[K] } = { ...state, hostNow: d.now, clockOffset: d.now - localNow };
  if (d.sources) {
    next.sources = clean.sources(d.sources);
    dirty.add('sources');
  }
  if (d.summary) {
    next.summary = cleanSummary(d.summary);
    dirty.add('summary');
  }
  if (d.seriesTotal !== undefined) {
    next.seriesTotal = cleanCount(d.seriesTotal);
    dirty.add('series');
  }
  const upserts = d.series ? clean.series(d.series) : [];
  const removed = d.removedSeries ? clean.strings(d.removedSeries) : [];
  const values = d.values ? clean.values(d.values) : [];
  if (upserts.length > 0 || removed.length > 0 || values.length > 0) {
    const series = new Map(state.series);
    for (const s of upserts) series.set(s.id, s);
    for (const id of removed) series.delete(id);
    if (values.length > 0) {
      const byHandle = new Map<number, SeriesView>();
      for (const s of series.values()) byHandle.set(s.handle, s);
      for (const [handle, value, raw, ageMs] of values) {
        const known = byHandle.get(handle);
        if (known) series.set(known.id, { ...known, value, raw: raw ?? value ?? known.raw, updatedAt: d.now - ageMs });
      }
    }
    next.series = series;
    dirty.add('series');
  }
  if (d.alerts) {
    next.alerts = clean.alerts(d.alerts);
    dirty.add('alerts');
  }
  if (d.rules) {
    next.rules = clean.rules(d.rules);
    dirty.add('rules');
  }
  if (d.endpoints) {
    next.endpoints = clean.endpoints(d.endpoints);
    dirty.add('endpoints');
  }
  if (d.connections) {
    next.connections = clean.connections(d.connections);
    dirty.add('connections');
  }
  if (d.topics) {
    next.topics = clean.topics(d.topics);
    dirty.add('topics');
  }
  if (d.configProblems) {
    next.configProblems = clean.strings(d.configProblems);
    dirty.add('configProblems');
  }
  if (d.annotations) {
    const upserts = clean.annotations(d.annotations);
    if (upserts.length > 0) {
      next.annotations = upsertAnnotations(state.annotations, upserts);
      dirty.add('annotations');
    }
  }
  next.dirty = dirty;
  return next;
}

function cleanCount(n: unknown): number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** `current` with `upserts` replacing same-id entries or added; sorted by time (stable), the newest MAX_ANNOTATIONS kept. */
export function upsertAnnotations(current: readonly AnnotationView[], upserts: readonly AnnotationView[]): readonly AnnotationView[] {
  const byId = new Map(current.map((a) => [a.id, a]));
  for (const a of upserts) byId.set(a.id, a);
  const sorted = [...byId.values()].sort((a, b) => a.at - b.at);
  return sorted.length > MAX_ANNOTATIONS ? sorted.slice(-MAX_ANNOTATIONS) : sorted;
}

/** A snapshot replaces everything; a delta upserts/removes series and upserts annotations by id, and replaces the lists it carries. */
export function reduce(state: PanelState, msg: DataMessage, localNow: number): PanelState {
  switch (msg.type) {
    case 'didSnapshot':
      return fromSnapshot(msg.snapshot, localNow);
    case 'didUpdate':
      // A delta before any snapshot has nothing to apply to; the host sends a snapshot first.
      return state.loaded ? applyDelta(state, msg.delta, localNow) : state;
    default:
      return assertNever(msg, 'host message');
  }
}

/** Marks extra sections dirty (e.g. a timer refreshing relative times, or a user choice). */
export function touch(state: PanelState, ...sections: SectionId[]): PanelState {
  if (sections.every((s) => state.dirty.has(s))) return state;
  return { ...state, dirty: new Set([...state.dirty, ...sections]) };
}

export function markClean(state: PanelState): PanelState {
  return state.dirty.size === 0 ? state : { ...state, dirty: new Set() };
}
