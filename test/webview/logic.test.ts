// The webview's pure parts: reducer, prefs, text cleaning, chart data, rule matching, panel HTML.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, markClean, reduce, touch } from '../../webview/state';
import { SECTION_ROWS, SECTIONS } from '../../src/shared/sections';
import { parseHostMessage } from '../../src/shared/protocol';
import { DEFAULT_PREFS, parsePrefs, togglePinned } from '../../webview/ui/prefs';
import { agoText, safeText } from '../../webview/ui/text';
import { align, HistoryStore, sumLines, toRate, trimBuffer } from '../../webview/charts/chartData';
import { sameSeriesShape } from '../../webview/sections/seriesShape';
import { globMatch, levelOf, ruleForRole, ruleForSeries } from '../../webview/sections/rules';
import { contentSecurityPolicy, escapeHtml, makeNonce, renderPanelHtml } from '../../src/host/panel/panelHtml';
import { NOW, rule, rules, series, snapshot } from './fixtures/snapshot';
import { clean } from '../../webview/guards';
import { sourceErrorText } from '../../webview/sections/sourceError';

describe('state reducer', () => {
  it('replaces everything on a snapshot and marks every section dirty', () => {
    const s = reduce(initialState, { type: 'didSnapshot', snapshot: snapshot() }, NOW - 5000);
    assert.equal(s.loaded, true);
    assert.equal(s.clockOffset, 5000);
    assert.equal(s.series.size, snapshot().series.length);
    assert.equal(s.dirty.size, SECTIONS.length);
    assert.ok(s.dirty.has('annotations'));
  });

  it('upserts and removes series by id and dirties only what a delta carries', () => {
    const s0 = markClean(reduce(initialState, { type: 'didSnapshot', snapshot: snapshot() }, NOW));
    const changed = series('api:http.latency', 'http.latency', { unit: 'ms', value: 999 });
    const added = series('api:new', 'new.metric', { value: 1 });
    const s1 = reduce(s0, { type: 'didUpdate', delta: { now: NOW + 100, series: [changed, added], removedSeries: ['api:http.pending'] } }, NOW + 100);
    assert.deepEqual([...s1.dirty], ['series']);
    assert.equal(s1.series.get('api:http.latency')?.value, 999);
    assert.ok(s1.series.has('api:new'));
    assert.ok(!s1.series.has('api:http.pending'));
    assert.equal(s0.series.get('api:http.latency')?.value, 87.5, 'the previous state is untouched');
    assert.equal(s1.endpoints, s0.endpoints);
    const s2 = reduce(markClean(s1), { type: 'didUpdate', delta: { now: NOW + 200, endpoints: [] } }, NOW + 200);
    assert.deepEqual([...s2.dirty], ['endpoints']);
    assert.equal(s2.endpoints.length, 0);
  });

  it('applies compact value updates by handle: value, raw (null = same), age', () => {
    const s0 = markClean(reduce(initialState, { type: 'didSnapshot', snapshot: snapshot() }, NOW));
    const latency = s0.series.get('api:http.latency');
    const requests = s0.series.get('api:http.requests');
    assert.ok(latency && requests);
    const s1 = reduce(s0, { type: 'didUpdate', delta: { now: NOW + 500, values: [[latency.handle, 123, null, 100], [requests.handle, 5, 1_300_000, 0], [99_999, 1, null, 0], ['x', 1, null, 0] as never] } }, NOW + 500);
    assert.deepEqual([...s1.dirty], ['series']);
    assert.equal(s1.series.get('api:http.latency')?.value, 123);
    assert.equal(s1.series.get('api:http.latency')?.raw, 123);
    assert.equal(s1.series.get('api:http.latency')?.updatedAt, NOW + 400);
    assert.equal(s1.series.get('api:http.requests')?.raw, 1_300_000);
    assert.equal(s1.series.size, s0.series.size, 'unknown handles and malformed updates are dropped');
  });

  it('ignores a delta before any snapshot, and drops malformed list items', () => {
    assert.equal(reduce(initialState, { type: 'didUpdate', delta: { now: NOW, summary: snapshot().summary } }, NOW), initialState);
    const bad = { ...snapshot(), series: [{ id: 1 }, ...snapshot().series], alerts: [null] } as unknown as ReturnType<typeof snapshot>;
    const s = reduce(initialState, { type: 'didSnapshot', snapshot: bad }, NOW);
    assert.equal(s.series.size, snapshot().series.length);
    assert.equal(s.alerts.length, 0);
  });

  it('touch adds dirty sections and markClean clears them', () => {
    const s = touch(initialState, 'rules');
    assert.deepEqual([...s.dirty], ['rules']);
    assert.equal(markClean(s).dirty.size, 0);
  });
});

describe('section registry', () => {
  it('every registered section is checked on receipt, in a snapshot and in a delta', () => {
    assert.ok(parseHostMessage({ type: 'didSnapshot', snapshot: snapshot() }));
    for (const id of SECTIONS) {
      const missing = Object.fromEntries(Object.entries(snapshot()).filter(([k]) => k !== id));
      if (SECTION_ROWS[id].optional) assert.ok(parseHostMessage({ type: 'didSnapshot', snapshot: missing }), `a snapshot without optional ${id}`);
      else assert.equal(parseHostMessage({ type: 'didSnapshot', snapshot: missing }), undefined, `a snapshot without ${id}`);
      assert.equal(parseHostMessage({ type: 'didSnapshot', snapshot: { ...snapshot(), [id]: 'x' } }), undefined, `a snapshot with a string for ${id}`);
      assert.equal(parseHostMessage({ type: 'didUpdate', delta: { now: NOW, [id]: 'x' } }), undefined, `a delta with a string for ${id}`);
      assert.ok(parseHostMessage({ type: 'didUpdate', delta: { now: NOW, [id]: snapshot()[id] } }), `a delta with a good ${id}`);
    }
  });

  it('every section is reduced from a delta: cleaned, stored, and marked dirty alone', () => {
    const s0 = markClean(reduce(initialState, { type: 'didSnapshot', snapshot: snapshot({ annotations: [] }) }, NOW));
    // The fixture's pins are null (a host that keeps none); a host that keeps pins sends a list (and overlays).
    const full = snapshot({ pins: ['api|http.requests'], overlays: { 'api|http.requests': ['api|http.errors'] } });
    for (const id of SECTIONS) {
      const good = full[id];
      const received = Array.isArray(good) ? [{ bogus: true }, ...good] : good;
      const s1 = reduce(s0, { type: 'didUpdate', delta: { now: NOW + 1, [id]: received } }, NOW + 1);
      assert.deepEqual([...s1.dirty], [id], `only ${id} is dirty`);
      const kept = id === 'series' ? [...s1.series.values()] : s1[id];
      assert.deepEqual(kept, SECTION_ROWS[id].clean(good), `${id} holds the cleaned payload, the malformed item dropped`);
    }
  });
});

describe('prefs', () => {
  it('restores valid saved choices and falls back for the rest', () => {
    assert.equal(parsePrefs(undefined), DEFAULT_PREFS);
    const p = parsePrefs({ pinned: ['a', 'a', 5, 'b'], window: '1h', charts: { a: { mode: 'raw', group: 'sum' }, b: 3 }, tables: { endpoints: { sortKey: 'p95', sortDir: 'desc', filter: 'x' } }, collapsed: ['topics'] });
    assert.deepEqual(p.pinned, ['a', 'b']);
    assert.equal(p.window, '1h');
    assert.deepEqual(p.charts.a, { mode: 'raw', group: 'sum' });
    assert.equal(p.charts.b, undefined);
    assert.deepEqual(p.tables.endpoints, { sortKey: 'p95', sortDir: 'desc', filter: 'x' });
    assert.equal(parsePrefs({ window: '2d' }).window, '5m');
    assert.equal(parsePrefs({ charts: { __proto__: { mode: 'raw' } } }).charts.mode, undefined);
  });
  it('toggles pins and forgets a chart’s options when unpinned', () => {
    const p = togglePinned({ ...DEFAULT_PREFS, charts: { a: { mode: 'raw', group: 'single' } } }, 'a');
    assert.deepEqual(p.pinned, ['a']);
    const q = togglePinned(p, 'a');
    assert.deepEqual(q.pinned, []);
    assert.equal(q.charts.a, undefined);
  });
});

describe('safeText', () => {
  it('removes bidi controls, flattens control characters and cuts with an ellipsis', () => {
    assert.equal(safeText('a\u202Eb\u2066c\u2069\u200F'), 'abc');
    assert.equal(safeText('a\nb\u0000c'), 'a b c');
    const cut = safeText('x'.repeat(100_000), 200);
    assert.equal(cut.length, 200);
    assert.ok(cut.endsWith('…'));
    assert.equal(safeText('short', 200), 'short');
    assert.equal(safeText(null), '');
    assert.equal(safeText(`${'a'.repeat(199)}\u{1F600}`, 200), `${'a'.repeat(199)}…`);
  });
  it('says how long ago', () => {
    assert.equal(agoText(500), 'just now');
    assert.equal(agoText(194_000), '3m 14s ago');
  });
});

describe('chart data', () => {
  it('keeps only the reply to the latest request and appends newer live points', () => {
    const store = new HistoryStore();
    const r1 = store.plan(['b', 'a'], '5m', 'rate');
    assert.deepEqual(r1?.ids, ['a', 'b']);
    assert.equal(store.plan(['a', 'b'], '5m', 'rate'), undefined, 'same set: no new request');
    const r2 = store.plan(['a', 'b'], '1h', 'rate');
    assert.ok(r1 && r2 && r2.requestId > r1.requestId);
    assert.equal(store.load(r1.requestId, [{ id: 'a', t: [1], v: [1] }]), false);
    assert.equal(store.load(r2.requestId, [{ id: 'a', t: [1000, 2000], v: [1, 2] }]), true);
    assert.deepEqual([...store.append([{ id: 'a', t: [2000, 3000], v: [9, 3] }, { id: 'zz', t: [5], v: [5] }])], ['a']);
    assert.deepEqual(store.get('a'), { t: [1000, 2000, 3000], v: [1, 2, 3] });
    assert.deepEqual(store.get('b'), { t: [], v: [] });
  });
  it('trims to the window, derives rates, aligns and sums lines', () => {
    const buf = { t: [1000, 2000, 3000, 4000], v: [10, 20, 5, 15] as (number | null)[] };
    assert.deepEqual(toRate(buf).v, [null, 10, null, 10]);
    trimBuffer(buf, 2500);
    assert.deepEqual(buf.t, [3000, 4000]);
    const a = { t: [1000, 3000], v: [1, 3] };
    const b = { t: [2000, 3000], v: [10, 30] };
    assert.deepEqual(align([a, b]), [[1000, 2000, 3000], [1, null, 3], [null, 10, 30]]);
    assert.deepEqual(sumLines([a, b]), [[1000, 2000, 3000], [1, 11, 33]]);
  });
  it('merges lines of different lengths in time order, and hands one line over as is', () => {
    const a = { t: [1000, 4000, 5000], v: [1, 4, 5] as (number | null)[] };
    const b = { t: [2000, 4000], v: [20, null] as (number | null)[] };
    const c = { t: [], v: [] };
    assert.deepEqual(align([a, b, c]), [[1000, 2000, 4000, 5000], [1, null, 4, 5], [null, 20, null, null], [null, null, null, null]]);
    const [x, y] = align([a]);
    assert.equal(x, a.t, 'no copy of a single line');
    assert.equal(y, a.v);
    assert.deepEqual(align([]), [[]]);
  });
  it('tells value-only series updates from changed descriptions', () => {
    const s0 = reduce(initialState, { type: 'didSnapshot', snapshot: snapshot() }, NOW);
    const latency = s0.series.get('api:http.latency');
    assert.ok(latency);
    const s1 = reduce(s0, { type: 'didUpdate', delta: { now: NOW + 100, values: [[latency.handle, 5, null, 0]] } }, NOW + 100);
    assert.notEqual(s1.series, s0.series);
    assert.equal(sameSeriesShape(s0.series, s1.series), true);
    const s2 = reduce(s1, { type: 'didUpdate', delta: { now: NOW + 200, series: [{ ...latency, unit: 'seconds' }] } }, NOW + 200);
    assert.equal(sameSeriesShape(s1.series, s2.series), false);
    const s3 = reduce(s1, { type: 'didUpdate', delta: { now: NOW + 200, removedSeries: ['api:http.latency'] } }, NOW + 200);
    assert.equal(sameSeriesShape(s1.series, s3.series), false);
    assert.equal(sameSeriesShape(null, s1.series), false);
  });
});

describe('rules', () => {
  it('matches by role, glob and labels, and grades values', () => {
    assert.ok(globMatch('memory.*', 'memory.heapUsed'));
    assert.ok(!globMatch('memory.*', 'xmemory.heap'));
    assert.ok(!globMatch('a.b', 'axb'));
    assert.equal(ruleForRole(rules, 'latency')?.id, 'latency');
    const p95 = series('x', 'endpoint.p95', { labels: [['path', '/api/users']], value: 1 });
    assert.equal(ruleForSeries(rules, p95)?.id, 'p95');
    assert.equal(ruleForSeries(rules, { ...p95, labels: [['path', '/health']] }), undefined);
    const r = rule('r', 'x', { warning: 10, critical: 20 });
    assert.equal(levelOf(5, r), 'ok');
    assert.equal(levelOf(10, r), 'warning');
    assert.equal(levelOf(25, r), 'critical');
    assert.equal(levelOf(5, { ...r, direction: 'below', warning: 50, critical: 10 }), 'critical');
    assert.equal(levelOf(null, r), 'ok');
  });
});

describe('panel HTML', () => {
  it('sets the strict CSP with the nonce and escapes every value', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
    assert.notEqual(makeNonce(), nonce);
    const html = renderPanelHtml({ cspSource: 'https://*.vscode-cdn.net', nonce, scriptUri: 'https://x/dist/webview.js?a=1&b="2"', styleUri: 'https://x/dist/webview.css', title: '<b>Pulse</b>' });
    assert.ok(html.includes(`content="default-src &#39;none&#39;; img-src https://*.vscode-cdn.net data:; style-src https://*.vscode-cdn.net &#39;nonce-${nonce}&#39;; font-src https://*.vscode-cdn.net; script-src &#39;nonce-${nonce}&#39;; connect-src &#39;none&#39;"`));
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/dist/webview.js?a=1&amp;b=&quot;2&quot;"></script>`));
    assert.ok(html.includes('<title>&lt;b&gt;Pulse&lt;/b&gt;</title>'));
    assert.ok(!html.includes('unsafe-inline') && !html.includes('unsafe-eval'));
    assert.ok(!html.includes('codicon'));
    assert.ok(renderPanelHtml({ cspSource: 'vscode-resource:', nonce, scriptUri: 's', styleUri: 'c', codiconsUri: 'https://x/codicon.css' }).includes('id="vscode-codicon-stylesheet" href="https://x/codicon.css"'));
  });
  it('refuses a cspSource or nonce that could add directives', () => {
    assert.throws(() => contentSecurityPolicy("https://x; script-src 'unsafe-inline'", makeNonce()));
    assert.throws(() => contentSecurityPolicy('https://x', "abc' 'unsafe-inline"));
    assert.equal(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
  });
});

describe('source rows: reported errors', () => {
  it('keeps sources with error fields and drops those whose error fields are malformed', () => {
    const sources = snapshot().sources;
    assert.equal(clean.sources(sources).length, sources.length);
    const [first] = sources;
    assert.ok(first);
    const bad = [{ ...first, errorCount: '3' }, { ...first, lastErrorAt: 'yesterday' }, { ...first, lastError: 42 }, { ...first, errorCount: undefined }];
    assert.deepEqual(clean.sources([...bad, first]), [first]);
  });

  it('the worker row reads "3 errors · last 1 min ago: …" from the fixture', () => {
    const worker = snapshot().sources.find((s) => s.id === 'worker');
    assert.ok(worker);
    assert.equal(sourceErrorText(worker, NOW)?.line, '3 errors · last 1 min ago: Could not decode a message: invalid JSON at position 0');
    const api = snapshot().sources.find((s) => s.id === 'api');
    assert.ok(api);
    assert.equal(sourceErrorText(api, NOW), null);
  });
});
