import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { guessKind, guessSeries, guessUnit, nameWords } from '../../../src/core/decode/roles';

describe('name heuristics', () => {
  it('splits names into words across separators and camelCase', () => {
    assert.deepEqual(nameWords('memory.heapUsed'), ['memory', 'heap', 'used']);
    assert.deepEqual(nameWords('http_request-duration.Seconds'), ['http', 'request', 'duration', 'seconds']);
  });

  it('marks _total and _count as counters, nothing else', () => {
    assert.equal(guessKind('jobs_total'), 'counter');
    assert.equal(guessKind('items_count'), 'counter');
    assert.equal(guessKind('heapTotal'), 'gauge');
    assert.equal(guessKind('total'), 'gauge');
  });

  it('guesses units from suffixes', () => {
    const cases: Array<[string, string]> = [
      ['cache_size_bytes', 'bytes'],
      ['memory_usage', 'bytes'],
      ['process_cpu_seconds_total', 'seconds'],
      ['uptime', 'seconds'],
      ['gc_pause_ms', 'ms'],
      ['avg_response_time', 'ms'],
      ['p95Latency', 'ms'],
      ['disk_used_percent', 'percent'],
      ['hit_ratio', 'ratio'],
      ['messages_per_second', 'per_second'],
      ['http_requests_total', 'count'],
      ['items_count', 'count'],
      ['items', 'none'],
      ['errorRate', 'none'],
    ];
    for (const [name, unit] of cases) assert.equal(guessUnit(name), unit, name);
  });

  it('gives roles only to unambiguous names whose unit agrees', () => {
    assert.deepEqual(guessSeries('requests_total'), { kind: 'counter', unit: 'count', role: 'requests' });
    assert.deepEqual(guessSeries('activeConnections'), { kind: 'gauge', unit: 'count', role: 'connections' });
    assert.deepEqual(guessSeries('latency_ms'), { kind: 'gauge', unit: 'ms', role: 'latency' });
    assert.deepEqual(guessSeries('uptime_seconds'), { kind: 'gauge', unit: 'seconds', role: 'uptime' });
    assert.deepEqual(guessSeries('latency_seconds'), { kind: 'gauge', unit: 'seconds' });
    assert.deepEqual(guessSeries('queue.depth'), { kind: 'gauge', unit: 'none' });
  });
});
