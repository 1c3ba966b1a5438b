import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceManager, UNTRUSTED_REASON } from '../../../../src/host/sources/sourceManager';
import { Pipeline } from '../../../../src/core/pipeline';
import { Emitter } from '../../../../src/core/events';
import type { Logger, SourceConfig } from '../../../../src/core/model';
import type { SourceState } from '../../../../src/shared/views';
import type { Received, Transport, TransportDeps } from '../../../../src/sources/transport';

const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

class FakeTransport implements Transport {
  state: SourceState = { phase: 'idle' };
  readonly states = new Emitter<SourceState>();
  readonly received = new Emitter<Received>();
  readonly warnings = new Emitter<string>();
  readonly onDidChangeState = this.states.event;
  readonly onDidReceive = this.received.event;
  readonly onDidWarn = this.warnings.event;
  started = 0;
  reconnects = 0;
  disposed = false;
  constructor(
    readonly config: SourceConfig,
    readonly deps: TransportDeps,
  ) {}
  set(state: SourceState): void {
    this.state = state;
    this.states.fire(state);
  }
  start(): void {
    this.started++;
    this.set({ phase: 'open', since: 0 });
  }
  stop(): void {
    this.set({ phase: 'closed' });
  }
  reconnect(): void {
    this.reconnects++;
  }
  send(): boolean {
    return false;
  }
  dispose(): void {
    this.disposed = true;
  }
}

function source(id: string, url: string, scope: 'user' | 'workspace'): SourceConfig {
  return { id, name: id, url, kind: 'ws', format: 'auto', pollIntervalMs: 2000, headers: {}, scope };
}

function setup(opts: { trusted?: boolean; confirm?: boolean; token?: string } = {}) {
  const pipeline = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 2000 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 4_000_000 }, log);
  const created: FakeTransport[] = [];
  const asked: string[] = [];
  const manager = new SourceManager({
    pipeline,
    log,
    getToken: async () => opts.token,
    isTrusted: () => opts.trusted ?? true,
    confirmRemote: async (c) => {
      asked.push(c.url);
      return opts.confirm ?? false;
    },
    create: (config, deps) => {
      const t = new FakeTransport(config, deps);
      created.push(t);
      return t;
    },
  });
  return { pipeline, manager, created, asked };
}

test('one transport per source; received payloads reach the pipeline; state is mirrored', async () => {
  const { pipeline, manager, created } = setup({ token: 's3cret' });
  await manager.apply([source('api', 'ws://127.0.0.1:1/x', 'user')], 1024);
  assert.equal(created.length, 1);
  assert.equal(created[0]?.deps.token, 's3cret');
  assert.equal(created[0]?.deps.maxPayloadBytes, 1024);
  assert.equal(pipeline.source('api')?.state.phase, 'open');
  created[0]?.received.fire({ payload: JSON.stringify({ http: { pendingRequests: 3, totalRequests: 10 } }), bytes: 40, receivedAt: 1000 });
  assert.equal(pipeline.source('api')?.messages, 1);
  assert.ok(pipeline.store.list().some((s) => s.name === 'http.pendingRequests' && s.raw === 3));
  created[0]?.warnings.fire('message larger than the limit');
  assert.equal(pipeline.source('api')?.lastError, 'message larger than the limit');
});

test('unchanged sources keep their transport; changed or removed ones are disposed', async () => {
  const { manager, created } = setup();
  const a = source('a', 'ws://127.0.0.1:1/a', 'user');
  await manager.apply([a, source('b', 'ws://127.0.0.1:1/b', 'user')], 1024);
  await manager.apply([a, source('b', 'ws://127.0.0.1:1/changed', 'user')], 1024);
  assert.equal(created.length, 3);
  assert.equal(created[0]?.disposed, false);
  assert.equal(created[1]?.disposed, true);
  await manager.apply([], 1024);
  assert.equal(created[0]?.disposed, true);
  assert.equal(created[2]?.disposed, true);
});

test('untrusted workspace: workspace sources are not connected and say why; user sources are', async () => {
  const { pipeline, manager, created } = setup({ trusted: false });
  await manager.apply([source('ws-src', 'ws://127.0.0.1:1/a', 'workspace'), source('user-src', 'ws://127.0.0.1:1/b', 'user')], 1024);
  assert.deepEqual(
    created.map((t) => t.config.id),
    ['user-src'],
  );
  const state = pipeline.source('ws-src')?.state;
  assert.equal(state?.phase, 'failed');
  assert.equal(state?.phase === 'failed' ? state.reason : '', UNTRUSTED_REASON);
});

test('non-loopback workspace URLs need confirmation; refusal is shown, acceptance connects', async () => {
  const refused = setup({ confirm: false });
  await refused.manager.apply([source('remote', 'ws://metrics.example.com/x', 'workspace'), source('local', 'ws://localhost:1/x', 'workspace')], 1024);
  assert.deepEqual(refused.asked, ['ws://metrics.example.com/x']);
  assert.deepEqual(
    refused.created.map((t) => t.config.id),
    ['local'],
  );
  assert.equal(refused.pipeline.source('remote')?.state.phase, 'failed');
  const accepted = setup({ confirm: true });
  await accepted.manager.apply([source('remote', 'ws://metrics.example.com/x', 'workspace')], 1024);
  assert.equal(accepted.created.length, 1);
  const userRemote = setup({ confirm: false });
  await userRemote.manager.apply([source('remote', 'ws://metrics.example.com/x', 'user')], 1024);
  assert.deepEqual(userRemote.asked, []);
  assert.equal(userRemote.created.length, 1);
});

test('disconnect closes and remembers; connect and reconnect bring sources back', async () => {
  const { pipeline, manager, created } = setup();
  const cfg = source('api', 'ws://127.0.0.1:1/x', 'user');
  await manager.apply([cfg], 1024);
  manager.disconnect(['api']);
  assert.equal(created[0]?.disposed, true);
  assert.equal(pipeline.source('api')?.state.phase, 'closed');
  assert.deepEqual(manager.disabledIds(), ['api']);
  await manager.apply([cfg], 1024);
  assert.equal(created.length, 1, 'a disabled source stays disconnected across configuration reloads');
  await manager.connect(['api']);
  assert.equal(created.length, 2);
  assert.equal(pipeline.source('api')?.state.phase, 'open');
  await manager.reconnect(['api']);
  assert.equal(created[1]?.reconnects, 1);
});
