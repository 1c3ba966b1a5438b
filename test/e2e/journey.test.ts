// Issue 7: the user journey in a real VS Code, step by step, a screenshot at each step.
// Open the panel → status bar and thresholds → alert, dismiss, reload → server restart → reload.
// One source (the Bun WebSocket) so that every headline number is exactly what that stream sent.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { editSettingsJson, reloadWindow, runCommand, shot, statusBarTooltip, waitFor } from './helpers/workbench';
import {
  BUN, Rig, STATUS_ID, ServerSampler, chartPoints, closeModalEditor, chartSelector, countInPanel, panel, pinSeries, pulseStatus,
  severityOf, waitForGaugeMatchingServer, waitForPulseStatus, waitForSourceState, waitForStatusMatchingServer,
  waitForStatusSeverity,
} from './helpers/pulse';

const SOURCE = 'bun';
const RULE_ID = 'connections';


function connectionsRule(warning: number, critical: number): Record<string, unknown>[] {
  return [{ id: RULE_ID, metric: 'role:connections', warning, critical, direction: 'above', for: 0 }];
}

/** The ids of the alerts the panel lists as firing. */
async function firingAlerts(page: Page): Promise<{ id: string; severity: string }[]> {
  const frame = await panel(page, '.alerts');
  const items = frame.locator('.alert[data-state="firing"]');
  const out: { id: string; severity: string }[] = [];
  for (let i = 0; i < (await items.count()); i++) {
    out.push({ id: (await items.nth(i).getAttribute('data-alert-id')) ?? '', severity: (await items.nth(i).getAttribute('data-severity')) ?? '' });
  }
  return out;
}

/** Brings the panel's editor tab to the front (another editor may cover it). */
async function showPanelTab(page: Page): Promise<void> {
  await page.locator('.part.editor .tab', { hasText: 'Pulse Metrics' }).first().click();
  await panel(page);
}

describe('Pulse user journey (issue 7)', { timeout: 10 * 60_000 }, () => {
  const rig = new Rig();
  const sampler = new ServerSampler(() => rig.dev);
  let pinned = '';
  let seriesBefore: string[] = [];

  after(() => sampler.stop());
  rig.hooks('journey', () => ({ sources: (port, defaults) => defaults(port).filter((s) => s.name === SOURCE) }), async () => {
    sampler.start();
    await rig.dev.control('connections', { count: 7 });
  });

  it('1. F1 → "Pulse: Open Metrics Panel" shows gauges with the numbers the server sent', async () => {
    const { page } = rig;
    await runCommand(page, 'Pulse: Open Metrics Panel');
    await panel(page);
    await waitForSourceState(page, SOURCE, 'open');
    const conn = await waitForGaugeMatchingServer(page, sampler, 'connections');
    assert.equal(conn.text, '7', 'connections gauge shows the count the server was told to report');
    await waitForGaugeMatchingServer(page, sampler, 'heap');
    await waitForGaugeMatchingServer(page, sampler, 'pending');
    pinned = await pinSeries(page, 'memory.heapUsed');
    await waitFor('the pinned heap chart to have points', async () => ((await chartPoints(page, pinned)) ?? 0) > 0 || undefined);
    await shot(page, 'journey-1-panel-gauges');
  });

  it('2. the status bar shows the summary, then warning and error colours past the thresholds', async () => {
    const { page } = rig;
    const ok = await waitForStatusMatchingServer(page, sampler);
    assert.equal(severityOf(ok), 'ok', `no alert yet: ${ok.className}`);
    assert.ok(ok.icons.includes('pulse'), `the pulse icon is shown: ${ok.icons.join(',')}`);
    await shot(page, 'journey-2a-status-summary');

    assert.ok(rig.profile);
    editSettingsJson(rig.profile.workspaceSettingsFile, { 'pulse.thresholds': connectionsRule(50, 100) });
    // The gauge shows the rule's levels once the settings reached the panel.
    const frame = await panel(page);
    await frame.locator('.gauge[data-metric="connections"] .gauge-sub', { hasText: /warn\s50/ }).waitFor({ timeout: 30_000 });

    await rig.dev.control('connections', { count: 70 });
    await waitForGaugeMatchingServer(page, sampler, 'connections', { level: 'warning' });
    const warn = await waitForStatusSeverity(page, 'warning');
    assert.match(warn.text, /70 conn/);
    await shot(page, 'journey-2b-warning');

    await rig.dev.control('connections', { count: 150 });
    await waitForGaugeMatchingServer(page, sampler, 'connections', { level: 'critical' });
    const crit = await waitForStatusSeverity(page, 'critical');
    assert.match(crit.text, /150 conn/);
    await shot(page, 'journey-2c-critical');
  });

  it('3. a threshold changed in settings fires an alert; dismissed in the panel it stays dismissed after a reload', async () => {
    const { page } = rig;
    assert.ok(rig.profile);
    await rig.dev.control('connections', { count: 30 });
    await waitForGaugeMatchingServer(page, sampler, 'connections', { level: 'ok' });
    await waitForStatusSeverity(page, 'ok');
    await waitFor('no firing alerts', async () => ((await firingAlerts(page)).length === 0 ? true : undefined));

    // The Settings UI shows Pulse's thresholds setting; an array is edited via "Edit in settings.json".
    await runCommand(page, 'Pulse: Open Threshold Settings');
    const item = page.locator('.settings-editor .setting-item-contents').filter({ hasText: 'Threshold rules, added to' }).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    const itemText = await item.innerText();
    assert.match(itemText, /Pulse/);
    assert.match(itemText, /Thresholds/);
    assert.match(itemText, /Edit in settings\.json/);
    const query = await page.locator('.settings-editor .settings-header .monaco-editor .view-lines').first().innerText();
    assert.match(query.replace(/\u00a0/g, ' '), /pulse\.thresholds/);
    await shot(page, 'journey-3a-threshold-settings-ui');
    await closeModalEditor(page);

    editSettingsJson(rig.profile.workspaceSettingsFile, { 'pulse.thresholds': connectionsRule(20, 100) });
    await showPanelTab(page);
    const fired = await waitFor('a firing connections alert in the panel', async () => {
      const all = await firingAlerts(page);
      return all.find((a) => a.severity === 'warning');
    }, 45_000);
    const status = await waitForStatusSeverity(page, 'warning');
    assert.ok(status.icons.includes('bell-dot'), `bell in the status bar: ${status.icons.join(',')}`);
    assert.match(status.text, /\b1$/, 'one alert counted next to the bell');
    const tooltip = await statusBarTooltip(page, STATUS_ID);
    assert.match(tooltip, /Firing alerts \(1\)/);
    await shot(page, 'journey-3b-alert-firing');

    const frame = await panel(page, `.alert[data-alert-id="${fired.id}"]`);
    await frame.locator(`.alert[data-alert-id="${fired.id}"] [data-action="dismiss"]`).click();
    await waitFor('the alert to leave the panel', async () => ((await countInPanel(page, `.alert[data-alert-id="${fired.id}"]`)) === 0 ? true : undefined));
    const cleared = await waitForPulseStatus(page, 'no bell after dismissing', (e) => !e.icons.includes('bell-dot') && severityOf(e) === 'ok');
    assert.match(cleared.text, /30 conn/, 'still past the warning level (30 ≥ 20) on the server');
    await waitForGaugeMatchingServer(page, sampler, 'connections', { level: 'warning' });
    await shot(page, 'journey-3c-alert-dismissed');

    await reloadWindow(page);
    await panel(page);
    await waitForSourceState(page, SOURCE, 'open');
    // The rules run again on fresh data (the gauge is past warning) and the alert still does not show.
    await waitForGaugeMatchingServer(page, sampler, 'connections', { level: 'warning' });
    const connections = BUN.connections.pick(await rig.dev.state());
    assert.equal(connections, 30, 'the server still reports 30 connections');
    for (let i = 0; i < 8; i++) {
      const again = await countInPanel(page, `.alert[data-alert-id="${fired.id}"][data-state="firing"]`);
      if (again > 0) {
        await shot(page, 'journey-3d-FAILED-dismissed-alert-back');
        const f = await panel(page, '.alerts');
        const text = await f.locator(`.alert[data-alert-id="${fired.id}"]`).first().innerText();
        assert.fail(`dismissed alert ${fired.id} shown again after reload: ${text.replace(/\s+/g, ' ')}`);
      }
      const e = await pulseStatus(page);
      assert.ok(e && !e.icons.includes('bell-dot'), `status bar counts the dismissed alert after reload: "${e?.text}"`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await shot(page, 'journey-3d-after-reload-still-dismissed');
  });

  it('4. the server is killed and restarted on the same port: reconnecting, then open, history kept', async () => {
    const { page } = rig;
    const frame = await panel(page, 'table[data-table=series] tr[data-series-id]');
    seriesBefore = await frame.locator('table[data-table=series] tr[data-series-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-series-id') ?? ''));
    const pointsBefore = (await chartPoints(page, pinned)) ?? 0;
    assert.ok(pointsBefore > 20, `the pinned chart has history before the restart (${pointsBefore} points)`);
    const port = rig.dev.port;

    await rig.dev.stop();
    const reconnecting = await waitForSourceState(page, SOURCE, 'reconnecting', 30_000);
    assert.match(reconnecting.text, /reconnecting/);
    await shot(page, 'journey-4a-reconnecting');

    await rig.startDevServerOn(port);
    await waitForSourceState(page, SOURCE, 'open', 90_000);
    await waitForGaugeMatchingServer(page, sampler, 'heap');
    await waitForGaugeMatchingServer(page, sampler, 'connections');
    const pointsAfter = (await chartPoints(page, pinned)) ?? 0;
    assert.ok(pointsAfter >= pointsBefore * 0.9, `history kept: ${pointsAfter} points after, ${pointsBefore} before`);
    const frameAfter = await panel(page, 'table[data-table=series] tr[data-series-id]');
    const seriesAfter = new Set(await frameAfter.locator('table[data-table=series] tr[data-series-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-series-id') ?? '')));
    const missing = seriesBefore.filter((id) => !seriesAfter.has(id));
    assert.deepEqual(missing, [], 'every series from before the restart is still listed');
    await shot(page, 'journey-4b-reconnected');
  });

  it('5. after a window reload the panel is restored (serializer) with its pinned chart and history', async () => {
    const { page } = rig;
    // How fast live data alone adds points, so that "back with its history" cannot be mistaken
    // for points that arrived after the reload.
    const p0 = (await chartPoints(page, pinned)) ?? 0;
    await new Promise((r) => setTimeout(r, 5000));
    const pointsBefore = (await chartPoints(page, pinned)) ?? 0;
    const perSecond = Math.max(0, pointsBefore - p0) / 5;
    assert.ok(pointsBefore >= 30, `enough history to tell restored from new (${pointsBefore})`);
    const target = Math.ceil(pointsBefore * 0.8);
    const budgetMs = perSecond > 0 ? Math.min(20_000, Math.max(3000, (500 * target) / perSecond)) : 20_000;
    await reloadWindow(page);
    // No command is run: the panel comes back by itself.
    const sel = chartSelector(pinned);
    await panel(page, sel, 60_000);
    let seen = 0;
    await waitFor('the pinned chart to come back with its history', async () => {
      seen = (await chartPoints(page, pinned)) ?? 0;
      return seen >= target ? true : undefined;
    }, budgetMs).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: ${seen} points after reload, ${pointsBefore} before (live adds ${perSecond}/s)`, { cause: e });
    });
    assert.equal(await page.locator('.part.editor .tab', { hasText: 'Pulse Metrics' }).count(), 1, 'one Pulse Metrics tab');
    await waitForSourceState(page, SOURCE, 'open');
    await shot(page, 'journey-5-restored-after-reload');
  });
});
