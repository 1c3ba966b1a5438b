// A chart with overlaid series, worked out without the DOM: each overlay's scale (shared for the chart's unit,
// its own otherwise), the history asked for, the data (after a summed chart's line), line keys and formats.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, reduce } from '../../../webview/state';
import { DEFAULT_PREFS } from '../../../webview/ui/prefs';
import type { Prefs } from '../../../webview/ui/prefs';
import { HistoryStore } from '../../../webview/charts/chartData';
import { chartData, lineColors, lineFormats, lineKeys, lineLabels, overlayScales, ownLineCount, specFor, specSignature, wantedRequest } from '../../../webview/charts/spec';
import { NOW, snapshot } from '../fixtures/snapshot';

const state = reduce(initialState, { type: 'didSnapshot', snapshot: snapshot() }, NOW);
const LATENCY = 'api:http.latency';
const P95 = 'api:endpoint.p95{path=/health}';
const REQUESTS = 'api:http.requests';
const HEAP = 'api:memory.heapUsed';
const ENDPOINT = 'api:endpoint.requests{path=/api/users}';

describe('overlays in a chart spec', () => {
  it('puts an overlay in the chart\'s unit on its axis, others on their own unit\'s scale (a counter as its rate)', () => {
    const spec = specFor(LATENCY, state, DEFAULT_PREFS, [P95, REQUESTS, HEAP, LATENCY]);
    assert.deepEqual(spec.overlays.map((o) => [o.id, o.scale, o.counter]), [[P95, 'y', false], [REQUESTS, 'y:per_second', true], [HEAP, 'y:bytes', false]], 'the chart itself is never its own overlay');
    assert.deepEqual(overlayScales(spec), ['y:per_second', 'y:bytes']);
    assert.deepEqual(lineLabels(spec), ['http.latency', 'endpoint.p95 method=GET, path=/health', 'http.requests', 'memory.heapUsed']);
    assert.equal(ownLineCount(spec), 1);
    assert.deepEqual(lineKeys(spec).slice(1).map((k) => k.split('\u0000')), [['overlay', P95], ['overlay', REQUESTS], ['overlay', HEAP]]);
    const formats = lineFormats(spec);
    assert.match(formats[0]?.(12) ?? '', /ms/);
    assert.match(formats[2]?.(12) ?? '', /\/s/);
    assert.match(formats[3]?.(2_000_000) ?? '', /B/);
    assert.equal(new Set(lineColors(spec, ['a', 'b', 'c', 'd', 'e'], 'z')).size, 4, 'each line its own colour');
  });

  it('asks history for the overlays too, and changes its signature with them', () => {
    const plain = specFor(LATENCY, state, DEFAULT_PREFS);
    const overlaid = specFor(LATENCY, state, DEFAULT_PREFS, [REQUESTS]);
    assert.deepEqual(wantedRequest([overlaid]).ids, [LATENCY, REQUESTS]);
    assert.notEqual(specSignature(plain), specSignature(overlaid));
    assert.deepEqual(plain.overlays, []);
  });

  it('lists an overlay that is no longer reported (so it can be removed) on the chart\'s axis, with no points', () => {
    const spec = specFor(LATENCY, state, DEFAULT_PREFS, ['api:gone']);
    assert.deepEqual(spec.overlays.map((o) => [o.id, o.series, o.scale]), [['api:gone', undefined, 'y']]);
  });

  it('aligns the overlays after the chart\'s lines (a summed chart: after its one line), rates from raw history', () => {
    const prefs: Prefs = { ...DEFAULT_PREFS, pinned: [ENDPOINT], charts: { [ENDPOINT]: { mode: 'rate', group: 'sum' } } };
    const spec = specFor(ENDPOINT, state, prefs, [LATENCY, REQUESTS]);
    assert.equal(ownLineCount(spec), 1);
    const store = new HistoryStore();
    const req = store.plan(wantedRequest([spec, specFor(REQUESTS, state, { ...prefs, charts: { [REQUESTS]: { mode: 'raw', group: 'single' } } })]).ids, '5m', 'raw');
    assert.ok(req);
    const lines = spec.lines.map((l) => ({ id: l.id, t: [1000, 2000], v: [10, 20] }));
    store.load(req.requestId, [...lines, { id: LATENCY, t: [1000, 3000], v: [5, 7] }, { id: REQUESTS, t: [1000, 2000, 3000], v: [100, 110, 130] }]);
    const [t, sum, latency, rate] = chartData(spec, store);
    assert.deepEqual(t, [1000, 2000, 3000]);
    assert.deepEqual(sum, [null, 60, null], 'the sum of six per-second rates');
    assert.deepEqual(latency, [5, null, 7]);
    assert.deepEqual(rate, [null, 10, 20], 'a counter overlay as its per-second rate');
  });
});
