// Reload at scale (issue 19, item 6): with ~10k series saved, a live source connects at once, the
// restore runs beside it, and the samples received while it ran survive it. Real bundle, fake VS Code.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';
import { MetricStore, DEFAULT_STORE_OPTIONS } from '../../../src/core/series/store';
import { RawLogWriter } from '../../../src/core/persist/rawLog';
import type { Sample } from '../../../src/core/model';
import { tempFolder } from '../../helpers/tempFolder';

const BUNDLE = join(repoRoot, 'dist', 'extension.js');
const SOURCES = 10;
const PER_SOURCE = 1000;
const LIVE_HEAP = 44_040_192;

/** A raw log as a previous session left it: 10 sources × 1000 series, plus the live source's heap series. */
function savedLog(now: number): Uint8Array {
  const store = new MetricStore({ ...DEFAULT_STORE_OPTIONS, maxSeriesPerSource: 2000 });
  for (let step = 0; step < 12; step++) {
    const at = now - 5 * 60_000 + step * 10_000;
    for (let s = 0; s < SOURCES; s++) {
      const samples: Sample[] = [];
      for (let i = 0; i < PER_SOURCE; i++) samples.push({ name: `old.metric${i}`, labels: [], value: step + i, kind: 'gauge', unit: 'none' });
      store.ingest(`old-${s}`, samples, at);
    }
    // Small values, each different (a repeated message adds no point): told apart from the live ones.
    store.ingest('dev', [{ name: 'memory.heapUsed', labels: [], value: step + 1, kind: 'gauge', unit: 'bytes' }], at);
  }
  return new RawLogWriter().delta(store).bytes;
}

async function bunServer(intervalMs: number): Promise<{ url: string; sentAt: number[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sentAt: number[] = [];
  const started = Date.now();
  const timer = setInterval(() => {
    if (wss.clients.size === 0) return;
    const now = Date.now();
    const text = JSON.stringify({ type: 'metrics', timestamp: now, uptime: (now - started) / 1000, http: { pendingRequests: 1, totalRequests: sentAt.length }, memory: { heapUsed: LIVE_HEAP, heapTotal: 2 * LIVE_HEAP, rss: 3 * LIVE_HEAP } });
    sentAt.push(now);
    for (const c of wss.clients) c.send(text);
  }, intervalMs);
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    sentAt,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

function field(message: unknown, ...path: string[]): unknown {
  let v: unknown = message;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

describe('reload at scale (real bundle, fake VS Code)', () => {
  const dir = tempFolder('pulse-restore-');
  before(() => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run "node esbuild.mjs" first`);
  });

  test('a live source connects within 1 s while 10k series restore, and what it sends meanwhile survives the restore', { timeout: 60_000 }, async () => {
    const storageDir = join(dir, 'storage');
    await mkdir(storageDir, { recursive: true });
    await writeFile(join(storageDir, 'history-raw.bin'), savedLog(Date.now()));
    const server = await bunServer(150);
    const fake = new FakeVscode({ user: { 'pulse.sources': [{ name: 'dev', url: server.url, kind: 'ws', format: 'bun' }], 'pulse.limits.maxSeriesPerSource': 2000 } });
    const context = makeContext({ storageDir });
    const extension = loadExtension(BUNDLE, fake);
    const activatedAt = Date.now();
    extension.activate(context);
    try {
      await waitFor('the source connected', () => server.sentAt.length > 0, 1000, 5);
      const connectedAfter = server.sentAt[0] ?? Infinity;
      const restoredLine = await waitFor('the restore', () => fake.log.find(/Restored history of \d+ series/)[0], 30_000);
      const restoredAt = Date.now();
      const sentDuringRestore = server.sentAt.filter((t) => t < restoredAt).length;
      assert.ok(connectedAfter - activatedAt <= 1000, `first message ${connectedAfter - activatedAt} ms after activation`);
      assert.ok(Number(/of (\d+) series/.exec(restoredLine.message)?.[1]) >= SOURCES * PER_SOURCE, restoredLine.message);

      await fake.executeCommand('pulse.openPanel');
      const panel = await waitFor('the panel', () => fake.panel);
      panel.webview.fire({ type: 'ready' });
      await waitFor('a didSnapshot', () => panel.webview.messagesOfType('didSnapshot').length > 0);
      panel.webview.fire({ type: 'requestHistory', requestId: 1, ids: ['dev|memory.heapUsed'], window: '15m', mode: 'raw' });
      const reply = await waitFor('didLoadHistory', () => panel.webview.messagesOfType('didLoadHistory').find((p) => field(p.message, 'requestId') === 1));
      const series = field(reply.message, 'series');
      assert.ok(Array.isArray(series) && series.length === 1, `history reply: ${JSON.stringify(series)}`);
      const values = field(series[0], 'v') as number[];
      const saved = values.filter((v) => v <= 12).length;
      const live = values.filter((v) => v === LIVE_HEAP).length;
      assert.equal(saved, 12, `restored points of the live series: ${saved}`);
      // Every message sent before the restore ended is a point (150 ms apart: one slot each).
      assert.ok(sentDuringRestore >= 1, `messages during the restore: ${sentDuringRestore}`);
      assert.ok(live >= sentDuringRestore - 1, `${live} live points kept of ${sentDuringRestore} sent during the restore`);
    } finally {
      await extension.deactivate();
      disposeContext(context);
      await server.close();
    }
  });
});
