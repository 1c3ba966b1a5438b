// The anomaly step of a rule: merges the baseline's verdict into the fixed-threshold level.

import type { AnomalyVerdict } from './anomaly';
import type { Level } from './level';

export interface AnomalyOutcome {
  readonly level: Level;
  /** The baseline the message names, when the anomaly (not a fixed level) is what the alert is about. */
  readonly baseline: number | null;
}

/**
 * An anomalous value is at least a warning; an active alert (`active`: not ok) stays about the
 * anomaly until the verdict clears, and resolves only when both the level and the verdict cleared.
 */
export function checkAnomaly(fixed: Level, verdict: AnomalyVerdict, active: boolean): AnomalyOutcome {
  const about = fixed.severity === null && (verdict.anomalous || (active && !verdict.cleared));
  return {
    level: {
      severity: fixed.severity ?? (verdict.anomalous ? 'warning' : null),
      threshold: about ? verdict.threshold : fixed.threshold,
      cleared: fixed.cleared && verdict.cleared,
    },
    baseline: about ? verdict.baseline : null,
  };
}
