// History across reloads, in two versioned encodings:
//  - compact (workspace state, a JSON string): the downsampled tier. Per series its meta and the
//    bucket columns as base64 of little-endian typed arrays. Capped: the oldest buckets go first
//    (one cut-off time for all series), then the least recently updated series.
//  - raw (a file): the raw tier as a binary blob. "PLSR", u16 version, u16 0, u32 series count, then
//    per series: u32 meta length, meta JSON (UTF-8), u32 n, n f64 times, n f64 values (all LE).
//    Capped the same way.
// Restoring never throws: a wrong version, corrupt, truncated or oversized value is reported and
// discarded, every valid series in it is kept, and points older than the windows are dropped.

import type { Labels, Role, SeriesKind, Unit } from './model';
import type { MetricStore, SeriesInfo } from './store';
import { seriesId } from './store';
import { isRole } from './glob';
import { B_COUNT, B_INDEX, B_LAST, B_MAX, B_MIN, B_SUM } from './history';
import type { SeriesHistory } from './history';

export const COMPACT_FORMAT = 'pulse-history';
export const COMPACT_VERSION = 1;
export const RAW_MAGIC = 'PLSR';
export const RAW_VERSION = 1;
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

// ------------------------------------------------------------------ raw tier

/** The raw tier as a binary blob of at most `maxBytes` bytes (empty series list when nothing fits). */
export function encodeRaw(store: MetricStore, maxBytes: number): Uint8Array {
  const headerBytes = 12;
  let candidates: Array<Candidate & { meta: Uint8Array }> = [];
  let minT = Infinity;
  let maxT = -Infinity;
  for (const info of store.list()) {
    const history = store.history(info.id);
    if (history === undefined || history.raw.size === 0) continue;
    const meta = utf8.encode(JSON.stringify(metaOf(info)));
    candidates.push({ info, history, metaBytes: 8 + meta.byteLength, meta });
    minT = Math.min(minT, history.raw.get(0, 0));
    maxT = Math.max(maxT, history.newestTime());
  }
  const count = (c: Candidate, cut: number): number => c.history.raw.size - c.history.raw.lowerBound(cut);
  const size = (cut: number, list: readonly Candidate[]): number => {
    let total = headerBytes;
    for (const c of list) {
      const n = count(c, cut);
      if (n > 0) total += c.metaBytes + 16 * n;
    }
    return total;
  };
  let cut = minT;
  if (candidates.length > 0) {
    let found = smallestFitting(minT, maxT, maxBytes, (x) => size(x, candidates), false);
    if (found === undefined) {
      const kept = candidates.filter((c) => c.history.newestTime() >= maxT).sort(byAge);
      let total = size(maxT, kept);
      while (kept.length > 0 && total > maxBytes) {
        const gone = kept.shift();
        if (gone !== undefined) total -= gone.metaBytes + 16 * count(gone, maxT);
      }
      candidates = kept;
      found = maxT;
    }
    cut = found;
  }
  const included = candidates.filter((c) => count(c, cut) > 0);
  const out = new Uint8Array(size(cut, included));
  const view = new DataView(out.buffer);
  out.set(utf8.encode(RAW_MAGIC), 0);
  view.setUint16(4, RAW_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, included.length, true);
  let p = headerBytes;
  for (const c of included) {
    view.setUint32(p, c.meta.byteLength, true);
    out.set(c.meta, p + 4);
    p += 4 + c.meta.byteLength;
    const raw = c.history.raw;
    const start = raw.lowerBound(cut);
    const n = raw.size - start;
    view.setUint32(p, n, true);
    p += 4;
    for (let i = 0; i < n; i++) view.setFloat64(p + 8 * i, raw.get(0, start + i), true);
    p += 8 * n;
    for (let i = 0; i < n; i++) view.setFloat64(p + 8 * i, raw.get(1, start + i), true);
    p += 8 * n;
  }
  return out;
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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** n little-endian f64 at `offset` (any alignment). */
function readF64(bytes: Uint8Array, offset: number, n: number): Float64Array {
  const copy = bytes.slice(offset, offset + 8 * n); // aligned, owned
  if (LITTLE_ENDIAN) return new Float64Array(copy.buffer, 0, n);
  const view = new DataView(copy.buffer);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

function restoreRaw(store: MetricStore, raw: Uint8Array, now: number, limits: RestoreLimits, problems: Problems): number {
  if (raw.byteLength === 0) return 0;
  if (raw.byteLength > limits.maxRawBytes) {
    problems.add(`raw history is oversized (${raw.byteLength} bytes, the limit is ${limits.maxRawBytes}); discarded`);
    return 0;
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < 12 || String.fromCharCode(raw[0] ?? 0, raw[1] ?? 0, raw[2] ?? 0, raw[3] ?? 0) !== RAW_MAGIC) {
    problems.add('raw history is not in a known format; discarded');
    return 0;
  }
  const version = view.getUint16(4, true);
  if (version !== RAW_VERSION) {
    problems.add(`raw history has version ${version}, expected ${RAW_VERSION}; discarded`);
    return 0;
  }
  const declared = view.getUint32(8, true);
  const from = now - store.config.rawWindowMs;
  let p = 12;
  let restored = 0;
  let broken = false;
  for (let s = 0; s < declared && !broken; s++) {
    if (p + 4 > raw.byteLength) {
      problems.add(`raw history is truncated after ${s} of ${declared} series; kept what was complete`);
      broken = true;
      break;
    }
    const metaLen = view.getUint32(p, true);
    if (p + 4 + metaLen + 4 > raw.byteLength) {
      problems.add(`raw history is truncated after ${s} of ${declared} series; kept what was complete`);
      broken = true;
      break;
    }
    let meta: unknown;
    try {
      meta = JSON.parse(utf8Decoder.decode(raw.subarray(p + 4, p + 4 + metaLen))) as unknown;
    } catch {
      problems.add(`raw history is corrupt at series ${s + 1}; kept the ${s} before`);
      broken = true;
      break;
    }
    p += 4 + metaLen;
    const n = view.getUint32(p, true);
    p += 4;
    if (p + 16 * n > raw.byteLength) {
      problems.add(`raw history is truncated after ${s} of ${declared} series; kept what was complete`);
      broken = true;
      break;
    }
    const timesAt = p;
    const valuesAt = p + 8 * n;
    p += 16 * n;
    const info = parseMeta(meta);
    if (typeof info === 'string') {
      problems.add(`raw history: ${info}; skipped`);
      continue;
    }
    const times = readF64(raw, timesAt, n);
    const values = readF64(raw, valuesAt, n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const t = times[i] ?? NaN;
      if (!Number.isFinite(t) || !Number.isFinite(values[i] ?? NaN) || (i > 0 && t < (times[i - 1] ?? NaN))) ok = false;
    }
    if (!ok) {
      problems.add(`raw history of "${info.name.slice(0, 80)}" has invalid samples; skipped`);
      continue;
    }
    let first = 0;
    while (first < n && (times[first] ?? 0) < from) first++;
    let last = n;
    while (last > first && (times[last - 1] ?? 0) > now) last--;
    if (last <= first) continue;
    const existing = store.history(info.id);
    const history = existing ?? store.restoreSeries(info);
    if (history === undefined) continue;
    const newestRaw = history.newestTime();
    for (let i = first; i < last; i++) {
      const t = times[i] ?? 0;
      const v = values[i] ?? 0;
      if (Number.isFinite(newestRaw) && t <= newestRaw) continue;
      // Buckets restored from the compact tier already hold these samples.
      const bucketed = Math.floor(t / store.config.bucketMs) <= history.newestBucketIndex();
      if (bucketed) history.addRaw(t, v);
      else history.add(t, v);
    }
    if (existing === undefined) restored++;
  }
  if (!broken && p < raw.byteLength) problems.add('raw history has trailing bytes; ignored');
  return restored;
}

/** Restores what it can into `store` (best before any sample arrives). Never throws. */
export function restore(
  store: MetricStore,
  compact: unknown,
  raw: Uint8Array | undefined,
  now: number,
  limits: RestoreLimits = DEFAULT_RESTORE_LIMITS,
): { restoredSeries: number; problems: string[] } {
  const problems = new Problems();
  let restoredSeries = 0;
  try {
    if (compact !== undefined && compact !== null) restoredSeries += restoreCompact(store, compact, now, limits, problems);
  } catch (e) {
    problems.add(`downsampled history could not be read (${String(e)}); discarded`);
  }
  try {
    if (raw !== undefined) restoredSeries += restoreRaw(store, raw, now, limits, problems);
  } catch (e) {
    problems.add(`raw history could not be read (${String(e)}); discarded`);
  }
  return { restoredSeries, problems: problems.done() };
}
