// Writing the raw tier as an append-only log (persist/segments.ts has the layout): each save appends
// only the samples newer than what that writer already wrote (RawLogWriter), so two windows may append
// to one file; compaction (compactRaw) merges the log and rewrites it, capped like the compact tier.

import type { SeriesKind } from '../../shared/vocabulary';
import type { MetricStore, SeriesInfo } from '../series/store';
import { metaKey } from './meta';
import { Problems } from './problems';
import { ENTRY_FIXED, F_META, F_RESET, RAW_VERSION, SEGMENT_COUNT_BYTES, SEGMENT_HEADER, SEGMENT_TARGET_BYTES, encodeSegments } from './segments';
import type { Entry } from './segments';
import { readLog } from './logRead';
import type { Acc } from './logRead';
import { arrayRun, capRuns, ringPoints } from './runs';
import type { Run } from './runs';

const utf8 = new TextEncoder();

/** The whole raw tier as segments of at most `maxBytes` bytes (none when nothing fits); `version` RAW_VERSION_F64 writes the older layout. */
export function encodeRaw(store: MetricStore, maxBytes: number, version: number = RAW_VERSION): Uint8Array {
  const runs: Run[] = [];
  for (const info of store.list()) {
    const raw = store.history(info.id)?.raw;
    if (raw === undefined || raw.size === 0) continue;
    runs.push({ entry: { flags: F_META, key: metaKey(info), raw: info.raw, val: info.value, at: info.updatedAt, points: ringPoints(raw), start: 0, end: raw.size }, n: raw.size, lowerBound: (t) => raw.lowerBound(t) });
  }
  return encodeCapped(runs, maxBytes, version);
}

/**
 * capRuns' size model counts 16 bytes a sample, an upper bound; packed columns are often much
 * smaller, so while the runs had to be cut and the result leaves room, the model's budget grows by
 * the measured ratio (a few rounds; the result never exceeds `maxBytes`).
 */
function encodeCapped(runs: readonly Run[], maxBytes: number, version: number): Uint8Array {
  let budget = maxBytes;
  let entries = capRuns(runs, budget);
  let bytes = encodeSegments(entries, version);
  for (let round = 0; round < 3 && bytes.byteLength > 0 && bytes.byteLength < 0.9 * maxBytes; round++) {
    const whole = entries.length === runs.filter((r) => r.n > 0).length && entries.every((e) => e.start === 0);
    if (whole) break;
    budget = Math.floor((budget * maxBytes * 0.97) / bytes.byteLength);
    const more = capRuns(runs, budget);
    const encoded = encodeSegments(more, version);
    if (encoded.byteLength > maxBytes) break;
    entries = more;
    bytes = encoded;
  }
  return bytes;
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

  /**
   * About what a compacted file holding the store's raw tier takes (the compaction yardstick), at
   * `bytesPerSample` (packed columns take what the data allows; 16 is the unpacked bound).
   */
  static snapshotBytes(store: MetricStore, bytesPerSample = 16): number {
    let total = 0;
    for (const info of store.list()) {
      const n = store.history(info.id)?.raw.size ?? 0;
      if (n > 0) total += ENTRY_FIXED + 2 * info.id.length + 100 + bytesPerSample * n;
    }
    return total + (SEGMENT_HEADER + SEGMENT_COUNT_BYTES) * (Math.floor(total / SEGMENT_TARGET_BYTES) + 1);
  }
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
    if (acc.n === 0) continue;
    const key = acc.info !== null ? metaKey({ ...acc.info, raw: acc.raw, value: acc.val, updatedAt: acc.at }) : utf8.encode(acc.id);
    runs.push(arrayRun({ flags: acc.info !== null ? F_META : 0, key, raw: acc.raw, val: acc.val, at: acc.at }, Array.from(acc.t.subarray(0, acc.n)), Array.from(acc.v.subarray(0, acc.n))));
  }
  return { bytes: encodeCapped(runs, maxBytes, RAW_VERSION), problems: problems.done() };
}
