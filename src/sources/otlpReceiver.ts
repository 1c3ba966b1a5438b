// An OTLP/HTTP metrics receiver as a Pulse source: listens (loopback only unless the user opted in)
// for `POST /v1/metrics` in protobuf or JSON, maps each export onto Pulse's model and answers with
// OTLP's status codes and partial-success responses.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mapOtlpMetrics } from '../core/decode/otlp';
import { DeltaTotals } from '../core/decode/otlpDelta';
import { PointOrder } from '../core/decode/otlpOrder';
import { isLoopbackUrl } from '../core/settings/settings';
import { displayUrl, mediaType, printable } from './httpGet';
import { readBody } from './otlpBody';
import { encodeResponse, encodeStatus, parseRequest } from './otlpWire';
import type { OtlpEncoding } from './otlpWire';
import { TransportBase } from './transportBase';
import { splitByService } from './otlpServices';
import type { Decoded } from '../core/model';

export const OTLP_DEFAULT_PORT = 4318;
export const OTLP_METRICS_PATH = '/v1/metrics';
/** Exports handled at once; more get 503 (OTLP clients retry it). Bounds memory at a few bodies. */
const MAX_IN_FLIGHT = 4;
/** Data points one export may carry, across all its services; the rest are rejected (partial success). */
const MAX_POINTS_PER_EXPORT = 5000;
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

export class OtlpReceiver extends TransportBase {
  private listeners: Listener[] = [];
  private inFlight = 0;
  private readonly totals = new DeltaTotals();
  private readonly order = new PointOrder();
  private stalePoints = 0;
  protected override readonly stopMessage = 'stopped listening (by the user)';

  /** The port actually listened on (differs from the URL's when it says 0), once open. */
  get port(): number | undefined {
    const address = this.listeners[0]?.server.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  /** Data points dropped so far for being no newer than one already used (retried exports). */
  get staleDropped(): number {
    return this.stalePoints;
  }

  /** Listen on the source's address. */
  protected connect(): void {
    const shown = displayUrl(this.config.url);
    const url = this.parseUrl('Invalid OTLP listen address');
    if (!url) return;
    if (!isLoopbackUrl(this.config.url) && this.config.allowNonLoopback !== true) {
      this.fail(`Not listening on ${shown}: it is not a loopback address. Set "allowNonLoopback": true on the source in your user settings to accept exports from other machines.`);
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port === '' ? OTLP_DEFAULT_PORT : Number(url.port);
    if (!this.announceConnecting()) return;
    // `localhost` means both loopbacks (SDKs resolve it to either): IPv4 must work, IPv6 may.
    const primary: Listener = { server: this.createServer(), host: host === 'localhost' ? '127.0.0.1' : host };
    this.listeners = [primary];
    primary.server.once('error', (error: NodeJS.ErrnoException) => {
      if (this.listeners[0] !== primary) return;
      this.drop();
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
    if (!parsed.ok) return this.badRequest(res, encoding, parsed.error, wireBytes);
    // One message per service, so that each becomes a source of its own; the point budget is the export's.
    const groups = splitByService(parsed.value) ?? [{ service: undefined, request: parsed.value }];
    let budget = MAX_POINTS_PER_EXPORT;
    let rejected = 0;
    let reason = '';
    const out: Array<{ service: string | undefined; decoded: Decoded }> = [];
    for (const group of groups) {
      const mapped = mapOtlpMetrics(group.request, this.totals, { order: this.order, maxPoints: budget });
      if (!mapped.ok) return this.badRequest(res, encoding, mapped.error, wireBytes);
      const m = mapped.value;
      budget = Math.max(0, budget - m.accepted - m.rejected - m.stale);
      if (m.rejected > 0 && reason === '') reason = m.reason;
      rejected += m.rejected;
      this.noteStale(m.stale);
      out.push({ service: group.service, decoded: m.decoded });
    }
    const receivedAt = this.now();
    out.forEach((o, i) => {
      // The wire bytes are shared out so that the sources' byte counts add up to what arrived.
      const bytes = Math.floor(wireBytes / out.length) + (i === 0 ? wireBytes % out.length : 0);
      this.receive({ payload: '', bytes, receivedAt, decoded: { ok: true, value: o.decoded }, ...(o.service === undefined ? {} : { service: o.service }) });
    });
    if (rejected > 0) this.warnOnce(`rejected ${rejected} data point${rejected === 1 ? '' : 's'} of an OTLP export: ${reason}`);
    else this.clearWarning();
    this.reply(res, 200, encoding, encodeResponse(encoding, rejected, rejected > 0 ? reason : ''));
  }

  private noteStale(stale: number): void {
    if (stale <= 0) return;
    this.stalePoints += stale;
    this.log('info', `dropped ${stale} data point${stale === 1 ? '' : 's'} no newer than ${stale === 1 ? 'one' : 'those'} already received (a retried export); ${this.stalePoints} so far`);
  }

  /** 400, with the reason in the request's encoding; counted on the source as a decode error. */
  private badRequest(res: ServerResponse, encoding: OtlpEncoding, reason: string, wireBytes: number): void {
    const error = printable(reason);
    this.receive({ payload: '', bytes: wireBytes, receivedAt: this.now(), decoded: { ok: false, error: `OTLP export refused: ${error}` } });
    this.reply(res, 400, encoding, encodeStatus(encoding, error));
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse, reason: string): void {
    this.warnOnce(`OTLP export refused: ${reason}`);
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

  /** The port is taken: try again later (another window may be closing). */
  private retry(reason: string): void {
    this.retryLater(reason, 1_000, 'trying again in');
  }

  /** Close the servers and every connection to them. */
  protected drop(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) {
      l.server.removeAllListeners('error');
      l.server.on('error', () => undefined);
      l.server.close();
      l.server.closeAllConnections();
    }
  }
}

