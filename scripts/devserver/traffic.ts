// Synthetic load: real HTTP requests to the dev server's own demo API, so request counters,
// latency percentiles, error rates and the cache hit ratio are all measured.
import http from 'node:http';

const TICK_MS = 50;
const MAX_IN_FLIGHT = 64;
const WORDS = ['ada', 'gr', 'li', 'mar', 'ken', 'x', 'den', 'fra'];

export class Traffic {
  private timer: NodeJS.Timeout | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private tokens = 0;
  private inFlight = 0;

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
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.agent.destroy();
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
