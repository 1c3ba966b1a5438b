// The pin store in workspace state: pins saved before overlays existed still load; overlays are saved only
// when they change, refused for a chart not pinned, and dropped with their chart.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PINS_KEY, PinStore } from '../../../../src/host/storage/pinStore';
import { FakeMemento } from '../../../helpers/fakeVscode';

describe('pin store overlays', () => {
  it('loads old saved pins, saves overlays once per change, and keeps nothing for a chart not pinned', async () => {
    const memento = new FakeMemento(new Map([[PINS_KEY, JSON.stringify({ ids: ['a', 'b'], offered: ['dev\u0000heap'] })]]));
    const store = new PinStore(memento);
    assert.deepEqual(store.current([]), ['a', 'b']);
    assert.deepEqual(store.overlays(), {});
    assert.equal(memento.updates, 0, 'loading saves nothing');

    assert.deepEqual(store.setOverlays('a', ['x', 'y', 'z', 'w']), ['x', 'y', 'z']);
    assert.equal(memento.updates, 1);
    assert.deepEqual(store.setOverlays('a', ['x', 'y', 'z']), ['x', 'y', 'z']);
    assert.equal(memento.updates, 1, 'the same overlays: not saved again');
    assert.deepEqual(store.setOverlays('nope', ['x']), []);
    assert.equal(memento.updates, 1);

    await Promise.resolve();
    const reloaded = new PinStore(memento);
    assert.deepEqual(reloaded.overlays(), { a: ['x', 'y', 'z'] });
    assert.deepEqual(memento.get<{ offered: string[] }>(PINS_KEY)?.offered, ['dev\u0000heap'], 'offers kept');

    reloaded.set(['b']);
    assert.deepEqual(reloaded.overlays(), {});
    assert.deepEqual(new PinStore(memento).overlays(), {}, 'unpinned: its overlays are gone from the saved state too');
  });
});
