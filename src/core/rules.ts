// Evaluates threshold rules against the series on every update and reports state transitions.
//
// Per (rule, series) pair: ok → pending (condition holds) → firing (held for `forSeconds`) →
// resolved (value crossed back past `clear`). Severity follows the value while pending/firing.
// A transition with from === to is an update: the value or severity of an active alert changed.

import type { AlertState } from '../protocol';
import type { Labels, Severity, Unit } from './model';
import type { Rule } from './thresholds';
import type { SeriesInfo } from './store';
import type { LabelMatcher, MetricMatcher } from './glob';
import { compileLabelMatcher, compileMetricPattern } from './glob';
import { Baseline, anomalyFloor } from './anomaly';
import type { BaselineOptions } from './anomaly';
import { convertUnit } from './summary';
import { formatPercent, formatValue } from './format';

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
}

type EngineState = 'ok' | 'pending' | 'firing' | 'nodata';

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

function labelSuffix(labels: Labels): string {
  return labels.length === 0 ? '' : ` {${labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

const ROLE_WORDS: Readonly<Partial<Record<string, string>>> = {
  errorRate: 'error rate',
  cacheHitRatio: 'cache hit ratio',
  storage: 'storage use',
  heap: 'heap',
  rss: 'RSS',
  cpu: 'CPU',
  connections: 'connections',
  pending: 'pending requests',
  subscribers: 'subscribers',
  requestRate: 'request rate',
  requests: 'request rate',
  errors: 'error rate',
};

/** A human name for the series, e.g. "p95 latency {path="/api"}" or "http.errorRate". */
export function describeSeries(s: Pick<SeriesInfo, 'name' | 'labels' | 'role'>): string {
  let base = s.name;
  if (s.role === 'latency') {
    const q = /(?:^|[^a-z0-9])p(50|75|90|95|99|999)(?![0-9])/i.exec(s.name);
    base = q !== null ? `p${q[1]} latency` : 'latency';
  } else if (s.role !== null) {
    base = ROLE_WORDS[s.role] ?? s.name;
  }
  return `${base}${labelSuffix(s.labels)}`;
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
    const out: AlertTransition[] = this.queued.map((t) => ({ ...t, at: now }));
    this.queued = [];
    for (const s of series) {
      if (s.restored === true) continue;
      const latest = this.sourceLatest.get(s.sourceId);
      if (latest === undefined || s.updatedAt > latest) this.sourceLatest.set(s.sourceId, s.updatedAt);
    }
    for (const s of series) {
      if (s.restored === true) continue;
      const rules = this.matches(s);
      for (const c of rules) this.evaluatePair(c.rule, s, now, out);
    }
    if (this.matchCache.size > MAX_CACHED_SERIES) this.matchCache.clear(); // series that left; rebuilt on demand
    return out;
  }

  /** Rules matching a series (cached per series id; recomputed when its name, role or labels change). */
  matches(s: SeriesInfo): readonly CompiledRule[] {
    const cached = this.matchCache.get(s.id);
    if (cached !== undefined && cached.series.role === s.role && cached.series.name === s.name) {
      cached.series = s;
      return cached.rules;
    }
    const rules = this.compiled.filter((c) => c.metric(s) && c.labels(s.labels));
    this.matchCache.set(s.id, { series: s, rules });
    return rules;
  }

  private evaluatePair(rule: Rule, s: SeriesInfo, now: number, out: AlertTransition[]): void {
    const key = alertId(rule.id, s.id);
    let st = this.states.get(key);
    const displayUnit: Unit = rule.unit === 'none' ? s.unit : rule.unit;
    // No data: the source went silent, or a series with an active alert stopped while its source
    // goes on (a quiet endpoint's series is not news by itself, but its alert must not stick).
    const after = this.options.noDataAfterMs;
    const seriesSilent = now - s.updatedAt > after;
    const stale = seriesSilent && (now - (this.sourceLatest.get(s.sourceId) ?? s.updatedAt) > after || (st !== undefined && st.state !== 'ok'));

    if (stale && this.options.noDataMode === 'alert') {
      if (st === undefined) {
        st = this.fresh(rule, s);
        this.states.set(key, st);
      }
      if (st.state !== 'nodata') {
        const from = st.state;
        st.wasFiring = st.state === 'firing';
        st.state = 'nodata';
        const secs = Math.round((now - s.updatedAt) / 1000);
        out.push({ ...this.base(rule, s, st), from, to: 'nodata', at: now, severity: 'warning', message: `${describeSeries(s)}: no data for ${secs} s` });
      }
      return;
    }

    const raw = s.value;
    if (raw === null || !Number.isFinite(raw)) return;
    const v = rule.unit === 'none' ? raw : convertUnit(raw, s.unit, rule.unit);
    const above = rule.direction === 'above';
    const beyond = (level: number | null): boolean => level !== null && (above ? v > level : v < level);

    let level: Severity | null = beyond(rule.critical) ? 'critical' : beyond(rule.warning) ? 'warning' : null;
    let threshold = level === 'critical' ? rule.critical : level === 'warning' ? rule.warning : null;
    const fixed = rule.warning !== null || rule.critical !== null;
    const clearLevel = rule.clear ?? rule.warning ?? rule.critical;
    let cleared = !fixed || clearLevel === null || (above ? v <= clearLevel : v >= clearLevel);

    let anomalyText: string | null = null;
    if (rule.anomaly !== null) {
      if (st === undefined) {
        st = this.fresh(rule, s);
        this.states.set(key, st);
      }
      const baseline = st.baseline ?? (st.baseline = new Baseline(this.options.baseline));
      const verdict = baseline.check(v, rule.anomaly, rule.direction, anomalyFloor(displayUnit), now);
      if (verdict.anomalous && level === null) {
        level = 'warning';
        threshold = verdict.threshold;
      }
      if (verdict.anomalous || (st.state !== 'ok' && !verdict.cleared)) {
        const pct = Math.round((Math.abs(v - verdict.baseline) / Math.abs(verdict.baseline || 1)) * 100);
        anomalyText = `${describeSeries(s)} ${formatValue(v, displayUnit)} is ${formatPercent(pct)} ${above ? 'above' : 'below'} its baseline ${formatValue(verdict.baseline, displayUnit)}`;
        if (threshold === null) threshold = verdict.threshold;
      }
      cleared = cleared && verdict.cleared;
    }

    if (st === undefined) {
      if (level === null) return;
      st = this.fresh(rule, s);
      this.states.set(key, st);
    }

    st.series = s;
    const prevState = st.state;
    const prevSeverity = st.severity;
    const prevValue = st.value;
    let next: EngineState = prevState;

    switch (prevState) {
      case 'ok':
        if (level !== null) {
          st.since = now;
          next = rule.forSeconds <= 0 ? 'firing' : 'pending';
        }
        break;
      case 'pending':
        if (level === null) next = 'ok';
        else if (now - st.since >= rule.forSeconds * 1000) next = 'firing';
        break;
      case 'firing':
        if (level === null && cleared) next = 'ok';
        break;
      case 'nodata':
        if (level !== null) {
          st.since = now;
          next = st.wasFiring || rule.forSeconds <= 0 ? 'firing' : 'pending';
        } else if (st.wasFiring && !cleared) {
          next = 'firing';
        } else {
          next = 'ok';
        }
        break;
    }
    const to: AlertState | 'ok' = next === 'ok' && (prevState === 'firing' || prevState === 'nodata') ? 'resolved' : next;
    if (next === 'firing' && level === null) {
      // Inside the hysteresis band: still firing, at the lowest severity.
      level = 'warning';
      threshold = rule.warning ?? clearLevel;
    }

    st.state = next;
    st.value = v;
    if (level !== null) st.severity = level;
    st.threshold = threshold ?? st.threshold;

    // The baseline learns only from normal values, so a sustained spike is not absorbed; and once
    // per producer update (changedAt), not once per repeated message.
    const pointAt = s.changedAt ?? s.updatedAt;
    if (rule.anomaly !== null && st.baseline !== null && pointAt !== st.lastUpdate) {
      st.lastUpdate = pointAt;
      if (next === 'ok' && level === null) st.baseline.observe(v, pointAt);
    }

    const changed = prevState !== next || (next !== 'ok' && (prevSeverity !== st.severity || prevValue !== v));
    if (changed && !(prevState === 'ok' && next === 'ok')) {
      let message: string;
      if (next === 'ok') message = `${describeSeries(s)} is back to ${formatValue(v, displayUnit)}`;
      else if (anomalyText !== null && !beyond(rule.warning) && !beyond(rule.critical)) message = anomalyText;
      else message = `${describeSeries(s)} ${formatValue(v, displayUnit)} is ${above ? 'above' : 'below'} the ${st.severity} level ${formatValue(st.threshold, displayUnit)}`;
      out.push({ ...this.base(rule, s, st), from: prevState, to, at: now, severity: st.severity, message });
    }
    if (next === 'ok' && st.baseline === null) this.states.delete(key);
    if (next === 'ok') st.wasFiring = false;
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

  private base(rule: Rule, s: SeriesInfo, st: PairState): Pick<AlertTransition, 'alertId' | 'ruleId' | 'seriesId' | 'sourceId' | 'value' | 'threshold' | 'unit' | 'direction'> {
    return {
      alertId: alertId(rule.id, s.id),
      ruleId: rule.id,
      seriesId: s.id,
      sourceId: s.sourceId,
      value: st.value,
      threshold: st.threshold,
      unit: rule.unit === 'none' ? s.unit : rule.unit,
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
      message: `${describeSeries(s)}: alert ended (${why})`,
    };
  }
}
