import type * as vscode from 'vscode';
import type { PulseSettings } from '../core/settings/settings';
import { readSettings } from '../core/settings/settings';

export const SECTION = 'pulse';

/** The one typed reader of Pulse's configuration. Sources are read per scope for Workspace Trust. */
export function readConfiguration(api: typeof vscode): PulseSettings {
  const config = api.workspace.getConfiguration(SECTION);
  const sources = config.inspect<unknown>('sources');
  return readSettings({
    get: (key) => config.get<unknown>(key),
    userSources: sources?.globalValue,
    workspaceSources: sources?.workspaceFolderValue !== undefined ? mergeLists(sources.workspaceValue, sources.workspaceFolderValue) : sources?.workspaceValue,
  });
}

function mergeLists(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return b ?? a;
}
