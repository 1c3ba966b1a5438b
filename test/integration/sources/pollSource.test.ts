import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import type { SourceKind } from '../../../src/shared/vocabulary';
import type { Received, TransportDeps } from '../../../src/sources/transport';
import { silentLog, sleep, until } from '../../helpers/transports';
import type { Watched } from '../../helpers/transports';
import { devServerPerSuite } from '../../helpers/devServerSuite';
import { disposing, inlineHttpServer, inMode, suiteTransports, untilPhase } from '../../helpers/sourceTesting';
import type { InlineServer } from '../../helpers/sourceTesting';

const sources = suiteTransports(silentLog);
function watch(url: string, kind: SourceKind, pollIntervalMs: number, deps: Partial<TransportDeps> = {}): Watched {
  return sources.watch({ id: 'poll', name: 'poll', url, kind, format: 'auto', pollIntervalMs, headers: {}, scope: 'user' }, deps);
}

const inlineServer = (handler: http.RequestListener): Promise<InlineServer> => inlineHttpServer(handler, '/stats');

describe('polling transport', () => {
  const dev = devServerPerSuite(['--interval-scale', '0.2'], () => sources.disposeAll());

  it('polls /stats (http-json) and stays open while polls succeed', async () => {
    const w = watch(dev().url('/stats'), 'http-json', 100);
    w.transport.start();
    await until('three polls', () => w.received.length >= 3);
    assert.deepEqual(
      w.states.map((s) => s.phase),
      ['connecting', 'open'],
    );
    const body = JSON.parse((w.received[0] as Received).payload) as { connections: { active: unknown }; uptime_seconds: unknown };
    assert.equal(typeof body.connections.active, 'number');
    assert.equal(typeof body.uptime_seconds, 'number');
    w.transport.dispose();
  });

  it('polls /metrics (prometheus) and gets the classic text format', async () => {
    const w = watch(dev().url('/metrics'), 'prometheus', 200);
    w.transport.start();
    await until('a poll', () => w.received.length >= 1);
    const text = (w.received[0] as Received).payload;
    assert.match(text, /^# TYPE http_requests_total counter$/m);
    assert.match(text, /^# TYPE memory_usage_bytes gauge$/m);
    assert.doesNotMatch(text, /# EOF/);
    w.transport.dispose();
  });

  it('never overlaps polls against a slow server', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let served = 0;
    const srv = await inlineServer((_req, res) => {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      setTimeout(() => {
        concurrent -= 1;
        served += 1;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"ok":1}');
      }, 250);
    });
    const w = watch(srv.url, 'http-json', 10);
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('four polls', () => served >= 4);
      assert.equal(maxConcurrent, 1);
    });
  });

  it('a stalled server times out the request → warning and retry', async () => {
    await inMode(dev(), 'stall', async () => {
      const w = watch(dev().url('/stats'), 'http-json', 100, { requestTimeoutMs: 300 });
      w.transport.start();
      const state = await untilPhase(w, 'reconnecting');
      assert.match(state.reason, /no response within 0\.3 s/);
      assert.ok(w.warnings.some((m) => m.includes('no response')));
      w.transport.dispose();
    });
  });

  it('a body that drips in slowly is cut off by the deadline', async () => {
    await inMode(dev(), 'slow-body', async () => {
      const w = watch(dev().url('/api/dev/server-metrics'), 'http-json', 100, { requestTimeoutMs: 300 });
      w.transport.start();
      const state = await untilPhase(w, 'reconnecting');
      assert.match(state.reason, /not complete within 1\.2 s/);
      assert.equal(w.received.length, 0);
      w.transport.dispose();
    });
  });

  it('HTML where metrics were expected → a clear warning', async () => {
    await inMode(dev(), 'html', async () => {
      const w = watch(dev().url('/stats'), 'http-json', 100);
      w.transport.start();
      await until('a warning', () => w.warnings.length > 0);
      assert.match(w.warnings[0] ?? '', /server returned HTML, not metrics/);
      assert.equal(w.received.length, 0);
      w.transport.dispose();
    });
  });

  it('a body over the size cap is aborted with a warning', async () => {
    await inMode(dev(), 'huge', async () => {
      const w = watch(dev().url('/stats'), 'http-json', 100, { maxPayloadBytes: 1024 * 1024 });
      w.transport.start();
      await until('a warning', () => w.warnings.length > 0);
      assert.match(w.warnings[0] ?? '', /larger than the 1 MiB limit/);
      assert.equal(w.received.length, 0);
      w.transport.dispose();
    }, { bytes: 3 * 1024 * 1024 });
  });

  it('HTTP 500 → reconnecting "HTTP 500" with backoff, then open again', async () => {
    await dev().control('http500');
    const w = watch(dev().url('/stats'), 'http-json', 100);
    try {
      w.transport.start();
      const state = await untilPhase(w, 'reconnecting');
      assert.match(state.reason, /^HTTP 500/);
      assert.equal(state.attempt, 1);
      await until('a second failure', () => w.states.some((s) => s.phase === 'reconnecting' && s.attempt === 2));
      await dev().control('normal');
      await until('open', () => w.transport.state.phase === 'open' && w.received.length > 0);
    } finally {
      w.transport.dispose();
      await dev().control('normal');
    }
  });

  it('401/404 → failed and polling stops', async () => {
    for (const status of [401, 404]) {
      let requests = 0;
      const srv = await inlineServer((_req, res) => {
        requests += 1;
        res.writeHead(status);
        res.end();
      });
      const w = watch(srv.url, 'http-json', 50);
      try {
        w.transport.start();
        const failed = await untilPhase(w, 'failed');
        assert.match(failed.reason, new RegExp(`^HTTP ${status}`));
        await sleep(500);
        assert.equal(requests, 1);
      } finally {
        w.transport.dispose();
        await srv.close();
      }
    }
  });

  it('a warning listener that stops polling leaves no poll behind', async () => {
    let requests = 0;
    const srv = await inlineServer((_req, res) => {
      requests += 1;
      res.writeHead(503);
      res.end();
    });
    const w = watch(srv.url, 'http-json', 50);
    w.transport.onDidWarn(() => w.transport.stop());
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('closed', () => w.transport.state.phase === 'closed');
      await sleep(400);
      assert.equal(requests, 1);
      assert.equal(w.transport.state.phase, 'closed');
    });
  });

  it('stop() → closed and no more requests', async () => {
    let requests = 0;
    const srv = await inlineServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    const w = watch(srv.url, 'http-json', 50);
    await disposing(w, srv, async () => {
      w.transport.start();
      await until('two polls', () => w.received.length >= 2);
      w.transport.stop();
      const seen = requests;
      assert.equal(w.transport.state.phase, 'closed');
      await sleep(500);
      assert.equal(requests, seen);
      assert.equal(w.transport.send('x'), false);
    });
  });
});
