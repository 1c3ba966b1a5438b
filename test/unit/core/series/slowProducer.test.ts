// Slow producers polled fast (issue 15 item 6): seed 002's Prometheus collector updates every 60 s,
// seed 003's /metrics/enhanced every 5 s; Pulse polls every 2 s. Rates must span the producer's
// real update intervals (no 0 / spike / 0 saw-tooth), repeats add no points, and no-data still works.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger, SourceConfig } from '../../../../src/core/model';
import { Pipeline } from '../../../../src/core/pipeline';
import type { Clock } from '../../../../src/core/series/clock';
import { Cadence } from '../../../../src/core/series/cadence';

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  set(time: number): void {
    this.time = time;
  }
  advance(ms: number): number {
    this.time += ms;
    return this.time;
  }
}

const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const T0 = 1_700_000_000_000;
const POLL_MS = 2_000;

function make(kind: SourceConfig['kind']): { p: Pipeline; clock: ManualClock } {
  const clock = new ManualClock(T0);
  const p = new Pipeline({ store: { rawWindowMs: 15 * 60_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 200 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log, clock);
  p.setSources([{ id: 'src', name: 'src', url: 'http://127.0.0.1:1/metrics', kind, format: 'auto', pollIntervalMs: POLL_MS, headers: {}, scope: 'user' }]);
  return { p, clock };
}

/** Seed 002's exposition as its collector would render collection number `n` (every 60 s). */
function encore(n: number): string {
  return [
    '# TYPE http_requests_total counter',
    `http_requests_total{method="GET",service="my-api",status_code="200"} ${600 * n}`,
    '# TYPE memory_usage_bytes gauge',
    `memory_usage_bytes{service="my-api"} ${45_000_000 + 1000 * (n % 7)}`,
    '# TYPE cpu_usage_percent gauge',
    `cpu_usage_percent{cpu_id="0",service="my-api"} ${30 + (n % 5)}`,
    '',
  ].join('\n');
}

const REQUESTS = 'src|http_requests_total{method="GET",service="my-api",status_code="200"}';
const MEMORY = 'src|memory_usage_bytes{service="my-api"}';

describe('slow producers polled fast', () => {
  it('a 60 s Prometheus collector polled every 2 s: rate = Δ/60 s at every update, never 0 / spike / 0', () => {
    const { p, clock } = make('prometheus');
    const phase = 17_000; // the collector's cycle starts 17 s after our first poll
    const collection = (t: number): number => Math.floor((t - T0 + 60_000 - phase) / 60_000);
    const shown: Array<number | null> = [];
    for (let t = T0; t <= T0 + 10 * 60_000; t = clock.advance(POLL_MS)) {
      p.handle('src', encore(collection(t)), clock.now());
      if (t >= T0 + phase + 60_000) shown.push(p.store.get(REQUESTS)?.value ?? null);
    }
    // Between updates the rate shown is the last one computed: 10/s at every poll, no 0, no spike.
    assert.ok(shown.length > 200);
    for (const v of shown) assert.ok(v !== null && Math.abs(v - 10) < 1e-9, `rate shown ${String(v)}`);
    // The chart: one point per collector update, each rate 600 / 60 s.
    const rates = p.store.points(REQUESTS, 0, clock.now(), 'rate');
    const values = rates.v.filter((v): v is number => v !== null);
    assert.equal(rates.v.length - values.length, 2, 'no rate at the first message nor at the first update (their span is unknown), rather than a spike');
    assert.ok(values.length >= 8 && values.length <= 11, `${values.length} rate points`);
    for (const v of values) assert.ok(Math.abs(v - 10) < 1e-9, `chart rate ${v}`);
    // Gauges get one point per update too, not one per poll.
    assert.ok(p.store.points(MEMORY, 0, clock.now(), 'raw').t.length <= 12);
    // The source is alive: the series count as received at every poll.
    assert.equal(p.store.get(MEMORY)?.updatedAt, clock.now() - POLL_MS);
  });

  it('a counter that stops increasing reads 0 after 2× the learned interval, and the next increase spans one interval', () => {
    const { p, clock } = make('prometheus');
    let n = 0;
    for (let t = T0; t <= T0 + 5 * 60_000; t = clock.advance(POLL_MS)) {
      n = Math.floor((t - T0) / 60_000);
      p.handle('src', encore(n), t);
    }
    assert.equal(p.store.get(REQUESTS)?.value, 10);
    const lastUpdate = T0 + n * 60_000;
    // The collector freezes (every scrape identical); polls go on.
    const seen: Array<[number, number | null]> = [];
    for (let t = clock.now(); t <= lastUpdate + 200_000; t = clock.advance(POLL_MS)) {
      p.handle('src', encore(n), t);
      seen.push([t - lastUpdate, p.store.get(REQUESTS)?.value ?? null]);
    }
    for (const [age, v] of seen) {
      if (age < 118_000) assert.equal(v, 10, `still the last rate ${age} ms after the update`);
      if (age >= 122_000) assert.equal(v, 0, `0 once held still for 2× the 60 s interval (${age} ms)`);
    }
    // It resumes: the increase is spread over one producer interval (not over the 2 s since the last poll).
    clock.set(lastUpdate + 240_000);
    p.handle('src', encore(n + 1), clock.now());
    assert.equal(p.store.get(REQUESTS)?.value, 10);
    const values = p.store.points(REQUESTS, 0, clock.now(), 'rate').v.filter((v): v is number => v !== null);
    assert.ok(values.every((v) => v === 0 || Math.abs(v - 10) < 1e-9), `rates ${values.join(', ')}`);
  });

  it('seed 003 every 5 s with its timestamp, polled every 2 s: rates over the server-stamped 5 s, one point per stamp', () => {
    const { p, clock } = make('http-json');
    const start = Math.ceil(T0 / 5000) * 5000;
    clock.set(start + 1000);
    const id = 'src|connections.messages_recv_total';
    const rates: number[] = [];
    for (let t = clock.now(); t <= start + 3 * 60_000; t = clock.advance(POLL_MS)) {
      const k = Math.floor((t - start) / 5000);
      const body = {
        timestamp: (start + 5000 * k) / 1000,
        uptime_seconds: (t - start) / 1000, // computed per request: changes at every poll
        connections: { active: 5, messages_recv_total: 340 + 50 * k, bytes_recv_total: 34_000 + 5000 * k },
      };
      p.handle('src', JSON.stringify(body), t);
      const v = p.store.get(id)?.value;
      if (t > start + 30_000 && v !== null && v !== undefined) rates.push(v);
    }
    assert.ok(rates.length > 60);
    for (const v of rates) assert.ok(Math.abs(v - 10) < 1e-9, `rate ${v} (50 per 5 s)`);
    const points = p.store.points(id, start + 30_000, clock.now(), 'rate');
    assert.ok(points.t.length >= 28 && points.t.length <= 31, `${points.t.length} points in 150 s of 5 s updates`);
    for (const v of points.v) assert.ok(v !== null && Math.abs(v - 10) < 1e-9, `chart rate ${String(v)}`);
    for (let i = 1; i < points.t.length; i++) assert.equal((points.t[i] ?? 0) - (points.t[i - 1] ?? 0), 5000, 'points at the server-stamped 5 s');
  });

  it('a JSON message whose timestamp repeats the previous one adds no point, gauges included', () => {
    const { p } = make('http-json');
    const msg = (ts: number, active: number, uptime: number): string => JSON.stringify({ timestamp: ts, uptime_seconds: uptime, connections: { active, messages_recv_total: active * 10 } });
    p.handle('src', msg(1_703_123_450, 4, 100), T0);
    p.handle('src', msg(1_703_123_455, 5, 105), T0 + 2000);
    p.handle('src', msg(1_703_123_455, 5, 107), T0 + 4000); // same stamp, polled again
    p.handle('src', msg(1_703_123_455, 5, 109), T0 + 6000);
    for (const name of ['connections.active', 'uptime_seconds', 'connections.messages_recv_total']) {
      assert.equal(p.store.points(`src|${name}`, 0, T0 + 10_000, 'raw').t.length, 2, `${name}: one point per server timestamp`);
      assert.equal(p.store.get(`src|${name}`)?.updatedAt, T0 + 6000, `${name}: still seen`);
    }
    assert.equal(p.store.get('src|connections.messages_recv_total')?.value, 5, 'rate kept, not 0');
  });

  it('no-data counts from the last message received, repeats included, and still fires when messages stop', () => {
    const { p, clock } = make('prometheus');
    p.setThresholdSettings([{ id: 'mem', metric: 'memory_usage_bytes', warning: 1e12, for: 0 }], false);
    const nodata = (): number => p.alerts.views(clock.now()).filter((a) => a.state === 'nodata').length;
    for (let t = T0; t <= T0 + 4 * 60_000; t = clock.advance(POLL_MS)) {
      p.handle('src', encore(Math.floor((t - T0) / 60_000)), t);
      p.tick(t + 1000);
    }
    assert.equal(nodata(), 0, 'a 60 s producer polled every 2 s is never "no data"');
    const last = clock.now() - POLL_MS;
    clock.set(last + 14_000);
    p.tick(clock.now());
    assert.equal(nodata(), 0);
    clock.set(last + 16_000);
    p.tick(clock.now());
    assert.equal(nodata(), 1, 'no-data after the configured 15 s');
  });
});

describe('Cadence', () => {
  it('learns the update interval from changes (a low quantile: one short outlier ignored), not from the first message', () => {
    const c = new Cadence();
    assert.equal(c.interval, null);
    c.observe(0, undefined, false);
    c.observe(10_000, undefined, false); // first change: the first message fell anywhere in the cycle
    assert.equal(c.interval, null);
    for (const t of [70_000, 130_000, 132_000, 190_000, 250_000, 310_000]) c.observe(t, undefined, false);
    assert.equal(c.interval, 58_000); // 60, 2, 58, 60, 60 → lower quartile
    assert.equal(c.holdMs(), 116_000);
    assert.equal(c.observe(320_000, undefined, true).repeat, true);
    assert.equal(c.observe(430_000, undefined, true).repeat, false, 'held still past the hold: recorded');
  });

  it('a timestamp that never changes is ignored; one that advances marks repeats', () => {
    const stuck = new Cadence();
    stuck.observe(0, 5000, false);
    assert.equal(stuck.observe(2000, 5000, false).repeat, false, 'values changed and the stamp never moved: not trusted');
    const live = new Cadence();
    live.observe(0, 5000, false);
    live.observe(2000, 10_000, false);
    assert.equal(live.observe(4000, 10_000, false).repeat, true);
  });
});
