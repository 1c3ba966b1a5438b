// A hostile "Prometheus" behind a `promql` source, through the host pipeline: huge result arrays,
// NaN and junk values, wrong types, HTML, API errors, a server that never answers one query, a
// wrong token. Each bad query shows on the source; the good ones keep flowing.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PromqlQuery } from '../../../src/core/model';
import { startLoopbackHttp } from '../../helpers/loopbackHttp';
import { makeRig, sourceConfig, until } from './support';
import type { Rig } from './support';

type Reply = (res: http.ServerResponse, url: URL) => void;

const json = (body: unknown, status = 200): Reply => (res) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
const vector = (result: unknown): unknown => ({ status: 'success', data: { resultType: 'vector', result } });
const now = (): number => Date.now() / 1000;

/** Answers `/api/v1/query` and `query_range` by the query text; records the headers it saw. */
async function fakeEngine(replies: Record<string, Reply>): Promise<{ url: string; auth: string[]; close(): Promise<void> }> {
  const auth: string[] = [];
  const server = await startLoopbackHttp((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    auth.push(req.headers.authorization ?? '');
    const reply = replies[url.searchParams.get('query') ?? ''];
    if (url.pathname === '/api/v1/query_range') return json({ status: 'success', data: { resultType: 'matrix', result: [] } })(res, url);
    if (url.pathname !== '/api/v1/query' || !reply) return json({ status: 'error', errorType: 'bad_data', error: 'unknown query' }, 400)(res, url);
    reply(res, url);
  });
  return { url: server.origin, auth, close: () => server.close() };
}

function promqlSource(name: string, url: string, queries: readonly PromqlQuery[]): ReturnType<typeof sourceConfig> {
  return sourceConfig(name, url, 'promql', { format: 'promql', promql: { queries } });
}

const good: Reply = json(vector([{ metric: { handler: '/a' }, value: [now(), '12.5'] }]));

describe('promql source faults', { timeout: 60_000 }, () => {
  const rigs: Rig[] = [];
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const r of rigs) r.dispose();
    for (const c of closers) await c();
  });

  test('huge result arrays are cut, NaN/Inf dropped, wrong types refused; good queries still flow', async () => {
    const huge = Array.from({ length: 20_000 }, (_, i) => ({ metric: { i: String(i) }, value: [now(), String(i)] }));
    const engine = await fakeEngine({
      good,
      huge: json(vector(huge)),
      nan: json(vector([{ metric: { k: 'nan' }, value: [now(), 'NaN'] }, { metric: { k: 'inf' }, value: [now(), '+Inf'] }, { metric: { k: 'ok' }, value: [now(), '3'] }])),
      types: json(vector([{ metric: 'job', value: [now(), '1'] }, { metric: { k: 1 }, value: [now(), '1'] }, { metric: {}, value: { t: 1 } }, { metric: {}, value: [now(), 'abc'] }])),
      shape: json({ status: 'success', data: { resultType: 'vector', result: { not: 'a list' } } }),
      text: json('upstream connect error or disconnect/reset before headers'),
    });
    closers.push(engine.close);
    const rig = makeRig();
    rigs.push(rig);
    const names = ['good', 'huge', 'nan', 'types', 'shape', 'text'];
    await rig.apply([promqlSource('hostile', engine.url, names.map((q) => ({ name: q, query: q })))]);
    await until('the good query', () => rig.pipeline.store.bySource('hostile').some((s) => s.name === 'good' && s.raw === 12.5), 10_000);
    const series = rig.pipeline.store.bySource('hostile');
    assert.equal(series.filter((s) => s.name === 'huge').length, 500);
    assert.deepEqual(series.filter((s) => s.name === 'nan').map((s) => s.labels), [[['k', 'ok']]]);
    assert.equal(series.filter((s) => s.name === 'types').length, 0);
    for (const s of series) assert.ok(Number.isFinite(s.raw));
    const error = rig.runtime('hostile').lastError ?? '';
    assert.match(error, /query "huge": 19500 series over the limit of 500/);
    assert.match(error, /query "types": 4 series .*dropped/);
    assert.match(error, /query "shape": malformed response/);
    assert.match(error, /query "text": not a Prometheus API response/);
    assert.doesNotMatch(error, /query "nan"/);
    assert.equal(rig.runtime('hostile').state.phase, 'open');
  });

  test('an API error (HTTP 422 with JSON) is the source’s last error; the bearer token is sent', async () => {
    const engine = await fakeEngine({ good, slowQuery: json({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples' }, 422) });
    closers.push(engine.close);
    const rig = makeRig({ tokens: new Map([['tok', 's3cret']]) });
    rigs.push(rig);
    await rig.apply([promqlSource('tok', engine.url, [{ name: 'good', query: 'good' }, { name: 'heavy', query: 'slowQuery' }])]);
    const rt = await until('the API error', () => (rig.runtime('tok').lastError?.includes('heavy') ? rig.runtime('tok') : undefined), 10_000);
    assert.equal(rt.lastError, 'Server error: query "heavy": execution: query processing would load too many samples');
    assert.ok(rig.pipeline.store.bySource('tok').some((s) => s.name === 'good'));
    assert.ok(engine.auth.length > 0 && engine.auth.every((a) => a === 'Bearer s3cret'), engine.auth.join(','));
  });

  test('a query that never answers times out on its own; a server that never answers retries', async () => {
    const hung: Reply = () => undefined; // never responds
    const engine = await fakeEngine({ good, hung });
    closers.push(engine.close);
    const rig = makeRig();
    rigs.push(rig);
    await rig.apply([promqlSource('partial', engine.url, [{ name: 'good', query: 'good' }, { name: 'hung', query: 'hung' }]), promqlSource('dead', engine.url, [{ name: 'hung', query: 'hung' }])]);
    const partial = await until('the timeout on the hung query', () => (rig.runtime('partial').lastError?.includes('hung') ? rig.runtime('partial') : undefined), 15_000);
    assert.match(partial.lastError ?? '', /query "hung": no response within 0\.6 s/);
    assert.ok(rig.pipeline.store.bySource('partial').some((s) => s.name === 'good'));
    const dead = await until('the dead source to retry', () => (rig.runtime('dead').state.phase === 'reconnecting' ? rig.runtime('dead') : undefined), 15_000);
    assert.match(dead.lastError ?? '', /no response within/);
    assert.equal(rig.pipeline.store.bySource('dead').length, 0);
  });

  test('401 fails the source with the token hint; HTML is named', async () => {
    const closed = http.createServer((req, res) => res.writeHead(401).end('no'));
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const html = http.createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>login</title>'));
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    closers.push(
      () => new Promise((r) => closed.close(() => r())),
      () => new Promise((r) => html.close(() => r())),
    );
    const rig = makeRig();
    rigs.push(rig);
    const port = (s: http.Server): number => (s.address() as AddressInfo).port;
    await rig.apply([promqlSource('locked', `http://127.0.0.1:${port(closed)}`, [{ name: 'up', query: 'up' }]), promqlSource('portal', `http://127.0.0.1:${port(html)}/prometheus`, [{ name: 'up', query: 'up' }])]);
    const locked = await until('401 → failed', () => (rig.runtime('locked').state.phase === 'failed' ? rig.runtime('locked') : undefined), 10_000);
    assert.match(locked.lastError ?? '', /HTTP 401 .*Set Source Token/);
    const portal = await until('HTML → retry', () => (rig.runtime('portal').state.phase === 'reconnecting' ? rig.runtime('portal') : undefined), 10_000);
    assert.match(portal.lastError ?? '', /HTML, not the Prometheus API/);
  });
});
