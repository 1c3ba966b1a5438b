import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Decoded } from '../../../../src/core/model';

function decoded(payload: string, hint: 'json' | 'auto' = 'json'): Decoded {
  const r = decodeMessage(payload, hint);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

describe('generic JSON decoder', () => {
  it('flattens numeric leaves into dotted names, array items by index', () => {
    const msg = { service: { requests_total: 10, latency_ms: 12.5, name: 'api', healthy: true }, items: [{ value: 1 }, { value: 2 }], ratio: null };
    const d = decoded(JSON.stringify(msg));
    assert.equal(d.format, 'json');
    assert.deepEqual(
      d.samples.map((s) => [s.name, s.value, s.kind, s.unit]),
      [
        ['service.requests_total', 10, 'counter', 'count'],
        ['service.latency_ms', 12.5, 'gauge', 'ms'],
        ['items.0.value', 1, 'gauge', 'none'],
        ['items.1.value', 2, 'gauge', 'none'],
      ],
    );
  });

  it('guesses units from names and roles from a few unambiguous ones, one series per role', () => {
    const d = decoded(JSON.stringify({ uptime: 12, heapUsed: 1024, cpuPercent: 5, memory_used_bytes: 2048, other: { uptime: 13 }, download_time: 3 }));
    const get = (name: string): [number, string, string | undefined] | undefined => {
      const s = d.samples.find((x) => x.name === name);
      return s && [s.value, s.unit, s.role];
    };
    assert.deepEqual(get('uptime'), [12, 'seconds', 'uptime']);
    assert.deepEqual(get('heapUsed'), [1024, 'bytes', 'heap']);
    assert.deepEqual(get('cpuPercent'), [5, 'percent', 'cpu']);
    assert.deepEqual(get('memory_used_bytes'), [2048, 'bytes', undefined]);
    assert.deepEqual(get('other.uptime'), [13, 'seconds', undefined]);
    assert.deepEqual(get('download_time'), [3, 'ms', undefined]);
  });

  it('seed 000 /api/dev/status: vector.sessions.websocketSubscribers is the subscribers headline', () => {
    const d = decoded(JSON.stringify({ vector: { sessions: { apiSessions: 2, websocketConnections: 3, websocketSubscribers: 5 } } }), 'auto');
    assert.equal(d.format, 'json');
    const s = d.samples.find((x) => x.name === 'vector.sessions.websocketSubscribers');
    assert.deepEqual(s && [s.value, s.kind, s.unit, s.role], [5, 'gauge', 'count', 'subscribers']);
  });

  it('scales *_mb to bytes and never charts nested points in time', () => {
    const d = decoded(JSON.stringify({ pool: { size_mb: 2, last_update: 1703123456, updatedAt: '2025-01-01', items: 3 } }));
    assert.deepEqual(
      d.samples.map((s) => [s.name, s.value, s.unit]),
      [
        ['pool.size_bytes', 2 * 1024 * 1024, 'bytes'],
        ['pool.items', 3, 'none'],
      ],
    );
  });

  it('takes a top-level timestamp as the message time, not a series', () => {
    const d = decoded('{"timestamp":"2025-11-23T09:00:00Z","x":1}');
    assert.equal(d.timestamp, Date.parse('2025-11-23T09:00:00Z'));
    assert.deepEqual(d.samples.map((s) => s.name), ['x']);
    assert.equal(decoded('{"ts":1763888400,"x":1}').timestamp, 1763888400000);
  });

  it('bounds leaves and depth', () => {
    const many = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    assert.equal(decoded(JSON.stringify(many)).samples.length, 5000);
    const r = decodeMessage(JSON.stringify(many), 'json', { maxLeaves: 10 });
    assert.ok(r.ok);
    assert.equal(r.value.samples.length, 10);
    const deep = decoded(`${'{"a":'.repeat(100)}{"leaf":1,"b":${'{"c":'.repeat(10)}2${'}'.repeat(10)}}${'}'.repeat(100)}`);
    assert.deepEqual(deep.samples, [], 'leaves deeper than 64 levels are skipped');
    const shallow = decodeMessage(JSON.stringify({ a: { b: { c: 1 } }, d: 2 }), 'json', { maxDepth: 2 });
    assert.ok(shallow.ok);
    assert.deepEqual(shallow.value.samples.map((s) => s.name), ['d']);
  });

  it('refuses a bare JSON scalar', () => {
    for (const payload of ['42', '"text"', 'null', 'true']) {
      const r = decodeMessage(payload, 'json');
      assert.equal(r.ok, false, payload);
    }
  });
});
