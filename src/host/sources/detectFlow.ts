// "Pulse: Detect Sources": ports from the workspace plus common dev ports, probed on loopback only; the
// endpoints that answer are listed (kind, format) and the ones picked are added to settings in one go.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { RankedEndpoint } from '../../core/detect/rank';
import type { SafeText } from '../../core/views/safeText';
import { discoverPorts } from '../../core/detect/candidates';
import { rankEndpoints, toSourceSetting } from '../../core/detect/rank';
import { detectEndpoints } from '../../sources/detect';
import { constant, plainText, safe } from '../../core/views/safeText';
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
    { location: vscode.ProgressLocation.Notification, title: constant('Pulse: looking for metrics on this machine (localhost only)…'), cancellable: true },
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
  const format = e.format === 'auto' ? 'unknown format' : e.format;
  return {
    endpoint: e,
    label: safe`${e.kind} ${e.path}`,
    description: safe`port ${e.port} · ${format}${e.series > 0 ? ` · ${e.series} series` : ''}${e.recommended ? ' · recommended' : ''}`,
    detail: e.reasons.length > 0 ? plainText(`Found via ${e.reasons.join('; ')}`, 200) : constant('A common dev-server port'),
    picked: e.recommended,
  };
}

/** The whole command: find, pick, add. Returns how many sources were added. */
export async function detectSources(host: PulseHost, onFound?: (count: number) => void): Promise<number> {
  const ranked = await findEndpoints(host);
  if (ranked === undefined) return 0;
  onFound?.(ranked.length);
  if (ranked.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'Pulse found no metrics endpoint on this machine. Start your dev server and detect again, or add a source by URL.',
      'Detect Again',
      'Add Source…',
    );
    if (choice === 'Detect Again') return detectSources(host, onFound);
    if (choice === 'Add Source…') await host.addSource();
    return 0;
  }
  const chosen = await vscode.window.showQuickPick(ranked.map(pickOf), {
    title: safe`Pulse: ${ranked.length} metrics endpoint${ranked.length === 1 ? '' : 's'} found — add which?`,
    placeHolder: constant('The recommended endpoint of each server is selected'),
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
  confirm(safe`Pulse: added ${entries.length} source${entries.length === 1 ? '' : 's'} to ${where} settings`);
  return entries.length;
}
