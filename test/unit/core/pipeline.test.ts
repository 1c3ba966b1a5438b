import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pipeline } from '../../../src/core/pipeline';
import { PanelFeed } from '../../../src/core/views/panelFeed';
import { summarize } from '../../../src/core/views/summary';
import type { Logger, SourceConfig } from '../../../src/core/model';
import type { PipelineChange } from '../../../src/core/pipeline';

const warnings: string[] = [];
const log: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };

function make() {
  const p = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 50 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log);
  const src: SourceConfig = { id: 'api', name: 'API', url: 'ws://127.0.0.1:1/', kind: 'ws', format: 'auto', pollIntervalMs: 2000, headers: {}, scope: 'user' };
  p.setSources([src]);
  const changes: PipelineChange[] = [];
  p.onDidChange((c) => changes.push(c));
  return { p, changes };
}

function bun(t: number, total: number, heap: number, pending = 2): string {
  return JSON.stringify({ type: 'metrics', timestamp: t, http: { pendingRequests: pending, totalRequests: total }, websockets: { pendingConnections: 4, subscribers: { chat: 3 }, totalSubscribers: 3 }, memory: { heapUsed: heap, heapTotal: heap * 2, rss: heap * 3 } });
}

test('a Bun message becomes series; counters become rates; the summary reads them by role', () => {
  const { p } = make();
  p.handle('api', bun(1000, 100, 50e6), 1000);
  p.handle('api', bun(2000, 150, 60e6), 2000);
  const summary = summarize(p.store.list());
  assert.equal(summary.requestRate, 50);
  assert.equal(summary.heapBytes, 60e6);
  assert.equal(summary.pending, 2);
  assert.equal(summary.connections, 4);
  assert.equal(p.source('api')?.messages, 2);
});

test('the headline is read from the pipeline: computed on reading, new after each message that changed series', () => {
  const { p } = make();
  p.handle('api', bun(1000, 100, 50e6), 1000);
  p.handle('api', bun(2000, 150, 60e6), 2000);
  const first = p.headline();
  assert.equal(first.requestRate, 50);
  assert.equal(first.heapBytes, 60e6);
  assert.equal(p.headline(), first, 'nothing changed: the same view');
  assert.deepEqual(p.sourceHeadline('api'), first);
  const version = p.store.version;
  p.handle('api', bun(3000, 250, 70e6), 3000);
  assert.ok(p.store.version > version);
  assert.equal(p.headline().requestRate, 100);
  assert.equal(p.headline().heapBytes, 70e6);
  p.clearHistory();
  assert.equal(p.headline().heapBytes, null, 'cleared history: no headline');
});

test('bad messages are counted and shown on the source, never thrown', () => {
  const { p } = make();
  for (const bad of ['{not json', '\u0000\u0001binary', '', '[]', 'x'.repeat(2_000_000)]) p.handle('api', bad, 1000);
  assert.equal(p.source('api')?.decodeErrors, 4, 'an empty JSON array is a valid message with no metrics; the others are errors');
  assert.ok(p.source('api')?.lastError?.startsWith('Could not decode a message'));
  p.handle('api', bun(2000, 1, 1), 2000);
  assert.ok(p.store.size > 0, 'a good message after bad ones is ingested');
});

test('server error messages are surfaced; messages for unknown sources are ignored', () => {
  const { p } = make();
  p.handle('api', JSON.stringify({ type: 'error', message: 'metrics backend unavailable' }), 1000);
  assert.equal(p.source('api')?.lastError, 'Server error: metrics backend unavailable');
  p.handle('nope', bun(1, 1, 1), 1);
  assert.equal(p.store.bySource('nope').length, 0);
});

test('a threshold from settings fires after `for`, dismissal holds, and overrides apply', () => {
  const { p } = make();
  p.setThresholdSettings([{ id: 'heap-low', metric: 'memory.heapUsed', warning: 10e6, critical: 100e6, for: 0 }], false);
  const fired: string[] = [];
  p.onDidFire((alerts) => fired.push(...alerts.map((a) => a.id)));
  p.handle('api', bun(1000, 1, 50e6), 1000);
  p.handle('api', bun(2000, 2, 50e6), 2000);
  const alert = p.alerts.firing()[0];
  assert.ok(alert, 'the heap rule fires');
  assert.equal(alert.severity, 'warning');
  assert.ok(fired.includes(alert.id));
  p.dismiss(alert.id);
  p.handle('api', bun(3000, 3, 50e6), 3000);
  assert.equal(p.alerts.firing().length, 0);
  assert.equal(p.setOverride('heap-low', { critical: 40e6 }), undefined);
  assert.equal(p.rulesView().find((r) => r.id === 'heap-low')?.origin, 'override');
  assert.ok(p.setOverride('heap-low', { warning: 500e6 })?.includes('heap-low'), 'warning beyond critical is refused');
  assert.equal(p.setOverride('nope', { warning: 1 }), 'No threshold rule "nope"');
});

test('the panel feed sends a snapshot, then only what changed, compactly', () => {
  const { p, changes } = make();
  const feed = new PanelFeed(p, () => []);
  p.onDidChange((c) => feed.note(c));
  p.handle('api', bun(1000, 100, 50e6), 1000);
  const snap = feed.snapshot(1000);
  assert.ok(snap.series.length >= 8);
  assert.equal(snap.sources[0]?.id, 'api');
  assert.equal(feed.delta(1000), undefined, 'nothing changed since the snapshot');
  p.handle('api', bun(2000, 150, 50e6), 2000);
  const d = feed.delta(2000);
  assert.ok(d);
  assert.equal(d.series, undefined, 'known series are not re-sent');
  assert.ok(d.values && d.values.length >= 8);
  const totalSeries = snap.series.find((s) => s.id.endsWith('|http.totalRequests'));
  assert.ok(totalSeries);
  const total = d.values.find(([handle]) => handle === totalSeries.handle);
  assert.deepEqual(total?.slice(1, 4), [50, 150, 0], 'rate, the counter as sent, age');
  const heapSeries = snap.series.find((s) => s.id.endsWith('|memory.heapUsed'));
  assert.deepEqual(
    d.values.find(([handle]) => handle === heapSeries?.handle)?.slice(1, 3),
    [50e6, null],
    'a gauge sends its value once',
  );
  assert.ok(d.summary, 'summary changed (request rate appeared)');
  assert.ok(changes.length > 0);
  p.clearHistory();
  const cleared = feed.delta(3000);
  assert.ok(cleared?.removedSeries && cleared.removedSeries.length === snap.series.length);
});

test('history requests return points; live points then travel as value updates only', () => {
  const { p } = make();
  const feed = new PanelFeed(p, () => []);
  p.onDidChange((c) => feed.note(c));
  for (let i = 1; i <= 5; i++) p.handle('api', bun(i * 1000, i * 10, 50e6 + i), i * 1000);
  const heap = p.store.list().find((s) => s.name === 'memory.heapUsed');
  assert.ok(heap);
  const snap = feed.snapshot(5000);
  const points = feed.history([heap.id, 'unknown|x'], '5m', 'raw', 5000);
  assert.equal(points.length, 1);
  assert.deepEqual(points[0]?.v, [50e6 + 1, 50e6 + 2, 50e6 + 3, 50e6 + 4, 50e6 + 5]);
  p.handle('api', bun(6000, 60, 50e6 + 6), 6000);
  const d = feed.delta(6000);
  assert.equal(d?.points, undefined);
  const handle = snap.series.find((s) => s.id === heap.id)?.handle;
  assert.deepEqual(d?.values?.find(([h]) => h === handle), [handle, 50e6 + 6, null, 0]);
});

test('a delta carries only the sections a change touched; sections derived from values only when they differ', () => {
  const { p } = make();
  const feed = new PanelFeed(p, () => ['a problem']);
  p.onDidChange((c) => feed.note(c));
  p.handle('api', bun(1000, 100, 50e6), 1000);
  p.handle('api', bun(2000, 150, 50e6), 2000);
  feed.snapshot(2000);
  feed.noteConfig();
  const config = feed.delta(2000);
  assert.deepEqual(Object.keys(config ?? {}).sort(), ['configProblems', 'now', 'rules', 'sources']);
  assert.deepEqual(config?.configProblems, ['a problem']);
  feed.noteTick();
  assert.deepEqual(Object.keys(feed.delta(2500) ?? {}).sort(), ['now', 'sources'], 'a tick moves only source ages');
  p.handle('api', bun(3000, 200, 50e6), 3000);
  assert.deepEqual(Object.keys(feed.delta(3000) ?? {}).sort(), ['now', 'values'], 'same rate and gauges: summary, endpoints and topics are not re-sent');
  p.handle('api', bun(4000, 300, 50e6), 4000);
  const faster = feed.delta(4000);
  assert.deepEqual(Object.keys(faster ?? {}).sort(), ['now', 'summary', 'values']);
  assert.equal(faster?.summary?.requestRate, 100);
});
