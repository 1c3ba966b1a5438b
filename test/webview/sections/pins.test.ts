// Pinned charts kept by the host: default charts by role appear on first data, and what the user pins,
// unpins or moves survives closing the panel (a fresh page, no webview state) and a window reload (a new
// host on the same workspace state). The host side is the real pipeline, panel feed, request table and
// pin store; only the Memento is a stand-in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Panel } from '../harness';
import { panelRig } from '../panelRig';
import { parseWebviewMessage } from '../../../src/shared/requests';
import { FakeMemento } from '../../helpers/fakeVscode';
import type { PinHost } from '../../unit/core/views/pinHost';
import { seedUpdate, startPinHost } from '../../unit/core/views/pinHost';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const update = seedUpdate;
const startHost = (memento: FakeMemento) => startPinHost(memento, T0);

/** Hands what the page posted since the last call to the host, as the panel controller would (validated first). */
async function relay(p: Panel, host: PinHost, seen: { n: number }, now: number): Promise<void> {
  const posted = await p.posted();
  for (const raw of posted.slice(seen.n)) {
    const m = parseWebviewMessage(raw);
    if (m?.type === 'ready') await p.send({ type: 'didSnapshot', snapshot: host.feed.snapshot(now) });
    if (m?.type === 'setPins') host.feed.setPins(m.ids);
  }
  seen.n = posted.length;
  const d = host.feed.delta(now);
  if (d) await p.send({ type: 'didUpdate', delta: d });
}

const chartIds = (p: Panel) => p.page.locator('[data-section="charts"] .chart').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-series-id')));

describe('pinned charts kept by the host', () => {
  const opened = panelRig();

  it('shows default charts on first data; pins, unpins and moves survive closing the panel and a reload', async () => {
    const memento = new FakeMemento();
    const host = startHost(memento);
    const p = await opened();
    const seen = { n: 0 };
    await relay(p, host, seen, T0);
    assert.deepEqual(await chartIds(p), [], 'no data, no charts');
    assert.equal(await p.page.locator('.chart-empty').isVisible(), true);

    // The first data: one chart per role present (request rate, latency p95, error rate, heap).
    host.pipeline.handle('dev', update(T0 + 1000), T0 + 1000);
    await relay(p, host, seen, T0 + 1000);
    const defaults = await chartIds(p);
    assert.deepEqual(defaults, ['dev|http.throughput', 'dev|http.p95', 'dev|http.errorRate', 'dev|system.memory']);
    assert.equal(await p.page.locator('.chart-empty').isVisible(), false);

    // The user removes the heap chart and pins CPU from the series list.
    await p.page.locator('.chart[data-series-id="dev|system.memory"] [data-action="unpin"]').click();
    await p.page.locator('[data-table="series"] tr[data-series-id="dev|system.cpu"] [data-action="pin"]').click();
    await p.settle();
    assert.deepEqual(await chartIds(p), ['dev|http.throughput', 'dev|http.p95', 'dev|http.errorRate', 'dev|system.cpu']);

    // …and moves it first from the keyboard (Alt+← twice, then Alt+↑ once), focus staying on the card.
    const cpuUnpin = p.page.locator('.chart[data-series-id="dev|system.cpu"] [data-action="unpin"]');
    await cpuUnpin.focus();
    for (const key of ['Alt+ArrowLeft', 'Alt+ArrowLeft', 'Alt+ArrowUp']) {
      await p.page.keyboard.press(key);
      await p.settle();
      await p.settle();
    }
    const mine = ['dev|system.cpu', 'dev|http.throughput', 'dev|http.p95', 'dev|http.errorRate'];
    assert.deepEqual(await chartIds(p), mine);
    assert.equal(await cpuUnpin.evaluate((b) => b === b.ownerDocument.activeElement), true);
    await relay(p, host, seen, T0 + 2000);
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'setPins').at(-1), { type: 'setPins', ids: mine });

    // More data: the removed default does not come back, nothing is echoed.
    host.pipeline.handle('dev', update(T0 + 3000), T0 + 3000);
    await relay(p, host, seen, T0 + 3000);
    assert.deepEqual(await chartIds(p), mine);
    assert.deepEqual(p.errors, []);

    // Closing the panel loses the page and its state; a new page gets the pins from the host.
    await p.page.context().close();
    const reopened = await opened();
    await relay(reopened, host, { n: 0 }, T0 + 4000);
    assert.deepEqual(await chartIds(reopened), mine, 'the same charts after closing and reopening');

    // A window reload: a new host on the same workspace state, history not yet received.
    const reloaded = startHost(memento);
    const third = await opened();
    const thirdSeen = { n: 0 };
    await relay(third, reloaded, thirdSeen, T0 + 5000);
    assert.deepEqual(await chartIds(third), mine, 'the same charts after a reload, before any data');
    reloaded.pipeline.handle('dev', update(T0 + 6000), T0 + 6000);
    await relay(third, reloaded, thirdSeen, T0 + 6000);
    assert.deepEqual(await chartIds(third), mine, 'and after the source delivers again');
    assert.deepEqual(third.errors, []);
  });
});
