// Connection faults through the whole host pipeline (SourceManager → real transport → Pipeline →
// PanelFeed) against the reference dev server: each fault shows a clear reason on the source, keeps
// the history collected before it, and once the server behaves again the source is open with fresh
// data without anybody pressing Reconnect.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceConfig } from '../../../src/core/model';
import type { DevServer } from '../../helpers/devserver';
import { startDevServer } from '../../helpers/devserver';
import { freePort } from '../../helpers/ports';
import type { Rig } from './support';
import { historyOf, makeRig, reasonOf, sourceConfig, until } from './support';

const SERVER_ARGS = ['--interval-scale', '0.1', '--rps', '5'];

interface Scenario {
  readonly config: SourceConfig;
  readonly mode: string;
  readonly params?: Record<string, unknown>;
  /** What the source's state reason or lastError must say during the fault. */
  readonly reason: RegExp;
  /** Runs right after the mode is set (e.g. a restart, so sockets connect again into the fault). */
  readonly then?: () => Promise<void>;
}

/** Everything the source said during the fault: state reasons and lastError values. */
function reasons(rig: Rig, id: string): string[] {
  const out: string[] = [];
  for (const h of rig.history.get(id) ?? []) {
    const r = reasonOf(h.state);
    if (r !== undefined) out.push(r);
    if (h.lastError !== null) out.push(h.lastError);
  }
  return out;
}

async function withData(rig: Rig, id: string, messages = 3): Promise<void> {
  await until(`${id} open with ${messages} messages`, () => rig.runtime(id).state.phase === 'open' && rig.runtime(id).messages >= messages && rig.pipeline.store.bySource(id).length > 0);
}

/** History before the fault is still there: same series, and every point still present with its value. */
function assertHistoryKept(rig: Rig, id: string, before: ReturnType<typeof historyOf>, sameCount = true): void {
  const now = historyOf(rig, id);
  if (sameCount) assert.equal(now.size, before.size, `series count of ${id} unchanged (${before.size} → ${now.size})`);
  for (const [seriesId, points] of before) {
    const current = now.get(seriesId);
    assert.ok(current, `series ${seriesId} kept`);
    const byTime = new Map(current.t.map((t, i) => [t, current.v[i]]));
    for (let i = 0; i < points.t.length; i++) {
      const t = points.t[i] ?? NaN;
      assert.ok(byTime.has(t), `${seriesId}: point at ${t} kept`);
      assert.equal(byTime.get(t), points.v[i], `${seriesId}: value at ${t} unchanged`);
    }
  }
}

async function assertRecovers(rig: Rig, id: string, since: number): Promise<void> {
  await until(
    `${id} open again with data newer than the recovery`,
    () => {
      const rt = rig.runtime(id);
      return rt.state.phase === 'open' && (rt.lastMessageAt ?? 0) > since && rig.pipeline.store.bySource(id).some((s) => s.updatedAt > since);
    },
    15_000,
  );
  const rt = rig.runtime(id);
  assert.equal(rt.lastError, null, `lastError cleared once data flows again: ${String(rt.lastError)}`);
}

describe('connection faults through SourceManager and Pipeline', () => {
  let server: DevServer;
  const rigs: Rig[] = [];
  before(async () => {
    server = await startDevServer({ args: SERVER_ARGS });
  });
  after(async () => {
    for (const r of rigs) r.dispose();
    await server?.stop();
  });

  async function run(s: Scenario): Promise<void> {
    const rig = makeRig();
    rigs.push(rig);
    const id = s.config.id;
    try {
      await rig.apply([s.config]);
      await withData(rig, id);
      const before = historyOf(rig, id);
      rig.history.set(id, []);
      await server.control(s.mode, s.params);
      await s.then?.();
      try {
        await until(`a reason matching ${String(s.reason)}`, () => reasons(rig, id).some((r) => s.reason.test(r)), 10_000);
      } catch (error) {
        throw new Error(`${String(error)}; reasons seen: ${JSON.stringify(reasons(rig, id))}`, { cause: error });
      }
      assertHistoryKept(rig, id, before);
      const recoveredAt = Date.now();
      await server.control('normal');
      await assertRecovers(rig, id, recoveredAt);
      assertHistoryKept(rig, id, before, false);
    } finally {
      await server.control('normal');
      rig.dispose();
    }
  }

  test('WebSocket: the server accepts and never sends (stall) → "no answer", recovers', () =>
    run({ config: sourceConfig('ws-stall', server.wsUrl('/api/dev/server-metrics/live'), 'ws'), mode: 'stall', reason: /no answer from ws:\/\/127\.0\.0\.1:\d+\S* for [\d.]+ s/ }));

  test('HTTP poll: the server accepts and never answers (stall) → "no response within", recovers', () =>
    run({ config: sourceConfig('poll-stall', server.url('/stats'), 'http-json'), mode: 'stall', reason: /no response within [\d.]+ s/ }));

  test('SSE: the stream stalls in the middle of an event → "no data … for", recovers', () =>
    run({ config: sourceConfig('sse-stall', server.url('/sse'), 'sse'), mode: 'stall', reason: /no data from http:\/\/127\.0\.0\.1:\d+\/sse for [\d.]+ s/ }));

  test('WebSocket: the server closes every 100 ms (flap) → "connection closed", recovers', () =>
    run({ config: sourceConfig('ws-flap', server.wsUrl('/api/dev/server-metrics/live'), 'ws'), mode: 'flap', reason: /connection closed \(code 1001: flapping\)/ }));

  test('WebSocket: connections reset → "reset", recovers', () =>
    run({ config: sourceConfig('ws-reset', server.wsUrl('/api/dev/server-metrics/live'), 'ws'), mode: 'reset', reason: /reset by the server/ }));

  test('HTTP poll: connections reset → "reset", recovers', () =>
    run({ config: sourceConfig('poll-reset', server.url('/stats'), 'http-json'), mode: 'reset', reason: /connection reset by the server/ }));

  test('HTTP poll: 500 → "HTTP 500", recovers', () =>
    run({ config: sourceConfig('poll-500', server.url('/metrics'), 'prometheus'), mode: 'http500', reason: /HTTP 500 Internal Server Error/ }));

  test('WebSocket: the server restarts into answering the handshake with 500 → "HTTP 500", recovers', () =>
    run({
      config: sourceConfig('ws-500', server.wsUrl('/api/dev/server-metrics/live'), 'ws'),
      mode: 'http500',
      then: () => server.restart(),
      reason: /HTTP 500 Internal Server Error/,
    }));

  test('HTTP poll: an HTML page → "HTML", recovers', () =>
    run({ config: sourceConfig('poll-html', server.url('/stats'), 'http-json'), mode: 'html', reason: /returned HTML, not metrics/ }));

  test('HTTP poll: a 50 MiB body → refused by the size limit, recovers', () =>
    run({ config: sourceConfig('poll-huge', server.url('/stats'), 'http-json'), mode: 'huge', params: { bytes: 50 * 1024 * 1024 }, reason: /response of 50 MiB is larger than the 4 MiB limit/ }));

  test('HTTP poll: a body that drips in → cut off by the deadline, recovers', () =>
    run({ config: sourceConfig('poll-slow', server.url('/stats'), 'http-json'), mode: 'slow-body', reason: /response not complete within [\d.]+ s/ }));

  test('connection refused (no server on the port) → "refused", history kept, back when the server is', async () => {
    const port = await freePort();
    let own: DevServer | undefined = await startDevServer({ port, args: SERVER_ARGS });
    const rig = makeRig();
    rigs.push(rig);
    const config = sourceConfig('ws-refused', own.wsUrl('/api/dev/server-metrics/live'), 'ws');
    try {
      await rig.apply([config]);
      await withData(rig, config.id);
      const before = historyOf(rig, config.id);
      await own.stop();
      own = undefined;
      await until('"connection refused" on the source', () => reasons(rig, config.id).some((r) => /connection refused/.test(r)), 10_000);
      assertHistoryKept(rig, config.id, before);
      const restartedAt = Date.now();
      own = await startDevServer({ port, args: SERVER_ARGS });
      await assertRecovers(rig, config.id, restartedAt);
      assertHistoryKept(rig, config.id, before, false);
    } finally {
      rig.dispose();
      await own?.stop();
    }
  });
});
