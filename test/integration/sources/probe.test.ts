import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../src/core/model';
import { freeLoopbackPort, probeUrl } from '../../../src/sources/probe';
import type { ProbeResult } from '../../../src/sources/probe';
import { devServerPerSuite } from '../../helpers/devServerSuite';
import { startLoopbackHttp } from '../../helpers/loopbackHttp';
import { freePort } from '../../helpers/ports';

const noop = (): void => undefined;
const log: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };
const deps = { log, maxPayloadBytes: 4 * 1024 * 1024 };

function ok(result: ProbeResult): Extract<ProbeResult, { ok: true }> {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result;
}

describe('probeUrl', () => {
  const dev = devServerPerSuite(['--interval-scale', '0.2', '--no-traffic']);

  it('WebSocket that pushes: kind ws, the first message as sample', async () => {
    const r = ok(await probeUrl(dev().wsUrl('/api/dev/server-metrics/live'), deps));
    assert.equal(r.kind, 'ws');
    assert.equal((JSON.parse(r.sample) as { type: string }).type, 'metrics');
  });

  it('seed-001 WebSocket: the snapshot it sends on open', async () => {
    const r = ok(await probeUrl(dev().wsUrl('/metrics'), deps));
    assert.equal(r.kind, 'ws');
    assert.equal((JSON.parse(r.sample) as { type: string }).type, 'snapshot');
  });

  it('event stream: kind sse with the first event', async () => {
    const r = ok(await probeUrl(dev().url('/sse'), deps));
    assert.equal(r.kind, 'sse');
    assert.match(r.contentType, /^text\/event-stream/);
    assert.ok(Array.isArray((JSON.parse(r.sample) as { endpoints: unknown }).endpoints), 'a bare seed-001 snapshot');
  });

  it('JSON endpoint: kind http-json', async () => {
    const r = ok(await probeUrl(dev().url('/stats'), deps));
    assert.equal(r.kind, 'http-json');
    assert.equal(typeof (JSON.parse(r.sample) as { uptime_seconds: unknown }).uptime_seconds, 'number');
  });

  it('Prometheus text: kind prometheus', async () => {
    const r = ok(await probeUrl(dev().url('/metrics'), deps));
    assert.equal(r.kind, 'prometheus');
    assert.match(r.sample, /http_requests_total/);
  });

  it('explains what is wrong: 404, HTML, unreachable, bad URL', async () => {
    const notFound = await probeUrl(dev().url('/nope'), deps);
    assert.ok(!notFound.ok && /HTTP 404/.test(notFound.reason));
    await dev().control('html');
    try {
      const html = await probeUrl(dev().url('/stats'), deps);
      assert.ok(!html.ok && /HTML/.test(html.reason));
    } finally {
      await dev().control('normal');
    }
    const bad = await probeUrl('not a url', deps);
    assert.ok(!bad.ok && /Invalid URL/.test(bad.reason));
    const ftp = await probeUrl('ftp://127.0.0.1/', deps);
    assert.ok(!ftp.ok && /Unsupported/.test(ftp.reason));
  });
});

describe('probeUrl: Prometheus-compatible engines', () => {
  it('an engine without buildinfo is recognised by the instant query `1`, under its API prefix', async () => {
    const seen: string[] = [];
    const server = await startLoopbackHttp((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/select/0/prometheus/api/v1/query?query=1') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success","data":{"resultType":"scalar","result":[1780000000,"1"]}}');
      } else res.writeHead(404).end('not found');
    });
    try {
      const r = ok(await probeUrl(`${server.origin}/select/0/prometheus`, deps));
      assert.equal(r.kind, 'promql');
      assert.equal(r.engine, undefined);
      assert.deepEqual(seen, ['/select/0/prometheus', '/select/0/prometheus/api/v1/status/buildinfo', '/select/0/prometheus/api/v1/query?query=1']);
    } finally {
      await server.close();
    }
  });

  it('buildinfo names the engine (its text made printable); a server that is neither keeps the first reason', async () => {
    const server = await startLoopbackHttp((req, res) => {
      if (req.url === '/api/v1/status/buildinfo') res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success","data":{"version":"2.53.0\\u001b[31m"}}');
      else if (req.url === '/other/api/v1/query?query=1') res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"error","error":"no"}');
      else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>UI</title>');
    });
    try {
      const r = ok(await probeUrl(server.origin, deps));
      assert.equal(r.kind, 'promql');
      assert.match(r.engine ?? '', /^version 2\.53\.0/);
      assert.ok(!(r.engine ?? '').includes('\u001b'));
      const other = await probeUrl(`${server.origin}/other`, deps);
      assert.ok(!other.ok && /HTML/.test(other.reason), JSON.stringify(other));
    } finally {
      await server.close();
    }
  });
  it('nothing listening: the first failure, flagged unreachable, with no API paths tried', async () => {
    const r = await probeUrl(`http://127.0.0.1:${await freePort()}/api`, deps);
    assert.ok(!r.ok && r.unreachable === true && /refused|ECONNREFUSED/i.test(r.reason), JSON.stringify(r));
  });
});

describe('freeLoopbackPort', () => {
  it('gives the preferred port when free, another free one when it is taken', async () => {
    const free = await freePort();
    assert.equal(await freeLoopbackPort(free), free);
    const holder = await startLoopbackHttp((_req, res) => res.end());
    try {
      const taken = Number(new URL(holder.origin).port);
      const other = await freeLoopbackPort(taken);
      assert.notEqual(other, taken);
      assert.ok(other > 0);
    } finally {
      await holder.close();
    }
  });
});
