// Which threshold rule applies to a series or a headline metric, and what level a value is at.
import type { RuleView, SeriesView } from '../../src/shared/views';
import type { Role } from '../../src/shared/vocabulary';
import { l10n } from '../ui/l10n';

export type Level = 'ok' | 'warning' | 'critical';

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

const cache = new Map<string, RegExp>();
export function globMatch(glob: string, text: string): boolean {
  if (!glob.includes('*')) return glob === text;
  let re = cache.get(glob);
  if (!re) {
    if (cache.size > 500) cache.clear();
    re = globToRegExp(glob);
    cache.set(glob, re);
  }
  return re.test(text);
}

function hasLevels(r: RuleView): boolean {
  return r.warning != null || r.critical != null;
}

/** The rule with fixed levels for a headline metric (`role:<role>`). */
export function ruleForRole(rules: readonly RuleView[], role: Role): RuleView | undefined {
  const metric = `role:${role}`;
  return rules.find((r) => r.metric === metric && hasLevels(r));
}

/** The first rule with fixed levels matching the series by role, name glob and labels. */
export function ruleForSeries(rules: readonly RuleView[], s: SeriesView): RuleView | undefined {
  return rules.find((r) => {
    if (!hasLevels(r)) return false;
    if (r.metric.startsWith('role:')) {
      if (s.role !== r.metric.slice(5)) return false;
    } else if (!globMatch(r.metric, s.name)) return false;
    if (!r.labels) return true;
    return Object.entries(r.labels).every(([k, want]) => {
      const pair = s.labels.find(([key]) => key === k);
      return pair !== undefined && globMatch(want, pair[1]);
    });
  });
}

/** A level in words, in the panel's language. */
export function levelText(level: Level): string {
  return level === 'critical' ? l10n.t('Critical') : level === 'warning' ? l10n.t('Warning') : l10n.t('OK');
}

/** Level of a value against a rule's warning/critical bounds. */
export function levelOf(value: number | null, rule: Pick<RuleView, 'warning' | 'critical' | 'direction'> | undefined): Level {
  if (value == null || !Number.isFinite(value) || !rule) return 'ok';
  const past = (limit: number | null) => limit != null && (rule.direction === 'below' ? value <= limit : value >= limit);
  if (past(rule.critical)) return 'critical';
  if (past(rule.warning)) return 'warning';
  return 'ok';
}
