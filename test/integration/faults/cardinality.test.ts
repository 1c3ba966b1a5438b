// Cardinality bombs through the whole host pipeline: 100,000 distinct series in one Prometheus
// scrape (dev server `cardinality` mode) and 100,000 distinct label values spread over a WebSocket
// stream. The store keeps at most maxSeriesPerSource per source, counts the cut, and the panel
// snapshot shows the count.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLoopbackWs } from '../../helpers/loopbackWs';
import type { Rig } from './support';
import { MiB, faultSuite, heapAfterGc, heartbeat, makeRig, sourceConfig, until } from './support';

const MAX_SERIES = 2000; // the pulse.limits.maxSeriesPerSource default

function assertBoundedAndShown(rig: Rig, sourceId: string, minDropped: number): void {
  const stored = rig.pipeline.store.bySource(sourceId).length;
  assert.ok(stored <= MAX_SERIES, `store holds ${stored} series of ${sourceId}, bound ${MAX_SERIES}`);
  assert.equal(stored, MAX_SERIES, 'the bound is reached, not undershot');
  const dropped = rig.pipeline.store.droppedSeries(sourceId);
  assert.ok(dropped >= minDropped, `the cut is counted: ${dropped} ≥ ${minDropped}`);
  const snapshot = rig.feed.snapshot(Date.now());
  const view = snapshot.sources.find((s) => s.id === sourceId);
  assert.ok(view, 'the source is in the panel snapshot');
  assert.equal(view.droppedSeries, dropped, 'the panel snapshot shows the count');
  assert.ok(snapshot.series.length <= 5000, `the snapshot's series list is bounded (${snapshot.series.length})`);
  const bytes = JSON.stringify(snapshot).length;
  assert.ok(bytes < 4 * MiB, `the snapshot stays small: ${(bytes / MiB).toFixed(2)} MiB`);
}

describe('cardinality bombs', () => {
  const { server, defer, withRig } = faultSuite();

  test('100,000 series in one Prometheus scrape: bounded store and memory, the cut counted and shown, the host live', () =>
    withRig(async (rig) => {
      const prom = sourceConfig('cardinality-prom', server().url('/metrics'), 'prometheus', { pollIntervalMs: 1000 });
      const heapBefore = heapAfterGc();
      const beat = heartbeat(50, 2_000);
      await server().control('cardinality', { count: 100_000 });
      await rig.apply([prom]);
      await until('three scrapes', () => rig.runtime(prom.id).messages >= 3, 90_000);
      const windows = beat.stop();
      assert.equal(rig.runtime(prom.id).state.phase, 'open', `open: ${JSON.stringify(rig.runtime(prom.id).state)}`);
      assert.equal(rig.runtime(prom.id).decodeErrors, 0);
      // One scrape decodes at most 50,000 samples (src/core/decode/prometheus.ts MAX_SERIES); all
      // beyond the 2,000 stored are refused and counted.
      assertBoundedAndShown(rig, prom.id, 50_000 - MAX_SERIES);
      const heapGrowth = heapAfterGc() - heapBefore;
      assert.ok(heapGrowth < 96 * MiB, `heap grew ${(heapGrowth / MiB).toFixed(1)} MiB for a 100k-series bomb`);
      assert.ok(rig.pipeline.store.approxBytes() < 64 * MiB, `store ~${(rig.pipeline.store.approxBytes() / MiB).toFixed(1)} MiB`);
      assert.ok(windows.every((n) => n >= 3), `heartbeat kept ticking: ${JSON.stringify(windows)} ticks per 2 s`);
    }));

  test('100,000 distinct label values over a WebSocket stream: bounded, every refused series counted once, shown', async () => {
    const MESSAGES = 200;
    const TOPICS = 500; // Bun's decoder reads at most 500 topics a message
    let sent = 0;
    const bomb = await startLoopbackWs('/', (ws) => {
      const timer = setInterval(() => {
        if (sent >= MESSAGES) {
          clearInterval(timer);
          return;
        }
        const subscribers: Record<string, number> = {};
        for (let i = 0; i < TOPICS; i++) subscribers[`room-${sent}-${i}`] = i;
        ws.send(JSON.stringify({ type: 'metrics', http: { pendingRequests: 1, totalRequests: sent }, websockets: { pendingConnections: 0, subscribers, totalSubscribers: TOPICS } }));
        sent++;
      }, 4);
      ws.on('close', () => clearInterval(timer));
    });
    defer(() => bomb.close());
    const rig = makeRig();
    defer(() => rig.dispose());
    const config = sourceConfig('cardinality-ws', bomb.url, 'ws', { format: 'bun' });
    try {
      await rig.apply([config]);
      await until('every message handled', () => rig.runtime(config.id).messages >= MESSAGES, 20_000);
      const distinct = MESSAGES * TOPICS;
      // 2,000 stored (a few of them the non-topic series), every other topic series refused once.
      assertBoundedAndShown(rig, config.id, distinct - MAX_SERIES);
      assert.ok(rig.pipeline.store.droppedSeries(config.id) <= distinct, `each refused series counted once (${rig.pipeline.store.droppedSeries(config.id)})`);
      const totals = rig.pipeline.store.bySource(config.id).find((s) => s.name === 'http.totalRequests');
      assert.equal(totals?.raw, MESSAGES - 1, 'series that existed before the bound keep updating');
    } finally {
      for (const c of bomb.wss.clients) c.terminate();
      rig.dispose();
    }
  });
});
