// restoreInChunks: the same result as restore(), with pauses between chunks, and samples that reach
// the store during those pauses kept after the restored points.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../../../src/core/model';
import { MetricStore } from '../../../../src/core/series/store';
import type { StoreOptions } from '../../../../src/core/series/store';
import { RawLogWriter } from '../../../../src/core/persist/rawLog';
import { encodeCompact } from '../../../../src/core/persist/compact';
import { restore, restoreInChunks } from '../../../../src/core/persist/restore';
import { rawPoints } from '../../../helpers/rawPoints';

const OPTS: StoreOptions = { rawWindowMs: 15 * 60_000, bucketMs: 10_000, downsampledWindowMs: 24 * 3_600_000, maxSeriesPerSource: 1000 };
const T0 = 1_700_000_000_000;
const SERIES = 300;

function gauge(name: string, value: number): Sample {
  return { name, labels: [], value, kind: 'gauge', unit: 'none' };
}

/** A previous session: SERIES gauges, one point a second for two minutes. */
function saved(): { compact: unknown; raw: Uint8Array; now: number } {
  const store = new MetricStore(OPTS);
  let now = T0;
  for (let s = 0; s <= 120; s++) {
    now = T0 + s * 1000;
    const samples: Sample[] = [];
    for (let i = 0; i < SERIES; i++) samples.push(gauge(`m${i}`, s * 1000 + i));
    store.ingest('src', samples, now);
  }
  return { compact: encodeCompact(store, 200 * 1024), raw: new RawLogWriter().delta(store).bytes, now };
}

describe('restoreInChunks', () => {
  it('restores what restore() does, pausing between chunks', async () => {
    const { compact, raw, now } = saved();
    const whole = new MetricStore(OPTS);
    const expected = restore(whole, compact, raw, now + 1000);
    const chunked = new MetricStore(OPTS);
    let pauses = 0;
    const result = await restoreInChunks(chunked, compact, raw, now + 1000, async () => void pauses++, 50);
    assert.equal(result.restoredSeries, expected.restoredSeries);
    assert.equal(result.restoredSeries, SERIES);
    assert.ok(pauses >= SERIES / 50, `${pauses} pauses`);
    for (const info of whole.list()) {
      assert.deepEqual(rawPoints(chunked, info.id), rawPoints(whole, info.id), info.id);
      assert.equal(chunked.history(info.id)?.buckets.size, whole.history(info.id)?.buckets.size, info.id);
    }
  });

  it('keeps samples that arrived during the restore, after the restored points', async () => {
    const { compact, raw, now } = saved();
    const store = new MetricStore(OPTS);
    const live: number[] = [];
    let t = now + 5000;
    const result = await restoreInChunks(store, compact, raw, now + 5000, async () => {
      t += 1000;
      live.push(t);
      store.ingest('src', [gauge('m0', -t), gauge('fresh', t)], t);
    }, 50);
    assert.equal(result.problems.length, 0, result.problems.join('; '));
    const m0 = rawPoints(store, 'src|m0');
    assert.equal(m0.t.length, 121 + live.length, 'restored and live points');
    assert.deepEqual(m0.t.slice(-live.length), live, 'live points last, in order');
    assert.ok(m0.v.slice(0, 121).every((v) => v >= 0) && m0.v.slice(-live.length).every((v) => v < 0));
    assert.notEqual(store.get('src|m0')?.restored, true, 'the live facts stand');
    assert.equal(rawPoints(store, 'src|fresh').t.length, live.length, 'a series only live is untouched');
    assert.equal(store.bySource('src').length, SERIES + 1);
  });
});
