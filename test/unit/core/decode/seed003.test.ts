// Seed 003 (Go WebSocket server stats): /stats, /metrics/enhanced, /metrics/system decode to exactly these series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Decoded } from '../../../../src/core/model';
import type { FormatHint } from '../../../../src/shared/vocabulary';
import { decodedAs, plainRows as rows, seedFixture } from './seedRows';
import type { PlainRow as Row } from './seedRows';

// Verbatim from the seed. /stats elides `"nats": {...}` and `"hub": {...}`, and /metrics/system
// `"memory": {...}` and `"cpu": {...}`: the fixtures fill them with small plausible objects (NATS
// message counts, hub clients/rooms, and a subset of the memory/cpu blocks /metrics/enhanced shows).
const stats = seedFixture('003-stats.json');
const enhanced = seedFixture('003-metrics-enhanced.json');
const system = seedFixture('003-metrics-system.json');

const MIB = 1024 * 1024;
const SECONDS = 1703123456;

const decoded = (payload: string, hint: FormatHint): Decoded => decodedAs(payload, hint, 'go-stats');

/** /metrics/enhanced and /metrics/system alike: heap, cpu and goroutines from system, their performance twins without a role. */
const runtimeRows: Row[] = [
  ['system.memory.heap_alloc_bytes', 8 * MIB, 'gauge', 'bytes', 'heap'],
  ['performance.memory_bytes', 8 * MIB, 'gauge', 'bytes', undefined],
  ['system.cpu.percent', 12.5, 'gauge', 'percent', 'cpu'],
  ['performance.cpu_percent', 12.5, 'gauge', 'percent', undefined],
  ['system.memory.goroutines', 25, 'gauge', 'count', 'goroutines'],
  ['performance.goroutines', 25, 'gauge', 'count', undefined],
];

describe('seed 003: Go WebSocket server stats', () => {
  it('/stats: nested heap and goroutines get their roles; unknown blocks become series', () => {
    for (const hint of ['auto', 'go-stats'] as const) {
      const d = decoded(stats, hint);
      assert.equal(d.timestamp, undefined);
      assert.equal(d.connections, undefined);
      assert.deepEqual(rows(d), [
        ['connections.active', 5, 'gauge', 'count', 'connections'],
        ['system.memory.heap_alloc', 8388608, 'gauge', 'bytes', 'heap'],
        ['system.goroutines', 25, 'gauge', 'count', 'goroutines'],
        ['uptime_seconds', 120.5, 'gauge', 'seconds', 'uptime'],
        ['nats.in_msgs', 1200, 'gauge', 'none', undefined],
        ['nats.out_msgs', 950, 'gauge', 'none', undefined],
        ['hub.clients', 5, 'gauge', 'count', undefined],
        ['hub.rooms', 2, 'gauge', 'none', undefined],
      ]);
    }
  });

  it('/metrics/enhanced: MiB as bytes, byte counters, seconds, one series per role, timestamps not charted', () => {
    for (const hint of ['auto', 'go-stats'] as const) {
      const d = decoded(enhanced, hint);
      assert.equal(d.timestamp, SECONDS * 1000);
      assert.deepEqual(rows(d), [
        ['connections.active', 5, 'gauge', 'count', 'connections'],
        ['performance.active_conns', 5, 'gauge', 'count', undefined],
        ...runtimeRows,
        ['uptime_seconds', 120.5, 'gauge', 'seconds', 'uptime'],
        ['connections.total', 15, 'counter', 'count', undefined],
        ['connections.peak', 8, 'gauge', 'count', undefined],
        ['connections.messages_sent_total', 1250, 'counter', 'count', undefined],
        ['connections.messages_recv_total', 340, 'counter', 'count', undefined],
        ['connections.bytes_sent_total', 125000, 'counter', 'bytes', undefined],
        ['connections.bytes_recv_total', 34000, 'counter', 'bytes', undefined],
        ['connections.avg_duration_sec', 45.2, 'gauge', 'seconds', undefined],
        ['system.memory.gc_count', 5, 'counter', 'count', undefined],
        ['system.memory.gc_cpu_percent', 0.05, 'gauge', 'percent', undefined],
        ['system.cpu.cores', 8, 'gauge', 'count', undefined],
        ['system.memory.heap_sys_bytes', 12.5 * MIB, 'gauge', 'bytes', undefined],
        ['system.memory.heap_idle_bytes', 4.5 * MIB, 'gauge', 'bytes', undefined],
        ['system.memory.heap_inuse_bytes', 8 * MIB, 'gauge', 'bytes', undefined],
        ['system.memory.heap_released_bytes', 0, 'gauge', 'bytes', undefined],
        ['system.memory.stack_inuse_bytes', 0.5 * MIB, 'gauge', 'bytes', undefined],
        ['system.memory.sys_total_bytes', 16.2 * MIB, 'gauge', 'bytes', undefined],
      ]);
    }
  });

  it('/metrics/enhanced: connections[] is the connections table, never series', () => {
    const d = decoded(enhanced, 'auto');
    assert.deepEqual(d.connections, [
      {
        id: 'client_abc123',
        remoteAddress: '192.168.1.100:54321',
        durationSeconds: 67.3,
        messagesIn: 12,
        messagesOut: 45,
        bytesIn: 1200,
        bytesOut: 4500,
        idleSeconds: 2.1,
      },
    ]);
    assert.equal(d.samples.some((s) => s.name.startsWith('connections.connections')), false);
  });

  it('/metrics/enhanced with 300 connections: 300 table rows, the same 25 series', () => {
    const doc = JSON.parse(enhanced) as { connections: { connections: Array<Record<string, unknown>> } };
    const [row] = doc.connections.connections;
    assert.ok(row);
    doc.connections.connections = Array.from({ length: 300 }, (_, i) => ({ ...row, id: `client_${i}`, bytes_recv: i }));
    const d = decoded(JSON.stringify(doc), 'auto');
    assert.equal(d.connections?.length, 300);
    assert.deepEqual(d.connections?.[299], { ...d.connections?.[0], id: 'client_299', bytesIn: 299 });
    assert.equal(d.samples.length, 25);
  });

  it('/metrics/system: recognised without a connections block; performance stands in for connections', () => {
    for (const hint of ['auto', 'go-stats'] as const) {
      const d = decoded(system, hint);
      assert.equal(d.timestamp, SECONDS * 1000);
      assert.equal(d.connections, undefined);
      assert.deepEqual(rows(d), [
        ['performance.active_conns', 5, 'gauge', 'count', 'connections'],
        ...runtimeRows,
        ['system.memory.gc_count', 5, 'counter', 'count', undefined],
        ['system.cpu.cores', 8, 'gauge', 'count', undefined],
        ['system.memory.heap_sys_bytes', 12.5 * MIB, 'gauge', 'bytes', undefined],
      ]);
    }
  });

  it('/metrics/system with the seed\'s empty placeholders: performance.* takes the roles', () => {
    const d = decoded(JSON.stringify({ timestamp: SECONDS, system: { memory: {}, cpu: {} }, performance: { memory_mb: 8.0, cpu_percent: 12.5, goroutines: 25, active_conns: 5 } }), 'auto');
    assert.deepEqual(rows(d), [
      ['performance.active_conns', 5, 'gauge', 'count', 'connections'],
      ['performance.memory_bytes', 8 * MIB, 'gauge', 'bytes', 'heap'],
      ['performance.cpu_percent', 12.5, 'gauge', 'percent', 'cpu'],
      ['performance.goroutines', 25, 'gauge', 'count', 'goroutines'],
    ]);
  });

  it('roles follow the seed, not key order: Go sorts map keys, so performance comes before system', () => {
    const doc = JSON.parse(enhanced) as Record<string, unknown>;
    const sorted = Object.fromEntries(Object.keys(doc).sort().map((k) => [k, doc[k]]));
    const d = decoded(JSON.stringify(sorted), 'auto');
    const byRole = Object.fromEntries(d.samples.filter((s) => s.role !== undefined).map((s) => [s.role, s.name]));
    assert.deepEqual(byRole, {
      connections: 'connections.active',
      heap: 'system.memory.heap_alloc_bytes',
      cpu: 'system.cpu.percent',
      goroutines: 'system.memory.goroutines',
      uptime: 'uptime_seconds',
    });
  });
});
