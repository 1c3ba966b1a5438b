// Issue 20 row 12: a save that fixes the previous save's regression takes the status-bar notice down at
// once, and a regression is flagged as soon as the comparison has a verdict (not at a fixed 45 s).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetricStore } from '../../../src/core/series/store';
import { compareAt } from '../../../src/core/devloop/beforeAfter';
import { REGRESSION_CHECK_EVERY_MS, RegressionWatch } from '../../../src/core/devloop/regression';
import type { RegressionAction } from '../../../src/core/devloop/regression';
import type { StoreOptions } from '../../../src/core/series/store';

const MIN = 60_000;
const OPTS: StoreOptions = { rawWindowMs: 15 * MIN, bucketMs: 10_000, downsampledWindowMs: 60 * MIN, maxSeriesPerSource: 100 };
const T0 = 1_700_000_000_000;

/** p99 of one endpoint, one sample a second, with a little noise so the comparison has a noise band. */
function feed(store: MetricStore, from: number, to: number, level: (t: number) => number): void {
  for (let t = from; t < to; t += 1000) {
    const wobble = ((t / 1000) % 5) - 2;
    store.ingest('api', [{ name: 'endpoint.p99', labels: [['method', 'GET'], ['path', '/api/orders']], value: level(t) + wobble, kind: 'gauge', unit: 'ms' }], t);
  }
}

/** What the host does every REGRESSION_CHECK_EVERY_MS: the newest save's rows, through the watch. */
function runChecks(store: MetricStore, watch: RegressionWatch, from: number, to: number): Array<{ at: number; action: NonNullable<RegressionAction> }> {
  const actions: Array<{ at: number; action: NonNullable<RegressionAction> }> = [];
  for (let now = from; now <= to; now += REGRESSION_CHECK_EVERY_MS) {
    const at = watch.saveTime;
    if (at === undefined || !watch.watching(now)) break;
    const action = watch.check(compareAt(store, at), now);
    if (action !== undefined) actions.push({ at: now, action });
  }
  return actions;
}

describe('status-bar regression notice across saves (issue 20 row 12)', () => {
  it('appears within one check of the verdict, and a fixing save clears it at once', () => {
    const store = new MetricStore(OPTS);
    const watch = new RegressionWatch();
    const save1 = T0 + 2 * MIN;
    feed(store, T0, save1, () => 90);
    assert.equal(watch.save(save1), undefined, 'nothing to clear on the first save');

    // The handler got slow: 90 → 260 ms.
    feed(store, save1, save1 + 30_000, () => 260);
    const first = runChecks(store, watch, save1 + REGRESSION_CHECK_EVERY_MS, save1 + 30_000);
    const shown = first.find((a) => 'show' in a.action);
    assert.ok(shown, 'the regression is flagged');
    assert.ok(shown.at - save1 <= 15_000, `flagged ${(shown.at - save1) / 1000} s after the save; the verdict exists after 5 samples`);
    assert.match('show' in shown.action ? shown.action.show.text : '', /^p99 \/api\/orders \+\d+ % since save$/);

    // The second save fixes it: the old notice goes with the save itself, not a minute later.
    const save2 = save1 + 30_000;
    assert.deepEqual(watch.save(save2), { clear: true });
    feed(store, save2, save2 + 60_000, () => 88);
    const second = runChecks(store, watch, save2 + REGRESSION_CHECK_EVERY_MS, save2 + 60_000);
    assert.equal(second.filter((a) => 'show' in a.action).length, 0, 'the fixed save is not flagged');
  });

  it('a notice is taken down when the same save stops regressing (the server recovered)', () => {
    const store = new MetricStore(OPTS);
    const watch = new RegressionWatch();
    const save = T0 + 2 * MIN;
    feed(store, T0, save, () => 90);
    watch.save(save);
    feed(store, save, save + 20_000, () => 300);
    const during = runChecks(store, watch, save + 5_000, save + 20_000);
    assert.ok(during.some((a) => 'show' in a.action));
    feed(store, save + 20_000, save + 110_000, () => 90);
    const after = runChecks(store, watch, save + 25_000, save + 110_000);
    assert.ok(after.some((a) => 'clear' in a.action), 'cleared once the after-window is back to normal');
    assert.equal(watch.watching(save + 121_000), false, 'stops watching after two minutes');
  });
});
