// Issue 20 row 11: a source flooding the store (within its own cap) next to a quiet one. The panel's
// view is a fair share per source, says how many series it does not hold, and the filter finds the rest
// on the host.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pipeline } from '../../../src/core/pipeline';
import { PanelFeed, MAX_SERIES_IN_VIEW } from '../../../src/core/views/panelFeed';
import { fairSelection } from '../../../src/core/views/viewSelection';
import type { Logger, SourceConfig } from '../../../src/core/model';
import type { SeriesInfo } from '../../../src/core/series/store';

const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const T0 = 1_700_000_000_000;

function source(id: string, name: string): SourceConfig {
  return { id, name, url: `ws://127.0.0.1:1/${id}`, kind: 'ws', format: 'json', pollIntervalMs: 2000, headers: {}, scope: 'user' };
}

function setup(): { pipeline: Pipeline; feed: PanelFeed } {
  const pipeline = new Pipeline(
    { store: { rawWindowMs: 60_000, bucketMs: 10_000, downsampledWindowMs: 3_600_000, maxSeriesPerSource: 10_000 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 64 * 1024 * 1024 },
    log,
  );
  // The flood is defined first, so in store order every one of its series comes before the quiet ones.
  pipeline.setSources([source('flood', 'flood'), source('quiet', 'quiet')]);
  for (let batch = 0; batch < 8; batch++) {
    const msg: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) msg[`churn_${batch}_${i}`] = i;
    pipeline.handle('flood', JSON.stringify(msg), T0 + batch);
  }
  pipeline.handle('quiet', JSON.stringify({ heap_used_bytes: 5e7, queue_depth: 3, worker_count: 4 }), T0 + 10);
  const feed = new PanelFeed(pipeline, () => []);
  pipeline.onDidChange((change) => feed.note(change));
  return { pipeline, feed };
}

describe('panel view fairness across sources (issue 20 row 11)', () => {
  it('the quiet source\'s series reach the panel and the panel is told how many it lacks', () => {
    const { pipeline, feed } = setup();
    const total = pipeline.store.list().length;
    assert.equal(total, 8003);
    const snap = feed.snapshot(T0 + 20);
    assert.equal(snap.series.length, MAX_SERIES_IN_VIEW);
    assert.equal(snap.seriesTotal, total);
    const quiet = snap.series.filter((s) => s.sourceId === 'quiet').map((s) => s.name).sort();
    assert.deepEqual(quiet, ['heap_used_bytes', 'queue_depth', 'worker_count']);
  });

  it('the filter finds series beyond the view on the host, and they then get value updates', () => {
    const { pipeline, feed } = setup();
    const snap = feed.snapshot(T0 + 20);
    const held = new Set(snap.series.map((s) => s.id));
    const wanted = pipeline.store.list().find((s) => s.name === 'churn_7_999');
    assert.ok(wanted && !held.has(wanted.id), 'the last flood series is beyond the fair share');
    feed.setSearch('churn_7_99');
    const d = feed.delta(T0 + 30);
    const found = (d?.series ?? []).map((s) => s.name).sort();
    assert.ok(found.includes('churn_7_999'), `found ${found.length} series`);
    assert.ok(found.every((n) => n.startsWith('churn_7_99')));
    pipeline.handle('flood', JSON.stringify({ churn_7_999: 42 }), T0 + 40);
    const next = feed.delta(T0 + 50);
    assert.ok((next?.values ?? []).some(([, v]) => v === 42), 'the found series is kept up to date');
  });

  it('fairSelection: equal shares, leftovers to those that need more, store order kept', () => {
    const mk = (sourceId: string, n: number): SeriesInfo[] => Array.from({ length: n }, (_, i) => ({ id: `${sourceId}|s${i}`, sourceId } as unknown as SeriesInfo));
    const picked = fairSelection([...mk('a', 100), ...mk('b', 3), ...mk('c', 100)], 50);
    const count = (id: string) => picked.filter((s) => s.sourceId === id).length;
    assert.equal(picked.length, 50);
    assert.equal(count('b'), 3);
    assert.ok(Math.abs(count('a') - count('c')) <= 1);
    assert.deepEqual(picked.filter((s) => s.sourceId === 'a').map((s) => s.id).slice(0, 3), ['a|s0', 'a|s1', 'a|s2']);
  });
});
