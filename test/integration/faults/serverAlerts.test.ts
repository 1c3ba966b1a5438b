// Issue 20 row 10 (and issue 15 items 4–5): a seed-001 server on loopback raises a critical alert with a
// fresh UUID on every update. It notifies once (as a rule alert would), stays one alert, resolves when an
// update arrives without it, and the server's `error` message shows on the source with a count and time.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { AlertView } from '../../../src/shared/views';
import { CriticalNotifier } from '../../../src/host/notifications';
import { startLoopbackWs } from '../../helpers/loopbackWs';
import type { Rig } from './support';
import { makeRig, sourceConfig, until } from './support';

interface Seed001Server {
  readonly url: string;
  /** Sends to every connected client. */
  send(message: object): void;
  readonly clients: number;
  close(): Promise<void>;
}

const data = () => ({
  timestamp: Date.now(),
  endpoints: [{ path: '/api/users', method: 'GET', p50: 30, p95: 90, p99: 140, errorRate: 0.5, throughput: 40 }],
  cdn: { bandwidth: 1_000_000, cacheHitRatio: 95, storage: 40 },
  system: { uptime: 100, memory: 1_000_000, cpu: 5 },
});

async function startServer(): Promise<Seed001Server> {
  const sockets = new Set<WebSocket>();
  const server = await startLoopbackWs('/metrics', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.send(JSON.stringify({ type: 'snapshot', data: data(), timestamp: Date.now() }));
  });
  return {
    url: server.url,
    send: (message) => {
      for (const s of sockets) s.send(JSON.stringify(message));
    },
    get clients() {
      return sockets.size;
    },
    close: () => server.close(),
  };
}

const spike = (value: number) => ({ id: randomUUID(), type: 'latency_spike', severity: 'critical', value });

describe('critical alerts sent by a seed-001 server', () => {
  let server: Seed001Server;
  let rig: Rig;
  const fired: AlertView[][] = [];
  const shown: string[] = [];

  before(async () => {
    server = await startServer();
    rig = makeRig();
    rig.pipeline.setThresholdSettings([], false); // only what the server raises
    const notifier = new CriticalNotifier({ show: async (m) => (shown.push(m), undefined), openPanel() {}, snooze() {}, enabled: () => true });
    rig.pipeline.onDidFire((alerts) => {
      fired.push([...alerts]);
      notifier.notify(alerts);
    });
    await rig.apply([sourceConfig('bun', server.url, 'ws', { format: 'snapshot', subscribe: true })]);
    await until('connected, snapshot received', () => server.clients > 0 && rig.runtime('bun').messages >= 1);
  });
  after(async () => {
    rig?.dispose();
    await server?.close();
  });

  test('notify once, stay one alert across UUIDs, resolve on an update without them', async () => {
    for (let i = 0; i < 4; i++) {
      server.send({ type: 'update', data: data(), alerts: [spike(60 + i)], timestamp: Date.now() });
      await until(`update ${i + 1} handled`, () => rig.runtime('bun').messages >= 2 + i);
    }
    const serverAlerts = () => rig.pipeline.alerts.views(Date.now()).filter((v) => v.origin === 'server');
    assert.equal(serverAlerts().length, 1, `one alert: ${serverAlerts().map((v) => v.id).join(', ')}`);
    assert.equal(serverAlerts()[0]?.state, 'firing');
    assert.equal(serverAlerts()[0]?.severity, 'critical');
    assert.equal(fired.length, 1, 'onDidFire once');
    assert.equal(shown.length, 1, 'one critical notification');

    server.send({ type: 'update', data: data(), timestamp: Date.now() });
    await until('resolved by an update without alerts', () => serverAlerts()[0]?.state === 'resolved');
    assert.equal(rig.pipeline.alerts.firing().length, 0);
  });

  test('the server’s error message reaches the source view with a count and a time', async () => {
    const before = Date.now();
    server.send({ type: 'error', error: 'metrics collector crashed', timestamp: Date.now() });
    const view = await until('the error on the source view', () => rig.feed.sourceViews().find((v) => v.id === 'bun' && v.errorCount > 0));
    assert.equal(view.lastError, 'Server error: metrics collector crashed');
    assert.equal(view.errorCount, 1);
    assert.ok(view.lastErrorAt !== null && view.lastErrorAt >= before - 1000 && view.lastErrorAt <= Date.now() + 1000);
  });
});
