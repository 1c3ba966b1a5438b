// What can be done to one source (tree context menu, Manage Sources): reconnect, enable/disable, token, test, remove.
// Routine actions confirm in the status bar, never with a toast.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { SourceConfig } from '../../core/model';
import { tokenKey } from '../pulseHost';
import { probeUrl } from '../../sources/probe';
import { decodeMessage } from '../../core/decode/decode';
import { safe } from '../../core/views/safeText';
import type { SafeText } from '../../core/views/safeText';
import { updateSourceEntry } from './sourceSettings';

export const STATUS_MESSAGE_MS = 4000;

/** A short confirmation in the status bar (which renders $(icon) syntax: safe text only). */
export function confirm(text: SafeText): void {
  vscode.window.setStatusBarMessage(text, STATUS_MESSAGE_MS);
}

export async function reconnectSource(host: PulseHost, id: string): Promise<void> {
  await host.sources.reconnect([id]);
  await host.setDisabledPersisted();
}

export async function setEnabled(host: PulseHost, id: string, enabled: boolean): Promise<void> {
  if (enabled) await host.sources.connect([id]);
  else host.sources.disconnect([id]);
  await host.setDisabledPersisted();
  const name = host.pipeline.source(id)?.config.name ?? id;
  confirm(safe`Pulse: ${name} ${enabled ? 'enabled' : 'disabled'}`);
}

/** Asks for a token and keeps it in SecretStorage; empty removes it. */
export async function setToken(host: PulseHost, source: SourceConfig): Promise<void> {
  const token = await vscode.window.showInputBox({
    title: safe`Token for "${source.name}"`,
    prompt: 'Sent as "Authorization: Bearer <token>". Stored in VS Code SecretStorage, never in settings or logs. Leave empty to remove it.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (/[\r\n]/.test(v) ? 'A token is one line' : v.length > 8192 ? 'Too long' : undefined),
  });
  if (token === undefined) return;
  if (token === '') await host.context.secrets.delete(tokenKey(source.id));
  else await host.context.secrets.store(tokenKey(source.id), token);
  host.log.info(`[${source.name}] token ${token === '' ? 'removed' : 'updated'}`);
  await host.sources.restart(source.id);
  confirm(safe`Pulse: token for ${source.name} ${token === '' ? 'removed' : 'saved'}; reconnecting`);
}

/** Removes the source from the settings it is defined in, after a modal confirmation. */
export async function removeSource(host: PulseHost, source: SourceConfig): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    safe`Remove the Pulse source "${source.name}"?`,
    { modal: true, detail: safe`It is deleted from your ${source.scope === 'workspace' ? 'workspace' : 'user'} settings; its history stays until cleared.` },
    'Remove',
  );
  if (choice !== 'Remove') return false;
  const done = await updateSourceEntry(source, () => undefined);
  if (!done) {
    void vscode.window.showWarningMessage(safe`Pulse: "${source.name}" is not in your ${source.scope} settings (a folder's settings?); remove it there.`, 'Open Settings').then((c) => {
      if (c === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettingsJson');
    });
    return false;
  }
  await host.context.secrets.delete(tokenKey(source.id));
  confirm(safe`Pulse: removed ${source.name}`);
  return true;
}

/** Probes the source's URL once and says what it found. */
export async function testSource(host: PulseHost, source: SourceConfig): Promise<void> {
  const token = await host.context.secrets.get(tokenKey(source.id));
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: safe`Pulse: testing ${source.name}` }, () =>
    probeUrl(source.url, { log: host.log, maxPayloadBytes: host.settings.maxPayloadBytes, token, headers: source.headers }),
  );
  if (!result.ok) {
    void vscode.window.showWarningMessage(safe`Pulse: ${source.name}: ${result.reason}`);
    return;
  }
  const decoded = decodeMessage(result.sample, source.format, {});
  const what = decoded.ok ? safe`${decoded.value.format} format, ${decoded.value.samples.length} series in the first message` : safe`the first message did not decode: ${decoded.error}`;
  void vscode.window.showInformationMessage(safe`Pulse: ${source.name} answers (${result.kind}); ${what}`);
}
