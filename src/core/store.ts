// Every series of every source, with its history. Keyed by string ids in Maps only: metric names
// and labels are untrusted and may be `__proto__`, `constructor`, etc.

import type { Labels, Role, Sample, SeriesKind, Unit } from './model';
import { seriesKey } from './model';
import type { HistoryOptions, Points } from './history';
import { SeriesHistory, counterRate } from './history';

export interface SeriesInfo {
  readonly id: string;
  readonly sourceId: string;
  readonly name: string;
  readonly labels: Labels;
  readonly kind: SeriesKind;
  readonly unit: Unit;
  readonly role: Role | null;
  /** last value as sent */
  readonly raw: number;
  /** gauges: raw; counters: per-second rate over the last interval (null until 2 samples; a decrease counts as a reset, rate from the new value) */
  readonly value: number | null;
  readonly updatedAt: number;
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

export function seriesId(sourceId: string, name: string, labels: Labels): string {
  return `${sourceId}|${seriesKey(name, labels)}`;
}

interface Entry {
  info: SeriesInfo;
  history: SeriesHistory;
}

interface SourceEntry {
  readonly ids: Set<string>;
  readonly refused: Set<string>;
  dropped: number;
}

function historyOptions(o: StoreOptions): HistoryOptions {
  return { rawWindowMs: o.rawWindowMs, bucketMs: o.bucketMs, downsampledWindowMs: o.downsampledWindowMs, minSpacingMs: o.minSpacingMs };
}

export class MetricStore {
  private readonly plainIds = new Map<string, Map<string, string>>();
  private options: StoreOptions;
  private readonly series = new Map<string, Entry>();
  private readonly sources = new Map<string, SourceEntry>();

  constructor(options: StoreOptions) {
    this.options = options;
  }

  get config(): StoreOptions {
    return this.options;
  }

  /**
   * Settings changed: every history is resized, keeping the newest points that fit. When the
   * per-source bound went down, the least recently updated series beyond it are removed; their ids
   * are returned.
   */
  configure(options: StoreOptions): string[] {
    const bucketChanged = options.bucketMs !== this.options.bucketMs;
    this.options = options;
    const removed: string[] = [];
    for (const [id, entry] of this.series) {
      if (bucketChanged) {
        // Buckets of another width cannot be re-cut; keep the raw tier only.
        const fresh = new SeriesHistory(entry.info.kind, historyOptions(options));
        for (let i = 0; i < entry.history.raw.size; i++) fresh.add(entry.history.raw.get(0, i), entry.history.raw.get(1, i));
        this.series.set(id, { info: entry.info, history: fresh });
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

  ingest(sourceId: string, samples: readonly Sample[], at: number): IngestResult {
    const changed = new Set<string>();
    let created = 0;
    let dropped = 0;
    let resets = 0;
    const source = this.source(sourceId);
    for (const sample of samples) {
      if (!Number.isFinite(sample.value)) continue;
      const id = sample.labels.length === 0 ? this.plainId(sourceId, sample.name) : seriesId(sourceId, sample.name, sample.labels);
      const entry = this.series.get(id);
      if (entry === undefined) {
        if (source.ids.size >= this.options.maxSeriesPerSource) {
          dropped++;
          if (!source.refused.has(id)) {
            source.dropped++;
            if (source.refused.size < MAX_REMEMBERED_REFUSALS) source.refused.add(id);
          }
          continue;
        }
        this.create(id, sourceId, sample, at);
        created++;
      } else {
        if (this.update(entry, sample, at)) resets++;
      }
      changed.add(id);
    }
    return { changed: [...changed], created, dropped, resets };
  }

  /** Ids of unlabelled series are built once: most samples are unlabelled, and this runs per sample. */
  private plainId(sourceId: string, name: string): string {
    let names = this.plainIds.get(sourceId);
    if (names === undefined) {
      names = new Map();
      this.plainIds.set(sourceId, names);
    }
    let id = names.get(name);
    if (id === undefined) {
      id = seriesId(sourceId, name, []);
      if (names.size >= 10_000) names.clear();
      names.set(name, id);
    }
    return id;
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
    const ids = [...source.ids];
    for (const id of ids) this.series.delete(id);
    this.sources.delete(sourceId);
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
    this.series.clear();
    this.sources.clear();
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
   * source is at its bound. The returned history is filled by the caller.
   */
  restoreSeries(info: Omit<SeriesInfo, 'restored'>): SeriesHistory | undefined {
    if (this.series.has(info.id)) return undefined;
    const source = this.source(info.sourceId);
    if (source.ids.size >= this.options.maxSeriesPerSource) return undefined;
    const history = new SeriesHistory(info.kind, historyOptions(this.options));
    this.series.set(info.id, { info: { ...info, restored: true }, history });
    source.ids.add(info.id);
    return history;
  }

  private source(sourceId: string): SourceEntry {
    let source = this.sources.get(sourceId);
    if (source === undefined) {
      source = { ids: new Set(), refused: new Set(), dropped: 0 };
      this.sources.set(sourceId, source);
    }
    return source;
  }

  private delete(id: string): void {
    const entry = this.series.get(id);
    if (entry === undefined) return;
    this.series.delete(id);
    this.sources.get(entry.info.sourceId)?.ids.delete(id);
  }

  private create(id: string, sourceId: string, sample: Sample, at: number): Entry {
    const history = new SeriesHistory(sample.kind, historyOptions(this.options));
    history.add(at, sample.value);
    const entry: Entry = {
      history,
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
      },
    };
    this.series.set(id, entry);
    this.source(sourceId).ids.add(id);
    return entry;
  }

  /** Returns true when a counter reset was seen. */
  private update(entry: Entry, sample: Sample, at: number): boolean {
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
    if (sample.kind === 'gauge') {
      value = sample.value;
    } else if (!sameKind || prev.restored === true) {
      value = null;
    } else if (at > prev.updatedAt) {
      reset = sample.value < prev.raw;
      value = counterRate(prev.raw, sample.value, at - prev.updatedAt);
    } else {
      value = prev.value; // same instant: last wins, the rate of the interval stands
    }
    history.add(at, sample.value);
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
      updatedAt: Math.max(at, prev.updatedAt),
    };
    return reset;
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
