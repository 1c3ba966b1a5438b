import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headline } from '../../src/core/headline';
import type { SeriesInfo } from '../../src/core/store';
import type { Role } from '../../src/core/model';

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
