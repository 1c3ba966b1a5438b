import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestartDetector } from '../../../../src/core/devloop/restartDetector';
import type { Sample } from '../../../../src/core/model';
import type { Labels } from '../../../../src/shared/views';

const uptime = (value: number): Sample => ({ name: 'uptime', labels: [], value, kind: 'gauge', unit: 'seconds', role: 'uptime' });
const counter = (name: string, value: number, labels: Labels = []): Sample => ({ name, labels, value, kind: 'counter', unit: 'count' });
const gauge = (name: string, value: number): Sample => ({ name, labels: [], value, kind: 'gauge', unit: 'bytes', role: 'heap' });

describe('RestartDetector', () => {
  it('detects uptime going back, once', () => {
    const d = new RestartDetector();
    assert.equal(d.observe('a', [uptime(100)]), false, 'nothing to compare with yet');
    assert.equal(d.observe('a', [uptime(101)]), false);
    assert.equal(d.observe('a', [uptime(0.5)]), true);
    assert.equal(d.observe('a', [uptime(1.5)]), false);
    assert.equal(d.observe('a', [uptime(2.5)]), false);
  });

  it('trusts an uptime that went on over counters that went back (a server resetting its counters per window)', () => {
    const d = new RestartDetector();
    const msg = (up: number, r: number, e: number) => [uptime(up), { ...counter('http.requests', r), role: 'requests' as const }, { ...counter('http.errors', e), role: 'errors' as const }];
    assert.equal(d.observe('a', msg(100, 500, 9)), false);
    assert.equal(d.observe('a', msg(101, 20, 1)), false, 'uptime 100 → 101: no restart although both counters fell');
    assert.equal(d.observe('a', msg(0.4, 2, 0)), true, 'uptime back to 0.4: a restart');
    // The same counters without any uptime series: their fall is the restart.
    const plain = new RestartDetector();
    assert.equal(plain.observe('b', msg(100, 500, 9).slice(1)), false);
    assert.equal(plain.observe('b', msg(101, 20, 1).slice(1)), true);
  });

  it('detects most counters decreasing at once', () => {
    const d = new RestartDetector();
    const msg = (r: number, e: number, x: number) => [
      { ...counter('http.requests', r), role: 'requests' as const },
      { ...counter('http.errors', e), role: 'errors' as const },
      counter('endpoint.requests', x, [['path', '/api/users']]),
      gauge('memory.heapUsed', 1e6),
    ];
    assert.equal(d.observe('a', msg(100, 5, 40)), false);
    assert.equal(d.observe('a', msg(120, 5, 45)), false);
    assert.equal(d.observe('a', msg(3, 0, 45)), true, 'two of three counters went back');
    assert.equal(d.observe('a', msg(8, 0, 47)), false, 'once per restart');
  });

  it('does not call one counter going back among many a restart', () => {
    const d = new RestartDetector();
    d.observe('a', [counter('a', 10), counter('b', 10), counter('c', 10)]);
    assert.equal(d.observe('a', [counter('a', 1), counter('b', 11), counter('c', 12)]), false);
  });

  it('ignores gauges going down', () => {
    const d = new RestartDetector();
    d.observe('a', [gauge('memory.heapUsed', 1e9)]);
    assert.equal(d.observe('a', [gauge('memory.heapUsed', 1e6)]), false);
  });

  it('keeps sources apart and forgets them', () => {
    const d = new RestartDetector();
    d.observe('a', [uptime(100)]);
    assert.equal(d.observe('b', [uptime(5)]), false);
    d.forget('a');
    assert.equal(d.observe('a', [uptime(1)]), false);
  });

  it('does not report one restart twice when a counter comes back a message later', () => {
    const d = new RestartDetector();
    d.observe('a', [uptime(100), counter('x', 50), counter('y', 50), counter('z', 50)]);
    assert.equal(d.observe('a', [uptime(1), counter('x', 1)]), true);
    assert.equal(d.observe('a', [uptime(2), counter('x', 2), counter('y', 3), counter('z', 3)]), false);
  });
});
