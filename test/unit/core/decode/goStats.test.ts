import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Decoded, Sample } from '../../../../src/core/model';

// Seed 003's shapes with other values; test/unit/core/decode/seed003.test.ts holds the seed's own examples.
const dir = join(__dirname, '..', '..', '..', 'fixtures', 'formats');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const stats = read('go-stats-stats.json');
const enhanced = read('go-stats-enhanced.json');
const system = read('go-stats-system.json');
const MIB = 1024 * 1024;

function decoded(payload: string, hint: 'go-stats' | 'auto' = 'go-stats', now?: number): Decoded {
  const r = decodeMessage(payload, hint, now === undefined ? {} : { now });
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.format, 'go-stats');
  return r.value;
}

function meta(samples: readonly Sample[], name: string): [number, string, string, string | undefined] | undefined {
  const s = samples.find((x) => x.name === name);
  return s && [s.value, s.kind, s.unit, s.role];
}

describe('go-stats decoder', () => {
  it('decodes /stats: nested roles, unknown blocks typed by name, booleans skipped', () => {
    for (const hint of ['go-stats', 'auto'] as const) {
      const d = decoded(stats, hint);
      assert.deepEqual(meta(d.samples, 'connections.active'), [2, 'gauge', 'count', 'connections']);
      assert.deepEqual(meta(d.samples, 'system.memory.heap_alloc'), [4194304, 'gauge', 'bytes', 'heap']);
      assert.deepEqual(meta(d.samples, 'system.goroutines'), [21, 'gauge', 'count', 'goroutines']);
      assert.deepEqual(meta(d.samples, 'uptime_seconds'), [3600, 'gauge', 'seconds', 'uptime']);
      assert.deepEqual(meta(d.samples, 'nats.reconnects'), [1, 'gauge', 'none', undefined]);
      assert.deepEqual(meta(d.samples, 'hub.rooms'), [3, 'gauge', 'none', undefined]);
      assert.equal(meta(d.samples, 'nats.connected'), undefined);
      assert.equal(d.samples.length, 9);
    }
  });

  it('decodes /metrics/enhanced: every *_mb field as bytes, last_update as the message time', () => {
    const d = decoded(enhanced, 'auto');
    assert.equal(d.timestamp, 1763888400_000, 'last_update, when the collector measured, not timestamp');
    for (const key of ['heap_alloc', 'heap_sys', 'heap_idle', 'heap_inuse', 'heap_released', 'stack_inuse', 'sys_total']) {
      const s = meta(d.samples, `system.memory.${key}_bytes`);
      assert.equal(s?.[2], 'bytes', key);
      assert.equal(d.samples.some((x) => x.name === `system.memory.${key}_mb`), false, key);
    }
    assert.deepEqual(meta(d.samples, 'system.memory.sys_total_bytes'), [16 * MIB, 'gauge', 'bytes', undefined]);
    assert.deepEqual(meta(d.samples, 'system.memory.heap_alloc_bytes'), [4 * MIB, 'gauge', 'bytes', 'heap']);
    assert.deepEqual(meta(d.samples, 'connections.bytes_recv_total'), [65432, 'counter', 'bytes', undefined]);
    assert.deepEqual(meta(d.samples, 'system.memory.gc_cpu_percent'), [0.12, 'gauge', 'percent', undefined]);
    for (const s of d.samples) assert.ok(!/timestamp|last_update/.test(s.name), s.name);
    assert.equal(d.samples.filter((s) => s.role !== undefined).length, 5);
  });

  it('decodes the connections table from duration_sec / idle_sec / *_recv', () => {
    const d = decoded(enhanced, 'auto');
    assert.deepEqual(d.connections, [
      { id: 'c1', remoteAddress: '127.0.0.1:53422', durationSeconds: 60, messagesIn: 9, messagesOut: 10, bytesIn: 900, bytesOut: 1000, idleSeconds: 2 },
      { id: 'c2', remoteAddress: '[::1]:60111', durationSeconds: 1800.5, messagesIn: 240, messagesOut: 250, bytesIn: 24000, bytesOut: 50000, idleSeconds: 30.25 },
    ]);
  });

  it('decodes /metrics/system, recognised by its system and performance blocks', () => {
    const d = decoded(system, 'auto');
    assert.equal(d.timestamp, 1763888400_000);
    assert.deepEqual(meta(d.samples, 'system.cpu.percent'), [7.5, 'gauge', 'percent', 'cpu']);
    assert.deepEqual(meta(d.samples, 'system.memory.goroutines'), [21, 'gauge', 'count', 'goroutines']);
    assert.deepEqual(meta(d.samples, 'performance.goroutines'), [21, 'gauge', 'count', undefined]);
    assert.deepEqual(meta(d.samples, 'system.memory.gc_count'), [42, 'counter', 'count', undefined]);
    assert.equal(decoded('{"performance":{"goroutines":3}}', 'auto').samples.length, 1);
    // A bare snapshot's `system` holds numbers, not blocks: not go-stats.
    const snapshotLike = decodeMessage('{"system":{"uptime":1,"memory":2,"cpu":3}}', 'auto');
    assert.ok(snapshotLike.ok);
    assert.notEqual(snapshotLike.value.format, 'go-stats');
  });

  it('still reads the older flat shape (connection_list, top-level memory/gc, ns → ms)', () => {
    const now = Date.parse('2025-11-23T10:00:00Z');
    const flat = {
      active_connections: 3,
      total_connections: 9,
      goroutines: 12,
      memory: { heap_alloc: 1024, sys: 4096 },
      gc: { num_gc: 4, pause_total_ns: 2_000_000 },
      connection_list: [{ id: 'x', remote_addr: 'a:1', connected_at: '2025-11-23T09:59:00Z', messages_received: 3, last_activity: '2025-11-23T09:59:50Z' }],
    };
    const d = decoded(JSON.stringify(flat), 'auto', now);
    assert.deepEqual(meta(d.samples, 'active_connections'), [3, 'gauge', 'count', 'connections']);
    assert.deepEqual(meta(d.samples, 'goroutines'), [12, 'gauge', 'count', 'goroutines']);
    assert.deepEqual(meta(d.samples, 'memory.heap_alloc'), [1024, 'gauge', 'bytes', 'heap']);
    assert.deepEqual(meta(d.samples, 'gc.pause_total_ms'), [2, 'counter', 'ms', undefined]);
    assert.deepEqual(d.connections, [
      { id: 'x', remoteAddress: 'a:1', connectedAt: now - 60_000, durationSeconds: 60, messagesIn: 3, idleSeconds: 10 },
    ]);
  });

  it('synthesizes ids, drops negative seconds and caps rows at 2000', () => {
    const list = Array.from({ length: 2500 }, (_, i) => ({ remote_addr: `10.0.0.${i % 250}:1`, duration_sec: i === 7 ? -1 : 5, messages_sent: String(i) }));
    const d = decoded(JSON.stringify({ connections: { active: 2500, connections: list } }), 'go-stats');
    assert.equal(d.connections?.length, 2000);
    assert.deepEqual(d.connections?.[7], { id: '#8', remoteAddress: '10.0.0.7:1', messagesOut: 7 });
    assert.deepEqual(d.connections?.[8], { id: '#9', remoteAddress: '10.0.0.8:1', durationSeconds: 5, messagesOut: 8 });
    assert.deepEqual(d.samples.map((s) => s.name), ['connections.active']);
  });

  it('refuses objects with no go-stats fields when forced', () => {
    const r = decodeMessage('{"hello":"world"}', 'go-stats');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /go-stats/);
  });
});
