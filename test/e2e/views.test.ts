// The Pulse activity-bar view: its Sources tree lists the configured sources with their state; with no
// sources it shows the welcome content, whose "Detect Sources" lists the loopback endpoints in a quick pick.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { vscodeEnv } from './helpers/env';
import { shot, waitFor } from './helpers/workbench';
import { Rig, errorToasts, hooksWithEnvPortOnly, quickInputText, waitForQuickInput, waitForStatusMessage } from './helpers/pulse';

interface TreeRow {
  name: string;
  description: string;
}

/** Clicks the Pulse icon in the activity bar and waits for the side bar to show the Pulse container. */
async function openPulseView(page: Page): Promise<void> {
  const icon = page.locator('.part.activitybar .action-item .action-label[aria-label^="Pulse"]').first();
  await icon.waitFor({ state: 'visible', timeout: 30_000 }).catch(async (e: unknown) => {
    const labels = await page.locator('.part.activitybar .action-item .action-label').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    throw new Error(`${(e as Error).message}; activity bar: ${labels.join(' | ')}`, { cause: e });
  });
  await icon.click();
  await page.locator('.part.sidebar .composite.title', { hasText: /pulse/i }).first().waitFor({ state: 'visible', timeout: 15_000 });
}

function pane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: new RegExp(title, 'i') }) }).first();
}

async function treeRows(page: Page, title: string): Promise<TreeRow[]> {
  const rows = pane(page, title).locator('.pane-body .monaco-list-row');
  const out: TreeRow[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const name = ((await row.locator('.label-name').first().innerText({ timeout: 2000 }).catch(() => '')) || '').trim();
    const description = ((await row.locator('.label-description').first().innerText({ timeout: 2000 }).catch(() => '')) || '').trim();
    out.push({ name, description });
  }
  return out;
}

describe('The Pulse view, with sources', { timeout: 8 * 60_000 }, () => {
  const rig = new Rig();
  let deadPort = 0;

  before(async () => {
    deadPort = await (await vscodeEnv()).freePort();
  });
  // Two live sources and one on a port nobody listens on, so the tree shows more than one state.
  rig.hooks('views-sources', () => ({
    sources: (port, defaults) => [
      ...defaults(port).filter((s) => s.name === 'bun' || s.name === 'api'),
      { name: 'nobody', url: `ws://127.0.0.1:${deadPort}/api/dev/server-metrics/live`, kind: 'ws', format: 'bun' },
    ],
  }));

  it('the activity-bar Pulse icon opens Sources (each configured source and its state) and Alerts', async () => {
    const { page } = rig;
    await openPulseView(page);
    let rows: TreeRow[] = [];
    await waitFor('the Sources tree to show bun and api connected, nobody not', async () => {
      rows = await treeRows(page, 'Sources');
      const of = (n: string): string => rows.find((r) => r.name === n)?.description ?? '';
      return rows.length === 3 && /^connected · [\d.]+ msg\/s$/.test(of('bun')) && /^connected · /.test(of('api')) && /^(reconnecting|connecting|failed)/.test(of('nobody'))
        ? true
        : undefined;
    }, 60_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: rows ${JSON.stringify(rows)}`, { cause: e });
    });
    assert.deepEqual(rows.map((r) => r.name), ['bun', 'api', 'nobody']);
    assert.ok(await pane(page, 'Alerts').isVisible(), 'the Alerts tree is in the view');
    // Configured sources: no welcome content in Sources.
    assert.equal(await pane(page, 'Sources').locator('.welcome-view-content').count(), 0);
    await shot(page, 'views-sources-tree');
    assert.deepEqual(await errorToasts(page), []);
  });
});

describe('The Pulse view, with no pulse.sources', { timeout: 8 * 60_000 }, () => {
  const rig = new Rig();

  // How a project names its dev server's port; detection reads .env (and also tries common ports).
  hooksWithEnvPortOnly(rig, 'views-welcome');

  it('shows the welcome content with "Detect Sources"; detecting lists the dev server\'s endpoints and adds the chosen ones', async () => {
    const { page } = rig;
    assert.ok(rig.profile);
    await openPulseView(page);
    const welcome = pane(page, 'Sources').locator('.welcome-view-content');
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await welcome.innerText(), /Pulse shows live metrics from your running dev server/);
    const detect = welcome.locator('.monaco-button', { hasText: /^\s*Detect Sources\s*$/ }).first();
    await detect.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal((await treeRows(page, 'Sources')).length, 0);
    await shot(page, 'views-welcome');

    await detect.click();
    await waitForQuickInput(page, /metrics endpoints? found/, 60_000);
    const port = String(rig.dev.port);
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    let listed: TreeRow[] = [];
    await waitFor('the dev server\'s endpoints in the quick pick', async () => {
      listed = [];
      for (let i = 0; i < (await rows.count()); i++) {
        const name = ((await rows.nth(i).locator('.label-name').first().innerText().catch(() => '')) || '').trim();
        const description = ((await rows.nth(i).locator('.label-description').first().innerText().catch(() => '')) || '').trim();
        listed.push({ name, description });
      }
      const ours = listed.filter((r) => r.description.startsWith(`port ${port} `));
      const has = (label: string, format: string): boolean => ours.some((r) => r.name === label && r.description.includes(format));
      return has('ws /api/dev/server-metrics/live', 'bun') && has('http-json /stats', 'go-stats') && has('ws /ws', 'daemon') ? ours : undefined;
    }, 15_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: listed ${JSON.stringify(listed)}`, { cause: e });
    });
    const title = await quickInputText(page);
    await shot(page, 'views-detect-quick-pick');

    // Add only what is on our dev server's port (another process on a common port must not be added).
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const description = ((await row.locator('.label-description').first().innerText().catch(() => '')) || '').trim();
      const checked = (await row.getAttribute('aria-checked')) === 'true';
      if (checked && !description.startsWith(`port ${port} `)) await row.locator('.quick-input-list-checkbox, input[type=checkbox]').first().click();
    }
    await page.keyboard.press('Enter');
    const message = await waitForStatusMessage(page, /Pulse: added \d+ sources? to workspace settings/, 20_000);
    const added = Number(/added (\d+)/.exec(message)?.[1]);
    assert.ok(added >= 1, `${message} (quick pick: ${title})`);
    const settings = JSON.parse(readFileSync(rig.profile.workspaceSettingsFile, 'utf8')) as { 'pulse.sources'?: { name: string; url: string }[] };
    const saved = settings['pulse.sources'] ?? [];
    assert.equal(saved.length, added);
    assert.ok(saved.every((s) => s.url.includes(`127.0.0.1:${port}/`) || s.url.includes(`localhost:${port}/`)), JSON.stringify(saved));

    // The welcome content gives way to the tree, which lists the added sources, connected.
    let tree: TreeRow[] = [];
    await waitFor('the Sources tree to list the added sources, connected', async () => {
      tree = await treeRows(page, 'Sources');
      return tree.length === added && tree.every((r) => r.description.startsWith('connected')) ? true : undefined;
    }, 60_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: rows ${JSON.stringify(tree)}`, { cause: e });
    });
    assert.deepEqual(tree.map((r) => r.name).sort(), saved.map((s) => s.name).sort());
    assert.equal(await welcome.count(), 0);
    await shot(page, 'views-detected-sources-added');
    assert.deepEqual(await errorToasts(page), []);
  });
});
