// The raw log's byte layout: checksummed segments of series entries, written and scanned.

import { writeF64 } from './columns';
import { packColumn } from './packed';
import type { PackedColumn } from './packed';
import type { Problems } from './problems';

export const RAW_MAGIC = 'PLSR';
/** What is written: packed columns (persist/packed.ts). */
export const RAW_VERSION = 3;
/** Version 2 (plain f64 columns) is still read, and written on request (tests). */
export const RAW_VERSION_F64 = 2;
const READABLE_VERSIONS: readonly number[] = [RAW_VERSION_F64, RAW_VERSION];
/** Segments are closed at the first series boundary past this size (damage costs at most about this much). */
export const SEGMENT_TARGET_BYTES = 64 * 1024;

const utf8 = new TextEncoder();
const MAGIC_BYTES = utf8.encode(RAW_MAGIC);
export const SEGMENT_HEADER = 16;
export const SEGMENT_COUNT_BYTES = 4;
/** Version 2: flags u8, key length u32, raw f64, value f64, updatedAt f64, n u32 */
export const ENTRY_FIXED_F64 = 1 + 4 + 24 + 4;
/**
 * Version 3 adds a mode u8 and a byte length u32 to each column. A packed column never exceeds 8 bytes
 * a row, so ENTRY_FIXED + key + 16 × rows bounds an entry of either version (capRuns' size model).
 */
export const ENTRY_FIXED = ENTRY_FIXED_F64 + 2 * 5;
/** The key is the series' meta JSON, not just its id. */
export const F_META = 1;
/** Forget this series' earlier points (its kind changed, or it was removed). */
export const F_RESET = 2;

/** FNV-1a, 32 bits, over `bytes`, continuing from `hash`. */
export function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
  return h >>> 0;
}

export interface PointSource {
  time(i: number): number;
  value(i: number): number;
}

/** One series' part of a segment: rows [start, end) of `points`. */
export interface Entry {
  readonly flags: number;
  readonly key: Uint8Array;
  readonly raw: number;
  readonly val: number | null;
  readonly at: number;
  readonly points: PointSource;
  readonly start: number;
  readonly end: number;
}

/** An entry with its columns packed (version 3), or left for plain f64 writing (version 2). */
interface Encoded {
  readonly e: Entry;
  readonly cols: readonly [PackedColumn, PackedColumn] | null;
}

function encodedBytes({ e, cols }: Encoded): number {
  if (cols === null) return ENTRY_FIXED_F64 + e.key.byteLength + 16 * (e.end - e.start);
  return ENTRY_FIXED + e.key.byteLength + cols[0].bytes.byteLength + cols[1].bytes.byteLength;
}

function packEntry(e: Entry): Encoded {
  const n = e.end - e.start;
  return { e, cols: [packColumn(n, (i) => e.points.time(e.start + i)), packColumn(n, (i) => e.points.value(e.start + i))] };
}

/**
 * Entries as segments: "PLSR", u16 version, u16 0, u32 payload length, u32 FNV-1a of bytes 4–11
 * and the payload; payload: u32 entry count, then per entry: u8 flags, u32 key length, key (meta
 * JSON or series id, UTF-8), f64 raw, f64 value (NaN: none), f64 updatedAt, u32 n, then the
 * columns (all LE): version 2, n f64 times and n f64 values; version 3, per column (times, then
 * values) u8 mode, u32 byte length and the packed bytes (persist/packed.ts). A segment is closed at
 * an entry boundary once SEGMENT_TARGET_BYTES is reached, so damage costs one segment, not the file.
 */
export function encodeSegments(entries: readonly Entry[], version: number = RAW_VERSION): Uint8Array {
  const groups: Encoded[][] = [];
  let current: Encoded[] = [];
  let currentBytes = 0;
  let total = 0;
  for (const entry of entries) {
    const e = version === RAW_VERSION ? packEntry(entry) : { e: entry, cols: null };
    current.push(e);
    currentBytes += encodedBytes(e);
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
    view.setUint16(p + 4, version, true);
    view.setUint16(p + 6, 0, true);
    p += SEGMENT_HEADER;
    view.setUint32(p, group.length, true);
    p += SEGMENT_COUNT_BYTES;
    for (const { e, cols } of group) {
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
      if (cols === null) {
        writeF64(out, p, n, (i) => e.points.time(e.start + i));
        p += 8 * n;
        writeF64(out, p, n, (i) => e.points.value(e.start + i));
        p += 8 * n;
        continue;
      }
      for (const col of cols) {
        out[p] = col.mode;
        view.setUint32(p + 1, col.bytes.byteLength, true);
        out.set(col.bytes, p + 5);
        p += 5 + col.bytes.byteLength;
      }
    }
    view.setUint32(at + 8, p - at - SEGMENT_HEADER, true);
    view.setUint32(at + 12, fnv1a(out.subarray(at + SEGMENT_HEADER, p), fnv1a(out.subarray(at + 4, at + 12))), true);
  }
  return out;
}

export interface SegmentSpan {
  /** Offset of the segment's header. */
  readonly at: number;
  /** Offset just past its payload. */
  readonly end: number;
  readonly version: number;
}

function magicAt(bytes: Uint8Array, p: number): boolean {
  return bytes[p] === MAGIC_BYTES[0] && bytes[p + 1] === MAGIC_BYTES[1] && bytes[p + 2] === MAGIC_BYTES[2] && bytes[p + 3] === MAGIC_BYTES[3];
}

function nextMagic(bytes: Uint8Array, from: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(MAGIC_BYTES, from);
}

/**
 * The intact segments of a readable version, in order. Whatever else is there (a torn or interleaved
 * write, garbage, another version) is reported once per damaged stretch and skipped up to the
 * next magic.
 */
export function scanSegments(bytes: Uint8Array, maxSegment: number, problems: Problems | undefined): { spans: SegmentSpan[]; damaged: boolean } {
  const steps = scanSegmentsInSteps(bytes, maxSegment, problems, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** scanSegments in steps (restoring beside live traffic): yields after each `chunkBytes` or so of checksummed segments. */
export function* scanSegmentsInSteps(bytes: Uint8Array, maxSegment: number, problems: Problems | undefined, chunkBytes: number): Generator<void, { spans: SegmentSpan[]; damaged: boolean }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.byteLength;
  const spans: SegmentSpan[] = [];
  const versions = new Set<number>();
  let damaged = false;
  let p = 0;
  let scanned = 0;
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
    if (!READABLE_VERSIONS.includes(version)) {
      skip(versions.has(version) ? undefined : `raw history has version ${version}, expected ${READABLE_VERSIONS.join(' or ')}; skipped`);
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
    spans.push({ at: p, end, version });
    scanned += end - p;
    p = end;
    if (scanned >= chunkBytes) {
      scanned = 0;
      yield;
    }
  }
  return { spans, damaged };
}

/** The intact segments of `bytes`, concatenated (what a compaction carries over from a racing append). */
export function intactSegments(bytes: Uint8Array): Uint8Array {
  const { spans } = scanSegments(bytes, bytes.byteLength, undefined);
  const parts = spans.map((s) => bytes.subarray(s.at, s.end));
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Uint8Array.from(Buffer.concat(parts));
}
