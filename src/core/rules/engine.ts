// Evaluates threshold rules against the series on every update and reports state transitions.
//
// Per (rule, series) pair: ok → pending (condition holds) → firing (held for `forSeconds`) →
// resolved (value crossed back past `clear`). Severity follows the value while pending/firing.
// A transition with from === to is an update: the value or severity of an active alert changed.

import type { AlertState, Severity, Unit } from '../../shared/vocabulary';
import type { Rule } from './thresholds';
import type { SeriesInfo } from '../series/store';
import type { LabelMatcher, MetricMatcher } from '../series/glob';
import { compileLabelMatcher, compileMetricPattern } from '../series/glob';
import { Baseline, anomalyFloor } from './anomaly';
import type { BaselineOptions } from './anomaly';
import { convertUnit } from '../series/units';
import { levelOf, bandThreshold } from './level';
import { checkAnomaly } from './anomalyCheck';
import { isStale } from './staleness';
import { transition } from './transition';
import type { EngineState } from './transition';
import { messageFor } from './message';
import type { AlertNews } from './message';

export interface AlertTransition {
  readonly alertId: string;
  readonly ruleId: string;
  readonly seriesId: string;
  readonly sourceId: string;
  readonly from: AlertState | 'ok';
  readonly to: AlertState | 'ok';
  readonly severity: Severity;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly at: number;
  readonly message: string;
  /** Unit of value and threshold. */
  readonly unit?: Unit;
  readonly direction?: 'above' | 'below';
}

export interface RuleEngineOptions {
  /** `keepLast` (the setting's spelling) is the same as `keep`. */
  readonly noDataMode: 'keep' | 'keepLast' | 'alert';
  readonly noDataAfterMs: number;
  readonly baseline?: BaselineOptions;
}

interface CompiledRule {
  readonly rule: Rule;
  readonly metric: MetricMatcher;
  readonly labels: LabelMatcher;
}

interface MatchEntry {
  series: SeriesInfo;
  readonly rules: readonly CompiledRule[];
  /** The tracked pair of each rule (same index), so an evaluation needs no alert-id lookup. */
  readonly pairs: Array<PairState | undefined>;
}

interface PairState {
  readonly ruleId: string;
  readonly seriesId: string;
  /** The series as last evaluated (for transitions produced outside evaluate). */
  series: SeriesInfo;
  state: EngineState;
  /** When the condition started to hold (pending start). */
  since: number;
  severity: Severity;
  value: number | null;
  threshold: number | null;
  /** changedAt of the last sample fed to the baseline. */
  lastUpdate: number;
  baseline: Baseline | null;
  wasFiring: boolean;
}

const MAX_CACHED_SERIES = 250_000;

export function alertId(ruleId: string, seriesId: string): string {
  return `${ruleId}|${seriesId}`;
}

/** Values and thresholds are shown in the rule's unit, or the series' when the rule has none. */
function displayUnit(rule: Rule, s: SeriesInfo): Unit {
  return rule.unit === 'none' ? s.unit : rule.unit;
}

export class RuleEngine {
  private options: RuleEngineOptions;
  private compiled: CompiledRule[] = [];
  private byId = new Map<string, CompiledRule>();
  private readonly matchCache = new Map<string, MatchEntry>();
  private readonly states = new Map<string, PairState>();
  /** Newest updatedAt seen per source: a source is silent when even this is old. */
  private readonly sourceLatest = new Map<string, number>();
  /** Transitions produced by setRules/forget, reported by the next evaluate. */
  private queued: Array<Omit<AlertTransition, 'at'>> = [];

  constructor(options: RuleEngineOptions) {
    this.options = options;
  }

  configure(options: RuleEngineOptions): void {
    this.options = options;
  }

  /** Replaces the rules. Alerts of rules that are gone (or no longer match) end at the next evaluate. */
  setRules(rules: readonly Rule[]): void {
    const compiled: CompiledRule[] = [];
    for (const rule of rules) {
      const metric = compileMetricPattern(rule.metric);
      if (metric === undefined) continue;
      compiled.push({ rule, metric, labels: compileLabelMatcher(rule.labels) });
    }
    const byId = new Map(compiled.map((c) => [c.rule.id, c] as const));
    for (const [key, st] of this.states) {
      const c = byId.get(st.ruleId);
      const series = st.series;
      const stillMatches = c !== undefined && c.metric(series) && c.labels(series.labels);
      const old = this.byId.get(st.ruleId)?.rule;
      if (stillMatches && c.rule.anomaly === null) st.baseline = null;
      else if (stillMatches && old !== undefined && old.anomaly === null) st.baseline = new Baseline(this.options.baseline);
      if (stillMatches) continue;
      this.states.delete(key);
      if (st.state !== 'ok' && old !== undefined) this.queued.push(this.ending(old, series, st, 'rule removed or changed'));
    }
    this.compiled = compiled;
    this.byId = byId;
    this.matchCache.clear();
  }

  /** Forgets series that no longer exist (their alerts end at the next evaluate). */
  forget(seriesIds: Iterable<string>): void {
    const gone = new Set(seriesIds);
    if (gone.size === 0) return;
    for (const [key, st] of this.states) {
      if (!gone.has(st.seriesId)) continue;
      this.states.delete(key);
      const rule = this.byId.get(st.ruleId)?.rule;
      if (st.state !== 'ok' && rule !== undefined) this.queued.push(this.ending(rule, st.series, st, 'series removed'));
    }
    for (const id of gone) this.matchCache.delete(id);
  }

  clear(): void {
    this.states.clear();
    this.sourceLatest.clear();
    this.matchCache.clear();
    this.queued = [];
  }

  /**
   * Evaluates every rule against every series it matches. Pass all series (store.list()), silent
   * ones included: that is how "no data" is noticed. Series holding only restored history are skipped.
   */
  evaluate(series: readonly SeriesInfo[], now: number): AlertTransition[] {
    const out: AlertTransition[] = this.queued.length === 0 ? [] : this.queued.map((t) => ({ ...t, at: now }));
    if (out.length > 0) this.queued = [];
    // Series come grouped by source (one message's, or the store's order): one map update per run.
    let source: string | undefined;
    let newest = 0;
    for (const s of series) {
      if (s.restored === true) continue;
      if (s.sourceId !== source) {
        if (source !== undefined) this.noteLatest(source, newest);
        source = s.sourceId;
        newest = s.updatedAt;
      } else if (s.updatedAt > newest) newest = s.updatedAt;
    }
    if (source !== undefined) this.noteLatest(source, newest);
    for (const s of series) {
      if (s.restored === true) continue;
      const entry = this.entry(s);
      for (let i = 0; i < entry.rules.length; i++) this.evaluatePair(entry, i, s, now, out);
    }
    if (this.matchCache.size > MAX_CACHED_SERIES) this.matchCache.clear(); // series that left; rebuilt on demand
    return out;
  }

  private noteLatest(sourceId: string, updatedAt: number): void {
    const latest = this.sourceLatest.get(sourceId);
    if (latest === undefined || updatedAt > latest) this.sourceLatest.set(sourceId, updatedAt);
  }

  /** Rules matching a series (cached per series id; recomputed when its name, role or labels change). */
  matches(s: SeriesInfo): readonly CompiledRule[] {
    return this.entry(s).rules;
  }

  /** The series' rules and pairs: matched once per series, again only when its role or name changes (or the rules do). */
  private entry(s: SeriesInfo): MatchEntry {
    const cached = this.matchCache.get(s.id);
    if (cached !== undefined && cached.series.role === s.role && cached.series.name === s.name) {
      cached.series = s;
      return cached;
    }
    const rules = this.compiled.filter((c) => c.metric(s) && c.labels(s.labels));
    const entry: MatchEntry = { series: s, rules, pairs: rules.map((c) => this.states.get(alertId(c.rule.id, s.id))) };
    this.matchCache.set(s.id, entry);
    return entry;
  }

  private evaluatePair(entry: MatchEntry, index: number, s: SeriesInfo, now: number, out: AlertTransition[]): void {
    const rule = (entry.rules[index] as CompiledRule).rule;
    let st = entry.pairs[index];
    const unit = displayUnit(rule, s);
    const active = st !== undefined && st.state !== 'ok';
    if (this.options.noDataMode === 'alert' && isStale(now, s.updatedAt, this.sourceLatest.get(s.sourceId), active, this.options.noDataAfterMs)) {
      this.silent(st ?? this.track(entry, index, rule, s), rule, s, now, out);
      return;
    }

    const raw = s.value;
    if (raw === null || !Number.isFinite(raw)) return;
    const v = rule.unit === 'none' ? raw : convertUnit(raw, s.unit, rule.unit);
    let level = levelOf(rule, v);
    let baseline: number | null = null;
    if (rule.anomaly !== null) {
      st ??= this.track(entry, index, rule, s);
      const model = st.baseline ?? (st.baseline = new Baseline(this.options.baseline));
      const verdict = model.check(v, rule.anomaly, rule.direction, anomalyFloor(unit), now);
      ({ level, baseline } = checkAnomaly(level, verdict, st.state !== 'ok'));
    }
    if (st === undefined) {
      if (level.severity === null) return;
      st = this.track(entry, index, rule, s);
    }

    st.series = s;
    const from = st.state;
    const prevSeverity = st.severity;
    const prevValue = st.value;
    const next = transition(st, {
      breaching: level.severity !== null,
      cleared: level.cleared,
      heldLongEnough: now - st.since >= rule.forSeconds * 1000,
      immediate: rule.forSeconds <= 0,
    });
    // Inside the hysteresis band: still firing, at the lowest severity.
    const band = next.state === 'firing' && level.severity === null;
    const severity = band ? 'warning' : level.severity;
    const threshold = band ? bandThreshold(rule) : level.threshold;

    if (next.restartClock) st.since = now;
    st.state = next.state;
    st.wasFiring = next.wasFiring;
    st.value = v;
    if (severity !== null) st.severity = severity;
    st.threshold = threshold ?? st.threshold;

    // The baseline learns only from normal values, so a sustained spike is not absorbed; and once
    // per producer update (changedAt), not once per repeated message.
    const pointAt = s.changedAt ?? s.updatedAt;
    if (rule.anomaly !== null && st.baseline !== null && pointAt !== st.lastUpdate) {
      st.lastUpdate = pointAt;
      if (next.state === 'ok' && severity === null) st.baseline.observe(v, pointAt);
    }

    const changed = from !== next.state || (next.state !== 'ok' && (prevSeverity !== st.severity || prevValue !== v));
    if (changed) {
      const news: AlertNews =
        next.state === 'ok'
          ? { kind: 'back', value: v }
          : baseline !== null
            ? { kind: 'anomaly', value: v, baseline, direction: rule.direction }
            : { kind: 'level', value: v, severity: st.severity, threshold: st.threshold, direction: rule.direction };
      out.push(this.transitionOf(rule, s, st, from, next.to, now, st.severity, () => messageFor(s, unit, news)));
    }
    if (next.state === 'ok' && st.baseline === null) {
      this.states.delete(alertId(rule.id, s.id));
      entry.pairs[index] = undefined;
    }
  }

  private silent(st: PairState, rule: Rule, s: SeriesInfo, now: number, out: AlertTransition[]): void {
    const from = st.state;
    const next = transition(st, 'noData');
    if (next.state === from) return;
    st.state = next.state;
    st.wasFiring = next.wasFiring;
    const silentMs = now - s.updatedAt;
    out.push(this.transitionOf(rule, s, st, from, next.to, now, 'warning', () => messageFor(s, displayUnit(rule, s), { kind: 'noData', silentMs })));
  }

  /** A new pair in state ok, tracked under its alert id and in the series' entry. */
  private track(entry: MatchEntry, index: number, rule: Rule, series: SeriesInfo): PairState {
    const st = this.fresh(rule, series);
    this.states.set(alertId(rule.id, series.id), st);
    entry.pairs[index] = st;
    return st;
  }

  private fresh(rule: Rule, series: SeriesInfo): PairState {
    return {
      ruleId: rule.id,
      seriesId: series.id,
      series,
      state: 'ok',
      since: 0,
      severity: 'warning',
      value: null,
      threshold: null,
      lastUpdate: NaN,
      baseline: rule.anomaly !== null ? new Baseline(this.options.baseline) : null,
      wasFiring: false,
    };
  }

  /**
   * One transition, built in one object (an active alert's update is one per message). Its text is
   * formatted when first read: an active alert's value changes with every message, its text is read
   * at the rate views refresh. `message` reads only values fixed by now (series info, news).
   */
  private transitionOf(rule: Rule, s: SeriesInfo, st: PairState, from: AlertTransition['from'], to: AlertTransition['to'], at: number, severity: Severity, message: () => string): AlertTransition {
    let text: string | undefined;
    return {
      alertId: alertId(rule.id, s.id),
      ruleId: rule.id,
      seriesId: s.id,
      sourceId: s.sourceId,
      from,
      to,
      severity,
      value: st.value,
      threshold: st.threshold,
      at,
      get message(): string {
        text ??= message();
        return text;
      },
      unit: displayUnit(rule, s),
      direction: rule.direction,
    };
  }

  private base(rule: Rule, s: SeriesInfo, st: PairState): Pick<AlertTransition, 'alertId' | 'ruleId' | 'seriesId' | 'sourceId' | 'value' | 'threshold' | 'unit' | 'direction'> {
    return {
      alertId: alertId(rule.id, s.id),
      ruleId: rule.id,
      seriesId: s.id,
      sourceId: s.sourceId,
      value: st.value,
      threshold: st.threshold,
      unit: displayUnit(rule, s),
      direction: rule.direction,
    };
  }

  private ending(rule: Rule, s: SeriesInfo, st: PairState, why: string): Omit<AlertTransition, 'at'> {
    const from = st.state;
    return {
      ...this.base(rule, s, st),
      from,
      to: from === 'pending' ? 'ok' : 'resolved',
      severity: st.severity,
      message: messageFor(s, displayUnit(rule, s), { kind: 'ended', why }),
    };
  }
}
