// The push side: WebSocket streams (bun live, snapshot protocol, daemon) and the SSE stream,
// each driven by one loop that builds a message, records it as published and sends it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { Context } from './context';
import { bunMessage, daemonMetrics, daemonOther, snapshotMessage, updateMessage } from './formats';
import { EVIL_STRINGS, padded, withNested } from './hostile';
import type { ClientRecord, ClientStream } from './stats';

const WS_PATHS: Readonly<Record<string, Exclude<ClientStream, 'sse'>>> = {
  '/api/dev/server-metrics/live': 'bun',
  '/ws/metrics': 'snapshot',
  '/daemon': 'daemon',
};

interface WsClient {
  readonly ws: WebSocket;
  readonly record: ClientRecord;
  subscribed: boolean;
  hugeSent: boolean;
  flapTimer?: NodeJS.Timeout;
}

interface SseClient {
  readonly res: ServerResponse;
  readonly record: ClientRecord;
  hugeSent: boolean;
  stalled: boolean;
}

const noop = (): void => undefined;

export class Streams {
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false });
  private readonly wsClients = new Set<WsClient>();
  private readonly sseClients = new Set<SseClient>();
  private readonly loops: NodeJS.Timeout[] = [];
  private daemonTicks = 0;
  private sseTicks = 0;
  private garbageTicks = 0;

  constructor(private readonly ctx: Context) {
    const every = (ms: number, fn: () => void): void => {
      this.loops.push(setInterval(fn, Math.max(10, Math.round(ms * ctx.options.intervalScale))));
    };
    every(500, () => this.bunTick());
    every(1000, () => this.snapshotTick());
    every(500, () => this.daemonTick());
    every(500, () => this.sseTick());
  }

  static isWebSocketPath(path: string): boolean {
    return Object.hasOwn(WS_PATHS, path);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    socket.on('error', noop);
    const stream = Object.hasOwn(WS_PATHS, path) ? WS_PATHS[path] : undefined;
    const modes = this.ctx.modes.state;
    if (!stream) return reject(socket, 404, 'Not Found');
    if (modes.reset) {
      socket.destroy();
      return;
    }
    if (modes.unauthorized && !authorized(req, modes.unauthorized.token)) return reject(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer\r\n');
    if (modes.http500) return reject(socket, 500, 'Internal Server Error');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, stream));
  }

  private accept(ws: WebSocket, req: IncomingMessage, stream: Exclude<ClientStream, 'sse'>): void {
    const record = this.ctx.stats.addClient(stream, `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? 0}`);
    const client: WsClient = { ws, record, subscribed: false, hugeSent: false };
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
      if (stream === 'snapshot' && !client.subscribed && isSubscribe(data)) {
        client.subscribed = true;
        const message = snapshotMessage(this.ctx.inputs());
        this.ctx.published.snapshot = message;
        this.send(client, message);
      }
    });
    if (this.ctx.modes.state.flap) client.flapTimer = setTimeout(() => ws.close(1001, 'flapping'), 100);
  }

  /** Serves GET /events; with `stalled` the client gets half an event and then silence. */
  sse(req: IncomingMessage, res: ServerResponse, stalled: boolean): void {
    const record = this.ctx.stats.addClient('sse', `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? 0}`);
    const client: SseClient = { res, record, hugeSent: false, stalled };
    this.sseClients.add(client);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(`retry: ${Math.max(250, Math.round(2000 * this.ctx.options.intervalScale))}\n: connected to the Pulse dev server\n\n`);
    if (stalled) res.write('data: {"type":"metrics","timest');
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
  }

  private clientsOf(stream: ClientStream): WsClient[] {
    return [...this.wsClients].filter((c) => c.record.stream === stream);
  }

  private bunTick(): void {
    const message = bunMessage(this.ctx.inputs(), true);
    this.ctx.published.bun = message;
    for (const c of this.clientsOf('bun')) this.send(c, message);
  }

  private snapshotTick(): void {
    const clients = this.clientsOf('snapshot').filter((c) => c.subscribed);
    const modes = this.ctx.modes.state;
    if (modes.serverError) {
      const error = { type: 'error' as const, message: modes.serverError.message };
      this.ctx.published.snapshotError = error;
      for (const c of clients) this.send(c, error);
      return;
    }
    const message = updateMessage(this.ctx.inputs());
    this.ctx.published.snapshot = message;
    for (const c of clients) this.send(c, message);
    if (modes.evil) {
      const error = { type: 'error' as const, message: EVIL_STRINGS[this.garbageTicks % EVIL_STRINGS.length] ?? '' };
      this.ctx.published.snapshotError = error;
      for (const c of clients) this.send(c, error);
    }
  }

  private daemonTick(): void {
    const tick = this.daemonTicks++;
    const inputs = this.ctx.inputs();
    if (tick % 4 === 0) {
      const message = daemonMetrics(inputs);
      this.ctx.published.daemon = message;
      for (const c of this.clientsOf('daemon')) this.send(c, message);
    } else {
      const message = daemonOther(inputs, tick);
      this.ctx.published.daemonEvent = message;
      for (const c of this.clientsOf('daemon')) this.send(c, message);
    }
  }

  private sseTick(): void {
    const tick = this.sseTicks++;
    const message = bunMessage(this.ctx.inputs(), true);
    this.ctx.published.sse = message;
    const modes = this.ctx.modes.state;
    for (const c of this.sseClients) {
      if (c.stalled) continue;
      if (modes.stall) {
        // Stall in the middle of an event: the client must notice on its own.
        c.stalled = true;
        c.res.write('data: {"type":"metrics","timest');
        continue;
      }
      let lines: string[];
      if (modes.huge && !c.hugeSent) {
        c.hugeSent = true;
        lines = [padded(this.serialize(message), modes.huge.bytes)];
      } else if (modes.garbage && tick % 2 === 0) {
        lines = [tick % 4 === 0 ? '{"type":"metrics","http":{' : 'not json at all'];
      } else if (tick % 5 === 4 && !modes.nested) {
        // Every fifth event spreads its JSON over several data: lines, as some servers do.
        lines = JSON.stringify(message, null, 1).split('\n');
      } else {
        lines = [this.serialize(message)];
      }
      const text = `id: ${tick}\n${lines.map((l) => `data: ${l}`).join('\n')}\n\n`;
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
      payload = garbage(this.garbageTicks++, payload);
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

export function authorized(req: IncomingMessage, token: string | undefined): boolean {
  return token !== undefined && req.headers.authorization === `Bearer ${token}`;
}

function reject(socket: Duplex, status: number, text: string, extraHeaders = ''): void {
  const body = `${status} ${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${extraHeaders}Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}
