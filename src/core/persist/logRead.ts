// Reading the raw log back: the entries of its intact segments, merged per series.

import type { SeriesInfo } from '../series/store';
import { readF64 } from './columns';
import { parseMeta } from './meta';
import { unpackInto } from './packed';
import type { Problems } from './problems';
import { F_META, F_RESET, RAW_VERSION_F64, SEGMENT_COUNT_BYTES, SEGMENT_HEADER, scanSegments, scanSegmentsInSteps } from './segments';
import type { SegmentSpan } from './segments';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** One series as read back from the log: the newest entry's meta and state, its points in time order. */
export interface Acc {
  readonly id: string;
  info: Omit<SeriesInfo, 'restored'> | null;
  raw: number;
  val: number | null;
  at: number;
  /** Times and values of the points: the first `n` of each. Typed arrays: megabytes of them stay out of the garbage collector's way. */
  t: Float64Array;
  v: Float64Array;
  n: number;
}

const NONE = new Float64Array(0);

/** Doubles a block holds: a series' first points are slices of one, not two arrays of their own (thousands of small typed arrays cost time to make and collect). */
const BLOCK = 64 * 1024;

/** Hands out slices of blocks; its blocks live as long as the accumulators (one read of a log). */
class Slices {
  private block = NONE;
  private used = 0;

  take(n: number): Float64Array {
    if (n > BLOCK / 8) return new Float64Array(n);
    if (this.used + n > this.block.length) {
      this.block = new Float64Array(BLOCK);
      this.used = 0;
    }
    this.used += n;
    return this.block.subarray(this.used - n, this.used);
  }
}

/** Room for `more` points after acc's `n` (exactly that many for a series' first entry, doubling after). */
function room(acc: Acc, more: number, slices: Slices): void {
  const need = acc.n + more;
  if (need <= acc.t.length) return;
  if (acc.n === 0) {
    acc.t = slices.take(need);
    acc.v = slices.take(need);
    return;
  }
  const capacity = Math.max(need, 2 * acc.t.length);
  const t = new Float64Array(capacity);
  const v = new Float64Array(capacity);
  t.set(acc.t.subarray(0, acc.n));
  v.set(acc.v.subarray(0, acc.n));
  acc.t = t;
  acc.v = v;
}

/**
 * Adds the entries of the segments in `spans` to `accs`. Points outside [from, to] are dropped, and
 * so is a point older than the series' newest (a second window's stream, or a duplicate); one at
 * the same time replaces it (last wins, as in the ring).
 */
function readSegments(bytes: Uint8Array, spans: readonly SegmentSpan[], accs: Map<string, Acc>, from: number, to: number, problems: Problems, slices: Slices): void {
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
      const cols = span.version === RAW_VERSION_F64 ? readPlain(bytes, p, end, n) : readPacked(bytes, view, p, end, n);
      if (cols === 'truncated') {
        bad('truncated samples');
        break;
      }
      p = cols.next;
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
        acc = { id, info: null, raw, val: null, at, t: NONE, v: NONE, n: 0 };
        accs.set(id, acc);
      }
      if ((flags & F_RESET) !== 0) acc.n = 0;
      if (info !== null) acc.info = info;
      acc.raw = raw;
      acc.val = Number.isNaN(val) ? null : val;
      acc.at = at;
      const { times, values } = cols;
      let valid = true;
      for (let i = 0; i < n && valid; i++) valid = Number.isFinite(times?.[i] ?? NaN) && Number.isFinite(values?.[i] ?? NaN);
      if (!valid || times === null || values === null) {
        problems.add(`raw history of "${id.slice(0, 80)}" has invalid samples; skipped`);
        continue;
      }
      room(acc, n, slices);
      const { t, v } = acc;
      let k = acc.n;
      let newest = k > 0 ? (t[k - 1] ?? -Infinity) : -Infinity;
      for (let i = 0; i < n; i++) {
        const time = times[i] ?? NaN;
        if (time < from || time > to || time < newest) continue;
        const value = values[i] ?? NaN;
        if (time === newest) v[k - 1] = value;
        else {
          t[k] = time;
          v[k] = value;
          k++;
          newest = time;
        }
      }
      acc.n = k;
    }
  }
}

interface Columns {
  /** null: the bytes are not n packed numbers. */
  readonly times: Float64Array | null;
  readonly values: Float64Array | null;
  /** Offset just past the columns. */
  readonly next: number;
}

/** Version 2: n f64 times, then n f64 values. */
function readPlain(bytes: Uint8Array, p: number, end: number, n: number): Columns | 'truncated' {
  if (p + 16 * n > end) return 'truncated';
  return { times: readF64(bytes, p, n), values: readF64(bytes, p + 8 * n, n), next: p + 16 * n };
}

/** Entries up to this many samples are unpacked into two arrays kept for the next entry (no allocation per entry). */
const SCRATCH_MAX = 64 * 1024;
const scratch = { times: new Float64Array(256), values: new Float64Array(256) };

function column(which: 'times' | 'values', n: number): Float64Array {
  if (n > SCRATCH_MAX) return new Float64Array(n);
  if (scratch[which].length < n) scratch[which] = new Float64Array(Math.min(SCRATCH_MAX, Math.max(n, 2 * scratch[which].length)));
  return scratch[which];
}

/** Version 3: per column u8 mode, u32 byte length, the packed bytes. Its columns are valid until the next call. */
function readPacked(bytes: Uint8Array, view: DataView, p: number, end: number, n: number): Columns | 'truncated' {
  let times: Float64Array | null = null;
  let values: Float64Array | null = null;
  for (let c = 0; c < 2; c++) {
    if (p + 5 > end) return 'truncated';
    const mode = bytes[p] ?? 0;
    const length = view.getUint32(p + 1, true);
    p += 5;
    if (length > end - p) return 'truncated';
    // Every mode takes at least a byte a number: a bigger n is damage (and must not be allocated).
    if (n <= length) {
      const out = column(c === 0 ? 'times' : 'values', n);
      if (unpackInto(bytes.subarray(p, p + length), mode, n, out)) {
        if (c === 0) times = out;
        else values = out;
      }
    }
    p += length;
  }
  return { times, values, next: p };
}

export function readLog(bytes: Uint8Array, accs: Map<string, Acc>, from: number, to: number, maxSegment: number, problems: Problems): boolean {
  const { spans, damaged } = scanSegments(bytes, maxSegment, problems);
  readSegments(bytes, spans, accs, from, to, problems, new Slices());
  return damaged;
}

/** readLog in steps (restore.ts, restoring beside live traffic): yields after each `chunkBytes` or so of segments. */
export function* readLogInSteps(bytes: Uint8Array, accs: Map<string, Acc>, from: number, to: number, maxSegment: number, problems: Problems, chunkBytes: number): Generator<void, boolean> {
  // Checksumming megabytes is a long task of its own: it yields too.
  const { spans, damaged } = yield* scanSegmentsInSteps(bytes, maxSegment, problems, chunkBytes);
  const slices = new Slices();
  let first = 0;
  let size = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (span === undefined) continue;
    size += span.end - span.at;
    if (size < chunkBytes && i < spans.length - 1) continue;
    readSegments(bytes, spans.slice(first, i + 1), accs, from, to, problems, slices);
    first = i + 1;
    size = 0;
    yield;
  }
  return damaged;
}
