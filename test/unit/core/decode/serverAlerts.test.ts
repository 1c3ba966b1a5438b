// Server alerts end to end through the pipeline, from seed-001 wire messages: one identity per type
// whatever the server's per-update UUID, critical ones fire like rule alerts, and they resolve.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pipeline } from '../../../../src/core/pipeline';
import type { Logger, SourceConfig } from '../../../../src/core/model';
import type { AlertView } from '../../../../src/shared/views';
import { CriticalNotifier } from '../../../../src/host/notifications';

const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const NO_DATA_MS = 15_000;
const T0 = 1_764_000_000_000;

function make() {
  const p = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 200 }, noDataMode: 'alert', noDataAfterMs: NO_DATA_MS, maxMessageChars: 1_000_000 }, log);
  const src: SourceConfig = { id: 'bun', name: 'bun-metrics', url: 'ws://127.0.0.1:3334/metrics', kind: 'ws', format: 'auto', pollIntervalMs: 2000, headers: {}, scope: 'user' };
  p.setSources([src]);
  p.setThresholdSettings([], false); // only the server's own alerts
  const fired: AlertView[][] = [];
  p.onDidFire((alerts) => fired.push([...alerts]));
  return { p, fired };
}

interface WireAlert {
  readonly type: 'latency_spike' | 'error_rate';
  readonly severity: string;
  readonly value: number;
}

/** MetricsSnapshot as seed 001 defines it. */
function data(t: number): object {
  return {
    timestamp: t,
    endpoints: [{ path: '/api/users', method: 'GET', p50: 12.5, p95: 40.1, p99: 80.2, errorRate: 0.4, throughput: 42 }],
    cdn: { bandwidth: 1_250_000, cacheHitRatio: 94.2, storage: 41 },
    system: { uptime: 3600, memory: 536_870_912, cpu: 23.5 },
  };
}

/** `{type:"update", data, alerts?, timestamp}`; every alert gets a fresh UUID, as detectAnomalies does. */
function update(t: number, alerts?: readonly WireAlert[]): string {
  const msg: Record<string, unknown> = { type: 'update', data: data(t), timestamp: t };
  if (alerts !== undefined) msg.alerts = alerts.map((a) => ({ id: randomUUID(), ...a }));
  return JSON.stringify(msg);
}

const snapshot = (t: number): string => JSON.stringify({ type: 'snapshot', data: data(t), timestamp: t });
const spike = (value = 72.5, severity = 'critical'): WireAlert => ({ type: 'latency_spike', severity, value });
const serverViews = (p: Pipeline, now: number) => p.alerts.views(now).filter((v) => v.origin === 'server');

describe('server alerts from seed-001 messages', () => {
  it('two updates with different UUIDs and the same type are one alert, fired once', () => {
    const { p, fired } = make();
    p.handle('bun', snapshot(T0), T0);
    p.handle('bun', update(T0 + 5000, [spike(72.5)]), T0 + 5000);
    p.handle('bun', update(T0 + 10_000, [spike(80)]), T0 + 10_000);
    const views = serverViews(p, T0 + 10_000);
    assert.equal(views.length, 1, `one alert, not one per UUID: ${views.map((v) => v.id).join(', ')}`);
    assert.equal(views[0]?.state, 'firing');
    assert.equal(views[0]?.since, T0 + 5000, 'the episode continues');
    assert.equal(views[0]?.severity, 'critical');
    assert.equal(views[0]?.value, 80);
    assert.equal(fired.length, 1);
  });

  it('a critical server alert fires onDidFire once, and that reaches the critical notification', () => {
    const { p, fired } = make();
    const shown: string[] = [];
    const notifier = new CriticalNotifier({ show: async (m) => (shown.push(m), undefined), openPanel() {}, snooze() {}, enabled: () => true, now: () => 0 });
    p.onDidFire((alerts) => notifier.notify(alerts));
    p.handle('bun', update(T0, [spike(72.5), { type: 'error_rate', severity: 'warning', value: 3.1 }]), T0);
    for (let i = 1; i <= 5; i++) p.handle('bun', update(T0 + i * 5000, [spike(72.5 + i), { type: 'error_rate', severity: 'warning', value: 3.1 }]), T0 + i * 5000);
    assert.equal(fired.length, 1, 'fired once, not once per update');
    assert.deepEqual(fired[0]?.map((a) => [a.origin, a.severity]).sort(), [['server', 'critical'], ['server', 'warning']]);
    assert.equal(shown.length, 1);
    assert.match(shown[0] ?? '', /^Pulse: Latency spike/);
  });

  it('an update without alerts resolves them at once; a snapshot without alerts does not', () => {
    const { p } = make();
    p.handle('bun', update(T0, [spike(), { type: 'error_rate', severity: 'critical', value: 7 }]), T0);
    p.handle('bun', snapshot(T0 + 1000), T0 + 1000);
    assert.equal(serverViews(p, T0 + 1000).filter((v) => v.state === 'firing').length, 2, 'a snapshot says nothing about alerts');
    p.handle('bun', update(T0 + 5000, [spike()]), T0 + 5000);
    const afterOne = serverViews(p, T0 + 5000);
    assert.deepEqual(afterOne.map((v) => v.state).sort(), ['firing', 'resolved'], 'the list without error_rate resolved it');
    p.handle('bun', update(T0 + 10_000), T0 + 10_000);
    const views = serverViews(p, T0 + 10_000);
    assert.deepEqual(views.map((v) => [v.state, v.resolvedAt]).sort(), [['resolved', T0 + 10_000], ['resolved', T0 + 5000]].sort());
    assert.equal(p.alerts.firing(T0 + 10_000).length, 0);
  });

  it('a source gone silent has its server alerts resolved after the no-data window', () => {
    const { p } = make();
    p.handle('bun', update(T0, [spike()]), T0);
    p.tick(T0 + NO_DATA_MS - 1);
    assert.equal(serverViews(p, T0 + NO_DATA_MS - 1)[0]?.state, 'firing');
    p.tick(T0 + NO_DATA_MS);
    const v = serverViews(p, T0 + NO_DATA_MS)[0];
    assert.equal(v?.state, 'resolved');
    assert.equal(v?.resolvedAt, T0 + NO_DATA_MS);
  });

  it('a source that keeps talking keeps its alert past the no-data window', () => {
    const { p } = make();
    for (let t = 0; t <= 3 * NO_DATA_MS; t += 5000) {
      p.handle('bun', update(T0 + t, [spike()]), T0 + t);
      p.tick(T0 + t + 1000);
    }
    assert.equal(serverViews(p, T0 + 3 * NO_DATA_MS)[0]?.state, 'firing');
  });

  it('dismiss, acknowledge and snooze hold while new UUIDs keep coming', () => {
    const { p, fired } = make();
    p.handle('bun', update(T0, [spike(), { type: 'error_rate', severity: 'critical', value: 7 }]), T0);
    const [a, b] = serverViews(p, T0);
    assert.ok(a && b);
    p.dismiss(a.id);
    p.snooze(b.id, '15m', T0);
    p.handle('bun', update(T0 + 5000, [spike(), { type: 'error_rate', severity: 'critical', value: 7 }]), T0 + 5000);
    assert.deepEqual(serverViews(p, T0 + 5000).map((v) => v.id), [b.id], 'the dismissed one stays hidden');
    assert.equal(p.alerts.firing(T0 + 5000).length, 0, 'the snoozed one is not firing()');
    assert.equal(fired.length, 1);
    p.acknowledge(b.id);
    p.handle('bun', update(T0 + 10_000, [spike(), { type: 'error_rate', severity: 'critical', value: 7 }]), T0 + 10_000);
    assert.equal(serverViews(p, T0 + 10_000)[0]?.acknowledged, true);
  });
});
