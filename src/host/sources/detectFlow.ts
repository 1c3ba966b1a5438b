// "Pulse: Detect Sources": ports from the workspace plus common dev ports, probed on loopback only; the
// endpoints that answer are listed (kind, format) and the ones picked are added to settings in one go.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { RankedEndpoint } from '../../core/detect/rank';
import type { SafeText } from '../../core/views/safeText';
import { discoverPorts } from '../../core/detect/candidates';
import { rankEndpoints, toSourceSetting } from '../../core/detect/rank';
import { detectEndpoints } from '../../sources/detect';
import { joinSafe, plainText, safe } from '../../core/views/safeText';
import { l10n } from '../l10n';
import { readWorkspaceFiles } from './workspaceFiles';
import { appendSourceEntries } from './sourceSettings';
import { confirm } from './sourceActions';

interface EndpointPick extends vscode.QuickPickItem {
  readonly endpoint: RankedEndpoint;
  readonly label: SafeText;
  readonly description: SafeText;
  readonly detail: SafeText;
}

/** Finds endpoints (with a cancellable progress notification); undefined when cancelled. */
export async function findEndpoints(host: PulseHost): Promise<RankedEndpoint[] | undefined> {
  const files = await readWorkspaceFiles();
  const ports = discoverPorts(files);
  const controller = new AbortController();
  const found = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('Pulse: looking for metrics on this machine (localhost only)…'), cancellable: true },
    async (progress, token) => {
      const listener = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        return await detectEndpoints(ports, {
          log: host.log,
          maxPayloadBytes: host.settings.maxPayloadBytes,
          signal: controller.signal,
          onProgress: (done, total) => {
            const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
            progress.report({ increment: pct - reported });
            reported = pct;
          },
        });
      } finally {
        listener.dispose();
      }
    },
  );
  if (controller.signal.aborted) return undefined;
  const ranked = rankEndpoints(found, host.settings.sources.map((s) => s.url));
  host.log.info(`Detect: ${ports.length} ports checked, ${found.length} endpoints answered, ${ranked.length} not yet configured`);
  return ranked;
}

function pickOf(e: RankedEndpoint): EndpointPick {
  const format = e.format === 'auto' ? l10n.t('unknown format') : plainText(e.format);
  const series = e.series > 0 ? l10n.t(' · {0} series', e.series) : safe``;
  const recommended = e.recommended ? l10n.t(' · recommended') : safe``;
  return {
    endpoint: e,
    label: safe`${e.kind} ${e.path}`,
    description: joinSafe(l10n.t('port {0} · {1}', e.port, format), series, recommended),
    detail: e.reasons.length > 0 ? l10n.t('Found via {0}', plainText(e.reasons.join('; '), 190)) : l10n.t('A common dev-server port'),
    picked: e.recommended,
  };
}

/** The whole command: find, pick, add. Returns how many sources were added. */
export async function detectSources(host: PulseHost, onFound?: (count: number) => void): Promise<number> {
  const ranked = await findEndpoints(host);
  if (ranked === undefined) return 0;
  onFound?.(ranked.length);
  if (ranked.length === 0) {
    const again = l10n.t('Detect Again');
    const add = l10n.t('Add Source…');
    const choice = await vscode.window.showInformationMessage(
      l10n.t('Pulse found no metrics endpoint on this machine. Start your dev server and detect again, or add a source by URL.'),
      again,
      add,
    );
    if (choice === again) return detectSources(host, onFound);
    if (choice === add) await host.addSource();
    return 0;
  }
  const chosen = await vscode.window.showQuickPick(ranked.map(pickOf), {
    title: ranked.length === 1 ? l10n.t('Pulse: 1 metrics endpoint found — add which?') : l10n.t('Pulse: {0} metrics endpoints found — add which?', ranked.length),
    placeHolder: l10n.t('The recommended endpoint of each server is selected'),
    canPickMany: true,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!chosen || chosen.length === 0) return 0;
  const taken = host.settings.sources.map((s) => s.name);
  const entries = chosen.map((c) => {
    const entry = toSourceSetting(c.endpoint, taken);
    taken.push(entry.name);
    return { ...entry };
  });
  const where = await appendSourceEntries(entries);
  host.log.info(`Detect: added ${entries.map((e) => `${e.name} (${e.url})`).join(', ')} to ${where} settings`);
  const n = entries.length;
  if (where === 'workspace') confirm(n === 1 ? l10n.t('Pulse: added 1 source to workspace settings') : l10n.t('Pulse: added {0} sources to workspace settings', n));
  else confirm(n === 1 ? l10n.t('Pulse: added 1 source to user settings') : l10n.t('Pulse: added {0} sources to user settings', n));
  return entries.length;
}
