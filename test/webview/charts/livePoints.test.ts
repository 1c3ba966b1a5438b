// Live chart points taken from a delta's value updates: only watched series, host-clock times, raw or rate.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesValue } from '../../../src/shared/views';
import { livePoints } from '../../../webview/charts/livePoints';
import { NOW, series } from '../fixtures/snapshot';

const requests = series('api:http.requests', 'http.requests', { kind: 'counter', value: 12, raw: 5000 });
const latency = series('api:http.latency', 'http.latency', { unit: 'ms', value: 80 });
const values: SeriesValue[] = [
  [requests.handle, 12.5, 5010, 200],
  [latency.handle, 81, null, 0],
  [9999, 1, 1, 0],
];

describe('live chart points', () => {
  it('keeps only the watched series, timed by the host clock less their age, with rates when rates were asked for', () => {
    const points = livePoints(values, [requests, latency], NOW, { requestId: 1, ids: ['api:http.requests'], window: '5m', mode: 'rate' });
    assert.deepEqual(points, [{ id: 'api:http.requests', t: [NOW - 200], v: [12.5] }]);
  });

  it('takes raw values when raw history was asked for, and the value when there is no raw one', () => {
    const points = livePoints(values, [requests, latency], NOW, { requestId: 1, ids: ['api:http.requests', 'api:http.latency'], window: '5m', mode: 'raw' });
    assert.deepEqual(points, [
      { id: 'api:http.requests', t: [NOW - 200], v: [5010] },
      { id: 'api:http.latency', t: [NOW], v: [81] },
    ]);
  });
});
