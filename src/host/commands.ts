// Every command in the palette (category "Pulse"). None fails without telling the user why.

import * as vscode from 'vscode';
import type { PulseHost } from './pulseHost';
import type { ExportFormat } from '../core/exportHistory';
import type { SnoozeDuration } from '../protocol';
import { exportHistory } from '../core/exportHistory';
import { tokenKey } from './pulseHost';

interface SourcePick extends vscode.QuickPickItem {
  readonly id: string;
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
  return host.sources.sources.map((s) => ({ id: s.id, label: s.name, description: s.url, detail: stateText(host, s.id), picked: host.sources.isEnabled(s.id) }));
}

async function noSources(host: PulseHost): Promise<void> {
  const choice = await vscode.window.showInformationMessage('Pulse has no metric sources configured.', 'Add Source…', 'Open Settings');
  if (choice === 'Add Source…') await host.addSource();
  if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'pulse.sources');
}

/** All sources when there is one; a pick when there are several. undefined: cancelled. */
async function pickSources(host: PulseHost, title: string): Promise<string[] | undefined> {
  const picks = sourcePicks(host);
  if (picks.length === 0) {
    await noSources(host);
    return undefined;
  }
  if (picks.length === 1) return picks.map((p) => p.id);
  const all: SourcePick = { id: '*', label: '$(check-all) All sources' };
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
        void vscode.window.showErrorMessage(`Pulse: ${id.replace('pulse.', '')} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });

  return [
    register('pulse.openPanel', () => host.openPanel()),
    register('pulse.showLog', showLog),
    register('pulse.connect', async () => {
      const ids = await pickSources(host, 'Connect which source?');
      if (!ids) return;
      await sources.connect(ids);
      await host.setDisabledPersisted();
    }),
    register('pulse.disconnect', async () => {
      const ids = await pickSources(host, 'Disconnect which source?');
      if (!ids) return;
      sources.disconnect(ids);
      await host.setDisabledPersisted();
      void vscode.window.showInformationMessage(`Pulse: disconnected ${ids.length === 1 ? `"${ids[0]}"` : `${ids.length} sources`}. "Pulse: Connect" reconnects.`);
    }),
    register('pulse.reconnect', async () => {
      const ids = await pickSources(host, 'Reconnect which source?');
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
      if (!pick) return;
      const token = await vscode.window.showInputBox({
        title: `Token for "${pick.label}"`,
        prompt: 'Sent as "Authorization: Bearer <token>". Stored in VS Code SecretStorage, never in settings or logs. Leave empty to remove it.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (/[\r\n]/.test(v) ? 'A token is one line' : v.length > 8192 ? 'Too long' : undefined),
      });
      if (token === undefined) return;
      const context = host.context;
      if (token === '') await context.secrets.delete(tokenKey(pick.id));
      else await context.secrets.store(tokenKey(pick.id), token);
      host.log.info(`[${pick.label}] token ${token === '' ? 'removed' : 'updated'}`);
      await sources.restart(pick.id);
      void vscode.window.showInformationMessage(`Pulse: token for "${pick.label}" ${token === '' ? 'removed' : 'saved'}; reconnecting.`);
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
      void vscode.window.showInformationMessage('Pulse: history cleared.');
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
      const open = await vscode.window.showInformationMessage(`Pulse: exported ${pipeline.store.size} series to ${vscode.workspace.asRelativePath(uri)}.`, 'Open');
      if (open === 'Open') await vscode.window.showTextDocument(uri);
    }),
    register('pulse.dismissAllAlerts', () => {
      const n = pipeline.alerts.firing().length;
      host.decide(() => pipeline.dismissAll());
      void vscode.window.showInformationMessage(n > 0 ? `Pulse: dismissed ${n} alert${n === 1 ? '' : 's'}.` : 'Pulse: no alerts to dismiss.');
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
      host.decide(() => pipeline.snoozeAll(pick.duration, Date.now()));
      void vscode.window.showInformationMessage(`Pulse: alerts snoozed (${pick.label.toLowerCase()}).`);
    }),
    register('pulse.compareSinceLastSave', () => host.codeAware.compareSinceLastSave()),
    register('pulse.goToHandler', () => host.codeAware.goToHandler()),
    register('pulse.openThresholdSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'pulse.thresholds')),
  ];
}
