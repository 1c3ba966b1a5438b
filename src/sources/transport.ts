// The common face of every source connection: the host starts and stops transports and listens
// to their state and payloads; decoding the payloads is somebody else's job.
import type { DecodeResult, Disposable, Logger, SourceConfig } from '../core/model';
import type { SourceState } from '../shared/views';
import type { Event } from '../core/events';
import { assertNever } from '../shared/check';
import { PollSource } from './pollSource';
import { PromqlSource } from './promqlSource';
import { SseSource } from './sseSource';
import { WsSource } from './wsSource';
import type { createOtlpTransport } from './otlp';

export interface Received {
  readonly payload: string;
  readonly bytes: number;
  readonly receivedAt: number;
  /** Set by transports that decode what they receive themselves (OTLP): ingested as it is, `payload` unused. */
  readonly decoded?: DecodeResult;
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
      return new WsSource(config, deps);
    case 'sse':
      return new SseSource(config, deps);
    case 'http-json':
    case 'prometheus':
      return new PollSource(config, deps);
    case 'promql':
      return new PromqlSource(config, deps);
    case 'otlp':
      return loadOtlp().createOtlpTransport(config, deps);
    default:
      return assertNever(config.kind, 'source kind');
  }
}

/**
 * The OTLP receiver and its protobuf decoder are a bundle of their own (dist/otlp.js, see esbuild.mjs),
 * loaded only when an `otlp` source is configured.
 */
function loadOtlp(): { readonly createOtlpTransport: typeof createOtlpTransport } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load on purpose
  return require('./otlp.js') as { readonly createOtlpTransport: typeof createOtlpTransport };
}
