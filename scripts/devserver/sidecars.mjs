// `npm run demo` extras next to the reference dev server: an app instrumented with the OpenTelemetry
// JS SDK exporting to Pulse's `otlp` source, and Debian's Prometheus (when installed) scraping the dev
// server for a `promql` source. Each start returns { pid, source } or undefined with a printed reason.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..', '..');

/** 4318 (the OTLP/HTTP standard port, what OTEL_EXPORTER_OTLP_ENDPOINT users expect) when free, else any free port. */
export function otlpPort() {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', () => resolve(undefined));
      srv.listen(port, '127.0.0.1', () => {
        const chosen = srv.address().port;
        srv.close(() => resolve(chosen));
      });
    });
  return tryListen(4318).then((p) => p ?? tryListen(0));
}

function waitForLine(child, pattern, what, timeoutMs, log) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout?.on('data', (chunk) => {
      log.write(chunk);
      buffered += chunk.toString();
      if (pattern.test(buffered)) {
        clearTimeout(timer);
        buffered = '';
        resolve();
      }
      if (buffered.length > 10_000) buffered = buffered.slice(-1000);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code ?? signal})`));
    });
  });
}

/** scripts/devserver/otelApp.ts with only the OTel env vars pointing at Pulse's OTLP receiver on `port`. */
export async function startOtelApp(port, logFile) {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'otelApp.ts'), '--rps', '15'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_SERVICE_NAME: 'otel-shop', OTEL_METRIC_EXPORT_INTERVAL: '5000' },
  });
  child.stderr.pipe(log);
  try {
    await waitForLine(child, /^PULSE_OTEL_APP_READY /m, 'The OpenTelemetry demo app', 30_000, log);
  } catch (err) {
    console.warn(`⚠ ${err.message} (log: ${logFile}); going on without it.`);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    return undefined;
  }
  child.stdout.resume();
  return { pid: child.pid, source: { name: 'otel', kind: 'otlp', port } };
}

/** Debian's `prometheus` scraping the dev server every 5 s, when installed; undefined (and one line saying how to get it) otherwise. */
export async function startPrometheus(devPort, promPort, dir) {
  const found = spawnSync('/bin/sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  const binary = found.stdout.trim();
  if (found.status !== 0 || !binary || !existsSync(binary)) {
    console.log('ℹ No Prometheus next to the dev server: `sudo apt-get install -y --no-install-recommends prometheus` adds a "team prometheus" (promql) source to the demo.');
    return undefined;
  }
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, [
    'global:',
    '  scrape_interval: 5s',
    'scrape_configs:',
    '  - job_name: devserver',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${devPort}']`,
    '',
  ].join('\n'));
  const log = createWriteStream(join(dir, 'prometheus.log'));
  const child = spawn(binary, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--storage.tsdb.retention.time=6h', '--log.level=warn'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${promPort}`;
  const exited = new Promise((resolve) => child.once('exit', () => resolve(true)));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) {
      return {
        pid: child.pid,
        url,
        source: {
          name: 'team prometheus',
          kind: 'promql',
          url,
          pollIntervalMs: 5000,
          queries: [
            { name: 'devserver.requests', query: 'sum by (method, status_code) (rate(http_requests_total{job="devserver"}[2m]))', unit: 'per_second' },
            { name: 'devserver.memory', query: 'memory_usage_bytes{job="devserver"}', unit: 'bytes' },
            { name: 'devserver.cpu', query: 'cpu_usage_percent{job="devserver"}', unit: 'percent' },
            { name: 'up', query: 'up{job="devserver"}' },
          ],
        },
      };
    }
    if (await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 300))])) break;
  }
  console.warn(`⚠ Prometheus did not become ready (log: ${join(dir, 'prometheus.log')}); going on without it.`);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  return undefined;
}
