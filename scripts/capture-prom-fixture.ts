// Records what the real prom-client library exposes, so the Prometheus decoder is tested against
// genuine output rather than our idea of it. Run: npx tsx scripts/capture-prom-fixture.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RegistryContentType } from 'prom-client';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = join(root, 'test', 'fixtures', 'formats');

/** Requests the fixture records, per method and route: [status, duration in seconds]. */
const ROUTES: ReadonlyArray<readonly [method: string, route: string, requests: ReadonlyArray<readonly [string, number]>]> = [
  ['GET', '/api/users', [['200', 0.012], ['200', 0.034], ['200', 0.051], ['200', 0.18], ['500', 0.9]]],
  ['POST', '/api/orders', [['201', 0.075], ['201', 0.22], ['503', 2.4]]],
  ['GET', '/health', [['200', 0.002], ['200', 0.003]]],
  ['GET', '/api/items/:id', [['404', 0.008]]],
  ['GET', '/api/search?q="a\\b"', [['200', 0.6]]],
];

/** The requests in order: [method, route, status, duration in seconds]. */
const REQUESTS = ROUTES.flatMap(([method, route, requests]) => requests.map(([status, seconds]) => [method, route, status, seconds] as const));

async function capture(contentType: RegistryContentType, withExemplars: boolean): Promise<string> {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(contentType);
  collectDefaultMetrics({ register: registry });
  const requests = new Counter<string>({
    name: 'http_requests_total',
    help: 'Total HTTP requests served',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
    enableExemplars: withExemplars,
  });
  const duration = new Histogram<string>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
    enableExemplars: withExemplars,
  });
  for (const [i, [method, route, status, seconds]] of REQUESTS.entries()) {
    const exemplarLabels = { traceId: `trace-${i}` };
    if (withExemplars) {
      requests.inc({ labels: { method, route, status }, value: 1, exemplarLabels });
      duration.observe({ labels: { method, route }, value: seconds, exemplarLabels });
    } else {
      requests.inc({ method, route, status });
      duration.observe({ method, route }, seconds);
    }
  }
  // Let the event-loop-lag and GC collectors record something before reading.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return registry.metrics();
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const text = await capture(Registry.PROMETHEUS_CONTENT_TYPE, false);
  writeFileSync(join(outDir, 'prometheus-prom-client.txt'), text);
  const open = await capture(Registry.OPENMETRICS_CONTENT_TYPE, true);
  writeFileSync(join(outDir, 'prometheus-openmetrics.txt'), open);
  console.log(`wrote ${text.length} + ${open.length} characters to ${outDir}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
