import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { guessKind, guessSeries, guessUnit, inferSeries, isTimestampName, nameWords, prometheusRole } from '../../../../src/core/decode/roles';

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
      // Seed 003's names.
      ['connections.avg_duration_sec', 'seconds'],
      ['duration_sec', 'seconds'],
      ['idle_sec', 'seconds'],
      ['connections.bytes_sent_total', 'bytes'],
      ['bytes_recv_total', 'bytes'],
      ['messages_recv_total', 'count'],
      ['system.memory.gc_cpu_percent', 'percent'],
      ['system.memory.heap_alloc', 'bytes'],
      ['system.memory.goroutines', 'count'],
      ['system.cpu.cores', 'count'],
      ['performance.active_conns', 'count'],
      // Not bytes until scaled: inferSeries does that.
      ['performance.memory_mb', 'none'],
      ['cache_kb', 'none'],
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
    assert.deepEqual(guessSeries('goroutines'), { kind: 'gauge', unit: 'count', role: 'goroutines' });
    assert.deepEqual(guessSeries('jobs_completed'), { kind: 'counter', unit: 'count', role: 'jobs' });
    assert.deepEqual(guessSeries('jobs_failed'), { kind: 'counter', unit: 'count', role: 'jobsFailed' });
    assert.deepEqual(guessSeries('vector.sessions.websocketSubscribers'), { kind: 'gauge', unit: 'count', role: 'subscribers' });
    assert.deepEqual(guessSeries('memory_usage'), { kind: 'gauge', unit: 'bytes', role: 'heap' });
  });

  it('restates KiB/MiB/GiB names as bytes, scaling the value (binary multiples)', () => {
    const cases: Array<[string, string, number]> = [
      ['system.memory.heap_alloc_mb', 'system.memory.heap_alloc_bytes', 1024 ** 2],
      ['performance.memory_mb', 'performance.memory_bytes', 1024 ** 2],
      ['buffer_kb', 'buffer_bytes', 1024],
      ['heapUsedMB', 'heapUsedBytes', 1024 ** 2],
      ['disk-free-GiB', 'disk-free-bytes', 1024 ** 3],
      ['spill_mb_total', 'spill_bytes_total', 1024 ** 2],
    ];
    for (const [name, renamed, scale] of cases) {
      const got = inferSeries(name);
      assert.deepEqual([got.name, got.unit, got.scale], [renamed, 'bytes', scale], name);
    }
    assert.equal(inferSeries('spill_mb_total').kind, 'counter');
    assert.deepEqual(inferSeries('cpu_percent'), { kind: 'gauge', unit: 'percent', role: 'cpu', name: 'cpu_percent', scale: 1 });
    assert.deepEqual(inferSeries('mb'), { kind: 'gauge', unit: 'none', name: 'mb', scale: 1 });
  });

  it('knows points in time by their last segment', () => {
    for (const name of ['timestamp', 'last_update', 'data.lastUpdated', 'row.updated_at', 'ts']) assert.equal(isTimestampName(name), true, name);
    for (const name of ['uptime_seconds', 'response_time', 'timestamps_total', 'last_update.count']) assert.equal(isTimestampName(name), false, name);
  });

  it('gives Prometheus families their role by name alone', () => {
    assert.equal(prometheusRole('memory_usage_bytes'), 'heap');
    assert.equal(prometheusRole('cpu_usage_percent'), 'cpu');
    assert.equal(prometheusRole('go_goroutines'), 'goroutines');
    assert.equal(prometheusRole('http_requests_total'), undefined);
  });
});
