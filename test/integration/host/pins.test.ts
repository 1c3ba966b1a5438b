// Pinned charts in the real extension bundle (fake VS Code, a real WebSocket source on loopback): default
// charts by role on first data, the panel's setPins kept in workspace state across closing the panel and a reload.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { FakeContext } from '../../helpers/fakeVscode';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';
import { tempFolder } from '../../helpers/tempFolder';

const BUNDLE = join(repoRoot, 'dist', 'extension.js');

/** A Bun-format (seed 000) server pushing every 50 ms. */
async function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let total = 0;
  const timer = setInterval(() => {
    total += 12;
    const text = JSON.stringify({ type: 'metrics', timestamp: Date.now(), uptime: 5, http: { pendingRequests: 1, totalRequests: total }, memory: { heapUsed: 40e6, heapTotal: 80e6, rss: 120e6 } });
    for (const c of wss.clients) c.send(text);
  }, 50);
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

function activate(url: string, storageDir: string, state?: Map<string, string>) {
  const fake = new FakeVscode({ user: { 'pulse.sources': [{ name: 'dev', url, kind: 'ws', format: 'bun' }] } });
  const context: FakeContext = makeContext({ storageDir, state });
  const extension = loadExtension(BUNDLE, fake);
  extension.activate(context);
  return { fake, context, shutdown: async () => {
    await extension.deactivate();
    disposeContext(context);
  } };
}

/** The pins the page last heard of: from its snapshot, replaced by each delta that carries them. */
function pinsShown(fake: FakeVscode): unknown {
  let pins: unknown = undefined;
  for (const { message } of fake.panel?.webview.posted ?? []) {
    const m = message as { type?: string; snapshot?: { pins?: unknown }; delta?: { pins?: unknown } };
    const value = m.type === 'didSnapshot' ? m.snapshot?.pins : m.delta?.pins;
    if (value !== undefined) pins = value;
  }
  return pins;
}

async function openPanel(fake: FakeVscode): Promise<void> {
  await fake.executeCommand('pulse.openPanel');
  const panel = await waitFor('the panel', () => fake.panel);
  panel.webview.fire({ type: 'ready' });
  await waitFor('a didSnapshot', () => panel.webview.messagesOfType('didSnapshot').length > 0);
}

describe('pinned charts (real bundle, fake VS Code)', () => {
  const dir = tempFolder('pulse-pins-');

  test('defaults on first data; the user list survives closing the panel and a reload', async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run "node esbuild.mjs" first`);
    const server = await startServer();
    const storageDir = join(dir, 'pins');
    const first = activate(server.url, storageDir);
    let mine: string[];
    try {
      await openPanel(first.fake);
      const defaults = await waitFor('default pins', () => {
        const p = pinsShown(first.fake);
        return Array.isArray(p) && p.length >= 2 ? (p as string[]) : undefined;
      });
      assert.match(defaults[0] ?? '', /http\.totalRequests$/, 'request rate first');
      assert.ok(defaults.some((id) => /heapUsed$/.test(id)), `heap pinned: ${JSON.stringify(defaults)}`);

      // The user keeps only the heap chart, then adds RSS.
      const heap = defaults.find((id) => /heapUsed$/.test(id)) ?? '';
      mine = [heap, heap.replace(/memory\.heapUsed$/, 'memory.rss')];
      first.fake.panel?.webview.fire({ type: 'setPins', ids: mine });
      // A forged list is refused, not kept.
      first.fake.panel?.webview.fire({ type: 'setPins', ids: Array.from({ length: 40 }, (_, i) => `x${i}`) });
      await new Promise((r) => setTimeout(r, 300));

      // Closing the panel and opening it again.
      first.fake.panel?.dispose();
      await openPanel(first.fake);
      assert.deepEqual(pinsShown(first.fake), mine, 'pins after closing and reopening the panel');
    } finally {
      await first.shutdown();
    }

    const second = activate(server.url, storageDir, first.context.state);
    try {
      await openPanel(second.fake);
      assert.deepEqual(pinsShown(second.fake), mine, 'pins after a reload');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(pinsShown(second.fake), mine, 'removed defaults are not added back when data flows again');
    } finally {
      await second.shutdown();
      await server.close();
    }
  });
});
