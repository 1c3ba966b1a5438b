import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { FormatId } from '../../../../src/shared/vocabulary';

const dir = join(__dirname, '..', '..', '..', 'fixtures', 'formats');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const lines = (name: string): string[] => read(name).split('\n').filter((l) => l.trim() !== '');

function detected(payload: string): { format: FormatId; ignored: boolean } {
  const r = decodeMessage(payload, 'auto');
  assert.ok(r.ok, r.ok ? '' : r.error);
  return { format: r.value.format, ignored: r.value.ignored === true };
}

/** Each payload is detected as the format beside it. */
function assertDetected(cases: ReadonlyArray<readonly [payload: string, format: FormatId]>): void {
  for (const [payload, format] of cases) assert.equal(detected(payload).format, format, payload);
}

describe('auto-detection', () => {
  it('recognises every fixture by its shape', () => {
    const cases: Array<[string, FormatId]> = [
      [read('bun.json'), 'bun'],
      ...lines('bun-live.jsonl').map((l): [string, FormatId] => [l, 'bun']),
      ...lines('snapshot.jsonl').map((l): [string, FormatId] => [l, 'snapshot']),
      [read('go-stats-stats.json'), 'go-stats'],
      [read('go-stats-enhanced.json'), 'go-stats'],
      [read('go-stats-system.json'), 'go-stats'],
      [read('prometheus-prom-client.txt'), 'prometheus'],
      [read('prometheus-openmetrics.txt'), 'prometheus'],
      [read('prometheus-edge.txt'), 'prometheus'],
    ];
    for (const [payload, format] of cases) assert.equal(detected(payload).format, format, payload.slice(0, 60));
    for (const line of lines('daemon.jsonl')) {
      const type = (JSON.parse(line) as { type: string }).type;
      const d = detected(line);
      assert.equal(d.ignored, type !== 'metrics', line);
      if (type === 'metrics') assert.equal(d.format, 'daemon');
    }
  });

  it('recognises every seed 000/001 fixture, the bare MetricsSnapshot included', () => {
    const seeds = join(__dirname, '..', '..', '..', 'fixtures', 'seeds');
    const seed = (name: string): string => readFileSync(join(seeds, name), 'utf8');
    const cases: Array<[string, FormatId]> = [
      ['000-server-metrics.json', 'bun'],
      ['000-live-metrics.json', 'bun'],
      ['001-snapshot.json', 'snapshot'],
      ['001-update-alerts.json', 'snapshot'],
      ['001-update.json', 'snapshot'],
      ['001-error.json', 'snapshot'],
      ['001-bare-snapshot.json', 'snapshot'],
    ];
    for (const [name, format] of cases) assert.equal(detected(seed(name)).format, format, name);
  });

  it('tells a bare snapshot from look-alikes', () => {
    assertDetected([
      ['{"timestamp":1,"endpoints":[],"cdn":{},"system":{}}', 'snapshot'],
      ['{"endpoints":[{"path":"/a","p50":1}]}', 'snapshot'],
      ['{"cdn":{"cacheHitRatio":95}}', 'snapshot'],
      ['{"system":{"uptime":5,"memory":1,"cpu":2}}', 'snapshot'],
    ]);
    // Seed 003's Go /metrics/system: memory and cpu are objects.
    assert.notEqual(detected('{"timestamp":1703123456,"system":{"memory":{"heap_alloc_mb":8},"cpu":{"percent":12.5}}}').format, 'snapshot');
    assertDetected([
      ['{"endpoints":["a","b"]}', 'json'],
      ['{"system":{"hostname":"x"}}', 'json'],
      ['{"system":{"uptime":5},"version":"1.2"}', 'json'],
      ['{"system":{"uptime":5,"cpu":3}}', 'snapshot'],
    ]);
  });

  it('detects Prometheus text without comments, and falls back to generic JSON', () => {
    assertDetected([
      ['up 1\nfoo{a="b"} 2.5\n', 'prometheus'],
      ['  \n# just a comment', 'prometheus'],
      ['{"queue":{"depth":3}}', 'json'],
      ['[{"v":1}]', 'json'],
      ['{"type":"metrics","values":{"a":1}}', 'json'],
      ['{"memory":{"heapUsed":1}}', 'bun'],
      ['{"memory":{"heap_alloc":1}}', 'go-stats'],
      ['{"active_connections":1,"total_connections":2}', 'go-stats'],
      ['{"active_connections":1}', 'json'],
    ]);
  });

  it('treats any non-metrics `type` as a message to ignore', () => {
    for (const type of ['pong', 'heartbeat', 'subscribed', 'log']) {
      const d = detected(JSON.stringify({ type, http: { totalRequests: 5 } }));
      assert.equal(d.ignored, true, type);
    }
  });

  it('reports what it could not understand', () => {
    const r = decodeMessage('hello world', 'auto');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /not JSON or Prometheus text.*"hello world"/);
    assert.equal(decodeMessage('   ', 'auto').ok, false);
    assert.equal(decodeMessage('\ufeff{"x":1}', 'auto').ok, true, 'a byte-order mark is skipped');
  });
});
