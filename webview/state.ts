// The panel's data and a pure reducer over host messages. Dirty flags tell the renderer which
// sections changed since it last drew, so unchanged sections are left alone.
import type { HostMessage } from '../src/shared/protocol';
import type { AnnotationView, SeriesView } from '../src/shared/views';
import type { PanelDelta, PanelSnapshot, SectionId, SectionViews } from '../src/shared/sections';
import { SECTION_ROWS, SECTIONS } from '../src/shared/sections';
import { assertNever } from '../src/shared/check';
import { clean } from './guards';

/** Most annotations the panel keeps (the newest). */
export const MAX_ANNOTATIONS = 500;

/** Sections kept as received (series are kept by id, see applySeries). */
type Kept = Exclude<SectionId, 'series'>;
const KEPT = SECTIONS.filter((id): id is Kept => id !== 'series');

type KeptSections = { [K in Kept]: SectionViews[K] };
type Sections = Readonly<KeptSections> & { readonly series: ReadonlyMap<string, SeriesView> };

export type PanelState = Sections & {
  /** A snapshot has arrived. */
  readonly loaded: boolean;
  /** The host's clock at its last message. */
  readonly hostNow: number;
  /** Host clock minus local clock (ms), to count down host times such as retryAt. */
  readonly clockOffset: number;
  /** Series the host has; more than `series.size` when the panel holds a fair share of them. */
  readonly seriesTotal: number;
  readonly dirty: ReadonlySet<SectionId>;
};

type Draft = { -readonly [K in keyof PanelState]: PanelState[K] };

/**
 * How a received section joins what the panel has; absent: it replaces it. Returning `current`
 * leaves the section unchanged (and clean).
 */
const MERGE: { readonly [K in Kept]?: (current: KeptSections[K], received: KeptSections[K]) => KeptSections[K] } = {
  annotations: (current, received) => (received.length > 0 ? upsertAnnotations(current, received) : current),
};

function merge<K extends Kept>(id: K, current: KeptSections[K], received: unknown): KeptSections[K] {
  const cleaned: KeptSections[K] = SECTION_ROWS[id].clean(received);
  const join = MERGE[id] as ((current: KeptSections[K], received: KeptSections[K]) => KeptSections[K]) | undefined;
  return join ? join(current, cleaned) : cleaned;
}

/** Sets one section; true when it changed. */
function put<K extends Kept>(into: KeptSections, id: K, received: unknown): boolean {
  const current = into[id];
  const merged = merge(id, current, received);
  into[id] = merged;
  return merged !== current;
}

function emptySections(): KeptSections {
  return Object.fromEntries(KEPT.map((id) => [id, SECTION_ROWS[id].clean(undefined)])) as KeptSections;
}

export const initialState: PanelState = {
  ...emptySections(),
  loaded: false,
  hostNow: 0,
  clockOffset: 0,
  series: new Map(),
  seriesTotal: 0,
  dirty: new Set(),
};

function fromSnapshot(s: PanelSnapshot, localNow: number): PanelState {
  const kept = emptySections();
  for (const id of KEPT) put(kept, id, s[id]);
  return {
    ...kept,
    loaded: true,
    hostNow: s.now,
    clockOffset: s.now - localNow,
    series: new Map(clean.series(s.series).map((x) => [x.id, x])),
    seriesTotal: cleanCount(s.seriesTotal),
    dirty: new Set(SECTIONS),
  };
}

function applyDelta(state: PanelState, d: PanelDelta, localNow: number): PanelState {
  const dirty = new Set(state.dirty);
  const kept: KeptSections = { ...state };
  for (const id of KEPT) if (d[id] !== undefined && put(kept, id, d[id])) dirty.add(id);
  const next: Draft = { ...state, ...kept, hostNow: d.now, clockOffset: d.now - localNow };
  if (applySeries(next, d)) dirty.add('series');
  next.dirty = dirty;
  return next;
}

/** Upserts and removes series by id, applies value updates by handle; true when anything changed. */
function applySeries(next: Draft, d: PanelDelta): boolean {
  let changed = false;
  if (d.seriesTotal !== undefined) {
    next.seriesTotal = cleanCount(d.seriesTotal);
    changed = true;
  }
  const upserts = d.series ? clean.series(d.series) : [];
  const removed = d.removedSeries ? clean.strings(d.removedSeries) : [];
  const values = d.values ? clean.values(d.values) : [];
  if (upserts.length === 0 && removed.length === 0 && values.length === 0) return changed;
  const series = new Map(next.series);
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
  return true;
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

export type DataMessage = Extract<HostMessage, { type: 'didSnapshot' | 'didUpdate' }>;

/** A snapshot replaces everything; a delta upserts/removes series and upserts annotations by id, and replaces the other sections it carries. */
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
