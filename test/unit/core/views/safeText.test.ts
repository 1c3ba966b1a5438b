// The one helper for untrusted text on VS Code surfaces: links, commands, icons and schemes are neutralised.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { english, joinSafe, markdownText, plainText, safe, translator } from '../../../../src/core/views/safeText';

/** VS Code's notification link syntax: [label](https:…|command:…|file:…). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
const EVIL = '/api/[Open the runbook](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22x%22%7D "Open") $(zap) file:///etc/passwd https://x.test \u202Eevil\nline';

test('plainText leaves no link, command, icon, scheme, control or bidi character', () => {
  const out = plainText(EVIL);
  assert.ok(!NOTIFICATION_LINK.test(out), out);
  assert.ok(!/\]\(/.test(out), out);
  assert.ok(!/\$\(/.test(out), out);
  assert.ok(!/\b(command|file|https):/.test(out), out);
  assert.ok(!/[\u202E\n]/.test(out), out);
  assert.ok(out.includes('Open the runbook'), 'the words stay readable');
  assert.equal(plainText(out), out, 'idempotent');
});

test('plainText keeps ordinary text, ports and route parameters as they are, and cuts long text', () => {
  assert.equal(plainText('GET /api/users/:id on localhost:3000 took 12 ms'), 'GET /api/users/:id on localhost:3000 took 12 ms');
  assert.equal(plainText('heap (bun) [cached]'), 'heap (bun) [cached]', 'brackets that form no syntax stay');
  const long = plainText('x'.repeat(10_000), 200);
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('…'));
  assert.ok(!/[\uD800-\uDBFF]…$/.test(plainText(`${'x'.repeat(198)}😀😀`, 200)), 'a surrogate pair is never split');
});

test('the safe`` tag escapes interpolated values only; joinSafe keeps our own icons', () => {
  assert.equal(safe`Pulse: ${'[x](command:y)'} (and ${2} more)`, 'Pulse: [x］(command：y) (and 2 more)');
  assert.equal(joinSafe(safe`$(warning) `, safe`${'$(zap)'}`), '$(warning) ＄(zap)');
});

test('markdownText escapes every Markdown, HTML and link character', () => {
  const out = markdownText(EVIL, 400);
  assert.ok(!out.includes('](command:'));
  assert.ok(!/(^|[^\\])[[\]()<>$:]/.test(out), out);
  assert.ok(!/[\u202E\n]/.test(out));
  assert.ok(markdownText('x'.repeat(100_000)).length < 400);
});

test('translator: our message in the bundle\'s words, each value already plain, so a server string links nothing', () => {
  const bundle: Record<string, string> = { 'Pulse: removed {0}': 'Pulse : {0} supprimé' };
  const french = translator((message, ...args) => english(bundle[message] ?? message, ...args));
  const out = french.t('Pulse: removed {0}', plainText(EVIL));
  assert.ok(out.startsWith('Pulse : /api/'), out);
  assert.ok(out.endsWith(' supprimé'), out);
  assert.doesNotMatch(out, NOTIFICATION_LINK);
  assert.ok(!out.includes('$(zap)') && !out.includes('\u202E'), out);
  const en = translator(english);
  assert.equal(en.t('{0} of {1} series', 3, plainText('10')), '3 of 10 series');
  assert.equal(en.t('{1} before {0}, {2} left as is', 1, 2), '2 before 1, {2} left as is');
  assert.equal(en.t('$(check-all) All sources'), '$(check-all) All sources', 'our own icon syntax stays');
});
