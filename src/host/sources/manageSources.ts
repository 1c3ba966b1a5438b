// "Pulse: Manage Sources": add, detect, and per source test, edit, enable/disable, set token, remove,
// without opening settings.json.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { SourceConfig } from '../../core/model';
import type { SafeText } from '../../core/views/safeText';
import { checkUrl, sourceId } from '../../core/settings/settings';
import { tokenKey } from '../pulseHost';
import { constant, plainText, safe } from '../../core/views/safeText';
import { removeSource, setEnabled, setToken, testSource, confirm } from './sourceActions';
import { updateSourceEntry } from './sourceSettings';

interface ActionPick<A extends string> extends vscode.QuickPickItem {
  readonly action: A;
  readonly label: SafeText;
  readonly description?: SafeText;
  readonly detail?: SafeText;
}

type TopAction = 'add' | 'detect' | `source:${string}`;
type SourceAction = 'test' | 'url' | 'name' | 'toggle' | 'token' | 'remove';

export async function manageSources(host: PulseHost, detect: () => PromiseLike<unknown>): Promise<void> {
  const sources = host.settings.sources;
  const top: ActionPick<TopAction>[] = [
    { action: 'add', label: constant('$(add) Add Source…'), description: constant('by URL; Pulse probes it and detects the format') },
    { action: 'detect', label: constant('$(search) Detect Sources…'), description: constant('look for dev servers on this machine') },
    ...sources.map((s): ActionPick<TopAction> => ({
      action: `source:${s.id}`,
      label: plainText(s.name, 64),
      description: plainText(s.url, 120),
      detail: safe`${s.kind}, ${s.format} · ${host.sources.isEnabled(s.id) ? host.pipeline.source(s.id)?.state.phase ?? 'idle' : 'disabled'} · ${s.scope} settings`,
    })),
  ];
  const chosen = await vscode.window.showQuickPick(top, { title: constant('Pulse: Manage Sources'), placeHolder: constant('Add a source, or pick one to test, edit or remove'), matchOnDescription: true });
  if (!chosen) return;
  if (chosen.action === 'add') return void (await host.addSource());
  if (chosen.action === 'detect') return void (await detect());
  const source = sources.find((s) => `source:${s.id}` === chosen.action);
  if (source) await manageOne(host, source);
}

async function manageOne(host: PulseHost, source: SourceConfig): Promise<void> {
  const enabled = host.sources.isEnabled(source.id);
  const actions: ActionPick<SourceAction>[] = [
    { action: 'test', label: constant('$(debug-start) Test Connection'), description: constant('probe the URL once') },
    { action: 'url', label: constant('$(edit) Edit URL…') },
    { action: 'name', label: constant('$(tag) Rename…') },
    { action: 'toggle', label: enabled ? constant('$(debug-disconnect) Disable') : constant('$(plug) Enable') },
    { action: 'token', label: constant('$(key) Set Token…'), description: constant('kept in SecretStorage') },
    { action: 'remove', label: constant('$(trash) Remove') },
  ];
  const chosen = await vscode.window.showQuickPick(actions, { title: safe`Pulse: ${source.name}` });
  if (!chosen) return;
  switch (chosen.action) {
    case 'test':
      return testSource(host, source);
    case 'toggle':
      return setEnabled(host, source.id, !enabled);
    case 'token':
      return setToken(host, source);
    case 'remove':
      return void (await removeSource(host, source));
    case 'url': {
      const url = await vscode.window.showInputBox({
        title: safe`URL of ${source.name}`,
        value: source.url,
        ignoreFocusOut: true,
        validateInput: (v) => checkUrl(v.trim(), source.kind),
      });
      if (url === undefined || url.trim() === source.url) return;
      if (await updateSourceEntry(source, (e) => ({ ...e, url: url.trim() }))) confirm(safe`Pulse: ${source.name} now reads ${url.trim()}`);
      return;
    }
    case 'name': {
      const taken = host.settings.sources.filter((s) => s.id !== source.id).map((s) => s.name);
      const name = await vscode.window.showInputBox({
        title: safe`Rename ${source.name}`,
        value: source.name,
        ignoreFocusOut: true,
        validateInput: (v) => (!v.trim() ? 'Enter a name' : v.trim().length > 64 ? 'At most 64 characters' : taken.includes(v.trim()) ? 'That name is taken' : undefined),
      });
      if (name === undefined || name.trim() === source.name) return;
      // The id (and so the token's key) follows the name: carry the token over.
      const token = await host.context.secrets.get(tokenKey(source.id));
      if (!(await updateSourceEntry(source, (e) => ({ ...e, name: name.trim() })))) return;
      if (token !== undefined) {
        await host.context.secrets.store(tokenKey(sourceId(name.trim())), token);
        await host.context.secrets.delete(tokenKey(source.id));
      }
      confirm(safe`Pulse: renamed to ${name.trim()}`);
      return;
    }
  }
}
