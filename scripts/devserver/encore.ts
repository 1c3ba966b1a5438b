// Seed 002 (Encore custom metrics) as Prometheus text: http_requests_total{service,version,status_code,method},
// memory_usage_bytes{service} and cpu_usage_percent{service,cpu_id}. Like Encore's runtime, values are
// collected periodically (every 60 s, times --interval-scale): scrapes in between repeat the last collection.
import { availableParallelism } from 'node:os';
import type { FormatInputs } from './measures';
import { memory } from './measures';
import { round } from './stats';

export const SERVICE = 'my-api';
export const VERSION = '1.0';
export const COLLECT_MS = 60_000;
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export class EncoreMetrics {
  private body = '';
  private collectedAt = 0;
  private cpu = { usage: process.cpuUsage(), at: performance.now() };
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly inputs: () => FormatInputs,
    intervalScale: number,
  ) {
    this.collect();
    this.timer = setInterval(() => this.collect(), Math.max(10, Math.round(COLLECT_MS * intervalScale)));
  }

  /** When the values served were collected (ms since epoch). */
  get lastCollection(): number {
    return this.collectedAt;
  }

  collect(): void {
    const input = this.inputs();
    const at = performance.now();
    const usage = process.cpuUsage(this.cpu.usage);
    const elapsedMs = at - this.cpu.at;
    // The process's CPU over the collection interval, shared out over the cores it may run on.
    const processPercent = elapsedMs > 50 ? ((usage.user + usage.system) / 1000 / elapsedMs) * 100 : input.stats.cpuPercent;
    this.cpu = { usage: process.cpuUsage(), at };
    const cores = availableParallelism();
    const requests = input.stats
      .requestCounts()
      .sort((a, b) => a.method.localeCompare(b.method) || a.status - b.status)
      .map((r) => `http_requests_total{service="${SERVICE}",version="${VERSION}",status_code="${r.status}",method="${r.method}"} ${r.count}`);
    const lines = [
      '# HELP http_requests_total HTTP requests handled, by status code and method.',
      '# TYPE http_requests_total counter',
      ...requests,
      '# HELP memory_usage_bytes Heap memory in use.',
      '# TYPE memory_usage_bytes gauge',
      `memory_usage_bytes{service="${SERVICE}"} ${memory(input).heapUsed}`,
      '# HELP cpu_usage_percent CPU use per core.',
      '# TYPE cpu_usage_percent gauge',
      ...Array.from({ length: cores }, (_, i) => `cpu_usage_percent{service="${SERVICE}",cpu_id="${i}"} ${round(processPercent / cores, 1)}`),
    ];
    this.body = `${lines.join('\n')}\n`;
    this.collectedAt = input.now;
  }

  /**
   * The last collection, with `extra` (hand-written series of the cardinality and evil modes)
   * appended; OpenMetrics (counter families without `_total`, `# EOF`) when the client ranks it first.
   */
  render(extra: string, accept = ''): { contentType: string; body: string } {
    const body = extra ? `${this.body}${extra}\n` : this.body;
    if (!prefersOpenMetrics(accept)) return { contentType: CONTENT_TYPE, body };
    return { contentType: OPENMETRICS_TYPE, body: `${body.replace(/^# (HELP|TYPE) http_requests_total /gm, '# $1 http_requests ')}# EOF\n` };
  }

  dispose(): void {
    clearInterval(this.timer);
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
