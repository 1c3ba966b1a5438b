// The host's series search: the same filter language as the panel's list (plain text or a label selector).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesInfo } from '../../../../src/core/series/store';
import { searchSeries } from '../../../../src/core/views/viewSelection';

const s = (sourceId: string, name: string, labels: [string, string][] = []): SeriesInfo => ({
  id: `${sourceId}|${name}${JSON.stringify(labels)}`, sourceId, name, labels, kind: 'gauge', unit: 'none', role: null, value: 1, raw: 1, updatedAt: 0,
});

const all = [
  ...Array.from({ length: 50 }, (_, i) => s('flood', 'queue.lag', [['tenant', `t-${i}`]])),
  s('api', 'http.requests', [['path', '/api/users']]),
  s('api', 'http.requests', [['path', '/health']]),
];
const names: Record<string, string> = { flood: 'Flooder', api: 'API server' };
const find = (query: string, limit = 100) => searchSeries(all, query, limit, (id) => names[id] ?? id).map((x) => x.labels[0]?.[1]);

test('plain text searches name, labels and source name, case-insensitive', () => {
  assert.deepEqual(find('T-4'), ['t-4', 't-40', 't-41', 't-42', 't-43', 't-44', 't-45', 't-46', 't-47', 't-48', 't-49']);
  assert.deepEqual(find('api server'), ['/api/users', '/health']);
});

test('a selector matches exactly, with anchored regexes', () => {
  assert.deepEqual(find('queue.lag{tenant="t-4"}'), ['t-4']);
  assert.deepEqual(find('queue.lag{tenant=~"t-4."}', 3), ['t-40', 't-41', 't-42']);
  assert.deepEqual(find('{path!~"/api/.*", path!=""}'), ['/health']);
  assert.deepEqual(find('http.requests{tenant!="x"}'), ['/api/users', '/health']);
});

test('an empty or malformed query finds nothing', () => {
  assert.deepEqual(find(''), []);
  assert.deepEqual(find('queue.lag{tenant="t-4"'), []);
  assert.deepEqual(find('{tenant=~"(a*)*"}'), []);
});
