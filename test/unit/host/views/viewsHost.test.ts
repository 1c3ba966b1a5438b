// The Pulse view container through a fresh bundle of src/extension.ts in the fake VS Code: manifest and
// registrations agree, trees and context keys follow a real loopback server, the tree commands act without
// toasts, and detection is offered once, probes only after consent and adds what was picked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { FakeContext, FakeOptions, FakeTreeItem, FakeTreeView } from '../../../helpers/fakeVscode';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../../helpers/fakeVscode';
import { startDevServer } from '../../../helpers/devserver';
import { readManifest } from '../../../helpers/manifest';
import { PANEL_VIEW_TYPE } from '../../../../src/shared/vocabulary';
import { bundleExtension } from '../../../helpers/extensionBundle';

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    viewsWelcome: { view: string; contents: string; when?: string }[];
    keybindings: { command: string; key: string; mac?: string }[];
    walkthroughs: { steps: { description: string; media: { markdown: string }; completionEvents: string[] }[] }[];
    configuration: { properties: Record<string, { scope?: string; markdownDescription?: string }> };
  };
}
const manifest = readManifest<Manifest>(repoRoot);

interface Host {
  readonly fake: FakeVscode;
  readonly context: FakeContext;
  shutdown(): Promise<void>;
}

let bundle = '';
let dir = '';

function activate(options: FakeOptions, storage: string, state?: Map<string, string>, globalState?: Map<string, string>): Host {
  const fake = new FakeVscode(options);
  const context = makeContext({ storageDir: join(dir, storage), state, globalState });
  const extension = loadExtension(bundle, fake);
  extension.activate(context);
  return {
    fake,
    context,
    shutdown: async () => {
      await extension.deactivate();
      disposeContext(context);
    },
  };
}

async function rows(view: FakeTreeView | undefined): Promise<{ element: unknown; item: FakeTreeItem }[]> {
  assert.ok(view, 'tree view registered');
  const top = await view.items();
  const out: { element: unknown; item: FakeTreeItem }[] = [];
  for (const t of top) {
    if (t.item.collapsibleState === 0) out.push(t);
    else for (const child of t.children) out.push({ element: child, item: (await view.provider.getTreeItem(child)) as FakeTreeItem });
  }
  return out;
}

async function startBunServer(): Promise<{ url: string; clients(): number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const started = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const text = JSON.stringify({ type: 'metrics', timestamp: now, uptime: (now - started) / 1000, http: { pendingRequests: 1, totalRequests: Math.round(now - started) }, memory: { heapUsed: 40_000_000, heapTotal: 80_000_000, rss: 120_000_000 } });
    for (const c of wss.clients) c.send(text);
  }, 100);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((r) => {
        clearInterval(timer);
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-views-'));
  bundle = join(dir, 'extension.js');
  await bundleExtension(bundle);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('manifest and registrations', () => {
  test('every contributed command is registered and every registered one contributed; menus, welcome and walkthrough name only ours', async () => {
    const host = activate({}, 'manifest');
    try {
      const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
      const registered = new Set([...host.fake.commands.keys()].filter((c) => c.startsWith('pulse.')));
      assert.deepEqual([...contributed].filter((c) => !registered.has(c)), [], 'contributed but not registered');
      assert.deepEqual([...registered].filter((c) => !contributed.has(c)), [], 'registered but not contributed');
      for (const [menu, items] of Object.entries(manifest.contributes.menus)) for (const i of items) assert.ok(contributed.has(i.command), `${menu}: ${i.command}`);
      const links = [...manifest.contributes.viewsWelcome.map((w) => w.contents), ...manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.description))].join('\n');
      const targets = [...links.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1] ?? '');
      assert.ok(targets.length >= 6);
      for (const t of targets) assert.ok(t.startsWith('command:pulse.') && registered.has(t.slice('command:'.length)), t);
      for (const w of manifest.contributes.walkthroughs) for (const s of w.steps) {
        assert.ok(existsSync(join(repoRoot, s.media.markdown)), s.media.markdown);
        assert.ok(s.completionEvents.every((e) => /^on(Command:pulse\.|SettingChanged:pulse\.)/.test(e)), s.completionEvents.join());
      }
      assert.ok(existsSync(join(repoRoot, manifest.contributes.viewsContainers.activitybar[0]?.icon ?? 'x')));
      assert.deepEqual(manifest.contributes.views.pulse?.map((v) => v.id), ['pulse.sources', 'pulse.alerts']);
      assert.deepEqual([...host.fake.treeViews.keys()].sort(), ['pulse.alerts', 'pulse.sources']);
      assert.ok(manifest.contributes.keybindings.some((k) => k.command === 'pulse.openPanel' && k.key === 'ctrl+alt+m'));
      assert.ok(manifest.contributes.menus['editor/title']?.every((m) => m.when?.startsWith(`activeWebviewPanelId == ${PANEL_VIEW_TYPE}`)));
      const hidden = new Map(manifest.contributes.menus.commandPalette?.map((m) => [m.command, m.when]));
      assert.equal(hidden.get('pulse.dismissAllAlerts'), 'pulse.hasAlerts');
      assert.equal(hidden.get('pulse.disconnect'), 'pulse.connected');
      for (const [key, p] of Object.entries(manifest.contributes.configuration.properties)) assert.ok(p.scope && p.markdownDescription, key);
      const enums = (path: string, node: unknown): void => {
        if (typeof node !== 'object' || node === null) return;
        const o = node as { enum?: unknown[]; enumDescriptions?: unknown[] };
        if (Array.isArray(o.enum) && Array.isArray(o.enumDescriptions)) assert.equal(o.enumDescriptions.length, o.enum.length, `${path}: one description per enum value`);
        for (const [k, v] of Object.entries(node)) enums(`${path}.${k}`, v);
      };
      enums('configuration', manifest.contributes.configuration);
      await waitFor('context keys', () => host.fake.contextKeys.size === 3);
      assert.deepEqual(Object.fromEntries(host.fake.contextKeys), { 'pulse.hasSources': false, 'pulse.hasAlerts': false, 'pulse.connected': false });
      assert.deepEqual(await rows(host.fake.treeViews.get('pulse.sources')), [], 'empty: the welcome view shows');
      assert.equal(host.fake.executed.filter((c) => c.command === 'welcome.markStepComplete').length, 0, 'no source: the walkthrough step stays open');
    } finally {
      await host.shutdown();
    }
  });
});

describe('trees and context keys with a live source', () => {
  test('sources tree shows the connection; disable/enable without toasts; a test alert fires, is acknowledged and dismissed', async () => {
    const server = await startBunServer();
    const host = activate({ user: { 'pulse.sources': [{ name: 'dev', url: server.url, kind: 'ws', format: 'bun' }] } }, 'live');
    const { fake } = host;
    try {
      await waitFor('connected', () => fake.contextKeys.get('pulse.connected') === true, 10_000);
      assert.equal(fake.contextKeys.get('pulse.hasSources'), true);
      // The walkthrough's first step is ticked even though no walkthrough was open when the source came.
      const marked = fake.executed.filter((c) => c.command === 'welcome.markStepComplete');
      assert.deepEqual(marked.map((c) => c.args), [[`${host.context.extension.id}#pulse.gettingStarted#pulse.detect`]]);
      const sources = fake.treeViews.get('pulse.sources');
      let dev: { element: unknown; item: FakeTreeItem } | undefined;
      for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 50))) {
        dev = (await rows(sources))[0];
        const description = String(dev?.item.description);
        if (/^connected · [\d.]+ msg\/s$/.test(description) && !description.startsWith('connected · 0 ')) break;
        assert.ok(Date.now() < deadline, `messages per second in the row: ${description}`);
      }
      assert.equal(dev?.item.contextValue, 'pulseSource.enabled');

      await fake.executeCommand('pulse.sources.disable', dev?.element);
      await waitFor('disconnected', () => fake.contextKeys.get('pulse.connected') === false && server.clients() === 0, 5000);
      assert.equal((await rows(sources))[0]?.item.contextValue, 'pulseSource.disabled');
      assert.ok(fake.statusMessages.some((m) => /dev disabled/.test(m)), fake.statusMessages.join());
      await fake.executeCommand('pulse.sources.enable', 'dev');
      await waitFor('reconnected', () => fake.contextKeys.get('pulse.connected') === true, 10_000);

      await fake.executeCommand('pulse.addTestAlert');
      const rules = fake.config.user.get('pulse.thresholds') as { id: string; warning: number }[];
      assert.equal(rules[0]?.id, 'pulse-walkthrough-test');
      assert.ok(fake.executed.some((e) => e.command === 'pulse.alerts.focus'));
      await waitFor('an alert', () => fake.contextKeys.get('pulse.hasAlerts') === true, 10_000);
      const alerts = fake.treeViews.get('pulse.alerts');
      const firing = (await rows(alerts)).find((r) => r.item.contextValue === 'pulseAlert.active');
      assert.ok(firing, 'the test alert is in the Firing group');
      assert.ok(alerts?.badge && alerts.badge.value >= 1, 'the view shows a badge');
      await fake.executeCommand('pulse.alerts.acknowledge', firing.element);
      assert.equal((await rows(alerts)).find((r) => r.item.id === firing.item.id)?.item.contextValue, 'pulseAlert.active.acked');
      await fake.executeCommand('pulse.dismissAllAlerts');
      await waitFor('no alerts', () => fake.contextKeys.get('pulse.hasAlerts') === false, 5000);
      assert.deepEqual(await rows(alerts), []);
      assert.deepEqual(fake.shown('information').map((d) => d.message), [], 'routine actions raise no toasts');
      assert.deepEqual(fake.shown('error').map((d) => d.message), []);
    } finally {
      await host.shutdown();
      await server.close();
    }
  });
});

describe('Manage Sources', () => {
  test('test, edit the URL, then remove a source without opening settings.json', async () => {
    const server = await startBunServer();
    const host = activate({ user: { 'pulse.sources': [{ name: 'dev', url: 'ws://127.0.0.1:1/', kind: 'ws', format: 'bun' }] } }, 'manage');
    const { fake } = host;
    const script: string[] = [];
    fake.answers.quickPick = (items) => {
      const want = script.shift();
      return (items as { action: string }[]).find((i) => i.action === want);
    };
    fake.answers.inputBox = () => server.url;
    fake.answers.message = (kind, _m, items) => (kind === 'warning' && items.includes('Remove') ? 'Remove' : undefined);
    try {
      script.push('source:dev', 'url');
      await fake.executeCommand('pulse.manageSources');
      assert.deepEqual(fake.config.user.get('pulse.sources'), [{ name: 'dev', url: server.url, kind: 'ws', format: 'bun' }]);
      await waitFor('connected to the new URL', () => fake.contextKeys.get('pulse.connected') === true, 10_000);

      script.push('source:dev', 'test');
      await fake.executeCommand('pulse.manageSources');
      const tested = fake.shown('information').at(-1)?.message ?? '';
      assert.match(tested, /dev answers \(ws\); bun format, \d+ series/);

      script.push('source:dev', 'remove');
      await fake.executeCommand('pulse.manageSources');
      assert.deepEqual(fake.config.user.get('pulse.sources'), []);
      await waitFor('no sources', () => fake.contextKeys.get('pulse.hasSources') === false, 5000);
      const top = fake.dialogs.find((d) => d.kind === 'quickPick');
      assert.deepEqual((top?.items as { action: string }[]).map((i) => i.action), ['add', 'detect', 'source:dev']);
    } finally {
      await host.shutdown();
      await server.close();
    }
  });
});

describe('detection', () => {
  test('offered once per workspace, nothing probed before "Detect", the recommended endpoint added and connected', async () => {
    const dev = await startDevServer({ args: ['--interval-scale', '0.2', '--no-traffic'] });
    const folder = join(dir, 'project');
    await rm(folder, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'app', scripts: { dev: 'bun run --hot src/index.ts' } }));
    await writeFile(join(folder, '.env'), `PORT=${dev.port}\n`);
    let answer: (choice: string) => void = () => undefined;
    let offers = 0;
    const host = activate({ workspaceFolders: [folder] }, 'detect');
    const { fake } = host;
    fake.answers.message = (_kind, message) => {
      if (!/look for your running dev server/.test(message)) return undefined;
      offers++;
      return new Promise<string>((r) => (answer = r));
    };
    fake.answers.quickPick = (items) => (items as { picked?: boolean; endpoint?: { port: number } }[]).filter((i) => i.picked && i.endpoint?.port === dev.port);
    try {
      await waitFor('the offer', () => offers === 1, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await dev.state()).connections, 0, 'no probe before consent');
      assert.equal(fake.config.workspace.get('pulse.sources'), undefined);
      answer('Detect');
      const added = await waitFor('a source in workspace settings', () => fake.config.workspace.get('pulse.sources') as { url: string; format?: string; kind: string }[] | undefined, 30_000);
      assert.deepEqual(added.map((s) => [s.url, s.kind, s.format]), [[`ws://127.0.0.1:${dev.port}/api/dev/server-metrics/live`, 'ws', 'bun']]);
      const pick = fake.dialogs.find((d) => d.kind === 'quickPick');
      const labels = (pick?.items as { label: string; endpoint: { port: number } }[]).filter((i) => i.endpoint.port === dev.port).map((i) => i.label);
      assert.ok(labels.includes('prometheus /metrics') && labels.includes('ws /ws'), labels.join(', '));
      await waitFor('connected', () => fake.contextKeys.get('pulse.connected') === true, 10_000);
      assert.ok(fake.statusMessages.some((m) => /added 1 source to workspace settings/.test(m)));
    } finally {
      await host.shutdown();
    }
    // The same workspace again: no second offer.
    const again = activate({ workspaceFolders: [folder] }, 'detect', host.context.state);
    let asked = false;
    again.fake.answers.message = () => ((asked = true), undefined);
    try {
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(asked, false);
    } finally {
      await again.shutdown();
      await dev.stop();
    }
  });

  test("\"Don't Ask Again\" is kept in globalState: another workspace is not asked either", async () => {
    const folder = join(dir, 'other');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(join(folder, 'package.json'), JSON.stringify({ dependencies: { express: '5' } }));
    const globalState = new Map<string, string>();
    const first = activate({ workspaceFolders: [folder] }, 'ask1', undefined, globalState);
    let offers = 0;
    first.fake.answers.message = (_k, m) => (/look for your running dev server/.test(m) ? (offers++, "Don't Ask Again") : undefined);
    await waitFor('the offer', () => offers === 1, 10_000);
    await first.shutdown();
    const second = activate({ workspaceFolders: [folder] }, 'ask2', new Map(), globalState);
    second.fake.answers.message = (_k, m) => (/look for your running dev server/.test(m) ? (offers++, undefined) : undefined);
    await new Promise((r) => setTimeout(r, 500));
    await second.shutdown();
    assert.equal(offers, 1);
  });
});
