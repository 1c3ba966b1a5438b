import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../../../../src/core/settings/settings';
import type { SettingsInput } from '../../../../src/core/settings/settings';

function input(userSources?: unknown, workspaceSources?: unknown): SettingsInput {
  return { get: () => undefined, userSources, workspaceSources };
}

test('an otlp source without a url listens on localhost:4318', () => {
  const s = readSettings(input([{ name: 'OTel', kind: 'otlp' }]));
  assert.deepEqual(s.problems, []);
  assert.equal(s.sources.length, 1);
  assert.equal(s.sources[0]?.kind, 'otlp');
  assert.equal(s.sources[0]?.url, 'http://localhost:4318');
  assert.equal(s.sources[0]?.allowNonLoopback, undefined);
});

test('port overrides the url; a path is ignored with a note', () => {
  const s = readSettings(input([{ name: 'A', kind: 'otlp', port: 14318 }, { name: 'B', kind: 'otlp', url: 'http://127.0.0.1:9999/v1/metrics' }]));
  assert.deepEqual(
    s.sources.map((c) => c.url),
    ['http://localhost:14318', 'http://127.0.0.1:9999'],
  );
  assert.equal(s.problems.length, 1);
  assert.match(s.problems[0] ?? '', /path of "url" is ignored/);
});

test('a bad port is reported and the url kept', () => {
  const s = readSettings(input([{ name: 'A', kind: 'otlp', port: 70000 }]));
  assert.equal(s.sources[0]?.url, 'http://localhost:4318');
  assert.match(s.problems[0] ?? '', /"port" must be a whole number/);
});

test('allowNonLoopback is honoured from user settings only', () => {
  const s = readSettings(input([{ name: 'Wide', kind: 'otlp', url: 'http://0.0.0.0:4318', allowNonLoopback: true }], [{ name: 'Sneaky', kind: 'otlp', url: 'http://0.0.0.0:4319', allowNonLoopback: true }]));
  assert.equal(s.sources.find((c) => c.name === 'Wide')?.allowNonLoopback, true);
  assert.equal(s.sources.find((c) => c.name === 'Sneaky')?.allowNonLoopback, undefined);
  assert.ok(s.problems.some((p) => /honoured only in user settings/.test(p)));
});

test('other kinds still need a url', () => {
  const s = readSettings(input([{ name: 'X', kind: 'http-json' }]));
  assert.equal(s.sources.length, 0);
  assert.match(s.problems[0] ?? '', /"url" must be a string/);
});
