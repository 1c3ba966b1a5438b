import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headline, labelBreakdown, LiveHeadline, STATUS_ROLE } from '../../../../src/core/views/headline';
import type { SeriesInfo } from '../../../../src/core/series/store';
import type { Role } from '../../../../src/shared/vocabulary';

function s(sourceId: string, name: string, role: Role | null, value: number, unit: SeriesInfo['unit'] = 'count'): SeriesInfo {
  return { id: `${sourceId}|${name}`, sourceId, name, labels: [], kind: 'gauge', unit, role, raw: value, value, updatedAt: 0 };
}

test('several sources on one server are not summed: first source in settings order wins, per metric', () => {
  const series = [
    s('bun', 'memory.heapUsed', 'heap', 30e6, 'bytes'),
    s('bun', 'memory.heapTotal', null, 60e6, 'bytes'),
    s('daemon', 'memory_usage', 'heap', 50e6, 'bytes'),
    s('daemon', 'active_connections', 'connections', 7),
    s('bun', 'websockets.pendingConnections', 'connections', 4),
    s('prom', 'cpu', 'cpu', 12, 'percent'),
  ];
  const h = headline(series, ['daemon', 'bun', 'prom']);
  assert.equal(h.heapBytes, 50e6);
  assert.equal(h.heapTotalBytes, null, 'the total comes from the same source as the heap');
  assert.equal(h.connections, 7);
  assert.equal(h.cpuPct, 12, 'a metric only one source has is taken from it');
  const other = headline(series, ['bun', 'daemon', 'prom']);
  assert.equal(other.heapBytes, 30e6);
  assert.equal(other.heapTotalBytes, 60e6);
  assert.equal(other.connections, 4);
});

test('goroutines and the job rate come from the first source that has them', () => {
  const rate = (sourceId: string, name: string, value: number): SeriesInfo => ({ ...s(sourceId, name, 'jobs', value), kind: 'counter', raw: 100 });
  const series = [s('go', 'system.memory.goroutines', 'goroutines', 25), s('daemon', 'goroutines', 'goroutines', 42), rate('daemon', 'jobs_completed', 0.5)];
  const h = headline(series, ['daemon', 'go']);
  assert.equal(h.goroutines, 42);
  assert.equal(h.jobRate, 0.5);
  const other = headline(series, ['go', 'daemon']);
  assert.equal(other.goroutines, 25);
  assert.equal(other.jobRate, 0.5);
});

test('the breakdown lists the labelled series of the source the headline comes from, never next to a total', () => {
  const l = (sourceId: string, name: string, role: Role, value: number, labels: Array<[string, string]>): SeriesInfo => ({ ...s(sourceId, name, role, value, role === 'heap' ? 'bytes' : 'percent'), id: `${sourceId}|${name}${JSON.stringify(labels)}`, labels });
  const series = [
    l('enc', 'memory_usage_bytes', 'heap', 45e6, [['service', 'api']]),
    l('enc', 'memory_usage_bytes', 'heap', 15e6, [['service', 'worker']]),
    l('enc', 'cpu_usage_percent', 'cpu', 45.7, [['cpu_id', '0'], ['service', 'api']]),
    s('bun', 'memory.heapUsed', 'heap', 30e6, 'bytes'),
  ];
  assert.deepEqual(labelBreakdown(series, ['enc', 'bun'], 'heap'), [
    { label: 'service=api', value: 45e6 },
    { label: 'service=worker', value: 15e6 },
  ]);
  assert.deepEqual(labelBreakdown(series, ['enc', 'bun'], 'cpu'), [{ label: 'cpu_id=0, service=api', value: 45.7 }]);
  assert.equal(labelBreakdown(series, ['bun', 'enc'], 'heap'), undefined, 'the first source sends an unlabelled total');
  assert.equal(labelBreakdown(series, ['enc'], 'latency'), undefined, 'latency is the worst series, not a combination');
  assert.equal(STATUS_ROLE.jobs, 'jobs');
});

test('the CPU choice reaches every source of a multi-source headline', () => {
  const core = (sourceId: string, id: string, value: number): SeriesInfo => ({ ...s(sourceId, 'cpu_usage_percent', 'cpu', value, 'percent'), id: `${sourceId}|cpu${id}`, labels: [['cpu_id', id]] });
  const series = [core('enc', '0', 70), core('enc', '1', 10), s('bun', 'memory.heapUsed', 'heap', 1, 'bytes')];
  assert.equal(headline(series, ['bun', 'enc']).cpuPct, 70);
  assert.equal(headline(series, ['bun', 'enc'], { cpuAcrossLabels: 'avg' }).cpuPct, 40);
  assert.equal(headline(series, ['enc'], { cpuAcrossLabels: 'sum' }).cpuPct, 80);
});

test('the live headline is computed when read, and again only after the store changed', () => {
  let series = [s('a', 'heap', 'heap', 10e6, 'bytes'), s('b', 'heap', 'heap', 30e6, 'bytes'), s('b', 'conns', 'connections', 3)];
  let lists = 0;
  const store = {
    version: 0,
    list: () => {
      lists++;
      return series;
    },
  };
  const live = new LiveHeadline(store);
  assert.deepEqual(live.read(['b', 'a']), headline(series, ['b', 'a']));
  assert.equal(live.read(['a', 'b']).heapBytes, 10e6, 'another order, from the same sums');
  assert.equal(live.readSource('b').connections, 3);
  assert.equal(live.read(['b', 'a']), live.read(['b', 'a']), 'the same view while nothing changed');
  assert.equal(lists, 1, 'the series were listed once for all these reads');

  series = [s('a', 'heap', 'heap', 20e6, 'bytes')];
  store.version++;
  assert.equal(live.read(['b', 'a']).heapBytes, 20e6);
  assert.equal(live.readSource('b').connections, null);
  assert.equal(lists, 2);
});
