import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../src/core/model';
import { probeUrl } from '../../../src/sources/probe';
import type { ProbeResult } from '../../../src/sources/probe';
import { devServerPerSuite } from '../../helpers/devServerSuite';

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
