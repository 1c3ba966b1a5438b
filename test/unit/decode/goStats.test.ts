import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../src/core/decode/decode';
import type { Decoded, Sample } from '../../../src/core/model';

const dir = join(__dirname, '..', '..', 'fixtures', 'formats');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const stats = read('go-stats-stats.json');
const enhanced = read('go-stats-enhanced.json');
const system = read('go-stats-system.json');

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
  it('decodes /stats', () => {
    const raw = JSON.parse(stats) as Record<string, number>;
    for (const hint of ['go-stats', 'auto'] as const) {
      const d = decoded(stats, hint);
      assert.deepEqual(meta(d.samples, 'active_connections'), [raw.active_connections, 'gauge', 'count', 'connections']);
      assert.deepEqual(meta(d.samples, 'total_connections'), [raw.total_connections, 'counter', 'count', undefined]);
      assert.deepEqual(meta(d.samples, 'messages_sent'), [raw.messages_sent, 'counter', 'count', undefined]);
      assert.deepEqual(meta(d.samples, 'messages_received'), [raw.messages_received, 'counter', 'count', undefined]);
      assert.deepEqual(meta(d.samples, 'uptime_seconds'), [raw.uptime_seconds, 'gauge', 'seconds', 'uptime']);
      assert.deepEqual(meta(d.samples, 'goroutines'), [raw.goroutines, 'gauge', 'count', undefined]);
      assert.equal(d.samples.length, Object.keys(raw).length);
    }
  });

  it('decodes /metrics/system with roles, counters and ns → ms', () => {
    const raw = JSON.parse(system) as {
      memory: Record<string, number>;
      gc: Record<string, number>;
      cpu: Record<string, number>;
      goroutines: number;
      uptime_seconds: number;
    };
    const d = decoded(system, 'auto');
    assert.deepEqual(meta(d.samples, 'memory.heap_alloc'), [raw.memory.heap_alloc, 'gauge', 'bytes', 'heap']);
    assert.deepEqual(meta(d.samples, 'memory.sys'), [raw.memory.sys, 'gauge', 'bytes', 'rss']);
    assert.deepEqual(meta(d.samples, 'memory.total_alloc'), [raw.memory.total_alloc, 'counter', 'bytes', undefined]);
    assert.deepEqual(meta(d.samples, 'memory.heap_objects'), [raw.memory.heap_objects, 'gauge', 'count', undefined]);
    assert.deepEqual(meta(d.samples, 'gc.num_gc'), [raw.gc.num_gc, 'counter', 'count', undefined]);
    assert.deepEqual(meta(d.samples, 'gc.pause_total_ms'), [(raw.gc.pause_total_ns ?? 0) / 1e6, 'counter', 'ms', undefined]);
    assert.deepEqual(meta(d.samples, 'gc.last_pause_ms'), [(raw.gc.last_pause_ns ?? 0) / 1e6, 'gauge', 'ms', undefined]);
    assert.deepEqual(meta(d.samples, 'gc.gc_cpu_fraction'), [raw.gc.gc_cpu_fraction, 'gauge', 'ratio', undefined]);
    assert.deepEqual(meta(d.samples, 'cpu.usage_percent'), [raw.cpu.usage_percent, 'gauge', 'percent', 'cpu']);
    assert.deepEqual(meta(d.samples, 'cpu.num_cpu'), [raw.cpu.num_cpu, 'gauge', 'count', undefined]);
    assert.deepEqual(meta(d.samples, 'uptime_seconds'), [raw.uptime_seconds, 'gauge', 'seconds', 'uptime']);
    for (const key of Object.keys(raw.memory)) assert.ok(meta(d.samples, `memory.${key}`), key);
    assert.equal(meta(d.samples, 'gc.pause_total_ns'), undefined);
  });

  it('decodes /metrics/enhanced and its connection table relative to the message time', () => {
    const raw = JSON.parse(enhanced) as {
      timestamp: string;
      connections: Record<string, number>;
      connection_list: Array<Record<string, string | number>>;
    };
    const d = decoded(enhanced, 'auto', Date.parse(raw.timestamp) + 3_600_000);
    const ts = Date.parse(raw.timestamp);
    assert.equal(d.timestamp, ts);
    assert.deepEqual(meta(d.samples, 'connections.active'), [raw.connections.active, 'gauge', 'count', 'connections']);
    assert.deepEqual(meta(d.samples, 'connections.total'), [raw.connections.total, 'counter', 'count', undefined]);
    assert.deepEqual(meta(d.samples, 'connections.peak'), [raw.connections.peak, 'gauge', 'count', undefined]);
    assert.deepEqual(meta(d.samples, 'bytes.sent')?.slice(1, 3), ['counter', 'bytes']);
    assert.equal(d.samples.some((s) => s.name.startsWith('connection_list')), false);
    assert.equal(d.connections?.length, raw.connection_list.length);
    raw.connection_list.forEach((c, i) => {
      const connectedAt = Date.parse(String(c.connected_at));
      assert.deepEqual(d.connections?.[i], {
        id: c.id,
        remoteAddress: c.remote_addr,
        connectedAt,
        durationSeconds: (ts - connectedAt) / 1000,
        messagesIn: c.messages_received,
        messagesOut: c.messages_sent,
        bytesIn: c.bytes_received,
        bytesOut: c.bytes_sent,
        idleSeconds: (ts - Date.parse(String(c.last_activity))) / 1000,
      });
    });
  });

  it('uses options.now without a message timestamp, synthesizes ids and caps rows at 500', () => {
    const now = Date.parse('2025-11-23T10:00:00Z');
    const list = Array.from({ length: 800 }, (_, i) => ({ remote_addr: `10.0.0.${i % 250}:1`, connected_at: '2025-11-23T09:59:00Z', messages_sent: String(i) }));
    const d = decoded(JSON.stringify({ connections: { active: 800 }, connection_list: list }), 'go-stats', now);
    assert.equal(d.connections?.length, 500);
    const row = d.connections?.[7];
    assert.deepEqual(row, { id: '#8', remoteAddress: '10.0.0.7:1', connectedAt: now - 60_000, durationSeconds: 60, messagesOut: 7 });
  });

  it('refuses objects with no go-stats fields when forced', () => {
    const r = decodeMessage('{"hello":"world"}', 'go-stats');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /go-stats/);
  });
});
