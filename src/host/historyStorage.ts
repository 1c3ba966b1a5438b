// Keeps history, alert decisions and threshold overrides across reloads. VS Code rewrites an
// extension's whole workspace-state object on every update (microsoft/vscode#163446), so only the
// compact part goes there (capped); the raw tier goes to a file in the workspace storage folder.
// Writes are debounced (at most every 5 s) and flushed on deactivate. No VS Code import.

import { mkdir, readFile, rename, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Disposable, Logger } from '../core/model';
import type { Pipeline } from '../core/pipeline';
import type { AnnotationLog } from '../core/annotations';
import { AlertBook } from '../core/alerts';
import { encodeCompact, encodeRaw, restore } from '../core/persist';
import { parseOverrides } from '../core/thresholds';

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
} as const;

export const SAVE_INTERVAL_MS = 5000;
/** Workspace-state budget for the downsampled tier; the rest of Pulse's state is small and bounded. */
export const COMPACT_BUDGET_BYTES = 200 * 1024;
export const RAW_FILE = 'history-raw.bin';
export const RAW_MAX_BYTES = 64 * 1024 * 1024;

export interface StorageDeps {
  readonly state: StateStore;
  /** The per-workspace storage folder (context.storageUri.fsPath); undefined with no folder open. */
  readonly folder: string | undefined;
  readonly pipeline: Pipeline;
  readonly annotations?: AnnotationLog;
  readonly log: Logger;
  readonly now?: () => number;
}

export class HistoryStorage implements Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSave = 0;
  private saving: Promise<void> | undefined;
  private dirty = false;
  /** Bytes written by the last save (for the log and the persistence benchmark). */
  lastWrite = { compact: 0, raw: 0 };

  constructor(private readonly deps: StorageDeps) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Restores everything it can; each problem is reported, nothing throws. */
  async load(): Promise<string[]> {
    const { state, pipeline, log } = this.deps;
    const problems: string[] = [];
    let raw: Uint8Array | undefined;
    if (this.deps.folder) {
      const file = join(this.deps.folder, RAW_FILE);
      try {
        const info = await stat(file);
        if (info.size > RAW_MAX_BYTES) problems.push(`Saved raw history is ${Math.round(info.size / 1048576)} MB, over the ${RAW_MAX_BYTES / 1048576} MB cap; discarded`);
        else raw = new Uint8Array(await readFile(file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`Could not read saved raw history: ${String(e)}`);
      }
    }
    try {
      const restored = restore(pipeline.store, state.get(KEYS.history), raw, this.now);
      problems.push(...restored.problems.map((p) => `Saved history: ${p}`));
      if (restored.restoredSeries > 0) log.info(`Restored history of ${restored.restoredSeries} series`);
    } catch (e) {
      problems.push(`Saved history could not be restored and was discarded: ${String(e)}`);
    }
    const alerts = AlertBook.restore(state.get(KEYS.alerts), this.now);
    problems.push(...alerts.problems.map((p) => `Saved alerts: ${p}`));
    pipeline.restoreAlerts(alerts.book);
    const overrides = parseOverrides(state.get(KEYS.overrides));
    problems.push(...overrides.problems.map((p) => `Saved threshold overrides: ${p}`));
    pipeline.setOverrides(overrides.overrides);
    if (this.deps.annotations) {
      const a = this.deps.annotations.restoreFrom(state.get(KEYS.annotations));
      problems.push(...a.map((p) => `Saved annotations: ${p}`));
    }
    for (const p of problems) log.warn(p);
    return problems;
  }

  /** Something worth keeping changed: save within SAVE_INTERVAL_MS, never more often. */
  markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSave + SAVE_INTERVAL_MS - this.now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, wait);
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
    if (this.saving) await this.saving;
    if (!this.dirty && !force) return;
    this.dirty = false;
    this.lastSave = this.now;
    this.saving = this.write().finally(() => {
      this.saving = undefined;
    });
    await this.saving;
  }

  private async write(): Promise<void> {
    const { state, pipeline, log } = this.deps;
    try {
      const compact = encodeCompact(pipeline.store, COMPACT_BUDGET_BYTES);
      await state.update(KEYS.history, compact);
      await state.update(KEYS.alerts, pipeline.alerts.serialize());
      await state.update(KEYS.overrides, Object.fromEntries(pipeline.overridesSnapshot()));
      if (this.deps.annotations) await state.update(KEYS.annotations, this.deps.annotations.serialize());
      let rawBytes = 0;
      if (this.deps.folder) {
        const raw = encodeRaw(pipeline.store, RAW_MAX_BYTES);
        await mkdir(this.deps.folder, { recursive: true });
        const file = join(this.deps.folder, RAW_FILE);
        // Write-then-rename: a second window on the same workspace or a crash never leaves half a file.
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, raw);
        await rename(tmp, file);
        rawBytes = raw.byteLength;
      }
      this.lastWrite = { compact: compact.length, raw: rawBytes };
    } catch (e) {
      log.error(`Could not save history: ${String(e)}`);
    }
  }

  /** Forgets everything saved (Clear History). */
  async clear(): Promise<void> {
    this.dirty = true;
    await this.flush();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
