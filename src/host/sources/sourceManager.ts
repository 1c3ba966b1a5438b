// Keeps one transport per configured source and feeds what they receive into the pipeline.
// No VS Code import: trust, tokens and confirmations come in as functions, so this is tested in Node.

import type { Disposable, Logger, SourceConfig } from '../../core/model';
import type { Pipeline } from '../../core/pipeline';
import type { Received, Transport, TransportDeps } from '../../sources/transport';
import { createTransport } from '../../sources/transport';
import { isLoopbackUrl } from '../../core/settings/settings';
import { DerivedSources } from './derivedSources';

export interface SourceManagerDeps {
  readonly pipeline: Pipeline;
  readonly log: Logger;
  getToken(sourceId: string): Promise<string | undefined>;
  isTrusted(): boolean;
  /** Asked once per non-loopback URL that comes from workspace settings; resolves to the user's answer. */
  confirmRemote(config: SourceConfig): Promise<boolean>;
  readonly create?: (config: SourceConfig, deps: TransportDeps) => Transport;
  /** A service of a receiver that has sent nothing for this long is no longer shown as connected. Default 3 min. */
  readonly serviceStaleMs?: number;
}

interface Running {
  readonly config: SourceConfig;
  readonly key: string;
  readonly transport: Transport;
  readonly listeners: Disposable[];
}

export const UNTRUSTED_REASON =
  'This workspace is not trusted, so sources from its settings are not used. Trust the workspace, or define the source in your user settings.';

export class SourceManager implements Disposable {
  private readonly running = new Map<string, Running>();
  private configs: readonly SourceConfig[] = [];
  private readonly disabled = new Set<string>();
  private maxPayloadBytes = 4 * 1024 * 1024;
  private generation = 0;
  /** The sources a receiver made for the services that export to it (`<receiverId>/<service>`). */
  private readonly derived: DerivedSources;
  private readonly restored: Disposable;

  constructor(private readonly deps: SourceManagerDeps) {
    this.derived = new DerivedSources({
      log: deps.log,
      now: () => deps.pipeline.clock.now(),
      staleMs: deps.serviceStaleMs ?? 180_000,
      setState: (id, state) => deps.pipeline.setState(id, state),
      warn: (id, message) => deps.pipeline.warn(id, message),
      added: () => deps.pipeline.setSources(this.all),
      receiverState: (id) => this.running.get(id)?.transport.state,
    });
    // Restored history names the services of earlier sessions: their sources come back with it.
    this.restored = deps.pipeline.onDidChange((change) => {
      if (change.sourceId === '*' && change.createdSeries === true) this.derived.adopt(deps.pipeline.store.sourceIds(), this.configs);
    });
  }

  /** The configured sources (what settings define). */
  get sources(): readonly SourceConfig[] {
    return this.configs;
  }

  /** The configured sources and those derived from them (one per service exporting to a receiver). */
  get all(): readonly SourceConfig[] {
    return [...this.configs, ...this.derived.configs()];
  }

  /** A configured or derived source. */
  find(id: string): SourceConfig | undefined {
    return this.configs.find((c) => c.id === id) ?? this.derived.config(id);
  }

  /** The receiver a derived source comes from; undefined for a configured source. */
  receiverOf(id: string): string | undefined {
    return this.derived.receiverOf(id);
  }

  isEnabled(id: string): boolean {
    return !this.disabled.has(this.derived.receiverOf(id) ?? id);
  }

  /** Derived ids stand for their receiver: it is what connects, disconnects and reconnects. */
  private owners(ids: readonly string[]): string[] {
    return [...new Set(ids.map((id) => this.derived.receiverOf(id) ?? id))];
  }

  setDisabled(ids: Iterable<string>): void {
    this.disabled.clear();
    for (const id of ids) this.disabled.add(id);
  }

  disabledIds(): string[] {
    return [...this.disabled];
  }

  /** Makes the transports match the configuration; unchanged sources keep their connection. */
  async apply(configs: readonly SourceConfig[], maxPayloadBytes: number): Promise<void> {
    const generation = ++this.generation;
    const payloadChanged = maxPayloadBytes !== this.maxPayloadBytes;
    this.maxPayloadBytes = maxPayloadBytes;
    this.configs = configs;
    this.derived.retain(configs);
    this.derived.adopt(this.deps.pipeline.store.sourceIds(), configs);
    this.deps.pipeline.setSources(this.all);
    const wanted = new Set(configs.map((c) => c.id));
    for (const [id, r] of this.running) {
      const next = configs.find((c) => c.id === id);
      if (!wanted.has(id) || !next || payloadChanged || keyOf(next) !== r.key) this.stopOne(id);
    }
    const starting: Promise<void>[] = [];
    for (const config of configs) {
      if (this.running.has(config.id)) continue;
      if (this.disabled.has(config.id)) {
        this.deps.pipeline.setState(config.id, { phase: 'closed' });
        continue;
      }
      // Side by side: a source waiting for its token or a confirmation holds up no other.
      starting.push(this.startOne(config, generation));
    }
    await Promise.all(starting);
  }

  private async startOne(config: SourceConfig, generation: number): Promise<void> {
    const { pipeline, log } = this.deps;
    if (config.scope === 'workspace' && !this.deps.isTrusted()) {
      pipeline.setState(config.id, { phase: 'failed', reason: UNTRUSTED_REASON });
      log.warn(`[${config.name}] not connecting: ${UNTRUSTED_REASON}`);
      return;
    }
    if (config.scope === 'workspace' && !isLoopbackUrl(config.url)) {
      let ok = false;
      try {
        ok = await this.deps.confirmRemote(config);
      } catch (e) {
        log.warn(`[${config.name}] could not ask whether to connect: ${String(e)}`);
      }
      if (generation !== this.generation) return;
      if (!ok) {
        pipeline.setState(config.id, { phase: 'failed', reason: `Not connecting to ${config.url}: it is not on this machine and was not confirmed. Run "Pulse: Connect" to be asked again.` });
        return;
      }
    }
    let token: string | undefined;
    try {
      token = await this.deps.getToken(config.id);
    } catch (e) {
      log.warn(`[${config.name}] could not read its token from SecretStorage: ${String(e)}`);
    }
    if (generation !== this.generation || this.running.has(config.id)) return;
    // Receive stamps from the pipeline's steady clock: a wall-clock step must not reach the store.
    const transport = (this.deps.create ?? createTransport)(config, { token, maxPayloadBytes: this.maxPayloadBytes, log, now: () => pipeline.clock.now() });
    const listeners = [
      transport.onDidChangeState((state) => {
        pipeline.setState(config.id, state);
        this.derived.receiverChanged(config.id, state);
        if (state.phase === 'failed') log.warn(`[${config.name}] ${state.reason}`);
      }),
      transport.onDidReceive((m) => this.ingest(m.service === undefined ? config.id : this.derived.route(config, m.service, m.receivedAt), m)),
      transport.onDidWarn((message) => {
        log.warn(`[${config.name}] ${message}`);
        pipeline.warn(config.id, message);
      }),
    ];
    this.running.set(config.id, { config, key: keyOf(config), transport, listeners });
    log.info(`[${config.name}] connecting to ${config.url} (${config.kind}${token ? ', with token' : ''})`);
    transport.start();
  }

  private ingest(id: string, m: Received): void {
    const { pipeline } = this.deps;
    if (m.decoded) pipeline.ingestDecoded(id, m.decoded, m.receivedAt, m.bytes);
    else pipeline.handle(id, m.payload, m.receivedAt, m.bytes);
  }

  private stopOne(id: string): void {
    const r = this.running.get(id);
    if (!r) return;
    this.running.delete(id);
    for (const l of r.listeners) l.dispose();
    r.transport.dispose();
    this.deps.pipeline.setState(id, { phase: 'closed' });
    this.derived.receiverChanged(id, { phase: 'closed' });
  }

  /** Connects the given sources (all when none given), enabling them again. */
  async connect(given?: readonly string[]): Promise<void> {
    const ids = given && this.owners(given);
    for (const id of ids ?? this.configs.map((c) => c.id)) this.disabled.delete(id);
    await this.apply(this.configs, this.maxPayloadBytes);
    for (const id of ids ?? [...this.running.keys()]) {
      const r = this.running.get(id);
      if (r && (r.transport.state.phase === 'closed' || r.transport.state.phase === 'failed' || r.transport.state.phase === 'idle')) r.transport.start();
    }
  }

  disconnect(given?: readonly string[]): void {
    for (const id of given ? this.owners(given) : this.configs.map((c) => c.id)) {
      this.disabled.add(id);
      this.stopOne(id);
    }
  }

  /** Drops and reopens connections now, backoff reset; failed and untrusted sources are tried again. */
  async reconnect(ids?: readonly string[]): Promise<void> {
    const targets = ids ? this.owners(ids) : this.configs.map((c) => c.id);
    for (const id of targets) this.disabled.delete(id);
    for (const id of targets) {
      const r = this.running.get(id);
      if (r) r.transport.reconnect();
    }
    await this.apply(this.configs, this.maxPayloadBytes);
  }

  /** Restarts one source's transport (e.g. its token changed). */
  async restart(id: string): Promise<void> {
    this.stopOne(this.derived.receiverOf(id) ?? id);
    await this.apply(this.configs, this.maxPayloadBytes);
  }

  dispose(): void {
    this.generation++;
    this.derived.dispose();
    this.restored.dispose();
    for (const id of [...this.running.keys()]) {
      const r = this.running.get(id);
      if (!r) continue;
      for (const l of r.listeners) l.dispose();
      r.transport.dispose();
    }
    this.running.clear();
  }
}

function keyOf(c: SourceConfig): string {
  return JSON.stringify([c.url, c.kind, c.format, c.pollIntervalMs, Object.entries(c.headers), c.subscribe ?? null, c.scope, c.promql ?? null]);
}
