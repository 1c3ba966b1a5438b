// The one base of every source: its events, the state users see, start/stop/reconnect/dispose,
// backoff and the retry timer, warnings. Subclasses say how to connect and what to drop.
import { Emitter } from '../core/events';
import type { SourceConfig } from '../core/model';
import type { SourceState } from '../shared/views';
import { Backoff } from './backoff';
import { displayUrl } from './httpGet';
import type { Received, Transport, TransportDeps } from './transport';

export abstract class TransportBase implements Transport {
  private readonly stateEmitter = new Emitter<SourceState>();
  private readonly receiveEmitter = new Emitter<Received>();
  private readonly warnEmitter = new Emitter<string>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidReceive = this.receiveEmitter.event;
  readonly onDidWarn = this.warnEmitter.event;

  private current: SourceState = { phase: 'idle' };
  /** The next attempt (or, for polled sources, the next poll). */
  private timer: NodeJS.Timeout | undefined;
  /** The warning last given by warnOnce, so a repeating problem is reported once. */
  private lastWarning: string | undefined;
  protected readonly backoff: Backoff;
  protected readonly now: () => number;
  protected disposed = false;
  /** Logged when the user stops an active source. */
  protected readonly stopMessage: string = 'disconnected by the user';

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
    this.lastWarning = undefined;
    if (this.starting()) this.connect();
  }

  stop(): void {
    this.halt(true);
    if (this.current.phase !== 'closed' && this.current.phase !== 'idle') {
      this.log('info', this.stopMessage);
      this.setState({ phase: 'closed' });
    }
  }

  reconnect(): void {
    if (this.disposed) return;
    this.halt(false);
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

  /** One attempt: connect, listen or poll. Called by start, reconnect and the retry timer. */
  protected abstract connect(): void;

  /** Forget what the current attempt holds: no more events from it. `graceful` when the user stopped it. */
  protected abstract drop(graceful: boolean): void;

  /** Before start() connects: log, check the configuration; false when it must not connect. */
  protected starting(): boolean {
    return true;
  }

  /** Whether the next attempt is already on its way: scheduled (polled sources add: or in flight). */
  protected pending(): boolean {
    return this.timer !== undefined;
  }

  /** The URL to connect to, or undefined after failing with `${invalid} "<url>"`. */
  protected parseUrl(invalid: string): URL | undefined {
    try {
      return new URL(this.config.url);
    } catch {
      this.fail(`${invalid} "${displayUrl(this.config.url)}"`);
      return undefined;
    }
  }

  /** Announce a state; false when a state listener stopped, restarted or disposed us meanwhile. */
  private announce(state: SourceState): boolean {
    this.setState(state);
    return this.current === state;
  }

  protected announceConnecting(): boolean {
    return this.announce({ phase: 'connecting', attempt: this.backoff.attempt });
  }

  /** A poll answered: open (if not yet), backoff and warnings reset. False when a state listener stopped us. */
  protected answered(okMessage: string): boolean {
    if (this.current.phase !== 'open') {
      this.log('info', okMessage);
      if (!this.announce({ phase: 'open', since: this.now() })) return false;
    }
    this.backoff.reset();
    this.lastWarning = undefined;
    return true;
  }

  /** Back off and try again; the next attempt waits at least `minDelayMs`. `from`: when the attempt ended (default now). */
  protected retryLater(reason: string, minDelayMs: number, wording: string, from?: number): void {
    const step = this.backoff.next();
    const delayMs = Math.max(step.delayMs, minDelayMs);
    this.log('info', `${reason}; ${wording} ${seconds(delayMs)}`);
    // Armed before the state is announced, so a listener that calls stop() can cancel it.
    this.schedule(delayMs);
    this.setState({ phase: 'reconnecting', retryAt: (from ?? this.now()) + delayMs, attempt: step.attempt, reason });
  }

  /** A poll failed: warn (once per reason) when asked, back off, but never poll faster than the configured interval. */
  protected retryPoll(reason: string, warn: boolean, wording: string): void {
    // A warning listener may have stopped or restarted polling.
    if (warn && this.warnOnce(reason) && (this.disposed || this.pending() || this.current.phase === 'closed')) return;
    this.retryLater(reason, this.config.pollIntervalMs, wording);
  }

  /** Run connect() after `delayMs`, replacing any pending attempt. */
  protected schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, delayMs);
  }

  protected fail(reason: string): void {
    this.halt(false);
    this.log('warn', reason);
    this.setState({ phase: 'failed', reason });
  }

  protected setState(state: SourceState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  protected receive(received: Received): void {
    this.receiveEmitter.fire(received);
  }

  protected warn(message: string): void {
    this.log('warn', message);
    this.warnEmitter.fire(message);
  }

  /** Warn unless this was the last warning given; true when it warned. */
  protected warnOnce(message: string): boolean {
    if (message === this.lastWarning) return false;
    this.lastWarning = message;
    this.warn(message);
    return true;
  }

  protected clearWarning(): void {
    this.lastWarning = undefined;
  }

  protected log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.deps.log[level](`[${this.config.name}] ${message}`);
  }

  /** Cancel the pending attempt and drop the current one. */
  private halt(graceful: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.drop(graceful);
    this.lastWarning = undefined;
  }
}

export function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}
