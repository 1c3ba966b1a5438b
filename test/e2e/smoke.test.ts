// The packaged extension in a real VS Code (code-server + Chromium): it installs from the .vsix,
// activates, and its log says so. The first run installs code-server into ~/.cache/pulse-e2e.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeServer, CodeServerEnv, Profile } from './helpers/env';
import { repoRoot, vscodeEnv } from './helpers/env';
import type { DevServer } from '../helpers/devserver';
import { startDevServer } from '../helpers/devserver';
import type { Workbench } from './helpers/workbench';
import { openWorkbench, outputChannel, runCommand, screenshotDir, shot, waitForOutput, waitForStatusBarItem } from './helpers/workbench';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
const extensionId = `${manifest.publisher}.${manifest.name}`;

describe('Pulse in a real VS Code', { timeout: 15 * 60_000 }, () => {
  let env: CodeServerEnv;
  let vsix = '';
  let dev: DevServer | undefined;
  let profile: Profile | undefined;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;

  before(async () => {
    const m = await vscodeEnv();
    env = await m.ensureCodeServer();
    vsix = await m.packageVsix();
  }, { timeout: 12 * 60_000 });

  before(async () => {
    const m = await vscodeEnv();
    dev = await startDevServer();
    profile = m.createProfile({ workspaceSettings: { 'pulse.sources': m.pulseSources(dev.port) } });
    await m.installVsix(env, profile, vsix);
    server = await m.startCodeServer(env, profile);
    wb = await openWorkbench(server.url, profile.workspace);
  }, { timeout: 3 * 60_000 });

  after(async () => {
    await wb?.close();
    await server?.stop();
    await dev?.stop();
    if (server && existsSync(server.logFile)) {
      mkdirSync(screenshotDir, { recursive: true });
      copyFileSync(server.logFile, join(screenshotDir, 'smoke-code-server.log'));
    }
    profile?.cleanup();
  });

  it('installs the .vsix into the profile', () => {
    assert.ok(profile);
    const installed = readdirSync(profile.extensionsDir);
    assert.ok(
      installed.includes(`${extensionId}-${manifest.version}`),
      `expected ${extensionId}-${manifest.version} in ${profile.extensionsDir}, found ${installed.join(', ')}`,
    );
  });

  it('activates: "Pulse: Show Log" shows the Pulse channel saying "Pulse activated"', async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'Pulse: Show Log');
    try {
      assert.equal(await outputChannel(page), 'Pulse');
      const output = await waitForOutput(page, 'Pulse activated', 60_000);
      assert.match(output, /\[info\] Pulse activated/);
    } finally {
      await shot(page, 'smoke-pulse-log');
    }
  });

  it('shows the dev server\'s live numbers in its status bar item', async (t) => {
    assert.ok(wb);
    const entry = await waitForStatusBarItem(wb.page, extensionId, (e) => /\d/.test(e.text), 60_000);
    assert.match(entry.id, new RegExp(`^${extensionId.replace(/\./g, '\\.')}\\.`));
    t.diagnostic(`#${entry.id}: "${entry.text}" (${entry.ariaLabel})`);
    await shot(wb.page, 'smoke-status-bar');
  });
});
