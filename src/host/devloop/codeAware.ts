// Ties metrics to the edit loop: records annotations (saves, restarts, reconnects, git, tasks,
// debug), compares before/after, flags a regression after a save in the status bar, and jumps to
// a route's handler.

import * as vscode from 'vscode';
import type { Logger } from '../../core/model';
import type { Pipeline } from '../../core/pipeline';
import type { StatusBar } from '../statusBar';
import type { AnnotationView, CompareRowView } from '../../shared/views';
import type { CompareRow } from '../../core/devloop/compare';
import { AnnotationLog } from '../../core/devloop/annotations';
import { RestartDetector } from '../../core/devloop/restartDetector';
import type { RegressionAction, RegressionWatch } from '../../core/devloop/regression';
import { AnnotationWatcher } from './annotationWatcher';
import { flows } from '../lazy';
import { endpointRows } from '../../core/views/panelFeed';
import { plainText } from '../../core/views/safeText';
import { l10n } from '../l10n';

export class CodeAware implements vscode.Disposable {
  readonly annotations = new AnnotationLog();
  private readonly detector = new RestartDetector();
  private readonly disposables: vscode.Disposable[] = [];
  private regressionWatch: RegressionWatch | undefined;
  private regressionTimer: ReturnType<typeof setInterval> | undefined;
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

  /** The before/after comparison is part of the lazily loaded flows: loaded with the first save or comparison. */
  private get regression(): RegressionWatch {
    this.regressionWatch ??= new (flows().RegressionWatch)();
    return this.regressionWatch;
  }

  private scheduleRegressionCheck(savedAt: number): void {
    this.applyNotice(this.regression.save(savedAt));
    if (this.regressionTimer !== undefined) return;
    this.regressionTimer = setInterval(() => {
      const now = Date.now();
      const at = this.regression.saveTime;
      if (at === undefined || !this.regression.watching(now)) {
        clearInterval(this.regressionTimer);
        this.regressionTimer = undefined;
        return;
      }
      this.applyNotice(this.regression.check(flows().compareAt(this.pipeline.store, at), now));
    }, flows().REGRESSION_CHECK_EVERY_MS);
  }

  private applyNotice(action: RegressionAction): void {
    if (action === undefined) return;
    if ('clear' in action) {
      this.statusBar.clearNotice();
      return;
    }
    this.statusBar.showNotice(action.show.text, action.show.expiresAt);
    this.log.info(`Regression since save: ${action.show.tooltip.replace(/\n/g, '; ')}`);
  }

  /** Rows around an annotation ('lastSave' for the last save); undefined for an unknown id. */
  compare(annotationId: string): { annotation: AnnotationView | null; rows: readonly CompareRowView[] } | undefined {
    const annotation = annotationId === 'lastSave' ? this.annotations.lastOf('save') : this.annotations.get(annotationId);
    if (!annotation) return annotationId === 'lastSave' ? { annotation: null, rows: [] } : undefined;
    const { annotationView, compareAt, compareRowView, sortRows } = flows();
    return { annotation: annotationView(annotation), rows: sortRows(compareAt(this.pipeline.store, annotation.at)).map(compareRowView) };
  }

  async compareSinceLastSave(): Promise<CompareRow | undefined> {
    return flows().showCompareSinceLastSave(vscode, () => {
      const annotation = this.annotations.lastOf('save');
      if (!annotation) return undefined;
      return { annotation, rows: flows().compareAt(this.pipeline.store, annotation.at, flows().COMPARE_WINDOW_MS), now: Date.now() };
    });
  }

  /** From the panel (method + path given) or the palette (pick an endpoint the sources report). */
  async goToHandler(method?: string | null, path?: string): Promise<void> {
    let target = path ? { path, ...(method ? { method } : {}) } : undefined;
    if (!target) {
      const rows = endpointRows(this.pipeline.store.list()).filter((r) => r.path.startsWith('/'));
      const unique = new Map(rows.map((r) => [`${r.method} ${r.path}`, r]));
      // Endpoint names come from servers: shown through plainText (quick picks render $(icon) syntax), looked up by key.
      const typed = { label: l10n.t('$(edit) Type a route…'), key: undefined };
      const items = [...unique.keys()].sort().map((key) => ({ label: plainText(key), key }));
      const pick = await vscode.window.showQuickPick([...items, typed], { title: l10n.t('Go to the handler of which endpoint?') });
      if (!pick) return;
      if (pick.key === undefined) {
        const input = await vscode.window.showInputBox({
          title: l10n.t('Route'),
          prompt: l10n.t('e.g. GET /api/users or /api/users'),
          validateInput: (v) => (/^([A-Za-z]{1,10}\s+)?\/\S*$/.test(v.trim()) ? undefined : l10n.t('A path starting with /, optionally after a method')),
        });
        if (!input) return;
        const [a, b] = input.trim().split(/\s+/);
        target = b ? { method: a, path: b } : { path: a ?? '/' };
      } else {
        const row = unique.get(pick.key);
        if (!row) return;
        target = { path: row.path, ...(row.method ? { method: row.method } : {}) };
      }
    }
    const outcome = await flows().goToHandler(vscode, target);
    this.log.info(`Go to Handler ${target.method ?? ''} ${target.path}: ${outcome}`);
  }

  dispose(): void {
    if (this.regressionTimer !== undefined) clearInterval(this.regressionTimer);
    this.regressionTimer = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
