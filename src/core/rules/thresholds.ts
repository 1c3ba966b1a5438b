// Threshold rules: the built-in defaults, the `pulse.thresholds` setting, and the overrides the
// user sets from the panel (kept in workspace state). Parsing never throws: every invalid entry
// yields one problem naming the setting, and that rule alone falls back to its default.

import type { Direction, Unit } from '../../shared/vocabulary';
import { DIRECTIONS } from '../../shared/vocabulary';
import type { RuleLevels, RuleView, ThresholdPatch } from '../../shared/views';
import { isOneOf, isRecord } from '../../shared/check';
import { isRole, patternProblem } from '../series/glob';
import { ROLE_UNITS } from '../series/units';

export interface Rule extends RuleLevels {
  readonly id: string;
  readonly metric: string;
  readonly labels: ReadonlyMap<string, string> | null;
  readonly unit: Unit;
}

const GiB = 1024 ** 3;

function rule(r: Partial<Rule> & Pick<Rule, 'id' | 'metric' | 'unit'>): Rule {
  return { labels: null, warning: null, critical: null, direction: 'above', forSeconds: 0, clear: null, anomaly: null, ...r };
}

export const DEFAULT_RULES: readonly Rule[] = [
  rule({ id: 'error-rate', metric: 'role:errorRate', warning: 1, critical: 5, forSeconds: 30, clear: 0.5, unit: 'percent' }),
  rule({ id: 'latency-spike', metric: 'role:latency', anomaly: 0.5, forSeconds: 10, unit: 'ms' }),
  rule({ id: 'cache-hit-ratio', metric: 'role:cacheHitRatio', direction: 'below', warning: 90, critical: 80, forSeconds: 60, clear: 92, unit: 'percent' }),
  rule({ id: 'storage', metric: 'role:storage', warning: 85, critical: 95, forSeconds: 60, clear: 80, unit: 'percent' }),
  rule({ id: 'heap', metric: 'role:heap', warning: 1 * GiB, critical: 2 * GiB, forSeconds: 30, clear: 0.9 * GiB, unit: 'bytes' }),
  rule({ id: 'connections', metric: 'role:connections', warning: 1000, critical: 5000, forSeconds: 10, clear: 900, unit: 'count' }),
  rule({ id: 'cpu', metric: 'role:cpu', warning: 80, critical: 95, forSeconds: 30, clear: 70, unit: 'percent' }),
];

export interface ParsedThresholds {
  readonly rules: readonly Rule[];
  readonly origin: ReadonlyMap<string, 'default' | 'settings'>;
  readonly problems: readonly string[];
  /** The problems that concern each rule id (shown on that rule). */
  readonly ruleProblems: ReadonlyMap<string, readonly string[]>;
}

export type RuleOverrides = ReadonlyMap<string, ThresholdPatch>;

const SETTING = 'pulse.thresholds';
const MAX_ABS = 1e15;
const MAX_FOR_SECONDS = 86_400;
const MAX_RULES = 500;
const KNOWN_KEYS = new Set(['id', 'metric', 'labels', 'warning', 'critical', 'direction', 'for', 'clear', 'anomaly']);

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  if (typeof x === 'number') return String(x);
  return `a ${typeof x}`;
}

function isLevel(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < MAX_ABS;
}

/** Why warning/critical/clear/for do not fit together for the direction, or null. */
export function consistencyProblem(r: Pick<Rule, 'warning' | 'critical' | 'clear' | 'direction' | 'anomaly'>): string | null {
  const above = r.direction === 'above';
  if (r.warning === null && r.critical === null && r.anomaly === null) return 'no warning, critical or anomaly level';
  if (r.warning !== null && r.critical !== null && (above ? r.warning > r.critical : r.warning < r.critical)) {
    return `warning ${r.warning} is beyond critical ${r.critical} for direction ${r.direction}`;
  }
  const lowest = r.warning ?? r.critical;
  if (r.clear !== null && lowest !== null && (above ? r.clear > lowest : r.clear < lowest)) {
    return `clear ${r.clear} is beyond ${r.warning !== null ? 'warning' : 'critical'} ${lowest} for direction ${r.direction} (it must be on the healthy side)`;
  }
  return null;
}

function unitFor(metric: string): Unit {
  if (metric.startsWith('role:')) {
    const role = metric.slice(5);
    if (isRole(role)) return ROLE_UNITS.get(role) ?? 'none';
  }
  return 'none';
}

function labelsKey(labels: ReadonlyMap<string, string> | null): string {
  if (labels === null || labels.size === 0) return '';
  return `{${[...labels].map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

type EntryResult = { readonly rule: Rule; readonly issues: readonly [] } | { readonly rule: null; readonly issues: readonly string[] };

function parseEntry(entry: Record<string, unknown>, id: string): EntryResult {
  const issues: string[] = [];
  for (const key of Object.keys(entry)) if (!KNOWN_KEYS.has(key)) issues.push(`unknown property "${key.slice(0, 40)}"`);
  const metricIssue = patternProblem(entry.metric);
  if (metricIssue !== null) issues.push(entry.metric === undefined ? 'metric is missing' : metricIssue);

  let labels: Map<string, string> | null = null;
  if (entry.labels !== undefined && entry.labels !== null) {
    if (!isRecord(entry.labels)) issues.push(`labels must be an object of strings, got ${describe(entry.labels)}`);
    else {
      labels = new Map();
      for (const [k, v] of Object.entries(entry.labels)) {
        if (typeof v !== 'string') issues.push(`label "${k.slice(0, 40)}" must be a string, got ${describe(v)}`);
        else labels.set(k, v);
      }
    }
  }
  const level = (key: 'warning' | 'critical' | 'clear'): number | null => {
    const v = entry[key];
    if (v === undefined || v === null) return null;
    if (!isLevel(v)) {
      issues.push(`${key} must be a finite number, got ${describe(v)}`);
      return null;
    }
    return v;
  };
  const warning = level('warning');
  const critical = level('critical');
  const clear = level('clear');

  let direction: Direction = 'above';
  if (entry.direction !== undefined) {
    if (isOneOf(entry.direction, DIRECTIONS)) direction = entry.direction;
    else issues.push(`direction must be "above" or "below", got ${describe(entry.direction)}`);
  }
  let forSeconds = 0;
  if (entry.for !== undefined) {
    const v = entry.for;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_FOR_SECONDS) forSeconds = v;
    else issues.push(`for must be a number of seconds between 0 and ${MAX_FOR_SECONDS}, got ${describe(v)}`);
  }
  let anomaly: number | null = null;
  if (entry.anomaly !== undefined && entry.anomaly !== null) {
    const v = entry.anomaly;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1000) anomaly = v;
    else issues.push(`anomaly must be a fraction ≥ 0 (0.5 = 50 % above the baseline), got ${describe(v)}`);
  }
  if (issues.length > 0) return { rule: null, issues };
  const metric = entry.metric as string;
  const candidate: Rule = { id, metric, labels, warning, critical, direction, forSeconds, clear, anomaly, unit: unitFor(metric) };
  const inconsistency = consistencyProblem(candidate);
  if (inconsistency !== null) return { rule: null, issues: [inconsistency] };
  return { rule: candidate, issues: [] };
}

export function parseThresholdSettings(value: unknown, useDefaults: boolean): ParsedThresholds {
  const defaults = useDefaults ? DEFAULT_RULES : [];
  const defaultIds = new Set(defaults.map((r) => r.id));
  const problems: string[] = [];
  const ruleProblems = new Map<string, string[]>();
  const replaced = new Map<string, Rule>();
  const extra: Rule[] = [];
  const seen = new Map<string, number>();
  const note = (id: string | null, problem: string): void => {
    problems.push(problem);
    if (id === null) return;
    const list = ruleProblems.get(id) ?? [];
    list.push(problem);
    ruleProblems.set(id, list);
  };

  let entries: readonly unknown[] = [];
  if (Array.isArray(value)) entries = value;
  else if (value !== undefined && value !== null) note(null, `${SETTING}: expected an array of rules, got ${describe(value)}; using ${useDefaults ? 'the defaults' : 'no rules'}`);
  if (entries.length > MAX_RULES) {
    note(null, `${SETTING}: ${entries.length} rules, only the first ${MAX_RULES} are used`);
    entries = entries.slice(0, MAX_RULES);
  }

  entries.forEach((entry, i) => {
    const where = `${SETTING}[${i}]`;
    if (!isRecord(entry)) {
      note(null, `${where}: expected a rule object, got ${describe(entry)}; skipping this rule`);
      return;
    }
    const rawId = entry.id;
    let id: string;
    if (rawId !== undefined) {
      if (typeof rawId !== 'string' || rawId.length === 0 || rawId.length > 200) {
        note(null, `${where}: id must be a non-empty string, got ${describe(rawId)}; skipping this rule`);
        return;
      }
      id = rawId;
    } else {
      // A stable id that does not shift when other entries are added: the pattern and labels.
      let labels: ReadonlyMap<string, string> | null = null;
      if (isRecord(entry.labels)) labels = new Map(Object.entries(entry.labels).filter((kv): kv is [string, string] => typeof kv[1] === 'string'));
      const base = `${typeof entry.metric === 'string' ? entry.metric : `rule-${i}`}${labelsKey(labels)}`;
      id = base;
      // Never a default's id: an id-less rule on a metric named like one (`heap`) must not replace it.
      for (let n = 2; seen.has(id) || defaultIds.has(id); n++) id = `${base}#${n}`;
    }
    const named = `${where} (id ${JSON.stringify(id)})`;
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      note(id, `${named}: the id is already used by ${SETTING}[${earlier}]; ignoring this entry`);
      return;
    }
    seen.set(id, i);
    const fallback = defaultIds.has(id) ? 'using the default for this rule' : 'skipping this rule';
    const result = parseEntry(entry, id);
    if (result.rule === null) {
      note(id, `${named}: ${result.issues.join(', ')}; ${fallback}`);
      return;
    }
    if (defaultIds.has(id)) replaced.set(id, result.rule);
    else extra.push(result.rule);
  });

  const rules: Rule[] = [];
  const origin = new Map<string, 'default' | 'settings'>();
  for (const d of defaults) {
    const r = replaced.get(d.id);
    rules.push(r ?? d);
    origin.set(d.id, r !== undefined ? 'settings' : 'default');
  }
  for (const r of extra) {
    rules.push(r);
    origin.set(r.id, 'settings');
  }
  return { rules, origin, problems, ruleProblems };
}

function labelsRecord(labels: ReadonlyMap<string, string> | null): Readonly<Record<string, string>> | null {
  // Object.fromEntries defines own properties, so a `__proto__` label key cannot reach a prototype.
  return labels === null ? null : Object.fromEntries(labels);
}

function patchProblem(patch: ThresholdPatch): string | null {
  for (const key of ['warning', 'critical', 'clear'] as const) {
    const v = patch[key];
    if (v !== undefined && v !== null && !isLevel(v)) return `${key} must be a finite number`;
  }
  const f = patch.forSeconds;
  if (f !== undefined && !(typeof f === 'number' && Number.isFinite(f) && f >= 0 && f <= MAX_FOR_SECONDS)) return `forSeconds must be between 0 and ${MAX_FOR_SECONDS}`;
  return null;
}

/**
 * The rule with the patch applied. When the patch moves the levels past a clear level it does not
 * set itself, that clear level no longer makes sense and falls back to the default (the warning).
 */
export function applyOverride(r: Rule, patch: ThresholdPatch): Rule {
  const next: Rule = {
    ...r,
    warning: patch.warning !== undefined ? patch.warning : r.warning,
    critical: patch.critical !== undefined ? patch.critical : r.critical,
    clear: patch.clear !== undefined ? patch.clear : r.clear,
    forSeconds: patch.forSeconds !== undefined ? patch.forSeconds : r.forSeconds,
  };
  if (patch.clear === undefined && next.clear !== null && consistencyProblem(next)?.startsWith('clear ')) return { ...next, clear: null };
  return next;
}

/**
 * Overrides from the panel on top of the parsed rules. An override for an id that no longer exists
 * is ignored (the rule was removed from the settings); one that makes the rule inconsistent is
 * refused with a problem and the rule keeps its settings/default levels.
 */
export function applyOverrides(parsed: ParsedThresholds, overrides: RuleOverrides): { rules: readonly Rule[]; views: readonly RuleView[]; problems: readonly string[] } {
  const problems = [...parsed.problems];
  const rules: Rule[] = [];
  const views: RuleView[] = [];
  for (const base of parsed.rules) {
    let r = base;
    let origin: RuleView['origin'] = parsed.origin.get(base.id) ?? 'settings';
    const ruleProblems = [...(parsed.ruleProblems.get(base.id) ?? [])];
    const patch = overrides.get(base.id);
    if (patch !== undefined) {
      const candidate = applyOverride(base, patch);
      const issue = patchProblem(patch) ?? consistencyProblem(candidate);
      if (issue === null) {
        r = candidate;
        origin = 'override';
      } else {
        const problem = `Threshold override for rule ${JSON.stringify(base.id)}: ${issue}; keeping the ${origin === 'default' ? 'default' : 'settings'} levels`;
        problems.push(problem);
        ruleProblems.push(problem);
      }
    }
    rules.push(r);
    views.push({
      id: r.id,
      metric: r.metric,
      labels: labelsRecord(r.labels),
      warning: r.warning,
      critical: r.critical,
      direction: r.direction,
      forSeconds: r.forSeconds,
      clear: r.clear,
      anomaly: r.anomaly,
      unit: r.unit,
      origin,
      problems: ruleProblems,
    });
  }
  return { rules, views, problems };
}

/** The settings.json entry for "save to settings" (only what differs from the schema defaults). */
export function ruleToSetting(r: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, metric: r.metric };
  if (r.labels !== null && r.labels.size > 0) out.labels = labelsRecord(r.labels);
  if (r.warning !== null) out.warning = r.warning;
  if (r.critical !== null) out.critical = r.critical;
  if (r.direction !== 'above') out.direction = r.direction;
  if (r.forSeconds !== 0) out.for = r.forSeconds;
  if (r.clear !== null) out.clear = r.clear;
  if (r.anomaly !== null) out.anomaly = r.anomaly;
  return out;
}

const MAX_OVERRIDES = 500;

function parsePatch(x: unknown): ThresholdPatch | string {
  if (!isRecord(x)) return `expected an object, got ${describe(x)}`;
  const patch: { -readonly [K in keyof ThresholdPatch]: ThresholdPatch[K] } = {};
  for (const [key, v] of Object.entries(x)) {
    if (key === 'warning' || key === 'critical' || key === 'clear') {
      if (v !== null && !isLevel(v)) return `${key} must be a finite number or null, got ${describe(v)}`;
      patch[key] = v;
    } else if (key === 'forSeconds') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_FOR_SECONDS) return `forSeconds must be between 0 and ${MAX_FOR_SECONDS}, got ${describe(v)}`;
      patch.forSeconds = v;
    } else {
      return `unknown property "${key.slice(0, 40)}"`;
    }
  }
  return patch;
}

/** Overrides as kept in workspace state: an array of [ruleId, patch] pairs (rule ids are user text). */
export function serializeOverrides(overrides: RuleOverrides): unknown {
  return [...overrides].map(([id, patch]) => [id, { ...patch }]);
}

/** Reads overrides from workspace state: [ruleId, patch] pairs, or an object keyed by rule id. Never throws. */
export function parseOverrides(value: unknown): { overrides: Map<string, ThresholdPatch>; problems: string[] } {
  const overrides = new Map<string, ThresholdPatch>();
  const problems: string[] = [];
  if (value === undefined || value === null) return { overrides, problems };
  let pairs: Array<readonly [unknown, unknown]>;
  if (Array.isArray(value)) {
    pairs = [];
    for (const item of value as unknown[]) {
      if (Array.isArray(item) && item.length === 2) pairs.push([item[0], item[1]]);
      else problems.push(`entry ${describe(item)} is not a [rule id, levels] pair; ignored`);
    }
  } else if (isRecord(value)) {
    pairs = Object.entries(value);
  } else {
    return { overrides, problems: [`expected a list, got ${describe(value)}; ignored`] };
  }
  for (const [id, raw] of pairs.slice(0, MAX_OVERRIDES)) {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
      problems.push(`rule id ${describe(id)} is not valid; ignored`);
      continue;
    }
    const patch = parsePatch(raw);
    if (typeof patch === 'string') problems.push(`rule ${JSON.stringify(id)}: ${patch}; ignored`);
    else overrides.set(id, patch);
  }
  if (pairs.length > MAX_OVERRIDES) problems.push(`only the first ${MAX_OVERRIDES} are used`);
  return { overrides, problems };
}
