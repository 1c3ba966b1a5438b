// The series filter language: plain text as before, Prometheus-style selectors, and refused input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Matchable } from '../../../src/shared/matcher';
import { matchesSeries, parseSeriesQuery } from '../../../src/shared/matcher';

const S = (name: string, labels: [string, string][] = []): Matchable => ({ name, labels });
const series: Record<string, Matchable> = {
  users: S('http.requests', [['method', 'GET'], ['path', '/api/users']]),
  orders: S('http.requests', [['method', 'POST'], ['path', '/api/orders']]),
  health: S('http.requests', [['method', 'GET'], ['path', '/health']]),
  heap: S('memory.heapUsed'),
  p95: S('endpoint.p95', [['path', '/api/users'], ['quantile', '0.95']]),
};

/** Query → the names of the series it keeps (source name "api-server" for all). */
const TABLE: readonly [query: string, kept: string[]][] = [
  ['', ['users', 'orders', 'health', 'heap', 'p95']],
  ['   ', ['users', 'orders', 'health', 'heap', 'p95']],
  ['HEAP', ['heap']],
  ['path=/api', ['users', 'orders', 'p95']],
  ['method=GET, path=/health', ['health']],
  ['api-server', ['users', 'orders', 'health', 'heap', 'p95']],
  ['http.requests{}', ['users', 'orders', 'health']],
  ['http.requests{method="GET"}', ['users', 'health']],
  ['http.requests{method!="GET"}', ['orders']],
  ['{path="/api/users"}', ['users', 'p95']],
  ['{path=~"/api/.*"}', ['users', 'orders', 'p95']],
  ['{path=~"/api"}', []],
  ['{path!~"/api/.*"}', ['health', 'heap']],
  ['http.requests{path=~"/API/.*"}', []],
  ['http.requests{path=~"(?i)/API/.*"}', ['users', 'orders']],
  ["http.requests{ method = 'POST' , path=~'/api/o.+' }", ['orders']],
  ['{quantile=""}', ['users', 'orders', 'health', 'heap']],
  ['{quantile!=""}', ['p95']],
  ['{path=~"/health|/api/orders"}', ['orders', 'health']],
  ['{path=~"\\\\/health"}', ['health']],
  ['memory.heapUsed{}', ['heap']],
  ['memory.heap{}', []],
];

for (const [query, kept] of TABLE) {
  test(`filter ${JSON.stringify(query)} keeps ${kept.join(', ') || 'nothing'}`, () => {
    const q = parseSeriesQuery(query);
    assert.notEqual(q.kind, 'invalid', JSON.stringify(q));
    assert.deepEqual(Object.keys(series).filter((k) => matchesSeries(q, series[k] ?? S(''), 'api-server')), kept);
  });
}

const REFUSED: readonly [query: string, error: RegExp][] = [
  ['http.requests{method="GET"', /ends with \}/],
  ['{method=GET}', /must be quoted/],
  ['{method="GET}', /must be quoted/],
  ['{method~"x"}', /needs =, !=/],
  ['{="x"}', /not a label name/],
  ['{1abc="x"}', /not a label name/],
  ['{a="x" b="y"}', /separated by commas/],
  ['{}', /name a series or a label/],
  ['bad name{a="x"}', /not a series name/],
  ['{path=~"(unclosed"}', /not a valid regex/],
  ['{path=~"(a+)+$"}', /nested quantifiers/],
  ['{path=~"(x*)*"}', /nested quantifiers/],
  [`{path=~"${'a'.repeat(150)}"}`, /at most 120 characters/],
  [`{${Array.from({ length: 20 }, (_, i) => `l${i}="x"`).join(',')}}`, /at most 16 matchers/],
];

for (const [query, error] of REFUSED) {
  test(`filter ${JSON.stringify(query.slice(0, 60))} is refused and matches nothing`, () => {
    const q = parseSeriesQuery(query);
    assert.equal(q.kind, 'invalid');
    assert.match(q.kind === 'invalid' ? q.error : '', error);
    assert.equal(matchesSeries(q, series.users ?? S(''), 'api-server'), false);
  });
}

test('a regex never runs over a huge label value: =~ fails and !~ holds', () => {
  const huge = S('x', [['path', 'a'.repeat(5000)]]);
  assert.equal(matchesSeries(parseSeriesQuery('{path=~"a*"}'), huge, ''), false);
  assert.equal(matchesSeries(parseSeriesQuery('{path!~"a*"}'), huge, ''), true);
});

test('escaped quotes inside a value are part of it', () => {
  const q = parseSeriesQuery('{msg="say \\"hi\\""}');
  assert.equal(matchesSeries(q, S('log', [['msg', 'say "hi"']]), ''), true);
});
