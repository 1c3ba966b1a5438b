// A WebSocket server in its own process that sends pre-built Bun-format messages to each client,
// at a fixed rate or as fast as the socket drains, for a fixed time, then closes the connection.
//   node --import tsx bench/blaster.ts <ratePerSecond|0> <secondsPerConnection>
// Prints `READY {"port":n}`, then `DONE {"messages":n,"bytes":n}` per finished connection.

import { resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { readTemplates } from './corpus';

const MAX_BUFFERED = 4 * 1024 * 1024;

function prebuilt(count: number): string[] {
  const root = resolve(__dirname, '..');
  const templates = readTemplates(root, 'bun') as Array<Record<string, unknown>>;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length] ?? {};
    const http = (t.http ?? {}) as Record<string, number>;
    const memory = (t.memory ?? {}) as Record<string, number>;
    out.push(
      JSON.stringify({
        ...t,
        timestamp: 0,
        uptime: 1000 + i * 0.01,
        http: { ...http, totalRequests: (http.totalRequests ?? 0) + i * 3, pendingRequests: i % 7 },
        memory: { ...memory, heapUsed: Math.round((memory.heapUsed ?? 4e7) * (1 + 0.1 * Math.sin(i / 40))) },
      }),
    );
  }
  return out;
}

function serve(socket: WebSocket, messages: readonly string[], rate: number, seconds: number): void {
  const end = Date.now() + seconds * 1000;
  let sent = 0;
  let bytes = 0;
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  const finish = () => {
    process.stdout.write(`DONE ${JSON.stringify({ messages: sent, bytes })}\n`);
    if (!closed) socket.close(1000, 'done');
  };
  const sendOne = () => {
    const text = messages[sent % messages.length] ?? '{}';
    socket.send(text);
    sent++;
    bytes += Buffer.byteLength(text);
  };
  if (rate > 0) {
    const started = Date.now();
    const timer = setInterval(() => {
      if (closed || Date.now() >= end) {
        clearInterval(timer);
        finish();
        return;
      }
      const due = Math.floor(((Date.now() - started) / 1000) * rate);
      while (sent < due) sendOne();
    }, 5);
    return;
  }
  const pump = () => {
    if (closed || Date.now() >= end) {
      finish();
      return;
    }
    for (let i = 0; i < 200 && socket.bufferedAmount < MAX_BUFFERED; i++) sendOne();
    if (socket.bufferedAmount >= MAX_BUFFERED) setTimeout(pump, 1);
    else setImmediate(pump);
  };
  pump();
}

function main(): void {
  const rate = Number(process.argv[2] ?? 0);
  const seconds = Number(process.argv[3] ?? 2);
  const messages = prebuilt(1000);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (socket) => serve(socket, messages, rate, seconds));
  wss.on('listening', () => {
    const address = wss.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    process.stdout.write(`READY ${JSON.stringify({ port, messageBytes: Buffer.byteLength(messages[0] ?? '') })}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

main();
