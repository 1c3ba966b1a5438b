// l10n/bundle.l10n.json (written by `npx @vscode/l10n-dev export -o ./l10n ./src`) holds exactly the messages
// the host passes to l10n.t, so translators see every one and none that is gone; package.json points at it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/fakeVscode';

/** The string literal of every `l10n.t('…')` / `vscode.l10n.t("…")` call in the TypeScript under `dir`. */
function messages(dir: string, out = new Set<string>()): Set<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) messages(path, out);
    else if (e.name.endsWith('.ts')) {
      const code = readFileSync(path, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
      for (const m of code.matchAll(/\bl10n\.t\(\s*(['"])((?:\\.|(?!\1).)*)\1/g)) out.add((m[2] ?? '').replace(/\\(.)/g, '$1'));
    }
  }
  return out;
}

test('the l10n bundle lists every l10n.t message of the extension, and only those', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(pkg.l10n, './l10n');
  const bundle = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
  const used = messages(join(repoRoot, 'src'));
  assert.ok(used.size >= 100, `messages found: ${used.size}`);
  const stale = Object.keys(bundle).filter((k) => !used.has(k));
  const missing = [...used].filter((k) => !(k in bundle));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'run: npx @vscode/l10n-dev export -o ./l10n ./src');
  for (const [k, v] of Object.entries(bundle)) assert.equal(v, k, 'the English bundle maps each message to itself');
});
