// A server-sent events source: one long GET, parsed as text/event-stream, retried with backoff
// (or the server's `retry:` within bounds) whenever it drops.
import http from 'node:http';
import https from 'node:https';
import { displayUrl, errorMessage, formatMiB, isHtml, mediaType, requestHeaders } from './httpGet';
import { StreamTransport } from './streamTransport';
import { seconds } from './transportBase';

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
const MIN_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
/** A longer event id is not sent back: servers refuse big headers (431) and no real id needs more. */
export const MAX_EVENT_ID_BYTES = 1024;

export interface SseEvent {
  readonly type: string;
  readonly data: string;
  readonly id?: string;
}

export interface SseSink {
  event(event: SseEvent): void;
  retry(ms: number): void;
  /** An event (or a line) grew past the limit and was dropped; parsing goes on after it. */
  oversized(): void;
}

/** Incremental text/event-stream parser (WHATWG rules), bounded in memory by maxEventBytes. */
export class SseParser {
  private partial = '';
  private skipLineFeed = false;
  private started = false;
  private data: string[] = [];
  private dataBytes = 0;
  private type = '';
  private id: string | undefined;
  private dropping = false;
  private discardingLine = false;

  constructor(
    private readonly maxEventBytes: number,
    private readonly sink: SseSink,
  ) {}

  feed(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = this.skipLineFeed && text.startsWith('\n') ? 1 : 0;
    this.skipLineFeed = false;
    const lineEnd = /\r\n|\r|\n/g;
    lineEnd.lastIndex = start;
    for (let match = lineEnd.exec(text); match; match = lineEnd.exec(text)) {
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === text.length - 1) this.skipLineFeed = true;
      const piece = text.slice(start, match.index);
      start = lineEnd.lastIndex;
      if (this.discardingLine) {
        this.discardingLine = false;
        continue;
      }
      const line = this.partial + piece;
      this.partial = '';
      this.line(line);
    }
    if (this.discardingLine || start === text.length) return;
    const rest = text.slice(start);
    if (this.partial.length + rest.length > this.maxEventBytes) {
      // An endless line: drop it and its event, keep memory bounded, resume at the next line.
      this.partial = '';
      this.dropEvent();
      this.discardingLine = true;
      return;
    }
    this.partial += rest;
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        if (this.dropping) return;
        this.dataBytes += Buffer.byteLength(value) + 1;
        if (this.dataBytes > this.maxEventBytes) {
          this.dropEvent();
          return;
        }
        this.data.push(value);
        return;
      case 'event':
        this.type = value;
        return;
      case 'id':
        if (!value.includes('\u0000')) this.id = value;
        return;
      case 'retry':
        if (/^\d+$/.test(value)) this.sink.retry(Number(value));
        return;
      default:
        return;
    }
  }

  private dropEvent(): void {
    if (!this.dropping) this.sink.oversized();
    this.dropping = true;
    this.data = [];
    this.dataBytes = 0;
  }

  private dispatch(): void {
    const data = this.data;
    const dropped = this.dropping;
    const type = this.type || 'message';
    this.data = [];
    this.dataBytes = 0;
    this.type = '';
    this.dropping = false;
    if (dropped || data.length === 0) return;
    this.sink.event({ type, data: data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) });
  }

  get lastEventId(): string | undefined {
    return this.id;
  }
}

/**
 * The Last-Event-ID header value for an event id, or undefined when it cannot be sent. A header carries
 * octets: the id goes as its UTF-8 bytes (as browsers send it). An id with a control character other
 * than tab, or longer than MAX_EVENT_ID_BYTES, is not sent: the stream resumes without it.
 */
export function lastEventIdHeader(id: string | undefined): string | undefined {
  if (id === undefined || id === '') return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(id)) return undefined;
  const bytes = Buffer.from(id, 'utf8');
  if (bytes.length > MAX_EVENT_ID_BYTES) return undefined;
  return bytes.toString('latin1');
}

interface Stream {
  readonly request: http.ClientRequest;
  openedAt?: number;
  received: boolean;
  timer?: NodeJS.Timeout;
}

export class SseSource extends StreamTransport {
  private stream: Stream | undefined;
  private serverRetryMs: number | undefined;
  private lastEventId: string | undefined;

  protected connect(): void {
    const shown = displayUrl(this.config.url);
    const url = this.parseUrl('Invalid URL');
    if (!url) return;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.fail(`Invalid event stream URL "${shown}": it must start with http:// or https://`);
      return;
    }
    const lastEventId = lastEventIdHeader(this.lastEventId);
    if (this.lastEventId !== undefined && lastEventId === undefined) {
      this.log('info', 'the last event id cannot be sent as a header (control characters or too long): resuming without Last-Event-ID');
      this.lastEventId = undefined;
    }
    const headers = requestHeaders(this.config.headers, this.deps.token, {
      Accept: 'text/event-stream',
      'Cache-Control': 'no-cache',
      ...(lastEventId !== undefined ? { 'Last-Event-ID': lastEventId } : {}),
    });
    if (!this.connecting(headers)) return;
    const connecting = this.state;

    let request: http.ClientRequest;
    try {
      request = (url.protocol === 'https:' ? https : http).request(url, { method: 'GET', headers, agent: false });
    } catch (error) {
      const reason = `Cannot connect to ${shown}: ${errorMessage(error)}`;
      if (lastEventId === undefined) {
        this.fail(reason);
        return;
      }
      // The id came from the server: never let it fail the source for good. Retry without it.
      this.lastEventId = undefined;
      this.warn(`${reason}; retrying without Last-Event-ID`);
      // A warning listener may have stopped or disposed us.
      if (this.state !== connecting || this.disposed) return;
      this.retryAfterLoss(reason, undefined, false);
      return;
    }
    const stream: Stream = { request, received: false };
    this.stream = stream;
    const current = (): boolean => this.stream === stream;
    const handshakeMs = this.deps.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    const idleMs = 3 * (this.deps.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
    const arm = (ms: number, reason: string): void => {
      clearTimeout(stream.timer);
      stream.timer = setTimeout(() => {
        if (!current()) return;
        this.warn(reason);
        this.lost(reason);
      }, ms);
    };
    arm(handshakeMs, `no response from ${shown} within ${seconds(handshakeMs)}`);

    request.on('error', (error) => {
      if (current()) this.lost(describeError(error));
    });
    request.on('response', (res) => {
      if (!current()) {
        res.destroy();
        return;
      }
      const status = res.statusCode ?? 0;
      const contentType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : '';
      if (status < 200 || status > 299) {
        res.resume();
        this.refused(status);
        return;
      }
      if (mediaType(contentType) !== 'text/event-stream') {
        res.resume();
        const reason = isHtml(contentType)
          ? `server returned an HTML page, not an event stream, from ${shown}: check the URL`
          : `expected text/event-stream from ${shown}, got ${mediaType(contentType) || 'no content type'}`;
        this.warn(reason);
        this.lost(reason);
        return;
      }
      stream.openedAt = this.now();
      this.log('info', `connected to ${shown}`);
      this.setState({ phase: 'open', since: stream.openedAt });
      if (!current()) {
        res.destroy();
        return;
      }
      const stalled = `no data from ${shown} for ${seconds(idleMs)}`;
      arm(idleMs, stalled);
      const parser = new SseParser(this.deps.maxPayloadBytes, {
        event: (event) => {
          if (!current()) return;
          stream.received = true;
          this.receive({ payload: event.data, bytes: Buffer.byteLength(event.data), receivedAt: this.now() });
        },
        retry: (ms) => {
          this.serverRetryMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, ms));
        },
        oversized: () => {
          if (current()) this.warn(`event larger than ${formatMiB(this.deps.maxPayloadBytes)} limit dropped from ${shown}`);
        },
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (!current()) return;
        arm(idleMs, stalled);
        parser.feed(chunk);
        this.lastEventId = parser.lastEventId;
      });
      res.on('end', () => {
        if (current()) this.lost('the server ended the event stream');
      });
      res.on('error', (error) => {
        if (current()) this.lost(describeError(error));
      });
      res.on('aborted', () => {
        if (current()) this.lost('the server closed the connection');
      });
    });
    request.end();
  }

  protected lost(reason: string): void {
    const stream = this.stream;
    // Gone already: a warning listener stopped or reconnected us.
    if (!stream) return;
    this.retryAfterLoss(reason, stream.openedAt, stream.received, this.serverRetryMs ?? 0);
  }

  protected drop(): void {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    clearTimeout(stream.timer);
    stream.request.removeAllListeners('response');
    stream.request.on('error', () => undefined);
    stream.request.destroy();
  }
}

function describeError(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (error.code === 'ECONNRESET') return 'connection reset by the server';
  return error.message || 'connection error';
}

