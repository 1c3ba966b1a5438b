// The Pulse view container's parts: Sources and Alerts trees, their item commands, the context keys
// that hide idle commands, and a muted status item once detection found a server nothing reads yet.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { Node } from './trees';
import type { SnoozeDuration } from '../../shared/vocabulary';
import { AlertsTree, ALERTS_VIEW, SourcesTree, SOURCES_VIEW } from './trees';
import { ContextKeys } from './contextKeys';
import { plainText } from '../../core/views/safeText';
import { l10n } from '../l10n';
import { flows } from '../lazy';
import { offerDetection } from '../sources/detectOffer';

const CONTEXT_MS = 200;
const WALKTHROUGH = 'pulse.gettingStarted';
const FOUND_STEP = 'pulse.detect';
/** Countdowns and messages/s change without any event: a visible Sources view is redrawn this often. */
const TICK_MS = 2000;

/** The row id of a tree element VS Code passes to an item command (or a plain id from the palette/tests). */
function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && (arg as Node).type === 'row') return (arg as Extract<Node, { type: 'row' }>).row.id;
  return undefined;
}

export class PulseViews implements vscode.Disposable {
  readonly sourcesTree: SourcesTree;
  readonly alertsTree: AlertsTree;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly keys = new ContextKeys((key, value) => void vscode.commands.executeCommand('setContext', key, value));
  private readonly alertsView: vscode.TreeView<Node>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private detectedItem: vscode.StatusBarItem | undefined;
  private detected = 0;
  private foundStepMarked = false;

  constructor(private readonly host: PulseHost) {
    this.sourcesTree = new SourcesTree(host.pipeline, host.sources);
    this.alertsTree = new AlertsTree(host.pipeline);
    const sourcesView = vscode.window.createTreeView(SOURCES_VIEW, { treeDataProvider: this.sourcesTree });
    this.alertsView = vscode.window.createTreeView(ALERTS_VIEW, { treeDataProvider: this.alertsTree });
    const tick = setInterval(() => {
      if (sourcesView.visible && host.pipeline.sources().length > 0) this.sourcesTree.refresh();
    }, TICK_MS);
    this.disposables.push(
      { dispose: () => clearInterval(tick) },
      this.sourcesTree,
      this.alertsTree,
      sourcesView,
      this.alertsView,
      host.pipeline.onDidChange((change) => {
        if (change.source || change.alerts || change.createdSeries || change.series?.length) this.schedule();
      }),
      ...this.registerCommands(),
    );
    this.update();
  }

  /** Trees and context keys follow the pipeline, coalesced. */
  schedule(): void {
    this.sourcesTree.refresh();
    this.alertsTree.refresh();
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, CONTEXT_MS);
  }

  private update(): void {
    const { pipeline } = this.host;
    const runtimes = pipeline.sources();
    const alerts = pipeline.alerts.views(pipeline.clock.now());
    this.keys.update({
      'pulse.hasSources': runtimes.length > 0,
      'pulse.hasAlerts': alerts.length > 0,
      'pulse.connected': runtimes.some((rt) => rt.state.phase === 'open'),
    });
    const active = this.alertsTree.activeCount();
    this.alertsView.badge = active > 0 ? { value: active, tooltip: active === 1 ? l10n.t('1 active Pulse alert') : l10n.t('{0} active Pulse alerts', active) } : undefined;
    this.renderDetected(runtimes.length > 0);
    if (runtimes.length > 0) this.markFoundStep();
  }

  /**
   * Ticks the walkthrough's "Find your dev server" once a source is configured. Its completion events only count
   * while VS Code's walkthrough service is alive, and that service starts when a walkthrough is first shown: a
   * source added from the Sources view before that would leave the step open for good.
   */
  private markFoundStep(): void {
    if (this.foundStepMarked) return;
    this.foundStepMarked = true;
    const step = `${this.host.context.extension.id}#${WALKTHROUGH}#${FOUND_STEP}`;
    // An internal workbench command: where it is missing or the step is not registered yet, the events still apply.
    Promise.resolve(vscode.commands.executeCommand('welcome.markStepComplete', step)).catch((e: unknown) => {
      this.host.log.info(`Walkthrough step not marked: ${String(e)}`);
    });
  }

  /** Detection found `count` endpoints not yet configured. */
  noteDetected(count: number): void {
    this.detected = count;
    this.renderDetected(this.host.pipeline.sources().length > 0);
  }

  private renderDetected(configured: boolean): void {
    if (configured || this.detected === 0) {
      this.detectedItem?.dispose();
      this.detectedItem = undefined;
      return;
    }
    if (!this.detectedItem) {
      this.detectedItem = vscode.window.createStatusBarItem('pulse.detected', vscode.StatusBarAlignment.Left, 100);
      this.detectedItem.name = 'Pulse';
      this.detectedItem.command = { title: l10n.t('Detect Sources'), command: 'pulse.detectSources' };
      this.detectedItem.color = new vscode.ThemeColor('disabledForeground');
      this.detectedItem.show();
    }
    this.detectedItem.text = '$(pulse) Pulse';
    this.detectedItem.tooltip =
      this.detected === 1
        ? l10n.t('Pulse found 1 metrics endpoint on this machine. Click to choose which to read.')
        : l10n.t('Pulse found {0} metrics endpoints on this machine. Click to choose which to read.', this.detected);
    this.detectedItem.accessibilityInformation = { label: l10n.t('Pulse: {0} metrics endpoints found, not connected', this.detected), role: 'button' };
  }

  /** The once-per-workspace offer to detect; call after activation. */
  offerDetection(): Promise<boolean> {
    return offerDetection({
      workspaceState: this.host.context.workspaceState,
      gate: this.host.gate,
      hasSources: () => this.host.settings.sources.length > 0,
      detect: () => vscode.commands.executeCommand('pulse.detectSources'),
    });
  }

  private source(arg: unknown) {
    const id = idOf(arg);
    return id === undefined ? undefined : this.host.sources.find(id);
  }

  private registerCommands(): vscode.Disposable[] {
    const host = this.host;
    const register = (id: string, run: (arg: unknown) => unknown) =>
      vscode.commands.registerCommand(id, async (arg: unknown) => {
        try {
          await run(arg);
        } catch (e) {
          host.log.error(`Command ${id} failed: ${String(e)}`);
          void vscode.window.showErrorMessage(l10n.t('Pulse: {0} failed: {1}', plainText(id.replace('pulse.', '')), plainText(e instanceof Error ? e.message : String(e))));
        }
      });
    const withSource = (run: (s: NonNullable<ReturnType<PulseViews['source']>>) => unknown) => (arg: unknown) => {
      const s = this.source(arg);
      return s ? run(s) : undefined;
    };
    const withAlert = (run: (id: string) => unknown) => (arg: unknown) => {
      const id = idOf(arg);
      return id !== undefined && host.pipeline.alerts.has(id) ? run(id) : undefined;
    };
    return [
      register('pulse.detectSources', () => flows().detectSources(host, (n) => this.noteDetected(n))),
      register('pulse.manageSources', () => flows().manageSources(host, () => vscode.commands.executeCommand('pulse.detectSources'))),
      register('pulse.addTestAlert', () => flows().addTestAlert(host)),
      register('pulse.openWalkthrough', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${host.context.extension.id}#${WALKTHROUGH}`, false)),
      register('pulse.openDocs', () => vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(host.context.extensionUri, 'README.md'))),
      register('pulse.sources.reconnect', withSource((s) => flows().reconnectSource(host, s.id))),
      register('pulse.sources.disable', withSource((s) => flows().setEnabled(host, s.id, false))),
      register('pulse.sources.enable', withSource((s) => flows().setEnabled(host, s.id, true))),
      register('pulse.sources.setToken', withSource((s) => flows().setToken(host, s))),
      register('pulse.sources.test', withSource((s) => flows().testSource(host, s))),
      register('pulse.sources.remove', withSource((s) => flows().removeSource(host, s))),
      register('pulse.alerts.acknowledge', withAlert((id) => host.decide(() => host.pipeline.acknowledge(id)))),
      register('pulse.alerts.dismiss', withAlert((id) => host.decide(() => host.pipeline.dismiss(id)))),
      register(
        'pulse.alerts.snooze',
        withAlert(async (id) => {
          const pick = await vscode.window.showQuickPick(
            [
              { label: l10n.t('15 minutes'), duration: '15m' as SnoozeDuration },
              { label: l10n.t('1 hour'), duration: '1h' as SnoozeDuration },
              { label: l10n.t('Until the server restarts'), duration: 'restart' as SnoozeDuration },
            ],
            { title: l10n.t('Snooze this alert for') },
          );
          if (pick) host.decide(() => host.pipeline.snooze(id, pick.duration, host.pipeline.clock.now()));
        }),
      ),
    ];
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.detectedItem?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
