// Seed 001 (snapshot/update/error protocol, bare MetricsSnapshot): each fixture decodes to exactly these series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decoded, rows, seedFixture } from './seedRows';
import type { Row } from './seedRows';

const read = seedFixture;

interface Endpoint {
  path: string;
  method: string;
  p50: number;
  p95: number;
  p99: number;
  errorRate: number;
  throughput: number;
}
interface Snapshot {
  timestamp: number;
  endpoints: Endpoint[];
  cdn: { bandwidth: number; cacheHitRatio: number; storage: number };
  system: { uptime: number; memory: number; cpu: number };
}

/** What the user must see for a MetricsSnapshot: written out from the seed's field meanings. */
function expectedRows(snap: Snapshot): Row[] {
  const out: Row[] = [];
  let tp = 0;
  let err = 0;
  let p95 = 0;
  for (const e of snap.endpoints) {
    const labels: Array<[string, string]> = [['method', e.method], ['path', e.path]];
    out.push(
      ['endpoint.p50', labels, e.p50, 'gauge', 'ms', undefined],
      ['endpoint.p95', labels, e.p95, 'gauge', 'ms', undefined],
      ['endpoint.p99', labels, e.p99, 'gauge', 'ms', undefined],
      // Already a percent in the seed: never multiplied.
      ['endpoint.errorRate', labels, e.errorRate, 'gauge', 'percent', undefined],
      ['endpoint.throughput', labels, e.throughput, 'gauge', 'per_second', undefined],
    );
    tp += e.throughput;
    err += e.errorRate * e.throughput;
    p95 += e.p95 * e.throughput;
  }
  out.push(
    ['http.throughput', [], tp, 'gauge', 'per_second', 'requestRate'],
    ['http.errorRate', [], err / tp, 'gauge', 'percent', 'errorRate'],
    ['http.p95', [], p95 / tp, 'gauge', 'ms', 'latency'],
    ['system.uptime', [], snap.system.uptime, 'gauge', 'seconds', 'uptime'],
    ['system.memory', [], snap.system.memory, 'gauge', 'bytes', 'heap'],
    ['system.cpu', [], snap.system.cpu, 'gauge', 'percent', 'cpu'],
    ['cdn.cacheHitRatio', [], snap.cdn.cacheHitRatio, 'gauge', 'percent', 'cacheHitRatio'],
    ['cdn.storage', [], snap.cdn.storage, 'gauge', 'percent', 'storage'],
    ['cdn.bandwidth', [], snap.cdn.bandwidth, 'gauge', 'bytes', undefined],
  );
  return out;
}

/** Derived rows are sums of products: compared to 1e-9, everything else exactly. */
function assertRows(actual: Row[], expected: Row[]): void {
  assert.equal(actual.length, expected.length, JSON.stringify(actual.map((r) => r[0])));
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    assert.ok(a && e);
    assert.deepEqual([a[0], a[1], a[3], a[4], a[5]], [e[0], e[1], e[3], e[4], e[5]], e[0]);
    assert.ok(Math.abs(a[2] - e[2]) < 1e-9, `${e[0]}: ${a[2]} ≠ ${e[2]}`);
  }
}

describe('seed 001: snapshot / update / error', () => {
  it('the snapshot sent on open: every field, its unit and role', () => {
    const text = read('001-snapshot.json');
    const snap = (JSON.parse(text) as { data: Snapshot }).data;
    for (const hint of ['auto', 'snapshot'] as const) {
      const d = decoded(text, hint);
      assert.equal(d.format, 'snapshot');
      // The open handler sends no envelope timestamp: the snapshot's own is used.
      assert.equal(d.timestamp, 1763888400000);
      assert.equal(d.alerts, undefined, 'a snapshot without alerts says nothing about alerts');
      assertRows(rows(d), expectedRows(snap));
    }
    // Spelled out once, so the helper above cannot hide a wrong meaning.
    const d = decoded(text, 'auto');
    const get = (name: string, path?: string): number | undefined =>
      d.samples.find((s) => s.name === name && (path === undefined || s.labels.some(([, v]) => v === path)))?.value;
    assert.equal(get('endpoint.errorRate', '/api/orders'), 1.2);
    assert.equal(get('cdn.cacheHitRatio'), 94.2);
    assert.equal(get('cdn.storage'), 61.5);
    assert.equal(get('system.memory'), 157286400);
    assert.ok(Math.abs((get('http.errorRate') ?? NaN) - 26 / 51) < 1e-9, 'weighted error rate ≈ 0.51 %, below the 1 % warning');
  });

  it('an update with the seed alerts: stable ids from type, readable messages, severity kept', () => {
    const text = read('001-update-alerts.json');
    const msg = JSON.parse(text) as { data: Snapshot };
    const d = decoded(text, 'auto');
    assert.equal(d.format, 'snapshot');
    assert.equal(d.timestamp, 1763888405000);
    assertRows(rows(d), expectedRows(msg.data));
    assert.deepEqual(d.alerts, [
      { id: 'server:latency_spike', severity: 'critical', message: 'Latency spike: +62 % over baseline', kind: 'latency_spike', value: 62.4 },
      { id: 'server:error_rate', severity: 'critical', message: 'Error rate 7.1 %', kind: 'error_rate', value: 7.1 },
    ]);
    // The next update carries new UUIDs: the identities must not change.
    const again = text.replace(/"id":"[^"]+"/g, () => `"id":"${crypto.randomUUID()}"`);
    assert.notEqual(again, text);
    assert.deepEqual(decoded(again, 'snapshot').alerts?.map((a) => a.id), ['server:latency_spike', 'server:error_rate']);
  });

  it('an update without `alerts` means no alert is active', () => {
    const text = read('001-update.json');
    const d = decoded(text, 'auto');
    assert.equal(d.timestamp, 1763888410000);
    assertRows(rows(d), expectedRows((JSON.parse(text) as { data: Snapshot }).data));
    assert.deepEqual(d.alerts, []);
  });

  it('an error message becomes the source’s server error', () => {
    for (const hint of ['auto', 'snapshot'] as const) {
      const d = decoded(read('001-error.json'), hint);
      assert.deepEqual(d, { format: 'snapshot', samples: [], serverError: 'Failed to collect metrics: database is locked', timestamp: 1763888415000 });
    }
  });

  it('the bare MetricsSnapshot of GET /api/metrics and /sse decodes as a snapshot, auto or fixed', () => {
    const text = read('001-bare-snapshot.json');
    const snap = JSON.parse(text) as Snapshot;
    for (const hint of ['auto', 'snapshot'] as const) {
      const d = decoded(text, hint);
      assert.equal(d.format, 'snapshot', hint);
      assert.equal(d.timestamp, 1763888420000);
      assert.equal(d.alerts, undefined);
      assertRows(rows(d), expectedRows(snap));
    }
  });
});
