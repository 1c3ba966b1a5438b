// What a pinned chart shows, worked out from the panel state and prefs: lines, grouping, mode, rule, and the
// history request and data that follow from it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, reduce } from '../../../webview/state';
import { DEFAULT_PREFS } from '../../../webview/ui/prefs';
import type { Prefs } from '../../../webview/ui/prefs';
import { HistoryStore } from '../../../webview/charts/chartData';
import { chartData, lineLabels, specFor, specSignature, wantedRequest } from '../../../webview/charts/spec';
import { NOW, rule, rules, snapshot } from '../fixtures/snapshot';

const state = reduce(initialState, { type: 'didSnapshot', snapshot: snapshot() }, NOW);
const REQUESTS = 'api:endpoint.requests{path=/api/users}';
const withChart = (id: string, mode: 'rate' | 'raw', group: 'single' | 'split' | 'sum'): Prefs => ({ ...DEFAULT_PREFS, pinned: [id], charts: { [id]: { mode, group } } });

describe('chart spec', () => {
  it('charts a gauge alone, in raw values, with the rule matching its role', () => {
    const spec = specFor('api:http.latency', state, DEFAULT_PREFS);
    assert.deepEqual(spec.lines, [{ id: 'api:http.latency', label: 'http.latency' }]);
    assert.equal(spec.group, 'single');
    assert.equal(spec.mode, 'raw');
    assert.equal(spec.counter, false);
    assert.equal(spec.unit, 'ms');
    assert.equal(spec.rule?.warning, 250);
    assert.equal(spec.siblings, 1);
    assert.deepEqual(lineLabels(spec), ['http.latency']);
  });

  it('splits a counter into one line per label set, sorted by labels, and shows no rule on raw values', () => {
    const spec = specFor(REQUESTS, state, withChart(REQUESTS, 'raw', 'split'));
    assert.equal(spec.group, 'split');
    assert.equal(spec.mode, 'raw');
    assert.equal(spec.counter, true);
    assert.equal(spec.siblings, 6);
    assert.deepEqual(spec.lines.map((l) => l.id), ['/api/login', '/api/orders', '/api/search', '/api/users', '/health', '/static/app.js'].map((p) => `api:endpoint.requests{path=${p}}`));
    assert.equal(spec.lines[0]?.label, 'method=GET, path=/api/login');
    assert.equal(spec.rule, undefined);
  });

  it('sums label sets into one line, and a series without siblings stays single whatever the prefs say', () => {
    const sum = specFor(REQUESTS, state, withChart(REQUESTS, 'rate', 'sum'));
    assert.equal(sum.group, 'sum');
    assert.equal(sum.lines.length, 6);
    assert.deepEqual(lineLabels(sum), ['sum']);
    assert.equal(specFor('api:http.latency', state, withChart('api:http.latency', 'rate', 'sum')).group, 'single');
  });

  it('describes a pinned series that is no longer reported', () => {
    const spec = specFor('api:gone', state, DEFAULT_PREFS);
    assert.equal(spec.series, undefined);
    assert.deepEqual(spec.lines, []);
    assert.equal(spec.unit, 'none');
  });

  it('asks for raw history when any counter chart shows raw values, else for rates', () => {
    const latency = specFor('api:http.latency', state, DEFAULT_PREFS);
    const rate = specFor('api:http.requests', state, DEFAULT_PREFS);
    const raw = specFor('api:http.requests', state, withChart('api:http.requests', 'raw', 'single'));
    assert.deepEqual(wantedRequest([latency, rate]), { ids: ['api:http.latency', 'api:http.requests'], mode: 'rate' });
    assert.equal(wantedRequest([latency, raw]).mode, 'raw');
  });

  it('changes its signature when the rule levels change, not when values do', () => {
    const before = specSignature(specFor('api:http.latency', state, DEFAULT_PREFS));
    const valuesOnly = reduce(state, { type: 'didSnapshot', snapshot: snapshot({ now: NOW + 1000 }) }, NOW + 1000);
    assert.equal(specSignature(specFor('api:http.latency', valuesOnly, DEFAULT_PREFS)), before);
    const moved = rules.map((r) => (r.id === 'latency' ? rule('latency', 'role:latency', { ...r, warning: 300 }) : r));
    const ruled = reduce(state, { type: 'didSnapshot', snapshot: snapshot({ rules: moved }) }, NOW);
    assert.notEqual(specSignature(specFor('api:http.latency', ruled, DEFAULT_PREFS)), before);
  });

  it('derives rates from raw history for a counter chart showing rates, and sums lines', () => {
    const store = new HistoryStore();
    const a = 'api:endpoint.requests{path=/api/login}';
    const b = 'api:endpoint.requests{path=/api/orders}';
    const req = store.plan([a, b], '5m', 'raw');
    assert.ok(req);
    store.load(req.requestId, [{ id: a, t: [1000, 2000, 3000], v: [10, 20, 40] }, { id: b, t: [1000, 2000, 3000], v: [5, 6, 7] }]);
    const rate = specFor(a, state, withChart(a, 'rate', 'single'));
    assert.deepEqual(chartData(rate, store), [[1000, 2000, 3000], [null, 10, 20]]);
    const rawSum = specFor(a, state, withChart(a, 'raw', 'sum'));
    const [x, sum] = chartData(rawSum, store);
    assert.deepEqual(x, [1000, 2000, 3000]);
    assert.deepEqual(sum, [15, 26, 47]);
  });
});
