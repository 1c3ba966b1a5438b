// Many pinned charts fed live points: every chart gets drawn though a frame draws only a few, and a chart
// scrolled out of view is brought up to date when it scrolls back in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebviewMessage } from '../../../src/shared/requests';
import { formatValue } from '../../../src/shared/format';
import type { Panel } from '../harness';
import { panelRig } from '../panelRig';
import { snapshot } from '../fixtures/snapshot';
import { delta, history } from '../fixtures/deltas';

// Eight gauges in ms, percent, count, bytes and seconds: four rows of charts, more than one frame draws.
const PINNED = ['api:http.errorRate', 'api:http.latency', 'api:ws.connections', 'api:http.pending', 'api:pubsub.subscribers', 'api:memory.heapUsed', 'api:process.cpu', 'api:process.uptime'];

const chartSel = (id: string) => `.chart[data-series-id="${id}"]`;
const PAINTED = '(c) => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }';

describe('live charts', () => {
  const openPanel = panelRig();

  async function withPinned(): Promise<Panel> {
    const p = await openPanel();
    await p.page.evaluate(`sessionStorage.setItem('vscodeState', ${JSON.stringify(JSON.stringify({ pinned: PINNED, window: '5m', charts: {}, tables: {}, collapsed: [] }))})`);
    await p.reload();
    await p.send({ type: 'didSnapshot', snapshot: snapshot() });
    const req = ((await p.posted()) as WebviewMessage[]).filter((m): m is Extract<WebviewMessage, { type: 'requestHistory' }> => m.type === 'requestHistory').at(-1);
    assert.ok(req, 'requestHistory posted');
    assert.deepEqual([...req.ids].sort(), [...PINNED].sort());
    await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history(req.ids) });
    await p.settle();
    await p.settle();
    return p;
  }

  it('draws every pinned chart, though each frame redraws only a few', async () => {
    const p = await withPinned();
    for (const id of PINNED) {
      assert.equal(await p.page.locator(chartSel(id)).getAttribute('data-points'), '120', id);
      const painted = await p.evalOn(`${chartSel(id)} canvas`, PAINTED);
      assert.ok(Number(painted) > 500, `${id} drawn (${String(painted)} pixels)`);
    }
    for (let n = 1; n <= 10; n++) await p.page.evaluate(`window.postMessage(${JSON.stringify(delta(n, PINNED))}, '*')`);
    await p.settle();
    await p.settle();
    for (const id of PINNED) assert.equal(await p.page.locator(chartSel(id)).getAttribute('data-points'), '130', id);
    assert.deepEqual(p.errors, []);
  });

  it('brings a chart that was out of view up to date when it scrolls in', async () => {
    const p = await withPinned();
    const last = PINNED[PINNED.length - 1] ?? '';
    const unit = snapshot().series.find((s) => s.id === last)?.unit ?? 'none';
    await p.page.evaluate('window.scrollTo(0, 0)');
    await p.settle();
    let lastValue = 0;
    for (let n = 1; n <= 10; n++) {
      const msg = delta(n, PINNED);
      lastValue = msg.type === 'didUpdate' ? (msg.delta.values?.[0]?.[1] ?? 0) : 0;
      await p.page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
    }
    await p.settle();
    await p.settle();
    const legend = `${chartSel(last)} .legend-value`;
    await p.page.locator(chartSel(last)).scrollIntoViewIfNeeded();
    await p.settle();
    await p.settle();
    assert.equal(await p.text(legend), formatValue(lastValue, unit));
    assert.equal(await p.page.locator(chartSel(last)).getAttribute('data-points'), '130');
    assert.deepEqual(p.errors, []);
  });
});
