// The real extension bundle (dist/extension.js, built by `npm test`) in a fake VS Code, against real
// WebSocket servers: status bar, panel traffic and message validation, reload with history and
// dismissed alerts intact, corrupt saved state, and Workspace Trust.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { FakeContext, FakeOptions, LoadedExtension } from '../../helpers/fakeVscode';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';
import { formatBytes } from '../../../src/shared/format';
import { tempFolder } from '../../helpers/tempFolder';

const BUNDLE = join(repoRoot, 'dist', 'extension.js');

// ------------------------------------------------------------------ a bun-format server on loopback

interface BunServer {
  readonly url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Messages sent so far (one per tick, to each client). */
  readonly sent: BunMessage[];
  close(): Promise<void>;
}

interface BunMessage {
  readonly type: 'metrics';
  readonly timestamp: number;
  readonly uptime: number;
  readonly http: { readonly pendingRequests: number; readonly totalRequests: number };
  readonly memory: { readonly heapUsed: number; readonly heapTotal: number; readonly rss: number };
}

const REQUESTS_PER_SECOND = 240;

async function startBunServer(intervalMs: number, heapUsed = 44_040_192): Promise<BunServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const started = Date.now();
  const sent: BunMessage[] = [];
  let accepted = 0;
  wss.on('connection', () => accepted++);
  const timer = setInterval(() => {
    if (wss.clients.size === 0) return;
    const now = Date.now();
    const message: BunMessage = {
      type: 'metrics',
      timestamp: now,
      uptime: (now - started) / 1000,
      http: { pendingRequests: 2, totalRequests: Math.round(((now - started) / 1000) * REQUESTS_PER_SECOND) },
      memory: { heapUsed, heapTotal: 2 * heapUsed, rss: 3 * heapUsed },
    };
    sent.push(message);
    const text = JSON.stringify(message);
    for (const c of wss.clients) c.send(text);
  }, intervalMs);
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    connections: () => accepted,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

// ------------------------------------------------------------------ the reference dev server, when it exists

interface DevServerHandle {
  url(path: string): string;
  wsUrl(path: string): string;
  stop(): Promise<void>;
}

async function startReferenceServer(): Promise<DevServerHandle | undefined> {
  const helper = join(repoRoot, 'test', 'helpers', 'devserver.ts');
  if (!existsSync(helper) || !existsSync(join(repoRoot, 'scripts', 'devserver', 'main.ts'))) return undefined;
  const mod = (await import(pathToFileURL(helper).href)) as { startDevServer?: () => Promise<DevServerHandle> };
  return mod.startDevServer ? mod.startDevServer() : undefined;
}

/** Records what a server sends to a client of its own, to compare Pulse's numbers with. */
function tap(url: string): { messages: Array<{ at: number; data: unknown }>; close(): void } {
  const messages: Array<{ at: number; data: unknown }> = [];
  const socket = new WebSocket(url);
  socket.on('message', (raw) => {
    try {
      messages.push({ at: Date.now(), data: JSON.parse(String(raw)) });
    } catch {
      // not JSON: not a metrics message
    }
  });
  socket.on('error', () => undefined);
  return { messages, close: () => socket.terminate() };
}

// ------------------------------------------------------------------ the host

interface Host {
  readonly fake: FakeVscode;
  readonly context: FakeContext;
  readonly extension: LoadedExtension;
  /** deactivate() then dispose the subscriptions, as VS Code does on reload. */
  shutdown(): Promise<void>;
}

function wsSource(name: string, url: string): Record<string, unknown> {
  return { name, url, kind: 'ws', format: 'bun' };
}

function activate(options: FakeOptions, storageDir: string, state?: Map<string, string>): Host {
  const fake = new FakeVscode(options);
  const context = makeContext({ storageDir, state });
  const extension = loadExtension(BUNDLE, fake);
  const result = extension.activate(context);
  assert.ok(!(result instanceof Promise), 'activate() is synchronous');
  return {
    fake,
    context,
    extension,
    shutdown: async () => {
      await extension.deactivate();
      disposeContext(context);
    },
  };
}

function statusText(fake: FakeVscode): string {
  return fake.statusBarItems.filter((i) => !i.disposed).map((i) => i.text).join(' | ');
}

function statusTooltip(fake: FakeVscode): string {
  return fake.statusBarItems.filter((i) => !i.disposed).map((i) => i.tooltipText).join('\n');
}

interface AlertLike {
  readonly id: string;
  readonly ruleId: string | null;
  readonly state: string;
}

interface PointsLike {
  readonly id: string;
  readonly t: readonly number[];
}

function field(message: unknown, ...path: string[]): unknown {
  let v: unknown = message;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** The alerts the panel currently shows: from the snapshot, replaced by each delta that carries them. */
function panelAlerts(fake: FakeVscode): AlertLike[] {
  let alerts: unknown = [];
  for (const p of fake.panel?.webview.posted ?? []) {
    const list = field(p.message, 'type') === 'didSnapshot' ? field(p.message, 'snapshot', 'alerts') : field(p.message, 'delta', 'alerts');
    if (Array.isArray(list)) alerts = list;
  }
  return alerts as AlertLike[];
}

function seriesIds(fake: FakeVscode): string[] {
  const snapshot = fake.panel?.webview.messagesOfType('didSnapshot').at(-1)?.message;
  const series = field(snapshot, 'snapshot', 'series');
  return Array.isArray(series) ? series.map((s: unknown) => String(field(s, 'id'))).sort() : [];
}

async function openPanel(fake: FakeVscode): Promise<void> {
  await fake.executeCommand('pulse.openPanel');
  const panel = await waitFor('the panel', () => fake.panel);
  panel.webview.fire({ type: 'ready' });
  await waitFor('a didSnapshot', () => panel.webview.messagesOfType('didSnapshot').length > 0);
}

async function loadHistory(fake: FakeVscode, requestId: number): Promise<PointsLike[]> {
  const webview = fake.panel?.webview;
  assert.ok(webview, 'panel open');
  webview.fire({ type: 'requestHistory', requestId, ids: seriesIds(fake), window: '15m', mode: 'raw' });
  const reply = await waitFor('didLoadHistory', () => webview.messagesOfType('didLoadHistory').find((p) => field(p.message, 'requestId') === requestId));
  return field(reply.message, 'series') as PointsLike[];
}

// ------------------------------------------------------------------ tests

describe('extension host (real bundle, fake VS Code)', () => {
  const dir = tempFolder('pulse-host-');
  before(() => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run "node esbuild.mjs" first`);
  });

  test('the status bar shows the request rate and heap the server sent', async () => {
    const reference = await startReferenceServer();
    const inline = reference ? undefined : await startBunServer(100);
    const url = reference ? reference.wsUrl('/api/dev/server-metrics/live') : (inline?.url ?? '');
    // Seed 000: the live stream carries pending requests and heap; the running request total is in the
    // HTTP response of /api/dev/server-metrics, so a user watching both gets the rate from the latter.
    const polled = reference ? reference.url('/api/dev/server-metrics') : undefined;
    const recorder = tap(url);
    const totals: Array<{ at: number; total: number }> = [];
    const sampler = polled
      ? setInterval(() => {
          void fetch(polled)
            .then(async (r) => field(await r.json(), 'http', 'totalRequests'))
            .then((t) => {
              if (typeof t === 'number') totals.push({ at: Date.now(), total: t });
            }, () => undefined);
        }, 500)
      : undefined;
    const sources = [wsSource('dev', url), ...(polled ? [{ name: 'dev-http', url: polled, kind: 'http-json', format: 'bun', pollIntervalMs: 500 }] : [])];
    const host = activate({ user: { 'pulse.sources': sources } }, join(dir, 'status'));
    try {
      await waitFor(
        'status text matching the server',
        () => {
          const text = statusText(host.fake);
          const rate = /([\d.]+)(k?) req\/s/.exec(text);
          if (!rate) return false;
          const shownRate = Number(rate[1]) * (rate[2] === 'k' ? 1000 : 1);
          const recent = recorder.messages.slice(-8);
          const heaps = new Set(recent.map((m) => field(m.data, 'memory', 'heapUsed')).filter((h): h is number => typeof h === 'number').map(formatBytes));
          const rates: number[] = [];
          const points = polled ? totals.slice(-8) : recent.map((m) => ({ at: m.at, total: Number(field(m.data, 'http', 'totalRequests')) }));
          for (let i = 1; i < points.length; i++) {
            const a = points[i - 1];
            const b = points[i];
            const dr = (b?.total ?? Number.NaN) - (a?.total ?? Number.NaN);
            const dt = ((b?.at ?? 0) - (a?.at ?? 0)) / 1000;
            if (dt > 0 && Number.isFinite(dr)) rates.push(dr / dt);
          }
          if (rates.length < 2) return false;
          const heapShown = [...heaps].some((h) => text.includes(h));
          const rateOk = shownRate >= Math.min(...rates) * 0.5 && shownRate <= Math.max(...rates) * 1.5;
          return heapShown && rateOk;
        },
        15_000,
      );
      if (inline) assert.match(statusText(host.fake), new RegExp(formatBytes(44_040_192)));
    } finally {
      if (sampler) clearInterval(sampler);
      recorder.close();
      await host.shutdown();
      await inline?.close();
      await reference?.stop();
    }
  });

  test('panel: snapshot on ready, deltas at most 10/s, forged messages refused', async () => {
    const server = await startBunServer(4);
    const host = activate({ user: { 'pulse.sources': [wsSource('fast', server.url)] } }, join(dir, 'panel'));
    try {
      await waitFor('data', () => server.sent.length > 20);
      await openPanel(host.fake);
      const webview = host.fake.panel?.webview;
      assert.ok(webview);
      const start = webview.posted.length;
      const sentBefore = server.sent.length;
      await new Promise((r) => setTimeout(r, 3000));
      const posts = webview.posted.slice(start);
      const incoming = server.sent.length - sentBefore;
      assert.ok(incoming > 300, `the server pushed fast (${incoming} messages in 3 s)`);
      assert.ok(posts.length >= 5, `deltas keep coming (${posts.length})`);
      assert.ok(posts.length <= 35, `at most ~10 posts/s: ${posts.length} in 3 s for ${incoming} messages`);
      assert.ok(posts.every((p) => field(p.message, 'type') === 'didUpdate'));

      const executedBefore = host.fake.executed.length;
      const warningsBefore = host.fake.log.lines.filter((l) => l.level === 'warn').length;
      webview.fire({ type: 'runCommand', command: 'x' });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(host.fake.executed.length, executedBefore, 'nothing executed');
      const warnings = host.fake.log.lines.filter((l) => l.level === 'warn').slice(warningsBefore);
      assert.ok(warnings.some((l) => /refused/i.test(l.message) && l.message.includes('runCommand')), `a log line says so: ${JSON.stringify(warnings)}`);
    } finally {
      await host.shutdown();
      await server.close();
    }
  });

  test('reload keeps history and dismissed alerts', async () => {
    const server = await startBunServer(50);
    const storageDir = join(dir, 'reload');
    const options: FakeOptions = {
      workspaceFolders: [dir],
      user: {
        'pulse.sources': [wsSource('dev', server.url)],
        'pulse.defaultThresholds': false,
        'pulse.thresholds': [
          { id: 'test-heap', metric: 'memory.heapUsed', warning: 1000 },
          { id: 'test-rss', metric: 'memory.rss', warning: 1000 },
        ],
      },
    };
    const first = activate(options, storageDir);
    let pointsBefore: PointsLike[];
    let seriesBefore: string[];
    let dismissed: string;
    try {
      await openPanel(first.fake);
      const alert = await waitFor('the heap alert', () => panelAlerts(first.fake).find((a) => a.ruleId === 'test-heap' && a.state === 'firing'));
      await waitFor('the rss alert', () => panelAlerts(first.fake).find((a) => a.ruleId === 'test-rss' && a.state === 'firing'));
      dismissed = alert.id;
      first.fake.panel?.webview.fire({ type: 'dismissAlert', alertId: alert.id });
      await waitFor('the dismissal shown', () => !panelAlerts(first.fake).some((a) => a.id === dismissed));
      const sentAtDismissal = server.sent.length;
      await waitFor('some history', () => server.sent.length >= sentAtDismissal + 20);
      // Reopen for a fresh snapshot with every series, then read their history.
      first.fake.panel?.webview.fire({ type: 'ready' });
      await waitFor('second snapshot', () => (first.fake.panel?.webview.messagesOfType('didSnapshot').length ?? 0) >= 2);
      seriesBefore = seriesIds(first.fake);
      pointsBefore = await loadHistory(first.fake, 1);
      assert.ok(seriesBefore.length >= 5, `series stored: ${seriesBefore.length}`);
      assert.ok(pointsBefore.some((p) => p.t.length >= 5), 'points stored');
    } finally {
      await first.shutdown();
    }

    const second = activate(options, storageDir, first.context.state);
    try {
      // See the next test for a panel that is open before the restore completes.
      await waitFor('the restore', () => second.fake.log.find(/Restored history/).length > 0);
      await openPanel(second.fake);
      const seriesAfter = seriesIds(second.fake);
      for (const id of seriesBefore) assert.ok(seriesAfter.includes(id), `series ${id} restored`);
      const pointsAfter = await loadHistory(second.fake, 2);
      for (const before of pointsBefore) {
        const after = pointsAfter.find((p) => p.id === before.id);
        assert.ok(after, `history of ${before.id} restored`);
        const times = new Set(after.t);
        const missing = before.t.filter((t) => !times.has(t));
        assert.equal(missing.length, 0, `${before.id}: ${missing.length} of ${before.t.length} points lost`);
      }
      // New data arrives and rules run again: the rss alert shows, the dismissed heap alert does not.
      const sentAtReload = server.sent.length;
      await waitFor('new data after reload', () => server.sent.length > sentAtReload + 10);
      await waitFor('the rss alert after reload', () => panelAlerts(second.fake).some((a) => a.ruleId === 'test-rss' && a.state === 'firing'));
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!panelAlerts(second.fake).some((a) => a.ruleId === 'test-heap'), `the dismissed alert stays dismissed: ${JSON.stringify(panelAlerts(second.fake))}`);
    } finally {
      await second.shutdown();
      await server.close();
    }
  });

  test(
    'a panel open before history is restored gets the restored series',
    async () => {
      const server = await startBunServer(50);
      const storageDir = join(dir, 'early-panel');
      const options: FakeOptions = { user: { 'pulse.sources': [wsSource('dev', server.url)] } };
      const first = activate(options, storageDir);
      let before: string[];
      try {
        await waitFor('history', () => server.sent.length >= 20);
        await openPanel(first.fake);
        before = seriesIds(first.fake);
      } finally {
        await first.shutdown();
        await server.close();
      }
      // As when VS Code revives the panel right after a reload: it says `ready` before the restore ends.
      const second = activate(options, storageDir, first.context.state);
      try {
        await openPanel(second.fake);
        await waitFor('the restore', () => second.fake.log.find(/Restored history/).length > 0);
        await new Promise((r) => setTimeout(r, 500));
        const known = new Set<string>();
        for (const p of second.fake.panel?.webview.posted ?? []) {
          const list = field(p.message, 'snapshot', 'series') ?? field(p.message, 'delta', 'series');
          if (Array.isArray(list)) for (const s of list) known.add(String(field(s, 'id')));
        }
        for (const id of before) assert.ok(known.has(id), `the panel was told about ${id}`);
      } finally {
        await second.shutdown();
      }
    },
  );

  test('corrupt saved state: activation succeeds and the log names the problem', async () => {
    const server = await startBunServer(100);
    const storageDir = join(dir, 'corrupt');
    await mkdir(storageDir, { recursive: true });
    await writeFile(join(storageDir, 'history-raw.bin'), Buffer.from('PLSR\u0001\u0000garbage garbage garbage'));
    const state = new Map<string, string>([
      ['pulse.history', JSON.stringify('%%% not a history %%%')],
      ['pulse.alerts', JSON.stringify({ v: 1, alerts: [['x', 42, null], 'junk'], snoozed: 7 })],
      ['pulse.overrides', JSON.stringify([1, 2, 3])],
    ]);
    const host = activate({ user: { 'pulse.sources': [wsSource('dev', server.url)] } }, storageDir, state);
    try {
      const warnings = () => host.fake.log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      await waitFor('a warning about saved history', () => warnings().some((m) => /Saved history/.test(m)));
      await waitFor('a warning about saved alerts', () => warnings().some((m) => /Saved alerts/.test(m)));
      await waitFor('data after the bad state', () => statusText(host.fake).includes(formatBytes(44_040_192)));
      assert.ok(!host.fake.log.lines.some((l) => l.level === 'error' && /could not start/i.test(l.message)), 'start() did not fail');
    } finally {
      await host.shutdown();
      await server.close();
    }
  });

  test('untrusted workspace: workspace sources wait, user sources connect', async () => {
    const userServer = await startBunServer(100);
    const workspaceServer = await startBunServer(100);
    const host = activate(
      {
        trusted: false,
        workspaceFolders: [dir],
        user: { 'pulse.sources': [wsSource('mine', userServer.url)] },
        workspace: { 'pulse.sources': [wsSource('theirs', workspaceServer.url)] },
      },
      join(dir, 'trust'),
    );
    try {
      await waitFor('the user source connects', () => userServer.connections() > 0, 5000);
      await waitFor('data from the user source', () => statusText(host.fake).includes(formatBytes(44_040_192)));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(workspaceServer.connections(), 0, 'the workspace source did not connect');
      await waitFor('the reason in the tooltip', () => /not trusted/.test(statusTooltip(host.fake)));
      assert.ok(host.fake.log.find(/not trusted/, 'warn').length > 0, 'the reason is logged');

      host.fake.grantTrust();
      await waitFor('the workspace source connects once trusted', () => workspaceServer.connections() > 0, 5000);
    } finally {
      await host.shutdown();
      await userServer.close();
      await workspaceServer.close();
    }
  });
});
