// The dev server: one Node http server, WebSocket upgrades routed by path (noServer), every
// seed format (../shared/seeds 000–004) on the seed's own path, the demo API, synthetic
// traffic and /__control.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUN_HEADERS, bunHttpMetrics, bunStatus } from './bunFormat';
import type { Context, DevServerOptions, Published } from './context';
import { Modes } from './control';
import { DemoApi, demoRoute, readBody, send } from './demoApi';
import { EncoreMetrics } from './encore';
import { GoCollector } from './goFormat';
import { cardinalityPrometheus, evilPrometheus, padded, withNested } from './hostile';
import { Jobs } from './jobs';
import type { FormatInputs } from './measures';
import { metricsSnapshot } from './snapshotFormat';
import { Stats } from './stats';
import { Streams, authorized } from './streams';
import { Traffic } from './traffic';

export interface RunningDevServer {
  readonly port: number;
  readonly context: Context;
  close(): Promise<void>;
}

interface Body {
  readonly contentType: string;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_PAGE = '<!doctype html>\n<html><head><title>Sign in</title></head><body><h1>Please sign in</h1><script>location.href="/login"</script></body></html>\n';
const INDEX = `Pulse dev server: the formats of the five seed documents

seed 000  GET  /api/dev/server-metrics        Bun native metrics
          WS   /api/dev/server-metrics/live   the same, pushed every 500 ms (also /ws/server-metrics/live)
          GET  /api/dev/status                vector.sessions.websocketSubscribers
seed 001  WS   /metrics                       snapshot on open, update every 5 s, error
          GET  /api/metrics                   MetricsSnapshot
          GET  /sse                           MetricsSnapshot as server-sent events, every 1 s
seed 002  GET  /metrics                       Prometheus text of Encore metrics, collected every 60 s
seed 003  GET  /stats, /metrics/enhanced, /metrics/system   Go WebSocket server stats, updated every 5 s
seed 004  WS   /ws                            hypervisord daemon: metrics every 2 s among other messages
demo API  GET  /api/users, /api/orders, /api/search; POST /api/orders; WS /ws/topics?topic=chat
control   GET  /__control/state; POST /__control/mode | /__control/restart | /__control/traffic
(intervals are multiplied by --interval-scale)
`;

export async function listen(options: DevServerOptions): Promise<RunningDevServer> {
  const stats = new Stats();
  const modes = new Modes();
  const jobs = new Jobs();
  const published: Published = {};
  const inputs = (): FormatInputs => ({ stats, modes, now: Date.now() });
  const context: Context = {
    options,
    stats,
    modes,
    jobs,
    encore: new EncoreMetrics(inputs, options.intervalScale),
    go: new GoCollector(inputs, options.intervalScale),
    published,
    inputs,
  };
  const { encore, go } = context;
  const streams = new Streams(context);
  const demo = new DemoApi(context);
  const held = new Set<ServerResponse>();
  const drips = new Set<NodeJS.Timeout>();
  let traffic: Traffic | undefined;
  let port = 0;

  const metricBodies: Readonly<Record<string, (req: IncomingMessage) => Body>> = {
    '/api/dev/server-metrics': () => ({ ...json((published.bunHttp = bunHttpMetrics(inputs()))), headers: BUN_HEADERS }),
    '/api/dev/status': () => json((published.bunStatus = bunStatus(inputs()))),
    '/api/metrics': () => json((published.apiMetrics = metricsSnapshot(inputs()))),
    '/stats': () => json((published.stats = go.current.stats)),
    '/metrics/enhanced': () => json((published.enhanced = go.current.enhanced)),
    '/metrics/system': () => json((published.system = go.current.system)),
    '/metrics': (req) => prometheus(req),
  };

  function json(value: unknown): Body {
    const text = JSON.stringify(value);
    const nested = modes.state.nested;
    return { contentType: JSON_TYPE, text: nested ? withNested(text, nested.depth) : text };
  }

  function prometheus(req: IncomingMessage): Body {
    const extra = [modes.state.cardinality ? cardinalityPrometheus(modes.state.cardinality.count) : '', modes.state.evil ? evilPrometheus() : '']
      .filter(Boolean)
      .join('\n');
    const { contentType, body } = encore.render(extra, req.headers.accept);
    published.prometheus = body;
    return { contentType, text: body };
  }

  /** The misbehaviours every metrics endpoint shares. Returns true when the request was taken care of. */
  function misbehave(req: IncomingMessage, res: ServerResponse): boolean {
    const s = modes.state;
    if (s.reset) {
      req.socket.destroy();
      return true;
    }
    if (s.unauthorized && !authorized(req, s.unauthorized.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      send(res, 401, { error: 'unauthorized' });
      return true;
    }
    if (s.http500) {
      send(res, 500, { error: 'internal server error' });
      return true;
    }
    if (s.html) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(HTML_PAGE) });
      res.end(HTML_PAGE);
      return true;
    }
    return false;
  }

  function deliver(res: ServerResponse, body: Body): void {
    let text = body.text;
    const huge = modes.state.huge;
    if (huge) text = body.contentType === JSON_TYPE ? padded(text, huge.bytes) : `${text}# padding ${'x'.repeat(Math.max(0, huge.bytes - text.length))}\n`;
    const buffer = Buffer.from(text, 'utf8');
    res.writeHead(200, { ...body.headers, 'Content-Type': body.contentType, 'Content-Length': buffer.length, 'Cache-Control': 'no-store' });
    if (!modes.state.slowBody) {
      res.end(buffer);
      return;
    }
    // Headers now, the body a few bytes at a time.
    let offset = 0;
    const drip = setInterval(() => {
      if (res.destroyed || offset >= buffer.length) {
        clearInterval(drip);
        drips.delete(drip);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(buffer.subarray(offset, offset + 8));
      offset += 8;
    }, 200);
    drips.add(drip);
    res.on('close', () => {
      clearInterval(drip);
      drips.delete(drip);
    });
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/__control/state') {
      send(res, 200, {
        ...published,
        pid: process.pid,
        port,
        uptime: stats.uptimeSeconds,
        modes: modes.state,
        traffic: { rps: traffic?.rate ?? 0 },
        // Metrics clients only (what tests connect); the synthetic app's own sockets are counted apart.
        connections: [...stats.clients.values()].filter((c) => c.stream !== 'sse' && c.stream !== 'app').length,
        appClients: [...stats.clients.values()].filter((c) => c.stream === 'app').length,
        sseClients: [...stats.clients.values()].filter((c) => c.stream === 'sse').length,
      });
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, { error: 'use POST' });
      return;
    }
    let body: unknown;
    try {
      const text = await readBody(req, 1024 * 1024);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      send(res, 400, { error: 'expected a JSON body' });
      return;
    }
    switch (path) {
      case '/__control/mode': {
        const result = modes.apply(body);
        if (!result.ok) {
          send(res, 400, { error: result.error });
          return;
        }
        if (result.mode === 'reset' && modes.state.reset) streams.destroyAll();
        if (result.mode === 'flap' && modes.state.flap) streams.closeAll();
        if (result.mode === 'huge') streams.rearmHuge();
        // The periodic collections (seeds 002, 003) take a mode change at once, so tests need not wait a period.
        go.collect();
        encore.collect();
        send(res, 200, { ok: true, modes: modes.state });
        return;
      }
      case '/__control/restart':
        res.on('finish', () => {
          streams.closeAll();
          stats.reset();
          jobs.reset();
          go.collect();
          encore.collect();
          server.closeIdleConnections();
        });
        send(res, 200, { ok: true });
        return;
      case '/__control/traffic': {
        const rps = (body as { rps?: unknown }).rps;
        if (typeof rps !== 'number' || !Number.isFinite(rps) || rps < 0 || rps > 500) {
          send(res, 400, { error: 'rps must be a number from 0 to 500' });
          return;
        }
        if (!traffic) {
          traffic = new Traffic(loopback(options.host), port, rps);
          traffic.start();
        }
        traffic.setRate(rps);
        send(res, 200, { ok: true, rps });
        return;
      }
      default:
        send(res, 404, { error: 'unknown control endpoint' });
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (path.startsWith('/__control/')) return control(req, res, path);
    const endpoint = demoRoute(req.method, path);
    if (endpoint) return demo.handle(endpoint, req, res, url);
    const build = Object.hasOwn(metricBodies, path) ? metricBodies[path] : undefined;
    if ((build || path === '/sse') && req.method === 'GET') {
      if (misbehave(req, res)) return;
      if (path === '/sse') return streams.sse(req, res, modes.state.stall === true);
      if (modes.state.stall || !build) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      deliver(res, build(req));
      return;
    }
    if (path === '/' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(INDEX);
      return;
    }
    send(res, 404, { error: 'not found' });
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const finished = stats.requestStarted();
    const url = new URL(req.url ?? '/', 'http://devserver.invalid');
    const demoEndpoint = demoRoute(req.method, url.pathname);
    res.on('close', () => {
      finished();
      const ms = performance.now() - started;
      if (demoEndpoint && res.writableFinished) stats.recordEndpoint(req.method ?? 'GET', demoEndpoint.path, res.statusCode, ms, Number(res.getHeader('content-length')) || 0);
    });
    route(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : 'internal error' });
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://devserver.invalid').pathname;
    streams.upgrade(req, socket, head, path);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  if (options.traffic) {
    traffic = new Traffic(loopback(options.host), port, options.rps);
    traffic.start();
  }

  let closing: Promise<void> | undefined;
  return {
    port,
    context,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        traffic?.stop();
        demo.dispose();
        streams.dispose();
        stats.dispose();
        jobs.dispose();
        go.dispose();
        encore.dispose();
        for (const t of drips) clearInterval(t);
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function loopback(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}
