import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage } from '../../src/protocol';

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

describe('parseHostMessage', () => {
  it('accepts a snapshot and a delta, refuses malformed ones', () => {
    const snapshot = { now: 1, sources: [], series: [], alerts: [], rules: [], endpoints: [], connections: [], topics: [], configProblems: [], annotations: [], summary: {} };
    assert.ok(parseHostMessage({ type: 'didSnapshot', snapshot }));
    assert.ok(parseHostMessage({ type: 'didUpdate', delta: { now: 2, series: [] } }));
    assert.equal(parseHostMessage({ type: 'didUpdate', delta: { now: 2, series: 'x' } }), undefined);
    assert.ok(parseHostMessage({ type: 'didUpdate', delta: { now: 2, seriesTotal: 7000 } }));
    assert.equal(parseHostMessage({ type: 'didUpdate', delta: { now: 2, seriesTotal: [] } }), undefined);
    assert.equal(parseHostMessage({ type: 'didSnapshot', snapshot: { ...snapshot, alerts: null } }), undefined);
    assert.equal(parseHostMessage({ type: 'nope' }), undefined);
  });
});
