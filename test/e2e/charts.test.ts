// Issue 17 "Done when", in a real VS Code: with a dev server running and no Pulse settings, the Pulse view welcomes,
// Detect Sources finds the server, one Enter adds it, the walkthrough opens the panel with default charts pinned by
// role, a drag zooms one chart, the crosshair follows on every chart, the user's pins and an overlay (p95 with
// throughput) survive closing the panel and a window reload, and the walkthrough's buttons open the panel, fire a
// test alert and complete the walkthrough.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { sourceId } from '../../src/core/settings/settings';
import { reloadWindow, runCommand, shot, waitFor } from './helpers/workbench';
import { Rig, chartSelector, hooksWithEnvPortOnly, errorToasts, panel, waitForQuickInput, waitForStatusMessage } from './helpers/pulse';
import {
  closeTab, crosshairAt, editorTab, legendTime, plotBox, secondsOfDay, settledChartIds, showPulseView, sidebarPane, sourceRows,
  timeAt, walkthroughDone, walkthroughStep, runWalkthroughButton,
} from './helpers/charts';

const STEPS = ['pulse.detect', 'pulse.panel', 'pulse.alert'] as const;
const PANEL_TAB = 'Pulse Metrics';
const WALKTHROUGH = 'Pulse: Get Started';

async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, WALKTHROUGH);
  await walkthroughStep(page, STEPS[0]).waitFor({ state: 'visible', timeout: 30_000 });
}

describe('Charts from zero config (issue 17)', { timeout: 10 * 60_000 }, () => {
  const rig = new Rig();
  let added: string[] = [];
  let defaults: string[] = [];
  let kept: string[] = [];

  // No pulse.* settings at all; the project names its dev server's port in .env, as many do.
  hooksWithEnvPortOnly(rig, 'charts');

  it('1. the Pulse view welcomes; Detect Sources finds the dev server and one Enter adds and connects it', async () => {
    const { page } = rig;
    assert.ok(rig.profile);
    await showPulseView(page);
    const welcome = sidebarPane(page, 'Sources').locator('.welcome-view-content');
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await welcome.innerText(), /Detect Sources/);
    await shot(page, 'charts-1a-welcome');

    await welcome.locator('.monaco-button', { hasText: /^\s*Detect Sources\s*$/ }).first().click();
    await waitForQuickInput(page, /metrics endpoints? found/, 60_000);
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const port = String(rig.dev.port);
    const ours = async (): Promise<number> => {
      let n = 0;
      for (let i = 0; i < (await rows.count()); i++) {
        const d = ((await rows.nth(i).locator('.label-description').first().innerText().catch(() => '')) || '').trim();
        if (d.startsWith(`port ${port} `)) n++;
      }
      return n;
    };
    await waitFor('the dev server\'s endpoints in the quick pick', async () => ((await ours()) >= 2 ? true : undefined), 15_000);
    await shot(page, 'charts-1b-detected');
    // Whatever else listens on a common port of this machine is not ours to add.
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const d = ((await row.locator('.label-description').first().innerText().catch(() => '')) || '').trim();
      if ((await row.getAttribute('aria-checked')) === 'true' && !d.startsWith(`port ${port} `)) await row.locator('.quick-input-list-checkbox, input[type=checkbox]').first().click();
    }
    await page.keyboard.press('Enter');
    await waitForStatusMessage(page, /Pulse: added \d+ sources? to workspace settings/, 20_000);
    const settings = JSON.parse(readFileSync(rig.profile.workspaceSettingsFile, 'utf8')) as { 'pulse.sources'?: { name: string; url: string }[] };
    added = (settings['pulse.sources'] ?? []).map((s) => s.name);
    assert.ok(added.length >= 1, 'sources added to the workspace settings');
    let tree = new Map<string, string>();
    await waitFor('every added source connected in the Sources tree', async () => {
      tree = await sourceRows(page);
      return added.every((n) => tree.get(n)?.startsWith('connected')) ? true : undefined;
    }, 60_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: ${JSON.stringify([...tree])}`, { cause: e });
    });
    await shot(page, 'charts-1c-connected');
  });

  it('2. the walkthrough\'s "Open Metrics Panel" shows the default charts, pinned by role', async () => {
    const { page } = rig;
    await openWalkthrough(page);
    // The source came from the Sources view before any walkthrough was open: the first step is ticked all the same.
    await waitFor('the walkthrough\'s first step ticked', async () => ((await walkthroughDone(page, [STEPS[0]]))[STEPS[0]] ? true : undefined), 15_000)
      .catch(() => undefined);
    await shot(page, 'charts-2a-walkthrough');
    assert.deepEqual(await walkthroughDone(page, [STEPS[0]]), { [STEPS[0]]: true }, 'the first step is done');

    await runWalkthroughButton(page, 'pulse.panel', 'Open Metrics Panel');
    const opened = await panel(page, '.chart[data-series-id]', 30_000).then(() => true, () => false);
    if (!opened) await runCommand(page, 'Pulse: Open Metrics Panel');
    await shot(page, 'charts-2b-walkthrough-panel-step');
    await closeTab(page, /Welcome|Get Started/);
    defaults = await settledChartIds(page);
    const frame = await panel(page);
    assert.equal(await frame.locator('[data-section="charts"]').getByText(/Pin a series/).first().isVisible().catch(() => false), false, 'no empty-charts hint');
    // The reference server's snapshot stream (seed 001) has a series for each default role: request rate, latency
    // p95, error rate and heap (it has no connections gauge).
    const names = defaults.map((id) => id.replace(/^[^|:]*[|:]/, '')); // a source id is sanitized: no '|' or ':'
    assert.deepEqual(names, ['http.throughput', 'http.p95', 'http.errorRate', 'system.memory'], `the default charts: ${defaults.join(', ')}`);
    const sourceIds = added.map(sourceId);
    assert.ok(defaults.every((id) => sourceIds.some((s) => id.startsWith(s))), `every chart from an added source (${sourceIds.join(', ')}): ${defaults.join(', ')}`);
    assert.equal(new Set(defaults).size, defaults.length);
    await frame.locator('[data-section="charts"]').scrollIntoViewIfNeeded();
    await shot(page, 'charts-2c-default-charts');
    assert.ok(opened, 'the walkthrough\'s "Open Metrics Panel" opened the panel');
  });

  it('3. a drag zooms one chart (Reset zoom goes back); hovering one chart moves the crosshair on every chart', async () => {
    const { page } = rig;
    const frame = await panel(page);
    const a = defaults.find((id) => id.endsWith(':memory.heapUsed')) ?? defaults[0] ?? '';
    const card = frame.locator(chartSelector(a)).first();
    // Some history first, so a drag spans several seconds.
    await waitFor(`${a} to have 8 points`, async () => (Number(await card.getAttribute('data-points')) >= 8 ? true : undefined), 30_000);

    const from = await timeAt(page, frame, a, 0.3);
    const to = await timeAt(page, frame, a, 0.7);
    const box = await plotBox(frame, a);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await waitFor('the chart to be zoomed', async () => ((await card.getAttribute('data-view')) === 'zoomed' ? true : undefined), 5000);
    const reset = card.locator('[data-action="reset-zoom"]');
    assert.equal(await reset.isVisible(), true, 'Reset zoom is offered');
    const left = await timeAt(page, frame, a, 0.01);
    const right = await timeAt(page, frame, a, 0.99);
    assert.ok(Math.abs(left - from) <= 3 && Math.abs(right - to) <= 3, `the dragged range fills the chart: ${left}..${right} for ${from}..${to}`);
    const others = defaults.filter((id) => id !== a);
    for (const id of others) assert.equal(await frame.locator(chartSelector(id)).first().getAttribute('data-view'), 'live', `${id} keeps following live data`);
    await shot(page, 'charts-3a-zoomed');
    await reset.click();
    await waitFor('the chart to follow live data again', async () => ((await card.getAttribute('data-view')) === 'live' ? true : undefined), 5000);
    assert.equal(await reset.isVisible(), false);

    // The crosshair: hover the middle of one chart; every chart's legend leaves "latest" for about that time.
    const hovered = await timeAt(page, frame, a, 0.5);
    const seen: Record<string, string> = {};
    for (const id of defaults) {
      const text = await legendTime(frame, id);
      seen[id] = `${text} @${(await crosshairAt(frame, id))?.toFixed(2) ?? '-'}`;
    }
    await shot(page, 'charts-3b-crosshair');
    for (const id of defaults) {
      const t = secondsOfDay(seen[id] ?? '');
      assert.ok(t !== undefined && Math.abs(t - hovered) <= 5, `${id}'s legend at the hovered time ${hovered}: ${JSON.stringify(seen)}`);
      assert.notEqual(await crosshairAt(frame, id), undefined, `${id} draws the crosshair: ${JSON.stringify(seen)}`);
    }
    await page.mouse.move(2, 2);
    await waitFor('the legends to go back to latest', async () => ((await legendTime(frame, others[0] ?? a)) === 'latest' ? true : undefined), 5000);
  });

  it('4. the user\'s pins and an overlay survive closing the panel and a window reload', async () => {
    const { page } = rig;
    // The user's own change to the defaults: one more series pinned, the last default unpinned.
    const frame = await panel(page, 'table[data-table=series] tr[data-series-id]');
    const listed = await frame.locator('table[data-table=series] tr[data-series-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-series-id') ?? ''));
    const extra = listed.find((id) => id !== '' && !defaults.includes(id)) ?? '';
    assert.ok(extra, `a series that is not a default: ${listed.join(', ')}`);
    const pin = frame.locator(`table[data-table=series] tr[data-series-id="${extra.replace(/["\\]/g, '\\$&')}"] [data-action=pin]`).first();
    if ((await pin.getAttribute('aria-pressed')) !== 'true') await pin.click();
    const dropped = defaults.at(-1) ?? '';
    await frame.locator(`${chartSelector(dropped)} [data-action="unpin"]`).first().click();
    kept = await settledChartIds(page, 3000);
    assert.ok(kept.includes(extra) && !kept.includes(dropped), `pins changed: ${kept.join(', ')}`);

    // An overlay: throughput (per second) drawn on the p95 chart (ms), on its own right-hand axis.
    const p95 = defaults.find((id) => id.endsWith('http.p95')) ?? '';
    const throughput = defaults.find((id) => id.endsWith('http.throughput')) ?? '';
    const p95Card = frame.locator(chartSelector(p95)).first();
    await p95Card.locator('[data-action="overlay"]').click();
    // The picker's filter takes a series name (or a label matcher), as the series list's does.
    await p95Card.locator('.overlay-picker input[type=search]').fill('http.throughput');
    await p95Card.locator('.overlay-picker input[type=search]').press('Enter');
    await waitFor('the overlay on the p95 chart', async () => ((await p95Card.getAttribute('data-overlays')) === throughput ? true : undefined), 10_000);
    assert.equal(await p95Card.getAttribute('data-y-axes'), '2', 'a second axis for the other unit');
    assert.equal(await p95Card.locator(`.legend-overlay[data-overlay-id="${throughput.replace(/["\\]/g, '\\$&')}"]`).count(), 1, 'the overlay in the legend');
    await p95Card.scrollIntoViewIfNeeded();
    await shot(page, 'charts-4-overlay');

    await closeTab(page, PANEL_TAB);
    await runCommand(page, 'Pulse: Open Metrics Panel');
    assert.deepEqual(await settledChartIds(page, 3000), kept, 'the same charts after closing and reopening the panel');
    assert.equal(await (await panel(page)).locator(chartSelector(p95)).first().getAttribute('data-overlays'), throughput, 'the overlay kept');
    await shot(page, 'charts-4a-reopened');

    await closeTab(page, PANEL_TAB);
    await reloadWindow(page);
    assert.equal(await editorTab(page, PANEL_TAB).count(), 0, 'the closed panel stays closed');
    await runCommand(page, 'Pulse: Open Metrics Panel', 60_000);
    assert.deepEqual(await settledChartIds(page, 3000), kept, 'the same charts after a window reload');
    const after = await panel(page);
    const points = await after.locator(chartSelector(extra)).first().getAttribute('data-points');
    assert.ok(Number(points) > 0, `the kept chart draws data (${points} points)`);
    assert.equal(await after.locator(chartSelector(p95)).first().getAttribute('data-overlays'), throughput, 'the overlay kept across the reload');
    await shot(page, 'charts-4b-after-reload');
  });

  it('5. the walkthrough\'s last step adds a test alert that fires', async () => {
    const { page } = rig;
    assert.ok(rig.profile);
    await openWalkthrough(page);
    await runWalkthroughButton(page, 'pulse.alert', 'Add a Test Alert');
    await shot(page, 'charts-5a-walkthrough-alert-step');
    const settingsFile = rig.profile.workspaceSettingsFile;
    const readRules = () => (JSON.parse(readFileSync(settingsFile, 'utf8')) as { 'pulse.thresholds'?: { id: string }[] })['pulse.thresholds'] ?? [];
    // The step writes the rule into the workspace settings; the write lands shortly after the click.
    await waitFor('the test rule in the workspace settings', async () => (readRules().some((r) => r.id === 'pulse-walkthrough-test') ? true : undefined), 15_000).catch(() => undefined);
    const rules = readRules();
    assert.ok(rules.some((r) => r.id === 'pulse-walkthrough-test'), JSON.stringify(rules));
    await showPulseView(page);
    const alerts = sidebarPane(page, 'Alerts').locator('.pane-body .monaco-list-row');
    await waitFor('a firing alert in the Alerts view', async () => ((await alerts.count()) > 0 ? true : undefined), 30_000);
    await shot(page, 'charts-5b-alert-firing');
    assert.deepEqual(await errorToasts(page), []);
    await openWalkthrough(page);
    await waitFor('every walkthrough step ticked', async () => (Object.values(await walkthroughDone(page, STEPS)).every(Boolean) ? true : undefined), 15_000)
      .catch(() => undefined);
    await shot(page, 'charts-5c-walkthrough-complete');
    assert.deepEqual(await walkthroughDone(page, STEPS), { 'pulse.detect': true, 'pulse.panel': true, 'pulse.alert': true }, 'the walkthrough completes');
  });
});
