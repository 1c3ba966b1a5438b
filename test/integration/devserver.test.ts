// The reference dev server against the five seed documents (../shared/seeds): every endpoint's
// wire shape (field names, nesting, types), units and magnitudes, cadence, healthy defaults, the
// misbehaviour modes; and, separately, what Pulse's decoders make of each endpoint's live output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { RawData } from 'ws';
import type { BunHttpMetrics, BunLiveMessage, BunStatus } from '../../scripts/devserver/bunFormat';
import type { DaemonMetricsMessage } from '../../scripts/devserver/daemonFormat';
import type { EnhancedMetrics, GoStats, SystemMetrics } from '../../scripts/devserver/goFormat';
import type { MetricsSnapshot, ServerMessage } from '../../scripts/devserver/snapshotFormat';
import { Baseline, DEFAULT_BASELINE, anomalyFloor } from '../../src/core/rules/anomaly';
import { decodeMessage } from '../../src/core/decode/decode';
import { DEFAULT_RULES } from '../../src/core/rules/thresholds';
import type { Decoded, Sample } from '../../src/core/model';
import type { FormatHint, Role } from '../../src/shared/vocabulary';
import { devServerPerSuite } from '../helpers/devServerSuite';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const SCALE = 0.2;
const WIRE_ARGS = ['--interval-scale', String(SCALE), '--rps', '40'];

// ------------------------------------------------------------------ the seeds' examples, verbatim

/** Seed 000, GET /api/dev/server-metrics */
const SEED_000_HTTP = {
  timestamp: 1705320000000,
  http: { pendingRequests: 2, totalRequests: 0 },
  websockets: { pendingConnections: 5, subscribers: { chat: 1, status: 2, workers: 1, spline: 1 }, totalSubscribers: 5 },
  memory: { used: { heapUsed: 52428800, heapTotal: 67108864, rss: 104857600 }, heapUsed: 52428800, heapTotal: 67108864, rss: 104857600, external: 0, arrayBuffers: 0 },
};
/** Seed 000, WS /api/dev/server-metrics/live */
const SEED_000_LIVE = {
  type: 'metrics',
  timestamp: 1705320000000,
  http: { pendingRequests: 2 },
  websockets: { pendingConnections: 5, subscribers: { chat: 1, status: 2, workers: 1, spline: 1 }, totalSubscribers: 5 },
  memory: { heapUsed: 52428800, rss: 104857600 },
};
/** Seed 001's MetricsSnapshot interface, as a value. */
const SEED_001_SNAPSHOT = {
  timestamp: 0,
  endpoints: [{ path: '', method: '', p50: 0, p95: 0, p99: 0, errorRate: 0, throughput: 0 }],
  cdn: { bandwidth: 0, cacheHitRatio: 0, storage: 0 },
  system: { uptime: 0, memory: 0, cpu: 0 },
};
/** Seed 003, GET /stats (`nats` and `hub` are elided there: only "an object" is checked). */
const SEED_003_STATS = { connections: { active: 5 }, system: { memory: { heap_alloc: 8388608 }, goroutines: 25 }, nats: {}, hub: {}, uptime_seconds: 120.5 };
/** Seed 003, GET /metrics/enhanced */
const SEED_003_ENHANCED = {
  timestamp: 1703123456,
  uptime_seconds: 120.5,
  last_update: 1703123456,
  connections: {
    active: 5,
    total: 15,
    peak: 8,
    messages_sent_total: 1250,
    messages_recv_total: 340,
    bytes_sent_total: 125000,
    bytes_recv_total: 34000,
    avg_duration_sec: 45.2,
    connections: [{ id: 'client_abc123', remote_addr: '192.168.1.100:54321', duration_sec: 67.3, messages_sent: 45, messages_recv: 12, bytes_sent: 4500, bytes_recv: 1200, idle_sec: 2.1 }],
  },
  system: {
    memory: { heap_alloc_mb: 8.0, heap_sys_mb: 12.5, heap_idle_mb: 4.5, heap_inuse_mb: 8.0, heap_released_mb: 0.0, stack_inuse_mb: 0.5, sys_total_mb: 16.2, gc_count: 5, gc_cpu_percent: 0.05, goroutines: 25 },
    cpu: { percent: 12.5, cores: 8 },
  },
  performance: { memory_mb: 8.0, cpu_percent: 12.5, goroutines: 25, active_conns: 5 },
};
/** Seed 003, GET /metrics/system (its `memory: {...}` and `cpu: {...}` are the enhanced ones). */
const SEED_003_SYSTEM = { timestamp: 1703123456, system: SEED_003_ENHANCED.system, performance: SEED_003_ENHANCED.performance };
/** Seed 004, WS /ws */
const SEED_004 = {
  type: 'metrics',
  timestamp: '2026-01-23T20:30:00Z',
  data: {
    raw: {
      http_requests: 1250,
      http_errors: 5,
      avg_response_time: 45.2,
      memory_usage: 52428800,
      goroutines: 42,
      uptime_seconds: 3600.5,
      active_connections: 3,
      websocket_clients: 3,
      jobs_active: 2,
      jobs_completed: 15,
      jobs_failed: 1,
      jobs_pending: 3,
    },
  },
};
/** In seed 004's broadcast map, left out of its JSON example. */
const SEED_004_MAP_ONLY = ['jobs_cancelled', 'cpu_usage'];

/**
 * The type skeleton of a JSON value: objects by key, arrays by their first element, leaves by type.
 * Two values with equal skeletons have the same field names, nesting and types.
 */
function skeleton(value: unknown, opaque: readonly string[] = [], path = ''): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [skeleton(value[0], opaque, `${path}[]`)];
  if (typeof value === 'object' && value !== null) {
    if (opaque.includes(path)) return 'object';
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, skeleton((value as Record<string, unknown>)[k], opaque, path ? `${path}.${k}` : k)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

function assertShape(actual: unknown, seed: unknown, what: string, opaque: readonly string[] = []): void {
  assert.deepEqual(skeleton(actual, opaque), skeleton(seed, opaque), `${what}: field names, nesting and types as in the seed`);
}

// ------------------------------------------------------------------ clients

interface Frame {
  readonly text: string;
  readonly binary: boolean;
  readonly at: number;
}

interface Client {
  readonly ws: WebSocket;
  readonly frames: Frame[];
  readonly closes: number[];
  readonly openedAt: number;
  json<T>(): T[];
  close(): void;
}

const clients: Client[] = [];
const closeClients = (): void => {
  for (const c of clients) c.close();
};

function connect(url: string, options: { subscribe?: boolean; headers?: Record<string, string> } = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers: options.headers ?? {} });
  const client: Client = {
    ws,
    frames: [],
    closes: [],
    openedAt: Date.now(),
    json: <T>() =>
      client.frames.flatMap((f) => {
        try {
          return [JSON.parse(f.text) as T];
        } catch {
          return [];
        }
      }),
    close: () => ws.terminate(),
  };
  clients.push(client);
  ws.on('message', (data: RawData, binary: boolean) => client.frames.push({ text: (data as Buffer).toString('utf8'), binary, at: Date.now() }));
  ws.on('close', (code: number) => client.closes.push(code));
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      (client as { openedAt: number }).openedAt = Date.now();
      if (options.subscribe) ws.send('{"type":"subscribe"}');
      resolve(client);
    });
    ws.once('error', reject);
  });
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await get(url);
  assert.equal(res.status, 200, `${url} → ${res.status}`);
  return JSON.parse(res.text) as T;
}

/** Reads `ms` of an SSE stream; returns the raw text. */
async function readSse(url: string, ms: number): Promise<{ contentType: string; text: string }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body?.getReader();
  assert.ok(reader);
  let text = '';
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
  } catch {
    // aborted: the time is up
  } finally {
    clearTimeout(timer);
  }
  return { contentType: res.headers.get('content-type') ?? '', text };
}

/** The median gap between consecutive times. */
function medianGap(times: readonly number[]): number {
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t)).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? NaN;
}

function assertAbout(actual: number, expected: number, what: string, tolerance = 0.4): void {
  assert.ok(Math.abs(actual - expected) <= expected * tolerance, `${what}: ${actual.toFixed(0)} ms, expected about ${expected} ms`);
}

const isUnixMs = (n: number): boolean => Number.isInteger(n) && Math.abs(n - Date.now()) < 60_000;
const isUnixSeconds = (n: number): boolean => Number.isInteger(n) && Math.abs(n - Date.now() / 1000) < 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Update = Extract<ServerMessage, { type: 'update' }>;

// ------------------------------------------------------------------ the wire

describe('dev server: the seeds on the wire', () => {
  const dev = devServerPerSuite(WIRE_ARGS, closeClients);

  /** Runs `body` with the dev server switched to `modes` (in order), then back to normal, also when `body` throws. */
  async function inModes(modes: ReadonlyArray<readonly [mode: string, params?: Record<string, unknown>]>, body: () => Promise<void>): Promise<void> {
    for (const [mode, params] of modes) await dev().control(mode, params);
    try {
      await body();
    } finally {
      await dev().control('normal');
    }
  }

  it('seed 000: GET /api/dev/server-metrics — the seed fields, headers and magnitudes', async () => {
    await until('the first requests to finish', async () => (await getJson<BunHttpMetrics>(dev().url('/api/dev/server-metrics'))).http.totalRequests > 0);
    const res = await get(dev().url('/api/dev/server-metrics'));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-metrics-source'), 'bun-native');
    assert.equal(res.headers.get('x-tes-metrics-version'), '1.0');
    const body = JSON.parse(res.text) as BunHttpMetrics;
    assertShape(body, SEED_000_HTTP, 'GET /api/dev/server-metrics');
    assert.ok(isUnixMs(body.timestamp), `timestamp in ms: ${body.timestamp}`);
    assert.deepEqual(body.memory.used, { heapUsed: body.memory.heapUsed, heapTotal: body.memory.heapTotal, rss: body.memory.rss });
    assert.ok(body.memory.heapUsed > MiB && body.memory.heapUsed < GiB, `heapUsed in bytes: ${body.memory.heapUsed}`);
    assert.ok(body.memory.rss >= body.memory.heapUsed);
    assert.ok(body.http.totalRequests > 0, 'requests counted');
    assert.equal(body.websockets.totalSubscribers, Object.values(body.websockets.subscribers).reduce((a, b) => a + b, 0));
    assert.deepEqual((await dev().state()).bunHttp, body, 'the control state holds what was sent');
  });

  it('seed 000: WS /api/dev/server-metrics/live — metrics at once, then every 500 ms; /api/dev/status', async () => {
    const live = await connect(dev().wsUrl('/api/dev/server-metrics/live'));
    await until('a first message', () => live.frames.length > 0, 2000);
    assert.ok((live.frames[0]?.at ?? Infinity) - live.openedAt < 300, 'the first message comes on connect, not after a period');
    await until('ten messages', () => live.frames.length >= 10);
    const messages = live.json<BunLiveMessage>();
    for (const m of messages) assertShape(m, SEED_000_LIVE, 'a live message');
    assert.ok(messages.every((m) => m.type === 'metrics' && isUnixMs(m.timestamp)));
    assertAbout(medianGap(live.frames.slice(1).map((f) => f.at)), 500 * SCALE, 'live cadence');
    // The app's own sockets subscribe to the seed's topics.
    const last = messages[messages.length - 1];
    assert.ok(last);
    assert.deepEqual(Object.keys(last.websockets.subscribers), ['chat', 'status', 'workers', 'spline']);
    assert.ok(last.websockets.totalSubscribers > 0);
    assert.ok(last.websockets.pendingConnections >= last.websockets.totalSubscribers + 1, 'every subscriber and this client are open sockets');

    const alias = await connect(dev().wsUrl('/ws/server-metrics/live'));
    await until('a message on the handler path', () => alias.json<BunLiveMessage>().some((m) => m.type === 'metrics'));

    const status = await getJson<BunStatus>(dev().url('/api/dev/status'));
    assertShape(status, { vector: { sessions: { apiSessions: 0, websocketConnections: 0, websocketSubscribers: 0 } } }, 'GET /api/dev/status');
    assert.equal(status.vector.sessions.websocketSubscribers, last.websockets.totalSubscribers);
    live.close();
    alias.close();
  });

  it('seed 001: WS /metrics — a snapshot on open without waiting for subscribe, then updates every 5 s', async () => {
    const quiet = await connect(dev().wsUrl('/metrics'));
    const polite = await connect(dev().wsUrl('/metrics'), { subscribe: true });
    await until('a snapshot on each', () => quiet.frames.length >= 1 && polite.frames.length >= 1, 2000);
    await until('three updates', () => polite.json<ServerMessage>().filter((m) => m.type === 'update').length >= 3, 15_000);
    for (const c of [quiet, polite]) {
      const [first, ...rest] = c.json<ServerMessage>();
      assert.equal(first?.type, 'snapshot');
      assert.ok(rest.every((m) => m.type === 'update'));
    }
    const all = polite.json<ServerMessage>();
    for (const m of all) {
      assert.ok(m.type !== 'error');
      assertShape({ type: m.type, data: m.data, timestamp: m.timestamp }, { type: '', data: SEED_001_SNAPSHOT, timestamp: 0 }, `a ${m.type}`);
      assert.deepEqual(Object.keys(m).sort(), ['data', 'timestamp', 'type'], 'no alerts on a healthy server');
      assert.ok(isUnixMs(m.timestamp) && isUnixMs(m.data.timestamp));
    }
    assert.match(polite.ws.extensions, /permessage-deflate/, 'compressed, as the seed server sets perMessageDeflate');
    const updates = polite.frames.filter((f) => f.text.includes('"type":"update"')).map((f) => f.at);
    assertAbout(medianGap(updates), 5000 * SCALE, 'update cadence');
    const state = await dev().state();
    assert.ok(state.snapshot && all.some((m) => m.timestamp === state.snapshot?.timestamp && JSON.stringify(m) === JSON.stringify(state.snapshot)));
    quiet.close();
    polite.close();
  });

  it('seed 001: GET /api/metrics and GET /sse carry the bare snapshot (no type), SSE every second', async () => {
    const res = await get(dev().url('/api/metrics'));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const snapshot = JSON.parse(res.text) as MetricsSnapshot;
    assertShape(snapshot, SEED_001_SNAPSHOT, 'GET /api/metrics');
    assert.ok(!('type' in snapshot));

    const sse = await readSse(dev().url('/sse'), 1500);
    assert.match(sse.contentType, /^text\/event-stream/);
    const events = sse.text.split('\n\n').filter((e) => e.length > 0);
    assert.ok(events.length >= 4, `${events.length} events in 1.5 s`);
    for (const event of events) {
      assert.match(event, /^data: \{[^\n]*\}$/, 'one `data: <json>` line per event, nothing else');
      const data = JSON.parse(event.slice('data: '.length)) as MetricsSnapshot;
      assertShape(data, SEED_001_SNAPSHOT, 'an SSE event');
    }
  });

  it('seed 001: units and magnitudes — percent where the seed says percent, healthy by default', async () => {
    const s = await getJson<MetricsSnapshot>(dev().url('/api/metrics'));
    assert.ok(isUnixMs(s.timestamp));
    assert.deepEqual(
      s.endpoints.map((e) => `${e.method} ${e.path}`),
      ['GET /api/orders', 'POST /api/orders', 'GET /api/search', 'GET /api/users'],
    );
    for (const e of s.endpoints) {
      assert.ok(e.p50 >= 1 && e.p50 <= e.p95 && e.p95 <= e.p99 && e.p99 < 1000, `latencies in ms: ${JSON.stringify(e)}`);
      assert.equal(e.errorRate, 0, 'no failures on a healthy server');
      assert.ok(e.throughput > 0 && e.throughput < 100, `throughput in req/s: ${e.throughput}`);
    }
    assert.ok(s.cdn.cacheHitRatio >= 90 && s.cdn.cacheHitRatio <= 100, `cacheHitRatio in percent, healthy: ${s.cdn.cacheHitRatio}`);
    assert.ok(s.cdn.storage > 1 && s.cdn.storage < 85, `storage in percent, healthy: ${s.cdn.storage}`);
    assert.ok(s.cdn.bandwidth > 100, `bandwidth in bytes/s: ${s.cdn.bandwidth}`);
    assert.ok(s.system.memory > MiB && s.system.memory < GiB, `memory in bytes: ${s.system.memory}`);
    assert.ok(s.system.cpu >= 0 && s.system.cpu < 80, `cpu in percent: ${s.system.cpu}`);
    assert.ok(Number.isInteger(s.system.uptime) && s.system.uptime < 600, `uptime in seconds: ${s.system.uptime}`);
  });

  it('seed 001: the errors mode shows as a percent, and the server raises error_rate alerts with a new id each time', async () => {
    await inModes([['errors', { rate: 0.6 }]], async () => {
      const c = await connect(dev().wsUrl('/metrics'), { subscribe: true });
      const withAlerts = await until(
        'two updates with an error_rate alert, one with an endpoint above 20 %',
        () => {
          const list = c.json<ServerMessage>().filter((m): m is Update => m.type === 'update' && (m.alerts ?? []).some((a) => a.type === 'error_rate'));
          return list.length >= 2 && list.some((m) => m.data.endpoints.some((e) => e.errorRate > 20)) ? list : undefined;
        },
        15_000,
      );
      const rates = withAlerts.flatMap((m) => m.data.endpoints.map((e) => e.errorRate));
      assert.ok(rates.some((r) => r > 20) && rates.every((r) => r <= 100), `errorRate in percent: ${rates.join(', ')}`);
      const alerts = withAlerts.flatMap((m) => m.alerts ?? []).filter((a) => a.type === 'error_rate');
      for (const a of alerts) {
        assert.deepEqual(Object.keys(a).sort(), ['id', 'severity', 'type', 'value']);
        assert.match(a.id, UUID);
        assert.equal(a.severity, 'critical');
        assert.ok(a.value > 5 && a.value <= 100, `value is the average error rate in percent: ${a.value}`);
      }
      assert.equal(new Set(alerts.map((a) => a.id)).size, alerts.length, 'a new id on every update');
      c.close();
    });
  });

  it('seed 001: the latency mode raises a latency_spike alert; error messages in the serverError mode', async () => {
    await inModes([['latency', { ms: 400 }]], async () => {
      const c = await connect(dev().wsUrl('/metrics'), { subscribe: true });
      const update = await until(
        'a latency_spike alert',
        () => c.json<ServerMessage>().find((m): m is Update => m.type === 'update' && (m.alerts ?? []).some((a) => a.type === 'latency_spike')),
        15_000,
      );
      const spike = update.alerts?.find((a) => a.type === 'latency_spike');
      assert.ok(spike && spike.severity === 'critical' && spike.value > 50, `spike in percent over the baseline: ${JSON.stringify(spike)}`);
      c.close();
    });
    await inModes([['serverError', { message: 'metrics backend unavailable' }]], async () => {
      const c = await connect(dev().wsUrl('/metrics'), { subscribe: true });
      const error = await until('an error message', () => c.json<ServerMessage>().find((m) => m.type === 'error'), 5000);
      assert.deepEqual(Object.keys(error).sort(), ['error', 'timestamp', 'type']);
      assert.ok(error.type === 'error' && error.error === 'metrics backend unavailable' && isUnixMs(error.timestamp));
      c.close();
    });
  });

  it('seed 002: GET /metrics is Prometheus text of the Encore metrics, with their labels and units', async () => {
    await until('a collection with requests', async () => (await get(dev().url('/metrics'))).text.includes('http_requests_total{'), 15_000);
    const res = await get(dev().url('/metrics'));
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const samples = res.text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
    const names = new Set(samples.map((l) => l.slice(0, l.search(/[{ ]/))));
    assert.deepEqual([...names].sort(), ['cpu_usage_percent', 'http_requests_total', 'memory_usage_bytes']);
    assert.match(res.text, /^# TYPE http_requests_total counter$/m);
    assert.match(res.text, /^# TYPE memory_usage_bytes gauge$/m);
    assert.match(res.text, /^# TYPE cpu_usage_percent gauge$/m);
    for (const line of samples) {
      const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
      assert.ok(m, `labelled sample: ${line}`);
      const labels = (m[2] ?? '').split(',').map((p) => p.slice(0, p.indexOf('=')));
      const value = Number(m[3]);
      assert.ok(Number.isFinite(value));
      if (m[1] === 'http_requests_total') {
        assert.deepEqual(labels, ['service', 'version', 'status_code', 'method']);
        assert.match(m[2] ?? '', /^service="my-api",version="1\.0",status_code="(200|201|500)",method="(GET|POST)"$/);
      } else if (m[1] === 'memory_usage_bytes') {
        assert.deepEqual(labels, ['service']);
        assert.ok(Number.isInteger(value) && value > MiB && value < GiB, `bytes: ${value}`);
      } else {
        assert.deepEqual(labels, ['service', 'cpu_id']);
        assert.ok(value >= 0 && value < 80, `percent: ${value}`);
      }
    }
    assert.equal(res.text, (await dev().state()).prometheus);
    const om = await get(dev().url('/metrics'), { Accept: 'application/openmetrics-text; version=1.0.0' });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    assert.match(om.text, /^# TYPE http_requests counter$/m);
    assert.ok(om.text.endsWith('# EOF\n'));
  });

  it('seed 003: /stats, /metrics/enhanced and /metrics/system — the seed fields, MiB, seconds and every connection', async () => {
    const c = await connect(dev().wsUrl('/api/dev/server-metrics/live'));
    await until('a message', () => c.frames.length > 1);
    const local = (c.ws as unknown as { _socket: { localPort: number } })._socket.localPort;
    const enhanced = await until(
      'a collection that lists this client with messages sent',
      async () => {
        const e = await getJson<EnhancedMetrics>(dev().url('/metrics/enhanced'));
        return e.connections.connections.some((r) => r.remote_addr.endsWith(`:${local}`) && r.messages_sent > 0) ? e : undefined;
      },
      5000,
    );
    assertShape(enhanced, SEED_003_ENHANCED, 'GET /metrics/enhanced');
    assert.ok(isUnixSeconds(enhanced.timestamp) && isUnixSeconds(enhanced.last_update), 'Unix seconds');
    const conns = enhanced.connections;
    assert.equal(conns.connections.length, conns.active, 'every open connection is listed');
    assert.ok(conns.peak >= conns.active && conns.total >= conns.active);
    assert.equal(conns.messages_sent_total >= conns.connections.reduce((n, r) => n + r.messages_sent, 0), true);
    for (const r of conns.connections) {
      assert.match(r.id, /^client_[0-9a-f]{6}$/);
      assert.match(r.remote_addr, /^127\.0\.0\.1:\d+$/);
      assert.ok(r.duration_sec >= 0 && r.duration_sec < 600 && r.idle_sec >= 0 && r.idle_sec <= r.duration_sec + 0.1, `seconds: ${JSON.stringify(r)}`);
    }
    const mem = enhanced.system.memory;
    assert.ok(mem.heap_alloc_mb > 1 && mem.heap_alloc_mb < 1024, `heap_alloc_mb in MiB: ${mem.heap_alloc_mb}`);
    assert.ok(mem.sys_total_mb >= mem.heap_alloc_mb);
    assert.equal(enhanced.performance.memory_mb, mem.heap_alloc_mb);
    assert.equal(enhanced.performance.active_conns, conns.active);
    assert.ok(enhanced.system.cpu.cores >= 1 && enhanced.system.cpu.percent >= 0 && enhanced.system.cpu.percent < 80);

    const stats = await getJson<GoStats>(dev().url('/stats'));
    assertShape(stats, SEED_003_STATS, 'GET /stats', ['nats', 'hub']);
    assert.ok(Math.abs(stats.system.memory.heap_alloc / MiB - mem.heap_alloc_mb) < 0.06 || stats.uptime_seconds !== enhanced.uptime_seconds, 'heap_alloc in bytes is heap_alloc_mb in MiB');
    assert.ok(stats.system.memory.heap_alloc > MiB);
    const system = await getJson<SystemMetrics>(dev().url('/metrics/system'));
    assertShape(system, SEED_003_SYSTEM, 'GET /metrics/system');
    const state = await dev().state();
    assert.deepEqual(state.system, system);
    c.close();
  });

  it('seed 004: WS /ws — metrics every 2 s among other message types, RFC 3339 time, running job totals', async () => {
    const c = await connect(dev().wsUrl('/ws'));
    await until('four metrics messages', () => c.json<{ type: string }>().filter((m) => m.type === 'metrics').length >= 4, 10_000);
    const metrics = c.json<DaemonMetricsMessage>().filter((m) => m.type === 'metrics');
    const types = new Set(c.json<{ type: string }>().map((m) => m.type));
    assert.ok(types.size >= 3, `other message types too: ${[...types].join(', ')}`);
    const expectedRaw = { ...SEED_004.data.raw, ...Object.fromEntries(SEED_004_MAP_ONLY.map((k) => [k, 0])) };
    for (const m of metrics) {
      assertShape(m, { ...SEED_004, data: { raw: expectedRaw } }, 'a daemon metrics message');
      assert.match(m.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(Math.abs(Date.parse(m.timestamp) - Date.now()) < 60_000);
    }
    const times = c.frames.filter((f) => f.text.startsWith('{"type":"metrics"')).map((f) => f.at);
    assertAbout(medianGap(times), 2000 * SCALE, 'metrics cadence');
    const raws = metrics.map((m) => m.data.raw);
    const first = raws[0];
    const last = raws[raws.length - 1];
    assert.ok(first && last);
    for (const k of ['http_requests', 'jobs_completed', 'jobs_failed', 'jobs_cancelled', 'uptime_seconds']) assert.ok((last[k] ?? -1) >= (first[k] ?? 0), `${k} only grows`);
    assert.ok((last.http_errors ?? Infinity) <= (last.http_requests ?? 0), 'errors are among the requests');
    assert.ok((last.avg_response_time ?? 0) >= 1 && (last.avg_response_time ?? 0) < 1000, `avg_response_time in ms: ${last.avg_response_time}`);
    assert.ok((last.memory_usage ?? 0) > MiB && (last.memory_usage ?? 0) < GiB, 'memory_usage in bytes');
    assert.equal(last.active_connections, last.websocket_clients);
    assert.ok((last.cpu_usage ?? 100) < 80, 'cpu_usage in percent');
    c.close();
  });

  it('heap and connections modes show in every format', async () => {
    await inModes([['heap', { bytes: 123_456_789 }], ['connections', { count: 42 }]], async () => {
      const bun = await getJson<BunHttpMetrics>(dev().url('/api/dev/server-metrics'));
      assert.equal(bun.memory.heapUsed, 123_456_789);
      assert.equal(bun.websockets.pendingConnections, 42);
      const stats = await getJson<GoStats>(dev().url('/stats'));
      assert.equal(stats.connections.active, 42);
      assert.equal(stats.system.memory.heap_alloc, 123_456_789);
      const enhanced = await getJson<EnhancedMetrics>(dev().url('/metrics/enhanced'));
      assert.equal(enhanced.system.memory.heap_alloc_mb, 117.7);
      assert.equal((await getJson<MetricsSnapshot>(dev().url('/api/metrics'))).system.memory, 123_456_789);
      assert.match((await get(dev().url('/metrics'))).text, /^memory_usage_bytes\{service="my-api"\} 123456789$/m);
      const daemon = await connect(dev().wsUrl('/ws'));
      const m = await until('a daemon metrics message', () => daemon.json<DaemonMetricsMessage>().find((x) => x.type === 'metrics'));
      assert.equal(m.data.raw.active_connections, 42);
      assert.equal(m.data.raw.memory_usage, 123_456_789);
      daemon.close();
    });
  });

  it('evil, nested and cardinality modes produce hostile but valid output', async () => {
    await inModes([['evil'], ['nested', { depth: 3_000 }], ['cardinality', { count: 500 }]], async () => {
      const raw = (await get(dev().url('/api/dev/server-metrics'))).text;
      assert.ok(raw.includes('"__proto__":'), 'an own __proto__ key on the wire');
      assert.ok(raw.includes('\\ud800'), 'a lone surrogate, escaped in JSON');
      const bun = JSON.parse(raw) as BunHttpMetrics & { nested: unknown };
      const subs = bun.websockets.subscribers;
      assert.ok(Object.hasOwn(subs, '__proto__') && Object.hasOwn(subs, 'constructor'));
      assert.ok(Object.hasOwn(subs, '<img src=x onerror=alert(1)>'));
      assert.ok(Object.keys(subs).some((k) => k.length >= 100 * 1024));
      assert.ok(Object.hasOwn(subs, 'topic-499'));
      let depth = 0;
      for (let node: unknown = bun.nested; typeof node === 'object' && node !== null && 'a' in node; node = (node as { a: unknown }).a) depth += 1;
      assert.equal(depth, 3_000);
      const prom = (await get(dev().url('/metrics'))).text;
      assert.equal(prom.match(/^pulse_demo_items\{/gm)?.length, 500);
      assert.match(prom, /pulse_demo_evil\{label="<img src=x onerror=alert\(1\)>"\}/);
      const snap = await connect(dev().wsUrl('/metrics'), { subscribe: true });
      await until('an evil error message', () => snap.json<{ type: string; error?: string }>().some((m) => m.type === 'error' && (m.error ?? '').includes('<')));
      snap.close();
    });
  });

  it('garbage mode sends malformed JSON, binary noise and truncated messages', async () => {
    await inModes([['garbage']], async () => {
      const c = await connect(dev().wsUrl('/api/dev/server-metrics/live'));
      await until('eight frames', () => c.frames.length >= 8);
      assert.ok(c.frames.some((f) => f.binary));
      const unparsable = c.frames.filter((f) => {
        try {
          JSON.parse(f.text);
          return false;
        } catch {
          return true;
        }
      });
      assert.ok(unparsable.length >= 3, `${unparsable.length} bad frames`);
      assert.ok(c.json<BunLiveMessage>().some((m) => m.type === 'metrics'), 'good messages still come between');
      c.close();
    });
  });

  it('multiline mode spreads an SSE event over several data: lines', async () => {
    await inModes([['multiline']], async () => {
      const sse = await readSse(dev().url('/sse'), 700);
      const event = sse.text.split('\n\n').find((e) => e.length > 0) ?? '';
      const lines = event.split('\n');
      assert.ok(lines.length > 3 && lines.every((l) => l.startsWith('data: ')), event.slice(0, 200));
      assertShape(JSON.parse(lines.map((l) => l.slice('data: '.length)).join('\n')), SEED_001_SNAPSHOT, 'a multi-line event');
    });
  });

  it('flap, unauthorized, reset and http500 modes', async () => {
    await dev().control('flap');
    const flapping = await connect(dev().wsUrl('/ws'));
    await until('the server to close it', () => flapping.closes.length > 0);

    await dev().control('normal');
    await dev().control('unauthorized', { token: 't0k' });
    assert.equal((await get(dev().url('/stats'))).status, 401);
    assert.equal((await get(dev().url('/stats'), { Authorization: 'Bearer t0k' })).status, 200);
    await assert.rejects(connect(dev().wsUrl('/ws')), /401/);
    await connect(dev().wsUrl('/ws'), { headers: { Authorization: 'Bearer t0k' } });

    await dev().control('normal');
    await dev().control('http500');
    assert.equal((await get(dev().url('/metrics'))).status, 500);
    await assert.rejects(connect(dev().wsUrl('/metrics')), /500/);

    await dev().control('normal');
    await dev().control('reset');
    await assert.rejects(get(dev().url('/api/metrics')));
    await dev().control('normal');
    assert.equal((await get(dev().url('/api/metrics'))).status, 200);
  });

  it('restart resets uptime and counters and closes sockets with 1012', async () => {
    const c = await connect(dev().wsUrl('/api/dev/server-metrics/live'));
    await until('a message', () => c.frames.length > 0);
    const before = await getJson<BunHttpMetrics>(dev().url('/api/dev/server-metrics'));
    const statsBefore = await getJson<GoStats>(dev().url('/stats'));
    await dev().restart();
    await until('close 1012', () => c.closes.includes(1012));
    const afterRestart = await getJson<BunHttpMetrics>(dev().url('/api/dev/server-metrics'));
    assert.ok(afterRestart.http.totalRequests < before.http.totalRequests);
    const statsAfter = await getJson<GoStats>(dev().url('/stats'));
    assert.ok(statsAfter.uptime_seconds < statsBefore.uptime_seconds || statsBefore.uptime_seconds === 0, `${statsAfter.uptime_seconds} < ${statsBefore.uptime_seconds}`);
  });

  it('the demo API answers and traffic can be tuned', async () => {
    const users = await get(dev().url('/api/users?page=2'));
    assert.equal(users.status, 200);
    const res = await fetch(dev().url('/api/orders'), { method: 'POST', body: '{"item":"x"}' });
    assert.equal(res.status, 201);
    await fetch(dev().url('/__control/traffic'), { method: 'POST', body: '{"rps":5}' });
    assert.equal((await dev().state()).traffic.rps, 5);
    const bad = await fetch(dev().url('/__control/mode'), { method: 'POST', body: '{"mode":"nope"}' });
    assert.equal(bad.status, 400);
  });

  it('SIGTERM closes every socket and exits 0', async () => {
    const c = await connect(dev().wsUrl('/api/dev/server-metrics/live'));
    await dev().stop();
    assert.equal(dev().exitCode, 0);
    await until('the socket to close', () => c.closes.length > 0);
  });
});

describe('dev server: slow collectors repeat between collections', () => {
  // 002 collects every 60 s and 003 every 5 s; at this scale 3 s and 0.25 s.
  const scale = 0.05;
  const dev = devServerPerSuite(['--interval-scale', String(scale), '--rps', '20']);

  it('seed 002: the same Prometheus body until the next 60 s collection; seed 003: last_update every 5 s', async () => {
    const bodies: { at: number; text: string }[] = [];
    const updates: number[] = [];
    const end = Date.now() + 7_500;
    while (Date.now() < end) {
      bodies.push({ at: Date.now(), text: (await get(dev().url('/metrics'))).text });
      const e = await getJson<EnhancedMetrics>(dev().url('/metrics/enhanced'));
      if (updates[updates.length - 1] !== e.uptime_seconds) updates.push(e.uptime_seconds);
      await sleep(100);
    }
    const changes = bodies.filter((b, i) => i > 0 && b.text !== bodies[i - 1]?.text).map((b) => b.at);
    assert.ok(changes.length >= 1 && changes.length <= 3, `${changes.length} new collections in 7.5 s (one every ${60_000 * scale} ms)`);
    assert.ok(bodies.length > 20, `${bodies.length} scrapes`);
    const gaps = updates.slice(1).map((u, i) => u - (updates[i] ?? u));
    assert.ok(updates.length >= 10 && updates.length <= 7_500 / (5_000 * scale) + 3, `${updates.length} seed-003 collections in 7.5 s (one every ${5_000 * scale} ms)`);
    assert.ok(gaps.every((g) => g >= 0.1 && g <= 1), `uptime advances by whole collection periods: ${gaps.join(', ')}`);
  });
});

// ------------------------------------------------------------------ what Pulse decodes

function byRole(d: Decoded, role: Role): Sample[] {
  return d.samples.filter((s) => s.role === role);
}

function decoded(payload: string, hint: FormatHint): Decoded {
  const r = decodeMessage(payload, hint);
  assert.ok(r.ok, `decodes as ${hint}: ${r.ok ? '' : r.error}`);
  return r.value;
}

function assertRoles(d: Decoded, roles: Partial<Record<Role, number | ((v: number) => boolean)>>, what: string): void {
  for (const [role, expected] of Object.entries(roles) as [Role, number | ((v: number) => boolean)][]) {
    const samples = byRole(d, role);
    assert.ok(samples.length > 0, `${what}: a series with role ${role} (got roles ${[...new Set(d.samples.map((s) => s.role).filter(Boolean))].join(', ')})`);
    const total = samples.reduce((n, s) => n + s.value, 0);
    if (typeof expected === 'number') assert.ok(samples.some((s) => Math.abs(s.value - expected) <= Math.abs(expected) * 0.001) || Math.abs(total - expected) <= Math.abs(expected) * 0.001, `${what}: ${role} ${samples.map((s) => `${s.name}=${s.value}`).join(', ')}, expected ${expected}`);
    else assert.ok(samples.some((s) => expected(s.value)), `${what}: ${role} ${samples.map((s) => `${s.name}=${s.value}`).join(', ')}`);
  }
}

describe('dev server: what Pulse decodes from each endpoint (needs the seed-aware decoders)', () => {
  const dev = devServerPerSuite(WIRE_ARGS, closeClients);

  it('every endpoint decodes with the roles a user needs, in the seed units', async () => {
    // 000
    const bunHttpText = (await get(dev().url('/api/dev/server-metrics'))).text;
    const bunHttp = JSON.parse(bunHttpText) as BunHttpMetrics;
    assertRoles(
      decoded(bunHttpText, 'bun'),
      { heap: bunHttp.memory.heapUsed, rss: bunHttp.memory.rss, pending: bunHttp.http.pendingRequests, connections: bunHttp.websockets.pendingConnections, subscribers: bunHttp.websockets.totalSubscribers, requests: bunHttp.http.totalRequests },
      'GET /api/dev/server-metrics',
    );
    const live = await connect(dev().wsUrl('/api/dev/server-metrics/live'));
    await until('a live message', () => live.frames.length > 0);
    const liveText = live.frames[0]?.text ?? '';
    const liveMsg = JSON.parse(liveText) as BunLiveMessage;
    assertRoles(decoded(liveText, 'bun'), { heap: liveMsg.memory.heapUsed, pending: liveMsg.http.pendingRequests, connections: liveMsg.websockets.pendingConnections, subscribers: liveMsg.websockets.totalSubscribers }, 'WS live');
    assertRoles(decoded(liveText, 'auto'), { heap: liveMsg.memory.heapUsed }, 'WS live, auto');
    const statusText = (await get(dev().url('/api/dev/status'))).text;
    const status = JSON.parse(statusText) as BunStatus;
    assertRoles(decoded(statusText, 'auto'), { subscribers: status.vector.sessions.websocketSubscribers }, 'GET /api/dev/status');

    // 001
    const snap = await connect(dev().wsUrl('/metrics'), { subscribe: true });
    await until('an update', () => snap.json<ServerMessage>().some((m) => m.type === 'update'), 5000);
    const updateText = snap.frames.find((f) => f.text.includes('"type":"update"'))?.text ?? '';
    const update = JSON.parse(updateText) as Update;
    const checkSnapshot = (d: Decoded, s: MetricsSnapshot, what: string): void => {
      assertRoles(d, { cacheHitRatio: s.cdn.cacheHitRatio, storage: s.cdn.storage, cpu: s.system.cpu, uptime: s.system.uptime, latency: (v) => v >= 1 && v < 1000 }, what);
      const rates = byRole(d, 'errorRate');
      assert.ok(rates.length > 0 && rates.every((r) => r.unit === 'percent' && r.value <= 100), `${what}: errorRate in percent, never multiplied`);
      assert.ok(d.samples.some((x) => x.value === s.system.memory), `${what}: system.memory kept`);
      assert.equal(byRole(d, 'cacheHitRatio')[0]?.unit, 'percent');
      assert.equal((d.alerts ?? []).length, 0, `${what}: no server alerts when healthy`);
    };
    checkSnapshot(decoded(updateText, 'snapshot'), update.data, 'WS /metrics update');
    const bareText = (await get(dev().url('/api/metrics'))).text;
    checkSnapshot(decoded(bareText, 'snapshot'), JSON.parse(bareText) as MetricsSnapshot, 'GET /api/metrics');
    checkSnapshot(decoded(bareText, 'auto'), JSON.parse(bareText) as MetricsSnapshot, 'GET /api/metrics, auto');
    const sse = await readSse(dev().url('/sse'), 600);
    const sseData = sse.text.split('\n\n')[0]?.slice('data: '.length) ?? '';
    checkSnapshot(decoded(sseData, 'auto'), JSON.parse(sseData) as MetricsSnapshot, 'GET /sse, auto');
    await dev().control('serverError', { message: 'metrics backend unavailable' });
    const errorFrame = await until('an error message', () => snap.frames.find((f) => f.text.includes('"type":"error"')), 5000);
    await dev().control('normal');
    assert.match(decoded(errorFrame.text, 'snapshot').serverError ?? '', /metrics backend unavailable/);
    snap.close();

    // 002
    await until('a collection with requests', async () => (await get(dev().url('/metrics'))).text.includes('http_requests_total{'), 15_000);
    const promText = (await get(dev().url('/metrics'))).text;
    const heap = Number(/^memory_usage_bytes\{[^}]*\} (\d+)$/m.exec(promText)?.[1]);
    const prom = decoded(promText, 'prometheus');
    assertRoles(prom, { heap, requests: (v) => v > 0, cpu: (v) => v >= 0 && v < 80 }, 'GET /metrics');
    assert.equal(byRole(prom, 'heap')[0]?.unit, 'bytes');
    assert.equal(byRole(prom, 'cpu')[0]?.unit, 'percent');

    // 003
    const enhancedText = (await get(dev().url('/metrics/enhanced'))).text;
    const enhanced = JSON.parse(enhancedText) as EnhancedMetrics;
    const enh = decoded(enhancedText, 'go-stats');
    const mem = enhanced.system.memory;
    assertRoles(enh, { connections: enhanced.connections.active, cpu: enhanced.system.cpu.percent, goroutines: mem.goroutines, uptime: enhanced.uptime_seconds, heap: (v) => Math.abs(v - mem.heap_alloc_mb * MiB) <= 0.051 * MiB }, 'GET /metrics/enhanced');
    assert.equal(enh.connections?.length, enhanced.connections.connections.length, 'the connections table lists every connection');
    assert.ok(!enh.samples.some((s) => /connections\.connections\.\d/.test(s.name)), 'no index-named series');
    const statsText = (await get(dev().url('/stats'))).text;
    const stats = JSON.parse(statsText) as GoStats;
    assertRoles(decoded(statsText, 'go-stats'), { connections: stats.connections.active, heap: stats.system.memory.heap_alloc, goroutines: stats.system.goroutines, uptime: stats.uptime_seconds }, 'GET /stats');
    const systemText = (await get(dev().url('/metrics/system'))).text;
    const system = JSON.parse(systemText) as SystemMetrics;
    assertRoles(decoded(systemText, 'go-stats'), { cpu: system.system.cpu.percent, heap: (v) => Math.abs(v - system.system.memory.heap_alloc_mb * MiB) <= 0.051 * MiB }, 'GET /metrics/system');

    // 004
    const daemon = await connect(dev().wsUrl('/ws'));
    const daemonFrame = await until('a daemon metrics message', () => daemon.frames.find((f) => f.text.startsWith('{"type":"metrics"')));
    const raw = (JSON.parse(daemonFrame.text) as DaemonMetricsMessage).data.raw;
    const d = decoded(daemonFrame.text, 'daemon');
    assertRoles(
      d,
      { requests: raw.http_requests ?? NaN, errors: raw.http_errors ?? NaN, latency: raw.avg_response_time ?? NaN, heap: raw.memory_usage ?? NaN, goroutines: raw.goroutines ?? NaN, uptime: raw.uptime_seconds ?? NaN, connections: raw.active_connections ?? NaN, jobs: raw.jobs_completed ?? NaN, jobsFailed: raw.jobs_failed ?? NaN, cpu: raw.cpu_usage ?? NaN },
      'WS /ws',
    );
    assert.equal(d.timestamp, Date.parse((JSON.parse(daemonFrame.text) as DaemonMetricsMessage).timestamp));
    daemon.close();
  });

  it('a healthy server trips no default threshold: levels on the healthy side, no latency anomaly', async () => {
    const payloads: { text: string; hint: FormatHint }[] = [];
    const bun = await connect(dev().wsUrl('/api/dev/server-metrics/live'));
    const snap = await connect(dev().wsUrl('/metrics'), { subscribe: true });
    const daemon = await connect(dev().wsUrl('/ws'));
    const sseTexts: string[] = [];
    const sse = readSse(dev().url('/sse'), 8_000).then((r) => sseTexts.push(...r.text.split('\n\n').filter(Boolean).map((e) => e.slice('data: '.length))));
    const end = Date.now() + 8_000;
    while (Date.now() < end) {
      for (const [path, hint] of [['/api/dev/server-metrics', 'bun'], ['/api/dev/status', 'auto'], ['/api/metrics', 'snapshot'], ['/stats', 'go-stats'], ['/metrics/enhanced', 'go-stats'], ['/metrics/system', 'go-stats'], ['/metrics', 'prometheus']] as const) {
        payloads.push({ text: (await get(dev().url(path))).text, hint });
      }
      await sleep(400);
    }
    await sse;
    payloads.push(...bun.frames.map((f) => ({ text: f.text, hint: 'bun' as const })), ...snap.frames.map((f) => ({ text: f.text, hint: 'snapshot' as const })));
    payloads.push(...daemon.frames.map((f) => ({ text: f.text, hint: 'daemon' as const })), ...sseTexts.map((text) => ({ text, hint: 'snapshot' as const })));
    const samples = payloads.flatMap((p) => decoded(p.text, p.hint).samples);
    assert.ok(samples.length > 1000, `${samples.length} samples`);
    let checked = 0;
    for (const rule of DEFAULT_RULES) {
      const role = rule.metric.slice('role:'.length) as Role;
      const level = rule.warning ?? rule.critical;
      if (level === null) continue;
      for (const x of samples.filter((y) => y.role === role)) {
        assert.equal(x.unit, rule.unit, `${x.name} (${role}) in ${rule.unit}`);
        const fires = rule.direction === 'above' ? x.value >= level : x.value <= level;
        assert.ok(!fires, `rule ${rule.id} would fire on ${x.name}=${x.value} (${rule.direction} ${level})`);
        checked += 1;
      }
    }
    assert.ok(checked > 100, `${checked} values checked against the default levels`);
    // The latency-spike rule: the latency series through the real baseline, one SSE event a second as at full scale.
    const spike = DEFAULT_RULES.find((r) => r.id === 'latency-spike');
    assert.ok(spike?.anomaly);
    const series = new Map<string, number[]>();
    for (const text of sseTexts) {
      for (const x of decoded(text, 'snapshot').samples.filter((y) => y.role === 'latency')) {
        const key = `${x.name}${JSON.stringify(x.labels)}`;
        series.set(key, [...(series.get(key) ?? []), x.value]);
      }
    }
    assert.ok(series.size >= 1 && [...series.values()].every((v) => v.length >= 30), `latency series: ${[...series.values()].map((v) => v.length).join(', ')} samples`);
    for (const [key, values] of series) {
      const baseline = new Baseline({ ...DEFAULT_BASELINE, warmupMs: 0 });
      values.forEach((v, i) => {
        const at = i * 1000;
        const verdict = baseline.check(v, spike.anomaly ?? 0.5, 'above', anomalyFloor('ms'), at);
        assert.ok(!verdict.anomalous, `${key}: ${v} ms at sample ${i} is a spike over ${verdict.baseline.toFixed(1)} ms (${values.join(', ')})`);
        baseline.observe(v, at);
      });
    }
    for (const c of [bun, snap, daemon]) c.close();
  });
});
