// Seed 000 (Bun native metrics): both JSON examples, verbatim, decode to exactly these series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decoded, rows, seedFixture } from './seedRows';
import type { Row } from './seedRows';

const serverMetrics = seedFixture('000-server-metrics.json');
const liveMetrics = seedFixture('000-live-metrics.json');

const topics: Row[] = [
  ['websockets.subscribers', [['topic', 'chat']], 1, 'gauge', 'count', undefined],
  ['websockets.subscribers', [['topic', 'status']], 2, 'gauge', 'count', undefined],
  ['websockets.subscribers', [['topic', 'workers']], 1, 'gauge', 'count', undefined],
  ['websockets.subscribers', [['topic', 'spline']], 1, 'gauge', 'count', undefined],
];

/** Read with either hint, `payload` is Bun metrics at the seed's time, decoding to exactly `expected`. */
function assertBunRows(payload: string, expected: Row[]): void {
  for (const hint of ['auto', 'bun'] as const) {
    const d = decoded(payload, hint);
    assert.equal(d.format, 'bun');
    assert.equal(d.timestamp, 1705320000000);
    assert.deepEqual(rows(d), expected, hint);
  }
}

describe('seed 000: Bun native metrics', () => {
  it('GET /api/dev/server-metrics: every field once, memory.used not doubled', () => {
    assertBunRows(serverMetrics, [
      ['http.pendingRequests', [], 2, 'gauge', 'count', 'pending'],
      ['http.totalRequests', [], 0, 'counter', 'count', 'requests'],
      ['websockets.pendingConnections', [], 5, 'gauge', 'count', 'connections'],
      ...topics,
      ['websockets.totalSubscribers', [], 5, 'gauge', 'count', 'subscribers'],
      ['memory.heapUsed', [], 52428800, 'gauge', 'bytes', 'heap'],
      ['memory.heapTotal', [], 67108864, 'gauge', 'bytes', undefined],
      ['memory.rss', [], 104857600, 'gauge', 'bytes', 'rss'],
      ['memory.external', [], 0, 'gauge', 'bytes', undefined],
      ['memory.arrayBuffers', [], 0, 'gauge', 'bytes', undefined],
    ]);
  });

  it('WS /api/dev/server-metrics/live `type:"metrics"` message', () => {
    assertBunRows(liveMetrics, [
      ['http.pendingRequests', [], 2, 'gauge', 'count', 'pending'],
      ['websockets.pendingConnections', [], 5, 'gauge', 'count', 'connections'],
      ...topics,
      ['websockets.totalSubscribers', [], 5, 'gauge', 'count', 'subscribers'],
      ['memory.heapUsed', [], 52428800, 'gauge', 'bytes', 'heap'],
      ['memory.rss', [], 104857600, 'gauge', 'bytes', 'rss'],
    ]);
  });

  const small: Array<[title: string, payload: string, expected: Row[]]> = [
    [
      'memory.used fills in only what the flat block lacks',
      '{"memory":{"used":{"heapUsed":1,"heapTotal":2,"rss":3},"heapUsed":10}}',
      [
        ['memory.heapUsed', [], 10, 'gauge', 'bytes', 'heap'],
        ['memory.heapTotal', [], 2, 'gauge', 'bytes', undefined],
        ['memory.rss', [], 3, 'gauge', 'bytes', 'rss'],
      ],
    ],
    [
      'numbers outside the known fields still become series',
      '{"type":"metrics","pid":7,"http":{"pendingRequests":1,"rejected_total":4},"websockets":{"backpressure_bytes":9},"gc_count":3}',
      [
        ['http.pendingRequests', [], 1, 'gauge', 'count', 'pending'],
        ['http.rejected_total', [], 4, 'counter', 'count', undefined],
        ['websockets.backpressure_bytes', [], 9, 'gauge', 'bytes', undefined],
        ['gc_count', [], 3, 'counter', 'count', undefined],
      ],
    ],
  ];
  for (const [title, payload, expected] of small) {
    it(title, () => {
      assert.deepEqual(rows(decoded(payload, 'bun')), expected);
    });
  }
});
