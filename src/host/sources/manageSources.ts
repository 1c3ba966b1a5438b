// "Pulse: Manage Sources": add, detect, and per source test, edit, enable/disable, set token, remove,
// without opening settings.json.

import * as vscode from 'vscode';
import type { PulseHost } from '../pulseHost';
import type { SourceConfig } from '../../core/model';
import type { SafeText } from '../../core/views/safeText';
import { checkUrl, sourceId } from '../../core/settings/settings';
import { tokenKey } from '../pulseHost';
import { plainText } from '../../core/views/safeText';
import { l10n } from '../l10n';
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
    { action: 'add', label: l10n.t('$(add) Add Source…'), description: l10n.t('by URL; Pulse probes it and detects the format') },
    { action: 'detect', label: l10n.t('$(search) Detect Sources…'), description: l10n.t('look for dev servers on this machine') },
    ...sources.map((s): ActionPick<TopAction> => {
      const state = host.sources.isEnabled(s.id) ? plainText(host.pipeline.source(s.id)?.state.phase ?? 'idle') : l10n.t('disabled');
      const what = [plainText(s.kind), plainText(s.format), state] as const;
      return {
        action: `source:${s.id}`,
        label: plainText(s.name, 64),
        description: plainText(s.url, 120),
        detail: s.scope === 'workspace' ? l10n.t('{0}, {1} · {2} · workspace settings', ...what) : l10n.t('{0}, {1} · {2} · user settings', ...what),
      };
    }),
  ];
  const chosen = await vscode.window.showQuickPick(top, { title: l10n.t('Pulse: Manage Sources'), placeHolder: l10n.t('Add a source, or pick one to test, edit or remove'), matchOnDescription: true });
  if (!chosen) return;
  if (chosen.action === 'add') return void (await host.addSource());
  if (chosen.action === 'detect') return void (await detect());
  const source = sources.find((s) => `source:${s.id}` === chosen.action);
  if (source) await manageOne(host, source);
}

async function manageOne(host: PulseHost, source: SourceConfig): Promise<void> {
  const enabled = host.sources.isEnabled(source.id);
  const actions: ActionPick<SourceAction>[] = [
    { action: 'test', label: l10n.t('$(debug-start) Test Connection'), description: l10n.t('probe the URL once') },
    { action: 'url', label: l10n.t('$(edit) Edit URL…') },
    { action: 'name', label: l10n.t('$(tag) Rename…') },
    { action: 'toggle', label: enabled ? l10n.t('$(debug-disconnect) Disable') : l10n.t('$(plug) Enable') },
    { action: 'token', label: l10n.t('$(key) Set Token…'), description: l10n.t('kept in SecretStorage') },
    { action: 'remove', label: l10n.t('$(trash) Remove') },
  ];
  const chosen = await vscode.window.showQuickPick(actions, { title: l10n.t('Pulse: {0}', plainText(source.name)) });
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
        title: l10n.t('URL of {0}', plainText(source.name)),
        value: source.url,
        ignoreFocusOut: true,
        validateInput: (v) => checkUrl(v.trim(), source.kind),
      });
      if (url === undefined || url.trim() === source.url) return;
      if (await updateSourceEntry(source, (e) => ({ ...e, url: url.trim() }))) confirm(l10n.t('Pulse: {0} now reads {1}', plainText(source.name), plainText(url.trim())));
      return;
    }
    case 'name': {
      const taken = host.settings.sources.filter((s) => s.id !== source.id).map((s) => s.name);
      const name = await vscode.window.showInputBox({
        title: l10n.t('Rename {0}', plainText(source.name)),
        value: source.name,
        ignoreFocusOut: true,
        validateInput: (v) => (!v.trim() ? l10n.t('Enter a name') : v.trim().length > 64 ? l10n.t('At most 64 characters') : taken.includes(v.trim()) ? l10n.t('That name is taken') : undefined),
      });
      if (name === undefined || name.trim() === source.name) return;
      // The id (and so the token's key) follows the name: carry the token over.
      const token = await host.context.secrets.get(tokenKey(source.id));
      if (!(await updateSourceEntry(source, (e) => ({ ...e, name: name.trim() })))) return;
      if (token !== undefined) {
        await host.context.secrets.store(tokenKey(sourceId(name.trim())), token);
        await host.context.secrets.delete(tokenKey(source.id));
      }
      confirm(l10n.t('Pulse: renamed to {0}', plainText(name.trim())));
      return;
    }
  }
}
