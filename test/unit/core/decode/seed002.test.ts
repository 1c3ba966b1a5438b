// Seed 002 (Encore labelled metrics): a Prometheus scrape of the seed's example decodes to exactly these series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decoded, rows, seedFixture } from './seedRows';

// The seed's "Example Output" (GET 200 requests: 2, memory 45678912 bytes, CPU 0 34.5 %) as the
// Prometheus text exposition of its schemas: static labels service/version, dynamic status_code/method/cpu_id.
const scrape = seedFixture('002-encore-metrics.txt');

describe('seed 002: Encore labelled metrics over Prometheus', () => {
  it('keeps every label, and the labelled heap and CPU gauges carry their roles', () => {
    for (const hint of ['auto', 'prometheus'] as const) {
      const d = decoded(scrape, hint);
      assert.equal(d.format, 'prometheus');
      const mine = rows(d).filter(([name]) => !name.startsWith('http_requests_') || name === 'http_requests_total');
      assert.deepEqual(mine, [
        ['http_requests_total', [['method', 'GET'], ['service', 'my-api'], ['status_code', '200'], ['version', '1.0']], 2, 'counter', 'count', undefined],
        ['memory_usage_bytes', [['service', 'my-api']], 45678912, 'gauge', 'bytes', 'heap'],
        ['cpu_usage_percent', [['cpu_id', '0'], ['service', 'my-api']], 34.5, 'gauge', 'percent', 'cpu'],
      ]);
      // The request total across labels carries the requests role (the Prometheus decoder's aggregate).
      assert.deepEqual(
        d.samples.filter((s) => s.role === 'requests').map((s) => [s.name, s.value, s.kind]),
        [['http_requests_all_total', 2, 'counter']],
      );
    }
  });

  it('gives the role to every labelled series of the family, never to a second name', () => {
    const more = scrape
      .replace(/^(memory_usage_bytes.*)$/m, '$1\nmemory_usage_bytes{service="billing"} 1000')
      .replace(/^(cpu_usage_percent.*)$/m, '$1\ncpu_usage_percent{cpu_id="1",service="my-api"} 50')
      .concat('# TYPE go_memstats_heap_alloc_bytes gauge\ngo_memstats_heap_alloc_bytes 2000\n');
    const d = decoded(more, 'prometheus');
    const byRole = (role: string): string[] => d.samples.filter((s) => s.role === role).map((s) => `${s.name}${JSON.stringify(s.labels)}`);
    assert.deepEqual(byRole('heap'), ['memory_usage_bytes[["service","my-api"]]', 'memory_usage_bytes[["service","billing"]]']);
    assert.deepEqual(byRole('cpu'), ['cpu_usage_percent[["cpu_id","0"],["service","my-api"]]', 'cpu_usage_percent[["cpu_id","1"],["service","my-api"]]']);
    const heapAlloc = d.samples.find((s) => s.name === 'go_memstats_heap_alloc_bytes');
    assert.deepEqual(heapAlloc && [heapAlloc.value, heapAlloc.unit, heapAlloc.role], [2000, 'bytes', undefined]);
  });

  it('never multiplies a percent: 34.5 stays 34.5', () => {
    const cpu = decoded(scrape, 'auto').samples.find((s) => s.name === 'cpu_usage_percent');
    assert.equal(cpu?.value, 34.5);
    assert.equal(cpu?.unit, 'percent');
  });
});
