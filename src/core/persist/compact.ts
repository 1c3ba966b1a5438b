// The downsampled tier's encoding (workspace state, a JSON string): per series its meta and its bucket
// columns as base64 of little-endian typed arrays. Capped: the oldest buckets go first (one cut-off
// time for all series), then the least recently updated series.

import { isRecord } from '../../shared/check';
import type { MetricStore, SeriesInfo } from '../series/store';
import { B_COUNT, B_INDEX, B_LAST, B_MAX, B_MIN, B_SUM } from '../series/history';
import type { SeriesHistory } from '../series/history';
import { base64Length, decodeColumn, encodeColumn } from './columns';
import { metaOf, parseMeta } from './meta';
import type { Problems } from './problems';
import { smallestFitting } from './fit';

export const COMPACT_FORMAT = 'pulse-history';
export const COMPACT_VERSION = 1;
export const DEFAULT_COMPACT_BUDGET = 256 * 1024;

const utf8 = new TextEncoder();

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

/** Rows of buckets with from ≤ index < until. */
function rowsOf(c: Candidate, from: number, until: number): { start: number; end: number } {
  const b = c.history.buckets;
  return { start: b.lowerBound(from), end: until === Infinity ? b.size : b.lowerBound(until) };
}

function compactEntry(c: Candidate, from: number, until: number): Record<string, unknown> {
  const b = c.history.buckets;
  const { start, end } = rowsOf(c, from, until);
  const cols = [B_INDEX, B_MIN, B_MAX, B_SUM, B_LAST, B_COUNT].map((col) => {
    const out: number[] = [];
    for (let i = start; i < end; i++) out.push(b.get(col, i));
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

/**
 * The downsampled tier as a JSON string of at most `budgetBytes` UTF-8 bytes. With `openFrom` (a
 * time) the buckets from its bucket on are left out: they are still filling, and a raw log that
 * holds their samples rebuilds them whole on restore (a saved partial bucket would stay partial).
 */
export function encodeCompact(store: MetricStore, budgetBytes: number = DEFAULT_COMPACT_BUDGET, openFrom = Infinity): string {
  const bucketMs = store.config.bucketMs;
  const until = openFrom === Infinity ? Infinity : Math.floor(openFrom / bucketMs);
  const header = (series: readonly unknown[]): string => JSON.stringify({ format: COMPACT_FORMAT, v: COMPACT_VERSION, bucketMs, series });
  const headerBytes = byteLength(header([]));
  let candidates: Candidate[] = [];
  let minIndex = Infinity;
  let maxIndex = -Infinity;
  for (const info of store.list()) {
    const history = store.history(info.id);
    if (history === undefined || history.buckets.size === 0) continue;
    const empty: Candidate = { info, history, metaBytes: 0 };
    const { end } = rowsOf(empty, -Infinity, until);
    if (end === 0) continue;
    const metaBytes = byteLength(JSON.stringify(compactEntry(empty, Infinity, until))) + 1;
    candidates.push({ info, history, metaBytes });
    minIndex = Math.min(minIndex, history.buckets.get(B_INDEX, 0));
    maxIndex = Math.max(maxIndex, history.buckets.get(B_INDEX, end - 1));
  }
  const rows = (c: Candidate, cut: number): number => {
    const { start, end } = rowsOf(c, cut, until);
    return end - start;
  };
  const size = (cut: number, list: readonly Candidate[]): number => {
    let total = headerBytes;
    for (const c of list) {
      const n = rows(c, cut);
      if (n > 0) total += c.metaBytes + compactBucketBytes(n);
    }
    return total;
  };
  let cut = minIndex;
  if (candidates.length > 0) {
    let found = smallestFitting(minIndex, maxIndex, budgetBytes, (x) => size(x, candidates), true);
    // Even one bucket per series is too much: the least recently updated series go.
    if (found === undefined) {
      const kept = candidates.filter((c) => rows(c, maxIndex) > 0).sort(byAge);
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
  for (const c of candidates) if (rows(c, cut) > 0) entries.push(compactEntry(c, cut, until));
  let text = header(entries);
  // The size model is exact; this only guards against it ever being wrong.
  while (byteLength(text) > budgetBytes && entries.length > 0) {
    entries.shift();
    text = header(entries);
  }
  return byteLength(text) <= budgetBytes ? text : '';
}

/** Adds the downsampled tier in `compact` (the JSON string, or its parsed value) to `store`; returns the series restored. */
export function restoreCompact(store: MetricStore, compact: unknown, now: number, maxChars: number, problems: Problems): number {
  let value: unknown = compact;
  if (typeof compact === 'string') {
    if (compact.length === 0) return 0;
    if (compact.length > maxChars) {
      problems.add(`downsampled history is oversized (${compact.length} characters, the limit is ${maxChars}); discarded`);
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
