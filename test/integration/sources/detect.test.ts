// Detection against the real reference dev server on loopback: every seed path found with its format,
// closed ports and HTML pages skipped, probes bounded, nothing but loopback ever probed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../src/core/model';
import { detectEndpoints } from '../../../src/sources/detect';
import { rankEndpoints } from '../../../src/core/detect/rank';
import { devServerPerSuite } from '../../helpers/devServerSuite';
import { freePort } from '../../helpers/ports';

const noop = (): void => undefined;
const log: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };
const deps = { log, maxPayloadBytes: 4 * 1024 * 1024, hosts: ['127.0.0.1'] };

describe('detectEndpoints', () => {
  const dev = devServerPerSuite(['--interval-scale', '0.2', '--no-traffic']);

  it('finds every seed endpoint of the reference dev server with kind and format, and skips a closed port', async () => {
    const closed = await freePort();
    const progress: number[] = [];
    const found = await detectEndpoints(
      [
        { port: closed, reasons: [], fromWorkspace: false },
        { port: dev().port, reasons: ['package.json: script "dev"'], fromWorkspace: true },
      ],
      { ...deps, onProgress: (done) => progress.push(done) },
    );
    const got = new Map(found.map((e) => [`${e.kind} ${e.path}`, e.format]));
    assert.equal(got.get('ws /api/dev/server-metrics/live'), 'bun');
    assert.equal(got.get('ws /ws/server-metrics/live'), 'bun');
    assert.equal(got.get('http-json /api/dev/server-metrics'), 'bun');
    assert.equal(got.get('ws /metrics'), 'snapshot');
    assert.equal(got.get('prometheus /metrics'), 'prometheus');
    assert.ok(got.has('sse /sse'), [...got.keys()].join(', '));
    assert.ok(got.has('http-json /api/metrics'));
    assert.equal(got.get('http-json /stats'), 'go-stats');
    assert.equal(got.get('http-json /metrics/enhanced'), 'go-stats');
    assert.equal(got.get('http-json /metrics/system'), 'go-stats');
    assert.equal(got.get('ws /ws'), 'daemon');
    assert.ok(found.every((e) => e.port === dev().port && e.url.startsWith(e.kind === 'ws' ? 'ws://127.0.0.1:' : 'http://127.0.0.1:') && e.reasons[0] === 'package.json: script "dev"'));
    assert.ok(progress.length > 0 && progress.at(-1) === 11, `progress ${progress.join(',')}`);
    const ranked = rankEndpoints(found, [dev().url('/metrics')]);
    assert.equal(ranked[0]?.recommended, true);
    assert.equal(ranked[0]?.kind, 'ws');
    assert.ok(!ranked.some((r) => r.kind === 'prometheus'), 'the configured endpoint is left out');
  });

  it('an HTML or 404 server yields nothing; at most `concurrency` probes at once', async () => {
    let open = 0;
    let peak = 0;
    let requests = 0;
    const server = http.createServer((req, res) => {
      open++;
      requests++;
      peak = Math.max(peak, open);
      setTimeout(() => {
        open--;
        if (req.url === '/stats') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>x</title>');
        else res.writeHead(404).end('not found');
      }, 50);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const found = await detectEndpoints([{ port, reasons: [], fromWorkspace: false }], { ...deps, concurrency: 2 });
      assert.deepEqual(found, []);
      assert.ok(requests >= 7, `the http paths were asked (${requests})`);
      assert.ok(peak <= 2, `peak ${peak}`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('refuses a host that is not loopback', async () => {
    await assert.rejects(detectEndpoints([{ port: 80, reasons: [], fromWorkspace: false }], { ...deps, hosts: ['192.168.1.10'] }), /loopback only/);
  });
});
