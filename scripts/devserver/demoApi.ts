// The demo API the synthetic traffic calls. Each endpoint answers after a small random delay
// (plus any `latency` mode) so the latency percentiles every format reports are measured, not made up.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from './context';

export interface DemoRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Base response time range in ms. */
  readonly delay: readonly [min: number, max: number];
  readonly cacheable: boolean;
}

export const DEMO_ROUTES: readonly DemoRoute[] = [
  { method: 'GET', path: '/api/users', delay: [4, 30], cacheable: true },
  { method: 'GET', path: '/api/orders', delay: [8, 45], cacheable: false },
  { method: 'POST', path: '/api/orders', delay: [15, 70], cacheable: false },
  { method: 'GET', path: '/api/search', delay: [10, 90], cacheable: true },
];

export function demoRoute(method: string | undefined, path: string): DemoRoute | undefined {
  return DEMO_ROUTES.find((r) => r.method === method && r.path === path);
}

/** Healthy by default: no failures unless the `errors` mode asks for them. */
const BASE_ERROR_RATE = 0;
/** A warm cache: most cacheable requests are hits, steadily, from the first second. */
const CACHE_HIT_PROBABILITY = 0.98;
const MAX_BODY_BYTES = 64 * 1024;
const NAMES = ['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'frances'];

export class DemoApi {
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextOrderId = 1000;

  constructor(private readonly ctx: Context) {}

  handle(route: DemoRoute, req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (route.method === 'POST') {
      readBody(req, MAX_BODY_BYTES).then(
        (body) => this.respondLater(route, res, url, body),
        () => send(res, 413, { error: 'request body too large' }),
      );
      return;
    }
    this.respondLater(route, res, url, '');
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private respondLater(route: DemoRoute, res: ServerResponse, url: URL, body: string): void {
    const { stats, modes } = this.ctx;
    let delay = route.delay[0] + Math.random() * (route.delay[1] - route.delay[0]);
    if (route.cacheable) {
      const hit = Math.random() < CACHE_HIT_PROBABILITY;
      stats.recordCache(hit);
      if (hit) delay *= 0.3;
    }
    delay += modes.latencyFor(route.path);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (res.destroyed) return;
      const errorRate = modes.state.errors?.rate ?? BASE_ERROR_RATE;
      if (Math.random() < errorRate) {
        send(res, 500, { error: 'simulated failure' });
        return;
      }
      send(res, route.method === 'POST' ? 201 : 200, this.payload(route, url, body));
    }, delay);
    this.timers.add(timer);
  }

  private payload(route: DemoRoute, url: URL, body: string): unknown {
    switch (`${route.method} ${route.path}`) {
      case 'GET /api/users': {
        const page = Math.max(1, Math.min(100, Number(url.searchParams.get('page')) || 1));
        return { page, users: NAMES.map((name, i) => ({ id: page * 100 + i, name })) };
      }
      case 'GET /api/orders':
        return { orders: Array.from({ length: 10 }, (_, i) => ({ id: this.nextOrderId - i, total: Math.round(Math.random() * 10_000) / 100 })) };
      case 'POST /api/orders':
        this.ctx.stats.ordersCreated += 1;
        return { id: this.nextOrderId++, received: body.length };
      default: {
        const q = (url.searchParams.get('q') ?? '').slice(0, 50);
        return { q, results: NAMES.filter((n) => n.includes(q.toLowerCase())).map((name) => ({ name })) };
      }
    }
  }
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  // setHeader (not writeHead's object) so the size can be read back for the bandwidth figure.
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.writeHead(status);
  res.end(text);
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
