// Issue 10: metrics that know the code. A save is marked in the panel and on a pinned chart; a
// handler made slower after the save is flagged as a p95 regression (compare table and status bar);
// "Go to handler" on the endpoint row opens its registration in server.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { runCommand, shot, waitFor } from './helpers/workbench';
import {
  Rig, chartPoints, chartSelector, cursorLineText, errorToasts, openFile, panel,
  pinSeries, waitForHandlerOpened, waitForPulseStatus, waitForSourceState,
} from './helpers/pulse';

const SOURCE = 'api';
const SLOW_PATH = '/api/orders';

function endpointRow(frame: Frame, method: string, path: string) {
  return frame
    .locator('table[data-table=endpoints] tbody tr')
    .filter({ has: frame.locator('td[data-col=method]', { hasText: new RegExp(`^${method}$`) }) })
    .filter({ has: frame.locator('td[data-col=path]', { hasText: new RegExp(`^${path.replace(/\//g, '\\/')}$`) }) })
    .first();
}

describe('Code-aware metrics (issue 10)', { timeout: 10 * 60_000 }, () => {
  const rig = new Rig();
  let latencyChart = '';
  let savedAt = 0;

  // Seed 001 updates every 5 s; at a fifth of that the steady history below fills in 30 s.
  rig.hooks('codeAware', () => ({ sources: (port, defaults) => defaults(port).filter((s) => s.name === SOURCE), devArgs: ['--interval-scale', '0.2'] }));

  it('the snapshot source runs steadily with per-endpoint p95 and a pinned latency chart', async () => {
    const { page } = rig;
    await openFile(page, 'server.ts');
    await runCommand(page, 'Pulse: Open Metrics Panel');
    await waitForSourceState(page, SOURCE, 'open');
    const frame = await panel(page, 'table[data-table=endpoints] tbody tr');
    await endpointRow(frame, 'GET', SLOW_PATH).waitFor({ timeout: 30_000 });
    latencyChart = await pinSeries(page, 'http.p95');
    // Steady before the save: the before-window needs samples (the server updates once a second).
    await waitFor('30 points of steady latency history', async () => (((await chartPoints(page, latencyChart)) ?? 0) >= 30 ? true : undefined), 90_000);
    const server = await rig.dev.state();
    const orders = server.snapshot?.data.endpoints?.find((e) => e.method === 'GET' && e.path === SLOW_PATH);
    assert.ok(orders && orders.p95 < 400, `the handler is fast before the change (p95 ${orders?.p95} ms)`);
    await shot(page, 'codeaware-1-steady');
  });

  it('saving server.ts adds a save annotation to the Dev loop section and the pinned chart', async () => {
    const { page } = rig;
    const editor = page.locator('.part.editor .editor-group-container .monaco-editor').filter({ has: page.locator('.view-lines') }).first();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// e2e: a change to the orders service\n');
    await page.keyboard.press('Control+S');
    await waitFor('the save to finish', async () => ((await page.locator('.part.editor .tab.dirty').count()) === 0 ? true : undefined));
    savedAt = Date.now();

    const frame = await panel(page, 'section[data-section=annotations]');
    const saved = frame.locator('section[data-section=annotations] li.annotation', { hasText: /Saved server\.ts/ }).first();
    await saved.waitFor({ timeout: 30_000 });
    // Charts out of view skip live redraws (they catch up when scrolled in), so bring it into view.
    await frame.locator(chartSelector(latencyChart)).scrollIntoViewIfNeeded();
    await waitFor('a marker on the pinned latency chart', async () => {
      const f = await panel(page, chartSelector(latencyChart));
      const n = Number(await f.locator(chartSelector(latencyChart)).getAttribute('data-annotations'));
      return n >= 1 ? n : undefined;
    });
    await frame.locator('section[data-section=annotations]').scrollIntoViewIfNeeded();
    await shot(page, 'codeaware-2-save-annotation');
  });

  it('a handler slowed after the save is flagged: status bar notice and a regressed p95 row', async () => {
    const { page } = rig;
    await rig.dev.control('latency', { ms: 400, path: SLOW_PATH });
    await waitFor('the server to report the slower handler', async () => {
      const s = await rig.dev.state();
      const e = s.snapshot?.data.endpoints?.find((x) => x.method === 'GET' && x.path === SLOW_PATH);
      return e && e.p95 >= 400 ? true : undefined;
    }, 30_000);
    // Pulse checks 20, 45 and 90 s after a save.
    const status = await waitForPulseStatus(page, 'a regression notice since the save', (e) => /since save/.test(e.text), 120_000);
    // The worst regression: a latency quantile of the slowed handler.
    assert.match(status.text.replace(/\s+/g, ' '), /p(50|95|99) \/api\/orders \+[\d.,]+k? ?% since save/);
    assert.ok(status.icons.includes('arrow-up'), `icons: ${status.icons.join(',')}`);

    const frame = await panel(page, '[data-action=compare-last-save]');
    await frame.locator('[data-action=compare-last-save]').click();
    const regressed = frame.locator('table[data-table=compare] tr[data-verdict=regressed]').filter({ hasText: SLOW_PATH });
    await regressed.first().waitFor({ timeout: 30_000 });
    const rows = await regressed.locator('td[data-col=metric]').allInnerTexts();
    assert.ok(rows.some((r) => /p95/.test(r) && r.includes(`GET ${SLOW_PATH}`)), `regressed rows: ${rows.join(' | ')}`);
    // The caption says which save was compared.
    assert.match(await frame.locator('.compare').first().innerText(), /server\.ts/);
    assert.ok(savedAt > 0);
    await frame.locator('table[data-table=compare]').scrollIntoViewIfNeeded();
    await shot(page, 'codeaware-3-regression');
  });

  it('"Go to handler" on the /api/orders endpoint row opens server.ts at the registration', async () => {
    const { page } = rig;
    assert.ok(rig.profile);
    const lines = readFileSync(join(rig.profile.workspace, 'server.ts'), 'utf8').split('\n');
    const line = lines.findIndex((l) => /(app|router)\.get\(["']\/api\/orders["']/.test(l)) + 1;
    assert.ok(line > 0, 'the fixture registers GET /api/orders');

    const frame = await panel(page, 'table[data-table=endpoints] tbody tr');
    const row = endpointRow(frame, 'GET', SLOW_PATH);
    await row.scrollIntoViewIfNeeded();
    // The slowed handler makes the seed-001 server raise a critical latency_spike alert, which Pulse
    // notifies as an error toast; what matters here is that "Go to handler" adds no error of its own.
    const before = new Set(await errorToasts(page));
    await row.locator('[data-action=go-to-handler]').click();
    await waitForHandlerOpened(page, 'server.ts', line);
    // The editor may still be scrolling the revealed line into place: read the cursor's line until it settles.
    let text: string | undefined;
    await waitFor('the cursor line to show the registration', async () => {
      text = await cursorLineText(page);
      return /\.get\(["']\/api\/orders["']/.test(text ?? '') ? true : undefined;
    }, 10_000).catch(() => undefined);
    assert.match(text ?? '', /\.get\(["']\/api\/orders["']/);
    assert.deepEqual((await errorToasts(page)).filter((m) => !before.has(m) && !/latency.?spike/i.test(m)), []);
    await shot(page, 'codeaware-4-go-to-handler');
  });
});
