// The fixed-threshold step of a rule: how far past its warning and critical levels a value is.

import type { Severity } from '../../shared/vocabulary';
import type { Rule } from './thresholds';

export type LevelRule = Pick<Rule, 'warning' | 'critical' | 'clear' | 'direction'>;

export interface Level {
  /** The worst level the value is beyond; null when it is within all of them. */
  readonly severity: Severity | null;
  /** The level it is beyond (null when none). */
  readonly threshold: number | null;
  /** Back past the clear level, so a firing alert may resolve (always, for a rule without levels). */
  readonly cleared: boolean;
}

function beyond(rule: LevelRule, v: number, level: number | null): boolean {
  return level !== null && (rule.direction === 'above' ? v > level : v < level);
}

/** Where a firing alert resolves: `clear`, else the warning level, else the critical one. */
export function clearLevelOf(rule: LevelRule): number | null {
  return rule.clear ?? rule.warning ?? rule.critical;
}

/** The level `v` (in the rule's unit) is at. */
export function levelOf(rule: LevelRule, v: number): Level {
  const severity: Severity | null = beyond(rule, v, rule.critical) ? 'critical' : beyond(rule, v, rule.warning) ? 'warning' : null;
  const threshold = severity === 'critical' ? rule.critical : severity === 'warning' ? rule.warning : null;
  const fixed = rule.warning !== null || rule.critical !== null;
  const clear = clearLevelOf(rule);
  const cleared = !fixed || clear === null || (rule.direction === 'above' ? v <= clear : v >= clear);
  return { severity, threshold, cleared };
}

/** The threshold a firing alert reports while its value is inside the hysteresis band (at warning severity). */
export function bandThreshold(rule: LevelRule): number | null {
  return rule.warning ?? clearLevelOf(rule);
}
