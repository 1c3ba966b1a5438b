// Wires the pure pipeline to VS Code: configuration, sources, status bar, panel, storage, alerts.

import * as vscode from 'vscode';
import type { Logger, SourceConfig } from '../core/model';
import type { PulseSettings } from '../core/settings/settings';
import type { PanelDeps } from './panel/panel';
import { Pipeline } from '../core/pipeline';
import { PanelFeed } from '../core/views/panelFeed';
import { ruleToSetting } from '../core/rules/thresholds';
import { readConfiguration, SECTION } from './config';
import { SourceManager } from './sources/sourceManager';
import { StatusBar } from './statusBar';
import { MetricsPanel } from './panel/panel';
import { HistoryStorage, KEYS } from './storage/historyStorage';
import { CriticalNotifier, DONT_SHOW, NotificationGate } from './notifications';
import { addSource } from './sources/addSource';
import { CodeAware } from './devloop/codeAware';
import { safe } from '../core/views/safeText';

const TICK_MS = 1000;

export class PulseHost implements vscode.Disposable {
  readonly pipeline: Pipeline;
  readonly sources: SourceManager;
  readonly statusBar: StatusBar;
  readonly storage: HistoryStorage;
  readonly feed: PanelFeed;
  readonly codeAware: CodeAware;
  settings: PulseSettings;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly notifier: CriticalNotifier;
  /** Every unprompted Pulse notification goes through it: one at a time, "Don't Show Again" remembered. */
  readonly gate: NotificationGate;
  private readonly confirmed: Set<string>;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: Logger,
  ) {
    this.settings = readConfiguration(vscode);
    this.pipeline = new Pipeline(this.pipelineOptions(this.settings), log);
    this.pipeline.setThresholdSettings(this.settings.thresholds, this.settings.defaultThresholds);
    this.statusBar = new StatusBar(this.pipeline, { metrics: this.settings.statusBarMetrics, perSource: this.settings.statusBarPerSource });
    this.codeAware = new CodeAware(this.pipeline, this.statusBar, log);
    this.feed = new PanelFeed(this.pipeline, () => this.settings.problems, this.codeAware.annotations);
    // Saved times on the store's clock, so restore and compaction windows match the points' times.
    this.storage = new HistoryStorage({ state: context.workspaceState, folder: context.storageUri?.fsPath, pipeline: this.pipeline, annotations: this.codeAware.annotations, log, now: () => this.pipeline.clock.now() });
    const confirmed = context.workspaceState.get<unknown>(KEYS.confirmed);
    this.confirmed = new Set(Array.isArray(confirmed) ? confirmed.filter((u): u is string => typeof u === 'string').slice(0, 100) : []);
    this.sources = new SourceManager({
      pipeline: this.pipeline,
      log,
      getToken: async (id) => context.secrets.get(tokenKey(id)),
      isTrusted: () => vscode.workspace.isTrusted,
      confirmRemote: (c) => this.confirmRemote(c),
    });
    const disabled = context.workspaceState.get<unknown>(KEYS.disabled);
    if (Array.isArray(disabled)) this.sources.setDisabled(disabled.filter((d): d is string => typeof d === 'string'));
    this.gate = new NotificationGate(context.globalState);
    this.notifier = new CriticalNotifier({
      gate: this.gate,
      show: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
      openPanel: () => this.openPanel(),
      snooze: (id) => this.decide(() => this.pipeline.snooze(id, '15m', this.pipeline.clock.now())),
      enabled: () => this.settings.notifyCritical,
    });

    const tick = setInterval(() => this.pipeline.tick(this.pipeline.clock.now()), TICK_MS);
    this.disposables.push(
      { dispose: () => clearInterval(tick) },
      this.pipeline.onDidChange((change) => {
        this.statusBar.schedule();
        if (MetricsPanel.instance) {
          this.feed.note(change);
          MetricsPanel.instance.schedule();
        }
        if (change.series?.length || change.alerts || change.rules || change.cleared) this.storage.markDirty();
      }),
      this.pipeline.onDidFire((alerts) => this.notifier.notify(alerts)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) void this.reloadConfiguration();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.sources.reconnect()),
      this.codeAware.annotations.onDidAdd(() => {
        this.storage.markDirty();
        MetricsPanel.instance?.schedule();
      }),
      this.codeAware,
      this.statusBar,
      this.sources,
      this.storage,
      this.pipeline,
    );
  }

  private pipelineOptions(s: PulseSettings) {
    return {
      store: { rawWindowMs: s.rawMinutes * 60_000, bucketMs: 10_000, downsampledWindowMs: s.downsampledHours * 3_600_000, maxSeriesPerSource: s.maxSeriesPerSource },
      noDataMode: s.noDataMode,
      noDataAfterMs: s.noDataAfterSeconds * 1000,
      maxMessageChars: s.maxPayloadBytes,
      summary: { cpuAcrossLabels: s.cpuAcrossLabels },
    };
  }

  /** Restores saved state, then connects. Not awaited by activate: activation stays synchronous and cheap. */
  async start(): Promise<void> {
    await this.storage.load();
    this.pipeline.notifyRestored();
    this.reportProblems(this.settings);
    await this.sources.apply(this.settings.sources, this.settings.maxPayloadBytes);
    this.statusBar.schedule();
  }

  async reloadConfiguration(): Promise<void> {
    const previous = this.settings;
    this.settings = readConfiguration(vscode);
    this.pipeline.configure(this.pipelineOptions(this.settings));
    this.pipeline.setThresholdSettings(this.settings.thresholds, this.settings.defaultThresholds);
    this.statusBar.configure({ metrics: this.settings.statusBarMetrics, perSource: this.settings.statusBarPerSource });
    this.feed.noteConfig();
    MetricsPanel.instance?.schedule();
    if (JSON.stringify(previous.problems) !== JSON.stringify(this.settings.problems)) this.reportProblems(this.settings);
    await this.sources.apply(this.settings.sources, this.settings.maxPayloadBytes);
  }

  private reportProblems(s: PulseSettings): void {
    const problems = [...s.problems, ...this.pipeline.thresholdProblems()];
    for (const p of problems) this.log.warn(`Settings: ${p}`);
    if (problems.length === 0) return;
    const first = problems[0] ?? '';
    void this.gate
      // Muted per problem: "Don't Show Again" on one mistake must not hide the next.
      .show(`settingsProblems:${first.slice(0, 120)}`, () => vscode.window.showWarningMessage(problems.length > 1 ? safe`Pulse: ${first} (+${problems.length - 1} more in the log)` : safe`Pulse: ${first}`, 'Open Settings', 'Show Log', DONT_SHOW))
      .then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${this.context.extension.id}`);
        if (choice === 'Show Log') void vscode.commands.executeCommand('pulse.showLog');
      });
  }

  private async confirmRemote(config: SourceConfig): Promise<boolean> {
    if (this.confirmed.has(config.url)) return true;
    const choice = await vscode.window.showWarningMessage(
      safe`Pulse: this workspace's settings ask to connect to ${config.url}, which is not on this machine. Connect?`,
      { modal: true, detail: 'Sources from workspace settings come with the project. Only connect to servers you know.' },
      'Connect',
    );
    if (choice !== 'Connect') return false;
    this.confirmed.add(config.url);
    await this.context.workspaceState.update(KEYS.confirmed, [...this.confirmed]);
    return true;
  }

  panelDeps(): PanelDeps {
    return {
      extensionUri: this.context.extensionUri,
      feed: this.feed,
      log: this.log,
      host: {
        pipeline: this.pipeline,
        sources: this.sources,
        codeAware: this.codeAware,
        decide: (run) => this.decide(run),
        addSource: () => this.addSource(),
        openSettings: () => void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${this.context.extension.id}`),
        saveThresholdToSettings: (ruleId) => this.saveThresholdToSettings(ruleId),
        showError: (m) => void vscode.window.showErrorMessage(safe`Pulse: ${m}`),
      },
    };
  }

  /** Runs a user decision and saves it at once. */
  decide<T>(run: () => T): T {
    const result = run();
    void this.storage.saveDecisions();
    return result;
  }

  openPanel(): void {
    MetricsPanel.createOrShow(this.panelDeps());
  }

  async addSource(): Promise<void> {
    await addSource(this.log, this.settings.sources.map((s) => s.name));
  }

  async saveThresholdToSettings(ruleId: string): Promise<void> {
    const rule = this.pipeline.ruleList().find((r) => r.id === ruleId);
    if (!rule) return;
    const config = vscode.workspace.getConfiguration(SECTION);
    const hasFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
    const target = hasFolder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const inspected = config.inspect<unknown[]>('thresholds');
    const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
    const list = (Array.isArray(current) ? current : []).filter((e) => !(typeof e === 'object' && e !== null && (e as { id?: unknown }).id === ruleId));
    list.push(ruleToSetting(rule));
    await config.update('thresholds', list, target);
    this.pipeline.resetOverride(ruleId);
    this.storage.markDirty();
    vscode.window.setStatusBarMessage(safe`Pulse: threshold "${ruleId}" saved to ${hasFolder ? 'workspace' : 'user'} settings`, 4000);
  }

  async setDisabledPersisted(): Promise<void> {
    await this.context.workspaceState.update(KEYS.disabled, this.sources.disabledIds());
  }

  async deactivate(): Promise<void> {
    await this.storage.flush();
  }

  dispose(): void {
    MetricsPanel.instance?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function tokenKey(sourceId: string): string {
  return `pulse.token.${sourceId}`;
}
