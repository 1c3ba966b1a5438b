// A WebSocket source: connects, keeps the connection alive with pings, and retries with backoff
// until the user stops it or the server says no (401/403/404).
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { RawData } from 'ws';
import { displayUrl, errorMessage, formatMiB, printable, requestHeaders } from './httpGet';
import { StreamTransport } from './streamTransport';
import { seconds } from './transportBase';

const SUBSCRIBE_MESSAGE = JSON.stringify({ type: 'subscribe' });
/** With `subscribe` unset, a server that stays silent this long after the handshake is asked to subscribe. */
export const SUBSCRIBE_AFTER_SILENCE_MS = 1_000;
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;

interface Connection {
  readonly socket: WebSocket;
  openedAt?: number;
  received: boolean;
  unansweredPings: number;
  heartbeat?: NodeJS.Timeout;
  subscribeTimer?: NodeJS.Timeout;
  /** The absolute deadline for the opening handshake (ws's own timeout restarts on every byte). */
  handshakeTimer?: NodeJS.Timeout;
}

const noop = (): void => undefined;

export class WsSource extends StreamTransport {
  private connection: Connection | undefined;

  override send(text: string): boolean {
    const socket = this.connection?.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(text, (error) => {
      if (error) this.log('debug', `send failed: ${error.message}`);
    });
    return true;
  }

  protected connect(): void {
    const shown = displayUrl(this.config.url);
    const url = this.parseUrl('Invalid WebSocket URL');
    if (!url) return;
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      this.fail(`Invalid WebSocket URL "${shown}": it must start with ws:// or wss://`);
      return;
    }
    const headers = requestHeaders(this.config.headers, this.deps.token);
    if (!this.connecting(headers)) return;

    const handshakeMs = this.deps.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, {
        handshakeTimeout: handshakeMs,
        maxPayload: this.deps.maxPayloadBytes,
        headers,
        perMessageDeflate: false,
      });
    } catch (error) {
      this.fail(`Cannot connect to ${shown}: ${errorMessage(error)}`);
      return;
    }
    const connection: Connection = { socket, received: false, unansweredPings: 0 };
    this.connection = connection;
    const current = (): boolean => this.connection === connection;
    // A server that drips its 101 response a byte at a time never trips ws's idle timer.
    connection.handshakeTimer = setTimeout(() => {
      connection.handshakeTimer = undefined;
      if (!current() || connection.openedAt !== undefined) return;
      const reason = `no WebSocket handshake from ${shown} within ${seconds(handshakeMs)}`;
      this.warn(reason);
      this.lost(reason);
    }, handshakeMs);

    socket.on('error', (error: Error & { code?: string }) => {
      if (!current()) return;
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.tooLarge();
        return;
      }
      this.lost(describeSocketError(error));
    });
    socket.on('unexpected-response', (_req, res: IncomingMessage) => {
      res.resume();
      if (!current()) return;
      this.refused(res.statusCode ?? 0);
    });
    socket.on('open', () => {
      if (!current()) return;
      clearTimeout(connection.handshakeTimer);
      connection.handshakeTimer = undefined;
      connection.openedAt = this.now();
      this.log('info', `connected to ${shown}`);
      this.setState({ phase: 'open', since: connection.openedAt });
      if (!current()) return;
      this.startHeartbeat(connection);
      if (this.config.subscribe === true) {
        this.subscribe(connection);
      } else if (this.config.subscribe === undefined) {
        connection.subscribeTimer = setTimeout(() => {
          connection.subscribeTimer = undefined;
          if (current() && !connection.received) this.subscribe(connection);
        }, SUBSCRIBE_AFTER_SILENCE_MS);
      }
    });
    socket.on('message', (data: RawData) => {
      if (!current()) return;
      connection.received = true;
      connection.unansweredPings = 0;
      clearTimeout(connection.subscribeTimer);
      connection.subscribeTimer = undefined;
      const buffer = toBuffer(data);
      this.receive({ payload: buffer.toString('utf8'), bytes: buffer.length, receivedAt: this.now() });
    });
    socket.on('pong', () => {
      if (current()) connection.unansweredPings = 0;
    });
    socket.on('ping', () => {
      if (current()) connection.unansweredPings = 0;
    });
    socket.on('close', (code: number, reason: Buffer) => {
      if (!current()) return;
      if (code === 1009) {
        this.tooLarge();
        return;
      }
      const text = sanitize(reason.toString('utf8'));
      this.lost(`connection closed (code ${code}${text ? `: ${text}` : ''})`);
    });
  }

  private subscribe(connection: Connection): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    this.log('debug', 'sending subscribe');
    connection.socket.send(SUBSCRIBE_MESSAGE, noop);
  }

  private startHeartbeat(connection: Connection): void {
    const intervalMs = this.deps.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    connection.heartbeat = setInterval(() => {
      if (this.connection !== connection) return;
      if (connection.unansweredPings >= 2) {
        const reason = `no answer from ${displayUrl(this.config.url)} for ${seconds(2 * intervalMs)}`;
        this.warn(reason);
        this.lost(reason);
        return;
      }
      connection.unansweredPings += 1;
      try {
        connection.socket.ping();
      } catch (error) {
        this.log('debug', `ping failed: ${errorMessage(error)}`);
      }
    }, intervalMs);
  }

  private tooLarge(): void {
    const reason = `message larger than ${formatMiB(this.deps.maxPayloadBytes)} limit`;
    this.warn(`${reason} from ${displayUrl(this.config.url)}: reconnecting`);
    this.lost(reason);
  }

  protected lost(reason: string): void {
    const connection = this.connection;
    // Gone already: a warning listener stopped or reconnected us.
    if (!connection) return;
    this.retryAfterLoss(reason, connection.openedAt, connection.received);
  }

  /** Forget the current socket: no more events from it; closes gracefully (1000) when asked. */
  protected drop(graceful: boolean): void {
    const connection = this.connection;
    if (!connection) return;
    this.connection = undefined;
    clearInterval(connection.heartbeat);
    clearTimeout(connection.subscribeTimer);
    clearTimeout(connection.handshakeTimer);
    const socket = connection.socket;
    socket.removeAllListeners();
    socket.on('error', noop);
    if (graceful && socket.readyState === WebSocket.OPEN) {
      socket.close(1000, 'closed by the user');
      // A peer that never answers the close frame is cut off rather than left for ws's 30 s timer.
      const cutoff = setTimeout(() => socket.terminate(), 2_000);
      socket.once('close', () => clearTimeout(cutoff));
    } else if (socket.readyState !== WebSocket.CLOSED) {
      socket.terminate();
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function describeSocketError(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ECONNRESET':
      return 'connection reset by the server';
    default:
      return sanitize(error.message) || 'connection error';
  }
}

/** Text from the network shown in a state reason: printable and short. */
function sanitize(text: string): string {
  const shown = printable(text);
  return shown.length > 120 ? `${shown.slice(0, 119)}…` : shown;
}

