// Wires the pure pipeline to VS Code: configuration, sources, status bar, panel, storage, alerts.

import * as vscode from 'vscode';
import type { AlertView } from '../shared/views';
import type { Logger, SourceConfig } from '../core/model';
import type { PulseSettings } from '../core/settings/settings';
import type { PanelDeps } from './panel/panel';
import { Pipeline } from '../core/pipeline';
import type { PanelFeed } from '../core/views/panelFeed';
import { ruleToSetting } from '../core/rules/thresholds';
import { readConfiguration, SECTION } from './config';
import { SourceManager } from './sources/sourceManager';
import { StatusBar } from './statusBar';
import type * as PanelCode from './panelBundle';
import { HistoryStorage, KEYS } from './storage/historyStorage';
import { CriticalNotifier, NotificationGate } from './notifications';
import { flows } from './lazy';
import { CodeAware } from './devloop/codeAware';
import { plainText, safe } from '../core/views/safeText';
import { l10n } from './l10n';

const TICK_MS = 1000;

export class PulseHost implements vscode.Disposable {
  readonly pipeline: Pipeline;
  readonly sources: SourceManager;
  readonly statusBar: StatusBar;
  readonly storage: HistoryStorage;
  private feedInstance: PanelFeed | undefined;
  private panelCode: typeof PanelCode | undefined;
  readonly codeAware: CodeAware;
  settings: PulseSettings;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly notifier: CriticalNotifier;
  /** Saved alerts and decisions are back (the restore runs beside the first connections). */
  private restored = false;
  private readonly heldFiring: AlertView[] = [];
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
    this.gate = new NotificationGate(context.globalState, Date.now, l10n.t("Don't Show Again"));
    this.notifier = new CriticalNotifier({
      gate: this.gate,
      words: {
        openPanel: l10n.t('Open Panel'),
        snooze: l10n.t('Snooze 15 min'),
        critical: (text, more) => (more > 0 ? l10n.t('Pulse: {0} (and {1} more critical)', text, more) : l10n.t('Pulse: {0}', text)),
      },
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
        const panel = this.panelCode?.MetricsPanel.instance;
        if (panel) {
          this.feed.note(change);
          panel.schedule();
        }
        if (change.series?.length || change.alerts || change.rules || change.cleared) this.storage.markDirty();
      }),
      this.pipeline.onDidFire((alerts) => {
        // Until saved decisions are back, a critical alert the user snoozed or dismissed must not notify.
        if (this.restored) this.notifier.notify(alerts);
        else this.heldFiring.push(...alerts);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) void this.reloadConfiguration();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.sources.reconnect()),
      this.codeAware.annotations.onDidAdd(() => {
        this.storage.markDirty();
        this.panelCode?.MetricsPanel.instance?.schedule();
      }),
      this.codeAware,
      this.statusBar,
      this.sources,
      this.storage,
      this.pipeline,
    );
  }

  /**
   * The panel and its feed are a bundle of their own (dist/panel.js, esbuild.mjs LAZY_ENTRIES), loaded
   * when the panel first opens: until then no change needs feeding.
   */
  panel(): typeof PanelCode {
    if (this.panelCode === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load on purpose
      this.panelCode = require('./panelBundle.js') as typeof PanelCode;
      this.panelCode.setFormatLocale(vscode.env.language);
    }
    return this.panelCode;
  }

  get feed(): PanelFeed {
    if (this.feedInstance === undefined) {
      const { PanelFeed, PinStore } = this.panel();
      this.feedInstance = new PanelFeed(this.pipeline, () => this.settings.problems, this.codeAware.annotations, new PinStore(this.context.workspaceState, this.log));
    }
    return this.feedInstance;
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

  /**
   * Connects and restores saved state side by side: sources do not wait for the restore, which runs
   * in chunks and keeps what arrives meanwhile. Not awaited by activate: activation stays synchronous and cheap.
   */
  async start(): Promise<void> {
    const restoring = this.storage.load().then(() => {
      this.pipeline.notifyRestored();
      this.restored = true;
      const held = new Set(this.heldFiring.splice(0).map((a) => a.id));
      const still = this.pipeline.alerts.firing().filter((a) => held.has(a.id));
      if (still.length > 0) this.notifier.notify(still);
    });
    this.reportProblems(this.settings);
    const connecting = this.sources.apply(this.settings.sources, this.settings.maxPayloadBytes).then(() => this.statusBar.schedule());
    await Promise.all([restoring, connecting]);
    this.statusBar.schedule();
  }

  async reloadConfiguration(): Promise<void> {
    const previous = this.settings;
    this.settings = readConfiguration(vscode);
    this.pipeline.configure(this.pipelineOptions(this.settings));
    this.pipeline.setThresholdSettings(this.settings.thresholds, this.settings.defaultThresholds);
    this.statusBar.configure({ metrics: this.settings.statusBarMetrics, perSource: this.settings.statusBarPerSource });
    this.feedInstance?.noteConfig();
    this.panelCode?.MetricsPanel.instance?.schedule();
    if (JSON.stringify(previous.problems) !== JSON.stringify(this.settings.problems)) this.reportProblems(this.settings);
    await this.sources.apply(this.settings.sources, this.settings.maxPayloadBytes);
  }

  private reportProblems(s: PulseSettings): void {
    const problems = [...s.problems, ...this.pipeline.thresholdProblems()];
    for (const p of problems) this.log.warn(`Settings: ${p}`);
    if (problems.length === 0) return;
    const first = problems[0] ?? '';
    const openSettings = l10n.t('Open Settings');
    const showLog = l10n.t('Show Log');
    void this.gate
      // Muted per problem: "Don't Show Again" on one mistake must not hide the next.
      .show(`settingsProblems:${first.slice(0, 120)}`, () =>
        vscode.window.showWarningMessage<string>(problems.length > 1 ? l10n.t('Pulse: {0} (+{1} more in the log)', plainText(first), problems.length - 1) : l10n.t('Pulse: {0}', plainText(first)), openSettings, showLog, this.gate.dontShow),
      )
      .then((choice) => {
        if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${this.context.extension.id}`);
        if (choice === showLog) void vscode.commands.executeCommand('pulse.showLog');
      });
  }

  private async confirmRemote(config: SourceConfig): Promise<boolean> {
    if (this.confirmed.has(config.url)) return true;
    const connect = l10n.t('Connect');
    const choice = await vscode.window.showWarningMessage(
      l10n.t("Pulse: this workspace's settings ask to connect to {0}, which is not on this machine. Connect?", plainText(config.url)),
      { modal: true, detail: l10n.t('Sources from workspace settings come with the project. Only connect to servers you know.') },
      connect,
    );
    if (choice !== connect) return false;
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
        saveFile: (fileName, bytes) => this.saveChartFile(fileName, bytes),
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
    this.panel().MetricsPanel.createOrShow(this.panelDeps());
  }

  async addSource(): Promise<void> {
    await flows().addSource(this.log, this.settings.sources.map((s) => s.name));
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
    const saved = hasFolder ? l10n.t('Pulse: threshold "{0}" saved to workspace settings', plainText(ruleId)) : l10n.t('Pulse: threshold "{0}" saved to user settings', plainText(ruleId));
    vscode.window.setStatusBarMessage(saved, 4000);
  }

  /** Saves a chart the panel exported (CSV or PNG) where the user picks; `fileName` is a plain name. */
  async saveChartFile(fileName: string, bytes: Uint8Array): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const png = fileName.endsWith('.png');
    const uri = await vscode.window.showSaveDialog({
      title: l10n.t('Save Chart'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: png ? { [l10n.t('PNG image')]: ['png'] } : { CSV: ['csv'] },
    });
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, bytes);
      vscode.window.setStatusBarMessage(l10n.t('Pulse: chart saved to {0}', plainText(vscode.workspace.asRelativePath(uri))), 4000);
    } catch (err) {
      void vscode.window.showErrorMessage(l10n.t('Pulse: could not save the chart: {0}', plainText(err instanceof Error ? err.message : String(err))));
    }
  }

  async setDisabledPersisted(): Promise<void> {
    await this.context.workspaceState.update(KEYS.disabled, this.sources.disabledIds());
  }

  async deactivate(): Promise<void> {
    await this.storage.flush();
  }

  dispose(): void {
    this.panelCode?.MetricsPanel.instance?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function tokenKey(sourceId: string): string {
  return `pulse.token.${sourceId}`;
}
