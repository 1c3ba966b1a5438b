// Figure 3: what the host sends to the webview and the status bar, whatever the input rate. The
// production bundle in a fake VS Code, a server process sending Bun messages at 100/s and 1000/s,
// the panel open and ready with 12 series watched (as pinned charts would be).

import { WebSocket } from 'ws';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeContext, FakeVscode, loadExtension, makeContext, waitFor } from '../test/helpers/fakeVscode';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt } from './lib/report';
import { startBlaster } from './lib/blaster';

interface Measured {
  readonly rate: number;
  readonly seconds: number;
  readonly incomingMessages: number;
  readonly incomingBytes: number;
  readonly posts: number;
  readonly postedBytes: number;
  readonly statusUpdates: number;
}

function seriesIds(message: unknown): string[] {
  const series = (message as { snapshot?: { series?: Array<{ id?: unknown }> } }).snapshot?.series ?? [];
  return series.map((s) => String(s.id));
}

async function measure(ctx: BenchContext, rate: number, seconds: number, storageDir: string): Promise<Measured> {
  const blaster = await startBlaster(ctx.root, rate, seconds + 30);
  const fake = new FakeVscode({ user: { 'pulse.sources': [{ name: 'bench', url: blaster.url, kind: 'ws', format: 'bun' }] } });
  const context = makeContext({ storageDir });
  const extension = loadExtension(join(ctx.dist, 'extension.js'), fake);
  // The same stream on a socket of our own: what Pulse's socket receives, counted.
  const tap = new WebSocket(blaster.url);
  let counting = false;
  let incomingMessages = 0;
  let incomingBytes = 0;
  tap.on('message', (data: Buffer) => {
    if (!counting) return;
    incomingMessages++;
    incomingBytes += data.byteLength;
  });
  try {
    extension.activate(context);
    await waitFor('data in the status bar', () => fake.statusBarItems.some((i) => /req\/s/.test(i.text)), 10_000);
    await fake.executeCommand('pulse.openPanel');
    const panel = await waitFor('the panel', () => fake.panel);
    panel.webview.fire({ type: 'ready' });
    const snapshot = await waitFor('a snapshot', () => panel.webview.messagesOfType('didSnapshot')[0]);
    panel.webview.fire({ type: 'requestHistory', requestId: 1, ids: seriesIds(snapshot.message).slice(0, 12), window: '5m', mode: 'rate' });
    await waitFor('history', () => panel.webview.messagesOfType('didLoadHistory').length > 0);
    await new Promise((r) => setTimeout(r, 300));

    const postsBefore = panel.webview.posted.length;
    const bytesBefore = panel.webview.postedBytes;
    const statusBefore = fake.statusBarItems.reduce((n, i) => n + i.texts.length, 0);
    counting = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    counting = false;
    return {
      rate,
      seconds,
      incomingMessages,
      incomingBytes,
      posts: panel.webview.posted.length - postsBefore,
      postedBytes: panel.webview.postedBytes - bytesBefore,
      statusUpdates: fake.statusBarItems.reduce((n, i) => n + i.texts.length, 0) - statusBefore,
    };
  } finally {
    tap.terminate();
    await extension.deactivate();
    disposeContext(context);
    await blaster.stop();
  }
}

/** A row for a rate the host holds to `limit` per second, over a `seconds` window. */
function limitRow(id: string, figure: string, pulse: string, perSecond: number, limit: number, seconds: number): FigureRow {
  return { id, figure, pulse, baseline: `${limit}/s limit`, ratio: perSecond / limit, spread: `${seconds} s window`, goal: `≤ ${limit}/s`, pass: perSecond <= limit };
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const seconds = ctx.quick ? 4 : 10;
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-traffic-'));
  const rows: FigureRow[] = [];
  try {
    for (const rate of [100, 1000]) {
      const m = await measure(ctx, rate, seconds, join(dir, String(rate)));
      const bytesRatio = m.postedBytes / m.incomingBytes;
      const perMessage = m.posts / m.incomingMessages;
      const postsPerSecond = m.posts / m.seconds;
      const statusPerSecond = m.statusUpdates / m.seconds;
      const label = `${rate} msg/s`;
      rows.push(
        {
          id: `traffic.bytes.${rate}`,
          figure: `traffic @${label}: bytes posted to the webview vs bytes received`,
          pulse: `${fmt(m.postedBytes / m.seconds / 1024)} KiB/s posted`,
          baseline: `${fmt(m.incomingBytes / m.seconds / 1024)} KiB/s received`,
          ratio: bytesRatio,
          spread: `${m.seconds} s window`,
          goal: '≤ 0.25×',
          pass: atMost(bytesRatio, 0.25),
          details: { ...m },
        },
        {
          id: `traffic.postsPerMessage.${rate}`,
          figure: `traffic @${label}: posts per incoming message`,
          pulse: `${m.posts} posts`,
          baseline: `${m.incomingMessages} messages`,
          ratio: perMessage,
          spread: `${m.seconds} s window`,
          goal: '≤ 0.1',
          pass: atMost(perMessage, 0.1),
        },
        limitRow(`traffic.postsPerSecond.${rate}`, `traffic @${label}: webview posts per second`, `${fmt(postsPerSecond)} posts/s`, postsPerSecond, 10, m.seconds),
        limitRow(`traffic.status.${rate}`, `traffic @${label}: status-bar text updates per second`, `${fmt(statusPerSecond)} updates/s`, statusPerSecond, 3, m.seconds),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
