// History across reloads, in two versioned encodings:
//  - compact (workspace state, a JSON string): the downsampled tier. Per series its meta and the
//    bucket columns as base64 of little-endian typed arrays. Capped: the oldest buckets go first
//    (one cut-off time for all series), then the least recently updated series.
//  - raw (a file): the raw tier as an append-only log of checksummed segments (encodeSegments has
//    the layout). Each save appends only the samples newer than what that writer already wrote
//    (RawLogWriter), so two windows may append to one file; compaction (compactRaw) merges the log
//    and rewrites it, capped like the compact tier.
// Restoring never throws: a wrong version, corrupt, truncated or oversized value is reported and
// discarded, every valid series (and every intact segment) in it is kept, and points older than the
// windows are dropped.

import type { Labels, Role, SeriesKind, Unit } from './model';
import type { MetricStore, SeriesInfo } from './store';
import { seriesId } from './store';
import { isRole } from './glob';
import { B_COUNT, B_INDEX, B_LAST, B_MAX, B_MIN, B_SUM } from './history';
import type { SeriesHistory } from './history';

export const COMPACT_FORMAT = 'pulse-history';
export const COMPACT_VERSION = 1;
export const RAW_MAGIC = 'PLSR';
export const RAW_VERSION = 2;
/** Segments are closed at the first series boundary past this size. */
export const SEGMENT_TARGET_BYTES = 256 * 1024;
export const DEFAULT_COMPACT_BUDGET = 256 * 1024;

export interface RestoreLimits {
  /** Compact values longer than this are refused as oversized. */
  readonly maxCompactChars: number;
  readonly maxRawBytes: number;
}

export const DEFAULT_RESTORE_LIMITS: RestoreLimits = { maxCompactChars: 8 * 1024 * 1024, maxRawBytes: 256 * 1024 * 1024 };

const MAX_PROBLEMS = 20;
const UNITS: readonly Unit[] = ['bytes', 'seconds', 'ms', 'percent', 'ratio', 'count', 'per_second', 'none'];
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

// ------------------------------------------------------------------ typed columns ↔ base64 (LE)

function encodeColumn(values: ArrayLike<number>, type: 'f64' | 'u32'): string {
  const size = type === 'f64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (type === 'f64') view.setFloat64(i * size, values[i] ?? 0, true);
    else view.setUint32(i * size, values[i] ?? 0, true);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeColumn(text: unknown, type: 'f64' | 'u32', n: number): number[] | null {
  const size = type === 'f64' ? 8 : 4;
  if (typeof text !== 'string' || text.length % 4 !== 0 || text.length !== base64Length(n * size) || !BASE64.test(text)) return null;
  const buf = Buffer.from(text, 'base64');
  if (buf.byteLength !== n * size) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = type === 'f64' ? view.getFloat64(i * size, true) : view.getUint32(i * size, true);
  return out;
}

function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

// ------------------------------------------------------------------ series meta

interface Meta {
  readonly id: string;
  readonly src: string;
  readonly n: string;
  readonly l: Labels;
  readonly k: 'c' | 'g';
  readonly u: Unit;
  readonly r: Role | null;
  readonly raw: number;
  readonly val: number | null;
  readonly at: number;
}

function metaOf(s: SeriesInfo): Meta {
  return { id: s.id, src: s.sourceId, n: s.name, l: s.labels, k: s.kind === 'counter' ? 'c' : 'g', u: s.unit, r: s.role, raw: s.raw, val: s.value, at: s.updatedAt };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseLabels(x: unknown): Labels | null {
  if (!Array.isArray(x) || x.length > 64) return null;
  const out: Array<readonly [string, string]> = [];
  for (const pair of x as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return null;
    out.push([pair[0], pair[1]]);
  }
  return out;
}

/** The series described by a meta record, or why not. The id is recomputed, never trusted. */
function parseMeta(x: unknown): Omit<SeriesInfo, 'restored'> | string {
  if (!isRecord(x)) return 'series entry is not an object';
  const { src, n, l, k, u, r, raw, val, at } = x;
  if (typeof src !== 'string' || src.length === 0 || src.length > 1000) return 'bad source id';
  if (typeof n !== 'string' || n.length === 0 || n.length > 1000) return 'bad series name';
  const labels = parseLabels(l);
  if (labels === null) return `series "${n.slice(0, 80)}": bad labels`;
  if (k !== 'c' && k !== 'g') return `series "${n.slice(0, 80)}": bad kind`;
  if (typeof u !== 'string' || !(UNITS as readonly string[]).includes(u)) return `series "${n.slice(0, 80)}": bad unit`;
  if (r !== null && !isRole(r)) return `series "${n.slice(0, 80)}": bad role`;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || !(val === null || (typeof val === 'number' && Number.isFinite(val)))) return `series "${n.slice(0, 80)}": bad value`;
  if (typeof at !== 'number' || !Number.isFinite(at)) return `series "${n.slice(0, 80)}": bad time`;
  const kind: SeriesKind = k === 'c' ? 'counter' : 'gauge';
  return { id: seriesId(src, n, labels), sourceId: src, name: n, labels, kind, unit: u as Unit, role: r, raw, value: val, updatedAt: at };
}

function byteLength(s: string): number {
  return utf8.encode(s).byteLength;
}

interface Candidate {
  readonly info: SeriesInfo;
  readonly history: SeriesHistory;
  /** UTF-8 bytes of the entry with empty columns, plus its comma. */
  readonly metaBytes: number;
}

/** Least recently updated first. */
function byAge(a: Candidate, b: Candidate): number {
  return a.info.updatedAt - b.info.updatedAt || (a.info.id < b.info.id ? -1 : 1);
}

/**
 * Finds the smallest cut-off in [lo, hi] for which `size(cut)` ≤ budget, `size` non-increasing.
 * Returns undefined when even `hi` does not fit.
 */
function smallestFitting(lo: number, hi: number, budget: number, size: (cut: number) => number, integer: boolean): number | undefined {
  if (size(hi) > budget) return undefined;
  if (size(lo) <= budget) return lo;
  let a = lo; // does not fit
  let b = hi; // fits
  for (let i = 0; i < 80 && (integer ? b - a > 1 : b > a && b - a > Math.abs(b) * 1e-15); i++) {
    const mid = integer ? Math.floor((a + b) / 2) : a + (b - a) / 2;
    if (mid === a || mid === b) break;
    if (size(mid) <= budget) b = mid;
    else a = mid;
  }
  return b;
}

// ------------------------------------------------------------------ compact (downsampled tier)

function compactEntry(c: Candidate, from: number): Record<string, unknown> {
  const b = c.history.buckets;
  const start = b.lowerBound(from);
  const cols = [B_INDEX, B_MIN, B_MAX, B_SUM, B_LAST, B_COUNT].map((col) => {
    const out: number[] = [];
    for (let i = start; i < b.size; i++) out.push(b.get(col, i));
    return out;
  });
  const [i, mn, mx, sm, ls, cn] = cols;
  return {
    ...metaOf(c.info),
    i: encodeColumn(i ?? [], 'u32'),
    mn: encodeColumn(mn ?? [], 'f64'),
    mx: encodeColumn(mx ?? [], 'f64'),
    sm: encodeColumn(sm ?? [], 'f64'),
    ls: encodeColumn(ls ?? [], 'f64'),
    c: encodeColumn(cn ?? [], 'u32'),
  };
}

function compactBucketBytes(n: number): number {
  return 2 * base64Length(4 * n) + 4 * base64Length(8 * n);
}

/** The downsampled tier as a JSON string of at most `budgetBytes` UTF-8 bytes. */
export function encodeCompact(store: MetricStore, budgetBytes: number = DEFAULT_COMPACT_BUDGET): string {
  const bucketMs = store.config.bucketMs;
  const header = (series: readonly unknown[]): string => JSON.stringify({ format: COMPACT_FORMAT, v: COMPACT_VERSION, bucketMs, series });
  const headerBytes = byteLength(header([]));
  let candidates: Candidate[] = [];
  let minIndex = Infinity;
  let maxIndex = -Infinity;
  for (const info of store.list()) {
    const history = store.history(info.id);
    if (history === undefined || history.buckets.size === 0) continue;
    const metaBytes = byteLength(JSON.stringify(compactEntry({ info, history, metaBytes: 0 }, Infinity))) + 1;
    candidates.push({ info, history, metaBytes });
    minIndex = Math.min(minIndex, history.buckets.get(B_INDEX, 0));
    maxIndex = Math.max(maxIndex, history.newestBucketIndex());
  }
  const size = (cut: number, list: readonly Candidate[]): number => {
    let total = headerBytes;
    for (const c of list) {
      const n = c.history.buckets.size - c.history.buckets.lowerBound(cut);
      if (n > 0) total += c.metaBytes + compactBucketBytes(n);
    }
    return total;
  };
  let cut = minIndex;
  if (candidates.length > 0) {
    let found = smallestFitting(minIndex, maxIndex, budgetBytes, (x) => size(x, candidates), true);
    // Even one bucket per series is too much: the least recently updated series go.
    if (found === undefined) {
      const kept = candidates.filter((c) => c.history.newestBucketIndex() >= maxIndex).sort(byAge);
      let total = size(maxIndex, kept);
      while (kept.length > 0 && total > budgetBytes) {
        const gone = kept.shift();
        if (gone !== undefined) total -= gone.metaBytes + compactBucketBytes(1);
      }
      candidates = kept;
      found = maxIndex;
    }
    cut = found;
  }
  const entries: unknown[] = [];
  for (const c of candidates) if (c.history.buckets.size - c.history.buckets.lowerBound(cut) > 0) entries.push(compactEntry(c, cut));
  let text = header(entries);
  // The size model is exact; this only guards against it ever being wrong.
  while (byteLength(text) > budgetBytes && entries.length > 0) {
    entries.shift();
    text = header(entries);
  }
  return byteLength(text) <= budgetBytes ? text : '';
}

// ------------------------------------------------------------------ restore

class Problems {
  readonly list: string[] = [];
  private extra = 0;
  add(p: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(p);
    else this.extra++;
  }
  done(): string[] {
    return this.extra > 0 ? [...this.list, `…and ${this.extra} more problems`] : this.list;
  }
}

function restoreCompact(store: MetricStore, compact: unknown, now: number, limits: RestoreLimits, problems: Problems): number {
  let value: unknown = compact;
  if (typeof compact === 'string') {
    if (compact.length === 0) return 0;
    if (compact.length > limits.maxCompactChars) {
      problems.add(`downsampled history is oversized (${compact.length} characters, the limit is ${limits.maxCompactChars}); discarded`);
      return 0;
    }
    try {
      value = JSON.parse(compact) as unknown;
    } catch {
      problems.add('downsampled history is corrupt (not JSON); discarded');
      return 0;
    }
  }
  if (!isRecord(value) || value.format !== COMPACT_FORMAT) {
    problems.add('downsampled history is not in a known format; discarded');
    return 0;
  }
  if (value.v !== COMPACT_VERSION) {
    problems.add(`downsampled history has version ${JSON.stringify(value.v) ?? 'undefined'}, expected ${COMPACT_VERSION}; discarded`);
    return 0;
  }
  const bucketMs = store.config.bucketMs;
  if (value.bucketMs !== bucketMs) {
    problems.add(`downsampled history uses ${JSON.stringify(value.bucketMs) ?? 'no'} ms buckets, expected ${bucketMs}; discarded`);
    return 0;
  }
  if (!Array.isArray(value.series)) {
    problems.add('downsampled history has no series list; discarded');
    return 0;
  }
  const oldest = Math.floor((now - store.config.downsampledWindowMs) / bucketMs);
  const newest = Math.floor(now / bucketMs);
  let restored = 0;
  for (const entry of value.series as unknown[]) {
    const info = parseMeta(entry);
    if (typeof info === 'string') {
      problems.add(`downsampled history: ${info}; skipped`);
      continue;
    }
    const e = entry as Record<string, unknown>;
    // Each column must decode to exactly this many rows (checked by decodeColumn).
    const guess = typeof e.i === 'string' ? Math.floor(((e.i.length / 4) * 3) / 4) : 0;
    const idx = decodeColumn(e.i, 'u32', guess);
    const mn = decodeColumn(e.mn, 'f64', guess);
    const mx = decodeColumn(e.mx, 'f64', guess);
    const sm = decodeColumn(e.sm, 'f64', guess);
    const ls = decodeColumn(e.ls, 'f64', guess);
    const cn = decodeColumn(e.c, 'u32', guess);
    if (idx === null || mn === null || mx === null || sm === null || ls === null || cn === null) {
      problems.add(`downsampled history of "${info.name.slice(0, 80)}" is corrupt; skipped`);
      continue;
    }
    let valid = true;
    for (let i = 0; i < guess && valid; i++) {
      const finite = [mn[i], mx[i], sm[i], ls[i]].every((x) => x !== undefined && Number.isFinite(x));
      if (!finite || (cn[i] ?? 0) < 1 || (i > 0 && (idx[i] ?? 0) <= (idx[i - 1] ?? 0))) valid = false;
    }
    if (!valid) {
      problems.add(`downsampled history of "${info.name.slice(0, 80)}" has invalid buckets; skipped`);
      continue;
    }
    let first = 0;
    while (first < guess && (idx[first] ?? 0) < oldest) first++;
    let last = guess;
    while (last > first && (idx[last - 1] ?? 0) > newest) last--;
    if (last <= first) continue; // everything is older than the window
    const history = store.restoreSeries(info);
    if (history === undefined) continue;
    for (let i = first; i < last; i++) {
      history.addBucket({ index: idx[i] ?? 0, min: mn[i] ?? 0, max: mx[i] ?? 0, sum: sm[i] ?? 0, last: ls[i] ?? 0, count: cn[i] ?? 0 });
    }
    restored++;
  }
  return restored;
}

// ------------------------------------------------------------------ raw tier: a log of segments

const MAGIC_BYTES = utf8.encode(RAW_MAGIC);
const SEGMENT_HEADER = 16;
const SEGMENT_COUNT_BYTES = 4;
/** flags u8, key length u32, raw f64, value f64, updatedAt f64, n u32 */
const ENTRY_FIXED = 1 + 4 + 24 + 4;
/** The key is the series' meta JSON, not just its id. */
const F_META = 1;
/** Forget this series' earlier points (its kind changed, or it was removed). */
const F_RESET = 2;

/** FNV-1a, 32 bits, over `bytes`, continuing from `hash`. */
export function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
  return h >>> 0;
}

interface PointSource {
  time(i: number): number;
  value(i: number): number;
}

/** One series' part of a segment: rows [start, end) of `points`. */
interface Entry {
  readonly flags: number;
  readonly key: Uint8Array;
  readonly raw: number;
  readonly val: number | null;
  readonly at: number;
  readonly points: PointSource;
  readonly start: number;
  readonly end: number;
}

function entryBytes(e: Entry): number {
  return ENTRY_FIXED + e.key.byteLength + 16 * (e.end - e.start);
}

function ringPoints(ring: SeriesHistory['raw']): PointSource {
  return { time: (i) => ring.get(0, i), value: (i) => ring.get(1, i) };
}

/**
 * Entries as segments: "PLSR", u16 version, u16 0, u32 payload length, u32 FNV-1a of bytes 4–11
 * and the payload; payload: u32 entry count, then per entry: u8 flags, u32 key length, key (meta
 * JSON or series id, UTF-8), f64 raw, f64 value (NaN: none), f64 updatedAt, u32 n, n f64 times,
 * n f64 values (all LE). A segment is closed at an entry boundary once SEGMENT_TARGET_BYTES is
 * reached, so damage costs one segment, not the file.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** n little-endian f64 at `offset` (any alignment). */
function writeF64(out: Uint8Array, offset: number, n: number, at: (i: number) => number): void {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = at(i);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(values.buffer), offset);
  else {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < n; i++) view.setFloat64(offset + 8 * i, values[i] ?? NaN, true);
  }
}

/** n little-endian f64 at `offset` (any alignment). */
function readF64(bytes: Uint8Array, offset: number, n: number): Float64Array {
  const copy = bytes.slice(offset, offset + 8 * n); // aligned, owned
  if (LITTLE_ENDIAN) return new Float64Array(copy.buffer, 0, n);
  const view = new DataView(copy.buffer);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

function encodeSegments(entries: readonly Entry[]): Uint8Array {
  const groups: Entry[][] = [];
  let current: Entry[] = [];
  let currentBytes = 0;
  let total = 0;
  for (const e of entries) {
    current.push(e);
    currentBytes += entryBytes(e);
    if (currentBytes >= SEGMENT_TARGET_BYTES) {
      groups.push(current);
      total += SEGMENT_HEADER + SEGMENT_COUNT_BYTES + currentBytes;
      current = [];
      currentBytes = 0;
    }
  }
  if (current.length > 0) {
    groups.push(current);
    total += SEGMENT_HEADER + SEGMENT_COUNT_BYTES + currentBytes;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let p = 0;
  for (const group of groups) {
    const at = p;
    out.set(MAGIC_BYTES, p);
    view.setUint16(p + 4, RAW_VERSION, true);
    view.setUint16(p + 6, 0, true);
    p += SEGMENT_HEADER;
    view.setUint32(p, group.length, true);
    p += SEGMENT_COUNT_BYTES;
    for (const e of group) {
      const n = e.end - e.start;
      out[p] = e.flags;
      view.setUint32(p + 1, e.key.byteLength, true);
      out.set(e.key, p + 5);
      p += 5 + e.key.byteLength;
      view.setFloat64(p, e.raw, true);
      view.setFloat64(p + 8, e.val ?? NaN, true);
      view.setFloat64(p + 16, e.at, true);
      view.setUint32(p + 24, n, true);
      p += 28;
      writeF64(out, p, n, (i) => e.points.time(e.start + i));
      p += 8 * n;
      writeF64(out, p, n, (i) => e.points.value(e.start + i));
      p += 8 * n;
    }
    view.setUint32(at + 8, p - at - SEGMENT_HEADER, true);
    view.setUint32(at + 12, fnv1a(out.subarray(at + SEGMENT_HEADER, p), fnv1a(out.subarray(at + 4, at + 12))), true);
  }
  return out;
}

/** A series' raw points as a snapshot candidate. */
interface Run {
  readonly entry: Entry;
  /** Rows in `entry.points` (entry.start is 0). */
  readonly n: number;
  readonly lowerBound: (t: number) => number;
}

/**
 * The runs' newest points that fit in `maxBytes` of segments: the oldest points go first (one
 * cut-off time for all series), then the least recently updated series.
 */
function capRuns(runs: readonly Run[], maxBytes: number): Entry[] {
  // Segments but the last hold ≥ SEGMENT_TARGET_BYTES, which bounds the number of headers.
  const budget = maxBytes - (SEGMENT_HEADER + SEGMENT_COUNT_BYTES) * (Math.floor(maxBytes / SEGMENT_TARGET_BYTES) + 1);
  let list = runs.filter((r) => r.n > 0);
  if (list.length === 0 || budget <= 0) return [];
  const fixed = (r: Run): number => ENTRY_FIXED + r.entry.key.byteLength;
  const count = (r: Run, cut: number): number => r.n - r.lowerBound(cut);
  const size = (cut: number, of: readonly Run[]): number => {
    let total = 0;
    for (const r of of) {
      const n = count(r, cut);
      if (n > 0) total += fixed(r) + 16 * n;
    }
    return total;
  };
  let minT = Infinity;
  let maxT = -Infinity;
  for (const r of list) {
    minT = Math.min(minT, r.entry.points.time(0));
    maxT = Math.max(maxT, r.entry.points.time(r.n - 1));
  }
  let cut = smallestFitting(minT, maxT, budget, (x) => size(x, list), false);
  if (cut === undefined) {
    const kept = list.filter((r) => r.entry.points.time(r.n - 1) >= maxT).sort((a, b) => a.entry.at - b.entry.at);
    let total = size(maxT, kept);
    while (kept.length > 0 && total > budget) {
      const gone = kept.shift();
      if (gone !== undefined) total -= fixed(gone) + 16 * count(gone, maxT);
    }
    list = kept;
    cut = maxT;
  }
  const at = cut;
  return list.filter((r) => count(r, at) > 0).map((r) => ({ ...r.entry, start: r.lowerBound(at), end: r.n }));
}

function metaKey(info: SeriesInfo): Uint8Array {
  return utf8.encode(JSON.stringify(metaOf(info)));
}

/** The whole raw tier as segments of at most `maxBytes` bytes (none when nothing fits). */
export function encodeRaw(store: MetricStore, maxBytes: number): Uint8Array {
  const runs: Run[] = [];
  for (const info of store.list()) {
    const raw = store.history(info.id)?.raw;
    if (raw === undefined || raw.size === 0) continue;
    runs.push({ entry: { flags: F_META, key: metaKey(info), raw: info.raw, val: info.value, at: info.updatedAt, points: ringPoints(raw), start: 0, end: raw.size }, n: raw.size, lowerBound: (t) => raw.lowerBound(t) });
  }
  return encodeSegments(capRuns(runs, maxBytes));
}

/** What an append will write, and how to record that it was written. */
export interface PendingAppend {
  /** Empty when nothing is new. */
  readonly bytes: Uint8Array;
  readonly samples: number;
  /** Call once the bytes are safely in the file: later appends start after them. */
  commit(): void;
}

interface Mark {
  /** Newest persisted time and its value (same-time, other value: persisted again, last wins). */
  readonly t: number;
  readonly v: number;
  readonly kind: SeriesKind;
  readonly shape: string;
  meta: boolean;
}

function shapeOf(info: SeriesInfo): string {
  return `${info.unit}|${info.role ?? ''}`;
}

/**
 * Per-series high-water marks of what this writer has put in the raw log, so each append carries
 * only newer samples. A series' first entry (and any after its unit or role changed, or after
 * `forgetMeta`) carries its meta; the others only its id.
 */
export class RawLogWriter {
  private readonly marks = new Map<string, Mark>();

  /** After a restore: `persisted` (from `restore`) is what the file already holds. */
  adopt(store: MetricStore, persisted: ReadonlyMap<string, { readonly t: number; readonly v: number }>): void {
    this.marks.clear();
    for (const info of store.list()) {
      const p = persisted.get(info.id);
      if (p !== undefined) this.marks.set(info.id, { t: p.t, v: p.v, kind: info.kind, shape: shapeOf(info), meta: false });
    }
  }

  /** The file was replaced: metas written before may be gone, so the next entries carry them again. */
  forgetMeta(): void {
    for (const m of this.marks.values()) m.meta = false;
  }

  /** Everything in the store counts as unwritten (the file was emptied). */
  reset(): void {
    this.marks.clear();
  }

  /** The samples newer than the marks (and tombstones for removed series) as segments. */
  delta(store: MetricStore): PendingAppend {
    const entries: Entry[] = [];
    const next: Array<readonly [string, Mark]> = [];
    const seen = new Set<string>();
    let samples = 0;
    for (const info of store.list()) {
      seen.add(info.id);
      const raw = store.history(info.id)?.raw;
      if (raw === undefined) continue;
      const mark = this.marks.get(info.id);
      const shape = shapeOf(info);
      const reset = mark !== undefined && mark.kind !== info.kind;
      let start = 0;
      if (mark !== undefined && !reset) {
        start = raw.lowerBound(mark.t);
        if (start < raw.size && raw.get(0, start) === mark.t && Object.is(raw.get(1, start), mark.v)) start++;
      }
      const reshaped = mark !== undefined && mark.shape !== shape;
      if (start >= raw.size && !reset && !reshaped) continue;
      const withMeta = mark === undefined || !mark.meta || reset || reshaped;
      entries.push({ flags: (withMeta ? F_META : 0) | (reset ? F_RESET : 0), key: withMeta ? metaKey(info) : utf8.encode(info.id), raw: info.raw, val: info.value, at: info.updatedAt, points: ringPoints(raw), start, end: raw.size });
      samples += raw.size - start;
      const last = raw.size - 1;
      const newest = last >= start ? { t: raw.get(0, last), v: raw.get(1, last) } : { t: mark?.t ?? -Infinity, v: mark?.v ?? NaN };
      next.push([info.id, { ...newest, kind: info.kind, shape, meta: true }]);
    }
    const removed: string[] = [];
    for (const id of this.marks.keys()) {
      if (seen.has(id)) continue;
      removed.push(id);
      entries.push({ flags: F_RESET, key: utf8.encode(id), raw: 0, val: null, at: 0, points: { time: () => 0, value: () => 0 }, start: 0, end: 0 });
    }
    return {
      bytes: entries.length > 0 ? encodeSegments(entries) : new Uint8Array(0),
      samples,
      commit: () => {
        for (const [id, mark] of next) this.marks.set(id, mark);
        for (const id of removed) this.marks.delete(id);
      },
    };
  }

  /** About what a compacted file holding the store's raw tier takes (the compaction yardstick). */
  static snapshotBytes(store: MetricStore): number {
    let total = 0;
    for (const info of store.list()) {
      const n = store.history(info.id)?.raw.size ?? 0;
      if (n > 0) total += ENTRY_FIXED + 2 * info.id.length + 100 + 16 * n;
    }
    return total + (SEGMENT_HEADER + SEGMENT_COUNT_BYTES) * (Math.floor(total / SEGMENT_TARGET_BYTES) + 1);
  }
}

// ------------------------------------------------------------------ reading the log

interface SegmentSpan {
  /** Offset of the segment's header. */
  readonly at: number;
  /** Offset just past its payload. */
  readonly end: number;
}

function magicAt(bytes: Uint8Array, p: number): boolean {
  return bytes[p] === MAGIC_BYTES[0] && bytes[p + 1] === MAGIC_BYTES[1] && bytes[p + 2] === MAGIC_BYTES[2] && bytes[p + 3] === MAGIC_BYTES[3];
}

function nextMagic(bytes: Uint8Array, from: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(MAGIC_BYTES, from);
}

/**
 * The intact segments of this version, in order. Whatever else is there (a torn or interleaved
 * write, garbage, another version) is reported once per damaged stretch and skipped up to the
 * next magic.
 */
function scanSegments(bytes: Uint8Array, maxSegment: number, problems: Problems | undefined): { spans: SegmentSpan[]; damaged: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.byteLength;
  const spans: SegmentSpan[] = [];
  const versions = new Set<number>();
  let damaged = false;
  let p = 0;
  const skip = (problem: string | undefined): void => {
    damaged = true;
    if (problem !== undefined) problems?.add(problem);
    const next = nextMagic(bytes, p + 1);
    p = next < 0 ? len : next;
  };
  while (p < len) {
    if (!magicAt(bytes, p)) {
      const next = nextMagic(bytes, p + 1);
      skip(`raw history has ${(next < 0 ? len : next) - p} unreadable bytes at offset ${p}; skipped`);
      continue;
    }
    if (len - p < SEGMENT_HEADER) {
      skip(`raw history ends with a truncated segment (${len - p} bytes); ignored`);
      continue;
    }
    const version = view.getUint16(p + 4, true);
    if (version !== RAW_VERSION) {
      skip(versions.has(version) ? undefined : `raw history has version ${version}, expected ${RAW_VERSION}; skipped`);
      versions.add(version);
      continue;
    }
    const length = view.getUint32(p + 8, true);
    const end = p + SEGMENT_HEADER + length;
    if (length > maxSegment || end > len) {
      skip(nextMagic(bytes, p + 1) < 0 ? `raw history ends with a truncated segment (${len - p} of ${SEGMENT_HEADER + length} bytes); ignored` : `raw history has a corrupt segment at offset ${p}; skipped`);
      continue;
    }
    const sum = fnv1a(bytes.subarray(p + SEGMENT_HEADER, end), fnv1a(bytes.subarray(p + 4, p + 8 + 4)));
    if (sum !== view.getUint32(p + 12, true)) {
      skip(`raw history has a corrupt segment at offset ${p} (checksum mismatch); skipped`);
      continue;
    }
    spans.push({ at: p, end });
    p = end;
  }
  return { spans, damaged };
}

/** The intact segments of `bytes`, concatenated (what a compaction carries over from a racing append). */
export function intactSegments(bytes: Uint8Array): Uint8Array {
  const { spans } = scanSegments(bytes, bytes.byteLength, undefined);
  const parts = spans.map((s) => bytes.subarray(s.at, s.end));
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Uint8Array.from(Buffer.concat(parts));
}

/** One series as read back from the log: the newest entry's meta and state, its points in time order. */
interface Acc {
  readonly id: string;
  info: Omit<SeriesInfo, 'restored'> | null;
  raw: number;
  val: number | null;
  at: number;
  t: number[];
  v: number[];
}

/**
 * Adds the entries of the segments in `spans` to `accs`. Points outside [from, to] are dropped, and
 * so is a point older than the series' newest (a second window's stream, or a duplicate); one at
 * the same time replaces it (last wins, as in the ring).
 */
function readSegments(bytes: Uint8Array, spans: readonly SegmentSpan[], accs: Map<string, Acc>, from: number, to: number, problems: Problems): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const span of spans) {
    let p = span.at + SEGMENT_HEADER;
    const end = span.end;
    const bad = (why: string): void => problems.add(`raw history segment at offset ${span.at}: ${why}; skipped the rest of it`);
    if (p + SEGMENT_COUNT_BYTES > end) {
      bad('no entry count');
      continue;
    }
    const entries = view.getUint32(p, true);
    p += SEGMENT_COUNT_BYTES;
    for (let e = 0; e < entries; e++) {
      if (p + 5 > end) {
        bad('truncated entry');
        break;
      }
      const flags = bytes[p] ?? 0;
      const keyLen = view.getUint32(p + 1, true);
      if (p + 5 + keyLen + 28 > end) {
        bad('truncated entry');
        break;
      }
      let key: string;
      try {
        key = utf8Decoder.decode(bytes.subarray(p + 5, p + 5 + keyLen));
      } catch {
        bad('key is not UTF-8');
        break;
      }
      p += 5 + keyLen;
      const raw = view.getFloat64(p, true);
      const val = view.getFloat64(p + 8, true);
      const at = view.getFloat64(p + 16, true);
      const n = view.getUint32(p + 24, true);
      p += 28;
      if (p + 16 * n > end) {
        bad('truncated samples');
        break;
      }
      const timesAt = p;
      const valuesAt = p + 8 * n;
      p += 16 * n;
      let info: Omit<SeriesInfo, 'restored'> | null = null;
      let id = key;
      if ((flags & F_META) !== 0) {
        let parsed: Omit<SeriesInfo, 'restored'> | string;
        try {
          parsed = parseMeta(JSON.parse(key) as unknown);
        } catch {
          parsed = 'series meta is not JSON';
        }
        if (typeof parsed === 'string') {
          problems.add(`raw history: ${parsed}; skipped`);
          continue;
        }
        info = parsed;
        id = parsed.id;
      }
      if (!Number.isFinite(raw) || !Number.isFinite(at) || !(Number.isNaN(val) || Number.isFinite(val))) {
        problems.add(`raw history of "${id.slice(0, 80)}" has an invalid state; skipped`);
        continue;
      }
      let acc = accs.get(id);
      if (acc === undefined) {
        acc = { id, info: null, raw, val: null, at, t: [], v: [] };
        accs.set(id, acc);
      }
      if ((flags & F_RESET) !== 0) {
        acc.t = [];
        acc.v = [];
      }
      if (info !== null) acc.info = info;
      acc.raw = raw;
      acc.val = Number.isNaN(val) ? null : val;
      acc.at = at;
      const times = readF64(bytes, timesAt, n);
      const values = readF64(bytes, valuesAt, n);
      let valid = true;
      for (let i = 0; i < n && valid; i++) valid = Number.isFinite(times[i] ?? NaN) && Number.isFinite(values[i] ?? NaN);
      if (!valid) {
        problems.add(`raw history of "${id.slice(0, 80)}" has invalid samples; skipped`);
        continue;
      }
      const { t, v } = acc;
      let newest = t[t.length - 1] ?? -Infinity;
      for (let i = 0; i < n; i++) {
        const time = times[i] ?? NaN;
        if (time < from || time > to || time < newest) continue;
        const value = values[i] ?? NaN;
        if (time === newest) v[v.length - 1] = value;
        else {
          t.push(time);
          v.push(value);
          newest = time;
        }
      }
    }
  }
}

function readLog(bytes: Uint8Array, accs: Map<string, Acc>, from: number, to: number, maxSegment: number, problems: Problems): boolean {
  const { spans, damaged } = scanSegments(bytes, maxSegment, problems);
  readSegments(bytes, spans, accs, from, to, problems);
  return damaged;
}

function arrayRun(entry: Omit<Entry, 'points' | 'start' | 'end'>, t: readonly number[], v: readonly number[]): Run {
  const lowerBound = (key: number): number => {
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((t[mid] ?? Infinity) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { entry: { ...entry, points: { time: (i) => t[i] ?? NaN, value: (i) => v[i] ?? NaN }, start: 0, end: t.length }, n: t.length, lowerBound };
}

/**
 * Compaction: the log `file` followed by `pending` (this writer's unwritten samples), merged per
 * series and rewritten as fresh segments of at most `maxBytes`, points older than the raw window
 * dropped. Other writers' series are kept, removed series are not. Never throws.
 */
export function compactRaw(store: MetricStore, file: Uint8Array, pending: Uint8Array, now: number, maxBytes: number): { bytes: Uint8Array; problems: string[] } {
  const problems = new Problems();
  const accs = new Map<string, Acc>();
  const from = now - store.config.rawWindowMs;
  try {
    readLog(file, accs, from, now, maxBytes, problems);
    readLog(pending, accs, from, now, Infinity, problems);
  } catch (e) {
    problems.add(`raw history could not be read (${String(e)}); compacted what was read`);
  }
  const runs: Run[] = [];
  for (const acc of accs.values()) {
    if (acc.t.length === 0) continue;
    const key = acc.info !== null ? utf8.encode(JSON.stringify(metaOf({ ...acc.info, raw: acc.raw, value: acc.val, updatedAt: acc.at }))) : utf8.encode(acc.id);
    runs.push(arrayRun({ flags: acc.info !== null ? F_META : 0, key, raw: acc.raw, val: acc.val, at: acc.at }, acc.t, acc.v));
  }
  return { bytes: encodeSegments(capRuns(runs, maxBytes)), problems: problems.done() };
}

function restoreRaw(store: MetricStore, raw: Uint8Array, now: number, limits: RestoreLimits, problems: Problems, persisted: Map<string, { t: number; v: number }>): { restored: number; damaged: boolean } {
  if (raw.byteLength === 0) return { restored: 0, damaged: false };
  if (raw.byteLength > limits.maxRawBytes) {
    problems.add(`raw history is oversized (${raw.byteLength} bytes, the limit is ${limits.maxRawBytes}); discarded`);
    return { restored: 0, damaged: true };
  }
  const accs = new Map<string, Acc>();
  const damaged = readLog(raw, accs, now - store.config.rawWindowMs, now, limits.maxRawBytes, problems);
  const bucketMs = store.config.bucketMs;
  let restored = 0;
  let orphans = 0;
  for (const acc of accs.values()) {
    const n = acc.t.length;
    if (n === 0) continue;
    const existing = store.history(acc.id);
    let history = existing;
    if (history === undefined) {
      if (acc.info === null) {
        orphans++;
        continue;
      }
      history = store.restoreSeries({ ...acc.info, raw: acc.raw, value: acc.val, updatedAt: acc.at });
      if (history === undefined) continue;
    } else if (acc.info !== null && acc.info.kind !== history.kind) {
      continue; // the downsampled tier is newer and says otherwise
    }
    const newestRaw = history.newestTime();
    const newestBucket = history.newestBucketIndex();
    for (let i = 0; i < n; i++) {
      const t = acc.t[i] ?? 0;
      const v = acc.v[i] ?? 0;
      if (t < newestRaw) continue;
      // Buckets restored from the compact tier already hold these samples.
      if (Math.floor(t / bucketMs) <= newestBucket) history.addRaw(t, v);
      else history.add(t, v);
    }
    persisted.set(acc.id, { t: acc.t[n - 1] ?? 0, v: acc.v[n - 1] ?? 0 });
    if (existing === undefined) restored++;
  }
  if (orphans > 0) problems.add(`raw history of ${orphans} series has no metadata left; skipped`);
  return { restored, damaged };
}

export interface RestoreResult {
  readonly restoredSeries: number;
  readonly problems: string[];
  /** The raw log had damage or another version: rewrite it whole at the next save. */
  readonly rawDamaged: boolean;
  /** Per series, the newest raw point the log holds (RawLogWriter.adopt). */
  readonly persisted: ReadonlyMap<string, { readonly t: number; readonly v: number }>;
}

/** Restores what it can into `store` (best before any sample arrives). Never throws. */
export function restore(store: MetricStore, compact: unknown, raw: Uint8Array | undefined, now: number, limits: RestoreLimits = DEFAULT_RESTORE_LIMITS): RestoreResult {
  const problems = new Problems();
  const persisted = new Map<string, { t: number; v: number }>();
  let restoredSeries = 0;
  let rawDamaged = false;
  try {
    if (compact !== undefined && compact !== null) restoredSeries += restoreCompact(store, compact, now, limits, problems);
  } catch (e) {
    problems.add(`downsampled history could not be read (${String(e)}); discarded`);
  }
  try {
    if (raw !== undefined) {
      const r = restoreRaw(store, raw, now, limits, problems, persisted);
      restoredSeries += r.restored;
      rawDamaged = r.damaged;
    }
  } catch (e) {
    problems.add(`raw history could not be read (${String(e)}); discarded`);
    rawDamaged = true;
  }
  return { restoredSeries, problems: problems.done(), rawDamaged, persisted };
}
