// Shared pieces of the fault-injection suite: the host pipeline as PulseHost wires it (Pipeline +
// SourceManager + PanelFeed + the real rate-limited, redacting logger) without VS Code, a liveness
// heartbeat, a post-GC heap reading and small polling helpers.

import type { ChildProcess } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger, SourceConfig } from '../../../src/core/model';
import type { SourceState } from '../../../src/shared/views';
import type { PipelineOptions, SourceRuntime } from '../../../src/core/pipeline';
import type { TransportDeps } from '../../../src/sources/transport';
import type { LogSink } from '../../../src/host/log';
import { Pipeline } from '../../../src/core/pipeline';
import { PanelFeed } from '../../../src/core/views/panelFeed';
import { SourceManager } from '../../../src/host/sources/sourceManager';
import { createLogger } from '../../../src/host/log';
import { createTransport } from '../../../src/sources/transport';
import { pollUntil } from '../../helpers/wait';
import type { DevServer } from '../../helpers/devserver';
import { devServerPerSuite } from '../../helpers/devServerSuite';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns something other than undefined/false; throws with `what` after `timeoutMs`. */
export const until = <T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000, everyMs = 25): Promise<T> => pollUntil(what, check, timeoutMs, everyMs);

/** SIGKILLs `child` if it is still running, and waits for it to exit. */
export async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGKILL');
  await exited;
}

// ------------------------------------------------------------------ log

export interface LogRecord {
  readonly level: keyof LogSink;
  readonly message: string;
}

/** The host's logger (src/host/log.ts: redaction, rate limit) over a sink that records every line. */
export function recordingLogger(): { readonly log: Logger; readonly lines: LogRecord[] } {
  const lines: LogRecord[] = [];
  const sink: LogSink = {
    trace: (message) => lines.push({ level: 'trace', message }),
    debug: (message) => lines.push({ level: 'debug', message }),
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
  return { log: createLogger(sink), lines };
}

// ------------------------------------------------------------------ the host pipeline

/**
 * Transport timings for tests: the product defaults (10 s handshake, 10 s heartbeat, 5 s request
 * timeout, random jitter) are the same code with bigger numbers; shorter ones keep the suite fast.
 */
export const FAST_TIMINGS: Partial<TransportDeps> = {
  handshakeTimeoutMs: 2_000,
  heartbeatIntervalMs: 400,
  requestTimeoutMs: 600,
  random: () => 0.2,
};

export interface RigOptions {
  readonly maxSeriesPerSource?: number;
  readonly maxPayloadBytes?: number;
  readonly trusted?: boolean;
  readonly confirmRemote?: (config: SourceConfig) => Promise<boolean>;
  readonly tokens?: ReadonlyMap<string, string>;
  readonly timings?: Partial<TransportDeps>;
  /** How long an OTLP service may stay quiet before its source shows idle (SourceManager's default when unset). */
  readonly serviceStaleMs?: number;
}

export interface Rig {
  readonly pipeline: Pipeline;
  readonly manager: SourceManager;
  readonly feed: PanelFeed;
  readonly log: Logger;
  readonly lines: LogRecord[];
  /** Every state a source went through, in order, with the lastError right after it. */
  readonly history: Map<string, Array<{ readonly state: SourceState; readonly lastError: string | null }>>;
  readonly maxPayloadBytes: number;
  apply(configs: readonly SourceConfig[]): Promise<void>;
  runtime(id: string): SourceRuntime;
  dispose(): void;
}

export const DEFAULT_MAX_PAYLOAD = 4 * 1024 * 1024;

export function pipelineOptions(maxSeriesPerSource = 2000, maxPayloadBytes = DEFAULT_MAX_PAYLOAD): PipelineOptions {
  // What PulseHost.pipelineOptions builds from the default settings.
  return {
    store: { rawWindowMs: 15 * 60_000, bucketMs: 10_000, downsampledWindowMs: 24 * 3_600_000, maxSeriesPerSource },
    noDataMode: 'alert',
    noDataAfterMs: 15_000,
    maxMessageChars: maxPayloadBytes,
  };
}

export function makeRig(options: RigOptions = {}): Rig {
  const { log, lines } = recordingLogger();
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD;
  const pipeline = new Pipeline(pipelineOptions(options.maxSeriesPerSource, maxPayloadBytes), log);
  const feed = new PanelFeed(pipeline, () => []);
  const history = new Map<string, Array<{ state: SourceState; lastError: string | null }>>();
  // As PulseHost does: every pipeline change is noted for the panel.
  const changes = pipeline.onDidChange((change) => {
    feed.note(change);
    for (const rt of pipeline.sources()) {
      const list = history.get(rt.config.id) ?? [];
      const last = list.at(-1);
      if (!last || last.state !== rt.state || last.lastError !== rt.lastError) list.push({ state: rt.state, lastError: rt.lastError });
      history.set(rt.config.id, list);
    }
  });
  const timings = options.timings ?? FAST_TIMINGS;
  const manager = new SourceManager({
    pipeline,
    log,
    getToken: (id) => Promise.resolve(options.tokens?.get(id)),
    isTrusted: () => options.trusted ?? true,
    confirmRemote: options.confirmRemote ?? (() => Promise.resolve(false)),
    create: (config, deps) => createTransport(config, { ...deps, ...timings }),
    ...(options.serviceStaleMs === undefined ? {} : { serviceStaleMs: options.serviceStaleMs }),
  });
  return {
    pipeline,
    manager,
    feed,
    log,
    lines,
    history,
    maxPayloadBytes,
    apply: (configs) => manager.apply(configs, maxPayloadBytes),
    runtime: (id) => {
      const rt = pipeline.source(id);
      if (!rt) throw new Error(`no source ${id}`);
      return rt;
    },
    dispose: () => {
      manager.dispose();
      changes.dispose();
      pipeline.dispose();
    },
  };
}

export function sourceConfig(name: string, url: string, kind: SourceConfig['kind'], extra: Partial<SourceConfig> = {}): SourceConfig {
  return { id: name, name, url, kind, format: 'auto', pollIntervalMs: 250, headers: {}, scope: 'user', ...extra };
}

// ------------------------------------------------------------------ a suite against the dev server

/** The dev server as the fault suites run it: collectors 10x faster, light synthetic traffic. */
export const SERVER_ARGS: readonly string[] = ['--interval-scale', '0.1', '--rps', '5'];

export interface FaultSuite {
  /** The suite's running dev server. */
  readonly server: () => DevServer;
  /** Runs after the suite's tests (the last deferred first), before the server stops. */
  defer(cleanup: () => unknown): void;
  /** Runs `body` on a fresh rig; after it, even when it throws, sets the server back to normal mode and disposes the rig. */
  withRig(body: (rig: Rig) => Promise<void>, options?: RigOptions): Promise<void>;
}

/** Call inside `describe`: one dev server for the suite, and what its tests leave to dispose. */
export function faultSuite(args: readonly string[] = SERVER_ARGS): FaultSuite {
  const cleanups: Array<() => unknown> = [];
  const server = devServerPerSuite(args, async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    server,
    defer: (cleanup) => {
      cleanups.push(cleanup);
    },
    withRig: async (body, options) => {
      const rig = makeRig(options);
      cleanups.push(() => rig.dispose());
      try {
        await body(rig);
      } finally {
        await server().control('normal');
        rig.dispose();
      }
    },
  };
}

/** The raw tier keeps one sample per 100 ms slot, last wins (src/core/series/history.ts DEFAULT_MIN_SPACING_MS). */
const SLOT_MS = 100;

/**
 * Points of every series of a source, keyed by series id, for "history unchanged" checks. Only
 * points in finished slots: the newest slot may still be replaced by a later sample (last wins).
 */
export function historyOf(rig: Rig, sourceId: string): Map<string, { t: number[]; v: Array<number | null> }> {
  const out = new Map<string, { t: number[]; v: Array<number | null> }>();
  const settled = (Math.floor(Date.now() / SLOT_MS) - 1) * SLOT_MS;
  for (const s of rig.pipeline.store.bySource(sourceId)) out.set(s.id, rig.pipeline.store.points(s.id, 0, settled - 1, 'raw'));
  return out;
}

// ------------------------------------------------------------------ liveness and memory

export interface Heartbeat {
  /** Stops ticking; returns tick counts per `windowMs` window since start (the last, partial window dropped). */
  stop(): number[];
}

/** A setInterval heartbeat: while the event loop is free, it ticks every `everyMs`. */
export function heartbeat(everyMs = 50, windowMs = 2_000): Heartbeat {
  const started = Date.now();
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(Date.now()), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const ended = Date.now();
      const windows = Math.floor((ended - started) / windowMs);
      const counts = new Array<number>(windows).fill(0);
      for (const t of ticks) {
        const i = Math.floor((t - started) / windowMs);
        if (i < windows) counts[i] = (counts[i] ?? 0) + 1;
      }
      return counts;
    },
  };
}

let gcFunction: (() => void) | undefined;

/** heapUsed after a full collection (gc exposed at run time, so no node flag is needed). */
export function heapAfterGc(): number {
  if (!gcFunction) {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  }
  gcFunction();
  gcFunction();
  return process.memoryUsage().heapUsed;
}

export const MiB = 1024 * 1024;

/** True for a state whose reason matches. */
export function reasonOf(state: SourceState): string | undefined {
  return state.phase === 'failed' || state.phase === 'reconnecting' ? state.reason : undefined;
}
