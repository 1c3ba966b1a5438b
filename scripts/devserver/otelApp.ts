// A small HTTP app instrumented with the OpenTelemetry JS SDK, configured only by the standard env
// vars (OTEL_EXPORTER_OTLP_ENDPOINT, optionally OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME,
// OTEL_METRIC_EXPORT_INTERVAL): it serves its own traffic and exports request duration, request
// count and heap to an OTLP/HTTP receiver such as Pulse's `otlp` source (`npm run demo`, e2e tests).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';

const USAGE = 'usage: otelApp.ts [--rps N] [--slow-every N] [--report]   (env: OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318)';

interface Options {
  /** Requests the app sends itself per second. */
  readonly rps: number;
  /** Every Nth request takes ~300 ms instead of ~5 ms, so p95 sits among the slow ones when N ≤ 20. */
  readonly slowEvery: number;
  /** Print one `PULSE_OTEL_OBSERVED {json}` line per heap observation (for tests). */
  readonly report: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let rps = 20;
  let slowEvery = 10;
  let report = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (lo: number, hi: number): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < lo || v > hi) throw new Error(`${a} wants a number in ${lo}..${hi}\n${USAGE}`);
      return v;
    };
    if (a === '--rps') rps = num(1, 1000);
    else if (a === '--slow-every') slowEvery = Math.round(num(2, 1000));
    else if (a === '--report') report = true;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return { rps, slowEvery, report };
}

function exportIntervalMs(): number {
  const v = Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? '');
  return Number.isFinite(v) && v >= 100 ? v : 5000;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT && !process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT is not set\n${USAGE}`);
  }
  // Both exporters read the endpoint (and headers) from the environment, as in any instrumented app.
  const protocol = process.env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const exporter = protocol === 'http/json' ? new JsonExporter() : new ProtoExporter();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'otel-shop', 'service.instance.id': `pid-${process.pid}` }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: exportIntervalMs(), exportTimeoutMillis: Math.min(exportIntervalMs(), 10_000) })],
  });
  const meter = provider.getMeter('pulse-otel-app');
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5] },
  });
  let served = 0;
  meter.createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'Heap used by V8.' }).addCallback((result) => {
    const heap = process.memoryUsage().heapUsed;
    result.observe(heap);
    if (opts.report) process.stdout.write(`PULSE_OTEL_OBSERVED ${JSON.stringify({ heap, served, at: Date.now() })}\n`);
  });

  let n = 0;
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const route = req.url?.startsWith('/api/orders') ? '/api/orders' : '/api/products';
    const slow = ++n % opts.slowEvery === 0;
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      served++;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.record(seconds, { 'http.request.method': req.method ?? 'GET', 'http.route': route, 'http.response.status_code': 200 });
    }, slow ? 300 : 5);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let i = 0;
  const traffic = setInterval(() => {
    const path = ++i % 3 === 0 ? '/api/orders' : '/api/products';
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => res.resume()).on('error', () => undefined);
  }, 1000 / opts.rps);
  process.stdout.write(`PULSE_OTEL_APP_READY ${JSON.stringify({ port, pid: process.pid, protocol })}\n`);

  const stop = (): void => {
    clearInterval(traffic);
    server.close();
    agent.destroy();
    provider.shutdown().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
