// Keeps history, alert decisions and threshold overrides across reloads. VS Code rewrites an
// extension's whole workspace-state object on every update (microsoft/vscode#163446), so only the
// compact part goes there (capped, and only when it changed, and with a raw log only every few
// minutes: see compactEveryMs); the raw tier goes to a log file in the workspace storage folder that
// each save appends the new samples to, packed (core/persist/segments.ts has the format).
// The log is compacted (merged, rewritten, renamed over) when it has grown well past what the raw
// window needs, after damage or a version change was found, and on clear. Every write to the log
// (append or compaction) holds a lock file, so two windows' compactions never rename over each
// other's appends. Writes are debounced (at most every 5 s) and flushed on deactivate. Temporary
// files are removed when a write fails, and stale ones (of a dead window) on load. No VS Code import.

import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile, appendFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Disposable, Logger } from '../../core/model';
import type { Pipeline } from '../../core/pipeline';
import type { AnnotationLog } from '../../core/devloop/annotations';
import { AlertBook } from '../../core/rules/alerts';
import type { PendingAppend, RawLogWriter } from '../../core/persist/rawLog';
import type * as HistoryCodec from './historyCodec';
import { parseOverrides } from '../../core/rules/thresholds';
import { acquireLock, processAlive } from './fileLock';

/** The part of vscode.Memento used here. */
export interface StateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export const KEYS = {
  history: 'pulse.history',
  alerts: 'pulse.alerts',
  overrides: 'pulse.overrides',
  annotations: 'pulse.annotations',
  disabled: 'pulse.disabledSources',
  confirmed: 'pulse.confirmedRemoteUrls',
  decisionsAt: 'pulse.decisionsSavedAt',
} as const;

export const SAVE_INTERVAL_MS = 5000;
/**
 * Alert decisions and threshold overrides are also kept in a file next to the raw history: a window
 * reloaded right after a click may not have flushed its workspace state yet, the file is written at once.
 */
export const DECISIONS_FILE = 'decisions.json';
/**
 * The downsampled tier changes on every save while data flows, and VS Code rewrites the whole
 * workspace-state object on each update; restore rebuilds recent buckets from the raw file anyway.
 * Without a raw log (no folder, or its last write failed) it is written at this interval.
 */
export const COMPACT_INTERVAL_MS = 60_000;
/** With a working raw log: at most this often, and at least three times per raw window (the log covers the gap). */
export const COMPACT_WITH_RAW_INTERVAL_MS = 5 * 60_000;

/** How often the downsampled tier is written while the raw log holds the samples since the last time. */
export function compactEveryMs(rawWindowMs: number): number {
  return Math.max(SAVE_INTERVAL_MS, Math.min(COMPACT_WITH_RAW_INTERVAL_MS, rawWindowMs / 3));
}
/** Workspace-state budget for the downsampled tier; the rest of Pulse's state is small and bounded. */
export const COMPACT_BUDGET_BYTES = 200 * 1024;
export const RAW_FILE = 'history-raw.bin';
/** Held (created exclusively) by the window writing the raw log. */
export const RAW_LOCK_FILE = `${RAW_FILE}.lock`;
/**
 * `<file>.<pid>.<n>.tmp` (a write-then-rename; earlier versions wrote `<raw file>.<pid>.tmp`) and
 * `<lock>.<pid>.<n>.stale` (a lock being broken).
 */
const TEMP_NAME = /^(?:decisions\.json|history-raw\.bin|history-raw\.bin\.lock)\.(\d+)(?:\.\d+)?\.(?:tmp|stale)$/;
/** A temporary file this old is stale even if a process with its pid runs (writes take milliseconds). */
export const STALE_TEMP_MS = 10 * 60_000;
/** A load refuses a bigger raw file. */
export const RAW_MAX_BYTES = 64 * 1024 * 1024;
/** A compaction leaves at most this, so appends (this window's and others') have room below the cap. */
export const RAW_COMPACTED_MAX_BYTES = RAW_MAX_BYTES / 2;
/** The log is compacted once it would grow past this many times what the raw window needs… */
export const RAW_GROWTH_FACTOR = 2;
/** …but not while it is this small, and always before it reaches RAW_COMPACT_AT_MOST_BYTES. */
export const RAW_COMPACT_FLOOR_BYTES = 64 * 1024;
export const RAW_COMPACT_AT_MOST_BYTES = (RAW_MAX_BYTES * 3) / 4;

export interface StorageDeps {
  readonly state: StateStore;
  /** The per-workspace storage folder (context.storageUri.fsPath); undefined with no folder open. */
  readonly folder: string | undefined;
  readonly pipeline: Pipeline;
  readonly annotations?: AnnotationLog;
  readonly log: Logger;
  readonly now?: () => number;
  /** RAW_GROWTH_FACTOR unless given (stress tests lower it to compact at nearly every save). */
  readonly rawGrowthFactor?: number;
}

/** What the last save wrote: workspace-state characters of the history, bytes appended to the raw log, bytes of a compaction. */
export interface WriteStats {
  readonly compact: number;
  readonly raw: number;
  readonly rewritten: number;
}

type Rewrite = 'merge' | 'fresh';

function fileIdOf(s: { dev: number; ino: number }): string {
  return `${s.dev}:${s.ino}`;
}

let codecModule: typeof HistoryCodec | undefined;

/** The history formats are a bundle of their own (dist/history.js), loaded when there is history to restore or save. */
function codec(): typeof HistoryCodec {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load on purpose
  codecModule ??= require('./historyCodec.js') as typeof HistoryCodec;
  return codecModule;
}

async function readFully(handle: FileHandle, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    const { bytesRead } = await handle.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0) throw new Error(`${into.byteLength - done} bytes short of the expected size`);
    done += bytesRead;
  }
}

export class HistoryStorage implements Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSave = 0;
  private saving: Promise<void> | undefined;
  private dirty = false;
  private writerInstance: RawLogWriter | undefined;
  /** Settles when load() has ended. */
  private loaded: Promise<unknown> = Promise.resolve();
  /** Device and inode of the raw log as last written or read; another value means another window replaced it. */
  private fileId: string | undefined;
  /** Size of the log after the last compaction this window saw. */
  private compactedBytes = 0;
  /** The next save rewrites the log: merging its intact segments, or from this window's store alone. */
  private rewrite: Rewrite | undefined;
  private lastCompact = -Infinity;
  /** The last raw-log write succeeded: the downsampled tier may wait (compactEveryMs). */
  private rawSaved = false;
  /** Bytes an appended sample took, as measured (the compaction yardstick; 16 until an append says). */
  private bytesPerSample = 16;
  private tmpCounter = 0;
  /** JSON of what each state key holds, so unchanged values are not written again. */
  private readonly stateJson = new Map<string, string>();
  /** Bytes written by the last save (for the log and the persistence benchmark). */
  lastWrite: WriteStats = { compact: 0, raw: 0, rewritten: 0 };

  constructor(private readonly deps: StorageDeps) {}

  private get writer(): RawLogWriter {
    this.writerInstance ??= new (codec().RawLogWriter)();
    return this.writerInstance;
  }

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Restores everything it can; each problem is reported, nothing throws. Saves wait for it. */
  load(): Promise<string[]> {
    const loading = this.loadNow();
    this.loaded = loading;
    return loading;
  }

  private async loadNow(): Promise<string[]> {
    const { state, pipeline, log } = this.deps;
    const problems: string[] = [];
    let raw: Uint8Array | undefined;
    if (this.deps.folder) {
      await this.removeStaleTemps(this.deps.folder);
      const file = join(this.deps.folder, RAW_FILE);
      // A read under the lock never sees a half-written append; without it (a hung window) it still reads.
      const lock = await acquireLock(join(this.deps.folder, RAW_LOCK_FILE), { waitMs: 2000 }).catch(() => undefined);
      try {
        const info = await stat(file);
        this.fileId = fileIdOf(info);
        if (info.size > RAW_MAX_BYTES) {
          problems.push(`Saved raw history is ${Math.round(info.size / 1048576)} MiB, over the ${RAW_MAX_BYTES / 1048576} MiB cap; discarded`);
          this.rewrite = 'fresh';
        } else raw = new Uint8Array(await readFile(file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`Could not read saved raw history: ${String(e)}`);
      } finally {
        await lock?.release();
      }
    }
    const compact = state.get(KEYS.history);
    // Nothing saved: the formats are not loaded (activation stays light); the first save loads them.
    const restoredSeries = raw !== undefined || compact !== undefined ? await this.restoreHistory(compact, raw, problems) : 0;
    for (const key of [KEYS.history, KEYS.alerts, KEYS.overrides, KEYS.annotations]) this.stateJson.set(key, JSON.stringify(state.get(key)) ?? '');
    let decisions: { alerts: unknown; overrides: unknown } = { alerts: state.get(KEYS.alerts), overrides: state.get(KEYS.overrides) };
    const fromFile = await this.readDecisions(problems);
    const stateAt = state.get(KEYS.decisionsAt);
    if (fromFile && fromFile.savedAt > (typeof stateAt === 'number' ? stateAt : -Infinity)) decisions = fromFile;
    const alerts = AlertBook.restore(decisions.alerts, this.now);
    problems.push(...alerts.problems.map((p) => `Saved alerts: ${p}`));
    pipeline.restoreAlerts(alerts.book);
    const overrides = parseOverrides(decisions.overrides);
    problems.push(...overrides.problems.map((p) => `Saved threshold overrides: ${p}`));
    pipeline.setOverrides(overrides.overrides);
    if (this.deps.annotations) {
      const a = this.deps.annotations.restoreFrom(state.get(KEYS.annotations));
      problems.push(...a.map((p) => `Saved annotations: ${p}`));
    }
    // Logged once everything is back (alert decisions too): tests and users read it as "the restore is done".
    if (restoredSeries > 0) log.info(`Restored history of ${restoredSeries} series`);
    for (const p of problems) log.warn(p);
    return problems;
  }

  /** Returns how many series it restored. */
  private async restoreHistory(compact: unknown, raw: Uint8Array | undefined, problems: string[]): Promise<number> {
    const { pipeline } = this.deps;
    try {
      // In chunks, one turn of the event loop apart: sources connect and samples arrive meanwhile.
      const restored = await codec().restoreInChunks(pipeline.store, compact, raw, this.now, () => new Promise<void>((resolve) => setImmediate(resolve)));
      problems.push(...restored.problems.map((p) => `Saved history: ${p}`));
      this.writer.adopt(pipeline.store, restored.persisted);
      if (restored.rawDamaged) this.rewrite ??= 'merge';
      return restored.restoredSeries;
    } catch (e) {
      problems.push(`Saved history could not be restored and was discarded: ${String(e)}`);
      this.rewrite = 'fresh';
      return 0;
    }
  }

  /** Something worth keeping changed: save within SAVE_INTERVAL_MS, never more often. */
  markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSave + SAVE_INTERVAL_MS - this.now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.saveIfDirty();
    }, wait);
  }

  /**
   * The user's decisions (dismiss, acknowledge, snooze, threshold overrides) are written at once: they
   * are small, and a reload right after a click must not lose them.
   */
  async saveDecisions(): Promise<void> {
    try {
      const alerts = this.deps.pipeline.alerts.serialize();
      const overrides = Object.fromEntries(this.deps.pipeline.overridesSnapshot());
      const savedAt = this.now;
      await this.writeDecisionsFile({ version: 1, savedAt, alerts, overrides });
      await this.update(KEYS.alerts, alerts);
      await this.update(KEYS.overrides, overrides);
      await this.deps.state.update(KEYS.decisionsAt, savedAt);
    } catch (e) {
      this.deps.log.error(`Could not save alert and threshold decisions: ${String(e)}`);
    }
  }

  private async writeDecisionsFile(content: { version: 1; savedAt: number; alerts: unknown; overrides: unknown }): Promise<void> {
    const folder = this.deps.folder;
    if (!folder) return;
    await mkdir(folder, { recursive: true });
    const file = join(folder, DECISIONS_FILE);
    await this.replaceFile(file, JSON.stringify(content));
  }

  /** Write-then-rename; the temporary file is removed if either fails (a full disk must not collect them). */
  private async replaceFile(file: string, content: string | Uint8Array): Promise<void> {
    const tmp = `${file}.${process.pid}.${++this.tmpCounter}.tmp`;
    try {
      await writeFile(tmp, content);
      await rename(tmp, file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /** Temporary files of our own patterns left by a window that died (or failed to clean up long ago). */
  private async removeStaleTemps(folder: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      const pid = Number(TEMP_NAME.exec(name)?.[1] ?? NaN);
      if (Number.isNaN(pid)) continue;
      const path = join(folder, name);
      try {
        // Another live window may be writing this one right now.
        if (processAlive(pid) && now - (await stat(path)).mtimeMs < STALE_TEMP_MS) continue;
        await unlink(path);
      } catch {
        // Gone already, or not ours to remove.
      }
    }
  }

  private async readDecisions(problems: string[]): Promise<{ savedAt: number; alerts: unknown; overrides: unknown } | undefined> {
    if (!this.deps.folder) return undefined;
    let text: string;
    try {
      const file = join(this.deps.folder, DECISIONS_FILE);
      if ((await stat(file)).size > 4 * 1024 * 1024) {
        problems.push('Saved alert decisions file is over 4 MiB; ignored');
        return undefined;
      }
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`Could not read saved alert decisions: ${String(e)}`);
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 1) throw new Error('unknown version');
      const v = value as { savedAt?: unknown; alerts?: unknown; overrides?: unknown };
      if (typeof v.savedAt !== 'number') throw new Error('no save time');
      return { savedAt: v.savedAt, alerts: v.alerts, overrides: v.overrides };
    } catch (e) {
      problems.push(`Saved alert decisions file is corrupt and was ignored: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** Saves now (deactivate, clear history). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.save(true);
  }

  private async save(force = false): Promise<void> {
    // A save during the restore would write (or compact) the log from a half-restored store.
    await this.loaded;
    if (this.saving) await this.saving;
    if (!this.dirty && !force) return;
    this.dirty = false;
    this.lastSave = this.now;
    const withCompact = this.compactDue(force);
    if (withCompact) this.lastCompact = this.now;
    this.saving = this.write(withCompact).finally(() => {
      this.saving = undefined;
    });
    await this.saving;
  }

  /**
   * Whether this save writes the downsampled tier. With a working raw log, the log holds every
   * sample since the tier was last written (restore rebuilds those buckets from it), so the tier is
   * written every compactEveryMs, a flush included, except after a clear; without one, at
   * COMPACT_INTERVAL_MS and on every flush as before.
   */
  private compactDue(force: boolean): boolean {
    const since = this.now - this.lastCompact;
    if (this.rewrite === 'fresh') return true;
    if (this.deps.folder && this.rawSaved) return since >= compactEveryMs(this.deps.pipeline.store.config.rawWindowMs);
    return force || since >= COMPACT_INTERVAL_MS;
  }

  /** What the debounce timer runs: a save if something changed (the persistence benchmark calls it directly). */
  async saveIfDirty(): Promise<void> {
    await this.save();
  }

  private async write(withCompact: boolean): Promise<void> {
    const { pipeline, log } = this.deps;
    try {
      // Nothing restored, written or to write yet: the history formats stay unloaded (and no empty log is created).
      const history = this.writerInstance !== undefined || this.rewrite !== undefined || pipeline.store.size > 0;
      // With a working log the still-filling buckets are left to it (restore rebuilds them whole).
      const openFrom = this.deps.folder && this.rawSaved && this.rewrite !== 'fresh' ? this.now : Infinity;
      const compact = withCompact && history ? await this.update(KEYS.history, codec().encodeCompact(pipeline.store, COMPACT_BUDGET_BYTES, openFrom)) : 0;
      const alerts = pipeline.alerts.serialize();
      const overrides = Object.fromEntries(pipeline.overridesSnapshot());
      const decided = (await this.update(KEYS.alerts, alerts)) + (await this.update(KEYS.overrides, overrides));
      if (decided > 0) {
        const savedAt = this.now;
        await this.writeDecisionsFile({ version: 1, savedAt, alerts, overrides });
        await this.deps.state.update(KEYS.decisionsAt, savedAt);
      }
      if (this.deps.annotations) await this.update(KEYS.annotations, this.deps.annotations.serialize());
      const raw = this.deps.folder && history ? await this.writeRawReporting(this.deps.folder) : { raw: 0, rewritten: 0 };
      this.lastWrite = { compact, ...raw };
    } catch (e) {
      log.error(`Could not save history: ${String(e)}`);
    }
  }

  private async writeRawReporting(folder: string): Promise<{ raw: number; rewritten: number }> {
    try {
      const written = await this.writeRaw(folder);
      this.rawSaved = true;
      return written;
    } catch (e) {
      // The log stopped working: the downsampled tier goes out at the next save, then as without a log.
      if (this.rawSaved) this.lastCompact = -Infinity;
      this.rawSaved = false;
      throw e;
    }
  }

  /** Writes `value` unless the key already holds it; returns the characters written. */
  private async update(key: string, value: unknown): Promise<number> {
    const json = JSON.stringify(value) ?? '';
    if (this.stateJson.get(key) === json) return 0;
    await this.deps.state.update(key, value);
    this.stateJson.set(key, json);
    return typeof value === 'string' ? value.length : json.length;
  }

  private async writeRaw(folder: string): Promise<{ raw: number; rewritten: number }> {
    const store = this.deps.pipeline.store;
    await mkdir(folder, { recursive: true });
    const file = join(folder, RAW_FILE);
    const lock = await acquireLock(join(folder, RAW_LOCK_FILE));
    if (lock === undefined) throw new Error('the raw history log is locked by another window; its samples are saved at the next save');
    try {
      return await this.writeRawLocked(store, file);
    } finally {
      await lock.release();
    }
  }

  private async writeRawLocked(store: Pipeline['store'], file: string): Promise<{ raw: number; rewritten: number }> {
    if (this.rewrite === 'fresh') this.writer.reset();
    // Appends go through one O_APPEND write each, so even a window without the lock (an older
    // version) never interleaves its segments with ours.
    const handle = await open(file, 'a+');
    try {
      const before = await handle.stat();
      const id = fileIdOf(before);
      if (this.fileId !== undefined && id !== this.fileId) {
        this.writer.forgetMeta();
        this.compactedBytes = before.size;
      }
      const pending = this.writer.delta(store);
      const needed = Math.max(codec().RawLogWriter.snapshotBytes(store, this.bytesPerSample), this.compactedBytes);
      const limit = Math.min(Math.max((this.deps.rawGrowthFactor ?? RAW_GROWTH_FACTOR) * needed, RAW_COMPACT_FLOOR_BYTES), RAW_COMPACT_AT_MOST_BYTES);
      if (this.rewrite !== undefined || before.size + pending.bytes.byteLength > limit) return { raw: 0, rewritten: await this.compact(file, handle, before.size, pending) };
      this.fileId = id;
      if (pending.bytes.byteLength === 0) return { raw: 0, rewritten: 0 };
      let done = 0;
      while (done < pending.bytes.byteLength) done += (await handle.write(pending.bytes, done, pending.bytes.byteLength - done, null)).bytesWritten;
      // Another window's compaction may have renamed a new log over this one meanwhile; then these
      // samples went to the old file, and the next save sends them again.
      const after = await stat(file).catch(() => undefined);
      if (after !== undefined && fileIdOf(after) === id) pending.commit();
      // Per-entry framing counts too: the estimate errs towards compacting a little early.
      if (pending.samples >= 100) this.bytesPerSample = Math.min(16, pending.bytes.byteLength / pending.samples);
      return { raw: pending.bytes.byteLength, rewritten: 0 };
    } finally {
      await handle.close();
    }
  }

  /** Rewrites the log (write-then-rename) from its intact segments plus `pending`; returns the bytes written. */
  private async compact(file: string, handle: FileHandle, size: number, pending: PendingAppend): Promise<number> {
    const { pipeline, log } = this.deps;
    const old = new Uint8Array(this.rewrite === 'fresh' ? 0 : size);
    await readFully(handle, old, 0);
    const merged = codec().compactRaw(pipeline.store, old, pending.bytes, this.now, RAW_COMPACTED_MAX_BYTES);
    for (const p of merged.problems) log.debug(`Compacting raw history: ${p}`);
    await this.replaceFile(file, merged.bytes);
    // Appends that reached the old file while it was merged (from a window not taking the lock) are
    // carried over (the handle still reads it).
    const grown = (await handle.stat()).size;
    let carried = 0;
    if (grown > size) {
      const tail = new Uint8Array(grown - size);
      await readFully(handle, tail, size);
      const intact = codec().intactSegments(tail);
      if (intact.byteLength > 0) await appendFile(file, intact);
      carried = intact.byteLength;
    }
    pending.commit();
    // A series whose meta was lost from the log gets it again with its next samples.
    this.writer.forgetMeta();
    this.fileId = fileIdOf(await stat(file));
    this.compactedBytes = merged.bytes.byteLength + carried;
    this.rewrite = undefined;
    return merged.bytes.byteLength + carried;
  }

  /** Forgets everything saved (Clear History): the log is rewritten from the (cleared) store. */
  async clear(): Promise<void> {
    this.dirty = true;
    this.rewrite = 'fresh';
    await this.flush();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
