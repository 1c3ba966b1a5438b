// PromQL backfill time for a 1 h chart window: a `promql` source (the selector's standard queries)
// connecting to a loopback server that replays Prometheus API answers (instant vectors, and 1 h
// `query_range` matrices at the step Pulse asks for), until the pipeline holds the history; against
// fetching the same URLs (same concurrency) and JSON.parse of the same bytes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, SourceConfig } from '../src/core/model';
import { Pipeline } from '../src/core/pipeline';
import { readSettings } from '../src/core/settings/settings';
import { createTransport } from '../src/sources/transport';
import type { BenchContext, FigureRow } from './lib/report';
import { fmt, iqr } from './lib/report';
import { interleaved, median, nowMs } from './lib/stats';

const WINDOW_MS = 3_600_000;
/** Series each query's answer holds (e.g. handlers or instances). */
const SERIES_PER_QUERY = 8;
const CONCURRENCY = 4;

const noop = (): void => undefined;
const log: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };

let sink = 0;

/** A loopback "Prometheus": answers are built once per (endpoint, query, step) and replayed byte for byte. */
async function replayServer(end: number): Promise<{ url: string; paths: Set<string>; close(): Promise<void> }> {
  const cache = new Map<string, string>();
  const paths = new Set<string>();
  const answer = (endpoint: string, query: string, step: number): string => {
    const key = `${endpoint} ${step} ${query}`;
    let body = cache.get(key);
    if (body === undefined) {
      const endS = Math.floor(end / 1000);
      const result = Array.from({ length: SERIES_PER_QUERY }, (_, s) => {
        const metric = { job: 'api', instance: `10.0.0.${s + 1}:9090`, handler: `/api/h${s}` };
        if (endpoint === 'query') return { metric, value: [endS, String(100 + s * 3.25)] };
        const values: Array<[number, string]> = [];
        for (let t = endS - WINDOW_MS / 1000; t <= endS; t += step) values.push([t, String(((t * 7 + s * 13) % 1000) / 10)]);
        return { metric, values };
      });
      body = JSON.stringify({ status: 'success', data: { resultType: endpoint === 'query' ? 'vector' : 'matrix', result } });
      cache.set(key, body);
    }
    return body;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const endpoint = url.pathname.replace(/^\/api\/v1\//, '');
    if (endpoint !== 'query' && endpoint !== 'query_range') {
      res.writeHead(404).end();
      return;
    }
    paths.add(req.url ?? '/');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(answer(endpoint, url.searchParams.get('query') ?? '', Number(url.searchParams.get('step') ?? '1')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sourceConfig(url: string): SourceConfig {
  const settings = readSettings({ get: () => undefined, userSources: [{ name: 'team prometheus', url, kind: 'promql', pollIntervalMs: 60_000, selector: '{job="api"}' }], workspaceSources: undefined });
  const config = settings.sources[0];
  if (!config || settings.problems.length > 0) throw new Error(`bad promql source: ${settings.problems.join('; ')}`);
  return config;
}

/** Connect → first message (instant values + 1 h backfill) handled by the pipeline; ms, and points stored. */
async function backfillOnce(config: SourceConfig, clock: { now: number }): Promise<{ ms: number; points: number }> {
  const pipeline = new Pipeline({ store: { rawWindowMs: WINDOW_MS, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 2000 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 64 * 1024 * 1024 }, log);
  pipeline.setSources([config]);
  const transport = createTransport(config, { maxPayloadBytes: 4 * 1024 * 1024, log, now: () => clock.now, backfillWindowMs: WINDOW_MS });
  try {
    const start = nowMs();
    await new Promise<void>((resolve, reject) => {
      transport.onDidChangeState((s) => {
        pipeline.setState(config.id, s);
        if (s.phase === 'failed') reject(new Error(`the promql source failed: ${JSON.stringify(s)}`));
      });
      transport.onDidReceive((m) => {
        pipeline.handle(config.id, m.payload, m.receivedAt, m.bytes);
        resolve();
      });
      transport.start();
    });
    const ms = nowMs() - start;
    let points = 0;
    for (const s of pipeline.store.bySource(config.id)) points += pipeline.store.points(s.id, clock.now - WINDOW_MS, clock.now, 'raw').t.length;
    return { ms, points };
  } finally {
    transport.dispose();
  }
}

/** The same URLs, CONCURRENCY at a time, each body through JSON.parse. */
async function fetchAndParse(base: string, paths: readonly string[]): Promise<{ ms: number; bytes: number }> {
  const start = nowMs();
  let next = 0;
  let bytes = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < paths.length; i = next++) {
      const text = await (await fetch(`${base}${paths[i] ?? ''}`)).text();
      bytes += text.length;
      sink += (JSON.parse(text) as { data: { result: unknown[] } }).data.result.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: nowMs() - start, bytes };
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const clock = { now: Date.now() };
  const server = await replayServer(clock.now);
  try {
    const config = sourceConfig(server.url);
    const first = await backfillOnce(config, clock);
    const paths = [...server.paths];
    if (first.points < WINDOW_MS / 1000 / 10) throw new Error(`the backfill stored only ${first.points} points`);
    let points = first.points;
    let bytes = 0;
    const result = await interleaved({
      rounds: ctx.quick ? 9 : 15,
      warmup: 2,
      a: async () => {
        const r = await backfillOnce(config, clock);
        points = r.points;
        return r.ms;
      },
      b: async () => {
        const r = await fetchAndParse(server.url, paths);
        bytes = r.bytes;
        return r.ms;
      },
    });
    const ranges = paths.filter((p) => p.includes('query_range')).length;
    return [
      {
        id: 'promql.backfill',
        figure: `PromQL backfill, 1 h window (${ranges} range + ${paths.length - ranges} instant queries, ${points} points, ${(bytes / 1024).toFixed(0)} KB; loopback replay)`,
        pulse: `${fmt(median(result.a))} ms (connect → history in the store)`,
        baseline: `${fmt(median(result.b))} ms (fetch + JSON.parse of the same answers)`,
        ratio: result.ratio.median,
        spread: iqr(result.ratio),
        goal: 'info',
        pass: null,
        details: { points, bytes, requests: paths.length, seriesPerQuery: SERIES_PER_QUERY, msA: result.a, msB: result.b, ratios: result.ratios, sink: sink > 0 },
      },
    ];
  } finally {
    await server.close();
  }
}
