// The promql source's query expansion, URLs, settings, request budget and store backfill.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiUrl, expandSelector, promqlQueries } from '../../../src/sources/promqlQueries';
import { selectorMatchers } from '../../../src/core/settings/promqlSettings';
import { readSettings } from '../../../src/core/settings/settings';
import { MetricStore } from '../../../src/core/series/store';
import type { Backfill, Sample } from '../../../src/core/model';
import { silentLog, until, watchTransport } from '../../helpers/transports';
import { thinned } from '../../../src/sources/promqlSource';

function settings(entry: Record<string, unknown>): ReturnType<typeof readSettings> {
  return readSettings({ get: () => undefined, userSources: [entry], workspaceSources: undefined });
}

describe('promql queries', () => {
  it('expands a selector into the standard queries, the matchers inside every selector', () => {
    const queries = expandSelector('{job="api", instance=~"a.*"}');
    assert.deepEqual(
      queries.map((q) => [q.name, q.role ?? null, q.unit]),
      [
        ['http.requestRate', 'requestRate', 'per_second'],
        ['http.errorRate', 'errorRate', 'percent'],
        ['http.p95', 'latency', 'ms'],
        ['process.rss', 'rss', 'bytes'],
        ['process.heap', 'heap', 'bytes'],
        ['process.cpu', 'cpu', 'percent'],
        ['up', null, 'none'],
      ],
    );
    assert.equal(queries[0]?.query, 'sum by (handler) (rate(http_requests_total{job="api", instance=~"a.*"}[1m]))');
    assert.equal(queries[1]?.query, '100 * sum(rate(http_requests_total{job="api", instance=~"a.*", code=~"5.."}[1m])) / sum(rate(http_requests_total{job="api", instance=~"a.*"}[1m]))');
    assert.equal(queries[2]?.query, '1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api", instance=~"a.*"}[5m])))');
    assert.equal(expandSelector('job="api"')[6]?.query, 'up{job="api"}');
    assert.equal(expandSelector('{}')[1]?.query, '100 * sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total{}[1m]))');
  });

  it('refuses selectors that could break out of the braces', () => {
    for (const bad of ['{job="a"} or vector(1)', '{job="a"}}', 'job=api', '{job="a}', '{job="a", x}', 'up', '{job="a"\n}', `{job="${'x'.repeat(600)}"}`]) assert.equal(selectorMatchers(bad), undefined, bad);
    assert.equal(selectorMatchers('{job="a\\"b", env!="dev",}'), 'job="a\\"b", env!="dev"');
  });

  it('puts configured queries first, first name wins, at most 20', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `q${i}`, query: `q${i}` }));
    assert.equal(promqlQueries({ queries: many }).length, 20);
    const mixed = promqlQueries({ queries: [{ name: 'up', query: 'up == 1' }], selector: '{job="x"}' });
    assert.equal(mixed[0]?.query, 'up == 1');
    assert.equal(mixed.filter((q) => q.name === 'up').length, 1);
  });

  it('builds API URLs under any prefix', () => {
    assert.equal(apiUrl('http://localhost:9090', 'query', [['query', 'sum(rate(x[1m]))']]), 'http://localhost:9090/api/v1/query?query=sum%28rate%28x%5B1m%5D%29%29');
    assert.equal(apiUrl('https://mimir.example/prometheus/', 'labels'), 'https://mimir.example/prometheus/api/v1/labels');
    assert.equal(apiUrl('http://vm:8428/api/v1/query', 'query_range'), 'http://vm:8428/api/v1/query_range');
  });
});

describe('promql settings', () => {
  it('reads queries and a selector; format follows the kind', () => {
    const s = settings({ name: 'team', url: 'https://prom.example', kind: 'promql', selector: '{job="api"}', queries: [{ name: 'p99', query: 'histogram_quantile(0.99, x)', unit: 'ms', role: 'latency' }, 'up'] });
    assert.deepEqual(s.problems, []);
    const c = s.sources[0];
    assert.equal(c?.kind, 'promql');
    assert.equal(c?.format, 'promql');
    assert.deepEqual(c?.promql, { queries: [{ name: 'p99', query: 'histogram_quantile(0.99, x)', unit: 'ms', role: 'latency' }, { name: 'up', query: 'up' }], selector: '{job="api"}' });
  });

  it('infers kind promql from queries, and names every problem', () => {
    assert.equal(settings({ name: 'a', url: 'http://p:9090', selector: 'job="x"' }).sources[0]?.kind, 'promql');
    const s = settings({ name: 'b', url: 'http://p:9090', kind: 'promql', selector: 'up', queries: [{ query: '' }, { query: 'up', unit: 'parsecs', role: 'boss', extra: 1 }, { name: 'up', query: 'up' }, 7] });
    assert.deepEqual(s.problems, [
      'pulse.sources (user settings)[0] ("b"): queries[0]: "query" must be a PromQL expression of 1 to 4000 characters; skipped',
      'pulse.sources (user settings)[0] ("b"): queries[1]: unknown property "extra" ignored',
      'pulse.sources (user settings)[0] ("b"): queries[1]: "unit" must be one of bytes, seconds, ms, percent, ratio, count, per_second, none, got "parsecs"; using none',
      `pulse.sources (user settings)[0] ("b"): queries[1]: "role" must be one of ${'requests, requestRate, errors, errorRate, latency, connections, pending, subscribers, heap, rss, cpu, uptime, cacheHitRatio, storage, goroutines, jobs, jobsFailed'}, got "boss"; ignored`,
      'pulse.sources (user settings)[0] ("b"): queries[2]: another query is already named "up"; skipped',
      'pulse.sources (user settings)[0] ("b"): queries[3] must be an object with a "query"; skipped',
      'pulse.sources (user settings)[0] ("b"): "selector" must be a series selector such as {job="api"}, got "up"; ignored',
    ]);
    assert.deepEqual(s.sources[0]?.promql, { queries: [{ name: 'up', query: 'up' }] });
    const none = settings({ name: 'c', url: 'http://p:9090', kind: 'promql' });
    assert.equal(none.sources.length, 0);
    assert.match(none.problems[0] ?? '', /needs "queries" or a "selector"; skipped/);
    const wrongKind = settings({ name: 'd', url: 'http://p:9090/metrics', kind: 'prometheus', selector: '{job="x"}' });
    assert.match(wrongKind.problems[0] ?? '', /"queries" and "selector" are for kind "promql"; ignored/);
  });
});

describe('store backfill', () => {
  const options = { rawWindowMs: 60_000, bucketMs: 10_000, downsampledWindowMs: 3_600_000, maxSeriesPerSource: 3 };
  const fill = (t: number[], v: number[], name = 'g'): Backfill => ({ name, labels: [['job', 'a']], kind: 'gauge', unit: 'ms', role: 'latency', t, v });
  const sample = (value: number): Sample => ({ name: 'g', labels: [['job', 'a']], value, kind: 'gauge', unit: 'ms', role: 'latency' });

  it('creates a series with the engine’s history: raw window, older points in buckets', () => {
    const store = new MetricStore(options);
    const t = Array.from({ length: 120 }, (_, i) => 1_000_000 + i * 5_000); // 10 minutes
    const id = store.backfill('s', fill(t, t.map((_, i) => i)));
    assert.ok(id);
    const info = store.get(id);
    assert.equal(info?.raw, 119);
    assert.equal(info?.value, 119);
    assert.equal(info?.role, 'latency');
    assert.equal(info?.updatedAt, t[119]);
    const pts = store.points(id, 0, 2_000_000, 'raw');
    assert.equal(pts.t[0], 1_000_000); // the bucket holding the first point
    assert.ok(pts.t.length > 12 + 30, `${pts.t.length} points`);
    assert.deepEqual(pts.t.slice(-3), t.slice(-3));
  });

  it('replaces what the series held over the backfilled span and keeps newer live points', () => {
    const store = new MetricStore(options);
    store.ingest('s', [sample(1)], 1_050_000);
    store.ingest('s', [sample(2)], 1_070_000);
    store.ingest('s', [sample(3)], 1_090_000);
    const id = store.backfill('s', fill([1_000_000, 1_040_000, 1_060_000, 1_080_000], [7, 8, 9, 10]));
    assert.ok(id);
    const pts = store.points(id, 1_000_000, 1_100_000, 'raw');
    assert.deepEqual(pts.t.slice(-4), [1_040_000, 1_060_000, 1_080_000, 1_090_000]);
    assert.deepEqual(pts.v.slice(-4), [8, 9, 10, 3]);
    assert.equal(store.get(id)?.raw, 3);
    store.ingest('s', [sample(4)], 1_095_000);
    assert.equal(store.get(id)?.raw, 4);
  });

  it('respects the series bound and refuses empty backfills', () => {
    const store = new MetricStore(options);
    for (const name of ['a', 'b', 'c']) assert.ok(store.backfill('s', fill([1], [1], name)));
    assert.equal(store.backfill('s', fill([1], [1], 'd')), undefined);
    assert.equal(store.backfill('t', fill([], [])), undefined);
  });
});

describe('promql transport budget', () => {
  const servers: http.Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  it('sends at most 4 requests at once and never starts a poll before the last one ended', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const arrivals: string[] = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const range = url.pathname.endsWith('query_range');
      if (!range) arrivals.push(url.searchParams.get('query') ?? '');
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        const data = range ? { resultType: 'matrix', result: [] } : { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, '1'] }] };
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
      }, 30);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const queries = Array.from({ length: 10 }, (_, i) => ({ name: `q${i}`, query: `q${i}` }));
    const w = watchTransport(
      { id: 'p', name: 'p', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, kind: 'promql', format: 'promql', pollIntervalMs: 10, headers: {}, scope: 'user', promql: { queries } },
      { log: silentLog },
    );
    w.transport.start();
    await until('three polls', () => w.received.length >= 3, 10_000);
    w.transport.dispose();
    assert.ok(maxInFlight <= 4 && maxInFlight >= 2, `max in flight ${maxInFlight}`);
    for (let i = 0; i + 10 <= arrivals.length; i += 10) assert.equal(new Set(arrivals.slice(i, i + 10)).size, 10, `poll ${i / 10} overlapped another`);
  });
});

describe('promql backfill fits the payload limit', () => {
  it('thins every series evenly, keeping its newest point', () => {
    const series: Backfill[] = [0, 1].map((k) => ({ name: `s${k}`, labels: [], kind: 'gauge', unit: 'none', t: Array.from({ length: 100 }, (_, i) => i + 1), v: Array.from({ length: 100 }, (_, i) => i) }));
    const out = thinned(series, 50);
    for (const s of out) {
      assert.equal(s.t.length, 25);
      assert.equal(s.t.at(-1), 100);
      assert.equal(s.v.at(-1), 99);
      assert.deepEqual(s.t.slice(0, 2), [4, 8]);
    }
    assert.deepEqual(thinned(series, 200).map((s) => s.t.length), [100, 100]);
  });
});
