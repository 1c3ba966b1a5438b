// Every command in the palette (category "Pulse"). None fails without telling the user why.

import * as vscode from 'vscode';
import type { PulseHost } from './pulseHost';
import type { ExportFormat } from '../core/persist/exportHistory';
import type { SnoozeDuration } from '../shared/vocabulary';
import { flows } from './lazy';
import { confirm } from './sources/sourceActions';
import { constant, plainText } from '../core/views/safeText';
import type { SafeText } from '../core/views/safeText';
import { l10n } from './l10n';

// Source names and URLs come from settings (possibly a cloned workspace's), states from servers:
// every shown string goes through src/core/views/safeText.ts (quick picks render $(icon) syntax).
interface SourcePick extends vscode.QuickPickItem {
  readonly id: string;
  readonly label: SafeText;
  readonly description?: SafeText;
  readonly detail?: SafeText;
}

function stateText(host: PulseHost, id: string): SafeText {
  const state = host.pipeline.source(id)?.state;
  if (!state) return constant('');
  switch (state.phase) {
    case 'reconnecting':
      return l10n.t('reconnecting: {0}', plainText(state.reason));
    case 'failed':
      return l10n.t('failed: {0}', plainText(state.reason));
    default:
      return plainText(state.phase);
  }
}

function sourcePicks(host: PulseHost): SourcePick[] {
  return host.sources.sources.map((s) => ({ id: s.id, label: plainText(s.name), description: plainText(s.url), detail: stateText(host, s.id), picked: host.sources.isEnabled(s.id) }));
}

async function noSources(host: PulseHost): Promise<void> {
  const add = l10n.t('Add Source…');
  const settings = l10n.t('Open Settings');
  const choice = await vscode.window.showInformationMessage(l10n.t('Pulse has no metric sources configured.'), add, settings);
  if (choice === add) await host.addSource();
  if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'pulse.sources');
}

/** All sources when there is one; a pick when there are several. undefined: cancelled. */
async function pickSources(host: PulseHost, title: SafeText): Promise<string[] | undefined> {
  const picks = sourcePicks(host);
  if (picks.length === 0) {
    await noSources(host);
    return undefined;
  }
  if (picks.length === 1) return picks.map((p) => p.id);
  const all: SourcePick = { id: '*', label: l10n.t('$(check-all) All sources') };
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
        void vscode.window.showErrorMessage(l10n.t('Pulse: {0} failed: {1}', plainText(id.replace('pulse.', '')), plainText(e instanceof Error ? e.message : String(e))));
      }
    });

  return [
    register('pulse.openPanel', () => host.openPanel()),
    register('pulse.showLog', showLog),
    register('pulse.connect', async () => {
      const ids = await pickSources(host, l10n.t('Connect which source?'));
      if (!ids) return;
      await sources.connect(ids);
      await host.setDisabledPersisted();
    }),
    register('pulse.disconnect', async () => {
      const ids = await pickSources(host, l10n.t('Disconnect which source?'));
      if (!ids) return;
      sources.disconnect(ids);
      await host.setDisabledPersisted();
      const one = host.pipeline.source(ids[0] ?? '')?.config.name ?? ids[0] ?? '';
      confirm(ids.length === 1 ? l10n.t('Pulse: disconnected {0}', plainText(one)) : l10n.t('Pulse: disconnected {0} sources', ids.length));
    }),
    register('pulse.reconnect', async () => {
      const ids = await pickSources(host, l10n.t('Reconnect which source?'));
      if (!ids) return;
      await sources.reconnect(ids);
      await host.setDisabledPersisted();
    }),
    register('pulse.addSource', () => host.addSource()),
    register('pulse.toggleSource', async () => {
      const picks = sourcePicks(host);
      if (picks.length === 0) return noSources(host);
      const chosen = await vscode.window.showQuickPick(picks, { title: l10n.t('Pulse: which sources are connected?'), canPickMany: true, matchOnDescription: true });
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
      const pick = picks.length === 1 ? picks[0] : await vscode.window.showQuickPick(picks, { title: l10n.t('Set the token of which source?') });
      const source = pick && sources.sources.find((s) => s.id === pick.id);
      if (source) await flows().setToken(host, source);
    }),
    register('pulse.clearHistory', async () => {
      const clear = l10n.t('Clear History');
      const choice = await vscode.window.showWarningMessage(
        l10n.t('Clear all Pulse history for this workspace?'),
        { modal: true, detail: l10n.t('Charts, saved samples and alerts are removed. Threshold settings and overrides are kept.') },
        clear,
      );
      if (choice !== clear) return;
      pipeline.clearHistory();
      await storage.clear();
      confirm(l10n.t('Pulse: history cleared'));
    }),
    register('pulse.exportHistory', async () => {
      if (pipeline.store.size === 0) {
        void vscode.window.showInformationMessage(l10n.t('Pulse: there is no history to export yet.'));
        return;
      }
      const format = await vscode.window.showQuickPick(
        [
          { label: 'CSV', description: l10n.t('one row per sample'), format: 'csv' as ExportFormat },
          { label: 'JSON', description: l10n.t('series with time and value arrays'), format: 'json' as ExportFormat },
        ],
        { title: l10n.t('Export Pulse history as') },
      );
      if (!format) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `pulse-history-${new Date().toISOString().replace(/[:.]/g, '-')}.${format.format}`;
      const uri = await vscode.window.showSaveDialog({
        title: l10n.t('Export Pulse History'),
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: format.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      });
      if (!uri) return;
      const now = Date.now();
      const text = flows().exportHistory(pipeline.store, format.format, 0, now);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const openIt = l10n.t('Open');
      const open = await vscode.window.showInformationMessage(l10n.t('Pulse: exported {0} series to {1}.', pipeline.store.size, plainText(vscode.workspace.asRelativePath(uri))), openIt);
      if (open === openIt) await vscode.window.showTextDocument(uri);
    }),
    register('pulse.dismissAllAlerts', () => {
      const n = pipeline.alerts.views(pipeline.clock.now()).length;
      host.decide(() => pipeline.dismissAll());
      confirm(n === 0 ? l10n.t('Pulse: no alerts to dismiss') : n === 1 ? l10n.t('Pulse: dismissed 1 alert') : l10n.t('Pulse: dismissed {0} alerts', n));
    }),
    register('pulse.snoozeAlerts', async () => {
      const pick = await vscode.window.showQuickPick(
        [
          { label: l10n.t('15 minutes'), duration: '15m' as SnoozeDuration },
          { label: l10n.t('1 hour'), duration: '1h' as SnoozeDuration },
          { label: l10n.t('Until the server restarts'), duration: 'restart' as SnoozeDuration },
        ],
        { title: l10n.t('Snooze Pulse alerts for') },
      );
      if (!pick) return;
      host.decide(() => pipeline.snoozeAll(pick.duration, pipeline.clock.now()));
      confirm(l10n.t('Pulse: alerts snoozed ({0})', plainText(pick.label.toLowerCase())));
    }),
    register('pulse.compareSinceLastSave', () => host.codeAware.compareSinceLastSave()),
    register('pulse.goToHandler', () => host.codeAware.goToHandler()),
    register('pulse.openThresholdSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'pulse.thresholds')),
  ];
}
