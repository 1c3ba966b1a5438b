// "Metrics that know your code" in the panel: annotations listed and marked on charts, before/after comparisons,
// and Go to Handler buttons — in headless Chromium with the real CSP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { HostMessage } from '../../../src/shared/protocol';
import type { WebviewMessage } from '../../../src/shared/requests';
import type { AnnotationView } from '../../../src/shared/views';
import { formatValue } from '../../../src/shared/format';
import type { Panel } from '../harness';
import { outputDir } from '../harness';
import { panelRig } from '../panelRig';
import { annotation, annotations, NOW, snapshot } from '../fixtures/snapshot';
import { history } from '../fixtures/deltas';
import { compareReply, compareRow, compareRows } from '../fixtures/compare';

const snap = (over: Parameters<typeof snapshot>[0] = {}): HostMessage => ({ type: 'didSnapshot', snapshot: snapshot(over) });

function ofType<T extends WebviewMessage['type']>(msgs: readonly WebviewMessage[], type: T): Extract<WebviewMessage, { type: T }>[] {
  return msgs.filter((m): m is Extract<WebviewMessage, { type: T }> => m.type === type);
}

/** Three annotations: two inside the charts' 120 s of history (NOW − 119 s … NOW), one 10 minutes before. */
const three: AnnotationView[] = [
  annotation('old-branch', NOW - 600_000, 'git-branch', 'Switched to branch main', { detail: 'from feature/x' }),
  annotation('restart-1', NOW - 90_000, 'restart', 'api-server restarted', { sourceId: 'api' }),
  annotation('save-1', NOW - 30_000, 'save', 'Saved src/server.ts'),
];

describe('dev loop: annotations, compare, go to handler', () => {
  const openPanel = panelRig();

  async function opened(over: Parameters<typeof snapshot>[0] = {}, theme: 'dark' | 'light' = 'dark'): Promise<Panel> {
    const p = await openPanel({ theme });
    await p.send(snap(over));
    return p;
  }

  /** Pins `ids`, answers the history request with 120 points per series (1/s up to NOW). */
  async function pinAndLoad(p: Panel, ids: readonly string[]): Promise<void> {
    for (const id of ids) await p.page.locator(`[data-table="series"] tr[data-series-id="${id}"] [data-action="pin"]`).click();
    await p.settle();
    const req = ofType(await p.posted(), 'requestHistory').at(-1);
    assert.ok(req, 'requestHistory posted');
    await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history(req.ids) });
  }

  it('lists annotations newest first and marks those in a chart’s window on it', async () => {
    const p = await opened({ annotations: three });
    const section = p.page.locator('section[data-section="annotations"]');
    assert.equal(await section.getAttribute('aria-label'), 'Dev loop');
    assert.deepEqual(await section.locator('.annotation').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id'))), ['save-1', 'restart-1', 'old-branch']);
    assert.equal(await p.text('.annotation[data-annotation-id="save-1"] .annotation-label'), 'Saved src/server.ts');
    assert.match(await p.text('.annotation[data-annotation-id="save-1"] .annotation-time'), /^3\d s ago$/);
    assert.equal(await p.text('.annotation[data-annotation-id="old-branch"] .annotation-time'), '10 min ago');
    assert.equal(await section.locator('.annotation[data-annotation-id="restart-1"] .annotation-icon').getAttribute('aria-label'), 'Restart');
    assert.equal(await p.text('[data-section="annotations"] .section-count'), '3');

    const id = 'api:http.latency';
    await pinAndLoad(p, [id]);
    const chart = p.page.locator(`.chart[data-series-id="${id}"]`);
    assert.equal(await chart.getAttribute('data-points'), '120');
    assert.equal(await chart.getAttribute('data-annotations'), '2');
    // The markers are painted: the restart's marker head is solid --vscode-charts-orange (#d18616), a colour
    // the single blue line of this chart does not use.
    const orange = await p.evalOn(`.chart[data-series-id="${id}"] canvas`,
      '(c) => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] === 0xd1 && d[i + 1] === 0x86 && d[i + 2] === 0x16 && d[i + 3] === 255) n++; return n; }');
    assert.ok(Number(orange) >= 4, `restart marker drawn (${String(orange)} orange pixels)`);

    // A delta upserts: one new annotation inside the window, one relabelled.
    await p.send({ type: 'didUpdate', delta: { now: NOW + 100, annotations: [annotation('task-1', NOW - 60_000, 'task-end', 'Task ended: build'), { ...three[2], label: 'Saved src/app.ts' } as AnnotationView] } });
    assert.equal(await section.locator('.annotation').count(), 4);
    assert.deepEqual(await section.locator('.annotation').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id'))), ['save-1', 'task-1', 'restart-1', 'old-branch']);
    assert.equal(await p.text('.annotation[data-annotation-id="save-1"] .annotation-label'), 'Saved src/app.ts');
    assert.equal(await chart.getAttribute('data-annotations'), '3');
    assert.deepEqual(p.errors, []);
  });

  it('names a marker when the pointer is near it, and when its list entry has focus', async () => {
    const p = await opened({ annotations: three });
    const id = 'api:http.latency';
    await pinAndLoad(p, [id]);
    const tip = p.page.locator(`.chart[data-series-id="${id}"] .chart-annotation-tip`);
    assert.equal(await tip.isVisible(), false);
    // The x scale spans the data: NOW − 119 s … NOW.
    await p.page.locator(`.chart[data-series-id="${id}"]`).scrollIntoViewIfNeeded();
    const over = await p.page.locator(`.chart[data-series-id="${id}"] .u-over`).boundingBox();
    assert.ok(over);
    const xOf = (t: number) => over.x + ((t - (NOW - 119_000)) / 119_000) * over.width;
    const y = over.y + over.height / 2;
    await p.page.mouse.move(xOf(NOW - 30_000) + 2, y);
    await p.settle();
    assert.equal(await tip.isVisible(), true);
    assert.equal(await tip.getAttribute('data-annotation-id'), 'save-1');
    assert.equal(await tip.locator('.tip-label').textContent(), 'Saved src/server.ts');
    assert.equal(await tip.locator('.tip-kind').textContent(), 'Save');
    await p.page.mouse.move(xOf(NOW - 60_000), y); // between markers
    await p.settle();
    assert.equal(await tip.isVisible(), false);

    // Keyboard: Tab to the restart's Compare button; its marker is named on the chart.
    await p.page.mouse.move(0, 0);
    await p.page.locator('.annotation[data-annotation-id="restart-1"] [data-action="compare"]').focus();
    await p.settle();
    assert.equal(await tip.getAttribute('data-annotation-id'), 'restart-1');
    assert.equal(await tip.isVisible(), true);
    await p.page.locator('.annotation[data-annotation-id="old-branch"] [data-action="compare"]').focus(); // not in this chart's window
    await p.settle();
    assert.equal(await tip.isVisible(), false);
  });

  it('posts compare requests for an annotation and for the last save', async () => {
    const p = await opened();
    await p.clearPosted();
    await p.page.locator('[data-action="compare"][data-annotation-id="an-commit"]').click();
    await p.page.locator('[data-section="annotations"] [data-action="compare-last-save"]').click();
    const sent = ofType(await p.posted(), 'compare');
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[0], { type: 'compare', requestId: sent[0]?.requestId, annotationId: 'an-commit' });
    assert.deepEqual(sent[1], { type: 'compare', requestId: sent[1]?.requestId, annotationId: 'lastSave' });
    assert.ok(Number.isSafeInteger(sent[0]?.requestId) && (sent[1]?.requestId ?? 0) > (sent[0]?.requestId ?? 0));
    assert.equal(await p.page.locator('[data-section="annotations"] .compare-status').isVisible(), true);
  });

  it('renders the latest didCompare reply with regressions flagged, and ignores stale replies', async () => {
    const p = await opened();
    await p.page.locator('[data-action="compare"][data-annotation-id="an-restart"]').click();
    await p.page.locator('[data-action="compare-last-save"]').click();
    const [first, latest] = ofType(await p.posted(), 'compare');
    assert.ok(first && latest);

    // The reply to the first request arrives late: ignored.
    await p.send(compareReply(first.requestId, annotations.find((a) => a.id === 'an-restart'), [compareRow('stale', 'Stale row', { verdict: 'regressed' })]));
    assert.equal(await p.page.locator('table[data-table="compare"]').isVisible(), false);

    await p.send(compareReply(latest.requestId));
    const table = p.page.locator('[data-section="annotations"] table[data-table="compare"]');
    assert.equal(await table.isVisible(), true);
    assert.match(await p.text('table[data-table="compare"] caption'), /^Around: Saved src\/routes\/search\.ts, 4\d s ago$/);
    assert.deepEqual(await table.locator('thead th').allTextContents(), ['Metric', 'Before', 'After', 'Change', 'Verdict']);
    assert.equal(await table.locator('tbody tr').count(), compareRows.length);
    const p95 = table.locator('tr[data-row-id="p95"]');
    assert.equal(await p95.getAttribute('data-verdict'), 'regressed');
    assert.deepEqual((await p95.locator('td').allTextContents()).map((t) => t.trim()), ['p95 latency', formatValue(120, 'ms'), formatValue(166, 'ms'), '+38 %', 'regressed']);
    assert.equal(await p95.locator('.verdict-badge[data-verdict="regressed"]').isVisible(), true);
    assert.deepEqual(await table.locator('tr[data-verdict="regressed"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-row-id'))), ['p95']);
    const errors = table.locator('tr[data-row-id="errorRate"]');
    assert.equal(await errors.getAttribute('data-verdict'), 'improved');
    assert.equal(await errors.locator('td[data-col="change"]').textContent(), '\u221279 %');
    assert.equal(await errors.locator('.verdict-badge').textContent(), 'improved');
    assert.equal(await table.locator('tr[data-row-id="heap"] td[data-col="after"]').textContent(), '–');
    assert.equal(await table.locator('tr[data-row-id="heap"] .verdict-badge').textContent(), 'not enough data');
    assert.equal(await table.locator('tr[data-row-id="stale"]').count(), 0);

    // A reply to an older request after the latest one changes nothing either.
    await p.send(compareReply(first.requestId, null, []));
    assert.equal(await table.locator('tbody tr').count(), compareRows.length);

    // No save yet: the host answers with no annotation and no rows.
    await p.page.locator('[data-action="compare-last-save"]').click();
    const third = ofType(await p.posted(), 'compare').at(-1);
    assert.ok(third && third.requestId > latest.requestId);
    await p.send(compareReply(third.requestId, null, []));
    assert.equal(await p.text('table[data-table="compare"] caption'), 'No save recorded yet');
    assert.equal(await table.locator('tbody tr').count(), 0);
    assert.deepEqual(p.errors, []);
  });

  it('offers Go to handler on endpoint rows and endpoint alerts', async () => {
    const endpoints = [
      ...snapshot().endpoints,
      { sourceId: 'api', method: 'delete', path: '/api/users/:id', p50: 5, p95: 9, p99: 12, errorRate: 0, throughput: 1 },
      { sourceId: 'api', method: '*', path: '/ws', p50: 1, p95: 2, p99: 3, errorRate: 0, throughput: 1 },
      { sourceId: 'api', method: 'GET', path: 'not-a-path', p50: 1, p95: 2, p99: 3, errorRate: 0, throughput: 1 },
    ];
    const p = await opened({ endpoints });
    const table = p.page.locator('table[data-table="endpoints"]');
    const rowOf = (path: string) => table.locator('tbody tr').filter({ has: p.page.locator('td[data-col="path"]', { hasText: new RegExp(`^${path.replace(/[/:]/g, '\\$&')}$`) }) });
    const users = rowOf('/api/users').locator('[data-action="go-to-handler"]');
    assert.equal(await users.getAttribute('aria-label'), 'Go to handler for GET /api/users');
    await p.clearPosted();
    await users.click();
    await rowOf('/api/login').locator('[data-action="go-to-handler"]').click();
    await rowOf('/api/users/:id').locator('[data-action="go-to-handler"]').click();
    await rowOf('/ws').locator('[data-action="go-to-handler"]').click();
    assert.deepEqual(ofType(await p.posted(), 'goToHandler'), [
      { type: 'goToHandler', method: 'GET', path: '/api/users' },
      { type: 'goToHandler', method: 'POST', path: '/api/login' },
      { type: 'goToHandler', method: 'DELETE', path: '/api/users/:id' },
      { type: 'goToHandler', method: null, path: '/ws' },
    ]);
    assert.equal(await rowOf('not-a-path').locator('[data-action="go-to-handler"]').count(), 0);
    assert.equal(await table.locator('[data-action="go-to-handler"]').count(), endpoints.length - 1);

    // The p95 alert is on series api|endpoint.p95{method="GET",path="/api/search"}; the queue alert is on no endpoint.
    await p.clearPosted();
    const alertButton = p.page.locator('.alert[data-alert-id="a-latency"] [data-action="go-to-handler"]');
    assert.equal(await alertButton.getAttribute('aria-label'), 'Go to handler for GET /api/search');
    await alertButton.click();
    assert.deepEqual(ofType(await p.posted(), 'goToHandler'), [{ type: 'goToHandler', method: 'GET', path: '/api/search' }]);
    assert.equal(await p.page.locator('.alert[data-alert-id="a-queue"] [data-action="go-to-handler"]').count(), 0);
  });

  it('drops malformed annotations and compare rows without breaking the section', async () => {
    const good = three[2] as AnnotationView;
    const p = await opened({ annotations: [null, { id: 'x' }, { ...good, id: 'bad-kind', kind: 'deploy' }, good] as unknown as AnnotationView[] });
    assert.deepEqual(await p.page.locator('.annotation').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id'))), ['save-1']);
    await p.page.locator('[data-action="compare-last-save"]').click();
    const req = ofType(await p.posted(), 'compare').at(-1);
    assert.ok(req);
    await p.send({ type: 'didCompare', requestId: req.requestId, annotation: { id: 1 }, rows: [{ id: 'p95' }, compareRows[1], 'junk'] });
    assert.equal(await p.page.locator('table[data-table="compare"] tbody tr').count(), 1);
    assert.equal(await p.text('table[data-table="compare"] caption'), 'Around the last save');
    assert.deepEqual(p.errors, []);
  });

  it('looks native: screenshot with markers, the list and a comparison', async () => {
    const p = await opened();
    await pinAndLoad(p, ['api:http.latency', 'api:http.requests']);
    await p.page.locator('[data-action="compare-last-save"]').click();
    const req = ofType(await p.posted(), 'compare').at(-1);
    assert.ok(req);
    await p.send(compareReply(req.requestId));
    await p.page.locator('[data-section="alerts"] .section-toggle').click();
    await p.page.evaluate('window.scrollTo(0, 0)');
    const over = await p.page.locator('.chart[data-series-id="api:http.latency"] .u-over').boundingBox();
    assert.ok(over);
    await p.page.mouse.move(over.x + ((NOW - 40_000 - (NOW - 119_000)) / 119_000) * over.width, over.y + over.height * 0.6);
    await p.settle();
    assert.equal(await p.page.locator('.chart[data-series-id="api:http.latency"] .chart-annotation-tip').isVisible(), true);
    await p.screenshot('annotations-dark');
    await p.page.locator('section[data-section="annotations"]').screenshot({ path: join(outputDir, 'annotations-dark-section.png') });
    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.errors, []);
  });
});
