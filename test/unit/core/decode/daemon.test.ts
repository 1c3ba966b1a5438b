import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Decoded } from '../../../../src/core/model';

// Seed 004's message shape with other values and extra keys; seed004.test.ts holds the seed's own example.
const messages = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'formats', 'daemon.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((line) => ({ line, json: JSON.parse(line) as { type: string; timestamp?: string | number; data?: { raw?: Record<string, unknown> } } }));

const TABLE: Record<string, [kind: string, unit: string, role: string | undefined]> = {
  http_requests: ['counter', 'count', 'requests'],
  http_errors: ['counter', 'count', 'errors'],
  avg_response_time: ['gauge', 'ms', 'latency'],
  memory_usage: ['gauge', 'bytes', 'heap'],
  cpu_usage: ['gauge', 'percent', 'cpu'],
  goroutines: ['gauge', 'count', 'goroutines'],
  uptime_seconds: ['gauge', 'seconds', 'uptime'],
  active_connections: ['gauge', 'count', 'connections'],
  websocket_clients: ['gauge', 'count', undefined],
  jobs_active: ['gauge', 'count', undefined],
  jobs_pending: ['gauge', 'count', undefined],
  jobs_completed: ['counter', 'count', 'jobs'],
  jobs_failed: ['counter', 'count', 'jobsFailed'],
};

function decoded(payload: string, hint: 'daemon' | 'auto'): Decoded {
  const r = decodeMessage(payload, hint);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

describe('daemon decoder', () => {
  it('maps every known key of every metrics message per the table', () => {
    const metrics = messages.filter((m) => m.json.type === 'metrics');
    assert.ok(metrics.length >= 2);
    for (const { line, json } of metrics) {
      for (const hint of ['daemon', 'auto'] as const) {
        const d = decoded(line, hint);
        assert.equal(d.format, 'daemon');
        assert.equal(d.ignored, undefined);
        const ts = json.timestamp;
        assert.equal(d.timestamp, typeof ts === 'string' ? Date.parse(ts) : ts);
        for (const [key, [kind, unit, role]] of Object.entries(TABLE)) {
          const s = d.samples.find((x) => x.name === key);
          assert.ok(s, key);
          assert.deepEqual([s.value, s.kind, s.unit, s.role, s.labels], [Number(json.data?.raw?.[key]), kind, unit, role, []], key);
        }
      }
    }
  });

  it('types other numeric keys by their names, scales MiB, and skips strings, nested blocks and timestamps', () => {
    const last = messages.filter((m) => m.json.type === 'metrics').at(-1);
    assert.ok(last);
    const d = decoded(last.line, 'daemon');
    const meta = (name: string): [string | undefined, string | undefined, number | undefined] => {
      const s = d.samples.find((x) => x.name === name);
      return [s?.kind, s?.unit, s?.value];
    };
    assert.deepEqual(meta('jobs_cancelled'), ['counter', 'count', 0]);
    assert.deepEqual(meta('jobs_processed_total'), ['counter', 'count', 987]);
    assert.deepEqual(meta('cache_size_bytes'), ['gauge', 'bytes', 1048576]);
    assert.deepEqual(meta('spool_size_bytes'), ['gauge', 'bytes', 1.5 * 1024 * 1024]);
    assert.deepEqual(meta('gc_pause_ms'), ['gauge', 'ms', 1.5]);
    assert.deepEqual(meta('disk_used_percent'), ['gauge', 'percent', 61.2]);
    assert.deepEqual(meta('queue_depth'), ['gauge', 'none', 3]);
    for (const gone of ['build', 'spool_size_mb', 'last_update']) assert.equal(d.samples.find((s) => s.name === gone), undefined, gone);
    assert.equal(d.samples.some((s) => s.name.startsWith('nested')), false);
    // Only the known keys carry roles.
    assert.equal(d.samples.filter((s) => s.role !== undefined).length, 10);
  });

  it('marks log, heartbeat, status and other message types as ignored', () => {
    const others = messages.filter((m) => m.json.type !== 'metrics');
    assert.ok(others.length >= 3);
    for (const { line } of others) {
      for (const hint of ['daemon', 'auto'] as const) {
        const d = decoded(line, hint);
        assert.equal(d.ignored, true, line);
        assert.deepEqual(d.samples, []);
      }
    }
    assert.equal(decoded('{"type":"log","data":{}}', 'auto').format, 'daemon');
    assert.equal(decoded('{"type":"pong"}', 'auto').format, 'json');
  });

  it('refuses a metrics message without data.raw when forced', () => {
    const r = decodeMessage('{"type":"metrics","data":{"cooked":{}}}', 'daemon');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /data.*raw/);
    assert.equal(decodeMessage('{"http_requests":1}', 'daemon').ok, false);
  });
});
