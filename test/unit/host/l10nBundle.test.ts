// l10n/bundle.l10n.json holds exactly the messages the host, src/core and the webview pass to l10n.t, so
// translators see every one and none that is gone; package.json points at it, and the panel gets it too.
// Written by `npm run l10n` (`@vscode/l10n-dev export` only sees files importing 'vscode').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/fakeVscode';
import { l10nCalls } from '../../../scripts/l10nMessages';

const bundle = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;

test('the l10n bundle lists every l10n.t message of the extension and the panel, and only those', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(pkg.l10n, './l10n');
  const { messages, notLiteral } = l10nCalls(repoRoot, ['src', 'webview']);
  assert.deepEqual(notLiteral, [], 'every l10n.t call has a literal message (data goes in {0}, never as the message)');
  const used = new Set(messages);
  const stale = Object.keys(bundle).filter((k) => !used.has(k));
  const missing = messages.filter((k) => !(k in bundle));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'run: npm run l10n');
  for (const [k, v] of Object.entries(bundle)) assert.equal(v, k, 'the English bundle maps each message to itself');
});

test('the webview and the status bar builder are in the bundle, not only the host', () => {
  const { messages: web } = l10nCalls(repoRoot, ['webview']);
  const { messages: core } = l10nCalls(repoRoot, [join('src', 'core')]);
  assert.ok(web.length >= 150, `webview messages: ${web.length}`);
  assert.ok(core.length >= 30, `src/core messages: ${core.length}`);
  for (const m of ['All clear — no active alerts.', 'Critical', '{0} s ago', 'Click to open the metrics panel.']) assert.ok(m in bundle, m);
});

test('the message reader finds calls across lines and skips comments and non-calls', () => {
  // The reader is what the bundle is written from: prove it on this file's own source.
  const { messages } = l10nCalls(repoRoot, [join('test', 'unit', 'host', 'fixtures', 'l10n')]);
  assert.deepEqual(messages, ['one', 'two {0}', "it's three"]);
});
