import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrl, isLoopbackUrl, readSettings, sourceId } from '../../../../src/core/settings/settings';
import type { SettingsInput } from '../../../../src/core/settings/settings';

function input(values: Record<string, unknown>, userSources?: unknown, workspaceSources?: unknown): SettingsInput {
  const map = new Map(Object.entries(values));
  return { get: (k) => map.get(k), userSources, workspaceSources };
}

test('defaults when nothing is set', () => {
  const s = readSettings(input({}));
  assert.deepEqual(s.sources, []);
  assert.deepEqual(s.problems, []);
  assert.equal(s.rawMinutes, 15);
  assert.equal(s.maxPayloadBytes, 4 * 1024 * 1024);
  assert.deepEqual(s.statusBarMetrics, ['requestRate', 'latency', 'errorRate', 'connections', 'heap']);
});

test('sources from user and workspace keep their scope and get unique ids', () => {
  const s = readSettings(
    input({}, [{ name: 'API', url: 'ws://localhost:3000/live', kind: 'ws' }], [
      { name: 'API', url: 'http://127.0.0.1:9090/metrics', kind: 'prometheus', pollIntervalMs: 1000 },
    ]),
  );
  assert.equal(s.sources.length, 2);
  assert.deepEqual(
    s.sources.map((c) => [c.id, c.scope, c.kind]),
    [
      ['api', 'user', 'ws'],
      ['api-2', 'workspace', 'prometheus'],
    ],
  );
  assert.equal(s.sources[1]?.pollIntervalMs, 1000);
});

test('every wrong type gives one clear problem naming the setting and never throws', () => {
  const s = readSettings(
    input({ 'history.rawMinutes': 'ten', 'limits.maxPayloadMB': -1, 'statusBar.metrics': ['bogus'], 'noData.mode': 3, defaultThresholds: 'yes' }, 'not-a-list', [
      42,
      { name: '', url: 'ws://x' },
      { name: 'bad url', url: 'not a url', kind: 'ws' },
      { name: 'wrong kind', url: 'http://localhost/', kind: 'carrier-pigeon' },
      { name: 'ws on http', url: 'http://localhost/', kind: 'ws' },
      { name: 'creds', url: 'http://user:pw@localhost/', kind: 'http-json' },
      { name: 'fine', url: 'http://localhost/', kind: 'http-json', pollIntervalMs: 'fast', headers: { 'Bad Header': 'x', ok: 'a\nb' }, extra: true },
    ]),
  );
  assert.equal(s.rawMinutes, 15);
  assert.equal(s.defaultThresholds, true);
  assert.equal(s.sources.length, 1);
  assert.equal(s.sources[0]?.name, 'fine');
  assert.equal(s.sources[0]?.pollIntervalMs, 2000);
  assert.deepEqual(Object.keys(s.sources[0]?.headers ?? {}), []);
  const text = s.problems.join('\n');
  for (const needle of [
    'pulse.history.rawMinutes',
    'pulse.limits.maxPayloadMB',
    'pulse.statusBar.metrics',
    'pulse.noData.mode',
    'pulse.defaultThresholds',
    'pulse.sources (user settings) must be an array',
    'pulse.sources (workspace settings)[0]',
    '"name" must be a non-empty string',
    'not a valid URL',
    '"kind" must be one of',
    'kind "ws" needs a ws://',
    'credentials in the URL',
    '"pollIntervalMs"',
    'header',
    'unknown property',
  ]) {
    assert.ok(text.includes(needle), `expected a problem mentioning ${needle}:\n${text}`);
  }
});

test('kind defaults from the URL scheme', () => {
  const s = readSettings(input({}, [{ name: 'a', url: 'wss://example.com/x' }, { name: 'b', url: 'https://example.com/x' }]));
  assert.deepEqual(
    s.sources.map((c) => c.kind),
    ['ws', 'http-json'],
  );
});

test('sourceId, checkUrl and isLoopbackUrl', () => {
  assert.equal(sourceId('My API (dev)'), 'my-api-dev');
  assert.equal(sourceId('<<<>>>'), 'source');
  assert.equal(checkUrl('ftp://x', 'ws')?.includes('only ws://'), true);
  assert.equal(checkUrl('ws://localhost:1/x', 'ws'), undefined);
  assert.equal(isLoopbackUrl('ws://localhost:3000'), true);
  assert.equal(isLoopbackUrl('http://127.0.0.5/x'), true);
  assert.equal(isLoopbackUrl('http://[::1]:80/'), true);
  assert.equal(isLoopbackUrl('http://example.com/'), false);
  assert.equal(isLoopbackUrl('http://127.0.0.1.evil.com/'), false);
  assert.equal(isLoopbackUrl('nonsense'), false);
});

test('status bar metrics include subscribers, goroutines and jobs; a wrong list names them all', () => {
  const s = readSettings(input({ 'statusBar.metrics': ['goroutines', 'jobs', 'subscribers', 'jobs'] }));
  assert.deepEqual(s.statusBarMetrics, ['goroutines', 'jobs', 'subscribers']);
  assert.deepEqual(s.problems, []);
  const bad = readSettings(input({ 'statusBar.metrics': ['heap', 'threads'] }));
  assert.deepEqual(bad.statusBarMetrics, ['requestRate', 'latency', 'errorRate', 'connections', 'heap']);
  assert.equal(bad.problems.length, 1);
  assert.ok(bad.problems[0]?.includes('subscribers, goroutines, jobs'), bad.problems[0]);
});

test('a source keeps its units and roles overrides; bad entries are named and the rest kept', () => {
  const s = readSettings(input({}, [{ name: 'go', url: 'http://127.0.0.1:3002/metrics/enhanced', units: { '*_mb': 'MiB', bad: 7 }, roles: { 'performance.goroutines': 'goroutines', 'x*': 'brain' } }]));
  assert.equal(s.sources.length, 1);
  assert.deepEqual(s.sources[0]?.overrides, { units: [{ pattern: '*_mb', unit: 'MiB' }], roles: [{ pattern: 'performance.goroutines', role: 'goroutines' }] });
  assert.equal(s.problems.length, 2, s.problems.join('\n'));
  assert.ok(s.problems.some((p) => p.startsWith('pulse.sources (user settings)[0] ("go"): units["bad"]: 7 is not one of the units')));
  assert.ok(s.problems.some((p) => p.startsWith('pulse.sources (user settings)[0] ("go"): roles["x*"]: "brain" is not a role')));
  assert.ok(!s.problems.some((p) => p.includes('unknown propert')), 'units and roles are known properties');
});

test('pulse.statusBar.cpuAcrossLabels: max by default, avg or sum when asked, a wrong value named', () => {
  assert.equal(readSettings(input({})).cpuAcrossLabels, 'max');
  assert.equal(readSettings(input({ 'statusBar.cpuAcrossLabels': 'avg' })).cpuAcrossLabels, 'avg');
  const bad = readSettings(input({ 'statusBar.cpuAcrossLabels': 'perCore' }));
  assert.equal(bad.cpuAcrossLabels, 'max');
  assert.deepEqual(bad.problems, ['pulse.statusBar.cpuAcrossLabels must be one of "max", "avg", "sum", got "perCore"; using "max"']);
});
