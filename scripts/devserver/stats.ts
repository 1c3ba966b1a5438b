// The dev server's live state: every number the formats publish is measured here, not invented.
import { randomBytes } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';

/** Percentiles, error rate and throughput look at this much recent history. */
export const WINDOW_MS = 10_000;
const MAX_SAMPLES_PER_ENDPOINT = 5_000;
const CACHE_WINDOW_MS = 30_000;
const CACHE_PRIOR = 20;

interface LatencySample {
  readonly at: number;
  readonly ms: number;
  readonly error: boolean;
}

interface EndpointRecord {
  readonly method: string;
  readonly path: string;
  requests: number;
  errors: number;
  samples: LatencySample[];
}

export interface EndpointStats {
  readonly method: string;
  readonly path: string;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Fraction 0–1 over the window. */
  readonly errorRate: number;
  /** Requests per second over the window. */
  readonly throughput: number;
  readonly requests: number;
  readonly errors: number;
}

/** `app`: the synthetic app's own WebSocket clients (chat, status, workers, spline topics). */
export type ClientStream = 'bun' | 'snapshot' | 'daemon' | 'sse' | 'app';

/** The pub/sub topics of seed 000's example message. */
export const TOPICS = ['chat', 'status', 'workers', 'spline'] as const;

export interface ClientRecord {
  readonly id: string;
  readonly stream: ClientStream;
  /** The topic an `app` client subscribed to. */
  readonly topic?: string;
  readonly remoteAddr: string;
  readonly connectedAt: number;
  messagesSent: number;
  messagesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  lastActivity: number;
}

export interface GcStats {
  count: number;
  pauseTotalNs: number;
  lastPauseNs: number;
}

export class Stats {
  startedAt: number;
  totalRequests = 0;
  pendingRequests = 0;
  totalConnections = 0;
  peakConnections = 0;
  messagesSent = 0;
  messagesReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;
  ordersCreated = 0;
  /** Sum of the demo API's response times since start, ms (seed 004's average is over all requests). */
  totalResponseMs = 0;
  readonly gc: GcStats = { count: 0, pauseTotalNs: 0, lastPauseNs: 0 };
  readonly clients = new Map<string, ClientRecord>();
  private readonly endpoints = new Map<string, EndpointRecord>();
  private readonly statusCounts = new Map<string, number>();
  private served: { at: number; bytes: number }[] = [];
  private cache: { at: number; hit: boolean }[] = [];
  private cpu = { percent: 0, usage: process.cpuUsage(), at: performance.now() };
  private totalAlloc = 0;
  private lastHeapUsed = process.memoryUsage().heapUsed;
  private readonly sampler: NodeJS.Timeout;
  private readonly gcObserver: PerformanceObserver;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
    this.sampler = setInterval(() => this.sample(), 1_000);
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const ns = Math.round(entry.duration * 1e6);
        this.gc.count += 1;
        this.gc.pauseTotalNs += ns;
        this.gc.lastPauseNs = ns;
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
  }

  get uptimeSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  /** One HTTP request of any kind has started; call the result when it has finished. */
  requestStarted(): () => void {
    this.pendingRequests += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pendingRequests -= 1;
      this.totalRequests += 1;
    };
  }

  /** A demo API request finished: feeds the per-endpoint latency, error and throughput numbers. */
  recordEndpoint(method: string, path: string, status: number, ms: number, bytes: number): void {
    const key = `${method} ${path}`;
    let record = this.endpoints.get(key);
    if (!record) {
      record = { method, path, requests: 0, errors: 0, samples: [] };
      this.endpoints.set(key, record);
    }
    const error = status >= 500;
    const at = this.now();
    this.totalResponseMs += ms;
    record.requests += 1;
    const statusKey = `${method} ${status}`;
    this.statusCounts.set(statusKey, (this.statusCounts.get(statusKey) ?? 0) + 1);
    if (error) record.errors += 1;
    record.samples.push({ at, ms, error });
    if (record.samples.length > MAX_SAMPLES_PER_ENDPOINT) record.samples.splice(0, record.samples.length - MAX_SAMPLES_PER_ENDPOINT);
    this.served.push({ at, bytes });
  }

  endpointStats(): EndpointStats[] {
    const now = this.now();
    const windowSeconds = Math.max(1, Math.min(WINDOW_MS, now - this.startedAt) / 1000);
    const out: EndpointStats[] = [];
    for (const record of this.endpoints.values()) {
      record.samples = record.samples.filter((s) => now - s.at <= WINDOW_MS);
      const sorted = record.samples.map((s) => s.ms).sort((a, b) => a - b);
      const errors = record.samples.filter((s) => s.error).length;
      out.push({
        method: record.method,
        path: record.path,
        p50: round(percentile(sorted, 0.5)),
        p95: round(percentile(sorted, 0.95)),
        p99: round(percentile(sorted, 0.99)),
        errorRate: round(record.samples.length === 0 ? 0 : errors / record.samples.length, 4),
        throughput: round(record.samples.length / windowSeconds),
        requests: record.requests,
        errors: record.errors,
      });
    }
    return out.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
  }

  /** Mean response time of every demo API request since start, ms. */
  averageResponseMs(): number {
    const n = this.endpointRequests;
    return n === 0 ? 0 : round(this.totalResponseMs / n);
  }

  /** Requests and errors per method and status since start (seed 002's counter). */
  requestCounts(): { method: string; status: number; count: number }[] {
    return [...this.statusCounts.entries()].map(([key, count]) => {
      const [method = 'GET', status = '200'] = key.split(' ');
      return { method, status: Number(status), count };
    });
  }

  get endpointRequests(): number {
    let n = 0;
    for (const record of this.endpoints.values()) n += record.requests;
    return n;
  }

  /** Demo API responses with a 4xx or 5xx status since start. */
  get endpointErrors(): number {
    let n = 0;
    for (const [key, count] of this.statusCounts) if (Number(key.split(' ')[1]) >= 400) n += count;
    return n;
  }

  /** Bytes per second the demo API served over the window. */
  bandwidth(): number {
    const now = this.now();
    this.served = this.served.filter((s) => now - s.at <= WINDOW_MS);
    const bytes = this.served.reduce((sum, s) => sum + s.bytes, 0);
    return Math.round(bytes / Math.max(1, Math.min(WINDOW_MS, now - this.startedAt) / 1000));
  }

  /** A cacheable demo request was served from the cache or not. */
  recordCache(hit: boolean): void {
    this.cache.push({ at: this.now(), hit });
    if (this.cache.length > 20_000) this.cache.splice(0, this.cache.length - 20_000);
  }

  /**
   * Percent of cacheable requests served from the cache over the last 30 s. A warm CDN's 98 % counts
   * as 20 requests of history, so the first few requests after a start do not swing it.
   */
  cacheHitPercent(): number {
    const now = this.now();
    this.cache = this.cache.filter((c) => now - c.at <= CACHE_WINDOW_MS);
    const hits = this.cache.filter((c) => c.hit).length;
    return round(((hits + CACHE_PRIOR * 0.98) / (this.cache.length + CACHE_PRIOR)) * 100);
  }

  get cpuPercent(): number {
    return this.cpu.percent;
  }

  /** The CDN's storage in use, percent of its quota: grows slowly with the orders created, stays healthy. */
  get storageUsedPercent(): number {
    return round(Math.min(60, 41.5 + this.ordersCreated * 0.001));
  }

  /** Estimated bytes allocated since start: the sum of heap growth between samples. */
  get totalAllocated(): number {
    return this.totalAlloc;
  }

  addClient(stream: ClientStream, remoteAddr: string, topic?: string): ClientRecord {
    const at = this.now();
    const record: ClientRecord = {
      id: `client_${randomBytes(3).toString('hex')}`,
      stream,
      ...(topic !== undefined ? { topic } : {}),
      remoteAddr,
      connectedAt: at,
      messagesSent: 0,
      messagesReceived: 0,
      bytesSent: 0,
      bytesReceived: 0,
      lastActivity: at,
    };
    this.clients.set(record.id, record);
    this.totalConnections += 1;
    this.peakConnections = Math.max(this.peakConnections, this.webSocketCount());
    return record;
  }

  removeClient(id: string): void {
    this.clients.delete(id);
  }

  /** Counts a message to `client`, on the client and in the server's totals. */
  sent(client: ClientRecord, bytes: number): void {
    for (const counts of [client, this]) {
      counts.messagesSent += 1;
      counts.bytesSent += bytes;
    }
    client.lastActivity = this.now();
  }

  /** Counts a message from `client`, on the client and in the server's totals. */
  received(client: ClientRecord, bytes: number): void {
    for (const counts of [client, this]) {
      counts.messagesReceived += 1;
      counts.bytesReceived += bytes;
    }
    client.lastActivity = this.now();
  }

  webSocketCount(): number {
    let n = 0;
    for (const c of this.clients.values()) if (c.stream !== 'sse') n += 1;
    return n;
  }

  /** Subscribers per topic: the app's WebSocket clients actually connected. */
  topics(): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(TOPICS.map((t) => [t, 0]));
    for (const c of this.clients.values()) if (c.stream === 'app' && c.topic !== undefined && Object.hasOwn(out, c.topic)) out[c.topic] = (out[c.topic] ?? 0) + 1;
    return out;
  }

  /** A simulated restart: counters and uptime start over. */
  reset(): void {
    this.startedAt = this.now();
    this.totalRequests = 0;
    this.totalConnections = this.webSocketCount();
    this.peakConnections = this.totalConnections;
    this.messagesSent = 0;
    this.messagesReceived = 0;
    this.bytesSent = 0;
    this.bytesReceived = 0;
    this.ordersCreated = 0;
    this.totalResponseMs = 0;
    this.statusCounts.clear();
    this.endpoints.clear();
    this.served = [];
    this.cache = [];
    this.totalAlloc = 0;
  }

  dispose(): void {
    clearInterval(this.sampler);
    this.gcObserver.disconnect();
  }

  private sample(): void {
    const at = performance.now();
    const usage = process.cpuUsage(this.cpu.usage);
    const elapsedMs = at - this.cpu.at;
    if (elapsedMs > 0) this.cpu = { percent: round(((usage.user + usage.system) / 1000 / elapsedMs) * 100), usage: process.cpuUsage(), at };
    const heapUsed = process.memoryUsage().heapUsed;
    if (heapUsed > this.lastHeapUsed) this.totalAlloc += heapUsed - this.lastHeapUsed;
    this.lastHeapUsed = heapUsed;
  }
}

/** Nearest-rank percentile of ascending values; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
