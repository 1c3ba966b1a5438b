// The unit each role is shown and thresholded in, and conversions within one dimension (s↔ms, ratio↔percent).

import type { Role, Unit } from '../../shared/vocabulary';

/** The unit each role is shown (and thresholded) in. */
export const ROLE_UNITS: ReadonlyMap<Role, Unit> = new Map<Role, Unit>([
  ['requests', 'per_second'],
  ['requestRate', 'per_second'],
  ['errors', 'per_second'],
  ['errorRate', 'percent'],
  ['latency', 'ms'],
  ['connections', 'count'],
  ['pending', 'count'],
  ['subscribers', 'count'],
  ['heap', 'bytes'],
  ['rss', 'bytes'],
  ['cpu', 'percent'],
  ['uptime', 'seconds'],
  ['cacheHitRatio', 'percent'],
  ['storage', 'percent'],
  ['goroutines', 'count'],
  ['jobs', 'per_second'],
  ['jobsFailed', 'per_second'],
]);

/** Converts between units of the same dimension (s↔ms, ratio↔percent); anything else is unchanged. */
export function convertUnit(value: number, from: Unit, to: Unit): number {
  if (from === to) return value;
  if (from === 'seconds' && to === 'ms') return value * 1000;
  if (from === 'ms' && to === 'seconds') return value / 1000;
  if (from === 'ratio' && to === 'percent') return value * 100;
  if (from === 'percent' && to === 'ratio') return value / 100;
  return value;
}
