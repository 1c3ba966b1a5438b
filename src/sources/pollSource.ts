// Polls an HTTP endpoint (JSON or Prometheus text). One request at a time: the next poll is
// scheduled only when the previous one has finished, so a slow server is never piled on.
import http from 'node:http';
import https from 'node:https';
import { Emitter } from '../core/events';
import type { SourceConfig, SourceState } from '../core/model';
import { Backoff } from './backoff';
import { displayUrl, headerNames, httpGet, httpStatusReason, isFatalStatus, isHtml, mediaType, requestHeaders } from './httpGet';
import type { HttpGetRequest, HttpGetResult } from './httpGet';
import type { Received, Transport, TransportDeps } from './transport';

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const ACCEPT: Readonly<Record<'http-json' | 'prometheus', string>> = {
  'http-json': 'application/json, */*;q=0.5',
  prometheus: 'text/plain;version=0.0.4;q=1.0, application/openmetrics-text;version=1.0.0;q=0.5, */*;q=0.1',
};

export class PollSource implements Transport {
  private readonly stateEmitter = new Emitter<SourceState>();
  private readonly receiveEmitter = new Emitter<Received>();
  private readonly warnEmitter = new Emitter<string>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidReceive = this.receiveEmitter.event;
  readonly onDidWarn = this.warnEmitter.event;

  private current: SourceState = { phase: 'idle' };
  private inFlight: HttpGetRequest | undefined;
  private timer: NodeJS.Timeout | undefined;
  private agent: http.Agent | undefined;
  private lastWarning: string | undefined;
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

  start(): void {
    const phase = this.current.phase;
    if (this.disposed || (phase !== 'idle' && phase !== 'closed' && phase !== 'failed')) return;
    this.backoff.reset();
    this.lastWarning = undefined;
    this.log('info', `polling ${displayUrl(this.config.url)} every ${this.config.pollIntervalMs} ms; headers: ${headerNames(this.headers())}`);
    this.poll();
  }

  stop(): void {
    this.halt();
    if (this.current.phase !== 'closed' && this.current.phase !== 'idle') {
      this.log('info', 'stopped polling (by the user)');
      this.setState({ phase: 'closed' });
    }
  }

  reconnect(): void {
    if (this.disposed) return;
    this.halt();
    this.backoff.reset();
    this.lastWarning = undefined;
    this.poll();
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

  private headers(): Record<string, string> {
    const accept = this.config.kind === 'prometheus' ? ACCEPT.prometheus : ACCEPT['http-json'];
    return requestHeaders(this.config.headers, this.deps.token, { Accept: accept });
  }

  private poll(): void {
    this.timer = undefined;
    if (this.current.phase !== 'open') {
      const connecting: SourceState = { phase: 'connecting', attempt: this.backoff.attempt };
      this.setState(connecting);
      // A state listener may have stopped or disposed us.
      if (this.current !== connecting) return;
    }
    const secure = this.config.url.startsWith('https:');
    this.agent ??= secure ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    const request = httpGet(this.config.url, {
      headers: this.headers(),
      timeoutMs: this.deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxBytes: this.deps.maxPayloadBytes,
      agent: this.agent,
    });
    this.inFlight = request;
    void request.result.then((result) => {
      if (this.inFlight !== request) return;
      this.inFlight = undefined;
      this.handle(result);
    });
  }

  private handle(result: HttpGetResult): void {
    const shown = displayUrl(this.config.url);
    if (!result.ok) {
      switch (result.kind) {
        case 'aborted':
          return;
        case 'bad-url':
          this.fail(`Cannot poll ${shown}: ${result.message}`);
          return;
        case 'network':
          this.retry(`${result.message} (${shown})`, false);
          return;
        case 'timeout':
        case 'too-large':
          this.retry(`${result.message} (${shown})`, true);
          return;
      }
    }
    if (isFatalStatus(result.status)) {
      this.fail(httpStatusReason(result.status, this.config.url));
      return;
    }
    if (result.status < 200 || result.status > 299) {
      this.retry(httpStatusReason(result.status, this.config.url), true);
      return;
    }
    if (isHtml(result.contentType, result.body)) {
      this.retry(`server returned HTML, not metrics (content-type ${mediaType(result.contentType) || 'none'}) from ${shown}: check the URL`, true);
      return;
    }
    if (this.current.phase !== 'open') {
      this.log('info', `polling ${shown}: ok`);
      const open: SourceState = { phase: 'open', since: this.now() };
      this.setState(open);
      // A state listener may have stopped or disposed us.
      if (this.state !== open) return;
    }
    this.backoff.reset();
    this.lastWarning = undefined;
    this.receiveEmitter.fire({ payload: result.body, bytes: result.bytes, receivedAt: this.now() });
    // A listener may have stopped or restarted polling meanwhile.
    if (this.current.phase === 'open' && !this.inFlight && !this.timer) this.schedule(this.config.pollIntervalMs);
  }

  /** A failed poll: back off, but never poll faster than the configured interval. */
  private retry(reason: string, warn: boolean): void {
    if (warn && reason !== this.lastWarning) {
      this.lastWarning = reason;
      this.log('warn', reason);
      this.warnEmitter.fire(reason);
      // A warning listener may have stopped or restarted polling.
      if (this.disposed || this.inFlight || this.timer || this.current.phase === 'closed') return;
    }
    const step = this.backoff.next();
    const delayMs = Math.max(step.delayMs, this.config.pollIntervalMs);
    this.log('info', `${reason}; next poll in ${+(delayMs / 1000).toFixed(1)} s`);
    // Armed before the state is announced, so a listener that calls stop() can cancel it.
    this.schedule(delayMs);
    this.setState({ phase: 'reconnecting', retryAt: this.now() + delayMs, attempt: step.attempt, reason });
  }

  private fail(reason: string): void {
    this.halt();
    this.log('warn', reason);
    this.setState({ phase: 'failed', reason });
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), delayMs);
  }

  /** Cancel the pending poll and the request in flight. */
  private halt(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const request = this.inFlight;
    this.inFlight = undefined;
    request?.abort();
    this.agent?.destroy();
    this.agent = undefined;
  }

  private setState(state: SourceState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.deps.log[level](`[${this.config.name}] ${message}`);
  }
}
