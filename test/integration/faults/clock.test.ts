// Issue 20 row 6: the wall clock jumps a day ahead for one message, then back. Through the host
// pipeline (SourceManager → real poll transport on loopback → Pipeline), the rate stays the true
// 10/s, the chart keeps every point, no-data still fires after its seconds, and the step is logged once.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pipeline } from '../../../src/core/pipeline';
import { SourceManager } from '../../../src/host/sources/sourceManager';
import { createTransport } from '../../../src/sources/transport';
import { FAST_TIMINGS, pipelineOptions, recordingLogger, sourceConfig } from './support';

const DAY = 86_400_000;
const NO_DATA_MS = 1_500;
const SERIES = 'clock|steps_total';

/** Waits on the monotonic clock: Date.now is what this test tampers with. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a wall-clock step of one day for one message, then back', () => {
  let server: http.Server;
  let url = '';
  const started = performance.now();
  before(async () => {
    // A counter growing 10 per second of real (monotonic) time.
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE steps_total counter\nsteps_total ${((performance.now() - started) / 100).toFixed(3)}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('rate ≈ true rate, chart points kept, no-data fires, the step logged once', async () => {
    const realNow = Date.now;
    const { log, lines } = recordingLogger();
    const pipeline = new Pipeline({ ...pipelineOptions(), noDataAfterMs: NO_DATA_MS }, log);
    pipeline.setThresholdSettings([{ id: 'steps', metric: 'steps_total', warning: 1e12, for: 0 }], false);
    const manager = new SourceManager({
      pipeline,
      log,
      getToken: () => Promise.resolve(undefined),
      isTrusted: () => true,
      confirmRemote: () => Promise.resolve(false),
      // A transport given no clock reads the wall clock; read it at call time, so the step reaches it as a real one would.
      create: (config, deps) => createTransport(config, { now: () => Date.now(), ...deps, ...FAST_TIMINGS }),
    });
    // As PulseHost does: a periodic evaluation on the pipeline's clock.
    const tick = setInterval(() => pipeline.tick(pipeline.clock.now()), 100);
    try {
      await manager.apply([sourceConfig('clock', url, 'prometheus', { pollIntervalMs: 200 })], 1024 * 1024);
      const messages = (): number => pipeline.source('clock')?.messages ?? 0;
      await waitFor('5 messages', () => messages() >= 5);

      const before = messages();
      Date.now = () => realNow() + DAY;
      try {
        await waitFor('one message during the step', () => messages() > before);
      } finally {
        Date.now = realNow;
      }
      const stepEnded = pipeline.clock.now();
      await waitFor('3 s of messages after the step', () => pipeline.clock.now() - stepEnded >= 3_000);
      const now = pipeline.clock.now();

      const rate = pipeline.store.get(SERIES)?.value ?? NaN;
      assert.ok(Math.abs(rate - 10) < 2, `rate ${rate}/s, the counter grows 10/s`);
      const rates = pipeline.store.points(SERIES, stepEnded, now, 'rate').v;
      for (const v of rates) assert.ok(v !== null && Math.abs(v - 10) < 3, `chart rate ${String(v)}`);
      const points = pipeline.store.points(SERIES, 0, Infinity, 'raw').t;
      assert.ok(points.every((t) => t <= now), 'no point a day ahead');
      for (let i = 1; i < points.length; i++) assert.ok((points[i] ?? 0) > (points[i - 1] ?? 0), 'points in time order, none collapsed');
      const after = points.filter((t) => t >= stepEnded).length;
      assert.ok(after >= 9, `${after} chart points in the 3 s after the step (polled every 200 ms)`);
      assert.equal(Math.abs((pipeline.store.get(SERIES)?.updatedAt ?? 0) - now) < 1_000, true, 'updatedAt is recent, not a day ahead');

      const stepLines = lines.filter((l) => /clock stepped/.test(l.message));
      assert.equal(stepLines.length, 1, `the step logged once: ${JSON.stringify(stepLines)}`);
      assert.match(stepLines[0]?.message ?? '', /ahead by 24 h/);

      // The server goes away: no-data after its 1.5 s.
      const lastMessage = pipeline.source('clock')?.lastMessageAt ?? 0;
      server.closeAllConnections();
      server.close();
      await waitFor('a no-data alert', () => pipeline.alerts.views(pipeline.clock.now()).some((a) => a.state === 'nodata'), 8_000);
      const firedAfter = pipeline.clock.now() - lastMessage;
      assert.ok(firedAfter >= NO_DATA_MS && firedAfter < NO_DATA_MS + 2_500, `no-data ${firedAfter} ms after the last message`);
    } finally {
      Date.now = realNow;
      clearInterval(tick);
      manager.dispose();
      pipeline.dispose();
    }
  });
});
