// Issue 20 row 1: a server names an endpoint "/api/[Open the runbook](command:…)" and the README's p95
// rule fires. With the real bundle in the fake VS Code: the critical notification, the status-bar
// tooltip and the "Go to Handler" pick carry no parsable link, command or icon.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeContext } from '../../helpers/fakeVscode';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';
import type { LoopbackWs } from '../../helpers/loopbackWs';
import { startLoopbackWs } from '../../helpers/loopbackWs';

const BUNDLE = join(repoRoot, 'dist', 'extension.js');
const EVIL_PATH = '/api/[Open the runbook](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22x%22%7D)';
/** VS Code's notification link syntax: [label](https:…|command:…|file:…), optionally with a quoted title. */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

function assertInert(text: string, where: string): void {
  assert.ok(!NOTIFICATION_LINK.test(text), `${where}: no link: ${text}`);
  assert.ok(!/\]\(/.test(text), `${where}: no "](": ${text}`);
  assert.ok(!/command:/i.test(text), `${where}: no command: scheme: ${text}`);
}

/** A seed-001 server: a snapshot on connect, then an update every 100 ms, one endpoint slow. */
function startServer(): Promise<LoopbackWs> {
  const message = (type: 'snapshot' | 'update'): string =>
    JSON.stringify({
      type,
      timestamp: Date.now(),
      data: {
        timestamp: Date.now(),
        endpoints: [{ path: EVIL_PATH, method: 'GET', p50: 400, p95: 900, p99: 1200, errorRate: 0, throughput: 20 }],
        cdn: { bandwidth: 1, cacheHitRatio: 99, storage: 10 },
        system: { uptime: 100, memory: 1_000_000, cpu: 5 },
      },
    });
  return startLoopbackWs('/metrics', (socket) => {
    socket.send(message('snapshot'));
    const timer = setInterval(() => socket.send(message('update')), 100);
    socket.on('close', () => clearInterval(timer));
  });
}

describe('link injection through server names (real bundle in the fake VS Code)', () => {
  let dir: string;
  let server: LoopbackWs;
  let fake: FakeVscode;
  let context: FakeContext;
  let deactivate: () => unknown = () => undefined;

  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run "node esbuild.mjs" first`);
    dir = await mkdtemp(join(tmpdir(), 'pulse-faults-links-'));
    server = await startServer();
    fake = new FakeVscode({
      user: {
        'pulse.sources': [{ name: 'evil', url: server.url, kind: 'ws', format: 'snapshot', subscribe: true }],
        // The README's own rule.
        'pulse.thresholds': [{ id: 'p95', metric: 'endpoint.p95', labels: { path: '/api/*' }, warning: 200, critical: 500, for: 0 }],
      },
    });
    context = makeContext({ storageDir: join(dir, 'storage') });
    const extension = loadExtension(BUNDLE, fake);
    deactivate = () => extension.deactivate();
    extension.activate(context);
  });
  after(async () => {
    await deactivate();
    disposeContext(context);
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the critical notification names the endpoint without a clickable command link', async () => {
    const shown = await waitFor('the critical notification', () => fake.shown('error').find((d) => d.message.includes('Open the runbook')), 15_000);
    assertInert(shown.message, 'notification');
    assert.ok(!/\$\(/.test(shown.message), `no icon syntax: ${shown.message}`);
    assert.deepEqual(shown.items, ['Open Panel', 'Snooze 15 min', "Don't Show Again"], 'our own buttons are kept');
  });

  test('the status-bar tooltip and the "Go to Handler" pick are inert too', async () => {
    const tooltip = await waitFor('the alert in the tooltip', () => fake.statusBarItems.map((i) => i.tooltipText).find((t) => t.includes('runbook')), 10_000);
    assert.ok(!/(^|[^\\])\]\(/.test(tooltip), `no Markdown link in the tooltip: ${tooltip}`);
    assert.ok(!/(^|[^\\])command:/.test(tooltip), 'no bare command: in the tooltip');

    let labels: string[] = [];
    fake.answers.quickPick = (items) => {
      labels = (items as { label: string }[]).map((i) => i.label);
      return undefined;
    };
    await fake.executeCommand('pulse.goToHandler');
    const evil = labels.find((l) => l.includes('runbook'));
    assert.ok(evil, `the endpoint is offered: ${JSON.stringify(labels)}`);
    assertInert(evil, 'quick pick label');
    assert.ok(!/\$\(/.test(evil), 'no icon syntax from the server');
    assert.ok(labels.some((l) => l.startsWith('$(edit)')), 'our own icon is kept');
  });
});
