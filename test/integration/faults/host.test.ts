// Faults where the VS Code host matters, with the real bundle (dist/extension.js) in the fake VS Code
// against the reference dev server: forged webview messages, Workspace Trust, confirmation of
// non-loopback workspace URLs (remembered across a reload), and source tokens that never leak.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceView } from '../../../src/shared/views';
import type { DevServer } from '../../helpers/devserver';
import { startDevServer } from '../../helpers/devserver';
import type { FakeContext, FakeOptions } from '../../helpers/fakeVscode';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';
import { sleep } from './support';

const BUNDLE = join(repoRoot, 'dist', 'extension.js');
const LIVE = '/api/dev/server-metrics/live';

interface Host {
  readonly fake: FakeVscode;
  readonly context: FakeContext;
  shutdown(): Promise<void>;
}

function activate(options: FakeOptions, storageDir: string, state?: Map<string, string>, secrets?: Map<string, string>, answers?: (fake: FakeVscode) => void): Host {
  const fake = new FakeVscode(options);
  answers?.(fake);
  const context = makeContext({ storageDir, state, secrets });
  const extension = loadExtension(BUNDLE, fake);
  extension.activate(context);
  let done = false;
  return {
    fake,
    context,
    shutdown: async () => {
      if (done) return;
      done = true;
      await extension.deactivate();
      disposeContext(context);
    },
  };
}

function wsSource(name: string, url: string): Record<string, unknown> {
  return { name, url, kind: 'ws', format: 'bun' };
}

async function openPanel(fake: FakeVscode): Promise<void> {
  await fake.executeCommand('pulse.openPanel');
  const panel = await waitFor('the panel', () => fake.panel);
  panel.webview.fire({ type: 'ready' });
  await waitFor('a snapshot', () => panel.webview.messagesOfType('didSnapshot').length > 0);
}

/** A source as the panel last heard of it (snapshot, then each delta that carries the sources). */
function panelSource(fake: FakeVscode, name: string): SourceView | undefined {
  return ((fake.panel?.webview.lastList('sources') ?? []) as SourceView[]).find((s) => s.name === name);
}

function tooltip(fake: FakeVscode): string {
  return fake.statusBarItems
    .filter((i) => !i.disposed)
    .map((i) => i.tooltipText)
    .join('\n');
}

describe('host faults (real bundle in the fake VS Code)', () => {
  let dir: string;
  let server: DevServer;
  const hosts: Host[] = [];
  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run "node esbuild.mjs" first`);
    dir = await mkdtemp(join(tmpdir(), 'pulse-faults-host-'));
    server = await startDevServer({ args: ['--interval-scale', '0.1', '--rps', '5'] });
  });
  after(async () => {
    for (const h of hosts) await h.shutdown();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function start(...args: Parameters<typeof activate>): Host {
    const h = activate(...args);
    hosts.push(h);
    return h;
  }

  test('forged or unknown webview messages execute nothing and are logged as warnings; the panel keeps working', async () => {
    const host = start({ user: { 'pulse.sources': [wsSource('dev', server.wsUrl(LIVE))] } }, join(dir, 'forged'));
    await waitFor('data in the status bar', () => host.fake.statusBarItems.some((i) => /\d conn/.test(i.text)), 10_000);
    await openPanel(host.fake);
    const webview = host.fake.panel?.webview;
    assert.ok(webview);
    const forged: unknown[] = [
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'executeCommand', command: 'workbench.action.terminal.new', args: ['rm -rf /'] },
      { type: 'openSettings', command: 'workbench.action.terminal.new' },
      { type: 'reconnect', sourceId: 'no-such-source' },
      { type: 'acknowledgeAlert', alertId: { toString: 'x' } },
      { type: 'requestHistory', requestId: 1, ids: 'all', window: '15m', mode: 'raw' },
      { type: '__proto__', polluted: true },
      { type: 'constructor' },
      JSON.parse('{"__proto__":{"polluted":true},"type":"ready"}'),
      'runCommand',
      null,
      [{ type: 'runCommand' }],
    ];
    const executedBefore = host.fake.executed.length;
    const warnBefore = host.fake.log.lines.filter((l) => l.level === 'warn').length;
    const snapshotsBefore = webview.messagesOfType('didSnapshot').length;
    for (const m of forged) webview.fire(m);
    await sleep(100);
    assert.deepEqual(host.fake.executed.slice(executedBefore), [], 'no command executed');
    assert.equal(webview.messagesOfType('didSnapshot').length, snapshotsBefore, 'a forged "ready" with extra fields got no snapshot');
    const warnings = host.fake.log.lines.filter((l) => l.level === 'warn').slice(warnBefore);
    assert.ok(warnings.some((l) => /Refused/.test(l.message) && l.message.includes('runCommand')), `runCommand refused in the log: ${JSON.stringify(warnings.map((l) => l.message))}`);
    assert.ok(warnings.some((l) => l.message.includes('executeCommand')), 'executeCommand refused in the log');
    assert.ok(warnings.length >= 5, `each forged message leaves a warning (rate-limited): ${warnings.length}`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    // A legitimate message still works.
    webview.fire({ type: 'ready' });
    await waitFor('a fresh snapshot', () => webview.messagesOfType('didSnapshot').length > snapshotsBefore);
  });

  test('untrusted workspace: workspace sources are not connected and the reason is shown; user sources connect', async () => {
    const host = start(
      {
        trusted: false,
        workspaceFolders: [dir],
        user: { 'pulse.sources': [wsSource('mine', server.wsUrl(LIVE))] },
        workspace: { 'pulse.sources': [wsSource('theirs', server.wsUrl('/ws'))] },
      },
      join(dir, 'untrusted'),
    );
    await openPanel(host.fake);
    await waitFor('the user source open', () => panelSource(host.fake, 'mine')?.state.phase === 'open', 10_000);
    const theirs = await waitFor('the workspace source refused', () => {
      const s = panelSource(host.fake, 'theirs');
      return s?.state.phase === 'failed' ? s : undefined;
    });
    assert.match(theirs.state.phase === 'failed' ? theirs.state.reason : '', /not trusted/);
    await waitFor('the reason in the status-bar tooltip', () => /theirs \| failed — This workspace is not trusted/.test(tooltip(host.fake)));
    const state = await server.state();
    assert.ok(state.connections >= 1, 'the user source connected');
    assert.ok(
      !host.fake.log.lines.some((l) => /\[theirs\] connecting/.test(l.message)),
      'the workspace source never tried to connect',
    );
  });

  test('a non-loopback URL from workspace settings: asked once; "Connect" connects and is remembered across a reload; no answer → not connected, reason shown', async () => {
    // 0.0.0.0 reaches the loopback-bound dev server on Linux, but is not a loopback host to Pulse.
    const remoteUrl = server.wsUrl(LIVE).replace('127.0.0.1', '0.0.0.0');
    const options: FakeOptions = { workspaceFolders: [dir], workspace: { 'pulse.sources': [wsSource('remote', remoteUrl)] } };
    const isConfirm = (message: string): boolean => message.includes('not on this machine');
    const asked = (fake: FakeVscode): number => fake.shown('warning').filter((d) => isConfirm(d.message)).length;

    // Declined (dismissed): not connected, the reason is on the source.
    const declined = start(options, join(dir, 'remote-declined'));
    await openPanel(declined.fake);
    const refused = await waitFor('the unconfirmed source failed', () => {
      const s = panelSource(declined.fake, 'remote');
      return s?.state.phase === 'failed' ? s : undefined;
    });
    assert.match(refused.state.phase === 'failed' ? refused.state.reason : '', /not on this machine and was not confirmed/);
    assert.equal(asked(declined.fake), 1, 'asked once');
    const dialog = declined.fake.shown('warning').find((d) => isConfirm(d.message));
    assert.equal((dialog?.options as { modal?: unknown } | undefined)?.modal, true, 'the question is modal');
    assert.equal(declined.context.workspaceState.get('pulse.confirmedRemoteUrls'), undefined, 'nothing remembered');
    await declined.shutdown();

    // Confirmed: connects, remembered in workspace state.
    const first = start(options, join(dir, 'remote-confirmed'), undefined, undefined, (fake) => {
      fake.answers.message = (_kind, message) => (isConfirm(message) ? 'Connect' : undefined);
    });
    await openPanel(first.fake);
    await waitFor('the confirmed source open', () => panelSource(first.fake, 'remote')?.state.phase === 'open', 10_000);
    assert.equal(asked(first.fake), 1, 'asked once');
    await first.shutdown();

    // Reload with the same workspace state: not asked again, connects.
    const second = start(options, join(dir, 'remote-confirmed'), first.context.state, undefined, (fake) => {
      fake.answers.message = () => {
        throw new Error('must not be asked again');
      };
    });
    await openPanel(second.fake);
    await waitFor('open after the reload', () => panelSource(second.fake, 'remote')?.state.phase === 'open', 10_000);
    assert.equal(asked(second.fake), 0, 'not asked again after the reload');
  });

  test('a token set with "Pulse: Set Source Token…" is kept in SecretStorage, sent as a Bearer header, and never logged or stored elsewhere', async () => {
    const TOKEN = 'pulse-faults-Tok3n.abc_DEF-123~';
    await server.control('unauthorized', { token: TOKEN });
    try {
      const host = start({ workspaceFolders: [dir], user: { 'pulse.sources': [wsSource('secured', server.wsUrl(LIVE))] } }, join(dir, 'token'), undefined, undefined, (fake) => {
        fake.answers.inputBox = () => TOKEN;
      });
      await openPanel(host.fake);
      const refused = await waitFor('401 without a token', () => {
        const s = panelSource(host.fake, 'secured');
        return s?.state.phase === 'failed' ? s : undefined;
      });
      assert.match(refused.state.phase === 'failed' ? refused.state.reason : '', /HTTP 401 .*Set Source Token/);

      await host.fake.executeCommand('pulse.setSourceToken');
      assert.equal(host.context.secrets.map.get('pulse.token.secured'), TOKEN, 'stored in SecretStorage');
      await waitFor('open with the token', () => panelSource(host.fake, 'secured')?.state.phase === 'open', 10_000);
      assert.ok(host.fake.log.find(/\[secured\] connecting to .* \(ws, with token\)/).length > 0, 'the log says a token is used');
      await sleep(300);
      await host.shutdown(); // deactivate flushes workspace state

      const places: Record<string, string> = {
        log: host.fake.log.lines.map((l) => l.message).join('\n'),
        settings: JSON.stringify(Object.fromEntries(Object.entries(host.fake.config).map(([scope, map]) => [scope, [...map.entries()]]))),
        workspaceState: JSON.stringify([...host.context.state.entries()]),
        globalState: JSON.stringify([...host.context.globalState.map.entries()]),
        posted: JSON.stringify(host.fake.panels.flatMap((p) => p.webview.posted.map((m) => m.message))),
        dialogs: JSON.stringify(host.fake.dialogs.map((d) => [d.message, d.items])),
        statusBar: host.fake.statusBarItems.map((i) => `${i.texts.map((t) => t.text).join('\n')}\n${i.tooltipText}`).join('\n'),
      };
      for (const [where, text] of Object.entries(places)) {
        assert.ok(text.length > 0 || where === 'globalState', `${where} was collected`);
        assert.ok(!text.includes(TOKEN), `the token is not in the ${where}`);
        assert.ok(!text.includes(TOKEN.slice(0, 12)), `no part of the token is in the ${where}`);
      }
    } finally {
      await server.control('normal');
    }
  });
});
