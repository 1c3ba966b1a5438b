import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelController } from '../../../../src/host/panel/panelController';
import type { PanelHost, RequestHandlers } from '../../../../src/host/panel/handlers';
import { panelHandlers } from '../../../../src/host/panel/handlers';
import type { HostMessage } from '../../../../src/shared/protocol';
import type { PanelSnapshot } from '../../../../src/shared/sections';
import type { Logger } from '../../../../src/core/model';

function fake() {
  const calls: string[] = [];
  const posted: HostMessage[] = [];
  const warnings: string[] = [];
  const log: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const host: PanelHost = {
    feed: {
      snapshot: (now) => ({ now }) as PanelSnapshot,
      history: (ids) => ids.map((id) => ({ id, t: [1], v: [2] })),
      setSearch: (query) => calls.push(`search:${query}`),
      setPins: (ids) => calls.push(`pins:${ids.join(',')}`),
      setOverlays: (chartId, ids) => calls.push(`overlays:${chartId}:${ids.join(',')}`),
    },
    pipeline: {
      alerts: { has: (id) => id === 'a1' },
      clock: { now: () => 5 },
      source: (id) => (id === 'api' ? {} : undefined),
      rulesView: () => [{ id: 'error-rate' }],
      acknowledge: (id) => calls.push(`ack:${id}`),
      dismiss: (id) => calls.push(`dismiss:${id}`),
      snooze: (id, d) => calls.push(`snooze:${id}:${d}`),
      setOverride: (id, patch) => {
        calls.push(`set:${id}:${JSON.stringify(patch)}`);
        return patch.warning === 999 ? 'warning 999 is beyond critical' : undefined;
      },
      resetOverride: (id) => calls.push(`reset:${id}`),
    },
    sources: {
      reconnect: async (ids) => {
        calls.push(`reconnect:${String(ids?.[0] ?? null)}`);
      },
    },
    codeAware: {
      goToHandler: async (method, path) => {
        calls.push(`goto:${String(method)}:${path}`);
      },
      compare: (id) => (id === 'lastSave' ? { annotation: null, rows: [] } : undefined),
    },
    decide: (run) => {
      calls.push('decide');
      return run();
    },
    addSource: async () => {
      calls.push('addSource');
    },
    openSettings: () => calls.push('openSettings'),
    saveThresholdToSettings: async (id) => {
      calls.push(`save:${id}`);
    },
    showError: (m) => calls.push(`error:${m}`),
    saveFile: async (name, bytes) => {
      calls.push(`saveFile:${name}:${bytes.length}`);
    },
    schedule: () => calls.push('schedule'),
  };
  const controller = new PanelController((m) => posted.push(m), panelHandlers(host), log);
  return { controller, calls, posted, warnings };
}

test('ready is answered with a snapshot, history requests with didLoadHistory', () => {
  const f = fake();
  assert.equal(f.controller.isReady, false);
  assert.equal(f.controller.receive({ type: 'ready' }), true);
  assert.equal(f.controller.isReady, true);
  assert.equal(f.posted[0]?.type, 'didSnapshot');
  f.controller.receive({ type: 'requestHistory', requestId: 7, ids: ['x'], window: '5m', mode: 'rate' });
  const reply = f.posted[1];
  assert.equal(reply?.type, 'didLoadHistory');
  assert.equal(reply?.type === 'didLoadHistory' ? reply.requestId : -1, 7);
  f.controller.markNotReady();
  assert.equal(f.controller.isReady, false);
});

test('each request runs its action with the validated arguments', () => {
  const f = fake();
  f.controller.receive({ type: 'reconnect', sourceId: 'api' });
  f.controller.receive({ type: 'reconnect', sourceId: null });
  f.controller.receive({ type: 'acknowledgeAlert', alertId: 'a1' });
  f.controller.receive({ type: 'dismissAlert', alertId: 'a1' });
  f.controller.receive({ type: 'snoozeAlert', alertId: 'a1', duration: '1h' });
  f.controller.receive({ type: 'setThreshold', ruleId: 'error-rate', patch: { warning: 2 } });
  f.controller.receive({ type: 'resetThreshold', ruleId: 'error-rate' });
  f.controller.receive({ type: 'saveThresholdToSettings', ruleId: 'error-rate' });
  f.controller.receive({ type: 'addSource' });
  f.controller.receive({ type: 'openSettings' });
  f.controller.receive({ type: 'goToHandler', method: 'GET', path: '/api/users' });
  f.controller.receive({ type: 'compare', requestId: 3, annotationId: 'lastSave' });
  f.controller.receive({ type: 'searchSeries', query: 'quiet' });
  f.controller.receive({ type: 'setOverlays', chartId: 'api|http.latency', ids: ['api|http.requests'] });
  assert.deepEqual(f.calls.filter((c) => c !== 'decide' && c !== 'schedule'), ['reconnect:api', 'reconnect:null', 'ack:a1', 'dismiss:a1', 'snooze:a1:1h', 'set:error-rate:{"warning":2}', 'reset:error-rate', 'save:error-rate', 'addSource', 'openSettings', 'goto:GET:/api/users', 'search:quiet', 'overlays:api|http.latency:api|http.requests']);
  assert.deepEqual(f.posted.at(-1), { type: 'didCompare', requestId: 3, annotation: null, rows: [] });
});

test('forged, unknown and dangling messages are refused and logged, nothing runs', () => {
  const f = fake();
  const forged: unknown[] = [
    { type: 'runCommand', command: 'workbench.action.terminal.sendSequence', args: { text: 'rm -rf ~\n' } },
    { type: 'openSettings', extra: 'x' },
    { type: 'reconnect', sourceId: 'not-a-source' },
    { type: 'dismissAlert', alertId: 'no-such-alert' },
    { type: 'setThreshold', ruleId: 'error-rate', patch: { warning: '1; DROP' } },
    { type: 'setThreshold', ruleId: 'nope', patch: { warning: 1 } },
    { type: 'snoozeAlert', alertId: 'a1', duration: 'forever' },
    { type: '__proto__' },
    null,
    'ready',
    { type: 'requestHistory', requestId: 1, ids: ['x'], window: '1y', mode: 'rate' },
    { type: 'goToHandler', method: 'GET', path: 'file:///etc/passwd' },
    { type: 'goToHandler', method: 'get; rm', path: '/x' },
    { type: 'compare', requestId: 1, annotationId: 'no-such-annotation' },
    { type: 'searchSeries', query: 'x'.repeat(201) },
    { type: 'searchSeries', query: 'a\u0000b' },
    { type: 'searchSeries', query: 42 },
    { type: 'setOverlays', chartId: 'a', ids: ['b', 'c', 'd', 'e'] },
    { type: 'setOverlays', chartId: 'a', ids: 'b' },
  ];
  for (const m of forged) assert.equal(f.controller.receive(m), false, JSON.stringify(m));
  assert.deepEqual(f.calls.filter((c) => !c.startsWith('error:')), []);
  assert.equal(f.posted.length, 0);
  assert.equal(f.warnings.length, forged.length);
  assert.ok(f.warnings.some((w) => w.includes('runCommand')));
});

test('a threshold the pipeline refuses is reported to the user', () => {
  const f = fake();
  assert.equal(f.controller.receive({ type: 'setThreshold', ruleId: 'error-rate', patch: { warning: 999 } }), false);
  assert.ok(f.calls.includes('error:Threshold not changed: warning 999 is beyond critical'));
});

test('user decisions are saved at once; a search posts a delta soon', () => {
  const f = fake();
  f.controller.receive({ type: 'acknowledgeAlert', alertId: 'a1' });
  f.controller.receive({ type: 'snoozeAlert', alertId: 'a1', duration: 'restart' });
  f.controller.receive({ type: 'searchSeries', query: 'x' });
  assert.deepEqual(f.calls, ['decide', 'ack:a1', 'decide', 'snooze:a1:restart', 'search:x', 'schedule']);
});

test('a request without a handler does not compile', () => {
  // @ts-expect-error -- `compare` (and the rest) have no handler: tsc fails here if the map type stops requiring them
  const partial: RequestHandlers = { ready: () => undefined };
  assert.equal(Object.keys(partial).length, 1);
});
