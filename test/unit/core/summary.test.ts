import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Labels, Role, SeriesKind, Unit } from '../../../src/core/model';
import type { SeriesInfo } from '../../../src/core/store';
import { convertUnit, summarize } from '../../../src/core/summary';

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
    assert.equal(v.requestRate, 50);
    assert.ok(Math.abs((v.latencyMs ?? 0) - 120) < 1e-9);
    assert.equal(v.errorRatePct, 2);
    assert.equal(v.connections, 7);
    assert.equal(v.pending, 3);
    assert.equal(v.subscribers, 4);
    assert.equal(v.heapBytes, 100);
    assert.equal(v.heapTotalBytes, 300);
    assert.equal(v.rssBytes, 500);
    assert.equal(v.cpuPct, 25);
    assert.equal(v.uptimeSeconds, 120);
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
    assert.equal(v.requestRate, 40);
    assert.equal(v.latencyMs, 90);
    assert.equal(v.connections, 3);
    assert.equal(v.uptimeSeconds, 5);
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
