// Seed 004 (hypervisord daemon): the WebSocket metrics message, verbatim, decodes to exactly these series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Decoded } from '../../../../src/core/model';
import type { FormatHint } from '../../../../src/shared/vocabulary';
import { decodedAs, plainRows as rows, seedFixture } from './seedRows';
import type { PlainRow as Row } from './seedRows';

const message = seedFixture('004-daemon-metrics.json');

const decoded = (payload: string, hint: FormatHint): Decoded => decodedAs(payload, hint, 'daemon');

describe('seed 004: hypervisord daemon metrics', () => {
  it('decodes every data.raw field with its unit and role; the ISO timestamp is the message time', () => {
    for (const hint of ['auto', 'daemon'] as const) {
      const d = decoded(message, hint);
      assert.equal(d.ignored, undefined);
      assert.equal(d.timestamp, Date.UTC(2026, 0, 23, 20, 30, 0));
      assert.deepEqual(rows(d), [
        ['http_requests', 1250, 'counter', 'count', 'requests'],
        ['http_errors', 5, 'counter', 'count', 'errors'],
        ['avg_response_time', 45.2, 'gauge', 'ms', 'latency'],
        ['memory_usage', 52428800, 'gauge', 'bytes', 'heap'],
        ['goroutines', 42, 'gauge', 'count', 'goroutines'],
        ['uptime_seconds', 3600.5, 'gauge', 'seconds', 'uptime'],
        ['active_connections', 3, 'gauge', 'count', 'connections'],
        ['websocket_clients', 3, 'gauge', 'count', undefined],
        ['jobs_active', 2, 'gauge', 'count', undefined],
        ['jobs_pending', 3, 'gauge', 'count', undefined],
        ['jobs_completed', 15, 'counter', 'count', 'jobs'],
        ['jobs_failed', 1, 'counter', 'count', 'jobsFailed'],
      ]);
    }
  });

  it('reads the fields the seed\'s Go code sends beyond its example: cpu_usage and jobs_cancelled', () => {
    const doc = JSON.parse(message) as { data: { raw: Record<string, unknown> } };
    doc.data.raw = { ...doc.data.raw, cpu_usage: 0.0, jobs_cancelled: 0 };
    const d = decoded(JSON.stringify(doc), 'auto');
    const get = (name: string): Row | undefined => rows(d).find((r) => r[0] === name);
    assert.deepEqual(get('cpu_usage'), ['cpu_usage', 0, 'gauge', 'percent', 'cpu']);
    assert.deepEqual(get('jobs_cancelled'), ['jobs_cancelled', 0, 'counter', 'count', undefined]);
  });
});
