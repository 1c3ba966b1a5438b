// The panel in VS Code's high-contrast themes and from the keyboard alone: contrast borders, focus rings,
// codicons, a table behind every chart, and an axe-like audit (names, labels, unique ids).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../../src/shared/protocol';
import type { WebviewMessage } from '../../../src/shared/requests';
import type { Panel } from '../harness';
import { panelRig } from '../panelRig';
import { HC_DARK, HC_LIGHT } from '../theme';
import { NOW, snapshot, summary } from '../fixtures/snapshot';
import { history } from '../fixtures/deltas';
import { auditPage, walkTabs } from './a11yAudit';

const snap = (): HostMessage => ({ type: 'didSnapshot', snapshot: snapshot() });
const CHARTS = ['api:http.latency', 'api:http.requests'];

/** `#rrggbb` as getComputedStyle writes it. */
function rgb(hex: string): string {
  const n = (i: number) => parseInt(hex.slice(i, i + 2), 16);
  return `rgb(${n(1)}, ${n(3)}, ${n(5)})`;
}

function lastHistoryRequest(msgs: readonly WebviewMessage[]): Extract<WebviewMessage, { type: 'requestHistory' }> | undefined {
  return msgs.filter((m): m is Extract<WebviewMessage, { type: 'requestHistory' }> => m.type === 'requestHistory').at(-1);
}

/** A panel with two pinned charts drawn from history, its codicon font loaded. */
async function populated(p: Panel): Promise<void> {
  await p.send(snap());
  for (const id of CHARTS) await p.page.locator(`tr[data-series-id="${id}"] [data-action="pin"]`).click();
  await p.page.locator(`.chart[data-series-id="${CHARTS[1]}"]`).waitFor();
  await p.settle();
  const req = lastHistoryRequest(await p.posted());
  assert.ok(req, 'the charts asked for history');
  await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history(req.ids) });
  await p.send({ type: 'didUpdate', delta: { now: NOW + 500, summary: { ...summary, latencyMs: 310 } } });
  await p.page.evaluate('document.fonts.ready');
  await p.settle();
}

const style = (p: Panel, selector: string, prop: string) => p.evalOn(selector, `(el) => getComputedStyle(el).getPropertyValue(${JSON.stringify(prop)})`);

describe('high contrast and keyboard', () => {
  const opened = panelRig();

  for (const [theme, vars] of [['hc-dark', HC_DARK], ['hc-light', HC_LIGHT]] as const) {
    it(`${theme}: every card, gauge and button is edged in contrastBorder; focus shows contrastActiveBorder`, async () => {
      const p = await opened({ theme, width: 1200 });
      await populated(p);
      const border = rgb(vars['--vscode-contrastBorder'] ?? '');
      for (const sel of ['.chart', '.gauge[data-metric="requestRate"]', '.alert', '.btn[data-action="export-csv"]', '.segmented', '.filter']) {
        assert.equal(await style(p, sel, 'border-top-color'), border, `${sel} border colour`);
        assert.equal(await style(p, sel, 'border-top-style'), 'solid', `${sel} border style`);
        assert.ok(parseFloat(String(await style(p, sel, 'border-top-width'))) >= 1, `${sel} border width`);
      }
      // The codicon font really loaded (under the CSP) and draws the icons.
      assert.equal(await p.page.evaluate('[...document.fonts].some((f) => f.family.replace(/"/g, "") === "codicon" && f.status === "loaded")'), true, 'codicon font loaded');
      assert.match(String(await style(p, '.section-toggle .chevron', 'font-family')), /codicon/);
      assert.notEqual(await p.evalOn('[data-action="pin"] .codicon', '(el) => getComputedStyle(el, "::before").content'), 'none');

      const csv = p.page.locator(`.chart[data-series-id="${CHARTS[0]}"] [data-action="export-csv"]`);
      await csv.focus();
      await p.page.keyboard.press('Shift+Tab');
      await p.page.keyboard.press('Tab');
      const focusSel = `.chart[data-series-id="${CHARTS[0]}"] [data-action="export-csv"]`;
      assert.equal(await p.evalOn(focusSel, '(el) => el === document.activeElement'), true);
      assert.equal(await style(p, focusSel, 'outline-color'), rgb(vars['--vscode-contrastActiveBorder'] ?? ''));
      assert.equal(await style(p, focusSel, 'outline-style'), 'solid');
      assert.ok(parseFloat(String(await style(p, focusSel, 'outline-width'))) >= 2);
      await p.screenshot(`panel-${theme}`);
      assert.deepEqual(await auditPage(p.page), []);
      assert.deepEqual(await p.cspViolations(), []);
      assert.deepEqual(p.errors, []);
    });
  }

  it('hc: a gauge beyond its threshold says so in words, not only in colour', async () => {
    const p = await opened({ theme: 'hc-dark' });
    await p.send(snap());
    await p.send({ type: 'didUpdate', delta: { now: NOW + 500, summary: { ...summary, latencyMs: 5000 } } });
    await p.settle();
    assert.equal(await p.page.locator('.gauge[data-metric="latency"]').getAttribute('data-level'), 'critical');
    assert.equal(await p.text('.gauge[data-metric="latency"] .gauge-level'), 'Critical');
    assert.equal(await p.page.locator('.gauge[data-metric="requestRate"] .gauge-level').isVisible(), false);
  });

  it('Tab reaches every control in order, each with a visible focus ring, and leaves the page (no trap)', async () => {
    const p = await opened({ theme: 'dark', width: 1200, height: 900 });
    await populated(p);
    const { stops, missed } = await walkTabs(p.page);
    assert.deepEqual(missed, [], 'controls Tab never reached');
    assert.ok(stops.length >= 30, `only ${stops.length} tab stops`);
    const ringless = stops.filter((s) => s.outline.startsWith('none') || parseFloat(s.outline.split(' ')[1] ?? '0') < 1);
    assert.deepEqual(ringless.map((s) => s.what), [], 'focused without a ring');
    assert.deepEqual(await auditPage(p.page), []);
  });

  it('sort headers, pins, Snooze and the chart table work from Enter and Space', async () => {
    const p = await opened({ theme: 'hc-light', width: 1200, height: 900 });
    await populated(p);
    const chart = p.page.locator(`.chart[data-series-id="${CHARTS[0]}"]`);
    assert.match((await chart.locator('.chart-plot').getAttribute('aria-label')) ?? '', /^Chart: .*\d+ points\./);
    assert.equal(await chart.locator('.chart-plot').getAttribute('role'), 'img');
    const toggle = chart.locator('[data-action="show-table"]');
    await toggle.focus();
    await p.page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const table = chart.locator('.chart-table');
    assert.equal(await table.isVisible(), true);
    assert.match(await table.locator('caption').innerText(), /latest \d+ points, newest first/);
    const rows = await table.locator('tbody tr').count();
    assert.ok(rows > 0 && rows <= 20, `${rows} rows`);
    assert.match(await table.locator('tbody tr').first().locator('th').innerText(), /\d/);
    await p.screenshot('chart-table-hc-light');
    await p.page.keyboard.press('Space');
    assert.equal(await table.isVisible(), false, 'Space closes it again');
    const th = p.page.locator('[data-table="endpoints"] th[data-key]').first();
    const before = await th.getAttribute('aria-sort');
    await th.locator('button').focus();
    await p.page.keyboard.press('Enter');
    await p.settle();
    assert.notEqual(await th.getAttribute('aria-sort'), before, 'Enter sorts');

    const pin = p.page.locator('tr[data-series-id="api:http.requests"] [data-action="pin"]');
    await pin.focus();
    await p.page.keyboard.press('Space');
    await p.settle();
    assert.equal(await p.page.locator('.chart[data-series-id="api:http.requests"]').count(), 0, 'Space unpins');
    await p.page.keyboard.press('Enter');
    await p.page.locator('.chart[data-series-id="api:http.requests"]').waitFor();

    const snooze = p.page.locator('.alert [data-action="snooze-menu"]').first();
    await snooze.focus();
    await p.page.keyboard.press('Enter');
    assert.equal(await snooze.getAttribute('aria-expanded'), 'true');
    await p.page.keyboard.press('Escape');
    assert.equal(await snooze.getAttribute('aria-expanded'), 'false');
    assert.equal(await p.evalOn('.alert [data-action="snooze-menu"]', '(el) => el === document.activeElement'), true, 'Escape returns focus to Snooze');

    assert.deepEqual(await auditPage(p.page), []);
    assert.deepEqual(p.errors, []);
  });
});
