// The common face of every source connection: the host starts and stops transports and listens
// to their state and payloads; decoding the payloads is somebody else's job.
import type { DecodeResult, Disposable, Logger, SourceConfig } from '../core/model';
import type { SourceState } from '../shared/views';
import type { Event } from '../core/events';
import { assertNever } from '../shared/check';
import type { PollSource } from './pollSource';
import type { PromqlSource } from './promqlSource';
import type { SseSource } from './sseSource';
import type { WsSource } from './wsSource';
import type { createOtlpTransport } from './otlp';

export interface Received {
  readonly payload: string;
  readonly bytes: number;
  readonly receivedAt: number;
  /** Set by transports that decode what they receive themselves (OTLP): ingested as it is, `payload` unused. */
  readonly decoded?: DecodeResult;
  /** The service that sent it (OTLP: its `service.name`), printable; any number of them may arrive. */
  readonly service?: string;
}

export interface Transport extends Disposable {
  readonly state: SourceState;
  readonly onDidChangeState: Event<SourceState>;
  readonly onDidReceive: Event<Received>;
  /** A non-fatal problem worth logging/showing (payload too big, timeout, bad status). */
  readonly onDidWarn: Event<string>;
  /** idle/closed/failed → connecting; no-op while connecting, open or waiting to retry. */
  start(): void;
  /** → closed (by user), no retry. */
  stop(): void;
  /** Drop and connect now, backoff reset. */
  reconnect(): void;
  /** WebSocket only; false for other kinds or when the socket is not open. */
  send(text: string): boolean;
}

export interface TransportDeps {
  token?: string;
  maxPayloadBytes: number;
  log: Logger;
  now?: () => number;
  random?: () => number;
  /** WebSocket handshake / SSE response headers. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** WebSocket ping period (dead after 2 unanswered); SSE treats 3 periods without a byte as a stall. Default 10 s. */
  heartbeatIntervalMs?: number;
  /** Polled requests: no progress for this long fails the poll. Default 5 s. */
  requestTimeoutMs?: number;
  /** `promql` sources: how far back the first poll after connecting backfills history. Default 1 h. */
  backfillWindowMs?: number;
}

export function createTransport(config: SourceConfig, deps: TransportDeps): Transport {
  switch (config.kind) {
    case 'ws':
      return new (lazy<{ readonly WsSource: typeof WsSource }>('ws').WsSource)(config, deps);
    case 'sse':
      return new (lazy<{ readonly SseSource: typeof SseSource }>('sse').SseSource)(config, deps);
    case 'http-json':
    case 'prometheus':
      return new (lazy<{ readonly PollSource: typeof PollSource }>('poll').PollSource)(config, deps);
    case 'promql':
      return new (lazy<{ readonly PromqlSource: typeof PromqlSource }>('promql').PromqlSource)(config, deps);
    case 'otlp':
      return lazy<{ readonly createOtlpTransport: typeof createOtlpTransport }>('otlp').createOtlpTransport(config, deps);
    default:
      return assertNever(config.kind, 'source kind');
  }
}

/**
 * Each kind is a bundle of its own (dist/<kind>.js, esbuild.mjs LAZY_ENTRIES:
 * `ws` with its library, OTLP with protobufjs), loaded when a source of that kind is first configured.
 * The requires name the source files, as written, so that the build finds them (and tests run them).
 */
function lazy<T>(kind: 'ws' | 'sse' | 'poll' | 'promql' | 'otlp'): T {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy, synchronous loads on purpose */
  switch (kind) {
    case 'ws':
      return require('./wsSource.js') as T;
    case 'sse':
      return require('./sseSource.js') as T;
    case 'poll':
      return require('./pollSource.js') as T;
    case 'promql':
      return require('./promqlSource.js') as T;
    case 'otlp':
      return require('./otlp.js') as T;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}
