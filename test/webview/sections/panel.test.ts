// The metrics panel in headless Chromium, served with its real CSP, driven by recorded host messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../../src/shared/protocol';
import type { WebviewMessage } from '../../../src/shared/requests';
import { formatValue } from '../../../src/shared/format';
import { panelRig } from '../panelRig';
import { NOW, snapshot, summary } from '../fixtures/snapshot';
import { delta, history } from '../fixtures/deltas';

const snap = (over: Parameters<typeof snapshot>[0] = {}): HostMessage => ({ type: 'didSnapshot', snapshot: snapshot(over) });

function lastOfType<T extends WebviewMessage['type']>(msgs: readonly WebviewMessage[], type: T): Extract<WebviewMessage, { type: T }> | undefined {
  return msgs.filter((m): m is Extract<WebviewMessage, { type: T }> => m.type === type).at(-1);
}

describe('metrics panel', () => {
  const opened = panelRig();

  it('posts ready first, before anything else', async () => {
    const p = await opened();
    await p.send(snap());
    const posted = await p.posted();
    assert.deepEqual(posted[0], { type: 'ready' });
    assert.equal(posted.filter((m) => m.type === 'ready').length, 1);
    assert.deepEqual(p.errors, []);
  });

  it('shows the summary values in the gauges, formatted as format.ts does', async () => {
    const p = await opened();
    await p.send(snap());
    const expected: Record<string, string> = {
      requestRate: formatValue(summary.requestRate, 'per_second'),
      latency: formatValue(summary.latencyMs, 'ms'),
      errorRate: formatValue(summary.errorRatePct, 'percent'),
      connections: formatValue(summary.connections, 'count'),
      pending: formatValue(summary.pending, 'count'),
      subscribers: formatValue(summary.subscribers, 'count'),
      heap: formatValue(summary.heapBytes, 'bytes'),
      cpu: formatValue(summary.cpuPct, 'percent'),
    };
    for (const [metric, text] of Object.entries(expected)) {
      assert.equal(await p.text(`.gauge[data-metric="${metric}"] .gauge-value`), text, metric);
      assert.ok(await p.page.locator(`.gauge[data-metric="${metric}"]`).getAttribute('aria-label'), `${metric} has a label`);
    }
    assert.match((await p.text('.gauge[data-metric="heap"] .gauge-sub')).replace(/\u00a0/g, ' '), new RegExp(`of ${formatValue(summary.heapTotalBytes, 'bytes')}`));

    // Only non-null metrics get a gauge.
    await p.send({ type: 'didUpdate', delta: { now: NOW + 100, summary: { ...summary, cpuPct: null, subscribers: null } } });
    assert.equal(await p.page.locator('.gauge[data-metric="cpu"]').count(), 0);
    assert.equal(await p.page.locator('.gauge[data-metric="subscribers"]').count(), 0);
    assert.equal(await p.page.locator('.gauge').count(), 6);

    // A Go server's goroutines and a worker's job rate get gauges of their own once present, after the others.
    await p.send({ type: 'didUpdate', delta: { now: NOW + 200, summary: { ...summary, cpuPct: null, subscribers: null, goroutines: 1234, jobRate: 5.5 } } });
    assert.equal(await p.text('.gauge[data-metric="goroutines"] .gauge-value'), formatValue(1234, 'count'));
    assert.equal(await p.text('.gauge[data-metric="goroutines"] .gauge-label'), 'Goroutines');
    assert.equal(await p.text('.gauge[data-metric="jobs"] .gauge-value'), formatValue(5.5, 'per_second'));
    assert.equal(await p.text('.gauge[data-metric="jobs"] .gauge-label'), 'Jobs completed');
    assert.deepEqual((await p.page.locator('.gauge').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-metric')))).slice(-2), ['goroutines', 'jobs']);
    assert.equal(await p.page.locator('.gauge').count(), 8);
  });

  it('follows 10/s deltas and switches gauge level and colour as values cross warning and critical', async () => {
    const p = await opened();
    await p.send(snap());
    const gauge = p.page.locator('.gauge[data-metric="latency"]');
    const stroke = () => p.evalOn('.gauge[data-metric="latency"] .gauge-fill', '(el) => getComputedStyle(el).stroke');
    assert.equal(await gauge.getAttribute('data-level'), 'ok');
    assert.equal(await stroke(), 'rgb(137, 209, 133)'); // --vscode-charts-green
    assert.notEqual(await gauge.locator('.gauge-band-warning').getAttribute('d'), null);
    assert.notEqual(await gauge.locator('.gauge-band-critical').getAttribute('d'), null);

    for (let n = 1; n <= 20; n++) await p.page.evaluate(`window.postMessage(${JSON.stringify(delta(n))}, '*')`);
    await p.settle();
    const last = delta(20);
    assert.ok(last.type === 'didUpdate' && last.delta.summary);
    assert.equal(await p.text('.gauge[data-metric="latency"] .gauge-value'), formatValue(last.delta.summary.latencyMs, 'ms'));
    assert.equal(await p.text('.gauge[data-metric="requestRate"] .gauge-value'), formatValue(last.delta.summary.requestRate, 'per_second'));

    await p.send({ type: 'didUpdate', delta: { now: NOW + 3000, summary: { ...summary, latencyMs: 300 } } });
    assert.equal(await gauge.getAttribute('data-level'), 'warning');
    assert.equal(await stroke(), 'rgb(204, 167, 0)'); // --vscode-editorWarning-foreground
    assert.match((await gauge.getAttribute('aria-valuetext')) ?? '', /warning/);

    await p.send({ type: 'didUpdate', delta: { now: NOW + 3100, summary: { ...summary, latencyMs: 1500 } } });
    assert.equal(await gauge.getAttribute('data-level'), 'critical');
    assert.equal(await stroke(), 'rgb(248, 81, 73)'); // --vscode-errorForeground

    // A changed rule moves the bands: with warning at 2000 ms, 1500 ms is fine again.
    const rules = snapshot().rules.map((r) => (r.id === 'latency' ? { ...r, warning: 2000, critical: 5000 } : r));
    await p.send({ type: 'didUpdate', delta: { now: NOW + 3200, rules } });
    assert.equal(await gauge.getAttribute('data-level'), 'ok');

    // Heap is judged in percent of heapTotal (rule unit percent): 95 % of total is critical.
    await p.send({ type: 'didUpdate', delta: { now: NOW + 3300, summary: { ...summary, heapBytes: Math.round((summary.heapTotalBytes ?? 0) * 0.95) } } });
    assert.equal(await p.page.locator('.gauge[data-metric="heap"]').getAttribute('data-level'), 'critical');
  });

  it('shows each source state, counts down a reconnect, and reconnects on request', async () => {
    const p = await opened();
    await p.send(snap());
    const source = (id: string) => p.page.locator(`.source[data-source-id="${id}"]`);
    assert.equal(await source('api').getAttribute('data-state'), 'open');
    assert.equal(await source('worker').getAttribute('data-state'), 'reconnecting');
    assert.match(await p.text('.source[data-source-id="worker"] .source-state'), /^reconnecting in [1-7] s$/);
    assert.match(await p.text('.source[data-source-id="worker"] .source-meta'), /12 series dropped/);
    assert.equal(await p.text('.source[data-source-id="edge"] .source-state'), 'failed: 401 Unauthorized — set a token with Pulse: Set Source Token…');
    assert.match(await p.text('.source[data-source-id="api"] .source-meta'), /10 msg\/s/);
    // A source's reported errors: count, when, what, as text on its row; none shown for a source without.
    const workerError = p.page.locator('.source[data-source-id="worker"] .source-error');
    assert.equal(await workerError.innerText(), '3 errors · last 1 min ago: Could not decode a message: invalid JSON at position 0');
    assert.equal(await workerError.getAttribute('data-error-count'), '3');
    assert.match((await workerError.getAttribute('title')) ?? '', /^3 errors, last at .+: Could not decode a message/);
    assert.equal(await p.page.locator('.source[data-source-id="api"] .source-error').isHidden(), true);
    // The failed source's URL and reason are shown as text.
    assert.match(await p.text('.failure[data-source-id="edge"]'), /https:\/\/edge\.local:8443\/stats/);

    await source('worker').locator('[data-action="reconnect"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'reconnect'), { type: 'reconnect', sourceId: 'worker' });
  });

  it('pins a series, requests its history, draws it, appends live points, and re-requests for a new window', async () => {
    const p = await opened();
    await p.send(snap());
    const id = 'api:http.latency';
    await p.page.locator(`[data-table="series"] tr[data-series-id="${id}"] [data-action="pin"]`).click();
    await p.settle();
    const req = lastOfType(await p.posted(), 'requestHistory');
    assert.ok(req, 'requestHistory posted');
    assert.deepEqual(req.ids, [id]);
    assert.equal(req.window, '5m');

    const chart = p.page.locator(`.chart[data-series-id="${id}"]`);
    await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history([id]) });
    assert.equal(await chart.getAttribute('data-points'), '120');
    const painted = await p.evalOn(
      `.chart[data-series-id="${id}"] canvas`,
      '(c) => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }',
    );
    assert.ok(Number(painted) > 500, `canvas has drawn pixels (${String(painted)})`);
    assert.match(await p.text(`.chart[data-series-id="${id}"] .legend-value`), /ms$/);

    for (let n = 1; n <= 10; n++) await p.page.evaluate(`window.postMessage(${JSON.stringify(delta(n, [id]))}, '*')`);
    await p.settle();
    assert.equal(await chart.getAttribute('data-points'), '130');

    // A reply to an older request is ignored.
    await p.send({ type: 'didLoadHistory', requestId: req.requestId - 1, window: '5m', mode: 'rate', series: history([id], 3) });
    assert.equal(await chart.getAttribute('data-points'), '130');

    await p.clearPosted();
    await p.page.locator('[data-section="charts"] button[data-window="1h"]').click();
    await p.settle();
    const req2 = lastOfType(await p.posted(), 'requestHistory');
    assert.ok(req2);
    assert.equal(req2.window, '1h');
    assert.deepEqual(req2.ids, [id]);
    assert.ok(req2.requestId > req.requestId);
    assert.equal(await p.page.locator('[data-section="charts"] button[data-window="1h"]').getAttribute('aria-pressed'), 'true');

    // Unpinning destroys the chart.
    await chart.locator('[data-action="unpin"]').click();
    await p.settle();
    assert.equal(await p.page.locator('.chart').count(), 0);
    assert.deepEqual(p.errors, []);
  });

  it('charts a counter as a rate by default and asks for raw values when toggled', async () => {
    const p = await opened();
    await p.send(snap());
    const id = 'api:endpoint.requests{path=/health}';
    await p.page.locator(`tr[data-series-id="${id}"] [data-action="pin"]`).click();
    await p.settle();
    const req = lastOfType(await p.posted(), 'requestHistory');
    assert.equal(req?.mode, 'rate');
    const chart = p.page.locator(`.chart[data-series-id="${id}"]`);
    await chart.locator('button[data-mode="raw"]').click();
    await p.settle();
    assert.equal(lastOfType(await p.posted(), 'requestHistory')?.mode, 'raw');
    // Split by label: one line per labelled series of the same name.
    await chart.locator('button[data-group="split"]').click();
    await p.settle();
    const split = lastOfType(await p.posted(), 'requestHistory');
    assert.equal(split?.ids.length, 6);
    assert.equal(await chart.locator('.legend-item').count(), 6);
    await chart.locator('button[data-group="sum"]').click();
    await p.settle();
    assert.equal(await chart.locator('.legend-item').count(), 1);
  });

  it('sorts the endpoints table by p95 when its header is clicked, and filters it', async () => {
    const p = await opened();
    await p.send(snap());
    const table = p.page.locator('[data-table="endpoints"]');
    const header = table.locator('th[data-key="p95"]');
    await header.locator('button').click();
    await p.settle();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const p95s = async () => (await table.locator('td[data-col="p95"]').allTextContents()).map((t) => t.trim());
    assert.deepEqual(await p95s(), [512, 310, 120, 42, 18, 3].map((v) => formatValue(v, 'ms')));
    assert.equal(await p.text('[data-table="endpoints"] tbody tr td[data-col="path"]'), '/api/search');
    // Keyboard: Enter on the focused header button toggles the direction.
    await header.locator('button').focus();
    await p.page.keyboard.press('Enter');
    await p.settle();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    assert.equal((await p95s())[0], formatValue(3, 'ms'));

    await p.page.locator('[data-section="endpoints"] input.filter').fill('orders');
    await p.settle();
    assert.deepEqual(await table.locator('td[data-col="path"]').allTextContents(), ['/api/orders']);
  });

  it('acknowledges, snoozes and dismisses alerts', async () => {
    const p = await opened();
    await p.send(snap());
    const a = p.page.locator('.alert[data-alert-id="a-latency"]');
    assert.equal(await a.getAttribute('data-severity'), 'critical');
    assert.match(await a.locator('.alert-value').innerText(), new RegExp(`${formatValue(512, 'ms')} > ${formatValue(400, 'ms')}`));
    assert.match(await a.locator('.alert-since').innerText(), /since 3m 1[45]s ago/);
    await a.locator('[data-action="acknowledge"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'acknowledgeAlert'), { type: 'acknowledgeAlert', alertId: 'a-latency' });
    await a.locator('[data-action="snooze-menu"]').click();
    await a.locator('[data-action="snooze"][data-duration="1h"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'snoozeAlert'), { type: 'snoozeAlert', alertId: 'a-latency', duration: '1h' });
    await a.locator('[data-action="snooze-menu"]').click();
    await a.locator('[data-action="snooze"][data-duration="restart"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'snoozeAlert'), { type: 'snoozeAlert', alertId: 'a-latency', duration: 'restart' });
    await a.locator('[data-action="dismiss"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'dismissAlert'), { type: 'dismissAlert', alertId: 'a-latency' });
    // An acknowledged alert offers no Acknowledge button; a resolved one sits under "recent".
    assert.equal(await p.page.locator('.alert[data-alert-id="a-queue"] [data-action="acknowledge"]').isVisible(), false);
    assert.equal(await p.page.locator('.alert-list.recent .alert[data-alert-id="a-err"]').count(), 1);
  });

  it('posts setThreshold with the typed values, and reset / save for overrides', async () => {
    const p = await opened();
    await p.send(snap());
    const row = p.page.locator('[data-table="thresholds"] tbody[data-rule-id="latency"]');
    await row.locator('input[data-field="warning"]').fill('300');
    await row.locator('input[data-field="critical"]').fill('');
    await row.locator('input[data-field="forSeconds"]').fill('45');
    await row.locator('[data-action="apply"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'setThreshold'), { type: 'setThreshold', ruleId: 'latency', patch: { warning: 300, critical: null, forSeconds: 45 } });
    await row.locator('[data-action="reset"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'resetThreshold'), { type: 'resetThreshold', ruleId: 'latency' });
    await row.locator('[data-action="save"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'saveThresholdToSettings'), { type: 'saveThresholdToSettings', ruleId: 'latency' });

    const def = p.page.locator('[data-table="thresholds"] tbody[data-rule-id="errorRate"]');
    assert.equal(await def.locator('[data-action="reset"]').isVisible(), false);
    assert.equal(await def.locator('.origin-badge').innerText(), 'default');
    assert.match(await p.text('[data-table="thresholds"] tbody[data-rule-id="p95"] .rule-problems'), /must be a number/);
    // An invalid value does not post.
    await p.clearPosted();
    await def.locator('input[data-field="forSeconds"]').fill('-5');
    assert.equal(await def.locator('[data-action="apply"]').isDisabled(), true);
    assert.equal(lastOfType(await p.posted(), 'setThreshold'), undefined);
  });

  it('shows the empty state with Add Source and Open Settings when no source is configured', async () => {
    const p = await opened();
    await p.send(snap({ sources: [], series: [], alerts: [], endpoints: [], connections: [], topics: [], summary: { ...summary, requestRate: null }, configProblems: ['pulse.sources[0].url must start with ws://, wss://, http:// or https://'] }));
    const add = p.page.locator('[data-empty="no-sources"] [data-action="add-source"]');
    assert.equal(await add.isVisible(), true);
    assert.equal(await p.page.locator('main.content').isVisible(), false);
    await add.click();
    assert.deepEqual(lastOfType(await p.posted(), 'addSource'), { type: 'addSource' });
    await p.page.locator('[data-empty="no-sources"] [data-action="open-settings"]').click();
    assert.deepEqual(lastOfType(await p.posted(), 'openSettings'), { type: 'openSettings' });
    assert.match(await p.text('[data-banner="config-problems"]'), /must start with ws:\/\//);
    await p.screenshot('empty-dark');
  });

  it('ignores malformed host messages and keeps working', async () => {
    const p = await opened();
    for (const bad of [null, 'didSnapshot', 42, { type: 'bogus' }, { type: 'didSnapshot' }, { type: 'didSnapshot', snapshot: { now: NOW } },
      { type: 'didUpdate', delta: { now: 'soon' } }, { type: 'didUpdate', delta: { now: NOW, series: 'x' } }, { type: 'didLoadHistory', requestId: 1 }]) {
      await p.send(bad);
    }
    // A snapshot whose lists hold junk items: the junk is dropped, the rest renders.
    const s = snapshot();
    await p.send({ type: 'didSnapshot', snapshot: { ...s, series: [...s.series, { id: 7 }, null], sources: [...s.sources, { id: 'x' }], alerts: [...s.alerts, 'nope'], summary: { ...summary, latencyMs: 'fast' } } });
    assert.equal(await p.text('.gauge[data-metric="requestRate"] .gauge-value'), formatValue(summary.requestRate, 'per_second'));
    assert.equal(await p.page.locator('.gauge[data-metric="latency"]').count(), 0);
    assert.equal(await p.page.locator('.source').count(), 3);
    await p.send({ type: 'didUpdate', delta: { now: NOW + 100, summary: { ...summary, connections: 77 } } });
    assert.equal(await p.text('.gauge[data-metric="connections"] .gauge-value'), '77');
    assert.deepEqual(p.errors, []);
  });

  it('leaves sections whose data did not change alone', async () => {
    const p = await opened();
    await p.send(snap());
    await p.page.evaluate(`(() => {
      window.__mutations = { endpoints: 0, series: 0, thresholds: 0 };
      for (const k of Object.keys(window.__mutations)) {
        new MutationObserver((m) => { window.__mutations[k] += m.length; })
          .observe(document.querySelector('[data-table="' + k + '"]'), { subtree: true, childList: true, characterData: true, attributes: true });
      }
    })()`);
    await p.send({ type: 'didUpdate', delta: { now: NOW + 100, summary: { ...summary, latencyMs: 99 } } });
    assert.deepEqual(await p.page.evaluate('window.__mutations'), { endpoints: 0, series: 0, thresholds: 0 });
    await p.send({ type: 'didUpdate', delta: { now: NOW + 200, endpoints: snapshot().endpoints.map((e) => ({ ...e, p95: (e.p95 ?? 0) + 1 })) } });
    const m = (await p.page.evaluate('window.__mutations')) as Record<string, number>;
    assert.ok((m.endpoints ?? 0) > 0);
    assert.equal(m.series, 0);
  });

  it('restores pinned series and the window after a reload', async () => {
    const p = await opened();
    await p.send(snap());
    await p.page.locator('tr[data-series-id="api:ws.connections"] [data-action="pin"]').click();
    await p.page.locator('[data-section="charts"] button[data-window="15m"]').click();
    await p.page.locator('[data-section="topics"] .section-toggle').click();
    await p.settle();
    assert.equal(await p.page.locator('[data-section="topics"] .section-body').isVisible(), false);
    await p.reload();
    await p.clearPosted();
    await p.send(snap());
    const req = lastOfType(await p.posted(), 'requestHistory');
    assert.deepEqual(req?.ids, ['api:ws.connections']);
    assert.equal(req?.window, '15m');
    assert.equal(await p.page.locator('.chart[data-series-id="api:ws.connections"]').count(), 1);
    assert.equal(await p.page.locator('[data-section="topics"] .section-toggle').getAttribute('aria-expanded'), 'false');
    assert.equal(await p.page.locator('[data-section="topics"] .section-body').isVisible(), false);
    assert.equal(await p.page.locator('[data-section="endpoints"] .section-body').isVisible(), true);
  });

  it('renders without CSP violations, and screenshots in dark and light themes', async () => {
    for (const [theme, width, name] of [['dark', 1200, 'panel-dark'], ['light', 1200, 'panel-light'], ['dark', 560, 'panel-narrow-dark']] as const) {
      const p = await opened({ theme, width });
      await p.send(snap());
      for (const id of ['api:http.latency', 'api:http.requests']) await p.page.locator(`tr[data-series-id="${id}"] [data-action="pin"]`).click();
      await p.page.locator('.chart[data-series-id="api:http.requests"]').waitFor();
      await p.settle();
      const req = lastOfType(await p.posted(), 'requestHistory');
      assert.ok(req);
      await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history(req.ids) });
      await p.send({ type: 'didUpdate', delta: { now: NOW + 500, summary: { ...summary, latencyMs: 310 } } });
      await p.screenshot(name);
      assert.deepEqual(await p.cspViolations(), []);
      assert.deepEqual(p.errors, []);
    }
  });
});
