// How a chart line's values read: the unit shown (a counter as a rate is per second) and its formatter. Pure.
import type { Unit, ValueMode } from '../../src/shared/vocabulary';
import { formatValue } from '../../src/shared/format';

/** The unit a chart's values are in: a counter shown as a rate is per second. */
export function shownUnit(unit: Unit, counter: boolean, mode: ValueMode): { unit: Unit; perSecond: boolean } {
  if (!counter || mode === 'raw') return { unit, perSecond: false };
  if (unit === 'count' || unit === 'none') return { unit: 'per_second', perSecond: false };
  return { unit, perSecond: true };
}

export function formatter(unit: Unit, counter: boolean, mode: ValueMode): (v: number | null) => string {
  const s = shownUnit(unit, counter, mode);
  return (v) => (v == null ? '–' : s.perSecond ? `${formatValue(v, s.unit)}/s` : formatValue(v, s.unit));
}
