// The messages the render and webview-leak figures feed: a panel snapshot (40 series, tables),
// and an hour of history at 1 s for 12 pinned series (3,600 points each). The didUpdate deltas are
// made in the page (lib/pages.ts), shaped as PanelFeed sends them.

import type { HostMessage } from '../src/shared/protocol';
import type { PanelSnapshot } from '../src/shared/sections';
import type { PointsView, SeriesView, SummaryView } from '../src/shared/views';

export interface RenderData {
  readonly pinned: readonly string[];
  readonly snapshot: HostMessage;
  readonly seriesIds: readonly string[];
  /** Host time of the snapshot; update k is at now + 100 ms × k. */
  readonly now: number;
  /** History by series id. */
  readonly history: Readonly<Record<string, PointsView>>;
}

const SOURCE = 'dev';

function walk(seed: number, n: number, base: number): number[] {
  const out: number[] = [];
  let v = base;
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v = Math.max(0, v + ((s / 2147483648) - 0.5) * base * 0.05);
    out.push(Math.round(v * 100) / 100);
  }
  return out;
}

function summary(k: number): SummaryView {
  return { requestRate: 420 + (k % 17), latencyMs: 40 + (k % 9), errorRatePct: 1.2, connections: 12, pending: 3, subscribers: 9, heapBytes: 41_943_040 + k * 1024, heapTotalBytes: 67_108_864, rssBytes: 104_857_600, cpuPct: 12.5, uptimeSeconds: 1234 + k / 10, goroutines: null, jobRate: null };
}

export function renderData(now: number): RenderData {
  const series: SeriesView[] = [];
  for (let i = 0; i < 40; i++) {
    const endpoint = i % 4 === 1;
    const labels: Array<[string, string]> = endpoint ? [['method', 'GET'], ['path', `/api/items/${i}`]] : [];
    series.push({ id: `${SOURCE}|metric_${i}${endpoint ? `{path="/api/items/${i}"}` : ''}`, handle: i + 1, sourceId: SOURCE, name: endpoint ? 'endpoint.p95' : `metric_${i}`, labels, kind: 'gauge', unit: i % 3 === 0 ? 'ms' : 'count', role: null, value: 100 + i, raw: 100 + i, updatedAt: now });
  }
  const pinned = series.slice(0, 12).map((s) => s.id);
  const snapshot: PanelSnapshot = {
    now,
    sources: [{ id: SOURCE, name: 'dev', url: 'ws://127.0.0.1:3334/metrics', kind: 'ws', state: { phase: 'open', since: now - 3_600_000 }, lastMessageAt: now, messagesPerSecond: 10, droppedSeries: 0, lastError: null, errorCount: 0, lastErrorAt: null }],
    series,
    seriesTotal: series.length,
    summary: summary(0),
    alerts: [],
    rules: [],
    endpoints: Array.from({ length: 8 }, (_, i) => ({ sourceId: SOURCE, method: i % 2 ? 'POST' : 'GET', path: `/api/items/${i}`, p50: 10 + i, p95: 40 + i, p99: 80 + i, errorRate: 0.5, throughput: 40 - i })),
    connections: Array.from({ length: 5 }, (_, i) => ({ sourceId: SOURCE, id: `c${i}`, remoteAddress: `127.0.0.1:5${i}000`, durationSeconds: 100 * i, messagesIn: 10 * i, messagesOut: 12 * i, bytesIn: 1000 * i, bytesOut: 1200 * i, idleSeconds: i })),
    topics: [{ sourceId: SOURCE, topic: 'chat', subscribers: 5 }, { sourceId: SOURCE, topic: 'metrics', subscribers: 1 }],
    configProblems: [],
    annotations: [],
    pins: null,
  };
  const history: Record<string, PointsView> = {};
  const start = now - 3_600_000;
  pinned.forEach((id, k) => {
    const t = Array.from({ length: 3600 }, (_, i) => start + (i + 1) * 1000);
    history[id] = { id, t, v: walk(k + 1, 3600, 100 + k * 10) };
  });
  return { pinned, seriesIds: series.map((x) => x.id), now, snapshot: { type: 'didSnapshot', snapshot }, history };
}
