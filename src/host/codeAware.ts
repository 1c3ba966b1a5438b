// Ties metrics to the edit loop: records annotations (saves, restarts, reconnects, git, tasks,
// debug), compares before/after, flags a regression after a save in the status bar, and jumps to
// a route's handler.

import * as vscode from 'vscode';
import type { Logger } from '../core/model';
import type { Pipeline } from '../core/pipeline';
import type { StatusBar } from './statusBar';
import type { AnnotationView, CompareRowView } from '../protocol';
import type { CompareRow } from '../core/compare';
import { AnnotationLog } from '../core/annotations';
import { RestartDetector } from '../core/restartDetector';
import { annotationView, compareAt, compareRowView, sortRows, COMPARE_WINDOW_MS } from '../core/beforeAfter';
import { regressionNotice } from '../core/regression';
import { AnnotationWatcher } from './annotationWatcher';
import { goToHandler } from './gotoHandler';
import { showCompareSinceLastSave } from './compareCommand';
import { endpointRows } from '../core/panelFeed';

/** How soon after a save the regression check looks (the dev server needs a moment to reload). */
const CHECK_AFTER_MS = [20_000, 45_000, 90_000];

export class CodeAware implements vscode.Disposable {
  readonly annotations = new AnnotationLog();
  private readonly detector = new RestartDetector();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly wasOpen = new Map<string, boolean>();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly statusBar: StatusBar,
    private readonly log: Logger,
  ) {
    pipeline.setRestartHook(this.detector);
    const watcher = new AnnotationWatcher<vscode.Uri>(vscode, this.annotations, { onGitProblem: (m) => log.info(m) });
    this.disposables.push(
      watcher,
      pipeline.onDidDetectRestart(({ sourceId, at }) => {
        const name = pipeline.source(sourceId)?.config.name ?? sourceId;
        this.annotations.add({ kind: 'restart', at, sourceId, label: `${name} restarted` });
      }),
      pipeline.onDidChange((change) => {
        if (!change.source) return;
        for (const rt of pipeline.sources()) {
          const open = rt.state.phase === 'open';
          const before = this.wasOpen.get(rt.config.id);
          if (open && before === false && rt.lastMessageAt !== null) {
            this.annotations.add({ kind: 'reconnect', at: Date.now(), sourceId: rt.config.id, label: `${rt.config.name} reconnected` });
          }
          this.wasOpen.set(rt.config.id, open);
        }
      }),
      this.annotations.onDidAdd((a) => {
        if (a.kind === 'save') this.scheduleRegressionCheck(a.at);
      }),
    );
  }

  private scheduleRegressionCheck(savedAt: number): void {
    for (const delay of CHECK_AFTER_MS) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const last = this.annotations.lastOf('save');
        if (!last || last.at !== savedAt) return; // a newer save took over
        const notice = regressionNotice(compareAt(this.pipeline.store, savedAt), Date.now());
        if (notice) {
          this.statusBar.showNotice(notice.text, notice.expiresAt);
          this.log.info(`Regression since save: ${notice.tooltip.replace(/\n/g, '; ')}`);
        }
      }, delay);
      this.timers.add(timer);
    }
  }

  /** Rows around an annotation ('lastSave' for the last save); undefined for an unknown id. */
  compare(annotationId: string): { annotation: AnnotationView | null; rows: readonly CompareRowView[] } | undefined {
    const annotation = annotationId === 'lastSave' ? this.annotations.lastOf('save') : this.annotations.get(annotationId);
    if (!annotation) return annotationId === 'lastSave' ? { annotation: null, rows: [] } : undefined;
    return { annotation: annotationView(annotation), rows: sortRows(compareAt(this.pipeline.store, annotation.at)).map(compareRowView) };
  }

  async compareSinceLastSave(): Promise<CompareRow | undefined> {
    return showCompareSinceLastSave(vscode, () => {
      const annotation = this.annotations.lastOf('save');
      if (!annotation) return undefined;
      return { annotation, rows: compareAt(this.pipeline.store, annotation.at, COMPARE_WINDOW_MS), now: Date.now() };
    });
  }

  /** From the panel (method + path given) or the palette (pick an endpoint the sources report). */
  async goToHandler(method?: string | null, path?: string): Promise<void> {
    let target = path ? { path, ...(method ? { method } : {}) } : undefined;
    if (!target) {
      const rows = endpointRows(this.pipeline.store.list()).filter((r) => r.path.startsWith('/'));
      const unique = new Map(rows.map((r) => [`${r.method} ${r.path}`, r]));
      const typed = '$(edit) Type a route…';
      const pick = await vscode.window.showQuickPick([...[...unique.keys()].sort().map((label) => ({ label })), { label: typed }], { title: 'Go to the handler of which endpoint?' });
      if (!pick) return;
      if (pick.label === typed) {
        const input = await vscode.window.showInputBox({ title: 'Route', prompt: 'e.g. GET /api/users or /api/users', validateInput: (v) => (/^([A-Za-z]{1,10}\s+)?\/\S*$/.test(v.trim()) ? undefined : 'A path starting with /, optionally after a method') });
        if (!input) return;
        const [a, b] = input.trim().split(/\s+/);
        target = b ? { method: a, path: b } : { path: a ?? '/' };
      } else {
        const row = unique.get(pick.label);
        if (!row) return;
        target = { path: row.path, ...(row.method ? { method: row.method } : {}) };
      }
    }
    const outcome = await goToHandler(vscode, target);
    this.log.info(`Go to Handler ${target.method ?? ''} ${target.path}: ${outcome}`);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
