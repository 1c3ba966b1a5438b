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

/** The instrumented "app": the SDK with an OTLP exporter pointed at Pulse, flushed by hand. */
function instrumentedApp(port: number, v: Variant): { provider: MeterProvider; record(durationsS: number[], orders: number): void } {
  const options: ExporterOptions = {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    ...(v.gzip ? { compression: GZIP } : {}),
    temporalityPreference: v.delta ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
  };
  const exporter = v.encoding === 'protobuf' ? new ProtoExporter(options) : new JsonExporter(options);
  const views: ViewOptions[] = v.exponential ? [{ instrumentName: 'http.server.request.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } } }] : [];
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.instance.id': 'pod-1', 'process.pid': 4242 }),
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
      await until('the first export', () => rig?.runtime('app').messages === 1);
      const after1 = Date.now();
      const series1 = rig.pipeline.store.bySource('app');
      const p95first = byName(series1, 'http.server.request.duration', '0.95');
      assert.ok(p95first, `no p95 in ${series1.map((s) => s.name).join(', ')}`);
      assert.equal(p95first.unit, 'ms');
      assert.ok(p95first.raw > 250 && p95first.raw <= 500, `p95 ${p95first.raw} ms`);

      await sleep(600);
      // 50 more requests, all fast: this interval's p95 is under 10 ms; 20 more orders.
      app.record(Array<number>(50).fill(0.008), 20);
      const before2 = Date.now();
      await provider.forceFlush();
      await until('the second export', () => rig?.runtime('app').messages === 2);
      const after2 = Date.now();
      assert.equal(rig.runtime('app').decodeErrors, 0);

      const series = rig.pipeline.store.bySource('app');
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
      const heap = 48 * 1024 * 1024;
      const body = JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
            scopeMetrics: [{ metrics: [{ name: 'v8js.memory.heap.used', unit: 'By', gauge: { dataPoints: [{ asInt: String(heap) }] } }] }],
          },
        ],
      });
      // The receiver opens once activation has read the settings; until then the port refuses.
      let status = 0;
      for (const deadline = Date.now() + 10_000; status === 0 && Date.now() < deadline; ) {
        status = await postJson(port, body);
        if (status === 0) await sleep(50);
      }
      assert.equal(status, 200);
      await waitFor('heap in the status bar', () => fake.statusBarItems.some((i) => !i.disposed && i.text.includes(formatBytes(heap))));
    } finally {
      await extension.deactivate();
      disposeContext(context);
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});
