// Restoring both tiers into the store. Never throws: a wrong version, corrupt, truncated or oversized
// value is reported and discarded, every valid series (and every intact segment) in it is kept, and
// points older than the windows are dropped.

import { MetricStore } from '../series/store';
import { restoreCompact } from './compact';
import { readLogInSteps } from './logRead';
import type { Acc } from './logRead';
import { Problems } from './problems';

export interface RestoreLimits {
  /** Compact values longer than this are refused as oversized. */
  readonly maxCompactChars: number;
  readonly maxRawBytes: number;
}

export const DEFAULT_RESTORE_LIMITS: RestoreLimits = { maxCompactChars: 8 * 1024 * 1024, maxRawBytes: 256 * 1024 * 1024 };

/** Bytes of the raw log read between two pauses of restoreInChunks. */
const READ_CHUNK_BYTES = 64 * 1024;

/** The raw log read back per series (yielding between stretches of it), or null when there is nothing to restore. */
function* readRaw(store: MetricStore, raw: Uint8Array, now: number, limits: RestoreLimits, problems: Problems, chunkBytes: number): Generator<void, { accs: Map<string, Acc>; damaged: boolean } | null> {
  if (raw.byteLength === 0) return null;
  if (raw.byteLength > limits.maxRawBytes) {
    problems.add(`raw history is oversized (${raw.byteLength} bytes, the limit is ${limits.maxRawBytes}); discarded`);
    return { accs: new Map(), damaged: true };
  }
  const accs = new Map<string, Acc>();
  const damaged = yield* readLogInSteps(raw, accs, now - store.config.rawWindowMs, now, limits.maxRawBytes, problems, chunkBytes);
  return { accs, damaged };
}

/** Distinct buckets among the first n times of `t` (ascending) after bucket index `after`. */
function bucketsAfter(t: Float64Array, n: number, bucketMs: number, after: number): number {
  let count = 0;
  let last = Number.isNaN(after) ? -Infinity : after;
  for (let i = 0; i < n; i++) {
    const index = Math.floor((t[i] ?? 0) / bucketMs);
    if (index > last) {
      count++;
      last = index;
    }
  }
  return count;
}

/** Adds one series' raw points to `store`: 'new' when it created the series, 'orphan' when it had no metadata. */
function applyRaw(store: MetricStore, acc: Acc, persisted: Map<string, { t: number; v: number }>): 'new' | 'added' | 'orphan' | 'skipped' {
  const n = acc.n;
  if (n === 0) return 'skipped';
  const existing = store.history(acc.id);
  const bucketMs = store.config.bucketMs;
  let history = existing;
  if (history === undefined) {
    if (acc.info === null) return 'orphan';
    // Sized for what comes: growing the rings point by point would reallocate each a few times.
    history = store.restoreSeries({ ...acc.info, raw: acc.raw, value: acc.val, updatedAt: acc.at }, { raw: n, buckets: bucketsAfter(acc.t, n, bucketMs, -Infinity) });
    if (history === undefined) return 'skipped';
  } else if (acc.info !== null && acc.info.kind !== history.kind) {
    return 'skipped'; // the downsampled tier is newer and says otherwise
  } else {
    // The log is appended every save, the downsampled tier written every few minutes: its state may be newer.
    if (acc.info !== null) store.refreshRestored({ ...acc.info, raw: acc.raw, value: acc.val, updatedAt: acc.at });
    history.reserve(n, bucketsAfter(acc.t, n, bucketMs, history.newestBucketIndex()));
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
  return existing === undefined ? 'new' : 'added';
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
  const steps = restoring(store, compact, raw, now, limits, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Series handled between two pauses of restoreInChunks. */
export const RESTORE_CHUNK = 100;

/**
 * Restores while samples keep arriving: into a store of its own, `chunk` series at a time with a
 * `pause` (a turn of the event loop) between chunks, then each restored series is merged into
 * `store` (MetricStore.adoptRestored: live samples received meanwhile are kept). Never throws.
 */
export async function restoreInChunks(store: MetricStore, compact: unknown, raw: Uint8Array | undefined, now: number, pause: () => Promise<void>, chunk = RESTORE_CHUNK, limits: RestoreLimits = DEFAULT_RESTORE_LIMITS): Promise<RestoreResult> {
  const staging = new MetricStore(store.config);
  const steps = restoring(staging, compact, raw, now, limits, chunk);
  let result: RestoreResult;
  for (;;) {
    const step = steps.next();
    if (step.done === true) {
      result = step.value;
      break;
    }
    await pause();
  }
  let n = 0;
  let adopted = 0;
  for (const info of staging.list()) {
    const history = staging.history(info.id);
    if (history !== undefined && store.adoptRestored(info, history)) adopted++;
    // A merge is cheap (no copy) unless live points arrived: bigger chunks.
    if (++n % (chunk * 10) === 0) await pause();
  }
  const refused = n - adopted;
  const problems = refused > 0 ? [...result.problems, `${refused} series could not be merged with live ones; skipped`] : result.problems;
  return { ...result, restoredSeries: Math.min(result.restoredSeries, adopted), problems };
}

/** Both tiers into `store`, yielding after every `chunk` series. */
function* restoring(store: MetricStore, compact: unknown, raw: Uint8Array | undefined, now: number, limits: RestoreLimits, chunk: number): Generator<void, RestoreResult> {
  const problems = new Problems();
  const persisted = new Map<string, { t: number; v: number }>();
  let restoredSeries = 0;
  let rawDamaged = false;
  try {
    if (compact !== undefined && compact !== null) restoredSeries += restoreCompact(store, compact, now, limits.maxCompactChars, problems);
  } catch (e) {
    problems.add(`downsampled history could not be read (${String(e)}); discarded`);
  }
  let orphans = 0;
  try {
    const read = raw === undefined ? null : yield* readRaw(store, raw, now, limits, problems, chunk === Infinity ? Infinity : READ_CHUNK_BYTES);
    if (read !== null) {
      rawDamaged = read.damaged;
      let n = 0;
      for (const acc of read.accs.values()) {
        const outcome = applyRaw(store, acc, persisted);
        if (outcome === 'new') restoredSeries++;
        else if (outcome === 'orphan') orphans++;
        if (++n % chunk === 0) yield;
      }
    }
  } catch (e) {
    problems.add(`raw history could not be read (${String(e)}); discarded`);
    rawDamaged = true;
  }
  if (orphans > 0) problems.add(`raw history of ${orphans} series has no metadata left; skipped`);
  return { restoredSeries, problems: problems.done(), rawDamaged, persisted };
}
