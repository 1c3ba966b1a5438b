// Reads the few workspace files detection looks at: each folder's own, plus nested package.json/go.mod/.env.

import * as vscode from 'vscode';
import type { WorkspaceFile } from '../../core/detect/candidates';
import { WORKSPACE_FILES } from '../../core/detect/candidates';

const MAX_BYTES = 512 * 1024;
const MAX_NESTED = 30;

async function read(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export async function readWorkspaceFiles(): Promise<WorkspaceFile[]> {
  const out: WorkspaceFile[] = [];
  const seen = new Set<string>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const path of WORKSPACE_FILES) {
      const uri = vscode.Uri.joinPath(folder.uri, path);
      seen.add(uri.toString());
      const text = await read(uri);
      if (text !== undefined) out.push({ path, text });
    }
  }
  let nested: readonly vscode.Uri[] = [];
  try {
    nested = await vscode.workspace.findFiles('**/{package.json,go.mod,.env}', '**/{node_modules,.git,dist,out,vendor}/**', MAX_NESTED);
  } catch {
    // no search provider: the folders' own files are enough
  }
  for (const uri of nested) {
    if (seen.has(uri.toString())) continue;
    const text = await read(uri);
    if (text !== undefined) out.push({ path: vscode.workspace.asRelativePath(uri), text });
  }
  return out;
}
