// A source's errors (seed-001 `error` messages, decode failures, transport warnings) reach the panel's
// SourceView and the status-bar tooltip with a count and the time of the last one, and stay after recovery.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pipeline } from '../../../../src/core/pipeline';
import { PanelFeed } from '../../../../src/core/views/panelFeed';
import { statusView } from '../../../../src/core/views/statusText';
import type { Logger, SourceConfig } from '../../../../src/core/model';
import type { SummaryView } from '../../../../src/shared/views';
import { sourceErrorText } from '../../../../webview/sections/sourceError';

const warnings: string[] = [];
const log: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
const T0 = 1_764_000_000_000;

function make() {
  const p = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 200 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log);
  const src: SourceConfig = { id: 'bun', name: 'bun-metrics', url: 'ws://127.0.0.1:3334/metrics', kind: 'ws', format: 'auto', pollIntervalMs: 2000, headers: {}, scope: 'user' };
  p.setSources([src]);
  p.setState('bun', { phase: 'open', since: T0 });
  const feed = new PanelFeed(p, () => []);
  p.onDidChange((c) => feed.note(c));
  return { p, feed };
}

const update = (t: number): string =>
  JSON.stringify({ type: 'update', timestamp: t, data: { timestamp: t, endpoints: [{ path: '/api/users', method: 'GET', p50: 12, p95: 40, p99: 80, errorRate: 0.4, throughput: 42 }], cdn: { bandwidth: 1000, cacheHitRatio: 95, storage: 40 }, system: { uptime: 60, memory: 1e8, cpu: 20 } } });
const serverError = (t: number, error: string): string => JSON.stringify({ type: 'error', error, timestamp: t });

describe('source errors reach the views', () => {
  it('a seed-001 error message reaches SourceView with its text, count and time, and stays after good data', () => {
    const { p, feed } = make();
    p.handle('bun', update(T0), T0);
    assert.deepEqual(pick(feed.sourceViews()[0]), { lastError: null, errorCount: 0, lastErrorAt: null });
    p.handle('bun', serverError(T0 + 5000, 'database connection lost'), T0 + 5000);
    assert.deepEqual(pick(feed.sourceViews()[0]), { lastError: 'Server error: database connection lost', errorCount: 1, lastErrorAt: T0 + 5000 });
    const delta = feed.delta(T0 + 5000);
    assert.equal(delta?.sources?.[0]?.errorCount, 1, 'the change is sent to the panel');
    p.handle('bun', update(T0 + 10_000), T0 + 10_000);
    assert.equal(p.source('bun')?.lastError, null, 'the current problem clears once data flows');
    assert.deepEqual(pick(feed.sourceViews()[0]), { lastError: 'Server error: database connection lost', errorCount: 1, lastErrorAt: T0 + 5000 }, 'the panel still shows it');
    p.handle('bun', serverError(T0 + 15_000, 'database connection lost'), T0 + 15_000);
    assert.deepEqual(pick(feed.sourceViews()[0]), { lastError: 'Server error: database connection lost', errorCount: 2, lastErrorAt: T0 + 15_000 });
  });

  it('decode failures and transport warnings count too', () => {
    const { p, feed } = make();
    p.handle('bun', '{"type":"update", truncated', T0);
    p.warn('bun', 'message larger than the 4 MiB limit; dropped', T0 + 1000);
    const v = pick(feed.sourceViews()[0]);
    assert.equal(v.errorCount, 2);
    assert.equal(v.lastErrorAt, T0 + 1000);
    assert.equal(v.lastError, 'message larger than the 4 MiB limit; dropped');
  });

  it('the webview row text says how many, when and what, as plain cut text', () => {
    assert.equal(sourceErrorText({ errorCount: 0, lastError: null, lastErrorAt: null }, T0), null);
    const one = sourceErrorText({ errorCount: 1, lastError: 'Server error: database connection lost', lastErrorAt: T0 - 120_000 }, T0);
    assert.equal(one?.line, '1 error · last 2 min ago: Server error: database connection lost');
    assert.ok(one?.title.includes('Server error: database connection lost'));
    const hostile = sourceErrorText({ errorCount: 3, lastError: `Server error: \u202Eevil\n${'x'.repeat(5000)}`, lastErrorAt: T0 }, T0);
    assert.ok(hostile && hostile.line.startsWith('3 errors · last just now: Server error: evil x'));
    assert.ok(hostile.line.length <= 160 && hostile.line.endsWith('…'));
    assert.ok(!/[\u202E\n]/.test(hostile.line + hostile.title));
  });

  it('the status-bar tooltip lists the source’s errors, escaped', () => {
    const { p } = make();
    p.handle('bun', serverError(T0, 'see [docs](command:workbench.action.terminal.sendSequence)'), T0);
    p.handle('bun', serverError(T0 + 5000, 'see [docs](command:workbench.action.terminal.sendSequence)'), T0 + 5000);
    const rt = p.source('bun');
    assert.ok(rt);
    const view = statusView({
      summary: EMPTY,
      metrics: [],
      sources: [{ name: rt.config.name, state: rt.state, errors: { count: rt.errorCount, lastAt: rt.lastErrorAt, last: rt.lastReportedError } }],
      alerts: [],
      now: T0 + 65_000,
    });
    const line = view.tooltip.split('\n').find((l) => l.includes('2 errors'));
    assert.ok(line, view.tooltip);
    assert.match(line, /bun\\?-metrics: 2 errors, last 1m 00s ago — Server error\\?: see/);
    assert.ok(!line.includes('[docs](command:'), 'no link survives');
  });
});

function pick(v: { lastError: string | null; errorCount: number; lastErrorAt: number | null } | undefined) {
  assert.ok(v);
  return { lastError: v.lastError, errorCount: v.errorCount, lastErrorAt: v.lastErrorAt };
}

const EMPTY: SummaryView = {
  requestRate: null,
  latencyMs: null,
  errorRatePct: null,
  connections: null,
  pending: null,
  subscribers: null,
  heapBytes: null,
  heapTotalBytes: null,
  rssBytes: null,
  cpuPct: null,
  uptimeSeconds: null,
  goroutines: null,
  jobRate: null,
};
