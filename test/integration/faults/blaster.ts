// A WebSocket server that blasts pre-built Bun metrics messages at a fixed rate to every client:
// the flood test runs it as a child process so the blasting never shares an event loop with Pulse.
//   node --import tsx blaster.ts --rate 10000
// Prints `PULSE_BLASTER_READY {"port":N}` once listening, and `PULSE_BLASTER_SENT {"sent":N}` each second.

import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { AddressInfo } from 'node:net';

const VARIANTS = 1000;
const TICK_MS = 10;
/** Stop writing to a client that has this much unsent (TCP backpressure): the flood must not OOM the blaster. */
const MAX_BUFFERED = 8 * 1024 * 1024;

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const rate = argNumber('--rate', 10_000);

// Pre-built: everything but the request counter, which is spliced in so counters keep counting.
const prefixes: string[] = [];
const suffixes: string[] = [];
for (let i = 0; i < VARIANTS; i++) {
  const heapUsed = (40 + (i % 40)) * 1024 * 1024 + i * 4096;
  prefixes.push(`{"type":"metrics","timestamp":0,"uptime":${i},"http":{"pendingRequests":${i % 17},"totalRequests":`);
  suffixes.push(`},"websockets":{"pendingConnections":${i % 5},"subscribers":{"chat":${i % 11}},"totalSubscribers":${i % 11}},"memory":{"heapUsed":${heapUsed},"heapTotal":${2 * heapUsed},"rss":${3 * heapUsed}},"cpu":{"percent":${i % 100}}}`);
}

let sent = 0;
const clients = new Set<{ ws: WebSocket; started: number; sent: number }>();

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (ws) => {
  const client = { ws, started: Date.now(), sent: 0 };
  clients.add(client);
  ws.on('close', () => clients.delete(client));
  ws.on('error', () => clients.delete(client));
});

setInterval(() => {
  const now = Date.now();
  for (const c of clients) {
    const due = Math.floor(((now - c.started) / 1000) * rate) - c.sent;
    // Catch up after a late tick, but never more than a second's worth at once.
    for (let n = 0; n < Math.min(due, rate); n++) {
      if (c.ws.bufferedAmount > MAX_BUFFERED) break;
      const v = c.sent % VARIANTS;
      c.ws.send(`${prefixes[v] ?? ''}${c.sent}${suffixes[v] ?? ''}`);
      c.sent++;
      sent++;
    }
  }
}, TICK_MS);

setInterval(() => process.stdout.write(`PULSE_BLASTER_SENT ${JSON.stringify({ sent })}\n`), 1000);

wss.on('listening', () => {
  const { port } = wss.address() as AddressInfo;
  process.stdout.write(`PULSE_BLASTER_READY ${JSON.stringify({ port })}\n`);
});

const stop = (): void => {
  for (const c of clients) c.ws.terminate();
  wss.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
