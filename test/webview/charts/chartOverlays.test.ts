// Overlaying series on a chart, in Chromium: "Overlay series…" (keyboard) picks a series with another unit,
// which gets its own y axis on the right, a legend entry that hides its line and removes it, a column in the
// CSV export and the Table; the host is told (setOverlays) and its overlays are drawn after a reload. One
// with the chart's unit shares the axis.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WebviewMessage } from '../../../src/shared/requests';
import { parseWebviewMessage } from '../../../src/shared/requests';
import type { Panel } from '../harness';
import { outputDir } from '../harness';
import { panelRig } from '../panelRig';
import { snapshot } from '../fixtures/snapshot';
import { history } from '../fixtures/deltas';

const A = 'api:http.latency';
const RATE = 'api:http.requests';
const SAME_UNIT = 'api:endpoint.p95{path=/health}';
const card = `.chart[data-series-id="${A}"]`;
// Page functions as source text: this file is type-checked without the DOM.
const FOCUSED = '(e) => e === document.activeElement';
const COLOR = '(e) => getComputedStyle(e).color';
const PAINTED = '(c) => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }';

type HistoryRequest = Extract<WebviewMessage, { type: 'requestHistory' }>;
type Export = Extract<WebviewMessage, { type: 'exportChart' }>;

describe('chart overlays', () => {
  const openPanel = panelRig();

  /** Answers the page's last history request, as the host would. */
  async function answerHistory(p: Panel): Promise<HistoryRequest> {
    const req = (await p.posted()).filter((m): m is HistoryRequest => m.type === 'requestHistory').at(-1);
    assert.ok(req, 'requestHistory posted');
    await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history(req.ids) });
    await p.settle();
    return req;
  }

  /** A panel whose host keeps pins and overlays: one chart pinned, `overlays` as the host sends them. */
  async function withChart(overlays: Record<string, string[]> = {}): Promise<Panel> {
    const p = await openPanel({ width: 1200, height: 900 });
    await p.send({ type: 'didSnapshot', snapshot: snapshot({ pins: [A], overlays }) });
    await answerHistory(p);
    await p.page.locator(card).scrollIntoViewIfNeeded();
    await p.settle();
    return p;
  }

  const attr = (p: Panel, name: string) => p.page.locator(card).getAttribute(name);
  const legendNames = async (p: Panel) => (await p.page.locator(`${card} .legend-label`).allTextContents()).map((t) => t.trim());

  /** Opens the picker from the keyboard, filters, and adds the first match with Enter (`shot`: a screenshot of the open picker). */
  async function overlayByKeyboard(p: Panel, filter: string, shot?: string): Promise<void> {
    const button = p.page.locator(`${card} [data-action="overlay"]`);
    await button.focus();
    await p.page.keyboard.press('Enter');
    await p.settle();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.equal(await p.evalOn(`${card} .overlay-picker input[type="search"]`, FOCUSED), true, 'the filter has the focus');
    await p.page.keyboard.type(filter);
    if (shot) {
      mkdirSync(outputDir, { recursive: true });
      await p.page.locator(card).screenshot({ path: join(outputDir, `${shot}.png`) });
    }
    await p.page.keyboard.press('Enter');
    await p.settle();
  }

  it('adds a series in another unit on a right axis, toggles and exports it, and removes it', async () => {
    const p = await withChart();
    const button = p.page.locator(`${card} [data-action="overlay"]`);
    assert.equal(await button.getAttribute('aria-label'), 'Overlay series…');
    assert.equal(await attr(p, 'data-y-axes'), '1');
    assert.equal(await p.page.locator(`${card} .u-axis`).count(), 2, 'time and value axes');
    await p.clearPosted();

    await overlayByKeyboard(p, 'http.requests', 'chart-overlay-picker');
    assert.equal(await p.page.locator(`${card} .overlay-picker`).isHidden(), true, 'the picker closed');
    assert.equal(await p.evalOn(`${card} [data-action="overlay"]`, FOCUSED), true, 'the focus is back on the button');
    const posted = await p.posted();
    const set = posted.find((m) => m.type === 'setOverlays');
    assert.deepEqual(set, { type: 'setOverlays', chartId: A, ids: [RATE] });
    assert.deepEqual(parseWebviewMessage(set), set, 'the host accepts it');
    assert.equal(await attr(p, 'data-overlays'), RATE);
    const req = await answerHistory(p);
    assert.ok(req.ids.includes(A) && req.ids.includes(RATE), `history asked for the overlay too: ${req.ids.join(' ')}`);

    // Its own y axis (per second, on the right) and its own legend entry, with a remove button.
    assert.equal(await attr(p, 'data-y-axes'), '2');
    assert.equal(await p.page.locator(`${card} .u-axis`).count(), 3, 'time, left and right value axes');
    assert.deepEqual(await legendNames(p), ['http.latency', 'http.requests']);
    mkdirSync(outputDir, { recursive: true });
    await p.page.mouse.move(2, 2);
    await p.page.locator(card).screenshot({ path: join(outputDir, 'chart-overlay.png') });
    const entry = p.page.locator(`${card} .legend-overlay[data-overlay-id="${RATE}"]`);
    const toggle = entry.locator('.legend-item');
    const remove = entry.locator('[data-action="remove-overlay"]');
    assert.equal(await remove.getAttribute('aria-label'), 'Remove overlay http.requests');
    assert.notEqual(await p.evalOn(`${card} .legend-item .swatch`, COLOR), await p.evalOn(`${card} .legend-overlay .swatch`, COLOR), 'its own colour');
    assert.match(await toggle.locator('.legend-value').innerText(), /\/s/, 'its value reads in its own unit');

    // Its legend entry hides its line (and shows it again).
    const painted = async () => Number(await p.evalOn(`${card} canvas`, PAINTED));
    const both = await painted();
    await toggle.click();
    await p.settle();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    const one = await painted();
    assert.ok(one < both * 0.9, `fewer pixels painted without the overlay (${one} vs ${both})`);
    await toggle.focus();
    await p.page.keyboard.press('Space');
    await p.settle();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.ok((await painted()) > one, 'drawn again');

    // The CSV has one column per series, each with values.
    await p.clearPosted();
    await p.page.locator(`${card} [data-action="export-csv"]`).click();
    await p.settle();
    const csv = (await p.posted()).find((m): m is Export => m.type === 'exportChart');
    assert.ok(csv, 'exportChart posted');
    const [head, ...rows] = csv.file.content.trim().split('\r\n');
    assert.equal(head, 'time_iso,time_ms,http.latency,http.requests');
    assert.ok(rows.some((r) => /^[^,]+,\d+,[\d.]+,[\d.]+$/.test(r)), 'rows with both values');
    // And so does the Table.
    await p.page.locator(`${card} [data-action="show-table"]`).click();
    await p.settle();
    assert.deepEqual((await p.page.locator(`${card} .chart-table thead th`).allTextContents()).slice(1), ['http.latency', 'http.requests']);

    // Removing it leaves the chart as it was.
    await p.clearPosted();
    await remove.click();
    await p.settle();
    assert.deepEqual((await p.posted()).find((m) => m.type === 'setOverlays'), { type: 'setOverlays', chartId: A, ids: [] });
    assert.equal(await attr(p, 'data-overlays'), '');
    assert.equal(await attr(p, 'data-y-axes'), '1');
    assert.equal(await p.page.locator(`${card} .u-axis`).count(), 2);
    assert.deepEqual(await legendNames(p), ['http.latency']);
    assert.equal(await p.page.locator(`${card} .legend-overlay`).count(), 0);
    assert.deepEqual(p.errors, []);
  });

  it('draws the overlays the host kept (after a reload), shares the axis for the same unit, and allows three', async () => {
    const p = await withChart({ [A]: [SAME_UNIT] });
    assert.equal(await attr(p, 'data-overlays'), SAME_UNIT);
    assert.equal(await attr(p, 'data-y-axes'), '1', 'the same unit (ms) shares the left axis');
    const names = await legendNames(p);
    assert.equal(names.length, 2);
    assert.equal(names[0], 'http.latency');
    assert.match(names[1] ?? '', /^endpoint\.p95 .*\/health/);
    await overlayByKeyboard(p, 'http.requests');
    await overlayByKeyboard(p, 'memory.heapUsed');
    await answerHistory(p);
    assert.equal(await attr(p, 'data-overlays'), `${SAME_UNIT},${RATE},api:memory.heapUsed`);
    assert.equal(await attr(p, 'data-y-axes'), '3', 'ms on the left, per second and bytes on the right');
    const button = p.page.locator(`${card} [data-action="overlay"]`);
    assert.equal(await button.isDisabled(), true, 'three overlays: no more');

    // The host's overlays replace the page's when it sends them (e.g. the chart was unpinned elsewhere).
    await p.send({ type: 'didUpdate', delta: { now: Date.now(), overlays: {} } });
    assert.equal(await attr(p, 'data-overlays'), '');
    assert.equal(await button.isDisabled(), false);
    assert.deepEqual(p.errors, []);
  });
});
