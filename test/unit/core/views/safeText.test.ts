// The one helper for untrusted text on VS Code surfaces: links, commands, icons and schemes are neutralised.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinSafe, markdownText, plainText, safe } from '../../../../src/core/views/safeText';

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
