// Reading the raw log back: the entries of its intact segments, merged per series.

import type { SeriesInfo } from '../series/store';
import { readF64 } from './columns';
import { parseMeta } from './meta';
import { unpackColumn } from './packed';
import type { Problems } from './problems';
import { F_META, F_RESET, RAW_VERSION_F64, SEGMENT_COUNT_BYTES, SEGMENT_HEADER, scanSegments } from './segments';
import type { SegmentSpan } from './segments';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** One series as read back from the log: the newest entry's meta and state, its points in time order. */
export interface Acc {
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
      const { times, values } = cols;
      let valid = true;
      for (let i = 0; i < n && valid; i++) valid = Number.isFinite(times?.[i] ?? NaN) && Number.isFinite(values?.[i] ?? NaN);
      if (!valid || times === null || values === null) {
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

/** Version 3: per column u8 mode, u32 byte length, the packed bytes. */
function readPacked(bytes: Uint8Array, view: DataView, p: number, end: number, n: number): Columns | 'truncated' {
  const out: Array<Float64Array | null> = [];
  for (let c = 0; c < 2; c++) {
    if (p + 5 > end) return 'truncated';
    const mode = bytes[p] ?? 0;
    const length = view.getUint32(p + 1, true);
    p += 5;
    if (length > end - p) return 'truncated';
    out.push(unpackColumn(bytes.subarray(p, p + length), mode, n));
    p += length;
  }
  return { times: out[0] ?? null, values: out[1] ?? null, next: p };
}

export function readLog(bytes: Uint8Array, accs: Map<string, Acc>, from: number, to: number, maxSegment: number, problems: Problems): boolean {
  const { spans, damaged } = scanSegments(bytes, maxSegment, problems);
  readSegments(bytes, spans, accs, from, to, problems);
  return damaged;
}

/** readLog in steps (restore.ts, restoring beside live traffic): yields after each `chunkBytes` or so of segments. */
export function* readLogInSteps(bytes: Uint8Array, accs: Map<string, Acc>, from: number, to: number, maxSegment: number, problems: Problems, chunkBytes: number): Generator<void, boolean> {
  const { spans, damaged } = scanSegments(bytes, maxSegment, problems);
  let first = 0;
  let size = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (span === undefined) continue;
    size += span.end - span.at;
    if (size < chunkBytes && i < spans.length - 1) continue;
    readSegments(bytes, spans.slice(first, i + 1), accs, from, to, problems);
    first = i + 1;
    size = 0;
    yield;
  }
  return damaged;
}
