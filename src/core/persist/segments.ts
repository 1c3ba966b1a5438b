// The raw log's byte layout: checksummed segments of series entries, written and scanned.

import { writeF64 } from './columns';
import type { Problems } from './problems';

export const RAW_MAGIC = 'PLSR';
export const RAW_VERSION = 2;
/** Segments are closed at the first series boundary past this size. */
export const SEGMENT_TARGET_BYTES = 256 * 1024;

const utf8 = new TextEncoder();
const MAGIC_BYTES = utf8.encode(RAW_MAGIC);
export const SEGMENT_HEADER = 16;
export const SEGMENT_COUNT_BYTES = 4;
/** flags u8, key length u32, raw f64, value f64, updatedAt f64, n u32 */
export const ENTRY_FIXED = 1 + 4 + 24 + 4;
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

function entryBytes(e: Entry): number {
  return ENTRY_FIXED + e.key.byteLength + 16 * (e.end - e.start);
}

/**
 * Entries as segments: "PLSR", u16 version, u16 0, u32 payload length, u32 FNV-1a of bytes 4–11
 * and the payload; payload: u32 entry count, then per entry: u8 flags, u32 key length, key (meta
 * JSON or series id, UTF-8), f64 raw, f64 value (NaN: none), f64 updatedAt, u32 n, n f64 times,
 * n f64 values (all LE). A segment is closed at an entry boundary once SEGMENT_TARGET_BYTES is
 * reached, so damage costs one segment, not the file.
 */
export function encodeSegments(entries: readonly Entry[]): Uint8Array {
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

export interface SegmentSpan {
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
export function scanSegments(bytes: Uint8Array, maxSegment: number, problems: Problems | undefined): { spans: SegmentSpan[]; damaged: boolean } {
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
