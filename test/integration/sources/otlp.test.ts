// An app instrumented with the real OpenTelemetry JS SDK exports to Pulse's OTLP receiver (through
// SourceManager and the pipeline, as the host wires them): protobuf and JSON, gzip, cumulative and
// delta temporality, explicit and exponential histograms.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../../../src/shared/format';
import { summarize } from '../../../src/core/views/summary';
import type { SeriesInfo } from '../../../src/core/series/store';
import { RestartDetector } from '../../../src/core/devloop/restartDetector';
import { freePort } from '../../helpers/ports';
import { makeRig, sleep, sourceConfig, until } from '../faults/support';
import type { Rig } from '../faults/support';
import { FakeVscode, disposeContext, loadExtension, makeContext, repoRoot, waitFor } from '../../helpers/fakeVscode';

type ExporterOptions = NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>;
const GZIP = 'gzip' as NonNullable<ExporterOptions['compression']>;

interface Variant {
  readonly name: string;
  readonly encoding: 'protobuf' | 'json';
  readonly gzip: boolean;
  readonly delta: boolean;
  readonly exponential: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'protobuf, gzip, cumulative', encoding: 'protobuf', gzip: true, delta: false, exponential: false },
  { name: 'JSON, cumulative', encoding: 'json', gzip: false, delta: false, exponential: false },
  { name: 'JSON, gzip, delta temporality', encoding: 'json', gzip: true, delta: true, exponential: false },
  { name: 'protobuf, delta, exponential histogram', encoding: 'protobuf', gzip: false, delta: true, exponential: true },
];

const CHECKOUT_RESOURCE = { 'service.name': 'checkout', 'service.instance.id': 'pod-1', 'process.pid': 4242 };
/** The source the receiver makes for that service: `<receiver id>/<service.name>` (the instance is a label). */
const CHECKOUT = 'checkout';

/** The instrumented "app": the SDK with an OTLP exporter pointed at Pulse, flushed by hand. */
function instrumentedApp(port: number, v: Variant, resource: Record<string, string | number> = CHECKOUT_RESOURCE): { provider: MeterProvider; record(durationsS: number[], orders: number): void } {
  const options: ExporterOptions = {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    ...(v.gzip ? { compression: GZIP } : {}),
    temporalityPreference: v.delta ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
  };
  const exporter = v.encoding === 'protobuf' ? new ProtoExporter(options) : new JsonExporter(options);
  const views: ViewOptions[] = v.exponential ? [{ instrumentName: 'http.server.request.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } } }] : [];
  const provider = new MeterProvider({
    resource: resourceFromAttributes(resource),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    views,
  });
  const meter = provider.getMeter('pulse-test');
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] },
  });
  const orders = meter.createCounter('orders.placed', { unit: '{order}' });
  const active = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
  meter.createObservableGauge('v8js.memory.heap.used', { unit: 'By' }).addCallback((result) => {
    result.observe(40 * 1024 * 1024, { 'v8js.heap.space.name': 'old_space' });
    result.observe(10 * 1024 * 1024, { 'v8js.heap.space.name': 'new_space' });
  });
  active.add(3, { 'http.request.method': 'GET' });
  return {
    provider,
    record(durationsS, count) {
      for (const d of durationsS) duration.record(d, { 'http.request.method': 'GET', 'http.route': '/cart', 'http.response.status_code': 200 });
      orders.add(count);
    },
  };
}

function postJson(port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/metrics', method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Posts `heap` as an OTLP JSON export until the extension's receiver listens and answers 200, then waits for it in the status bar. */
async function heapReachesStatusBar(fake: FakeVscode, port: number, heap: number, services: readonly string[] = ['shop']): Promise<void> {
  const body = heapExport(services, heap);
  // The receiver opens once activation has read the settings; until then the port refuses.
  let status = 0;
  for (const deadline = Date.now() + 10_000; status !== 200 && Date.now() < deadline; ) {
    status = await postJson(port, body);
    if (status !== 200) await sleep(50);
  }
  assert.equal(status, 200);
  await waitFor('heap in the status bar', () => fake.statusBarItems.some((i) => !i.disposed && i.text.includes(formatBytes(heap))));
}

const byName = (series: readonly SeriesInfo[], name: string, quantile?: string): SeriesInfo | undefined =>
  series.find((s) => s.name === name && (quantile === undefined ? true : s.labels.some(([k, v]) => k === 'quantile' && v === quantile)) && !(quantile === undefined && s.labels.some(([k]) => k === 'quantile')));

describe('OTLP receiver with the OpenTelemetry JS SDK', () => {
  let rig: Rig | undefined;
  let provider: MeterProvider | undefined;
  afterEach(async () => {
    await provider?.shutdown().catch(() => undefined);
    rig?.dispose();
    rig = undefined;
    provider = undefined;
  });

  for (const v of VARIANTS) {
    it(`${v.name}: p95, request rate, counter rate, gauges and resource labels`, async () => {
      const port = await freePort();
      rig = makeRig();
      await rig.apply([sourceConfig('app', `http://127.0.0.1:${port}`, 'otlp')]);
      await until('the receiver to listen', () => rig?.runtime('app').state.phase === 'open');
      const app = instrumentedApp(port, v);
      provider = app.provider;

      // 90 fast requests and 10 slow ones: p95 falls among the slow (0.25–0.5 s).
      app.record([...Array<number>(90).fill(0.008), ...Array<number>(10).fill(0.4)], 10);
      const before1 = Date.now();
      await provider.forceFlush();
      await until('the first export', () => rig?.pipeline.source(`app/${CHECKOUT}`)?.messages === 1);
      const after1 = Date.now();
      const series1 = rig.pipeline.store.bySource(`app/${CHECKOUT}`);
      const p95first = byName(series1, 'http.server.request.duration', '0.95');
      assert.ok(p95first, `no p95 in ${series1.map((s) => s.name).join(', ')}`);
      assert.equal(p95first.unit, 'ms');
      assert.ok(p95first.raw > 250 && p95first.raw <= 500, `p95 ${p95first.raw} ms`);

      await sleep(600);
      // 50 more requests, all fast: this interval's p95 is under 10 ms; 20 more orders.
      app.record(Array<number>(50).fill(0.008), 20);
      const before2 = Date.now();
      await provider.forceFlush();
      await until('the second export', () => rig?.runtime(`app/${CHECKOUT}`).messages === 2);
      const after2 = Date.now();
      assert.equal(rig.runtime('app').decodeErrors, 0);
      assert.equal(rig.runtime(`app/${CHECKOUT}`).decodeErrors, 0);
      assert.equal(rig.pipeline.store.bySource('app').length, 0, 'the service’s series are on its own source');

      const series = rig.pipeline.store.bySource(`app/${CHECKOUT}`);
      const minGap = (before2 - after1) / 1000;
      const maxGap = (after2 - before1) / 1000;

      const orders = byName(series, 'orders.placed');
      assert.ok(orders);
      assert.equal(orders.kind, 'counter');
      assert.equal(orders.raw, 30);
      assert.ok(orders.value !== null && orders.value >= 20 / maxGap && orders.value <= 20 / minGap, `orders rate ${orders.value}`);
      assert.deepEqual(
        orders.labels.filter(([k]) => k === 'service' || k === 'instance'),
        [
          ['instance', 'pod-1'],
          ['service', 'checkout'],
        ],
      );
      assert.ok(!orders.labels.some(([k]) => k === 'process.pid'), 'only chosen resource attributes become labels');

      const p95 = byName(series, 'http.server.request.duration', '0.95');
      assert.ok(p95 && p95.raw > 0 && p95.raw <= 10, `second p95 ${p95?.raw} ms`);

      const summary = summarize(series);
      assert.ok(summary.requestRate !== null && summary.requestRate >= 50 / maxGap && summary.requestRate <= 50 / minGap, `request rate ${summary.requestRate}`);
      assert.ok(summary.latencyMs !== null && summary.latencyMs <= 10, `latency ${summary.latencyMs}`);
      assert.equal(summary.heapBytes, 50 * 1024 * 1024);
      assert.equal(summary.pending, 3);
    });
  }
});

describe('the OTLP receiver in the host bundle', () => {
  it('is a separate bundle, loaded when an otlp source is configured, and feeds the status bar', async () => {
    const host = join(repoRoot, 'dist', 'extension.js');
    const lazy = join(repoRoot, 'dist', 'otlp.js');
    assert.ok(existsSync(host) && existsSync(lazy), 'dist/extension.js and dist/otlp.js are missing: run "node esbuild.mjs" first');
    // The protobuf schema (and protobufjs with it) lives only in the lazy bundle.
    assert.ok(!readFileSync(host, 'utf8').includes('ExportMetricsServiceRequest'));
    assert.ok(readFileSync(lazy, 'utf8').includes('ExportMetricsServiceRequest'));

    const port = await freePort();
    const storageDir = await mkdtemp(join(tmpdir(), 'pulse-otlp-'));
    const fake = new FakeVscode({ user: { 'pulse.sources': [{ name: 'otel', kind: 'otlp', port }] } });
    const context = makeContext({ storageDir });
    const extension = loadExtension(host, fake);
    try {
      extension.activate(context);
      await heapReachesStatusBar(fake, port, 48 * 1024 * 1024);
    } finally {
      await extension.deactivate();
      disposeContext(context);
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});

interface Captured {
  readonly body: Buffer;
  readonly headers: http.OutgoingHttpHeaders;
}

/** A loopback stand-in collector that keeps every export the SDK sends and answers 200. */
async function capturingCollector(): Promise<{ readonly port: number; readonly exports: Captured[]; close(): Promise<void> }> {
  const exports: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const type = req.headers['content-type'] ?? '';
      exports.push({ body: Buffer.concat(chunks), headers: { 'Content-Type': type, 'Content-Encoding': req.headers['content-encoding'] ?? 'identity' } });
      const answer = type.includes('json') ? '{}' : '';
      res.writeHead(200, { 'Content-Type': type.includes('json') ? 'application/json' : 'application/x-protobuf', 'Content-Length': answer.length });
      res.end(answer);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, exports, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function replay(port: number, e: Captured): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/metrics', method: 'POST', headers: e.headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(e.body);
  });
}

describe('"Add Source…" → Receive OpenTelemetry', () => {
  it('picks a free loopback port (4318 when free), saves an otlp source that listens there, copies the two env vars', async () => {
    const storageDir = await mkdtemp(join(tmpdir(), 'pulse-add-otlp-'));
    const fake = new FakeVscode({ user: { 'pulse.sources': [{ name: 'OpenTelemetry', kind: 'otlp', port: 0 }] } });
    const prompts: string[] = [];
    const names: string[] = [];
    fake.answers = {
      ...fake.answers,
      quickPick: (items) => items.find((i) => (i as { label?: unknown }).label === 'Receive OpenTelemetry (OTLP/HTTP)'),
      inputBox: (options) => {
        const o = options as { prompt?: string; value?: string };
        prompts.push(o.prompt ?? '');
        names.push(o.value ?? '');
        return 'shop app';
      },
      message: (_kind, _message, items) => items.find((i) => i === 'Copy Environment Variables'),
    };
    const context = makeContext({ storageDir });
    const extension = loadExtension(join(repoRoot, 'dist', 'extension.js'), fake);
    try {
      extension.activate(context);
      await fake.executeCommand('pulse.addSource');
      assert.deepEqual(names, ['OpenTelemetry 2'], 'a name not taken yet is suggested');
      const saved = fake.config.user.get('pulse.sources') as Array<Record<string, unknown>>;
      const added = saved.find((s) => s.name === 'shop app');
      assert.equal(added?.kind, 'otlp');
      const url = new URL(String(added?.url));
      assert.equal(url.hostname, 'localhost');
      const port = Number(url.port);
      assert.ok(port > 0);
      assert.match(prompts[0] ?? '', port === 4318 ? /localhost:4318, this machine only/ : /4318, the OTLP default, is in use/);
      const variables = `OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${port}\nOTEL_METRICS_EXPORTER=otlp`;
      const shown = fake.shown('information').find((d) => d.message.includes('listening for OpenTelemetry metrics'));
      assert.equal((shown?.options as { detail?: string } | undefined)?.detail, variables);
      assert.equal(fake.clipboardText, variables);
      // The new source listens on that port: an export reaches the status bar.
      await heapReachesStatusBar(fake, port, 52 * 1024 * 1024);
    } finally {
      await extension.deactivate();
      disposeContext(context);
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});

describe('an export the SDK retried, arriving after a newer one', () => {
  for (const encoding of ['protobuf', 'json'] as const) {
    it(`${encoding}: is dropped by its timestamps: no false restart, no rate spike; a new process is a real restart`, async () => {
      // Real exports of the OpenTelemetry SDK, captured, then delivered in the order a retry delivers them.
      const collector = await capturingCollector();
      const variant: Variant = { name: 'retry', encoding, gzip: encoding === 'protobuf', delta: false, exponential: false };
      const app = instrumentedApp(collector.port, variant);
      const later = instrumentedApp(collector.port, variant);
      const rig = makeRig();
      try {
        const flush = async (a: typeof app, n: number): Promise<void> => {
          await a.provider.forceFlush();
          await until(`export ${n} captured`, () => collector.exports.length === n);
        };
        app.record(Array<number>(100).fill(0.008), 10);
        await flush(app, 1); // A: failed before Pulse listened; the SDK retries it later
        await sleep(300);
        app.record(Array<number>(40).fill(0.008), 5);
        await flush(app, 2); // B: went through first
        await sleep(300);
        app.record(Array<number>(20).fill(0.008), 4);
        await flush(app, 3); // C: the next periodic export
        await sleep(300);
        app.record(Array<number>(30).fill(0.008), 2);
        await flush(app, 4); // E: and the next
        // The same app started again: a new MeterProvider, so a new start time and counts from zero.
        later.record(Array<number>(3).fill(0.008), 1);
        await flush(later, 5); // D
        const [a, b, c, e, d] = collector.exports;
        assert.ok(a && b && c && e && d);

        const port = await freePort();
        const restarts: number[] = [];
        rig.pipeline.setRestartHook(new RestartDetector());
        rig.pipeline.onDidDetectRestart(({ at }) => restarts.push(at));
        await rig.apply([sourceConfig('otel', `http://127.0.0.1:${port}`, 'otlp')]);
        await until('the receiver to listen', () => rig.runtime('otel').state.phase === 'open');
        const id = `otel/${CHECKOUT}`;
        const requests = (): SeriesInfo | undefined => byName(rig.pipeline.store.bySource(id), 'http.server.requests');
        const orders = (): SeriesInfo | undefined => byName(rig.pipeline.store.bySource(id), 'orders.placed');

        assert.equal(await replay(port, b), 200);
        await until('B', () => rig.pipeline.source(id)?.messages === 1);
        assert.equal(requests()?.raw, 140);
        await sleep(400);
        assert.equal(await replay(port, a), 200);
        await until('A', () => rig.pipeline.source(id)?.messages === 2);
        assert.deepEqual(restarts, [], 'the late export A is no restart');
        assert.equal(orders()?.raw, 15, 'the counter keeps B’s total, not A’s older one');
        assert.equal(requests()?.raw, 140);
        assert.ok(rig.lines.some((l) => l.message.includes('no newer than')), 'the dropped points are logged');

        await sleep(400);
        assert.equal(await replay(port, c), 200);
        await until('C', () => rig.pipeline.source(id)?.messages === 3);
        assert.equal(requests()?.raw, 160);
        const afterC = Date.now();
        await sleep(500);
        const beforeE = Date.now();
        assert.equal(await replay(port, e), 200);
        await until('E', () => rig.pipeline.source(id)?.messages === 4);
        const rate = summarize(rig.pipeline.store.bySource(id)).requestRate;
        // 30 requests between C and E, at least 0.5 s apart: at most 60/s.
        assert.ok(rate !== null && rate > 0 && rate <= 30 / ((beforeE - afterC) / 1000), `request rate ${rate}`);
        assert.deepEqual(restarts, []);

        assert.equal(await replay(port, d), 200);
        await until('D', () => rig.pipeline.source(id)?.messages === 5);
        assert.equal(restarts.length, 1, 'the restarted app (new start time) is a restart');
        assert.equal(orders()?.raw, 1);
        assert.equal(requests()?.raw, 3);
      } finally {
        await app.provider.shutdown().catch(() => undefined);
        await later.provider.shutdown().catch(() => undefined);
        rig.dispose();
        await collector.close();
      }
    });
  }
});

/** One OTLP JSON export of a heap gauge from each of `services` (one resource each). */
function heapExport(services: readonly string[], heap: number): string {
  return JSON.stringify({
    resourceMetrics: services.map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeMetrics: [{ metrics: [{ name: 'v8js.memory.heap.used', unit: 'By', gauge: { dataPoints: [{ asInt: String(heap) }] } }] }],
    })),
  });
}

const serviceLabel = (s: SeriesInfo): string | undefined => s.labels.find(([k]) => k === 'service')?.[1];

describe('a source per service exporting to one receiver', () => {
  it('two SDK apps are two sources, each with its own series and summary; one restarting is its own restart only', async () => {
    const port = await freePort();
    const rig = makeRig();
    const restarts: string[] = [];
    rig.pipeline.setRestartHook(new RestartDetector());
    rig.pipeline.onDidDetectRestart(({ sourceId }) => restarts.push(sourceId));
    const json: Variant = { name: 'json', encoding: 'json', gzip: false, delta: false, exponential: false };
    const proto: Variant = { name: 'proto', encoding: 'protobuf', gzip: true, delta: false, exponential: false };
    const cart = instrumentedApp(port, json, { 'service.name': 'cart' });
    const search = instrumentedApp(port, proto, { 'service.name': 'search' });
    let searchAgain: ReturnType<typeof instrumentedApp> | undefined;
    try {
      await rig.apply([sourceConfig('otel', `http://127.0.0.1:${port}`, 'otlp')]);
      await until('the receiver to listen', () => rig.runtime('otel').state.phase === 'open');
      const messages = (id: string): number => rig.pipeline.source(id)?.messages ?? 0;

      cart.record(Array<number>(20).fill(0.008), 5);
      search.record(Array<number>(10).fill(0.4), 1);
      await Promise.all([cart.provider.forceFlush(), search.provider.forceFlush()]);
      await until('both services', () => messages('otel/cart') === 1 && messages('otel/search') === 1);
      assert.deepEqual(
        rig.pipeline
          .sources()
          .map((rt) => [rt.config.id, rt.config.name, rt.state.phase])
          .sort(),
        [
          ['otel', 'otel', 'open'],
          ['otel/cart', 'cart', 'open'],
          ['otel/search', 'search', 'open'],
        ],
      );
      assert.equal(rig.pipeline.store.bySource('otel').length, 0);
      assert.deepEqual([...new Set(rig.pipeline.store.bySource('otel/cart').map(serviceLabel))], ['cart']);
      assert.deepEqual([...new Set(rig.pipeline.store.bySource('otel/search').map(serviceLabel))], ['search']);

      await sleep(500);
      cart.record(Array<number>(40).fill(0.008), 5);
      search.record(Array<number>(10).fill(0.4), 1);
      await Promise.all([cart.provider.forceFlush(), search.provider.forceFlush()]);
      await until('the second exports', () => messages('otel/cart') === 2 && messages('otel/search') === 2);
      const cartSummary = summarize(rig.pipeline.store.bySource('otel/cart'));
      const searchSummary = summarize(rig.pipeline.store.bySource('otel/search'));
      assert.ok(cartSummary.latencyMs !== null && cartSummary.latencyMs <= 10, `cart latency ${cartSummary.latencyMs}`);
      assert.ok(searchSummary.latencyMs !== null && searchSummary.latencyMs > 250, `search latency ${searchSummary.latencyMs}`);
      assert.ok(cartSummary.requestRate !== null && searchSummary.requestRate !== null && cartSummary.requestRate > 2 * searchSummary.requestRate, `rates ${cartSummary.requestRate} vs ${searchSummary.requestRate}`);
      assert.equal(cartSummary.heapBytes, 50 * 1024 * 1024);
      assert.deepEqual(restarts, []);

      // "search" starts again (a new process: new start time, counts from zero); "cart" goes on.
      searchAgain = instrumentedApp(port, proto, { 'service.name': 'search' });
      searchAgain.record(Array<number>(2).fill(0.4), 1);
      cart.record(Array<number>(10).fill(0.008), 1);
      await Promise.all([searchAgain.provider.forceFlush(), cart.provider.forceFlush()]);
      await until('the exports after the restart', () => messages('otel/search') === 3 && messages('otel/cart') === 3);
      assert.deepEqual(restarts, ['otel/search']);
      assert.equal(byName(rig.pipeline.store.bySource('otel/search'), 'orders.placed')?.raw, 1);
      assert.equal(byName(rig.pipeline.store.bySource('otel/cart'), 'orders.placed')?.raw, 11);
    } finally {
      await cart.provider.shutdown().catch(() => undefined);
      await search.provider.shutdown().catch(() => undefined);
      await searchAgain?.provider.shutdown().catch(() => undefined);
      rig.dispose();
    }
  });

  it('the 17th service folds into the receiver (warned once); quiet services go idle; actions on a service act on its receiver', async () => {
    const port = await freePort();
    const rig = makeRig({ serviceStaleMs: 400 });
    const { pipeline, manager, lines } = rig;
    const phase = (id: string): string | undefined => pipeline.source(id)?.state.phase;
    try {
      await rig.apply([sourceConfig('otel', `http://127.0.0.1:${port}`, 'otlp')]);
      await until('the receiver to listen', () => phase('otel') === 'open');
      const services = Array.from({ length: 17 }, (_, i) => `svc-${i + 1}`);
      assert.equal(await postJson(port, heapExport(services, 1_000_000)), 200);
      await until('16 services', () => pipeline.sources().length === 17);
      const ids = pipeline.sources().map((rt) => rt.config.id);
      assert.deepEqual(ids.slice(1).sort(), services.slice(0, 16).map((s) => `otel/${s}`).sort());
      assert.ok(!ids.includes('otel/svc-17'));
      await until('svc-17 on the receiver', () => pipeline.store.bySource('otel').length === 1);
      assert.equal(serviceLabel(pipeline.store.bySource('otel')[0] as SeriesInfo), 'svc-17');
      assert.equal(pipeline.store.bySource('otel/svc-1').length, 1);
      assert.equal(phase('otel/svc-1'), 'open');

      assert.equal(await postJson(port, heapExport(['svc-17', 'svc-18'], 2_000_000)), 200);
      await until('svc-18 on the receiver', () => pipeline.store.bySource('otel').length === 2);
      assert.equal(pipeline.sources().length, 17);
      assert.equal(lines.filter((l) => l.level === 'warn' && l.message.includes('more than 16 services')).length, 1, 'warned once');
      assert.match(pipeline.source('otel')?.lastReportedError ?? '', /more than 16 services/);
      assert.equal(pipeline.source('otel')?.errorCount, 1);

      await until('quiet services go idle', () => phase('otel/svc-1') === 'idle' && phase('otel/svc-16') === 'idle', 5_000);
      assert.equal(phase('otel'), 'open', 'the receiver still listens');
      assert.equal(await postJson(port, heapExport(['svc-1'], 3_000_000)), 200);
      await until('svc-1 open again', () => phase('otel/svc-1') === 'open');
      assert.equal(phase('otel/svc-2'), 'idle');

      manager.disconnect(['otel/svc-1']);
      assert.equal(phase('otel'), 'closed', 'Disconnect on a service stops its receiver');
      assert.equal(phase('otel/svc-1'), 'closed');
      assert.equal(phase('otel/svc-2'), 'closed');
      assert.equal(manager.isEnabled('otel'), false);
      assert.equal(manager.isEnabled('otel/svc-2'), false);
      assert.deepEqual(manager.disabledIds(), ['otel']);
      await manager.reconnect(['otel/svc-2']);
      await until('the receiver listens again', () => phase('otel') === 'open');
      assert.equal(manager.isEnabled('otel/svc-2'), true);
      assert.equal(manager.find('otel/svc-2')?.name, 'svc-2');
      assert.equal(manager.receiverOf('otel/svc-2'), 'otel');
      assert.deepEqual(
        manager.sources.map((s) => s.id),
        ['otel'],
        'settings-facing lists hold only what settings define',
      );
    } finally {
      rig.dispose();
    }
  });
});

interface TreeRow {
  readonly element: unknown;
  readonly label: string;
  readonly contextValue: string | undefined;
}

async function sourceRows(fake: FakeVscode): Promise<TreeRow[]> {
  const view = fake.treeViews.get('pulse.sources');
  const items = (await view?.items()) ?? [];
  return items.map(({ element, item }) => ({ element, label: typeof item.label === 'string' ? item.label : item.label.label, contextValue: item.contextValue }));
}

/** The Sources tree's rows once `ok` holds for them (within 5 s). */
async function rowsWhen(fake: FakeVscode, what: string, ok: (rows: readonly TreeRow[]) => boolean): Promise<TreeRow[]> {
  for (const deadline = Date.now() + 5_000; ; ) {
    const rows = await sourceRows(fake);
    if (ok(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(rows.map((r) => [r.label, r.contextValue]))}`);
    await sleep(20);
  }
}

/** The Sources tree's item commands whose `when` clause holds for an item with `contextValue` (package.json, as VS Code reads it). */
function menuFor(contextValue: string): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, Array<{ command: string; when?: string }>> } };
  const out = new Set<string>();
  for (const entry of manifest.contributes.menus['view/item/context'] ?? []) {
    const when = entry.when ?? '';
    if (!when.includes('view == pulse.sources')) continue;
    const regex = /viewItem =~ \/(.+)\/$/.exec(when);
    const equal = /viewItem == (\S+)$/.exec(when);
    if ((regex?.[1] !== undefined && new RegExp(regex[1]).test(contextValue)) || equal?.[1] === contextValue) out.add(entry.command);
  }
  return [...out].sort();
}

describe('services of one receiver in the host: trees, menus, status bar, reload', () => {
  it('each service is a row and a status bar item; its menu acts on the receiver; it comes back with its history after a reload', async () => {
    const port = await freePort();
    const storageDir = await mkdtemp(join(tmpdir(), 'pulse-otlp-services-'));
    const state = new Map<string, string>();
    const options = { user: { 'pulse.sources': [{ name: 'otel', kind: 'otlp', port }], 'pulse.statusBar.perSource': true } };
    const bundle = join(repoRoot, 'dist', 'extension.js');
    let fake = new FakeVscode(options);
    let context = makeContext({ storageDir, state });
    let extension = loadExtension(bundle, fake);
    try {
      extension.activate(context);
      await heapReachesStatusBar(fake, port, 41 * 1024 * 1024, ['cart']);
      await heapReachesStatusBar(fake, port, 43 * 1024 * 1024, ['search']);
      const items = (): string[] => fake.statusBarItems.filter((i) => !i.disposed).map((i) => i.text);
      const cartItem = items().find((t) => t.includes(formatBytes(41 * 1024 * 1024)));
      assert.ok(cartItem && !cartItem.includes(formatBytes(43 * 1024 * 1024)), `one item per service, not summed: ${items().join(' | ')}`);

      let rows = await rowsWhen(fake, 'three rows', (r) => r.length === 3);
      assert.deepEqual(
        rows.map((r) => [r.label, r.contextValue]).sort(),
        [
          ['cart', 'pulseSource.enabled.derived'],
          ['otel', 'pulseSource.enabled'],
          ['search', 'pulseSource.enabled.derived'],
        ],
      );
      assert.deepEqual(menuFor('pulseSource.enabled.derived'), ['pulse.sources.disable', 'pulse.sources.reconnect']);
      assert.deepEqual(menuFor('pulseSource.disabled.derived'), ['pulse.sources.enable']);
      assert.deepEqual(menuFor('pulseSource.enabled'), ['pulse.sources.disable', 'pulse.sources.reconnect', 'pulse.sources.remove', 'pulse.sources.setToken', 'pulse.sources.test']);

      // Disable on a service's row stops its receiver: every row of it shows disabled.
      const cart = rows.find((r) => r.label === 'cart');
      await fake.executeCommand('pulse.sources.disable', cart?.element);
      rows = await rowsWhen(fake, 'rows disabled', (r) => r.every((row) => row.contextValue?.startsWith('pulseSource.disabled') === true));
      assert.equal(await postJson(port, heapExport(['cart'], 1)), 0, 'the receiver no longer listens');
      await fake.executeCommand('pulse.sources.enable', rows.find((r) => r.label === 'search')?.element);
      await heapReachesStatusBar(fake, port, 45 * 1024 * 1024, ['cart']);
    } finally {
      await extension.deactivate();
      disposeContext(context);
    }

    // A reload: the services' sources come back with their restored history before they export again.
    fake = new FakeVscode(options);
    context = makeContext({ storageDir, state });
    extension = loadExtension(bundle, fake);
    try {
      extension.activate(context);
      const rows = await rowsWhen(fake, 'the services restored', (r) => r.length === 3);
      assert.deepEqual(rows.map((r) => r.label).sort(), ['cart', 'otel', 'search']);
      await waitFor('search’s heap restored in the status bar', () => fake.statusBarItems.some((i) => !i.disposed && i.text.includes(formatBytes(43 * 1024 * 1024))));
    } finally {
      await extension.deactivate();
      disposeContext(context);
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});
