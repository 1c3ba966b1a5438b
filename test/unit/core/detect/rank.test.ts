import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DetectedEndpoint } from '../../../../src/core/detect/rank';
import { normalUrl, rankEndpoints, toSourceSetting } from '../../../../src/core/detect/rank';
import { KNOWN_PATHS, probeUrlFor } from '../../../../src/core/detect/paths';

function ep(port: number, path: string, kind: DetectedEndpoint['kind'], format: DetectedEndpoint['format'], fromWorkspace = false, series = 5): DetectedEndpoint {
  return { url: `${kind === 'ws' ? 'ws' : 'http'}://127.0.0.1:${port}${path}`, port, path, kind, format, series, fromWorkspace, reasons: [] };
}

describe('rankEndpoints', () => {
  it('workspace ports first; per port a native-format stream is recommended over polling and generic JSON', () => {
    const ranked = rankEndpoints([
      ep(3000, '/api/metrics', 'http-json', 'json'),
      ep(3000, '/api/dev/server-metrics', 'http-json', 'bun'),
      ep(3000, '/api/dev/server-metrics/live', 'ws', 'bun'),
      ep(8080, '/metrics', 'prometheus', 'prometheus', true),
    ]);
    assert.deepEqual(
      ranked.map((r) => [r.port, r.path, r.recommended]),
      [
        [8080, '/metrics', true],
        [3000, '/api/dev/server-metrics/live', true],
        [3000, '/api/dev/server-metrics', false],
        [3000, '/api/metrics', false],
      ],
    );
  });

  it('drops endpoints already configured, whatever loopback spelling', () => {
    const ranked = rankEndpoints([ep(3000, '/sse', 'sse', 'json'), ep(3000, '/stats', 'http-json', 'go-stats')], ['http://localhost:3000/sse/']);
    assert.deepEqual(ranked.map((r) => r.path), ['/stats']);
    assert.equal(normalUrl('ws://[::1]:80/x'), normalUrl('ws://127.0.0.1/x'));
    assert.notEqual(normalUrl('http://127.0.0.1:3000/a'), normalUrl('http://127.0.0.1:3001/a'));
  });
});

describe('toSourceSetting', () => {
  it('names uniquely, keeps a detected format, subscribes to snapshot servers', () => {
    const s = toSourceSetting(ep(3334, '/metrics', 'ws', 'snapshot'), ['snapshot :3334/metrics']);
    assert.deepEqual(s, { name: 'snapshot :3334/metrics 2', url: 'ws://127.0.0.1:3334/metrics', kind: 'ws', format: 'snapshot', subscribe: true });
    assert.deepEqual(toSourceSetting(ep(3000, '/x', 'sse', 'auto'), []), { name: 'sse :3000/x', url: 'http://127.0.0.1:3000/x', kind: 'sse' });
  });
});

describe('KNOWN_PATHS', () => {
  it('covers every seed format and path, ws and http alike', () => {
    const have = new Set(KNOWN_PATHS.map((k) => `${k.scheme} ${k.path}`));
    for (const want of ['ws /api/dev/server-metrics/live', 'http /api/dev/server-metrics', 'ws /metrics', 'http /metrics', 'http /api/metrics', 'http /sse', 'http /stats', 'http /metrics/enhanced', 'http /metrics/system', 'ws /ws']) {
      assert.ok(have.has(want), want);
    }
    assert.deepEqual(new Set(KNOWN_PATHS.map((k) => k.format)), new Set(['bun', 'snapshot', 'json', 'prometheus', 'daemon', 'go-stats']));
    assert.equal(probeUrlFor('::1', 3000, { scheme: 'ws', path: '/ws', format: 'daemon', kind: 'ws' }), 'ws://[::1]:3000/ws');
  });
});
