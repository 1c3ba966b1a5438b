// package.json as VS Code shows it: every "%key%" replaced by its English text from package.nls.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A whole-string placeholder, as VS Code resolves them: `"%command.openPanel.title%"`. */
export const NLS_PLACEHOLDER = /^%([^%\s]+)%$/;

export function readJson(root: string, file: string): unknown {
  return JSON.parse(readFileSync(join(root, file), 'utf8')) as unknown;
}

/** Every placeholder key used anywhere in `node` (objects and arrays, as VS Code walks them). */
export function placeholderKeys(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') {
    const m = NLS_PLACEHOLDER.exec(node);
    if (m?.[1]) out.push(m[1]);
  } else if (Array.isArray(node)) {
    for (const v of node) placeholderKeys(v, out);
  } else if (typeof node === 'object' && node !== null) {
    for (const v of Object.values(node)) placeholderKeys(v, out);
  }
  return out;
}

/** `node` with each placeholder replaced; a key missing from `nls` throws, naming it. */
export function resolvePlaceholders(node: unknown, nls: Readonly<Record<string, string>>): unknown {
  if (typeof node === 'string') {
    const key = NLS_PLACEHOLDER.exec(node)?.[1];
    if (key === undefined) return node;
    const text = nls[key];
    if (text === undefined) throw new Error(`package.json uses %${key}% but package.nls.json has no such key`);
    return text;
  }
  if (Array.isArray(node)) return node.map((v) => resolvePlaceholders(v, nls));
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolvePlaceholders(v, nls)]));
  return node;
}

/** The repository's manifest with its English strings in place, typed by the caller. */
export function readManifest<T>(root: string): T {
  return resolvePlaceholders(readJson(root, 'package.json'), readJson(root, 'package.nls.json') as Record<string, string>) as T;
}
