// SourceManager.apply starts every source at once: one waiting for its token (or a confirmation)
// holds up no other (issue 19: the last of 15 sources connected 16 s after activation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceManager } from '../../../../src/host/sources/sourceManager';
import { Pipeline } from '../../../../src/core/pipeline';
import { Emitter } from '../../../../src/core/events';
import type { Logger, SourceConfig } from '../../../../src/core/model';
import type { Transport } from '../../../../src/sources/transport';

const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function transport(started: string[], id: string): Transport {
  const never = new Emitter<never>();
  return {
    state: { phase: 'idle' },
    onDidChangeState: never.event,
    onDidReceive: never.event,
    onDidWarn: never.event,
    start: () => void started.push(id),
    stop: () => undefined,
    reconnect: () => undefined,
    send: () => false,
    dispose: () => undefined,
  };
}

test('a source whose token read hangs does not hold up the sources after it', async () => {
  const pipeline = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 2000 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 4_000_000 }, log);
  const started: string[] = [];
  let release: (token: string | undefined) => void = () => undefined;
  const slow = new Promise<string | undefined>((resolve) => (release = resolve));
  const manager = new SourceManager({
    pipeline,
    log,
    getToken: (id) => (id === 's0' ? slow : Promise.resolve(undefined)),
    isTrusted: () => true,
    confirmRemote: async () => true,
    create: (config) => transport(started, config.id),
  });
  const configs: SourceConfig[] = Array.from({ length: 15 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, url: `ws://127.0.0.1:${1000 + i}/`, kind: 'ws', format: 'auto', pollIntervalMs: 2000, headers: {}, scope: 'user' }));
  const applying = manager.apply(configs, 1024);
  for (let i = 0; i < 5 && started.length < 14; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual([...started].sort(), configs.slice(1).map((c) => c.id).sort(), 'the other 14 started while s0 waits');
  release(undefined);
  await applying;
  assert.equal(started.length, 15);
  assert.equal(started.at(-1), 's0');
  manager.dispose();
  pipeline.dispose();
});
