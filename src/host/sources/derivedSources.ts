// The sources an OTLP receiver makes for the services exporting to it: `<receiverId>/<service>`, made on
// first sight (at most MAX_PER_RECEIVER; later services fold into the receiver's own source), shown
// "open" while their receiver listens and they have sent within the staleness window.
import type { Disposable, Logger, SourceConfig } from '../../core/model';
import type { SourceState } from '../../shared/views';
import { printable } from '../../sources/httpGet';

export const MAX_PER_RECEIVER = 16;

/** Configured ids never hold a `/` (settings make them from safe characters): derived ones always do. */
export function isDerivedId(id: string): boolean {
  return id.includes('/');
}
const MAX_NAME = 64;

interface Derived {
  readonly config: SourceConfig;
  readonly receiverId: string;
  lastAt: number;
  /** The state last set, so that only changes reach the pipeline. */
  state: SourceState | undefined;
}

export interface DerivedSourcesDeps {
  readonly log: Logger;
  readonly now: () => number;
  readonly staleMs: number;
  setState(id: string, state: SourceState): void;
  warn(id: string, message: string): void;
  /** A source was made: the pipeline must learn of it before anything is ingested for it. */
  added(): void;
  receiverState(receiverId: string): SourceState | undefined;
}

export class DerivedSources implements Disposable {
  private readonly byId = new Map<string, Derived>();
  /** Per receiver: how many exports of services past the limit were folded into it. */
  private readonly folded = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: DerivedSourcesDeps) {}

  configs(): SourceConfig[] {
    return [...this.byId.values()].map((d) => d.config);
  }

  config(id: string): SourceConfig | undefined {
    return this.byId.get(id)?.config;
  }

  receiverOf(id: string): string | undefined {
    return this.byId.get(id)?.receiverId;
  }

  /** The source a message of `service` from `receiver` goes to (made now when new; the receiver's own past the limit). */
  route(receiver: SourceConfig, service: string, at: number): string {
    const name = safeName(service);
    if (name === '') return receiver.id;
    const id = `${receiver.id}/${name}`;
    let d = this.byId.get(id);
    if (!d) {
      if (this.countOf(receiver.id) >= MAX_PER_RECEIVER) return this.fold(receiver);
      d = { config: { ...receiver, id, name }, receiverId: receiver.id, lastAt: at, state: undefined };
      this.byId.set(id, d);
      this.deps.log.info(`[${receiver.name}] service "${name}" exports here: shown as a source of its own`);
      this.deps.added();
    }
    d.lastAt = Math.max(d.lastAt, at);
    this.update(d);
    return id;
  }

  /**
   * Services seen in an earlier session (their history was restored under their ids): shown again,
   * quiet until they send. Only ids of configured receivers that a service could have made.
   */
  adopt(ids: readonly string[], configs: readonly SourceConfig[]): void {
    const adopted: Derived[] = [];
    for (const id of ids) {
      if (!isDerivedId(id) || this.byId.has(id)) continue;
      const cut = id.indexOf('/');
      const receiver = configs.find((c) => c.kind === 'otlp' && c.id === id.slice(0, cut));
      const name = id.slice(cut + 1);
      if (!receiver || name === '' || safeName(name) !== name || this.countOf(receiver.id) >= MAX_PER_RECEIVER) continue;
      const d: Derived = { config: { ...receiver, id, name }, receiverId: receiver.id, lastAt: Number.NEGATIVE_INFINITY, state: undefined };
      this.byId.set(id, d);
      adopted.push(d);
    }
    if (adopted.length === 0) return;
    this.deps.added();
    for (const d of adopted) this.update(d);
  }

  /** The receiver's state changed: its services follow. */
  receiverChanged(receiverId: string, state: SourceState): void {
    for (const d of this.byId.values()) if (d.receiverId === receiverId) this.update(d, state);
  }

  /** Forgets the sources of receivers no longer configured (or no longer OTLP receivers). */
  retain(configs: readonly SourceConfig[]): void {
    const receivers = new Map(configs.filter((c) => c.kind === 'otlp').map((c) => [c.id, c]));
    for (const [id, d] of this.byId) {
      const receiver = receivers.get(d.receiverId);
      if (!receiver) this.byId.delete(id);
      // Settings edits (URL, scope…) reach the services, under their own id and name.
      else this.byId.set(id, { ...d, config: { ...receiver, id: d.config.id, name: d.config.name } });
    }
    for (const id of [...this.folded.keys()]) if (!receivers.has(id)) this.folded.delete(id);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private countOf(receiverId: string): number {
    let n = 0;
    for (const d of this.byId.values()) if (d.receiverId === receiverId) n++;
    return n;
  }

  private fold(receiver: SourceConfig): string {
    const n = (this.folded.get(receiver.id) ?? 0) + 1;
    this.folded.set(receiver.id, n);
    if (n === 1) {
      const message = `more than ${MAX_PER_RECEIVER} services export here: the others are shown under this receiver, told apart by their service label`;
      this.deps.log.warn(`[${receiver.name}] ${message}`);
      this.deps.warn(receiver.id, message);
    }
    return receiver.id;
  }

  private update(d: Derived, receiver = this.deps.receiverState(d.receiverId)): void {
    const next = mirror(receiver, this.deps.now() - d.lastAt <= this.deps.staleMs, d.lastAt);
    if (d.state !== undefined && sameState(d.state, next)) return;
    d.state = next;
    this.deps.setState(d.config.id, next);
    if (next.phase === 'open') this.arm();
  }

  /** While services are shown open, check now and then whether they went quiet. */
  private arm(): void {
    if (this.timer !== undefined) return;
    const period = Math.min(15_000, Math.max(250, this.deps.staleMs / 4));
    this.timer = setInterval(() => {
      let open = 0;
      for (const d of this.byId.values()) {
        this.update(d);
        if (d.state?.phase === 'open') open++;
      }
      if (open === 0) this.dispose();
    }, period);
    this.timer.unref();
  }
}

/** A derived source's state: its receiver's, except that a listening receiver shows a quiet service as idle. */
function mirror(receiver: SourceState | undefined, recent: boolean, lastAt: number): SourceState {
  if (receiver === undefined) return { phase: 'closed' };
  if (receiver.phase !== 'open') return receiver;
  return recent ? { phase: 'open', since: lastAt } : { phase: 'idle' };
}

function sameState(a: SourceState, b: SourceState): boolean {
  // Open stays open from when it opened: messages do not move `since`.
  return (a.phase === 'open' && b.phase === 'open') || JSON.stringify(a) === JSON.stringify(b);
}

/** A service name as a source name: printable, no path separators, at most MAX_NAME characters. */
export function safeName(service: string): string {
  return [...printable(service).replace(/[/\\]/g, '-').trim()].slice(0, MAX_NAME).join('').trim();
}
