// The push side: WebSocket streams (seed 000 bun live, seed 001 snapshot protocol, seed 004 daemon,
// and the synthetic app's own topic sockets) and seed 001's SSE stream, each driven by one loop
// that builds a message, records it as published and sends it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { Context } from './context';
import { bunLiveMessage } from './bunFormat';
import { daemonMetrics, daemonOther } from './daemonFormat';
import { EVIL_STRINGS, padded, withNested } from './hostile';
import { AnomalyDetector, metricsSnapshot } from './snapshotFormat';
import type { ServerMessage } from './snapshotFormat';
import type { ClientRecord, ClientStream } from './stats';
import { TOPICS } from './stats';

/** WebSocket paths. The seed-000 handler section names /ws/server-metrics/live too. */
const WS_PATHS: Readonly<Record<string, Exclude<ClientStream, 'sse'>>> = {
  '/api/dev/server-metrics/live': 'bun',
  '/ws/server-metrics/live': 'bun',
  '/metrics': 'snapshot',
  '/ws': 'daemon',
  '/ws/topics': 'app',
};

/** Seed intervals in ms, before --interval-scale. */
export const INTERVALS = { bun: 500, snapshotUpdate: 5_000, daemonTick: 500, sse: 1_000 } as const;
/** Seed 004 sends metrics every 2 s: every fourth daemon tick; the others carry other message types. */
const DAEMON_METRICS_EVERY = 4;

interface WsClient {
  readonly ws: WebSocket;
  readonly record: ClientRecord;
  subscribed: boolean;
  hugeSent: boolean;
  /** Each client sees the whole garbage cycle, however many share a stream. */
  garbageTick: number;
  flapTimer?: NodeJS.Timeout;
}

interface SseClient {
  readonly res: ServerResponse;
  readonly record: ClientRecord;
  hugeSent: boolean;
  stalled: boolean;
}

const noop = (): void => undefined;
/** Half an event, for the `stall` mode. */
const STALLED_EVENT = 'data: {"timestamp":17';

export class Streams {
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false });
  /** Seed 001's server: perMessageDeflate on, 16 KiB largest message from a client. */
  private readonly snapshotWss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: true, maxPayload: 16 * 1024, clientTracking: false });
  private readonly wsClients = new Set<WsClient>();
  private readonly sseClients = new Set<SseClient>();
  private readonly loops: NodeJS.Timeout[] = [];
  private daemonTicks = 0;
  private sseTicks = 0;
  private evilTicks = 0;
  private readonly anomalies = new AnomalyDetector();

  constructor(private readonly ctx: Context) {
    const every = (ms: number, fn: () => void): void => {
      this.loops.push(setInterval(fn, Math.max(10, Math.round(ms * ctx.options.intervalScale))));
    };
    every(INTERVALS.bun, () => this.bunTick());
    every(INTERVALS.snapshotUpdate, () => this.snapshotTick());
    every(INTERVALS.daemonTick, () => this.daemonTick());
    every(INTERVALS.sse, () => this.sseTick());
  }

  static isWebSocketPath(path: string): boolean {
    return Object.hasOwn(WS_PATHS, path);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    socket.on('error', noop);
    const stream = Object.hasOwn(WS_PATHS, path) ? WS_PATHS[path] : undefined;
    const modes = this.ctx.modes.state;
    if (!stream) return reject(socket, 404, 'Not Found');
    // The app's own sockets are not metrics endpoints: the misbehaviour modes leave them alone.
    if (stream === 'app') {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, stream));
      return;
    }
    if (modes.reset) {
      socket.destroy();
      return;
    }
    if (modes.unauthorized && !authorized(req, modes.unauthorized.token)) return reject(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer\r\n');
    if (modes.http500) return reject(socket, 500, 'Internal Server Error');
    const server = stream === 'snapshot' ? this.snapshotWss : this.wss;
    server.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, stream));
  }

  private accept(ws: WebSocket, req: IncomingMessage, stream: Exclude<ClientStream, 'sse'>): void {
    const topic = stream === 'app' ? topicOf(req) : undefined;
    const record = this.ctx.stats.addClient(stream, `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? 0}`, topic);
    // Seed 001: a client is subscribed from the start; its {"type":"subscribe"} changes nothing.
    const client: WsClient = { ws, record, subscribed: true, hugeSent: false, garbageTick: 0 };
    this.wsClients.add(client);
    ws.on('error', noop);
    ws.on('close', () => {
      clearTimeout(client.flapTimer);
      this.wsClients.delete(client);
      this.ctx.stats.removeClient(record.id);
    });
    ws.on('ping', (data: Buffer) => {
      if (!this.ctx.modes.state.stall && ws.readyState === WebSocket.OPEN) ws.pong(data);
    });
    ws.on('message', (data: RawData) => {
      const size = Buffer.isBuffer(data) ? data.length : Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      this.ctx.stats.received(record, size);
      if (stream === 'snapshot' && isSubscribe(data)) client.subscribed = true;
      if (stream === 'app') this.broadcast(client, data);
    });
    // Seed 000 sends the first metrics at once; seed 001 sends a snapshot on open.
    if (stream === 'bun') this.send(client, this.bunMessage());
    if (stream === 'snapshot') this.send(client, this.snapshotOnOpen());
    if (this.ctx.modes.state.flap && stream !== 'app') client.flapTimer = setTimeout(() => ws.close(1001, 'flapping'), 100);
  }

  /** The synthetic app's chat: a message goes to every other client of the same topic. */
  private broadcast(from: WsClient, data: RawData): void {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    for (const c of this.clientsOf('app')) {
      if (c === from || c.record.topic !== from.record.topic || c.ws.readyState !== WebSocket.OPEN) continue;
      c.ws.send(text, noop);
      this.ctx.stats.sent(c.record, Buffer.byteLength(text));
    }
  }

  private bunMessage(): object {
    const message = bunLiveMessage(this.ctx.inputs());
    this.ctx.published.bun = message;
    return message;
  }

  private snapshotOnOpen(): ServerMessage {
    const inputs = this.ctx.inputs();
    const serverError = this.ctx.modes.state.serverError;
    if (serverError) {
      const error = { type: 'error' as const, error: serverError.message, timestamp: inputs.now };
      this.ctx.published.snapshotError = error;
      return error;
    }
    const message = { type: 'snapshot' as const, data: metricsSnapshot(inputs), timestamp: inputs.now };
    this.ctx.published.snapshot = message;
    return message;
  }

  /** Serves seed 001's GET /sse; with `stalled` the client gets half an event and then silence. */
  sse(req: IncomingMessage, res: ServerResponse, stalled: boolean): void {
    const record = this.ctx.stats.addClient('sse', `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? 0}`);
    const client: SseClient = { res, record, hugeSent: false, stalled };
    this.sseClients.add(client);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.flushHeaders();
    if (stalled) res.write(STALLED_EVENT);
    res.on('error', noop);
    res.on('close', () => {
      this.sseClients.delete(client);
      this.ctx.stats.removeClient(record.id);
    });
  }

  /** Simulated restart: every client is told the service restarts. */
  closeAll(): void {
    for (const c of this.wsClients) c.ws.close(1012, 'service restart');
    for (const c of this.sseClients) c.res.end();
  }

  /** A new `huge` request: every client gets one huge message again. */
  rearmHuge(): void {
    for (const c of this.wsClients) c.hugeSent = false;
    for (const c of this.sseClients) c.hugeSent = false;
  }

  /** `reset` mode: sockets die without a goodbye. */
  destroyAll(): void {
    for (const c of this.wsClients) c.ws.terminate();
    for (const c of this.sseClients) c.res.destroy();
  }

  dispose(): void {
    for (const timer of this.loops) clearInterval(timer);
    this.loops.length = 0;
    this.destroyAll();
    this.wss.close();
    this.snapshotWss.close();
  }

  private clientsOf(stream: ClientStream): WsClient[] {
    return [...this.wsClients].filter((c) => c.record.stream === stream);
  }

  private bunTick(): void {
    const message = this.bunMessage();
    for (const c of this.clientsOf('bun')) this.send(c, message);
  }

  private snapshotTick(): void {
    const clients = this.clientsOf('snapshot').filter((c) => c.subscribed);
    const modes = this.ctx.modes.state;
    const inputs = this.ctx.inputs();
    if (modes.serverError) {
      const error = { type: 'error' as const, error: modes.serverError.message, timestamp: inputs.now };
      this.ctx.published.snapshotError = error;
      for (const c of clients) this.send(c, error);
      return;
    }
    const data = metricsSnapshot(inputs);
    const alerts = this.anomalies.detect(inputs, data);
    const message = { type: 'update' as const, data, ...(alerts.length > 0 ? { alerts } : {}), timestamp: inputs.now };
    this.ctx.published.snapshot = message;
    for (const c of clients) this.send(c, message);
    if (modes.evil) {
      const error = { type: 'error' as const, error: EVIL_STRINGS[this.evilTicks++ % EVIL_STRINGS.length] ?? '', timestamp: inputs.now };
      this.ctx.published.snapshotError = error;
      for (const c of clients) this.send(c, error);
    }
  }

  private daemonTick(): void {
    const tick = this.daemonTicks++;
    const inputs = this.ctx.inputs();
    if (tick % DAEMON_METRICS_EVERY === 0) {
      const message = daemonMetrics(inputs, this.ctx.jobs);
      this.ctx.published.daemon = message;
      for (const c of this.clientsOf('daemon')) this.send(c, message);
    } else {
      const message = daemonOther(inputs, this.ctx.jobs, tick);
      this.ctx.published.daemonEvent = message;
      for (const c of this.clientsOf('daemon')) this.send(c, message);
    }
  }

  private sseTick(): void {
    const tick = this.sseTicks++;
    if (this.sseClients.size === 0) return;
    const message = metricsSnapshot(this.ctx.inputs());
    this.ctx.published.sse = message;
    const modes = this.ctx.modes.state;
    for (const c of this.sseClients) {
      if (c.stalled) continue;
      if (modes.stall) {
        // Stall in the middle of an event: the client must notice on its own.
        c.stalled = true;
        c.res.write(STALLED_EVENT);
        continue;
      }
      let lines: string[];
      if (modes.huge && !c.hugeSent) {
        c.hugeSent = true;
        lines = [padded(this.serialize(message), modes.huge.bytes)];
      } else if (modes.garbage && tick % 2 === 0) {
        lines = [tick % 4 === 0 ? '{"timestamp":1,"endpoints":[' : 'not json at all'];
      } else if (modes.multiline && !modes.nested) {
        lines = JSON.stringify(message, null, 1).split('\n');
      } else {
        lines = [this.serialize(message)];
      }
      const text = `${lines.map((l) => `data: ${l}`).join('\n')}\n\n`;
      c.res.write(text);
      this.ctx.stats.sent(c.record, Buffer.byteLength(text));
    }
  }

  private serialize(message: object): string {
    const json = JSON.stringify(message);
    const nested = this.ctx.modes.state.nested;
    return nested ? withNested(json, nested.depth) : json;
  }

  private send(client: WsClient, message: object): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    const modes = this.ctx.modes.state;
    if (modes.stall) return;
    let payload: string | Buffer = this.serialize(message);
    if (modes.huge && !client.hugeSent) {
      client.hugeSent = true;
      payload = padded(payload, modes.huge.bytes);
    } else if (modes.garbage) {
      payload = garbage(client.garbageTick++, payload);
    }
    const binary = Buffer.isBuffer(payload);
    client.ws.send(payload, { binary }, noop);
    this.ctx.stats.sent(client.record, binary ? payload.length : Buffer.byteLength(payload));
  }
}

/** Malformed JSON, binary noise, a message cut in half, then a good one. */
function garbage(tick: number, json: string): string | Buffer {
  switch (tick % 4) {
    case 0:
      return '{"type":"metrics","http":{"pendingRequests":3,,}';
    case 1:
      return randomBytes(64);
    case 2:
      return json.slice(0, Math.floor(json.length / 2));
    default:
      return json;
  }
}

function isSubscribe(data: RawData): boolean {
  try {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && (parsed as { type?: unknown }).type === 'subscribe';
  } catch {
    return false;
  }
}

/** The `topic` query parameter of an app socket, one of the seed's topics. */
function topicOf(req: IncomingMessage): string {
  const topic = new URL(req.url ?? '/', 'http://devserver.invalid').searchParams.get('topic') ?? '';
  return (TOPICS as readonly string[]).includes(topic) ? topic : 'chat';
}

export function authorized(req: IncomingMessage, token: string | undefined): boolean {
  return token !== undefined && req.headers.authorization === `Bearer ${token}`;
}

function reject(socket: Duplex, status: number, text: string, extraHeaders = ''): void {
  const body = `${status} ${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${extraHeaders}Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}
