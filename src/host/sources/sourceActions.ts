// What can be done to one source (tree context menu, Manage Sources): reconnect, enable/disable, token, test, remove.
// Routine actions confirm in the status bar, never with a toast.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { SourceConfig } from '../../core/model';
import { tokenKey } from '../pulseHost';
import { flows } from '../lazy';
import { decodeMessage } from '../../core/decode/decode';
import { plainText } from '../../core/views/safeText';
import type { SafeText } from '../../core/views/safeText';
import { l10n } from '../l10n';
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
  const name = plainText(host.pipeline.source(id)?.config.name ?? id);
  confirm(enabled ? l10n.t('Pulse: {0} enabled', name) : l10n.t('Pulse: {0} disabled', name));
}

/** Asks for a token and keeps it in SecretStorage; empty removes it. */
export async function setToken(host: PulseHost, source: SourceConfig): Promise<void> {
  const token = await vscode.window.showInputBox({
    title: l10n.t('Token for "{0}"', plainText(source.name)),
    prompt: l10n.t('Sent as "Authorization: Bearer <token>". Stored in VS Code SecretStorage, never in settings or logs. Leave empty to remove it.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (/[\r\n]/.test(v) ? l10n.t('A token is one line') : v.length > 8192 ? l10n.t('Too long') : undefined),
  });
  if (token === undefined) return;
  if (token === '') await host.context.secrets.delete(tokenKey(source.id));
  else await host.context.secrets.store(tokenKey(source.id), token);
  host.log.info(`[${source.name}] token ${token === '' ? 'removed' : 'updated'}`);
  await host.sources.restart(source.id);
  const name = plainText(source.name);
  confirm(token === '' ? l10n.t('Pulse: token for {0} removed; reconnecting', name) : l10n.t('Pulse: token for {0} saved; reconnecting', name));
}

/** Removes the source from the settings it is defined in, after a modal confirmation. */
export async function removeSource(host: PulseHost, source: SourceConfig): Promise<boolean> {
  const name = plainText(source.name);
  const remove = l10n.t('Remove');
  const choice = await vscode.window.showWarningMessage(
    l10n.t('Remove the Pulse source "{0}"?', name),
    {
      modal: true,
      detail: source.scope === 'workspace' ? l10n.t('It is deleted from your workspace settings; its history stays until cleared.') : l10n.t('It is deleted from your user settings; its history stays until cleared.'),
    },
    remove,
  );
  if (choice !== remove) return false;
  const done = await updateSourceEntry(source, () => undefined);
  if (!done) {
    const open = l10n.t('Open Settings');
    const where = source.scope === 'workspace' ? l10n.t('Pulse: "{0}" is not in your workspace settings (a folder\'s settings?); remove it there.', name) : l10n.t('Pulse: "{0}" is not in your user settings (a folder\'s settings?); remove it there.', name);
    void vscode.window.showWarningMessage(where, open).then((c) => {
      if (c === open) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
    });
    return false;
  }
  await host.context.secrets.delete(tokenKey(source.id));
  confirm(l10n.t('Pulse: removed {0}', name));
  return true;
}

/** Probes the source's URL once and says what it found. */
export async function testSource(host: PulseHost, source: SourceConfig): Promise<void> {
  const token = await host.context.secrets.get(tokenKey(source.id));
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: l10n.t('Pulse: testing {0}', plainText(source.name)) }, () =>
    flows().probeUrl(source.url, { log: host.log, maxPayloadBytes: host.settings.maxPayloadBytes, token, headers: source.headers }),
  );
  if (!result.ok) {
    void vscode.window.showWarningMessage(l10n.t('Pulse: {0}: {1}', plainText(source.name), plainText(result.reason)));
    return;
  }
  const decoded = decodeMessage(result.sample, source.format, {});
  const what = decoded.ok
    ? l10n.t('{0} format, {1} series in the first message', plainText(decoded.value.format), decoded.value.samples.length)
    : l10n.t('the first message did not decode: {0}', plainText(decoded.error));
  void vscode.window.showInformationMessage(l10n.t('Pulse: {0} answers ({1}); {2}', plainText(source.name), plainText(result.kind), what));
}
