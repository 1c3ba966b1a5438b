// The charts as Grafana users expect them, in Chromium: a drag zooms one chart's time range (kept while live
// data arrives) and Reset zoom or a double-click goes back; Pause freezes every chart and Resume catches up;
// the crosshair and the legend follow the pointer on every chart; a legend entry hides its line (mouse and
// keyboard); CSV and PNG exports are posted to the host in a form the host accepts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebviewMessage } from '../../../src/shared/requests';
import { parseWebviewMessage, PNG_DATA_URL } from '../../../src/shared/requests';
import { formatValue } from '../../../src/shared/format';
import type { Panel } from '../harness';
import { outputDir } from '../harness';
import { panelRig } from '../panelRig';
import type { ThemeName } from '../theme';
import { snapshot } from '../fixtures/snapshot';
import { delta, history } from '../fixtures/deltas';

const A = 'api:http.latency';
const B = 'api:ws.connections';
const PINNED = [A, B];
const chartSel = (id: string) => `.chart[data-series-id="${id}"]`;
const PAINTED = '(c) => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }';

/** Seconds of the day from a legend time such as "11:58:01 AM" (the fixture's times lie within one half-day). */
function seconds(text: string): number {
  const m = /(\d+):(\d\d):(\d\d)/.exec(text);
  assert.ok(m, `a time in the legend: "${text}"`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

type Export = Extract<WebviewMessage, { type: 'exportChart' }>;

describe('chart interactions', () => {
  const openPanel = panelRig();

  async function withPinned(theme: ThemeName = 'dark'): Promise<Panel> {
    const p = await openPanel({ theme, width: 1200, height: 900 });
    await p.page.evaluate(`sessionStorage.setItem('vscodeState', ${JSON.stringify(JSON.stringify({ pinned: PINNED, window: '5m', charts: {}, tables: {}, collapsed: [] }))})`);
    await p.reload();
    await p.send({ type: 'didSnapshot', snapshot: snapshot() });
    const req = (await p.posted()).filter((m): m is Extract<WebviewMessage, { type: 'requestHistory' }> => m.type === 'requestHistory').at(-1);
    assert.ok(req, 'requestHistory posted');
    await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history(req.ids) });
    await p.settle();
    await p.page.locator(chartSel(A)).scrollIntoViewIfNeeded();
    await p.settle();
    return p;
  }

  async function overBox(p: Panel, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await p.page.locator(`${chartSel(id)} .u-over`).boundingBox();
    assert.ok(box, `${id} has a plot`);
    return box;
  }

  /** Moves the pointer to `frac` of the chart's width and returns the legend's time there (seconds of day). */
  async function timeAt(p: Panel, id: string, frac: number): Promise<number> {
    const box = await overBox(p, id);
    await p.page.mouse.move(box.x + box.width * frac, box.y + box.height / 2);
    await p.settle();
    return seconds(await p.text(`${chartSel(id)} .legend-time`));
  }

  /** The seconds from the chart's left edge to its right edge, read by hovering them. */
  async function span(p: Panel, id: string): Promise<{ from: number; to: number }> {
    return { from: await timeAt(p, id, 0.005), to: await timeAt(p, id, 0.995) };
  }

  /** A screenshot of the charts section alone (the pointer stays where it is), to look at. */
  async function shot(p: Panel, name: string): Promise<void> {
    mkdirSync(outputDir, { recursive: true });
    await p.page.locator('[data-section="charts"]').screenshot({ path: join(outputDir, `${name}.png`) });
  }

  async function leave(p: Panel): Promise<void> {
    await p.page.mouse.move(2, 2);
    await p.settle();
  }

  async function live(p: Panel, from: number, to: number, ids = PINNED): Promise<void> {
    for (let n = from; n <= to; n++) await p.page.evaluate(`window.postMessage(${JSON.stringify(delta(n, ids))}, '*')`);
    await p.settle();
    await p.settle();
  }

  it('drags to zoom one chart, keeps the zoom while live data arrives, and Reset zoom / double-click go back', async () => {
    const p = await withPinned();
    const before = await span(p, A);
    assert.ok(before.to - before.from >= 110, `the whole two minutes of history shown (${before.to - before.from} s)`);
    const otherBefore = await span(p, B);

    let box = await overBox(p, A);
    await p.page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 6 });
    await p.page.mouse.up();
    await p.settle();
    assert.equal(await p.page.locator(chartSel(A)).getAttribute('data-view'), 'zoomed');
    const resetButton = p.page.locator(`${chartSel(A)} [data-action="reset-zoom"]`);
    assert.equal(await resetButton.isVisible(), true);
    const zoomed = await span(p, A);
    const width = zoomed.to - zoomed.from;
    assert.ok(width >= 30 && width <= 42, `about 30% of ~119 s shown (${width} s)`);
    assert.ok(zoomed.from >= before.from + 30 && zoomed.to <= before.to - 40, 'the dragged part of the range');
    await shot(p, 'chart-zoomed');

    // The other chart keeps its own range; live points do not move the zoomed one.
    assert.equal(await p.page.locator(chartSel(B)).getAttribute('data-view'), 'live');
    assert.deepEqual(await span(p, B), otherBefore);
    await leave(p);
    await live(p, 1, 30);
    assert.equal(await p.page.locator(chartSel(A)).getAttribute('data-points'), '150');
    assert.deepEqual(await span(p, A), zoomed, 'the zoom stays while live data arrives');

    await resetButton.click();
    await p.settle();
    assert.equal(await p.page.locator(chartSel(A)).getAttribute('data-view'), 'live');
    assert.equal(await resetButton.isVisible(), false);
    const after = await span(p, A);
    assert.equal(after.from, before.from, 'back to the whole range');
    assert.ok(after.to >= before.to + 2, `and to the live end (${after.to} vs ${before.to})`);

    // A double-click resets too (the screenshot scrolled: measure again).
    box = await overBox(p, A);
    await p.page.mouse.move(box.x + box.width * 0.2, box.y + 20);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + box.width * 0.4, box.y + 20, { steps: 4 });
    await p.page.mouse.up();
    await p.settle();
    assert.equal(await p.page.locator(chartSel(A)).getAttribute('data-view'), 'zoomed');
    await p.page.mouse.dblclick(box.x + box.width * 0.5, box.y + 20);
    await p.settle();
    assert.equal(await p.page.locator(chartSel(A)).getAttribute('data-view'), 'live');
    assert.deepEqual(await span(p, A), after);
    assert.deepEqual(p.errors, []);
  });

  it('Pause freezes every chart while data keeps coming; Resume catches up (keyboard)', async () => {
    const p = await withPinned();
    const pause = p.page.locator('[data-section="charts"] [data-action="pause"]');
    assert.equal(await pause.getAttribute('aria-pressed'), 'false');
    await live(p, 1, 10);
    const before = { a: await span(p, A), b: await span(p, B) };
    await leave(p);

    await pause.focus();
    await p.page.keyboard.press('Space');
    await p.settle();
    assert.equal(await pause.getAttribute('aria-pressed'), 'true');
    for (const id of PINNED) assert.equal(await p.page.locator(chartSel(id)).getAttribute('data-view'), 'paused');
    await live(p, 11, 40);
    for (const id of PINNED) assert.equal(await p.page.locator(chartSel(id)).getAttribute('data-points'), '160', `${id} still collects`);
    assert.deepEqual({ a: await span(p, A), b: await span(p, B) }, before, 'no chart moved while paused');
    await shot(p, 'chart-paused');
    await leave(p);

    await pause.focus();
    await p.page.keyboard.press('Enter');
    await p.settle();
    assert.equal(await pause.getAttribute('aria-pressed'), 'false');
    const after = await span(p, A);
    assert.ok(after.to >= before.a.to + 2, `caught up with the live end (${after.to} vs ${before.a.to})`);
    assert.equal(await p.page.locator(chartSel(B)).getAttribute('data-view'), 'live');
    assert.deepEqual(p.errors, []);
  });

  it('shares the crosshair: hovering one chart shows the value at the same time in every legend', async () => {
    const p = await withPinned();
    const ids = [A, B];
    const h = history(ids);
    const times = h[0]?.t ?? [];
    const labels = (await p.page.evaluate(`${JSON.stringify(times)}.map((t) => new Date(t).toLocaleTimeString())`)) as string[];
    const unitOf = (id: string) => snapshot().series.find((s) => s.id === id)?.unit ?? 'none';

    const box = await overBox(p, A);
    await p.page.mouse.move(box.x + box.width * 0.37, box.y + box.height / 2);
    await p.settle();
    const timeA = await p.text(`${chartSel(A)} .legend-time`);
    const timeB = await p.text(`${chartSel(B)} .legend-time`);
    assert.notEqual(timeA, 'latest');
    assert.equal(timeB, timeA, 'the other chart’s legend is at the hovered time');
    const i = labels.indexOf(timeA);
    assert.ok(i > 0, `the hovered time is a history point (${timeA})`);
    assert.equal(await p.text(`${chartSel(A)} .legend-value`), formatValue(h[0]?.v[i] ?? null, unitOf(A)));
    assert.equal(await p.text(`${chartSel(B)} .legend-value`), formatValue(h[1]?.v[i] ?? null, unitOf(B)));
    // The other chart draws the crosshair at the same place.
    // The other chart draws its crosshair at the same time: the same fraction of its (differently wide) plot.
    const cursorAt = async (id: string) => Number(await p.evalOn(`${chartSel(id)} .u-cursor-x`, '(e) => { const o = e.closest(".u-over").getBoundingClientRect(); return (e.getBoundingClientRect().left - o.left) / o.width; }'));
    const [atA, atB] = [await cursorAt(A), await cursorAt(B)];
    assert.ok(atA > 0.3 && atA < 0.45 && Math.abs(atA - atB) < 0.01, `crosshairs line up (${atA}, ${atB})`);
    await shot(p, 'chart-crosshair');

    await leave(p);
    assert.equal(await p.text(`${chartSel(B)} .legend-time`), 'latest');
    assert.deepEqual(p.errors, []);
  });

  it('hides and shows a line from the legend, by mouse and keyboard, and keeps it hidden across a rebuild', async () => {
    const p = await withPinned();
    const item = p.page.locator(`${chartSel(A)} .legend-item`).first();
    const painted = async () => Number(await p.evalOn(`${chartSel(A)} canvas`, PAINTED));
    const shown = await painted();
    assert.equal(await item.getAttribute('aria-pressed'), 'true');
    await item.click();
    await p.settle();
    assert.equal(await item.getAttribute('aria-pressed'), 'false');
    const hidden = await painted();
    assert.ok(hidden < shown - 300, `the line is gone (${hidden} < ${shown})`);
    await shot(p, 'chart-line-hidden');

    // A new theme rebuilds the plot: the line stays hidden.
    await p.page.evaluate(`document.body.setAttribute('data-vscode-theme-kind', 'vscode-high-contrast')`);
    await live(p, 1, 2);
    assert.equal(await p.page.locator(`${chartSel(A)} .legend-item`).first().getAttribute('aria-pressed'), 'false');
    assert.ok((await painted()) < shown - 300, 'still hidden after the rebuild');

    await p.page.locator(`${chartSel(A)} .legend-item`).first().focus();
    await p.page.keyboard.press('Enter');
    await p.settle();
    assert.equal(await p.page.locator(`${chartSel(A)} .legend-item`).first().getAttribute('aria-pressed'), 'true');
    assert.ok((await painted()) > shown - 300, 'shown again');
    await p.page.keyboard.press('Space');
    await p.settle();
    assert.equal(await p.page.locator(`${chartSel(A)} .legend-item`).first().getAttribute('aria-pressed'), 'false');
    assert.equal(await p.page.locator(`${chartSel(B)} .legend-item`).first().getAttribute('aria-pressed'), 'true', 'only that chart');
    assert.deepEqual(p.errors, []);
  });

  it('exports the visible range as CSV and the chart as PNG, in messages the host accepts (light theme)', async () => {
    const p = await withPinned('light');
    const box = await overBox(p, A);
    await p.page.mouse.move(box.x + box.width * 0.5, box.y + 30);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + box.width * 0.75, box.y + 30, { steps: 5 });
    await p.page.mouse.up();
    await leave(p);
    await shot(p, 'chart-export-light');
    await p.clearPosted();

    await p.page.locator(`${chartSel(A)} [data-action="export-csv"]`).click();
    await p.settle();
    const csv = (await p.posted()).find((m): m is Export => m.type === 'exportChart');
    assert.ok(csv, 'exportChart posted');
    assert.equal(csv.file.format, 'csv');
    assert.match(csv.file.fileName, /^pulse-api-http\.latency-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv$/);
    assert.deepEqual(parseWebviewMessage(csv), csv, 'the host accepts it as posted');
    const rows = csv.file.content.trimEnd().split('\r\n');
    assert.equal(rows[0], 'time_iso,time_ms,http.latency');
    const body = rows.slice(1).map((r) => r.split(','));
    assert.ok(body.length >= 25 && body.length <= 35, `only the zoomed quarter of 120 points (${body.length} rows)`);
    const all = history([A])[0];
    for (const [iso, ms, v] of body) {
      assert.equal(new Date(Number(ms)).toISOString(), iso);
      const k = all?.t.indexOf(Number(ms)) ?? -1;
      assert.ok(k >= 0, `row at a history time (${ms})`);
      assert.equal(Number(v), all?.v[k]);
    }

    await p.page.locator(`${chartSel(A)} [data-action="export-png"]`).click();
    // Polled from Node: the page's CSP refuses the string evaluation waitForFunction would need.
    const deadline = Date.now() + 10_000;
    while (!(await p.posted()).some((m) => m.type === 'exportChart' && m.file.format === 'png') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const png = (await p.posted()).filter((m): m is Export => m.type === 'exportChart').at(-1);
    assert.ok(png && png.file.format === 'png');
    assert.match(png.file.fileName, /\.png$/);
    assert.ok(png.file.content.startsWith(PNG_DATA_URL));
    assert.deepEqual(parseWebviewMessage(png), png, 'the host accepts the image');
    const bytes = Buffer.from(png.file.content.slice(PNG_DATA_URL.length), 'base64');
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
    const canvasWidth = Number(await p.evalOn(`${chartSel(A)} canvas`, '(c) => c.width'));
    assert.equal(bytes.readUInt32BE(16), canvasWidth, 'as wide as the plot');
    mkdirSync(outputDir, { recursive: true });
    writeFileSync(join(outputDir, 'chart-export.png'), bytes);
    assert.deepEqual(p.errors, []);
  });
});
