// The status bar speaks VS Code's display language: a fresh bundle of src/extension.ts in the fake VS Code,
// given a pseudo-locale bundle (every message of l10n/bundle.l10n.json as ⟦…⟧), shows only translated words
// in its text, tooltip, accessible label and command title; without a bundle it stays English.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeStatusBarItem } from '../../helpers/fakeVscode';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';
import { bundleExtension } from '../../helpers/extensionBundle';

const english = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
const pseudo = Object.fromEntries(Object.keys(english).map((m) => [m, `⟦${m}⟧`]));
// A closed loopback port: the source keeps reconnecting, so the item shows its state in words.
const SOURCES = { 'pulse.sources': [{ name: 'dev', url: 'ws://127.0.0.1:1/', kind: 'ws', format: 'bun' }] };

let dir = '';
let bundle = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-status-l10n-'));
  bundle = join(dir, 'extension.js');
  await bundleExtension(bundle);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Activates the extension in a fake VS Code with `l10nBundle`, waits for the status item to show a state, and returns it. */
async function statusItem(l10nBundle: Record<string, string> | undefined, run: (item: FakeStatusBarItem) => void): Promise<void> {
  const fake = new FakeVscode({ user: SOURCES, l10nBundle });
  const context = makeContext({ storageDir: join(dir, l10nBundle ? 'pseudo' : 'english') });
  const extension = loadExtension(bundle, fake);
  extension.activate(context);
  try {
    const item = await waitFor('the status item shows the source state', () => fake.statusBarItems.find((i) => i.id === 'pulse.status' && /connect/.test(i.text)), 10_000);
    run(item);
  } finally {
    await extension.deactivate();
    disposeContext(context);
  }
}

/** What is left of `text` once translated parts, icons, numbers, separators and the given data are taken out. */
function untranslated(text: string, data: readonly string[]): string[] {
  let rest = text.replace(/⟦[^⟧]*⟧/g, ' ').replace(/\$\([^)]*\)/g, ' ');
  for (const d of data) rest = rest.split(d).join(' ');
  return rest.split(/[\s|*\-:·—,.()\\]+/).filter((w) => /[A-Za-z]{2,}/.test(w));
}

describe('status bar l10n', () => {
  test('with a bundle every word of the item is translated; only data (the source name, the reason) stays', async () => {
    await statusItem(pseudo, (item) => {
      assert.match(item.text, /⟦(reconnecting in \d+ s|connecting…|failed|disconnected)⟧/, item.text);
      assert.deepEqual(untranslated(item.text, []), [], `text: ${item.text}`);
      const tooltip = item.tooltipText;
      assert.ok(tooltip.includes('| ⟦Source⟧ | ⟦State⟧ |'), tooltip);
      assert.ok(tooltip.includes('| ⟦Metric⟧ | ⟦Now⟧ | ⟦5 min avg⟧ | ⟦5 min max⟧ | ⟦Trend⟧ |'), tooltip);
      assert.ok(tooltip.includes('⟦Click to open the metrics panel.⟧'), tooltip);
      // The reason comes from the transport (data, Markdown-escaped), the name from settings.
      const reason = /— (.*) \|$/m.exec(tooltip)?.[1] ?? '';
      assert.deepEqual(untranslated(tooltip, ['Pulse', 'dev', reason]), [], `tooltip: ${tooltip}`);
      const label = (item.accessibilityInformation as { label: string }).label;
      assert.deepEqual(untranslated(label, ['Pulse']), [], `label: ${label}`);
      assert.deepEqual(item.command, { title: '⟦Open Metrics Panel⟧', command: 'pulse.openPanel' });
    });
  });

  test('without a bundle the same item is English (the messages themselves)', async () => {
    await statusItem(undefined, (item) => {
      assert.ok(!item.text.includes('⟦'));
      assert.ok(item.tooltipText.includes('| Source | State |'), item.tooltipText);
      assert.ok(item.tooltipText.includes('Click to open the metrics panel.'));
      assert.deepEqual(item.command, { title: 'Open Metrics Panel', command: 'pulse.openPanel' });
    });
  });
});
