// OTLP decode cost per data point: what Pulse's receiver does with one request body (parse, then map
// onto Pulse's model) against the bare parse — protobufjs decode alone, or JSON.parse — of the same
// bytes. The bodies are what the real OpenTelemetry JS exporters post, captured on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { Root } from 'protobufjs/light';
import { mapOtlpMetrics } from '../src/core/decode/otlp';
import { DeltaTotals } from '../src/core/decode/otlpDelta';
import { OTLP_METRICS_SCHEMA } from '../src/sources/otlpSchema';
import { parseRequest } from '../src/sources/otlpWire';
import type { OtlpEncoding } from '../src/sources/otlpWire';
import type { BenchContext, FigureRow } from './lib/report';
import { fmt, iqr } from './lib/report';
import { gc, interleaved, median, nowMs } from './lib/stats';

const ROUTES = 25;
const METHODS = ['GET', 'POST'] as const;
const STATUSES = [200, 500] as const;

let sink = 0;

/** One export of a service with 100 request-duration histograms, 50 counters and 12 gauges, as the SDK posts it. */
async function captureBody(encoding: OtlpEncoding): Promise<Buffer> {
  let body: Buffer | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      body = Buffer.concat(chunks);
      res.writeHead(200, { 'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf' }).end(encoding === 'json' ? '{}' : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/v1/metrics`;
  const exporter = encoding === 'json' ? new JsonExporter({ url }) : new ProtoExporter({ url });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench-shop', 'service.instance.id': 'pod-1', 'host.name': 'bench' }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
  });
  try {
    const meter = provider.getMeter('pulse-bench');
    const duration = meter.createHistogram('http.server.request.duration', { unit: 's' });
    const requests = meter.createCounter('orders.placed', { unit: '{order}' });
    const active = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
    meter.createObservableGauge('v8js.memory.heap.used', { unit: 'By' }).addCallback((result) => {
      for (let s = 0; s < 10; s++) result.observe(1_000_000 * (s + 1), { 'v8js.heap.space.name': `space_${s}` });
    });
    for (let r = 0; r < ROUTES; r++) {
      for (const method of METHODS) {
        for (const status of STATUSES) {
          const attrs = { 'http.request.method': method, 'http.route': `/api/r${r}`, 'http.response.status_code': status };
          for (let i = 0; i < 20; i++) duration.record(0.002 * (1 + ((r * 7 + i) % 40)), attrs);
        }
        requests.add(r + 1, { 'http.route': `/api/r${r}`, 'http.request.method': method });
      }
    }
    active.add(3, { 'http.request.method': 'GET' });
    active.add(1, { 'http.request.method': 'POST' });
    await provider.forceFlush();
  } finally {
    await provider.shutdown().catch(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
  }
  if (!body) throw new Error(`the ${encoding} exporter posted nothing`);
  return body;
}

/** Data points in an OTLP JSON-shaped request (every metric kind keeps them in `dataPoints`). */
function countPoints(request: unknown): number {
  let n = 0;
  const rms = (request as { resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<Record<string, { dataPoints?: unknown[] } | undefined>> }> }> }).resourceMetrics ?? [];
  for (const rm of rms) for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) for (const k of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary']) n += m[k]?.dataPoints?.length ?? 0;
  return n;
}

async function figure(ctx: BenchContext, encoding: OtlpEncoding): Promise<FigureRow> {
  const body = await captureBody(encoding);
  const parsed = parseRequest(body, encoding);
  if (!parsed.ok) throw new Error(`Pulse could not parse the ${encoding} body: ${parsed.error}`);
  const points = countPoints(parsed.value);
  const check = mapOtlpMetrics(parsed.value, new DeltaTotals());
  if (!check.ok || check.value.accepted !== points) throw new Error(`Pulse mapped ${check.ok ? check.value.accepted : check.error} of ${points} points`);
  const request = Root.fromJSON(OTLP_METRICS_SCHEMA).lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
  const iterations = ctx.quick ? 100 : 300;
  const totals = new DeltaTotals();
  /** ms for `iterations` calls of `step`, after a full GC. */
  const timeLoop = (step: () => number): number => {
    gc();
    const start = nowMs();
    for (let i = 0; i < iterations; i++) sink += step();
    return nowMs() - start;
  };
  const pulse = (): number => {
    const p = parseRequest(body, encoding);
    const m = p.ok ? mapOtlpMetrics(p.value, totals) : undefined;
    return m?.ok ? m.value.accepted : 0;
  };
  const bare = (): number => (encoding === 'json' ? (JSON.parse(body.toString('utf8')) as { resourceMetrics: unknown[] }).resourceMetrics.length : request.decode(body) ? 1 : 0);
  const result = await interleaved({ rounds: 15, warmup: 2, a: () => timeLoop(pulse), b: () => timeLoop(bare) });
  // Where Pulse's time goes: the parse step alone (protobufjs decode + toObject, or JSON.parse), the rest is mapping.
  const parseOnly = [0, 1, 2, 3, 4].map(() => timeLoop(() => (parseRequest(body, encoding).ok ? 1 : 0)));
  const perPoint = (ms: number): string => `${fmt((ms * 1000) / iterations / points, 3)} µs/point`;
  const name = encoding === 'json' ? 'JSON' : 'protobuf';
  return {
    id: `otlp.${encoding === 'json' ? 'json' : 'protobuf'}`,
    figure: `OTLP decode, ${name} (${points} points, ${(body.length / 1024).toFixed(1)} KB from the OTel JS exporter)`,
    pulse: `${perPoint(median(result.a))} (parse + map)`,
    baseline: `${perPoint(median(result.b))} (${encoding === 'json' ? 'JSON.parse' : 'protobufjs decode'} alone)`,
    ratio: result.ratio.median,
    spread: iqr(result.ratio),
    goal: 'info',
    pass: null,
    details: { points, bytes: body.length, iterations, usPerPointA: (median(result.a) * 1000) / iterations / points, usPerPointB: (median(result.b) * 1000) / iterations / points, usPerPointParseStep: (median(parseOnly) * 1000) / iterations / points, msA: result.a, msB: result.b, ratios: result.ratios, sink: sink > 0 },
  };
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  return [await figure(ctx, 'protobuf'), await figure(ctx, 'json')];
}
