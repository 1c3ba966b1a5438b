// Every series of every source, with its history. Keyed by string ids in Maps only: metric names
// and labels are untrusted and may be `__proto__`, `constructor`, etc.

import type { Backfill, Sample } from '../model';
import type { Labels, SeriesFacts } from '../../shared/views';
import { SeriesIds, seriesId } from './seriesIds';
import type { HistoryOptions, Points } from './history';
import { DEFAULT_MIN_SPACING_MS, SeriesHistory, counterRate } from './history';
import type { CadenceVerdict } from './cadence';
import { Cadence } from './cadence';

export interface SeriesInfo extends SeriesFacts {
  /** Time of the newest point: the producer's last update (repeats add none). Not persisted: restored as updatedAt. */
  readonly changedAt?: number;
  /** True while the series holds only history restored from a previous session (no sample since). */
  readonly restored?: boolean;
}

export interface StoreOptions {
  readonly rawWindowMs: number;
  readonly bucketMs: number;
  readonly downsampledWindowMs: number;
  readonly maxSeriesPerSource: number;
  /** Raw samples of one series closer together than this share one slot, last wins. Default 100. */
  readonly minSpacingMs?: number;
}

export interface IngestResult {
  /** Ids of the series that received a sample (each once). */
  readonly changed: readonly string[];
  readonly created: number;
  /** Samples refused because their source is at its series bound. */
  readonly dropped: number;
  /** Counter resets seen (a counter went down). */
  readonly resets: number;
  /** The message repeated the previous one (same sample set, or same server timestamp): no point was added. */
  readonly repeat: boolean;
}

export const DEFAULT_STORE_OPTIONS: StoreOptions = {
  rawWindowMs: 15 * 60_000,
  bucketMs: 10_000,
  downsampledWindowMs: 24 * 3_600_000,
  maxSeriesPerSource: 2000,
};

/** Refused series names remembered per source so each is counted once; beyond this, every refusal counts. */
const MAX_REMEMBERED_REFUSALS = 10_000;
/** Rough heap cost of one series besides its typed arrays (objects, Map entries, array headers). */
const SERIES_OVERHEAD_BYTES = 600;

export { seriesId };

interface Entry {
  info: SeriesInfo;
  history: SeriesHistory;
  /** The ingest call that last listed this series as changed (so each is listed once, without a Set). */
  listed: number;
}

interface SourceEntry {
  readonly ids: Set<string>;
  readonly refused: Set<string>;
  dropped: number;
  readonly cadence: Cadence;
  /** The shapes of its recent messages (a source may alternate a few: go-stats' three endpoints). */
  readonly shapes: Shape[];
  nextShape: number;
}

const MAX_SHAPES = 4;

/**
 * The source's previous message by position: a decoder sends the same names and labels in the same
 * order every time, so sample i is usually the series sample i was last time, found without
 * building its id or looking it up. `entries` are valid while the store's layout is `layout`.
 */
interface Shape {
  layout: number;
  readonly names: Array<string | undefined>;
  readonly labels: Labels[];
  readonly ids: string[];
  readonly entries: Array<Entry | undefined>;
}

/** The shape this message most likely repeats (same length and first name), else the oldest one, reused. */
function shapeFor(source: SourceEntry, samples: readonly Sample[]): Shape {
  const first = samples[0]?.name;
  for (const shape of source.shapes) if (shape.names.length === samples.length && shape.names[0] === first) return shape;
  if (source.shapes.length < MAX_SHAPES) {
    const shape: Shape = { layout: -1, names: [], labels: [], ids: [], entries: [] };
    source.shapes.push(shape);
    return shape;
  }
  const reused = source.shapes[source.nextShape] as Shape;
  source.nextShape = (source.nextShape + 1) % MAX_SHAPES;
  return reused;
}

function sameLabels(a: Labels | undefined, b: Labels): boolean {
  if (a === b) return true;
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) {
    const x = a[i] as readonly [string, string];
    const y = b[i] as readonly [string, string];
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}

function historyOptions(o: StoreOptions): HistoryOptions {
  return { rawWindowMs: o.rawWindowMs, bucketMs: o.bucketMs, downsampledWindowMs: o.downsampledWindowMs, minSpacingMs: o.minSpacingMs };
}

export class MetricStore {
  private readonly ids = new SeriesIds();
  private options: StoreOptions;
  private readonly series = new Map<string, Entry>();
  private readonly sources = new Map<string, SourceEntry>();
  private revision = 0;
  /** Moves whenever an entry is added to, replaced in or removed from `series`: shapes hold entries only while it stands. */
  private layout = 0;
  /** Per-message working sets of ingest, reused (cleared on entry). */
  /** Counts ingest calls; see Entry.listed. */
  private ingests = 0;
  private readonly idScratch: Array<string | undefined> = [];

  constructor(options: StoreOptions) {
    this.options = options;
  }

  get config(): StoreOptions {
    return this.options;
  }

  /** Moves whenever a series is added, removed or gets new facts: lazy views recompute only then. */
  get version(): number {
    return this.revision;
  }

  /**
   * Settings changed: every history is resized, keeping the newest points that fit. When the
   * per-source bound went down, the least recently updated series beyond it are removed; their ids
   * are returned.
   */
  configure(options: StoreOptions): string[] {
    const bucketChanged = options.bucketMs !== this.options.bucketMs;
    this.options = options;
    this.revision++;
    const removed: string[] = [];
    for (const [id, entry] of this.series) {
      if (bucketChanged) {
        // Buckets of another width cannot be re-cut; keep the raw tier only.
        const fresh = new SeriesHistory(entry.info.kind, historyOptions(options));
        for (let i = 0; i < entry.history.raw.size; i++) fresh.add(entry.history.raw.get(0, i), entry.history.raw.get(1, i));
        this.series.set(id, { info: entry.info, history: fresh, listed: 0 });
        this.layout++;
      } else {
        entry.history.configure(historyOptions(options));
      }
    }
    for (const [sourceId, source] of this.sources) {
      const excess = source.ids.size - options.maxSeriesPerSource;
      if (excess <= 0) continue;
      const oldest = [...source.ids].sort((a, b) => (this.series.get(a)?.info.updatedAt ?? 0) - (this.series.get(b)?.info.updatedAt ?? 0));
      for (const id of oldest.slice(0, excess)) {
        this.delete(id);
        removed.push(id);
      }
      if (source.ids.size === 0 && source.dropped === 0) this.sources.delete(sourceId);
    }
    return removed;
  }

  /**
   * One message's samples, received at `at`. `stamp`: the server's time for the message, when it
   * sent one; `collectedAt`: when its producer collected the values (Decoded.collectedAt). A message
   * that repeats the previous one (see cadence.ts) adds no point: its series are only marked as seen.
   */
  ingest(sourceId: string, samples: readonly Sample[], at: number, stamp?: number, collectedAt?: number): IngestResult {
    const changed: string[] = [];
    const call = ++this.ingests;
    let created = 0;
    let dropped = 0;
    let resets = 0;
    const source = this.source(sourceId);
    const shape = shapeFor(source, samples);
    const known = shape.layout === this.layout;
    const ids = this.idScratch;
    ids.length = samples.length;
    let unchanged = true;
    let any = false;
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i];
      if (sample === undefined || !Number.isFinite(sample.value)) {
        ids[i] = undefined;
        shape.names[i] = undefined;
        shape.entries[i] = undefined;
        continue;
      }
      let id: string;
      let entry: Entry | undefined;
      if (shape.names[i] === sample.name && sameLabels(shape.labels[i], sample.labels)) {
        id = shape.ids[i] as string;
        entry = known ? shape.entries[i] : this.series.get(id);
      } else {
        id = this.ids.get(sourceId, sample.name, sample.labels);
        entry = this.series.get(id);
        shape.names[i] = sample.name;
        shape.labels[i] = sample.labels;
        shape.ids[i] = id;
      }
      shape.entries[i] = entry;
      ids[i] = id;
      any = true;
      if (unchanged && !this.sameAsLast(entry, sample, source, id)) unchanged = false;
    }
    this.trimShape(shape, samples.length);
    if (!any) return { changed: [], created, dropped, resets, repeat: false };
    this.revision++;
    source.cadence.maxHoldMs = this.options.rawWindowMs / 4;
    const verdict = source.cadence.observe(at, stamp, unchanged, collectedAt);
    if (verdict.repeat) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        const entry = shape.entries[i];
        if (entry === undefined || id === undefined) continue;
        if (at > entry.info.updatedAt) entry.info = { ...entry.info, updatedAt: at };
        if (entry.listed !== call) changed.push(id);
        entry.listed = call;
      }
      return { changed, created, dropped, resets, repeat: true };
    }
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i];
      const id = ids[i];
      if (sample === undefined || id === undefined) continue;
      // A sample earlier in this message may have created the series (the same id twice).
      let entry = shape.entries[i] ?? this.series.get(id);
      if (entry === undefined) {
        if (source.ids.size >= this.options.maxSeriesPerSource) {
          dropped++;
          if (!source.refused.has(id)) {
            source.dropped++;
            if (source.refused.size < MAX_REMEMBERED_REFUSALS) source.refused.add(id);
          }
          continue;
        }
        entry = this.create(id, sourceId, sample, verdict.time, at);
        created++;
      } else {
        if (this.update(entry, sample, verdict, at)) resets++;
      }
      shape.entries[i] = entry;
      if (entry.listed !== call) changed.push(id);
      entry.listed = call;
    }
    shape.layout = this.layout;
    return { changed, created, dropped, resets, repeat: false };
  }

  /** The shape ends with this message (no entries of longer, older messages kept alive); it is valid as of now. */
  private trimShape(shape: Shape, length: number): void {
    if (shape.names.length > length) {
      shape.names.length = length;
      shape.labels.length = length;
      shape.ids.length = length;
      shape.entries.length = length;
    }
    shape.layout = this.layout;
  }

  /** The sample says nothing new about its series (a refused series says nothing either way). */
  private sameAsLast(entry: Entry | undefined, sample: Sample, source: SourceEntry, id: string): boolean {
    if (entry === undefined) return source.refused.has(id);
    const info = entry.info;
    return info.restored !== true && info.raw === sample.value && info.kind === sample.kind && info.unit === sample.unit && (sample.role === undefined || sample.role === info.role);
  }

  get(id: string): SeriesInfo | undefined {
    return this.series.get(id)?.info;
  }

  list(): SeriesInfo[] {
    const out: SeriesInfo[] = [];
    for (const e of this.series.values()) out.push(e.info);
    return out;
  }

  bySource(sourceId: string): SeriesInfo[] {
    const source = this.sources.get(sourceId);
    if (source === undefined) return [];
    const out: SeriesInfo[] = [];
    for (const id of source.ids) {
      const e = this.series.get(id);
      if (e !== undefined) out.push(e.info);
    }
    return out;
  }

  /** Ids of the sources that have series or dropped series. */
  sourceIds(): string[] {
    return [...this.sources.keys()];
  }

  /** The series' history, for encoders and aggregation. Do not mutate. */
  history(id: string): SeriesHistory | undefined {
    return this.series.get(id)?.history;
  }

  points(id: string, from: number, to: number, mode: 'rate' | 'raw', maxPoints?: number): Points {
    const entry = this.series.get(id);
    if (entry === undefined || !(to >= from)) return { t: [], v: [] };
    const pts = entry.history.points(from, to, mode);
    return maxPoints !== undefined ? thin(pts, maxPoints) : pts;
  }

  droppedSeries(sourceId: string): number {
    return this.sources.get(sourceId)?.dropped ?? 0;
  }

  removeSource(sourceId: string): string[] {
    const source = this.sources.get(sourceId);
    if (source === undefined) return [];
    this.revision++;
    const ids = [...source.ids];
    for (const id of ids) this.series.delete(id);
    this.layout++;
    this.sources.delete(sourceId);
    this.ids.forget(sourceId);
    return ids;
  }

  /** Drops points older than the windows as of `now` and the series left empty; returns their ids. */
  prune(now: number): string[] {
    const removed: string[] = [];
    for (const [id, entry] of this.series) {
      if (entry.history.trim(now)) {
        this.delete(id);
        removed.push(id);
      }
    }
    return removed;
  }

  clear(): void {
    this.revision++;
    this.series.clear();
    this.layout++;
    this.sources.clear();
    this.ids.clear();
  }

  get size(): number {
    return this.series.size;
  }

  /** Raw samples stored, all series. */
  sampleCount(): number {
    let n = 0;
    for (const e of this.series.values()) n += e.history.raw.size;
    return n;
  }

  /** Estimated heap + ArrayBuffer bytes held. */
  approxBytes(): number {
    let n = 0;
    for (const e of this.series.values()) {
      const i = e.info;
      let strings = i.id.length + i.name.length;
      for (const [k, v] of i.labels) strings += k.length + v.length + 32;
      n += e.history.bytes() + SERIES_OVERHEAD_BYTES + 2 * strings;
    }
    return n;
  }

  /**
   * Adds a series with restored history (persist.ts). Refused (false) when the id exists or the
   * source is at its bound. The returned history is filled by the caller; `initial` sizes its tiers for that.
   */
  restoreSeries(info: Omit<SeriesInfo, 'restored'>, initial?: { readonly raw: number; readonly buckets: number }): SeriesHistory | undefined {
    if (this.series.has(info.id)) return undefined;
    const source = this.source(info.sourceId);
    if (source.ids.size >= this.options.maxSeriesPerSource) return undefined;
    const history = new SeriesHistory(info.kind, historyOptions(this.options), initial);
    this.revision++;
    this.series.set(info.id, { info: { ...info, changedAt: info.changedAt ?? info.updatedAt, restored: true }, history, listed: 0 });
    this.layout++;
    source.ids.add(info.id);
    return history;
  }

  /**
   * A restored series' state (raw, value, times, unit, role) from a newer saved record: the raw log
   * is appended every save, the downsampled tier written less often. Only while it is still as
   * restored (no live sample yet) and of the same kind.
   */
  refreshRestored(info: Omit<SeriesInfo, 'restored'>): void {
    const entry = this.series.get(info.id);
    if (entry?.info.restored !== true || entry.info.kind !== info.kind || info.updatedAt <= entry.info.updatedAt) return;
    this.revision++;
    entry.info = { ...info, changedAt: info.changedAt ?? info.updatedAt, restored: true };
  }

  /**
   * Takes a series restored into another store (restore.ts restores off to the side while samples
   * arrive). One that received samples meanwhile keeps them, after the restored points, and its live
   * facts. Refused (false) when the source is at its bound or the kinds differ.
   */
  adoptRestored(info: SeriesInfo, history: SeriesHistory): boolean {
    this.revision++;
    const entry = this.series.get(info.id);
    if (entry === undefined) {
      const source = this.source(info.sourceId);
      if (source.ids.size >= this.options.maxSeriesPerSource) return false;
      this.series.set(info.id, { info, history, listed: 0 });
      this.layout++;
      source.ids.add(info.id);
      return true;
    }
    const live = entry.history;
    if (live.kind !== history.kind) return false;
    // The ring keeps one point per min-spacing slot: a live point in the newest restored point's slot
    // (a reload within that span) would replace it, so the saved one stands.
    const spacing = Math.max(1, this.options.minSpacingMs ?? DEFAULT_MIN_SPACING_MS);
    const restoredSlot = Math.floor(history.newestTime() / spacing);
    for (let i = 0; i < live.raw.size; i++) {
      const t = live.raw.get(0, i);
      if (!(Math.floor(t / spacing) <= restoredSlot)) history.add(t, live.raw.get(1, i));
    }
    entry.history = history;
    return true;
  }

  /**
   * Past points from the source's own engine (PromQL `query_range`): they replace what this series
   * held from the backfill's first point on (restored or live), and live points newer than its last
   * point are kept after it. Creates the series when new. Returns its id, or undefined when refused
   * (no points, or the source at its series bound).
   */
  backfill(sourceId: string, b: Backfill): string | undefined {
    const n = Math.min(b.t.length, b.v.length);
    const first = b.t[0];
    const last = b.t[n - 1];
    const lastValue = b.v[n - 1];
    if (n === 0 || first === undefined || last === undefined || lastValue === undefined) return undefined;
    const id = this.ids.get(sourceId, b.name, b.labels);
    const entry = this.series.get(id);
    const source = this.source(sourceId);
    if (entry === undefined && source.ids.size >= this.options.maxSeriesPerSource) return undefined;
    const history = new SeriesHistory(b.kind, historyOptions(this.options));
    const old = entry !== undefined && entry.history.kind === b.kind ? entry.history : undefined;
    if (old !== undefined) {
      const firstBucket = Math.floor(first / this.options.bucketMs);
      for (let i = 0; i < old.buckets.size && old.bucket(i).index < firstBucket; i++) history.addBucket(old.bucket(i));
    }
    for (let i = 0; i < n; i++) history.add(b.t[i] ?? first, b.v[i] ?? lastValue);
    let newer = false;
    if (old !== undefined) {
      for (let i = old.raw.lowerBound(last); i < old.raw.size; i++) {
        if (old.raw.get(0, i) <= last) continue;
        history.add(old.raw.get(0, i), old.raw.get(1, i));
        newer = true;
      }
    }
    const prev = entry?.info;
    const info: SeriesInfo =
      prev !== undefined && newer
        ? { ...prev, restored: false }
        : {
            id,
            sourceId,
            name: b.name,
            labels: b.labels,
            kind: b.kind,
            unit: b.unit,
            role: b.role ?? prev?.role ?? null,
            raw: lastValue,
            value: b.kind === 'gauge' ? lastValue : n > 1 ? counterRate(b.v[n - 2] ?? lastValue, lastValue, last - (b.t[n - 2] ?? last)) : null,
            updatedAt: Math.max(last, prev?.updatedAt ?? last),
            changedAt: Math.max(last, prev?.changedAt ?? last),
          };
    this.revision++;
    this.series.set(id, { info, history, listed: 0 });
    this.layout++;
    source.ids.add(id);
    return id;
  }

  private source(sourceId: string): SourceEntry {
    let source = this.sources.get(sourceId);
    if (source === undefined) {
      source = { ids: new Set(), refused: new Set(), dropped: 0, cadence: new Cadence(), shapes: [], nextShape: 0 };
      this.sources.set(sourceId, source);
    }
    return source;
  }

  private delete(id: string): void {
    const entry = this.series.get(id);
    if (entry === undefined) return;
    this.revision++;
    this.series.delete(id);
    this.layout++;
    this.sources.get(entry.info.sourceId)?.ids.delete(id);
  }

  /** `time`: the point's time; `at`: when it was received. */
  private create(id: string, sourceId: string, sample: Sample, time: number, at: number): Entry {
    const history = new SeriesHistory(sample.kind, historyOptions(this.options));
    history.add(time, sample.value);
    const entry: Entry = {
      history,
      listed: 0,
      info: {
        id,
        sourceId,
        name: sample.name,
        labels: sample.labels,
        kind: sample.kind,
        unit: sample.unit,
        role: sample.role ?? null,
        raw: sample.value,
        value: sample.kind === 'gauge' ? sample.value : null,
        updatedAt: at,
        changedAt: time,
      },
    };
    this.series.set(id, entry);
    this.layout++;
    this.source(sourceId).ids.add(id);
    return entry;
  }

  /** Returns true when a counter reset was seen. `at`: when the sample was received. */
  private update(entry: Entry, sample: Sample, verdict: CadenceVerdict, at: number): boolean {
    const time = verdict.time;
    const prev = entry.info;
    let history = entry.history;
    if (sample.kind !== prev.kind) {
      // The source changed its mind about the kind: the old points mean something else.
      history = new SeriesHistory(sample.kind, historyOptions(this.options));
      entry.history = history;
    }
    const sameKind = sample.kind === prev.kind;
    let value: number | null;
    let reset = false;
    let rateUnknown = false;
    if (sample.kind === 'gauge') {
      value = sample.value;
    } else if (!sameKind || prev.restored === true) {
      value = null;
    } else if (time > (prev.changedAt ?? prev.updatedAt)) {
      reset = sample.value < prev.raw;
      const rate = this.counterValue(prev, sample.value, verdict, history);
      rateUnknown = rate === undefined;
      value = rate ?? null;
    } else {
      value = prev.value; // same instant: last wins, the rate of the interval stands
    }
    history.add(time, sample.value, rateUnknown);
    entry.info = {
      id: prev.id,
      sourceId: prev.sourceId,
      name: prev.name,
      labels: prev.labels,
      kind: sample.kind,
      unit: sample.unit,
      role: sample.role ?? prev.role,
      raw: sample.value,
      value,
      // Restored times came from another session's clock: the first live sample sets them.
      updatedAt: prev.restored === true ? at : Math.max(at, prev.updatedAt),
      changedAt: prev.restored === true ? time : Math.max(time, prev.changedAt ?? time),
    };
    return reset;
  }

  /**
   * A counter's rate over the interval between the producer's updates (cadence.ts `since`), not
   * since the last message: a point one interval back is added when the previous point was not an
   * update. With no interval known yet the rate is unknown: undefined (the point gets no rate in
   * charts rather than the increase over a made-up span); null when the interval is empty.
   */
  private counterValue(prev: SeriesInfo, value: number, verdict: CadenceVerdict, history: SeriesHistory): number | null | undefined {
    const prevAt = prev.changedAt ?? prev.updatedAt;
    const ownPrevious = prevAt >= verdict.previous; // else the series was missing from some messages
    if (value === prev.raw || !ownPrevious) return counterRate(prev.raw, value, verdict.time - prevAt);
    if (verdict.since === null) return undefined;
    const from = Math.max(prevAt, verdict.since);
    if (from > prevAt) history.add(from, prev.raw);
    return counterRate(prev.raw, value, verdict.time - from);
  }
}

/**
 * Thins to at most `maxPoints` keeping the shape: the points are cut into maxPoints/2 groups and
 * each group keeps its minimum and its maximum, in time order. A group of only nulls keeps one null.
 */
export function thin(points: Points, maxPoints: number): Points {
  const n = points.t.length;
  const max = Math.floor(maxPoints);
  if (n <= max) return points;
  if (max < 2) {
    if (max < 1 || n === 0) return { t: [], v: [] };
    return { t: [points.t[n - 1] ?? 0], v: [points.v[n - 1] ?? null] };
  }
  const groups = Math.floor(max / 2);
  const out: Points = { t: [], v: [] };
  for (let g = 0; g < groups; g++) {
    const start = Math.floor((g * n) / groups);
    const end = Math.floor(((g + 1) * n) / groups);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = points.v[i];
      if (v == null) continue;
      if (lo < 0 || v < (points.v[lo] ?? Infinity)) lo = i;
      if (hi < 0 || v > (points.v[hi] ?? -Infinity)) hi = i;
    }
    const keep = lo < 0 ? [start] : lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)];
    for (const i of keep) {
      out.t.push(points.t[i] ?? 0);
      out.v.push(points.v[i] ?? null);
    }
  }
  return out;
}
