// A host's pin-keeping parts for tests: the real pipeline, panel feed and pin store on a workspace-state
// Memento (pass the same one to "reload"), with one seed-001 source `dev`.
import { Pipeline } from '../../../../src/core/pipeline';
import { PanelFeed } from '../../../../src/core/views/panelFeed';
import { PinStore } from '../../../../src/host/storage/pinStore';
import type { StateStore } from '../../../../src/host/storage/historyStorage';
import type { Logger, SourceConfig } from '../../../../src/core/model';

const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Seed 001 `update`: one endpoint (p95, error rate, throughput) and system numbers (memory, cpu, uptime). */
export const seedUpdate = (t: number): string =>
  JSON.stringify({ type: 'update', timestamp: t, data: { timestamp: t, endpoints: [{ path: '/api/users', method: 'GET', p50: 12, p95: 40, p99: 80, errorRate: 0.4, throughput: 42 }], system: { uptime: 60, memory: 1e8, cpu: 20 } } });

export function startPinHost(state: StateStore, since: number) {
  const pipeline = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 200 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log);
  const src: SourceConfig = { id: 'dev', name: 'dev', url: 'ws://127.0.0.1:3334/metrics', kind: 'ws', format: 'auto', pollIntervalMs: 2000, headers: {}, scope: 'user' };
  pipeline.setSources([src]);
  pipeline.setState('dev', { phase: 'open', since });
  const feed = new PanelFeed(pipeline, () => [], undefined, new PinStore(state, log));
  pipeline.onDidChange((c) => feed.note(c));
  return { pipeline, feed };
}

export type PinHost = ReturnType<typeof startPinHost>;
