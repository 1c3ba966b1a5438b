// Every command in the palette (category "Pulse"). None fails without telling the user why.

import * as vscode from 'vscode';
import type { PulseHost } from './pulseHost';
import type { ExportFormat } from '../core/persist/exportHistory';
import type { SnoozeDuration } from '../shared/vocabulary';
import { exportHistory } from '../core/persist/exportHistory';
import { confirm, setToken } from './sources/sourceActions';
import { constant, joinSafe, plainText, safe } from '../core/views/safeText';
import type { SafeText } from '../core/views/safeText';

// Source names and URLs come from settings (possibly a cloned workspace's), states from servers:
// every shown string goes through src/core/safeText.ts (quick picks render $(icon) syntax).
interface SourcePick extends vscode.QuickPickItem {
  readonly id: string;
  readonly label: SafeText;
  readonly description?: SafeText;
  readonly detail?: SafeText;
}

function stateText(host: PulseHost, id: string): string {
  const state = host.pipeline.source(id)?.state;
  if (!state) return '';
  switch (state.phase) {
    case 'reconnecting':
      return `reconnecting: ${state.reason}`;
    case 'failed':
      return `failed: ${state.reason}`;
    default:
      return state.phase;
  }
}

function sourcePicks(host: PulseHost): SourcePick[] {
  return host.sources.sources.map((s) => ({ id: s.id, label: plainText(s.name), description: plainText(s.url), detail: plainText(stateText(host, s.id)), picked: host.sources.isEnabled(s.id) }));
}

async function noSources(host: PulseHost): Promise<void> {
  const choice = await vscode.window.showInformationMessage('Pulse has no metric sources configured.', 'Add Source…', 'Open Settings');
  if (choice === 'Add Source…') await host.addSource();
  if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'pulse.sources');
}

/** All sources when there is one; a pick when there are several. undefined: cancelled. */
async function pickSources(host: PulseHost, title: SafeText): Promise<string[] | undefined> {
  const picks = sourcePicks(host);
  if (picks.length === 0) {
    await noSources(host);
    return undefined;
  }
  if (picks.length === 1) return picks.map((p) => p.id);
  const all: SourcePick = { id: '*', label: constant('$(check-all) All sources') };
  const chosen = await vscode.window.showQuickPick([all, ...picks], { title, matchOnDescription: true });
  if (!chosen) return undefined;
  return chosen.id === '*' ? picks.map((p) => p.id) : [chosen.id];
}

export function registerCommands(host: PulseHost, showLog: () => void): vscode.Disposable[] {
  const { pipeline, sources, storage } = host;
  const register = (id: string, run: () => unknown) =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (e) {
        host.log.error(`Command ${id} failed: ${String(e)}`);
        void vscode.window.showErrorMessage(safe`Pulse: ${id.replace('pulse.', '')} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });

  return [
    register('pulse.openPanel', () => host.openPanel()),
    register('pulse.showLog', showLog),
    register('pulse.connect', async () => {
      const ids = await pickSources(host, constant('Connect which source?'));
      if (!ids) return;
      await sources.connect(ids);
      await host.setDisabledPersisted();
    }),
    register('pulse.disconnect', async () => {
      const ids = await pickSources(host, constant('Disconnect which source?'));
      if (!ids) return;
      sources.disconnect(ids);
      await host.setDisabledPersisted();
      const which = ids.length === 1 ? safe`${host.pipeline.source(ids[0] ?? '')?.config.name ?? ids[0]}` : safe`${ids.length} sources`;
      confirm(joinSafe(safe`Pulse: disconnected `, which));
    }),
    register('pulse.reconnect', async () => {
      const ids = await pickSources(host, constant('Reconnect which source?'));
      if (!ids) return;
      await sources.reconnect(ids);
      await host.setDisabledPersisted();
    }),
    register('pulse.addSource', () => host.addSource()),
    register('pulse.toggleSource', async () => {
      const picks = sourcePicks(host);
      if (picks.length === 0) return noSources(host);
      const chosen = await vscode.window.showQuickPick(picks, { title: 'Pulse: which sources are connected?', canPickMany: true, matchOnDescription: true });
      if (!chosen) return;
      const on = new Set(chosen.map((c) => c.id));
      const off = picks.filter((p) => !on.has(p.id)).map((p) => p.id);
      if (off.length > 0) sources.disconnect(off);
      if (on.size > 0) await sources.connect([...on]);
      await host.setDisabledPersisted();
    }),
    register('pulse.setSourceToken', async () => {
      const picks = sourcePicks(host);
      if (picks.length === 0) return noSources(host);
      const pick = picks.length === 1 ? picks[0] : await vscode.window.showQuickPick(picks, { title: 'Set the token of which source?' });
      const source = pick && sources.sources.find((s) => s.id === pick.id);
      if (source) await setToken(host, source);
    }),
    register('pulse.clearHistory', async () => {
      const choice = await vscode.window.showWarningMessage(
        'Clear all Pulse history for this workspace?',
        { modal: true, detail: 'Charts, saved samples and alerts are removed. Threshold settings and overrides are kept.' },
        'Clear History',
      );
      if (choice !== 'Clear History') return;
      pipeline.clearHistory();
      await storage.clear();
      confirm(constant('Pulse: history cleared'));
    }),
    register('pulse.exportHistory', async () => {
      if (pipeline.store.size === 0) {
        void vscode.window.showInformationMessage('Pulse: there is no history to export yet.');
        return;
      }
      const format = await vscode.window.showQuickPick(
        [
          { label: 'CSV', description: 'one row per sample', format: 'csv' as ExportFormat },
          { label: 'JSON', description: 'series with time and value arrays', format: 'json' as ExportFormat },
        ],
        { title: 'Export Pulse history as' },
      );
      if (!format) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `pulse-history-${new Date().toISOString().replace(/[:.]/g, '-')}.${format.format}`;
      const uri = await vscode.window.showSaveDialog({
        title: 'Export Pulse History',
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: format.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      });
      if (!uri) return;
      const now = Date.now();
      const text = exportHistory(pipeline.store, format.format, 0, now);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const open = await vscode.window.showInformationMessage(safe`Pulse: exported ${pipeline.store.size} series to ${vscode.workspace.asRelativePath(uri)}.`, 'Open');
      if (open === 'Open') await vscode.window.showTextDocument(uri);
    }),
    register('pulse.dismissAllAlerts', () => {
      const n = pipeline.alerts.views(pipeline.clock.now()).length;
      host.decide(() => pipeline.dismissAll());
      confirm(n > 0 ? safe`Pulse: dismissed ${n} alert${n === 1 ? '' : 's'}` : constant('Pulse: no alerts to dismiss'));
    }),
    register('pulse.snoozeAlerts', async () => {
      const pick = await vscode.window.showQuickPick(
        [
          { label: '15 minutes', duration: '15m' as SnoozeDuration },
          { label: '1 hour', duration: '1h' as SnoozeDuration },
          { label: 'Until the server restarts', duration: 'restart' as SnoozeDuration },
        ],
        { title: 'Snooze Pulse alerts for' },
      );
      if (!pick) return;
      host.decide(() => pipeline.snoozeAll(pick.duration, pipeline.clock.now()));
      confirm(safe`Pulse: alerts snoozed (${pick.label.toLowerCase()})`);
    }),
    register('pulse.compareSinceLastSave', () => host.codeAware.compareSinceLastSave()),
    register('pulse.goToHandler', () => host.codeAware.goToHandler()),
    register('pulse.openThresholdSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'pulse.thresholds')),
  ];
}
