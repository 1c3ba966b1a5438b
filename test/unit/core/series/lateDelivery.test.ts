// An OTLP export delivered late (the SDK retried it while Pulse was not yet listening) must not make the next
// counter rate a spike: the arrivals are closer together than the collections were (seen in the demo: 75/s, then 14/s).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../../src/core/model';
import { Pipeline } from '../../../../src/core/pipeline';
import { mapOtlpMetrics } from '../../../../src/core/decode/otlp';
import { DeltaTotals } from '../../../../src/core/decode/otlpDelta';
import { Cadence, LATE_DELIVERY_MS } from '../../../../src/core/series/cadence';

const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const T0 = 1_700_000_000_000;
const ID = 'otel|orders.placed{service="shop"}';

/** The SDK's cumulative counter `orders.placed` as one export collected at `collectedMs`. */
function exportAt(collectedMs: number, total: number): unknown {
  const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
  return {
    resourceMetrics: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
      scopeMetrics: [{ metrics: [{ name: 'orders.placed', unit: '{order}', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ startTimeUnixNano: ns(T0 - 60_000), timeUnixNano: ns(collectedMs), asInt: String(total) }] } }] }],
    }],
  };
}

function pipeline(): { p: Pipeline; deliver(collectedMs: number, total: number, arrivedMs: number): number | null } {
  const p = new Pipeline({ store: { rawWindowMs: 15 * 60_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 200 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log);
  p.setSources([{ id: 'otel', name: 'otel', url: 'http://127.0.0.1:4318', kind: 'otlp', format: 'otlp', pollIntervalMs: 2000, headers: {}, scope: 'user' }]);
  const totals = new DeltaTotals();
  return {
    p,
    deliver(collectedMs, total, arrivedMs) {
      const mapped = mapOtlpMetrics(exportAt(collectedMs, total), totals);
      assert.ok(mapped.ok);
      p.ingestDecoded('otel', { ok: true, value: mapped.value.decoded }, arrivedMs, 100);
      const s = p.store.get(ID);
      assert.ok(s, `series ${ID}: ${p.store.list().map((x) => x.id).join(', ')}`);
      return s.value;
    },
  };
}

describe('late delivery', () => {
  it('a retried export arriving just before the next one gives no rate, not a spike; the next rate is true', () => {
    const { deliver } = pipeline();
    // 20 orders/s. Collected at 4 s but held back by retries: it arrives at 12 s, 10 ms before the 12 s export.
    assert.equal(deliver(T0 + 4_000, 80, T0 + 11_990), null, 'the first point has no rate');
    assert.equal(deliver(T0 + 12_000, 240, T0 + 12_010), null, 'no rate over the 20 ms between arrivals (it would read 8000/s)');
    const rate = deliver(T0 + 17_000, 340, T0 + 17_010);
    assert.ok(rate !== null && Math.abs(rate - 20) < 0.1, `20/s after a normal interval: ${rate}`);
  });

  it('exports on time every 5 s give their rate from the second on', () => {
    const { deliver } = pipeline();
    deliver(T0, 0, T0 + 15);
    for (let i = 1; i <= 5; i++) {
      const rate = deliver(T0 + i * 5_000, i * 100, T0 + i * 5_000 + 10 + (i % 2) * 30);
      assert.ok(rate !== null && Math.abs(rate - 20) < 0.3, `export ${i}: ${rate}`);
    }
  });

  it('the cadence: lags differing by more than LATE_DELIVERY_MS make the rate interval unknown; jitter does not', () => {
    const c = new Cadence();
    assert.notEqual(c.observe(T0, undefined, false, T0 - 10).since, undefined);
    assert.notEqual(c.observe(T0 + 5_000, undefined, false, T0 + 5_000 - 10 - LATE_DELIVERY_MS / 2).since, null, 'jitter below the bound');
    assert.equal(c.observe(T0 + 10_000, undefined, false, T0 + 10_000 - 10 - 3 * LATE_DELIVERY_MS).since, null, 'this one arrived late');
    assert.equal(c.observe(T0 + 15_000, undefined, false, T0 + 15_000 - 10).since, null, 'the one after a late one');
    assert.notEqual(c.observe(T0 + 20_000, undefined, false, T0 + 20_000 - 10).since, null, 'on time again');
    // Sources that do not say when they collected are not affected.
    const plain = new Cadence();
    plain.observe(T0, undefined, false);
    assert.notEqual(plain.observe(T0 + 20, undefined, false).since, null);
  });
});
