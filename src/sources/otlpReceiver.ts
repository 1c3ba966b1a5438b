// An OTLP/HTTP metrics receiver as a Pulse source: listens (loopback only unless the user opted in)
// for `POST /v1/metrics` in protobuf or JSON, maps each export onto Pulse's model and answers with
// OTLP's status codes and partial-success responses.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Emitter } from '../core/events';
import type { SourceConfig, SourceState } from '../core/model';
import { mapOtlpMetrics } from '../core/decode/otlp';
import { DeltaTotals } from '../core/decode/otlpDelta';
import { isLoopbackUrl } from '../core/settings';
import { Backoff } from './backoff';
import { displayUrl, mediaType, printable } from './httpGet';
import { readBody } from './otlpBody';
import { encodeResponse, encodeStatus, parseRequest } from './otlpWire';
import type { OtlpEncoding } from './otlpWire';
import type { Received, Transport, TransportDeps } from './transport';

export const OTLP_DEFAULT_PORT = 4318;
export const OTLP_METRICS_PATH = '/v1/metrics';
/** Exports handled at once; more get 503 (OTLP clients retry it). Bounds memory at a few bodies. */
const MAX_IN_FLIGHT = 4;
const MAX_CONNECTIONS = 32;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

const CONTENT_TYPES: ReadonlyMap<string, OtlpEncoding> = new Map([
  ['application/x-protobuf', 'protobuf'],
  ['application/protobuf', 'protobuf'],
  ['application/json', 'json'],
]);

interface Listener {
  readonly server: http.Server;
  readonly host: string;
}

export class OtlpReceiver implements Transport {
  private readonly stateEmitter = new Emitter<SourceState>();
  private readonly receiveEmitter = new Emitter<Received>();
  private readonly warnEmitter = new Emitter<string>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidReceive = this.receiveEmitter.event;
  readonly onDidWarn = this.warnEmitter.event;

  private current: SourceState = { phase: 'idle' };
  private listeners: Listener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private lastWarning: string | undefined;
  private readonly totals = new DeltaTotals();
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private disposed = false;

  constructor(
    private readonly config: SourceConfig,
    private readonly deps: TransportDeps,
  ) {
    this.backoff = new Backoff(deps.random);
    this.now = deps.now ?? Date.now;
  }

  get state(): SourceState {
    return this.current;
  }

  /** The port actually listened on (differs from the URL's when it says 0), once open. */
  get port(): number | undefined {
    const address = this.listeners[0]?.server.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  start(): void {
    const phase = this.current.phase;
    if (this.disposed || (phase !== 'idle' && phase !== 'closed' && phase !== 'failed')) return;
    this.backoff.reset();
    this.listen();
  }

  stop(): void {
    this.halt();
    if (this.current.phase !== 'closed' && this.current.phase !== 'idle') {
      this.log('info', 'stopped listening (by the user)');
      this.setState({ phase: 'closed' });
    }
  }

  reconnect(): void {
    if (this.disposed) return;
    this.halt();
    this.backoff.reset();
    this.listen();
  }

  send(): boolean {
    return false;
  }

  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    this.stateEmitter.dispose();
    this.receiveEmitter.dispose();
    this.warnEmitter.dispose();
  }

  private listen(): void {
    this.timer = undefined;
    const shown = displayUrl(this.config.url);
    let url: URL;
    try {
      url = new URL(this.config.url);
    } catch {
      this.fail(`Invalid OTLP listen address "${shown}"`);
      return;
    }
    if (!isLoopbackUrl(this.config.url) && this.config.allowNonLoopback !== true) {
      this.fail(`Not listening on ${shown}: it is not a loopback address. Set "allowNonLoopback": true on the source in your user settings to accept exports from other machines.`);
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port === '' ? OTLP_DEFAULT_PORT : Number(url.port);
    const connecting: SourceState = { phase: 'connecting', attempt: this.backoff.attempt };
    this.setState(connecting);
    if (this.current !== connecting) return;
    // `localhost` means both loopbacks (SDKs resolve it to either): IPv4 must work, IPv6 may.
    const primary: Listener = { server: this.createServer(), host: host === 'localhost' ? '127.0.0.1' : host };
    this.listeners = [primary];
    primary.server.once('error', (error: NodeJS.ErrnoException) => {
      if (this.listeners[0] !== primary) return;
      this.closeServers();
      if (error.code === 'EADDRINUSE') this.retry(`port ${port} on ${primary.host} is in use (another OTLP collector or Pulse window?)`);
      else this.fail(`Cannot listen on ${shown}: ${printable(error.message)}`);
    });
    primary.server.listen({ host: primary.host, port }, () => {
      if (this.listeners[0] !== primary) return;
      if (host === 'localhost') this.listenAlso('::1', this.port ?? port);
      this.backoff.reset();
      this.log('info', `listening for OTLP/HTTP metrics on ${shown.replace(/\/$/, '')}${OTLP_METRICS_PATH}`);
      this.setState({ phase: 'open', since: this.now() });
    });
  }

  /** A second address (IPv6 loopback beside IPv4) that may fail without failing the source. */
  private listenAlso(host: string, port: number): void {
    const extra: Listener = { server: this.createServer(), host };
    this.listeners.push(extra);
    extra.server.once('error', (error: Error) => {
      this.log('debug', `not listening on ${host}: ${error.message}`);
      extra.server.close();
    });
    extra.server.listen({ host, port });
  }

  private createServer(): http.Server {
    const server = http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
      void this.serve(req, res);
    });
    server.maxConnections = MAX_CONNECTIONS;
    server.keepAliveTimeout = 5_000;
    return server;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A web page reaching this port through DNS rebinding names its own host: only loopback names pass.
    if (this.config.allowNonLoopback !== true && !isLoopbackUrl(`http://${req.headers.host ?? ''}`)) return this.plain(req, res, 403, 'the Host header must name this machine');
    const path = (req.url ?? '').split('?')[0];
    if (path !== OTLP_METRICS_PATH) return this.plain(req, res, 404, `Pulse reads only metrics: POST ${OTLP_METRICS_PATH}`);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return this.plain(req, res, 405, `use POST for ${OTLP_METRICS_PATH}`);
    }
    const encoding = CONTENT_TYPES.get(mediaType(req.headers['content-type'] ?? ''));
    if (encoding === undefined) return this.plain(req, res, 415, 'send application/x-protobuf or application/json');
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (contentEncoding !== 'identity' && contentEncoding !== 'gzip' && contentEncoding !== 'x-gzip') return this.plain(req, res, 415, 'Content-Encoding must be gzip or none');
    const max = this.deps.maxPayloadBytes;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > max) return this.tooLarge(req, res, `body of ${declared} bytes is larger than the limit (pulse.limits.maxPayloadMB)`);
    if (this.inFlight >= MAX_IN_FLIGHT) {
      res.setHeader('Retry-After', '1');
      return this.plain(req, res, 503, 'busy: retry shortly');
    }
    this.inFlight++;
    try {
      const body = await readBody(req, max, contentEncoding !== 'identity');
      if (!body.ok) {
        if (body.status === 0) return;
        if (body.status === 413) return this.tooLarge(req, res, body.reason);
        return this.badRequest(res, encoding, body.reason, 0);
      }
      if (this.listenersClosed()) return void res.destroy();
      this.accept(res, encoding, body.body, body.wireBytes);
    } finally {
      this.inFlight--;
    }
  }

  private accept(res: ServerResponse, encoding: OtlpEncoding, body: Buffer, wireBytes: number): void {
    const parsed = parseRequest(body, encoding);
    const mapped = parsed.ok ? mapOtlpMetrics(parsed.value, this.totals) : parsed;
    if (!mapped.ok) return this.badRequest(res, encoding, mapped.error, wireBytes);
    const { decoded, rejected, reason } = mapped.value;
    this.receiveEmitter.fire({ payload: '', bytes: wireBytes, receivedAt: this.now(), decoded: { ok: true, value: decoded } });
    if (rejected > 0) this.warn(`rejected ${rejected} data point${rejected === 1 ? '' : 's'} of an OTLP export: ${reason}`);
    else this.lastWarning = undefined;
    this.reply(res, 200, encoding, encodeResponse(encoding, rejected, rejected > 0 ? reason : ''));
  }

  /** 400, with the reason in the request's encoding; counted on the source as a decode error. */
  private badRequest(res: ServerResponse, encoding: OtlpEncoding, reason: string, wireBytes: number): void {
    const error = printable(reason);
    this.receiveEmitter.fire({ payload: '', bytes: wireBytes, receivedAt: this.now(), decoded: { ok: false, error: `OTLP export refused: ${error}` } });
    this.reply(res, 400, encoding, encodeStatus(encoding, error));
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse, reason: string): void {
    this.warn(`OTLP export refused: ${reason}`);
    // The rest of the body is not read: close the connection rather than drain it.
    res.setHeader('Connection', 'close');
    this.plain(req, res, 413, reason);
    res.once('finish', () => req.destroy());
  }

  private reply(res: ServerResponse, status: number, encoding: OtlpEncoding, body: Buffer): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf', 'Content-Length': body.length });
    res.end(body);
  }

  private plain(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
    if (res.headersSent || res.destroyed) return;
    this.log('debug', `${status} for ${printable(req.method ?? '?')} ${printable((req.url ?? '').slice(0, 100))}: ${message}`);
    const body = Buffer.from(`${message}\n`, 'utf8');
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
    // Unread request bodies are thrown away (within the server's timeouts).
    req.resume();
  }

  private listenersClosed(): boolean {
    return this.listeners.length === 0;
  }

  private warn(reason: string): void {
    if (reason === this.lastWarning) return;
    this.lastWarning = reason;
    this.log('warn', reason);
    this.warnEmitter.fire(reason);
  }

  /** The port is taken: try again later (another window may be closing). */
  private retry(reason: string): void {
    const step = this.backoff.next();
    const delayMs = Math.max(step.delayMs, 1_000);
    this.log('info', `${reason}; trying again in ${+(delayMs / 1000).toFixed(1)} s`);
    this.timer = setTimeout(() => this.listen(), delayMs);
    this.setState({ phase: 'reconnecting', retryAt: this.now() + delayMs, attempt: step.attempt, reason });
  }

  private fail(reason: string): void {
    this.halt();
    this.log('warn', reason);
    this.setState({ phase: 'failed', reason });
  }

  private halt(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.closeServers();
    this.lastWarning = undefined;
  }

  private closeServers(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) {
      l.server.removeAllListeners('error');
      l.server.on('error', () => undefined);
      l.server.close();
      l.server.closeAllConnections();
    }
  }

  private setState(state: SourceState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.deps.log[level](`[${this.config.name}] ${message}`);
  }
}

