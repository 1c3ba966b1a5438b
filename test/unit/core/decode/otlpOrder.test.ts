// OTLP points are ordered by their own timestamps: a stale (retried) point is dropped and counted, a
// cumulative point with a new start time is a restart, points without times are used as they come.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapOtlpMetrics } from '../../../../src/core/decode/otlp';
import type { OtlpMapped } from '../../../../src/core/decode/otlp';
import { DeltaTotals } from '../../../../src/core/decode/otlpDelta';
import { PointOrder } from '../../../../src/core/decode/otlpOrder';

const S = 1_000_000_000;
const T0 = 1_780_000_000 * S;
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

interface Times {
  readonly start: number;
  readonly time: number;
}

/** Nanosecond times as the OTLP JSON encoding writes them: decimal strings. */
const times = (t: Times) => ({ startTimeUnixNano: BigInt(t.start).toString(), timeUnixNano: BigInt(t.time).toString() });

function request(metrics: unknown[]): unknown {
  return { resourceMetrics: [{ resource: { attributes: [str('service.name', 'api')] }, scopeMetrics: [{ metrics }] }] };
}

const counter = (t: Times, value: number, temporality = 2) => ({
  name: 'orders.placed',
  sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: [{ ...times(t), asInt: String(value) }] },
});
const gauge = (t: Times, value: number) => ({ name: 'queue.depth', gauge: { dataPoints: [{ ...times(t), asDouble: value }] } });
const duration = (t: Times, route: string, count: number, temporality = 2) => ({
  name: 'http.server.request.duration',
  unit: 's',
  histogram: { aggregationTemporality: temporality, dataPoints: [{ ...times(t), attributes: [str('http.route', route)], count: String(count), sum: count * 0.01, bucketCounts: [String(count), '0'], explicitBounds: [0.1] }] },
});

function mapper(): (metrics: unknown[]) => OtlpMapped {
  const totals = new DeltaTotals();
  const order = new PointOrder();
  return (metrics) => {
    const r = mapOtlpMetrics(request(metrics), totals, { order });
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.value;
  };
}

const value = (m: OtlpMapped, name: string): number | undefined => m.decoded.samples.find((s) => s.name === name)?.value;

describe('OTLP point order', () => {
  it('drops a cumulative point older than, or as old as, the last one of its series, and counts it', () => {
    const map = mapper();
    const start = T0;
    assert.equal(value(map([counter({ start, time: T0 + 20 * S }, 30)]), 'orders.placed'), 30);
    // The export that failed before Pulse listened, retried: older time, lower total.
    const late = map([counter({ start, time: T0 + 10 * S }, 10)]);
    assert.equal(value(late, 'orders.placed'), undefined);
    assert.equal(late.stale, 1);
    assert.equal(late.rejected, 0, 'a stale point is not refused (the SDK must not retry it again)');
    const again = map([counter({ start, time: T0 + 20 * S }, 30)]);
    assert.equal(again.stale, 1, 'the same point twice is a duplicate');
    assert.equal(value(map([counter({ start, time: T0 + 30 * S }, 45)]), 'orders.placed'), 45);
  });

  it('a cumulative point with a new start time is a restart, used even when its value is lower', () => {
    const map = mapper();
    map([counter({ start: T0, time: T0 + 20 * S }, 30)]);
    const restarted = map([counter({ start: T0 + 25 * S, time: T0 + 26 * S }, 2)]);
    assert.equal(value(restarted, 'orders.placed'), 2);
    assert.equal(restarted.stale, 0);
    // A late point from before the restart (older start) is stale even if its time is newer than nothing.
    assert.equal(map([counter({ start: T0, time: T0 + 24 * S }, 35)]).stale, 1);
    assert.equal(value(map([counter({ start: T0 + 25 * S, time: T0 + 30 * S }, 9)]), 'orders.placed'), 9);
  });

  it('orders gauges and delta points by time too; points without a time are used as they come', () => {
    const map = mapper();
    assert.equal(value(map([gauge({ start: 0, time: T0 + 5 * S }, 7)]), 'queue.depth'), 7);
    assert.equal(map([gauge({ start: 0, time: T0 + 4 * S }, 3)]).stale, 1);
    // Delta points each start where the last ended: a new start is no restart.
    assert.equal(value(map([counter({ start: T0, time: T0 + 10 * S }, 4, 1)]), 'orders.placed'), 4);
    assert.equal(value(map([counter({ start: T0 + 10 * S, time: T0 + 20 * S }, 5, 1)]), 'orders.placed'), 9);
    const late = map([counter({ start: T0, time: T0 + 10 * S }, 4, 1)]);
    assert.equal(late.stale, 1, 'a retried delta is not added twice');
    const untimed = mapper();
    const noTime = { name: 'queue.depth', gauge: { dataPoints: [{ asDouble: 1 }] } };
    assert.equal(untimed([noTime]).stale, 0);
    assert.equal(untimed([noTime]).stale, 0);
  });

  it('a partly stale export keeps the service request counter from going backwards', () => {
    const map = mapper();
    const first = map([duration({ start: T0, time: T0 + 10 * S }, '/a', 100), duration({ start: T0, time: T0 + 10 * S }, '/b', 50)]);
    assert.equal(value(first, 'http.server.requests'), 150);
    // /a arrives late (stale), /b is new: /a still counts with its last accepted total.
    const mixed = map([duration({ start: T0, time: T0 + 5 * S }, '/a', 60), duration({ start: T0, time: T0 + 20 * S }, '/b', 70)]);
    assert.equal(mixed.stale, 1);
    assert.equal(value(mixed, 'http.server.requests'), 170);
    // The same with delta temporality: running totals.
    const delta = mapper();
    delta([duration({ start: T0, time: T0 + 10 * S }, '/a', 10, 1), duration({ start: T0, time: T0 + 10 * S }, '/b', 5, 1)]);
    const late = delta([duration({ start: T0, time: T0 + 10 * S }, '/a', 10, 1), duration({ start: T0 + 10 * S, time: T0 + 20 * S }, '/b', 3, 1)]);
    assert.equal(value(late, 'http.server.requests'), 18);
  });

  it('forgets the least recently seen series past its cap', () => {
    const order = new PointOrder(2);
    assert.equal(order.admit('a', 0, 10, true), 'accept');
    assert.equal(order.admit('b', 0, 10, true), 'accept');
    assert.equal(order.admit('c', 0, 10, true), 'accept');
    assert.equal(order.size, 2);
    assert.equal(order.admit('a', 0, 5, true), 'accept', '"a" was forgotten');
    assert.equal(order.admit('c', 0, 5, true), 'stale');
  });
});
