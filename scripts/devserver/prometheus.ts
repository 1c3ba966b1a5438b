// /metrics, produced by the real prom-client library so Pulse is tested against what real
// Node services expose. Two registries share the metrics: classic text and OpenMetrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OpenMetricsContentType, PrometheusContentType } from 'prom-client';

export interface Exposition {
  readonly contentType: string;
  readonly body: string;
}

export class PromMetrics {
  private readonly text = new Registry<PrometheusContentType>();
  private readonly openMetrics = new Registry<OpenMetricsContentType>();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;

  constructor(connections: () => number) {
    this.openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const registers = [this.text, this.openMetrics];
    collectDefaultMetrics({ register: this.text });
    collectDefaultMetrics({ register: this.openMetrics });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method and route.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'ws_connections',
      help: 'Open WebSocket connections.',
      registers,
      collect() {
        this.set(connections());
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, seconds);
  }

  /** `extra` is appended as-is (hand-written series for the cardinality and evil modes). */
  async render(accept: string | undefined, extra: string): Promise<Exposition> {
    const wantsOpenMetrics = prefersOpenMetrics(accept ?? '');
    const registry = wantsOpenMetrics ? this.openMetrics : this.text;
    let body = await registry.metrics();
    if (extra) {
      if (wantsOpenMetrics) {
        body = body.replace(/# EOF\n?$/, '') + `${extra}\n# EOF\n`;
      } else {
        body = `${body.endsWith('\n') ? body : `${body}\n`}${extra}\n`;
      }
    }
    return { contentType: registry.contentType, body };
  }

  reset(): void {
    this.text.resetMetrics();
    this.openMetrics.resetMetrics();
  }
}

/** Content negotiation by q-value: OpenMetrics only when the client ranks it above plain text. */
export function prefersOpenMetrics(accept: string): boolean {
  let openMetrics = 0;
  let text = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain' || type === '*/*') text = Math.max(text, type === '*/*' ? Math.min(q, 0.01) : q);
  }
  return openMetrics > 0 && openMetrics > text;
}
