// Synthetic load: real HTTP requests to the dev server's own demo API, so request counters,
// latency percentiles, error rates and the cache hit ratio are all measured; and the app's own
// WebSocket clients (seed 000's chat, status, workers and spline topics), chatting now and then.
import http from 'node:http';
import WebSocket from 'ws';

const TICK_MS = 50;
const MAX_IN_FLIGHT = 64;
const WORDS = ['ada', 'gr', 'li', 'mar', 'ken', 'x', 'den', 'fra'];
/** Seed 000's example: chat 1, status 2, workers 1, spline 1. */
const APP_CLIENTS: readonly string[] = ['chat', 'status', 'status', 'workers', 'spline'];
const APP_MESSAGE_MS = 3_000;
const APP_RECONNECT_MS = 1_000;

export class Traffic {
  private timer: NodeJS.Timeout | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private tokens = 0;
  private inFlight = 0;
  private readonly sockets = new Set<WebSocket>();
  private readonly appTimers = new Set<NodeJS.Timeout>();
  private running = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private rps: number,
  ) {}

  get rate(): number {
    return this.rps;
  }

  setRate(rps: number): void {
    this.rps = Math.max(0, Math.min(500, rps));
  }

  start(): void {
    if (this.timer) return;
    this.running = true;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    for (const topic of APP_CLIENTS) this.openAppClient(topic);
  }

  stop(): void {
    this.running = false;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const t of this.appTimers) clearTimeout(t);
    this.appTimers.clear();
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.agent.destroy();
  }

  /** One app client on a topic; says something every few seconds; comes back after a restart closed it. */
  private openAppClient(topic: string): void {
    if (!this.running) return;
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    const ws = new WebSocket(`ws://${host}:${this.port}/ws/topics?topic=${topic}`, { headers: { 'User-Agent': 'pulse-devserver-traffic' } });
    this.sockets.add(ws);
    let chatter: NodeJS.Timeout | undefined;
    ws.on('open', () => {
      chatter = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ topic, text: WORDS[Math.floor(Math.random() * WORDS.length)] }));
      }, APP_MESSAGE_MS + Math.random() * 1_000);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearInterval(chatter);
      this.sockets.delete(ws);
      if (!this.running) return;
      const retry = setTimeout(() => {
        this.appTimers.delete(retry);
        this.openAppClient(topic);
      }, APP_RECONNECT_MS);
      this.appTimers.add(retry);
    });
  }

  private tick(): void {
    this.tokens = Math.min(this.tokens + (this.rps * TICK_MS) / 1000, 50);
    while (this.tokens >= 1) {
      this.tokens -= 1;
      if (this.inFlight < MAX_IN_FLIGHT) this.fire();
    }
  }

  private fire(): void {
    const roll = Math.random();
    const word = WORDS[Math.floor(Math.random() * WORDS.length)] ?? 'a';
    const [method, path] =
      roll < 0.4
        ? ['GET', `/api/users?page=${1 + Math.floor(Math.random() * 5)}`]
        : roll < 0.65
          ? ['GET', '/api/orders']
          : roll < 0.8
            ? ['POST', '/api/orders']
            : ['GET', `/api/search?q=${word}`];
    this.inFlight += 1;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
    };
    const req = http.request({ host: this.host, port: this.port, method, path, agent: this.agent, timeout: 10_000, headers: { 'Content-Type': 'application/json', 'User-Agent': 'pulse-devserver-traffic' } });
    req.on('response', (res) => {
      res.resume();
      res.on('end', finish);
      res.on('close', finish);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', finish);
    req.on('close', finish);
    req.end(method === 'POST' ? JSON.stringify({ item: word, quantity: 1 + Math.floor(Math.random() * 3) }) : undefined);
  }
}
