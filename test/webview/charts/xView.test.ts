// A chart's time range as a state machine: live follows the data within the window, a drag zooms, Reset
// zoom goes back, Pause freezes (a chart with no range yet freezes at its first), Resume follows again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { XMode } from '../../../webview/charts/xView';
import { oldestHeld, validRange, XView } from '../../../webview/charts/xView';

const FLOOR = 1_000;

/** The view's mode, and the range it draws for data spanning 2 s to 15 s. */
function shows(v: XView, mode: XMode, range: [number, number]): void {
  assert.equal(v.mode, mode);
  assert.deepEqual(v.range(2_000, 15_000, FLOOR), range);
}

describe('chart x view', () => {
  it('follows the data while live, leaving out points older than the window', () => {
    const v = new XView();
    assert.equal(v.mode, 'live');
    assert.equal(v.held, null);
    assert.deepEqual(v.range(2_000, 9_000, FLOOR), [2_000, 9_000]);
    assert.deepEqual(v.range(500, 9_000, FLOOR), [FLOOR, 9_000]);
    assert.deepEqual(v.range(null, null, FLOOR), [null, null]);
  });

  it('keeps a zoom whatever data arrives, until Reset zoom', () => {
    const v = new XView();
    assert.equal(v.zoomTo(6_000, 4_000), true);
    assert.equal(v.mode, 'zoomed');
    assert.deepEqual(v.held, { min: 4_000, max: 6_000 });
    assert.deepEqual(v.range(2_000, 9_000, FLOOR), [4_000, 6_000]);
    assert.deepEqual(v.range(2_000, 12_000, FLOOR), [4_000, 6_000]);
    assert.equal(v.resetZoom(), true);
    assert.equal(v.mode, 'live');
    assert.deepEqual(v.range(2_000, 12_000, FLOOR), [2_000, 12_000]);
    assert.equal(v.resetZoom(), false);
  });

  it('refuses a zoom narrower than a millisecond or not finite, changing nothing', () => {
    const v = new XView();
    assert.equal(v.zoomTo(5_000, 5_000.5), false);
    assert.equal(v.zoomTo(Number.NaN, 5_000), false);
    assert.equal(v.zoomTo(0, Number.POSITIVE_INFINITY), false);
    assert.equal(v.mode, 'live');
    assert.equal(validRange(null, 1), null);
  });

  it('freezes on Pause and follows again on Resume', () => {
    const v = new XView();
    v.pause({ min: 2_000, max: 9_000 });
    shows(v, 'paused', [2_000, 9_000]);
    v.resume();
    shows(v, 'live', [2_000, 15_000]);
  });

  it('zoom wins over pause; Reset zoom while paused goes back to the paused range', () => {
    const v = new XView();
    v.pause({ min: 2_000, max: 9_000 });
    v.zoomTo(3_000, 4_000);
    shows(v, 'zoomed', [3_000, 4_000]);
    v.resetZoom();
    shows(v, 'paused', [2_000, 9_000]);
  });

  it('a chart paused before it had a range freezes at the first range it shows; refreeze takes the next one', () => {
    const v = new XView(true);
    assert.equal(v.mode, 'paused');
    assert.equal(v.held, null);
    assert.deepEqual(v.range(null, null, FLOOR), [null, null]);
    assert.equal(v.held, null, 'no data: nothing frozen yet');
    assert.deepEqual(v.range(2_000, 9_000, FLOOR), [2_000, 9_000]);
    assert.deepEqual(v.range(2_000, 20_000, FLOOR), [2_000, 9_000]);
    v.refreeze();
    assert.deepEqual(v.range(5_000, 20_000, FLOOR), [5_000, 20_000]);
    assert.deepEqual(v.range(5_000, 30_000, FLOOR), [5_000, 20_000]);
  });

  it('names the oldest time a held chart needs, so trimming keeps it', () => {
    const live = new XView();
    const zoomed = new XView();
    zoomed.zoomTo(4_000, 6_000);
    const paused = new XView();
    paused.pause({ min: 3_000, max: 9_000 });
    assert.equal(oldestHeld([live]), null);
    assert.equal(oldestHeld([live, zoomed]), 4_000);
    assert.equal(oldestHeld([live, zoomed, paused]), 3_000);
  });
});
