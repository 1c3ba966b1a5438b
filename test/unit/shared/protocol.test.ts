import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage } from '../../../src/shared/protocol';
import type { RequestType, WebviewMessage } from '../../../src/shared/requests';
import { parseWebviewMessage, REQUESTS } from '../../../src/shared/requests';
import { MAX_PINS, SECTION_ROWS } from '../../../src/shared/sections';

describe('parseWebviewMessage', () => {
  it('accepts every well-formed request', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'requestHistory', requestId: 3, ids: ['a/b'], window: '5m', mode: 'rate' }), {
      type: 'requestHistory', requestId: 3, ids: ['a/b'], window: '5m', mode: 'rate',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'snoozeAlert', alertId: 'x', duration: 'restart' }), { type: 'snoozeAlert', alertId: 'x', duration: 'restart' });
    assert.deepEqual(parseWebviewMessage({ type: 'setThreshold', ruleId: 'r', patch: { warning: 1, critical: null, forSeconds: 5 } }), {
      type: 'setThreshold', ruleId: 'r', patch: { warning: 1, critical: null, forSeconds: 5 },
    });
    assert.deepEqual(parseWebviewMessage({ type: 'reconnect', sourceId: null }), { type: 'reconnect', sourceId: null });
    assert.deepEqual(parseWebviewMessage({ type: 'searchSeries', query: 'path=/api' }), { type: 'searchSeries', query: 'path=/api' });
  });
  it('refuses unknown, forged and malformed messages', () => {
    assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' }), undefined);
    assert.equal(parseWebviewMessage('ready'), undefined);
    assert.equal(parseWebviewMessage(null), undefined);
    assert.equal(parseWebviewMessage({ type: 'requestHistory', requestId: 1, ids: 'x', window: '5m', mode: 'rate' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'requestHistory', requestId: 1, ids: [], window: '2d', mode: 'rate' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'setThreshold', ruleId: 'r', patch: { warning: Number.NaN } }), undefined);
    assert.equal(parseWebviewMessage({ type: 'setThreshold', ruleId: 'r', patch: { command: 'x' } }), undefined);
    assert.equal(parseWebviewMessage({ type: 'dismissAlert', alertId: 'x'.repeat(10_000) }), undefined);
  });
  it('refuses messages with fields beyond the protocol, and returns a fresh object', () => {
    assert.equal(parseWebviewMessage({ type: 'dismissAlert', alertId: 'a', extra: { __proto__: { polluted: true } } }), undefined);
    assert.equal(parseWebviewMessage({ type: 'ready', command: 'workbench.action.quit' }), undefined);
    const input = { type: 'dismissAlert', alertId: 'a' };
    const parsed = parseWebviewMessage(input);
    assert.deepEqual(parsed, { type: 'dismissAlert', alertId: 'a' });
    assert.notEqual(parsed, input);
  });
});

/** One well-formed message of every request (a request without a sample here does not compile). */
const SAMPLES: { readonly [K in RequestType]: WebviewMessage<K> } = {
  ready: { type: 'ready' },
  requestHistory: { type: 'requestHistory', requestId: 1, ids: ['a'], window: '1h', mode: 'raw' },
  reconnect: { type: 'reconnect', sourceId: 'api' },
  addSource: { type: 'addSource' },
  openSettings: { type: 'openSettings' },
  acknowledgeAlert: { type: 'acknowledgeAlert', alertId: 'a' },
  dismissAlert: { type: 'dismissAlert', alertId: 'a' },
  snoozeAlert: { type: 'snoozeAlert', alertId: 'a', duration: '15m' },
  setThreshold: { type: 'setThreshold', ruleId: 'r', patch: { clear: 1 } },
  resetThreshold: { type: 'resetThreshold', ruleId: 'r' },
  saveThresholdToSettings: { type: 'saveThresholdToSettings', ruleId: 'r' },
  goToHandler: { type: 'goToHandler', method: null, path: '/x' },
  searchSeries: { type: 'searchSeries', query: '' },
  compare: { type: 'compare', requestId: 2, annotationId: 'lastSave' },
  setPins: { type: 'setPins', ids: ['api|http.requests', 'api|memory.heapUsed'] },
  setOverlays: { type: 'setOverlays', chartId: 'api|http.latency', ids: ['api|http.requests'] },
  exportChart: { type: 'exportChart', file: { format: 'csv', fileName: 'pulse-api-http.latency.csv', content: 'time_iso,time_ms\r\n' } },
};

describe('the request table', () => {
  it('accepts each request exactly as defined, and refuses it with a field missing or added', () => {
    assert.deepEqual(Object.keys(SAMPLES).sort(), Object.keys(REQUESTS).sort());
    for (const sample of Object.values(SAMPLES)) {
      assert.deepEqual(parseWebviewMessage(sample), sample);
      assert.equal(parseWebviewMessage({ ...sample, extra: 1 }), undefined, `${sample.type} with an extra field`);
      for (const key of Object.keys(sample).filter((k) => k !== 'type')) {
        const missing = Object.fromEntries(Object.entries(sample).filter(([k]) => k !== key));
        assert.equal(parseWebviewMessage(missing), undefined, `${sample.type} without ${key}`);
        assert.equal(parseWebviewMessage({ ...sample, [key]: undefined }), undefined, `${sample.type} with ${key} undefined`);
      }
    }
  });
  it('keeps the bounds', () => {
    const refused: unknown[] = [
      { type: 'requestHistory', requestId: 1.5, ids: [], window: '5m', mode: 'rate' },
      { type: 'requestHistory', requestId: 1, ids: Array.from({ length: 201 }, () => 'a'), window: '5m', mode: 'rate' },
      { type: 'requestHistory', requestId: 1, ids: [''], window: '5m', mode: 'rate' },
      { type: 'requestHistory', requestId: 1, ids: [], window: '5m', mode: 'cumulative' },
      { type: 'reconnect', sourceId: '' },
      { type: 'setThreshold', ruleId: 'r', patch: { critical: 1e15 } },
      { type: 'setThreshold', ruleId: 'r', patch: { forSeconds: 86_401 } },
      { type: 'setThreshold', ruleId: 'r', patch: { forSeconds: -1 } },
      { type: 'setThreshold', ruleId: 'r', patch: { forSeconds: null } },
      { type: 'setThreshold', ruleId: 'r', patch: [] },
      { type: 'setThreshold', ruleId: 'r', patch: JSON.parse('{"__proto__":{"warning":1}}') as unknown },
      { type: 'goToHandler', method: 'get', path: '/x' },
      { type: 'goToHandler', method: 'ABCDEFGHIJK', path: '/x' },
      { type: 'goToHandler', method: null, path: `/${'x'.repeat(2048)}` },
      { type: 'goToHandler', method: null, path: '/a\nb' },
      { type: 'compare', requestId: '1', annotationId: 'a' },
      { type: 'compare', requestId: 1, annotationId: 'x'.repeat(513) },
      { type: 'setPins', ids: Array.from({ length: 25 }, (_, i) => `s${i}`) },
      { type: 'setPins', ids: ['a', 'a'] },
      { type: 'setPins', ids: ['x'.repeat(513)] },
      { type: 'setPins', ids: [''] },
      { type: 'setPins', ids: [1] },
      { type: 'setPins', ids: 'a' },
      { type: 'setOverlays', chartId: 'a', ids: ['b', 'c', 'd', 'e'] },
      { type: 'setOverlays', chartId: 'a', ids: ['b', 'b'] },
      { type: 'setOverlays', chartId: 'a', ids: [''] },
      { type: 'setOverlays', chartId: 'a', ids: ['x'.repeat(513)] },
      { type: 'setOverlays', chartId: 'a', ids: [{}] },
      { type: 'setOverlays', chartId: '', ids: [] },
      { type: 'setOverlays', chartId: 'x'.repeat(513), ids: [] },
      { type: 'setOverlays', chartId: 'a', ids: { 0: 'b', length: 1 } },
      { type: 'constructor' },
      { type: 'toString' },
    ];
    for (const m of refused) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
    const edges: unknown[] = [
      { type: 'requestHistory', requestId: 1, ids: Array.from({ length: 200 }, () => 'x'.repeat(512)), window: '24h', mode: 'raw' },
      { type: 'setThreshold', ruleId: 'r', patch: {} },
      { type: 'setThreshold', ruleId: 'r', patch: { warning: -1e14, critical: null, clear: 0, forSeconds: 86_400 } },
      { type: 'goToHandler', method: 'ABCDEFGHIJ', path: `/${'x'.repeat(2047)}` },
      { type: 'searchSeries', query: 'x'.repeat(200) },
      { type: 'setPins', ids: Array.from({ length: 24 }, (_, i) => `${i}${'x'.repeat(510)}`) },
      { type: 'setPins', ids: [] },
      { type: 'setOverlays', chartId: 'x'.repeat(512), ids: ['b', 'c', 'x'.repeat(512)] },
      { type: 'setOverlays', chartId: 'a', ids: [] },
    ];
    for (const m of edges) assert.deepEqual(parseWebviewMessage(m), m);
  });
  it('copies lists and patches, so the page keeps no handle on what the host holds', () => {
    const ids = ['a'];
    const patch = { warning: 1 };
    const history = parseWebviewMessage({ type: 'requestHistory', requestId: 1, ids, window: '5m', mode: 'rate' });
    const threshold = parseWebviewMessage({ type: 'setThreshold', ruleId: 'r', patch });
    assert.ok(history?.type === 'requestHistory' && threshold?.type === 'setThreshold');
    assert.notEqual(history.ids, ids);
    assert.notEqual(threshold.patch, patch);
    assert.deepEqual(threshold.patch, patch);
  });
});

describe('parseHostMessage', () => {
  it('accepts a snapshot and a delta, refuses malformed ones', () => {
    const snapshot = { now: 1, sources: [], series: [], alerts: [], rules: [], endpoints: [], connections: [], topics: [], configProblems: [], annotations: [], summary: {}, pins: null };
    assert.ok(parseHostMessage({ type: 'didSnapshot', snapshot }));
    assert.ok(parseHostMessage({ type: 'didUpdate', delta: { now: 2, series: [] } }));
    assert.equal(parseHostMessage({ type: 'didUpdate', delta: { now: 2, series: 'x' } }), undefined);
    assert.ok(parseHostMessage({ type: 'didUpdate', delta: { now: 2, seriesTotal: 7000 } }));
    assert.equal(parseHostMessage({ type: 'didUpdate', delta: { now: 2, seriesTotal: [] } }), undefined);
    assert.equal(parseHostMessage({ type: 'didSnapshot', snapshot: { ...snapshot, alerts: null } }), undefined);
    assert.equal(parseHostMessage({ type: 'nope' }), undefined);
  });
  it('takes the host pins when sent (odd ids dropped, each once, bounded), and none from a host that keeps none', () => {
    const snapshot = { now: 1, sources: [], series: [], alerts: [], rules: [], endpoints: [], connections: [], topics: [], configProblems: [], annotations: [], summary: {} };
    assert.ok(parseHostMessage({ type: 'didSnapshot', snapshot: { ...snapshot, pins: ['a'] } }));
    assert.equal(parseHostMessage({ type: 'didSnapshot', snapshot: { ...snapshot, pins: 'a' } }), undefined);
    assert.equal(parseHostMessage({ type: 'didUpdate', delta: { now: 2, pins: {} } }), undefined);
    assert.equal(SECTION_ROWS.pins.clean(undefined), null);
    assert.deepEqual(SECTION_ROWS.pins.clean(['a', 'a', 7, '', 'x'.repeat(513), 'b']), ['a', 'b']);
    assert.equal(SECTION_ROWS.pins.clean(Array.from({ length: 30 }, (_, i) => `s${i}`))?.length, MAX_PINS);
  });
  it('takes the host overlays when sent (bad charts and ids dropped, at most three per chart), none from an older host', () => {
    const snapshot = { now: 1, sources: [], series: [], alerts: [], rules: [], endpoints: [], connections: [], topics: [], configProblems: [], annotations: [], summary: {}, pins: null };
    assert.ok(parseHostMessage({ type: 'didSnapshot', snapshot }), 'a snapshot without overlays (older host)');
    assert.ok(parseHostMessage({ type: 'didSnapshot', snapshot: { ...snapshot, overlays: { a: ['b'] } } }));
    assert.equal(parseHostMessage({ type: 'didSnapshot', snapshot: { ...snapshot, overlays: ['a'] } }), undefined);
    assert.equal(parseHostMessage({ type: 'didUpdate', delta: { now: 2, overlays: 'a' } }), undefined);
    assert.equal(SECTION_ROWS.overlays.clean(undefined), null);
    assert.equal(SECTION_ROWS.overlays.clean(['a']), null);
    const hostile = JSON.parse('{"__proto__":["x"],"a":["b","b","a",3,"","c","d","e"],"":["q"],"z":"b","y":[]}') as unknown;
    const clean = SECTION_ROWS.overlays.clean(hostile);
    assert.deepEqual(clean && Object.entries(clean), [['__proto__', ['x']], ['a', ['b', 'c', 'd']]]);
    assert.equal(Object.getPrototypeOf(clean), Object.prototype, 'a "__proto__" chart id stays a plain key');
  });
});
