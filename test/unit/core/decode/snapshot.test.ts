import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Decoded, Sample } from '../../../../src/core/model';

const lines = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'formats', 'snapshot.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');

interface Endpoint {
  method: string;
  path: string;
  p50: number;
  p95: number;
  p99: number;
  errorRate: number;
  throughput: number;
  requests: number;
  errors: number;
}

function decoded(payload: string, hint: 'snapshot' | 'auto' = 'snapshot'): Decoded {
  const r = decodeMessage(payload, hint);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

function find(samples: readonly Sample[], name: string, path?: string): Sample | undefined {
  return samples.find((s) => s.name === name && (path === undefined || s.labels.some(([k, v]) => k === 'path' && v === path)));
}

function line(i: number): string {
  const l = lines[i];
  assert.ok(l !== undefined);
  return l;
}

describe('snapshot decoder', () => {
  it('maps every endpoint field with method/path labels; errorRate is already a percent', () => {
    const raw = JSON.parse(line(0)) as { timestamp: string; data: { endpoints: Endpoint[] } };
    const d = decoded(line(0));
    assert.equal(d.format, 'snapshot');
    assert.equal(d.timestamp, Date.parse(raw.timestamp));
    for (const ep of raw.data.endpoints) {
      const labels = [['method', ep.method], ['path', ep.path]];
      const check = (name: string, value: number, kind: string, unit: string): void => {
        const s = find(d.samples, name, ep.path);
        assert.ok(s, `${name} ${ep.path}`);
        assert.deepEqual(s.labels, labels);
        assert.deepEqual([s.value, s.kind, s.unit, s.role], [value, kind, unit, undefined], `${name} ${ep.path}`);
      };
      check('endpoint.p50', ep.p50, 'gauge', 'ms');
      check('endpoint.p95', ep.p95, 'gauge', 'ms');
      check('endpoint.p99', ep.p99, 'gauge', 'ms');
      check('endpoint.errorRate', ep.errorRate, 'gauge', 'percent');
      check('endpoint.throughput', ep.throughput, 'gauge', 'per_second');
      check('endpoint.requests', ep.requests, 'counter', 'count');
      check('endpoint.errors', ep.errors, 'counter', 'count');
    }
  });

  it('derives throughput, throughput-weighted error rate and p95', () => {
    const raw = JSON.parse(line(0)) as { data: { endpoints: Endpoint[] } };
    const eps = raw.data.endpoints;
    const total = eps.reduce((a, e) => a + e.throughput, 0);
    const errorRate = eps.reduce((a, e) => a + e.errorRate * e.throughput, 0) / total;
    const p95 = eps.reduce((a, e) => a + e.p95 * e.throughput, 0) / total;
    const d = decoded(line(0));
    const tp = find(d.samples, 'http.throughput');
    const er = find(d.samples, 'http.errorRate');
    const lat = find(d.samples, 'http.p95');
    assert.deepEqual([tp?.value, tp?.unit, tp?.role, tp?.kind], [total, 'per_second', 'requestRate', 'gauge']);
    assert.deepEqual([er?.unit, er?.role], ['percent', 'errorRate']);
    assert.ok(Math.abs((er?.value ?? Number.NaN) - errorRate) < 1e-9);
    assert.ok((er?.value ?? 0) < 5, 'percent values are not multiplied');
    assert.deepEqual([lat?.unit, lat?.role], ['ms', 'latency']);
    assert.ok(Math.abs((lat?.value ?? Number.NaN) - p95) < 1e-9);
    // The unweighted mean would differ: the weighting matters.
    assert.notEqual(Math.round(errorRate * 1000), Math.round((eps.reduce((a, e) => a + e.errorRate, 0) / eps.length) * 1000));
  });

  it('maps the system and cdn blocks of the seed shape with their roles', () => {
    const raw = JSON.parse(line(0)) as {
      data: { system: { cpu: number; memory: number; uptime: number; connections: number }; cdn: { cacheHitRatio: number; bandwidth: number; storage: number } };
    };
    const { system, cdn } = raw.data;
    const d = decoded(line(0));
    const expected: Array<[string, number, string, string, string | undefined]> = [
      ['system.uptime', system.uptime, 'gauge', 'seconds', 'uptime'],
      ['system.memory', system.memory, 'gauge', 'bytes', 'heap'],
      ['system.cpu', system.cpu, 'gauge', 'percent', 'cpu'],
      ['system.connections', system.connections, 'gauge', 'count', 'connections'],
      ['cdn.cacheHitRatio', cdn.cacheHitRatio, 'gauge', 'percent', 'cacheHitRatio'],
      ['cdn.storage', cdn.storage, 'gauge', 'percent', 'storage'],
      ['cdn.bandwidth', cdn.bandwidth, 'gauge', 'bytes', undefined],
    ];
    for (const [name, value, kind, unit, role] of expected) {
      const s = find(d.samples, name);
      assert.ok(s, name);
      assert.deepEqual([s.value, s.kind, s.unit, s.role, s.labels], [value, kind, unit, role, []], name);
    }
  });

  it('tolerates older shapes: cpu {percent}, memory {used,total,percent}, and keeps unknown numbers as series', () => {
    const d = decoded(
      JSON.stringify({
        type: 'snapshot',
        data: { system: { cpu: { percent: 12 }, memory: { used: 5, total: 10, percent: 50 }, storage: { usedPercent: 40 } }, cdn: { hitRatio: 0.9 }, extra: 7 },
      }),
    );
    assert.deepEqual(
      d.samples.map((s) => [s.name, s.value, s.unit, s.role]),
      [
        ['system.cpu', 12, 'percent', 'cpu'],
        ['system.memory.used', 5, 'bytes', undefined],
        ['system.memory.total', 10, 'bytes', undefined],
        ['system.memory.percent', 50, 'percent', undefined],
        ['system.storage.usedPercent', 40, 'percent', undefined],
        ['cdn.hitRatio', 0.9, 'ratio', undefined],
        ['extra', 7, 'none', undefined],
      ],
    );
    const ep = decoded('{"type":"update","data":{"endpoints":[{"path":"/a","method":"GET","p50":1,"queue_ms":4,"timestamp":1763888401000}]}}');
    assert.deepEqual(
      ep.samples.filter((s) => s.name.startsWith('endpoint.')).map((s) => [s.name, s.value, s.unit, s.labels]),
      [
        ['endpoint.p50', 1, 'ms', [['method', 'GET'], ['path', '/a']]],
        ['endpoint.queue_ms', 4, 'ms', [['method', 'GET'], ['path', '/a']]],
      ],
    );
  });

  it('decodes updates with missing blocks; typed alerts get ids from their type, older ones keep theirs', () => {
    const d = decoded(line(1));
    assert.equal(d.timestamp, 1763888401000);
    assert.equal(find(d.samples, 'cdn.cacheHitRatio'), undefined);
    assert.equal(find(d.samples, 'system.cpu')?.value, 31);
    assert.deepEqual(d.alerts?.[0], {
      id: 'lat-users',
      severity: 'warning',
      message: 'p95 above 200 ms on GET /api/users',
      metric: 'endpoint.p95',
      value: 250,
      threshold: 200,
      timestamp: 1763888401000,
    });
    const synthesized = d.alerts?.[1];
    assert.ok(synthesized);
    assert.equal(synthesized.severity, 'critical');
    assert.match(synthesized.id, /^server:http\.errorRate:/);
    // The same alert sent again gets the same synthesized id.
    assert.equal(decoded(line(1)).alerts?.[1]?.id, synthesized.id);
    assert.deepEqual(d.alerts?.[2], { id: 'server:error_rate', severity: 'critical', message: 'Error rate 7.3 %', kind: 'error_rate', value: 7.25 });
  });

  it('repairs or skips malformed alerts; sanitises and labels unknown kinds', () => {
    const d = decoded(line(2));
    assert.equal(find(d.samples, 'cdn.cacheHitRatio')?.value, 90);
    assert.equal(find(d.samples, 'cdn.storage')?.value, 97.5);
    assert.deepEqual([find(d.samples, 'queue.depth')?.value, find(d.samples, 'queue.depth')?.unit], [3, 'none']);
    const alerts = d.alerts ?? [];
    assert.equal(alerts.length, 3, 'a string and an alert with neither message, metric nor type are skipped');
    assert.deepEqual(alerts[0], { id: '42', severity: 'warning', message: 'storage almost full', metric: 'cdn.storage', value: 97.5, threshold: 95 });
    assert.equal(alerts[1]?.id, 'no-message');
    assert.equal(alerts[1]?.severity, 'info');
    assert.match(alerts[1]?.message ?? '', /cdn\.cacheHitRatio/);
    assert.deepEqual(alerts[2], { id: 'server:cache_hit_low{region="eu"}', severity: 'warning', message: 'Cache hit low: 88', kind: 'cache_hit_low', value: 88 });
    const long = decoded(JSON.stringify({ type: 'update', alerts: [{ id: 'x'.repeat(201), severity: 'info', message: 'm'.repeat(5000) }] }));
    const a = long.alerts?.[0];
    assert.ok(a);
    assert.notEqual(a.id, 'x'.repeat(201));
    assert.ok(a.id.length <= 200);
    assert.ok(a.message.length <= 500);
    assert.equal(a.severity, 'info');
    const kind = decoded(JSON.stringify({ type: 'update', alerts: [{ type: `<b>${'k'.repeat(500)}`, severity: 'critical' }] })).alerts?.[0]?.kind ?? '';
    assert.ok(kind.length <= 64 && /^[A-Za-z0-9_.:-]+$/.test(kind), kind);
  });

  it('an update without alerts clears them; a snapshot without alerts says nothing', () => {
    assert.deepEqual(decoded('{"type":"update","data":{"endpoints":[]}}').alerts, []);
    assert.deepEqual(decoded('{"type":"update","alerts":null}').alerts, []);
    assert.equal(decoded(line(0)).alerts, undefined);
    assert.equal(decoded('{"type":"snapshot","data":{}}').alerts, undefined);
  });

  it('surfaces error messages in every shape, truncated', () => {
    const a = decoded(line(3));
    assert.equal(a.serverError, 'metrics backend unavailable');
    assert.equal(a.timestamp, 1763888403000);
    assert.deepEqual(a.samples, []);
    const b = decoded(line(4), 'auto');
    assert.equal(b.serverError, 'rate limited: retry in 5 s');
    assert.equal(decoded(line(5)).serverError, 'the collector restarted');
    const c = decoded(JSON.stringify({ type: 'error', error: 'e'.repeat(10_000) }));
    assert.ok((c.serverError ?? '').length <= 500);
    assert.ok((decoded('{"type":"error"}').serverError ?? '').length > 0);
  });

  it('names the offending type when forced on another message; a bare snapshot is accepted', () => {
    const r = decodeMessage('{"type":"foo"}', 'snapshot');
    assert.deepEqual(r, { ok: false, error: 'expected a snapshot/update/error message, got type "foo"' });
    assert.deepEqual(decodeMessage('{"foo":1}', 'snapshot'), { ok: false, error: 'expected a snapshot/update/error message, got no type' });
    assert.equal(find(decoded('{"system":{"cpu":5}}').samples, 'system.cpu')?.role, 'cpu');
  });

  it('reports zero throughput for an empty endpoint list, and no rate without data', () => {
    const d = decoded('{"type":"update","data":{"endpoints":[]}}');
    assert.equal(find(d.samples, 'http.throughput')?.value, 0);
    assert.equal(find(d.samples, 'http.errorRate'), undefined);
    assert.equal(find(d.samples, 'http.p95'), undefined);
  });
});
