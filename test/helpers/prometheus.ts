// A real Prometheus server (Debian's `prometheus` package) for a test: a temp config scraping
// loopback targets every second, a temp TSDB, a free loopback port; and a small prom-client app
// for it to scrape.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { freePort } from './ports';

export const PROMETHEUS_MISSING =
  'The Prometheus server binary is missing: run `sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus` (`npm test -- unit` installs it).';

/** Path of the `prometheus` binary; throws with the install command when it is missing. */
export function prometheusBinary(searchPath = process.env.PATH ?? ''): string {
  const found = spawnSync('/bin/sh', ['-c', 'command -v prometheus'], { encoding: 'utf8', env: { PATH: searchPath } });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) throw new Error(PROMETHEUS_MISSING);
  return path;
}

export interface PrometheusServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** One instant query's value per series, via the API (for waiting until data is there). */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  return res.json() as Promise<unknown>;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}) while waiting for ${what}:\n${log()}`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts Prometheus scraping `targets` (`host:port`) as job "app" every second; resolves once it is ready. */
export async function startPrometheus(targets: readonly string[]): Promise<PrometheusServer> {
  const binary = prometheusBinary();
  const dir = mkdtempSync(join(tmpdir(), 'pulse-prom-'));
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: app',
    '    static_configs:',
    `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child = spawn(
    binary,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1h', '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const query = async (expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
    const body = (await getJson(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)) as { data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    return body.data?.result ?? [];
  };
  try {
    await waitFor('prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok, 30_000, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, query, stop };
}

export interface MetricsApp {
  /** `127.0.0.1:<port>`, as a scrape target. */
  readonly target: string;
  close(): Promise<void>;
}

/**
 * A loopback app instrumented with prom-client: request counter and duration histogram by handler
 * (bumped every 100 ms), plus prom-client's default process metrics.
 */
export async function startMetricsApp(): Promise<MetricsApp> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests served.', labelNames: ['handler', 'code'], registers: [registry] });
  const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Request duration.', labelNames: ['handler'], buckets: [0.01, 0.05, 0.1, 0.5, 1], registers: [registry] });
  let n = 0;
  const traffic = setInterval(() => {
    n++;
    requests.inc({ handler: '/api/users', code: '200' }, 3);
    requests.inc({ handler: '/api/orders', code: n % 5 === 0 ? '500' : '200' });
    duration.observe({ handler: '/api/users' }, 0.02 + (n % 10) / 100);
  }, 100);
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(traffic);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
