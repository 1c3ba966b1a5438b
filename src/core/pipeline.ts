// source → decoder → store → rules: everything that happens to one received message, with no
// VS Code in sight. Views (status bar, panel) pull from here when their coalescing timers fire.

import type { ConnectionRow, Decoded, DecodeResult, Disposable, Logger, Sample, SourceConfig } from './model';
import type { AlertView, RuleView, SourceState, SummaryView, ThresholdPatch } from '../shared/views';
import type { SnoozeDuration } from '../shared/vocabulary';
import type { StoreOptions, SeriesInfo } from './series/store';
import type { Rule } from './rules/thresholds';
import type { SummaryOptions } from './views/summary';
import { decodeMessage } from './decode/decode';
import { truncate } from './decode/values';
import { applyOverrides as applySeriesOverrides } from './decode/overrides';
import { HistogramTracker } from './series/histogram';
import { MetricStore } from './series/store';
import { RuleEngine } from './rules/engine';
import { LiveHeadline } from './views/headline';
import { AlertBook } from './rules/alerts';
import { applyOverrides, parseThresholdSettings } from './rules/thresholds';
import { Emitter } from './events';
import { RateMeter } from './series/rateMeter';
import type { Clock } from './series/clock';
import { SteadyClock } from './series/clock';

export interface PipelineOptions {
  readonly store: StoreOptions;
  readonly noDataMode: 'alert' | 'keepLast';
  readonly noDataAfterMs: number;
  readonly maxMessageChars: number;
  /** How the headline (status bar, gauges) combines labelled series; defaults when absent. */
  readonly summary?: SummaryOptions;
}

export interface SourceRuntime {
  readonly config: SourceConfig;
  state: SourceState;
  lastMessageAt: number | null;
  readonly meter: RateMeter;
  /** The problem now (cleared once good data flows again); connection failures included. */
  lastError: string | null;
  connections: readonly ConnectionRow[];
  messages: number;
  bytes: number;
  decodeErrors: number;
  /** Errors reported so far (decode failures, server `error` messages, transport warnings). */
  errorCount: number;
  /** The last of those, kept after the source recovers, and when it happened. */
  lastReportedError: string | null;
  lastErrorAt: number | null;
}

/** What can change besides series values: series created or dropped, a source's state, alerts, a source's connections, rules, history cleared. */
export const CHANGE_KINDS = ['createdSeries', 'source', 'alerts', 'connections', 'rules', 'cleared'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What changed, so coalescing views can send only that: the ids of series whose values moved, and a flag per kind. */
export type PipelineChange = { readonly [K in ChangeKind]?: boolean } & {
  readonly sourceId: string;
  readonly series?: readonly string[];
};

export interface RestartHook {
  /** Called with each message's samples; true when the server restarted since the last one. */
  observe(sourceId: string, samples: readonly Sample[]): boolean;
}

export class Pipeline implements Disposable {
  readonly store: MetricStore;
  private book = new AlertBook();
  private readonly histograms = new HistogramTracker();
  private readonly engine: RuleEngine;
  private readonly runtimes = new Map<string, SourceRuntime>();
  private readonly changes = new Emitter<PipelineChange>();
  private readonly firing = new Emitter<readonly AlertView[]>();
  private readonly restarted = new Emitter<{ sourceId: string; at: number }>();
  private overrides = new Map<string, ThresholdPatch>();
  private thresholdsSetting: unknown = [];
  private useDefaultRules = true;
  private ruleViews: readonly RuleView[] = [];
  private rules: readonly Rule[] = [];
  private ruleProblems: readonly string[] = [];
  private options: PipelineOptions;
  private restartHook: RestartHook | undefined;
  private readonly live: LiveHeadline;
  /** The series of one message, handed to the rules (reused: the engine keeps no reference to it). */
  private readonly changedScratch: SeriesInfo[] = [];

  /** Something changed; views coalesce these. */
  readonly onDidChange = this.changes.event;
  /** Alerts that just started firing (visible: not snoozed or dismissed). */
  readonly onDidFire = this.firing.event;
  readonly onDidDetectRestart = this.restarted.event;

  /** Receive times, intervals, ages and no-data all read this clock (never Date.now: it steps). */
  readonly clock: Clock;

  constructor(
    options: PipelineOptions,
    private readonly log: Logger,
    clock?: Clock,
  ) {
    this.clock = clock ?? new SteadyClock({ onStep: (message) => log.warn(message) });
    this.options = options;
    this.store = new MetricStore(options.store);
    this.live = new LiveHeadline(this.store);
    this.engine = new RuleEngine({ noDataMode: options.noDataMode === 'keepLast' ? 'keep' : 'alert', noDataAfterMs: options.noDataAfterMs });
    this.applyRules();
  }

  configure(options: PipelineOptions): void {
    this.options = options;
    this.store.configure(options.store);
    this.engine.configure({ noDataMode: options.noDataMode === 'keepLast' ? 'keep' : 'alert', noDataAfterMs: options.noDataAfterMs });
  }

  get summaryOptions(): SummaryOptions | undefined {
    return this.options.summary;
  }

  /** The workspace headline (sources in settings order), computed when read if the series changed. */
  headline(): SummaryView {
    return this.live.read([...this.runtimes.keys()], this.options.summary);
  }

  /** One source's headline from its own series, computed like headline(). */
  sourceHeadline(sourceId: string): SummaryView {
    return this.live.readSource(sourceId, this.options.summary);
  }

  get alerts(): AlertBook {
    return this.book;
  }

  /** Alerts restored from workspace state join the live book (sources may have connected first). */
  restoreAlerts(book: AlertBook): void {
    this.book.adoptRestored(book);
    this.changes.fire({ sourceId: '*', alerts: true });
  }

  setRestartHook(hook: RestartHook): void {
    this.restartHook = hook;
  }

  // ------------------------------------------------------------------ sources

  /** Makes the runtimes match the configured sources; keeps history of sources that stay. */
  setSources(configs: readonly SourceConfig[]): void {
    const wanted = new Map(configs.map((c) => [c.id, c]));
    for (const id of [...this.runtimes.keys()]) {
      const next = wanted.get(id);
      const current = this.runtimes.get(id);
      if (!next || (current && (current.config.url !== next.url || current.config.kind !== next.kind))) {
        this.runtimes.delete(id);
        this.histograms.forget(id);
      }
    }
    for (const config of configs) {
      const current = this.runtimes.get(config.id);
      if (current) {
        this.runtimes.set(config.id, { ...current, config });
      } else {
        this.runtimes.set(config.id, {
          config,
          state: { phase: 'idle' },
          lastMessageAt: null,
          meter: new RateMeter(),
          lastError: null,
          connections: [],
          messages: 0,
          bytes: 0,
          decodeErrors: 0,
          errorCount: 0,
          lastReportedError: null,
          lastErrorAt: null,
        });
      }
    }
    this.changes.fire({ sourceId: '*', source: true });
  }

  sources(): readonly SourceRuntime[] {
    return [...this.runtimes.values()];
  }

  source(id: string): SourceRuntime | undefined {
    return this.runtimes.get(id);
  }

  setState(sourceId: string, state: SourceState): void {
    const rt = this.runtimes.get(sourceId);
    if (!rt) return;
    const wasOpen = rt.state.phase === 'open';
    rt.state = state;
    if (state.phase === 'failed' || state.phase === 'reconnecting') rt.lastError = state.reason;
    if (state.phase === 'open' && !wasOpen) rt.lastError = null;
    this.changes.fire({ sourceId, source: true });
  }

  /** A problem the transport reported (payload too large, timeout…): shown on the source. */
  warn(sourceId: string, message: string, at: number = this.clock.now()): void {
    const rt = this.runtimes.get(sourceId);
    if (!rt) return;
    rt.lastError = message;
    noteError(rt, message, at);
    this.changes.fire({ sourceId, source: true });
  }

  // ------------------------------------------------------------------ messages

  /** One received message, `receivedAt` read from `clock`. Never throws: a bad message is counted, logged and shown. */
  handle(sourceId: string, payload: string, receivedAt: number, bytes = payload.length): void {
    const rt = this.runtimes.get(sourceId);
    if (!rt) return;
    this.ingestDecoded(sourceId, decodeMessage(payload, rt.config.format, { now: receivedAt, maxLength: this.options.maxMessageChars }), receivedAt, bytes);
  }

  /** A message its transport decoded itself (OTLP): counted, shown and stored like one `handle` decoded. */
  ingestDecoded(sourceId: string, result: DecodeResult, receivedAt: number, bytes: number): void {
    const rt = this.runtimes.get(sourceId);
    if (!rt) return;
    rt.messages++;
    rt.bytes += bytes;
    rt.meter.add(receivedAt);
    rt.lastMessageAt = receivedAt;
    if (!result.ok) {
      rt.decodeErrors++;
      rt.lastError = `Could not decode a message: ${result.error}`;
      noteError(rt, rt.lastError, receivedAt);
      this.log.warn(`[${rt.config.name}] ${rt.lastError}`);
      this.changes.fire({ sourceId, source: true });
      return;
    }
    this.ingest(rt, applySeriesOverrides(result.value, rt.config.overrides), receivedAt);
  }

  private ingest(rt: SourceRuntime, decoded: Decoded, at: number): void {
    const sourceId = rt.config.id;
    const errorBefore = rt.lastError;
    if (decoded.serverError !== undefined) {
      rt.lastError = `Server error: ${decoded.serverError}`;
      noteError(rt, rt.lastError, at);
      this.log.warn(`[${rt.config.name}] ${rt.lastError}`);
    } else if (rt.lastError !== null && rt.state.phase === 'open' && !decoded.ignored) {
      rt.lastError = null;
    }
    if (decoded.ignored) {
      if (errorBefore !== rt.lastError || decoded.serverError !== undefined) this.changes.fire({ sourceId, source: true });
      return;
    }

    let backfilled = 0;
    if (decoded.backfill) for (const b of decoded.backfill) if (this.store.backfill(sourceId, b) !== undefined) backfilled++;

    let samples: readonly Sample[] = decoded.samples;
    if (decoded.histograms && decoded.histograms.length > 0) {
      samples = samples.concat(this.histograms.toSamples(sourceId, decoded.histograms));
    }
    if (this.restartHook?.observe(sourceId, samples)) {
      this.alerts.serverRestarted(sourceId);
      this.restarted.fire({ sourceId, at });
    }
    const result = this.store.ingest(sourceId, samples, at, decoded.timestamp, decoded.collectedAt);
    const change: { -readonly [K in keyof PipelineChange]: PipelineChange[K] } = { sourceId, series: result.changed, source: errorBefore !== rt.lastError || decoded.serverError !== undefined };
    if (result.created > 0 || result.dropped > 0 || backfilled > 0) change.createdSeries = true;
    if (decoded.connections) {
      rt.connections = decoded.connections;
      change.connections = true;
    }
    let alertsChanged = false;
    if (decoded.alerts) {
      const { newlyFiring } = this.alerts.mergeServerAlerts(sourceId, decoded.alerts, at);
      if (newlyFiring.length > 0) this.firing.fire(newlyFiring);
      alertsChanged = true;
    }
    if (result.changed.length > 0) {
      const changed = this.changedScratch;
      changed.length = 0;
      for (const id of result.changed) {
        const info = this.store.get(id);
        if (info) changed.push(info);
      }
      const transitions = this.engine.evaluate(changed, at);
      changed.length = 0;
      if (this.applyTransitions(transitions, at)) alertsChanged = true;
    }
    if (alertsChanged) change.alerts = true;
    this.changes.fire(change);
  }

  /** History and alerts were restored from storage: views refresh everything. */
  notifyRestored(): void {
    this.changes.fire({ sourceId: '*', createdSeries: true, alerts: true, rules: true });
  }

  /** Periodic evaluation over every series, so silent sources reach "no data". `now` read from `clock`. */
  tick(now: number): void {
    const ruleChanged = this.applyTransitions(this.engine.evaluate(this.store.list(), now), now);
    // A server that stopped talking cannot say its alerts are over: they end with the no-data window.
    const serverChanged = this.alerts.expireServerAlerts(now, (id) => {
      const rt = this.runtimes.get(id);
      return rt === undefined || rt.lastMessageAt === null || now - rt.lastMessageAt >= this.options.noDataAfterMs;
    });
    if (ruleChanged || serverChanged) this.changes.fire({ sourceId: '*', alerts: true });
  }

  private applyTransitions(transitions: ReturnType<RuleEngine['evaluate']>, now: number): boolean {
    if (transitions.length === 0) return false;
    const { newlyFiring } = this.alerts.apply(transitions, now);
    if (newlyFiring.length > 0) this.firing.fire(newlyFiring);
    return true;
  }

  // ------------------------------------------------------------------ thresholds

  setThresholdSettings(value: unknown, useDefaults: boolean): void {
    this.thresholdsSetting = value;
    this.useDefaultRules = useDefaults;
    this.applyRules();
  }

  setOverrides(overrides: ReadonlyMap<string, ThresholdPatch>): void {
    this.overrides = new Map(overrides);
    this.applyRules();
  }

  setOverride(ruleId: string, patch: ThresholdPatch): string | undefined {
    if (!this.ruleViews.some((r) => r.id === ruleId)) return `No threshold rule "${ruleId}"`;
    const before = this.overrides.get(ruleId);
    this.overrides.set(ruleId, { ...before, ...patch });
    const problems = this.applyRules();
    const own = problems.find((p) => p.includes(`"${ruleId}"`));
    if (own) {
      if (before) this.overrides.set(ruleId, before);
      else this.overrides.delete(ruleId);
      this.applyRules();
      return own;
    }
    return undefined;
  }

  resetOverride(ruleId: string): void {
    this.overrides.delete(ruleId);
    this.applyRules();
  }

  overridesSnapshot(): ReadonlyMap<string, ThresholdPatch> {
    return this.overrides;
  }

  private applyRules(): readonly string[] {
    const parsed = parseThresholdSettings(this.thresholdsSetting, this.useDefaultRules);
    const applied = applyOverrides(parsed, this.overrides);
    this.rules = applied.rules;
    this.ruleViews = applied.views;
    this.ruleProblems = [...parsed.problems, ...applied.problems];
    this.engine.setRules(this.rules);
    this.changes.fire({ sourceId: '*', rules: true });
    return applied.problems;
  }

  ruleList(): readonly Rule[] {
    return this.rules;
  }

  rulesView(): readonly RuleView[] {
    return this.ruleViews;
  }

  thresholdProblems(): readonly string[] {
    return this.ruleProblems;
  }

  // ------------------------------------------------------------------ alerts

  acknowledge(alertId: string): void {
    this.alerts.acknowledge(alertId);
    this.changes.fire({ sourceId: '*', alerts: true });
  }

  dismiss(alertId: string): void {
    this.alerts.dismiss(alertId);
    this.changes.fire({ sourceId: '*', alerts: true });
  }

  dismissAll(): void {
    this.alerts.dismissAll();
    this.changes.fire({ sourceId: '*', alerts: true });
  }

  snooze(alertId: string, duration: SnoozeDuration, now: number): void {
    this.alerts.snooze(alertId, duration, now);
    this.changes.fire({ sourceId: '*', alerts: true });
  }

  snoozeAll(duration: SnoozeDuration, now: number): void {
    this.alerts.snoozeAll(duration, now);
    this.changes.fire({ sourceId: '*', alerts: true });
  }

  clearHistory(): void {
    this.store.clear();
    this.alerts.clear();
    for (const rt of this.runtimes.values()) {
      rt.connections = [];
      this.histograms.forget(rt.config.id);
    }
    this.changes.fire({ sourceId: '*', cleared: true, alerts: true, source: true, connections: true });
  }

  dispose(): void {
    this.changes.dispose();
    this.firing.dispose();
    this.restarted.dispose();
  }
}

/** Reported error texts kept for the views (decoders already bound what servers send; transports may not). */
const MAX_REPORTED_ERROR = 600;

/** Counts an error a source reported and keeps its text and time for the panel and the tooltip. */
function noteError(rt: SourceRuntime, text: string, at: number): void {
  rt.errorCount++;
  rt.lastReportedError = truncate(text, MAX_REPORTED_ERROR);
  rt.lastErrorAt = at;
}
