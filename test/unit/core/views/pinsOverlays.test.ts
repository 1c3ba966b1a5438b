// Series overlaid on a pinned chart: kept by the host with the pins (old saved pins without overlays still
// load), bounded and cleaned both ways, dropped with their chart, sent to the panel and kept across a reload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_PINS, overlaysOf, parsePins, setOverlays, setPins, withDefaults } from '../../../../src/core/views/pins';
import { MAX_OVERLAYS } from '../../../../src/shared/sections';
import { PanelFeed } from '../../../../src/core/views/panelFeed';
import { PINS_KEY } from '../../../../src/host/storage/pinStore';
import { FakeMemento } from '../../../helpers/fakeVscode';
import { seedUpdate, startPinHost } from './pinHost';

const T0 = 1_764_000_000_000;

describe('overlays in the pin model', () => {
  it('reads pins saved before overlays existed, with none', () => {
    const old = parsePins({ ids: ['a', 'b'], offered: ['dev\u0000latency'] });
    assert.deepEqual(old, { ids: ['a', 'b'], offered: ['dev\u0000latency'], overlays: {} });
    assert.deepEqual(NO_PINS.overlays, {});
  });

  it('reads saved overlays of pinned charts only: ids checked, each once, never the chart itself, at most three', () => {
    const saved = JSON.parse('{"ids":["a","b","__proto__"],"offered":[],"overlays":{"a":["x","x","a",7,"","y","z","w"],"b":"x","gone":["x"],"__proto__":["q"]}}') as unknown;
    const pins = parsePins(saved);
    assert.deepEqual(Object.entries(pins.overlays), [['a', ['x', 'y', 'z']], ['__proto__', ['q']]]);
    assert.equal(Object.getPrototypeOf(pins.overlays), Object.prototype);
    assert.deepEqual(overlaysOf(pins, 'a'), ['x', 'y', 'z']);
    assert.deepEqual(overlaysOf(pins, 'b'), []);
    assert.deepEqual(overlaysOf(pins, 'toString'), [], 'no inherited key reads as a chart');
    assert.deepEqual(parsePins({ ids: ['a'], offered: [], overlays: ['x'] }).overlays, {});
    assert.deepEqual(parsePins({ ids: ['a'], offered: [], overlays: { a: ['x'.repeat(513), 'ok'] } }).overlays, { a: ['ok'] });
  });

  it('sets and removes one chart\'s overlays; a chart not pinned gets none; the defaults leave them alone', () => {
    const pins = setPins(NO_PINS, ['a', 'b']);
    const one = setOverlays(pins, 'a', ['x']);
    assert.deepEqual(one.overlays, { a: ['x'] });
    const capped = setOverlays(one, 'b', ['p', 'q', 'r', 's', 'b', 'p']);
    assert.deepEqual(overlaysOf(capped, 'b'), ['p', 'q', 'r']);
    assert.equal(overlaysOf(capped, 'b').length, MAX_OVERLAYS);
    assert.deepEqual(overlaysOf(capped, 'a'), ['x'], 'the other chart keeps its own');
    assert.equal(setOverlays(capped, 'nope', ['x']), capped, 'not pinned: unchanged');
    const removed = setOverlays(capped, 'a', []);
    assert.deepEqual(removed.overlays, { b: ['p', 'q', 'r'] });
    assert.deepEqual(removed.ids, ['a', 'b']);
    assert.equal(withDefaults(removed, []), removed, 'no series: the same pins');
  });

  it('drops a chart\'s overlays when it is unpinned, keeps them when charts are reordered', () => {
    const pins = setOverlays(setOverlays(setPins(NO_PINS, ['a', 'b']), 'a', ['x']), 'b', ['y']);
    assert.deepEqual(setPins(pins, ['b', 'a']).overlays, { b: ['y'], a: ['x'] });
    assert.deepEqual(setPins(pins, ['b']).overlays, { b: ['y'] });
    assert.deepEqual(setPins(setPins(pins, ['b']), ['b', 'a']).overlays, { b: ['y'] }, 'pinned again: starts without');
  });
});

describe('overlays in the panel feed, kept in workspace state', () => {
  it('keeps what the page set (not echoed), sends what the host changed, and survives a reload', () => {
    const memento = new FakeMemento();
    const { pipeline, feed } = startPinHost(memento, T0);
    assert.deepEqual(feed.snapshot(T0).overlays, {});
    pipeline.handle('dev', seedUpdate(T0), T0);
    const pins = feed.delta(T0)?.pins;
    assert.ok(pins && pins.length >= 2);
    const [chart = '', other = ''] = pins;
    feed.setOverlays(chart, [other]);
    assert.equal(feed.delta(T0 + 10)?.overlays, undefined, 'what the page sent is not sent back');
    assert.deepEqual(feed.snapshot(T0 + 20).overlays, { [chart]: [other] });

    feed.setOverlays('not-pinned', ['x']);
    assert.deepEqual(feed.delta(T0 + 30)?.overlays, { [chart]: [other] }, 'refused: the page hears what the host kept');

    const reloaded = startPinHost(memento, T0 + 40).feed;
    assert.deepEqual(reloaded.snapshot(T0 + 40).overlays, { [chart]: [other] });
    assert.deepEqual((memento.get(PINS_KEY) as { overlays: unknown }).overlays, { [chart]: [other] });

    reloaded.setPins(pins.filter((id) => id !== chart));
    assert.deepEqual(reloaded.delta(T0 + 50)?.overlays, {}, 'unpinning the chart drops its overlays, and the page hears it');
    assert.deepEqual(parsePins(memento.get(PINS_KEY)).overlays, {});
  });

  it('a feed without a pin store sends null overlays', () => {
    const { pipeline } = startPinHost(new FakeMemento(), T0);
    const bare = new PanelFeed(pipeline, () => []);
    assert.equal(bare.snapshot(T0).overlays, null);
    bare.setOverlays('a', ['b']);
    assert.equal(bare.snapshot(T0).overlays, null);
  });
});
