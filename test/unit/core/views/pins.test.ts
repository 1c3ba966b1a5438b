// The pinned charts the host keeps: defaults by role the first time a source delivers, the user's list
// winning from then on, saved in (and restored from) workspace state, and sent to the panel in its feed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesInfo } from '../../../../src/core/series/store';
import type { Role } from '../../../../src/shared/vocabulary';
import { defaultPins, NO_PINS, parsePins, setPins, withDefaults } from '../../../../src/core/views/pins';
import { MAX_PINS } from '../../../../src/shared/sections';
import { PanelFeed } from '../../../../src/core/views/panelFeed';
import { PINS_KEY } from '../../../../src/host/storage/pinStore';
import { FakeMemento } from '../../../helpers/fakeVscode';
import { seedUpdate, startPinHost } from './pinHost';

function s(sourceId: string, name: string, role: Role | null, o: { labels?: [string, string][]; restored?: boolean } = {}): SeriesInfo {
  const labels = o.labels ?? [];
  const id = `${sourceId}|${name}${labels.length ? `{${labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}` : ''}`;
  return { id, sourceId, name, labels, kind: 'gauge', unit: 'none', role, value: 1, raw: 1, updatedAt: 0, ...(o.restored ? { restored: true } : {}) };
}

const api = [
  s('api', 'endpoint.requests', 'requests', { labels: [['path', '/a']] }),
  s('api', 'http.throughput', 'requestRate'),
  s('api', 'http.requests_total', 'requests'),
  s('api', 'memory.rss', 'rss'),
  s('api', 'http.errors', 'errors'),
  s('api', 'http.errorRate', 'errorRate'),
  s('api', 'memory.heapUsed', 'heap'),
  s('api', 'http_request_duration_seconds', 'latency', { labels: [['quantile', '0.95']] }),
  s('api', 'process.uptime', 'uptime'),
];

describe('default pins by role', () => {
  it('one chart per role present, in a fixed order: the request counter before a rate gauge, a total before a breakdown', () => {
    const ids = defaultPins(api, new Set()).map((p) => p.id);
    assert.deepEqual(ids, ['api|http.requests_total', 'api|http_request_duration_seconds{quantile="0.95"}', 'api|http.errorRate', 'api|memory.heapUsed']);
  });

  it('is the same whatever order the store lists series in', () => {
    assert.deepEqual(defaultPins([...api].reverse(), new Set()), defaultPins(api, new Set()));
  });

  it('falls back to the next role (errors counter without an error rate), per source, and skips restored history', () => {
    const worker = [s('worker', 'jobs.errors', 'errors'), s('worker', 'ws.conns', 'connections'), s('worker', 'old.heap', 'heap', { restored: true })];
    assert.deepEqual(defaultPins(worker, new Set()).map((p) => p.id), ['worker|jobs.errors', 'worker|ws.conns']);
  });

  it('adds each default once: one the user removed is never added again, new sources get theirs', () => {
    const first = withDefaults(NO_PINS, api);
    assert.equal(first.ids.length, 4);
    const userRemoved = setPins(first, first.ids.filter((id) => id !== 'api|memory.heapUsed'));
    assert.equal(withDefaults(userRemoved, api), userRemoved, 'nothing new: the same object');
    const later = withDefaults(userRemoved, [...api, s('db', 'db.connections', 'connections')]);
    assert.deepEqual(later.ids, [...userRemoved.ids, 'db|db.connections']);
    assert.ok(!later.ids.includes('api|memory.heapUsed'));
  });

  it('keeps the user order, never more than MAX_PINS (defaults past that are offered, not pinned)', () => {
    const mine = setPins(NO_PINS, Array.from({ length: MAX_PINS }, (_, i) => `api|m${i}`));
    const next = withDefaults(mine, api);
    assert.deepEqual(next.ids, mine.ids);
    assert.equal(next.offered.length, 4);
  });
});

describe('saved pins', () => {
  it('parses only what is sound', () => {
    assert.deepEqual(parsePins(undefined), NO_PINS);
    assert.deepEqual(parsePins({ ids: ['a', 'a', 3, '', 'x'.repeat(600), 'b'], offered: 'x' }), { ids: ['a', 'b'], offered: [], overlays: {} });
    assert.equal(parsePins({ ids: Array.from({ length: 99 }, (_, i) => `s${i}`), offered: [] }).ids.length, MAX_PINS);
    assert.deepEqual(setPins(NO_PINS, ['b', 'a', 'b']).ids, ['b', 'a']);
  });
});

const T0 = 1_764_000_000_000;
const host = (memento: FakeMemento) => {
  const h = startPinHost(memento, T0);
  return { p: h.pipeline, feed: h.feed };
};
const update = seedUpdate;

describe('pins in the panel feed, kept in workspace state', () => {
  it('the first data brings default charts; a user change is kept, not echoed, and survives a new host', () => {
    const memento = new FakeMemento();
    const { p, feed } = host(memento);
    assert.deepEqual(feed.snapshot(T0).pins, [], 'no data, no defaults');
    p.handle('dev', update(T0), T0);
    const first = feed.delta(T0)?.pins;
    assert.ok(first && first.length >= 3, JSON.stringify(first));
    assert.ok(first.some((id) => id.includes('errorRate')) && first.some((id) => id.includes('p95')));
    assert.equal(feed.delta(T0 + 1), undefined, 'nothing pending after');

    // The user drops a default and moves the last chart first.
    const mine = [first[first.length - 1] ?? '', ...first.slice(1, -1)];
    feed.setPins(mine);
    const echo = feed.delta(T0 + 100);
    assert.equal(echo?.pins, undefined, 'what the page sent is not sent back');
    p.handle('dev', update(T0 + 1000), T0 + 1000);
    assert.equal(feed.delta(T0 + 1000)?.pins, undefined, 'the removed default is not added back');
    assert.deepEqual(feed.snapshot(T0 + 1000).pins, mine, 'a panel opened again gets the same pins');

    // A window reload: a new host reads the same workspace state.
    const again = host(memento);
    assert.deepEqual(again.feed.snapshot(T0 + 2000).pins, mine);
    again.p.handle('dev', update(T0 + 3000), T0 + 3000);
    assert.deepEqual(again.feed.snapshot(T0 + 3000).pins, mine, 'defaults are not offered again after a reload');
  });

  it('saves only when the pins change', () => {
    const memento = new FakeMemento();
    const { p, feed } = host(memento);
    p.handle('dev', update(T0), T0);
    feed.snapshot(T0);
    const saved = memento.updates;
    assert.equal(saved, 1);
    feed.snapshot(T0 + 10);
    feed.setPins(parsePins(memento.get(PINS_KEY)).ids);
    assert.equal(memento.updates, saved);
    feed.setPins([]);
    assert.equal(memento.updates, saved + 1);
    assert.deepEqual(parsePins(memento.get(PINS_KEY)).ids, []);
  });

  it('a feed without a pin store sends null (the page keeps its own)', () => {
    const memento = new FakeMemento();
    const { p } = host(memento);
    const bare = new PanelFeed(p, () => []);
    assert.equal(bare.snapshot(T0).pins, null);
  });
});
