// What the WebSocket and SSE sources share: events, the state users see, backoff and the retry timer.
// Subclasses say how to connect and how to drop a connection.
import { Emitter } from '../core/events';
import type { SourceConfig, SourceState } from '../core/model';
import { Backoff, wasHealthy } from './backoff';
import type { Received, Transport, TransportDeps } from './transport';

export abstract class StreamTransport implements Transport {
  private readonly stateEmitter = new Emitter<SourceState>();
  protected readonly receiveEmitter = new Emitter<Received>();
  private readonly warnEmitter = new Emitter<string>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidReceive = this.receiveEmitter.event;
  readonly onDidWarn = this.warnEmitter.event;

  private current: SourceState = { phase: 'idle' };
  private retryTimer: NodeJS.Timeout | undefined;
  protected readonly backoff: Backoff;
  protected readonly now: () => number;
  protected disposed = false;

  constructor(
    protected readonly config: SourceConfig,
    protected readonly deps: TransportDeps,
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
    this.connect();
  }

  stop(): void {
    this.cancelRetry();
    this.drop(true);
    if (this.current.phase !== 'closed' && this.current.phase !== 'idle') {
      this.log('info', 'disconnected by the user');
      this.setState({ phase: 'closed' });
    }
  }

  reconnect(): void {
    if (this.disposed) return;
    this.cancelRetry();
    this.drop(false);
    this.backoff.reset();
    this.connect();
  }

  send(_text: string): boolean {
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

  protected abstract connect(): void;

  /** Forget the current connection: no more events from it. `graceful` when the user stopped it. */
  protected abstract drop(graceful: boolean): void;

  /** A connection that opened at `openedAt` (if it did) ended: drop it and schedule the next attempt. */
  protected retryAfterLoss(reason: string, openedAt: number | undefined, received: boolean, minDelayMs = 0): void {
    const endedAt = this.now();
    this.drop(false);
    if (wasHealthy(openedAt, endedAt, received)) this.backoff.reset();
    const step = this.backoff.next();
    const delayMs = Math.max(step.delayMs, minDelayMs);
    this.log('info', `${reason}; retrying in ${seconds(delayMs)}`);
    // Armed before the state is announced, so a listener that calls stop() can cancel it.
    this.cancelRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delayMs);
    this.setState({ phase: 'reconnecting', retryAt: endedAt + delayMs, attempt: step.attempt, reason });
  }

  protected fail(reason: string): void {
    this.cancelRetry();
    this.log('warn', reason);
    this.setState({ phase: 'failed', reason });
  }

  protected cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  protected setState(state: SourceState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  protected warn(message: string): void {
    this.log('warn', message);
    this.warnEmitter.fire(message);
  }

  protected log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.deps.log[level](`[${this.config.name}] ${message}`);
  }
}

export function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}
