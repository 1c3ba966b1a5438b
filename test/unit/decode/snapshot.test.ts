import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../src/core/decode/decode';
import type { Decoded, Sample } from '../../../src/core/model';

const lines = readFileSync(join(__dirname, '..', '..', 'fixtures', 'formats', 'snapshot.jsonl'), 'utf8')
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
  it('maps every endpoint field with method/path labels, fractions as percent', () => {
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
      check('endpoint.errorRate', ep.errorRate * 100, 'gauge', 'percent');
      check('endpoint.throughput', ep.throughput, 'gauge', 'per_second');
      check('endpoint.requests', ep.requests, 'counter', 'count');
      check('endpoint.errors', ep.errors, 'counter', 'count');
    }
  });

  it('derives throughput, throughput-weighted error rate and p95', () => {
    const raw = JSON.parse(line(0)) as { data: { endpoints: Endpoint[] } };
    const eps = raw.data.endpoints;
    const total = eps.reduce((a, e) => a + e.throughput, 0);
    const errorRate = eps.reduce((a, e) => a + e.errorRate * 100 * e.throughput, 0) / total;
    const p95 = eps.reduce((a, e) => a + e.p95 * e.throughput, 0) / total;
    const d = decoded(line(0));
    const tp = find(d.samples, 'http.throughput');
    const er = find(d.samples, 'http.errorRate');
    const lat = find(d.samples, 'http.p95');
    assert.deepEqual([tp?.value, tp?.unit, tp?.role, tp?.kind], [total, 'per_second', 'requestRate', 'gauge']);
    assert.deepEqual([er?.unit, er?.role], ['percent', 'errorRate']);
    assert.ok(Math.abs((er?.value ?? Number.NaN) - errorRate) < 1e-9);
    assert.deepEqual([lat?.unit, lat?.role], ['ms', 'latency']);
    assert.ok(Math.abs((lat?.value ?? Number.NaN) - p95) < 1e-9);
    // The unweighted mean would differ: the weighting matters.
    assert.notEqual(Math.round(errorRate * 1000), Math.round((eps.reduce((a, e) => a + e.errorRate * 100, 0) / eps.length) * 1000));
  });

  it('maps system and cdn blocks with their roles', () => {
    const raw = JSON.parse(line(0)) as {
      data: {
        system: { cpu: number; memory: { used: number; total: number; percent: number }; uptime: number; connections: number; storage: { usedPercent: number } };
        cdn: { hitRatio: number; bandwidth: number; requests: number };
      };
    };
    const { system, cdn } = raw.data;
    const d = decoded(line(0));
    const expected: Array<[string, number, string, string, string | undefined]> = [
      ['system.cpu', system.cpu, 'gauge', 'percent', 'cpu'],
      ['system.memory.used', system.memory.used, 'gauge', 'bytes', undefined],
      ['system.memory.total', system.memory.total, 'gauge', 'bytes', undefined],
      ['system.memory.percent', system.memory.percent, 'gauge', 'percent', undefined],
      ['system.uptime', system.uptime, 'gauge', 'seconds', 'uptime'],
      ['system.connections', system.connections, 'gauge', 'count', 'connections'],
      ['system.storage.usedPercent', system.storage.usedPercent, 'gauge', 'percent', 'storage'],
      ['cdn.hitRatio', cdn.hitRatio * 100, 'gauge', 'percent', 'cacheHitRatio'],
      ['cdn.bandwidth', cdn.bandwidth, 'gauge', 'bytes', undefined],
      ['cdn.requests', cdn.requests, 'counter', 'count', undefined],
    ];
    for (const [name, value, kind, unit, role] of expected) {
      const s = find(d.samples, name);
      assert.ok(s, name);
      assert.deepEqual([s.value, s.kind, s.unit, s.role, s.labels], [value, kind, unit, role, []], name);
    }
  });

  it('decodes updates with missing blocks and validates alerts', () => {
    const d = decoded(line(1));
    assert.equal(d.timestamp, 1763888401000);
    assert.equal(find(d.samples, 'cdn.hitRatio'), undefined);
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
  });

  it('repairs or skips malformed alerts', () => {
    const d = decoded(line(2));
    assert.equal(find(d.samples, 'cdn.hitRatio')?.value, 90);
    const alerts = d.alerts ?? [];
    assert.equal(alerts.length, 2, 'a string and an alert with neither message nor metric are skipped');
    assert.deepEqual(alerts[0], {
      id: '42',
      severity: 'warning',
      message: 'storage almost full',
      metric: 'system.storage.usedPercent',
      value: 97.5,
      threshold: 95,
    });
    assert.equal(alerts[1]?.id, 'no-message');
    assert.equal(alerts[1]?.severity, 'info');
    assert.match(alerts[1]?.message ?? '', /cdn\.hitRatio/);
    const long = decoded(JSON.stringify({ type: 'update', alerts: [{ id: 'x'.repeat(201), severity: 'info', message: 'm'.repeat(5000) }] }));
    const a = long.alerts?.[0];
    assert.ok(a);
    assert.notEqual(a.id, 'x'.repeat(201));
    assert.ok(a.id.length <= 200);
    assert.ok(a.message.length <= 500);
    assert.equal(a.severity, 'info');
  });

  it('surfaces error messages in both shapes, truncated', () => {
    const a = decoded(line(3));
    assert.equal(a.serverError, (JSON.parse(line(3)) as { message: string }).message);
    assert.deepEqual(a.samples, []);
    const b = decoded(line(4), 'auto');
    assert.equal(b.serverError, (JSON.parse(line(4)) as { error: { message: string } }).error.message);
    const c = decoded(JSON.stringify({ type: 'error', message: 'e'.repeat(10_000) }));
    assert.ok((c.serverError ?? '').length <= 500);
    assert.ok((decoded('{"type":"error"}').serverError ?? '').length > 0);
  });

  it('names the offending type when forced on another message', () => {
    const r = decodeMessage('{"type":"foo"}', 'snapshot');
    assert.deepEqual(r, { ok: false, error: 'expected a snapshot/update/error message, got type "foo"' });
  });

  it('reports zero throughput for an empty endpoint list, and no rate without data', () => {
    const d = decoded('{"type":"update","data":{"endpoints":[]}}');
    assert.equal(find(d.samples, 'http.throughput')?.value, 0);
    assert.equal(find(d.samples, 'http.errorRate'), undefined);
    assert.equal(find(d.samples, 'http.p95'), undefined);
  });
});
