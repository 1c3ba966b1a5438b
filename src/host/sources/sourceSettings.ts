// Reads and rewrites one entry of `pulse.sources` where it is defined (user or workspace settings).

import * as vscode from 'vscode';
import type { SourceConfig } from '../../core/model';
import { SECTION } from '../config';

export type SourceEntry = Record<string, unknown>;

function targetOf(scope: SourceConfig['scope']): vscode.ConfigurationTarget {
  return scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

function listAt(target: vscode.ConfigurationTarget): unknown[] {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>('sources');
  const value = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  return Array.isArray(value) ? [...value] : [];
}

function nameOf(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as SourceEntry).name : undefined;
}

/**
 * Replaces (or with undefined removes) the entry named like `source` in the settings it came from.
 * Returns false when the entry is not there (e.g. it lives in a folder's settings).
 */
export async function updateSourceEntry(source: SourceConfig, change: (entry: SourceEntry) => SourceEntry | undefined): Promise<boolean> {
  const target = targetOf(source.scope);
  const list = listAt(target);
  const index = list.findIndex((e) => typeof nameOf(e) === 'string' && String(nameOf(e)).trim() === source.name);
  const current = list[index];
  if (index < 0 || typeof current !== 'object' || current === null) return false;
  const next = change({ ...(current as SourceEntry) });
  if (next === undefined) list.splice(index, 1);
  else list[index] = next;
  await vscode.workspace.getConfiguration(SECTION).update('sources', list, target);
  return true;
}

/** Appends entries to workspace settings (a trusted folder is open) or else user settings. */
export async function appendSourceEntries(entries: readonly SourceEntry[]): Promise<'workspace' | 'user'> {
  const workspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0 && vscode.workspace.isTrusted;
  const target = workspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SECTION).update('sources', [...listAt(target), ...entries], target);
  return workspace ? 'workspace' : 'user';
}
