// The no-data step of a rule: whether a series counts as silent.

/**
 * Silent: the series is older than `afterMs` and so is its whole source, or it has an active alert
 * (a quiet endpoint's series is not news by itself, but its alert must not stick).
 */
export function isStale(now: number, updatedAt: number, sourceLatest: number | undefined, active: boolean, afterMs: number): boolean {
  if (now - updatedAt <= afterMs) return false;
  return now - (sourceLatest ?? updatedAt) > afterMs || active;
}
