import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Labels } from '../../../../src/shared/views';
import type { Role, SeriesKind, Unit } from '../../../../src/shared/vocabulary';
import type { SeriesInfo } from '../../../../src/core/series/store';
import { summarize } from '../../../../src/core/views/summary';
import { convertUnit } from '../../../../src/core/series/units';
import type { CpuAcrossLabels } from '../../../../src/core/settings/settings';
import { Pipeline } from '../../../../src/core/pipeline';
import { PanelFeed } from '../../../../src/core/views/panelFeed';
import type { Logger } from '../../../../src/core/model';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusView } from '../../../../src/core/views/statusText';

function s(sourceId: string, name: string, role: Role | null, value: number | null, o: { kind?: SeriesKind; unit?: Unit; labels?: Labels; raw?: number } = {}): SeriesInfo {
  return {
    id: `${sourceId}|${name}${o.labels?.length ? JSON.stringify(o.labels) : ''}`,
    sourceId,
    name,
    labels: o.labels ?? [],
    kind: o.kind ?? 'gauge',
    unit: o.unit ?? 'none',
    role,
    raw: o.raw ?? value ?? 0,
    value,
    updatedAt: 0,
  };
}

type Summary = ReturnType<typeof summarize>;

/** Each field named in `expected` equals its value there. */
function assertFields(v: Summary, expected: Partial<Summary>): void {
  for (const [key, value] of Object.entries(expected)) assert.equal(v[key as keyof Summary], value, key);
}

describe('summarize', () => {
  it('is all null with no series', () => {
    const v = summarize([]);
    assert.ok(Object.values(v).every((x) => x === null));
  });

  it('finds the headline numbers by role', () => {
    const v = summarize([
      s('a', 'http.totalRequests', 'requests', 50, { kind: 'counter', raw: 1000 }),
      s('a', 'http.errors', 'errors', 1, { kind: 'counter', raw: 10 }),
      s('a', 'http.p95', 'latency', 0.12, { unit: 'seconds' }),
      s('a', 'ws.connections', 'connections', 7),
      s('a', 'http.pending', 'pending', 3),
      s('a', 'pubsub.subscribers', 'subscribers', 4),
      s('a', 'memory.heapUsed', 'heap', 100, { unit: 'bytes' }),
      s('a', 'memory.heapTotal', null, 300, { unit: 'bytes' }),
      s('a', 'memory.rss', 'rss', 500, { unit: 'bytes' }),
      s('a', 'cpu', 'cpu', 0.25, { unit: 'ratio' }),
      s('a', 'uptime', 'uptime', 120, { unit: 'seconds' }),
    ]);
    assert.ok(Math.abs((v.latencyMs ?? 0) - 120) < 1e-9);
    assertFields(v, { requestRate: 50, errorRatePct: 2, connections: 7, pending: 3, subscribers: 4, heapBytes: 100, heapTotalBytes: 300, rssBytes: 500, cpuPct: 25, uptimeSeconds: 120 });
  });

  it('sums across sources, takes the max of latency, CPU and uptime', () => {
    const v = summarize([
      s('a', 'rps', 'requestRate', 10, { unit: 'per_second' }),
      s('b', 'rps', 'requestRate', 30, { unit: 'per_second' }),
      s('a', 'lat', 'latency', 40, { unit: 'ms' }),
      s('b', 'lat', 'latency', 90, { unit: 'ms' }),
      s('a', 'conn', 'connections', 1),
      s('b', 'conn', 'connections', 2),
      s('a', 'up', 'uptime', 5000, { unit: 'ms' }),
    ]);
    assertFields(v, { requestRate: 40, latencyMs: 90, connections: 3, uptimeSeconds: 5 });
  });

  it('does not double count a source that sends a counter and a rate gauge', () => {
    const v = summarize([
      s('a', 'requests_total', 'requests', 20, { kind: 'counter' }),
      s('a', 'rps', 'requestRate', 21, { unit: 'per_second' }),
      s('b', 'rps', 'requestRate', 5, { unit: 'per_second' }),
    ]);
    assert.equal(v.requestRate, 25);
  });

  it('a total wins over its labeled breakdown; labeled series alone are summed', () => {
    const both = summarize([
      s('a', 'req', 'requests', 10, { kind: 'counter' }),
      s('a', 'req', 'requests', 4, { kind: 'counter', labels: [['path', '/a']] }),
      s('a', 'req', 'requests', 6, { kind: 'counter', labels: [['path', '/b']] }),
    ]);
    assert.equal(both.requestRate, 10);
    const labeled = summarize([
      s('a', 'req', 'requests', 4, { kind: 'counter', labels: [['path', '/a']] }),
      s('a', 'req', 'requests', 6, { kind: 'counter', labels: [['path', '/b']] }),
    ]);
    assert.equal(labeled.requestRate, 10);
  });

  it('error rate: the errorRate role wins, else errors / requests, null without requests', () => {
    assert.equal(summarize([s('a', 'err', 'errorRate', 3, { unit: 'percent' }), s('a', 'e', 'errors', 50, { kind: 'counter' }), s('a', 'r', 'requests', 100, { kind: 'counter' })]).errorRatePct, 3);
    assert.equal(summarize([s('a', 'err', 'errorRate', 0.03, { unit: 'ratio' })]).errorRatePct, 3);
    assert.equal(summarize([s('a', 'e', 'errors', 1, { kind: 'counter' }), s('a', 'r', 'requests', 0, { kind: 'counter' })]).errorRatePct, null);
    assert.equal(summarize([s('a', 'e', 'errors', 1, { kind: 'counter' })]).errorRatePct, null);
    // weighted by each source's request rate
    const v = summarize([
      s('a', 'err', 'errorRate', 10, { unit: 'percent' }),
      s('a', 'r', 'requestRate', 100, { unit: 'per_second' }),
      s('b', 'err', 'errorRate', 0, { unit: 'percent' }),
      s('b', 'r', 'requestRate', 300, { unit: 'per_second' }),
    ]);
    assert.equal(v.errorRatePct, 2.5);
  });

  it('counters without a rate yet and running-total gauges are not request rates', () => {
    const v = summarize([s('a', 'req', 'requests', null, { kind: 'counter', raw: 10 }), s('b', 'total', 'requests', 5000, { kind: 'gauge', unit: 'count' })]);
    assert.equal(v.requestRate, null);
  });

  it('a CPU-seconds counter is a percentage of one core', () => {
    assert.equal(summarize([s('a', 'process_cpu_seconds_total', 'cpu', 0.5, { kind: 'counter', unit: 'seconds' })]).cpuPct, 50);
  });

  it('goroutines are summed gauges; jobs is the rate of the completed-jobs counter', () => {
    const v = summarize([
      s('a', 'goroutines', 'goroutines', 42, { unit: 'count' }),
      s('b', 'system.memory.goroutines', 'goroutines', 8, { unit: 'count' }),
      s('a', 'jobs_completed', 'jobs', 0.5, { kind: 'counter', raw: 15 }),
      s('a', 'jobs_failed', 'jobsFailed', 0.1, { kind: 'counter', raw: 1 }),
    ]);
    assert.equal(v.goroutines, 50);
    assert.equal(v.jobRate, 0.5);
    assert.equal(summarize([s('a', 'jobs_completed', 'jobs', null, { kind: 'counter', raw: 15 })]).jobRate, null, 'no rate before the second sample');
    assert.equal(summarize([s('a', 'jobs_completed', 'jobs', 15, { unit: 'count' })]).jobRate, null, 'a running total as a gauge is no rate');
  });

  it('labelled heap series are summed and labelled CPU series give the busiest one (seed 002)', () => {
    const v = summarize([
      s('enc', 'memory_usage_bytes', 'heap', 45e6, { unit: 'bytes', labels: [['service', 'api']] }),
      s('enc', 'memory_usage_bytes', 'heap', 15e6, { unit: 'bytes', labels: [['service', 'worker']] }),
      s('enc', 'cpu_usage_percent', 'cpu', 45.7, { unit: 'percent', labels: [['cpu_id', '0'], ['service', 'api']] }),
      s('enc', 'cpu_usage_percent', 'cpu', 20, { unit: 'percent', labels: [['cpu_id', '1'], ['service', 'api']] }),
    ]);
    assert.equal(v.heapBytes, 60e6);
    assert.equal(v.cpuPct, 45.7);
  });

  it('labelled CPU series can be averaged or summed instead; a total still wins', () => {
    const cores = [
      s('enc', 'cpu_usage_percent', 'cpu', 60, { unit: 'percent', labels: [['cpu_id', '0']] }),
      s('enc', 'cpu_usage_percent', 'cpu', 20, { unit: 'percent', labels: [['cpu_id', '1']] }),
      s('go', 'cpu', 'cpu', 10, { unit: 'percent', labels: [['cpu_id', '0']] }),
    ];
    assert.equal(summarize(cores, undefined, { cpuAcrossLabels: 'max' }).cpuPct, 60);
    assert.equal(summarize(cores, undefined, { cpuAcrossLabels: 'avg' }).cpuPct, 40);
    assert.equal(summarize(cores, undefined, { cpuAcrossLabels: 'sum' }).cpuPct, 80);
    const withTotal = [...cores, s('enc', 'cpu_total', 'cpu', 35, { unit: 'percent' })];
    assert.equal(summarize(withTotal, new Set(['enc']), { cpuAcrossLabels: 'sum' }).cpuPct, 35);
  });

  it('an unlabelled CPU total wins over its labelled breakdown, even a busier one', () => {
    const v = summarize([
      s('a', 'cpu', 'cpu', 30, { unit: 'percent' }),
      s('a', 'cpu', 'cpu', 80, { unit: 'percent', labels: [['core', '0']] }),
      s('a', 'heap', 'heap', 100, { unit: 'bytes' }),
      s('a', 'heap', 'heap', 70, { unit: 'bytes', labels: [['space', 'old']] }),
      s('a', 'heap', 'heap', 30, { unit: 'bytes', labels: [['space', 'new']] }),
    ]);
    assert.equal(v.cpuPct, 30);
    assert.equal(v.heapBytes, 100);
  });

  it('filters by source ids', () => {
    const all = [s('a', 'c', 'connections', 1), s('b', 'c', 'connections', 2)];
    assert.equal(summarize(all, new Set(['b'])).connections, 2);
    assert.equal(summarize(all, new Set()).connections, null);
  });

  it('converts units of the same dimension only', () => {
    assert.equal(convertUnit(1.5, 'seconds', 'ms'), 1500);
    assert.equal(convertUnit(250, 'ms', 'seconds'), 0.25);
    assert.equal(convertUnit(0.5, 'ratio', 'percent'), 50);
    assert.equal(convertUnit(7, 'bytes', 'ms'), 7);
  });
});

describe('the headline through the pipeline (seed 002: labelled memory and CPU over Prometheus)', () => {
  const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const text = [
    '# TYPE memory_usage_bytes gauge',
    'memory_usage_bytes{service="my-api"} 45600000',
    'memory_usage_bytes{service="worker"} 1000000',
    '# TYPE cpu_usage_percent gauge',
    'cpu_usage_percent{service="my-api",cpu_id="0"} 34.5',
    'cpu_usage_percent{service="my-api",cpu_id="1"} 10.5',
    '',
  ].join('\n');

  function panelSummary(cpuAcrossLabels?: CpuAcrossLabels) {
    const p = new Pipeline(
      {
        store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 50 },
        noDataMode: 'alert',
        noDataAfterMs: 15_000,
        maxMessageChars: 1_000_000,
        ...(cpuAcrossLabels ? { summary: { cpuAcrossLabels } } : {}),
      },
      log,
    );
    p.setSources([{ id: 'enc', name: 'encore', url: 'http://127.0.0.1:1/metrics', kind: 'prometheus', format: 'prometheus', pollIntervalMs: 2000, headers: {}, scope: 'user' }]);
    p.handle('enc', text, 1000);
    const summary = new PanelFeed(p, () => []).snapshot(1000).summary;
    p.dispose();
    return summary;
  }

  it('heap is summed over services, CPU is the busiest core by default', () => {
    const v = panelSummary();
    assert.equal(v.heapBytes, 45600000 + 1000000, 'the panel rounds to 6 digits: these are exact');
    assert.equal(v.cpuPct, 34.5);
  });

  it('the pipeline options carry the CPU choice to the panel', () => {
    assert.equal(panelSummary('avg').cpuPct, 22.5);
    assert.equal(panelSummary('sum').cpuPct, 45);
  });
});

describe('seed 004: the daemon dashboard (uptime, memory, goroutines, requests, errors, response, WS clients, jobs)', () => {
  it('every number of the dashboard reaches the status bar', () => {
    const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const p = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 50 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log);
    p.setSources([{ id: 'd', name: 'hypervisord', url: 'ws://127.0.0.1:1/ws', kind: 'ws', format: 'auto', pollIntervalMs: 2000, headers: {}, scope: 'user' }]);
    const first = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'seeds', '004-daemon-metrics.json'), 'utf8')) as { timestamp: string; data: { raw: Record<string, number> } };
    const second = { ...first, timestamp: '2026-01-23T20:30:02Z', data: { raw: { ...first.data.raw, http_requests: 1260, http_errors: 6, jobs_completed: 16, uptime_seconds: 3602.5 } } };
    const t0 = Date.parse(first.timestamp);
    p.handle('d', JSON.stringify(first), t0);
    p.handle('d', JSON.stringify(second), t0 + 2000);
    const v = summarize(p.store.list());
    assertFields(v, { goroutines: 42, jobRate: 0.5, heapBytes: 52428800, uptimeSeconds: 3602.5, connections: 3 });
    const text = statusView({ summary: v, metrics: ['uptime', 'heap', 'goroutines', 'requestRate', 'errorRate', 'latency', 'connections', 'jobs'], sources: [{ name: 'hypervisord', state: { phase: 'open', since: 0 } }], alerts: [], now: 0 }).text;
    for (const part of ['up 1h 00m', '50 MiB', '42 gor', '5 req/s', '10 % err', '45 ms', '3 conn', '0.5 jobs/s']) assert.ok(text.includes(part), `${part} in ${text}`);
    p.dispose();
  });
});

describe('seeds 000 and 003: their dashboards come out of the headline', () => {
  const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  function headlineOf(fixture: string) {
    const p = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 500 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log);
    p.setSources([{ id: 's', name: 's', url: 'http://127.0.0.1:1/', kind: 'http-json', format: 'auto', pollIntervalMs: 2000, headers: {}, scope: 'user' }]);
    p.handle('s', readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'seeds', fixture), 'utf8'), 1000);
    const v = summarize(p.store.list());
    p.dispose();
    return v;
  }

  it('000 metrics-stream gauges: pending requests, WebSocket conns, subscribers, heap used', () => {
    const v = headlineOf('000-live-metrics.json');
    assert.deepEqual([v.pending, v.connections, v.subscribers, v.heapBytes], [2, 5, 5, 52428800]);
  });

  it('003 metrics tab: memory, CPU, connections (and goroutines)', () => {
    const v = headlineOf('003-metrics-enhanced.json');
    assert.deepEqual([v.heapBytes, v.cpuPct, v.connections, v.goroutines], [8 * 1024 * 1024, 12.5, 5, 25]);
  });
});
