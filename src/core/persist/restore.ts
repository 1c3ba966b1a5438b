// Restoring both tiers into the store. Never throws: a wrong version, corrupt, truncated or oversized
// value is reported and discarded, every valid series (and every intact segment) in it is kept, and
// points older than the windows are dropped.

import type { MetricStore } from '../series/store';
import { restoreCompact } from './compact';
import { readLog } from './logRead';
import type { Acc } from './logRead';
import { Problems } from './problems';

export interface RestoreLimits {
  /** Compact values longer than this are refused as oversized. */
  readonly maxCompactChars: number;
  readonly maxRawBytes: number;
}

export const DEFAULT_RESTORE_LIMITS: RestoreLimits = { maxCompactChars: 8 * 1024 * 1024, maxRawBytes: 256 * 1024 * 1024 };

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
    if (compact !== undefined && compact !== null) restoredSeries += restoreCompact(store, compact, now, limits.maxCompactChars, problems);
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

