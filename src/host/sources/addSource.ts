// "Pulse: Add Source…": a guided quick input that probes the URL and detects kind and format.

import * as vscode from 'vscode';
import type { Logger } from '../../core/model';
import type { FormatHint, SourceKind } from '../../shared/vocabulary';
import { checkUrl } from '../../core/settings/settings';
import { decodeMessage } from '../../core/decode/decode';
import { probeUrl } from '../../sources/probe';
import { SECTION } from '../config';
import { safe } from '../../core/views/safeText';
import type { SafeText } from '../../core/views/safeText';

const SUGGESTIONS = [
  'ws://localhost:3000/api/dev/server-metrics/live',
  'http://localhost:3000/api/dev/server-metrics',
  'ws://localhost:3334/metrics',
  'http://localhost:3002/metrics/enhanced',
  'ws://localhost:8080/ws',
  'http://localhost:9090/metrics',
] as const;

export async function addSource(log: Logger, existingNames: readonly string[]): Promise<boolean> {
  const url = await vscode.window.showInputBox({
    title: 'Add Pulse Source (1/3): URL',
    prompt: 'URL of the metrics endpoint: ws:// or wss:// for a stream, http:// or https:// for JSON, SSE or Prometheus',
    placeHolder: SUGGESTIONS[0],
    value: SUGGESTIONS[0],
    ignoreFocusOut: true,
    validateInput: (v) => {
      const trimmed = v.trim();
      if (!trimmed) return 'Enter a URL';
      const kind: SourceKind = /^wss?:/i.test(trimmed) ? 'ws' : 'http-json';
      return checkUrl(trimmed, kind);
    },
  });
  if (!url) return false;
  const target = url.trim();

  const probe = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: safe`Pulse: probing ${target}…`, cancellable: false },
    () => probeUrl(target, { maxPayloadBytes: 4 * 1024 * 1024, log }),
  );
  let kind: SourceKind;
  let format: FormatHint = 'auto';
  // Shown as the name box's prompt: the probe's text comes from the server.
  let detail: SafeText;
  if (probe.ok) {
    kind = probe.kind;
    const decoded = decodeMessage(probe.sample, 'auto', {});
    if (decoded.ok) {
      format = decoded.value.format;
      detail = safe`Detected ${kind} with ${format} format (${decoded.value.samples.length} series in the first message).`;
    } else {
      detail = safe`Connected (${kind}), but the first message did not decode: ${decoded.error}. Saving with format "auto".`;
    }
  } else {
    const choice = await vscode.window.showWarningMessage(
      safe`Pulse could not read ${target}: ${probe.reason}`,
      { modal: true, detail: 'You can add it anyway (for a server that is not running yet); Pulse will keep trying to connect.' },
      'Add Anyway',
    );
    if (choice !== 'Add Anyway') return false;
    kind = /^wss?:/i.test(target) ? 'ws' : 'http-json';
    detail = safe`Not probed.`;
  }

  const suggested = (() => {
    try {
      const u = new URL(target);
      return `${u.hostname}:${u.port || (u.protocol.startsWith('https') || u.protocol === 'wss:' ? '443' : '80')}${u.pathname === '/' ? '' : u.pathname}`.slice(0, 64);
    } catch {
      return 'dev server';
    }
  })();
  const name = await vscode.window.showInputBox({
    title: 'Add Pulse Source (2/3): name',
    prompt: detail,
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const n = v.trim();
      if (!n) return 'Enter a name';
      if (n.length > 64) return 'At most 64 characters';
      if (existingNames.includes(n)) return `A source named "${n}" already exists`;
      return undefined;
    },
  });
  if (!name) return false;

  const hasFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const where = hasFolder
    ? await vscode.window.showQuickPick(
        [
          { label: 'Workspace settings', description: 'only this project', target: vscode.ConfigurationTarget.Workspace },
          { label: 'User settings', description: 'every window', target: vscode.ConfigurationTarget.Global },
        ],
        { title: 'Add Pulse Source (3/3): save to', ignoreFocusOut: true },
      )
    : { target: vscode.ConfigurationTarget.Global };
  if (!where) return false;

  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<unknown[]>('sources');
  const current = where.target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  const list = Array.isArray(current) ? [...current] : [];
  const entry: Record<string, unknown> = { name: name.trim(), url: target, kind };
  if (format !== 'auto') entry.format = format;
  if (format === 'snapshot') entry.subscribe = true;
  list.push(entry);
  await config.update('sources', list, where.target);
  vscode.window.setStatusBarMessage(safe`Pulse: added source "${name.trim()}" (${kind}, ${format})`, 4000);
  return true;
}
