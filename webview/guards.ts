// Element-level checks on host data that is not a panel section (points, value updates, compare
// replies); the sections' guards are rows of src/shared/sections.ts. parseHostMessage checks the envelope.
import type { AnnotationView, CompareRowView, PointsView, SeriesValue } from '../src/shared/views';
import { UNITS } from '../src/shared/vocabulary';
import { isNumber, isOneOf, isRecord, isString } from '../src/shared/check';
import type { SectionId, SectionViews } from '../src/shared/sections';
import { isAnnotation, keep, numOrNull, SECTION_ROWS, SECTIONS } from '../src/shared/sections';

const isPoints = (x: unknown): x is PointsView =>
  isRecord(x) && isString(x.id) && Array.isArray(x.t) && Array.isArray(x.v) && x.t.length === x.v.length && x.t.every(isNumber) && x.v.every(numOrNull);

const VERDICTS = ['regressed', 'improved', 'same', 'no-data'] as const satisfies readonly CompareRowView['verdict'][];

// formatValue has a case per unit and nothing for others, so the unit must be one of these.
const isCompareRow = (x: unknown): x is CompareRowView =>
  isRecord(x) && isString(x.id) && isString(x.label) && isOneOf(x.unit, UNITS) && numOrNull(x.before) && numOrNull(x.after) && numOrNull(x.deltaPct) && isNumber(x.noise) && isOneOf(x.verdict, VERDICTS);

/** The annotation of a didCompare reply: null when absent or malformed. */
export function cleanAnnotation(x: unknown): AnnotationView | null {
  return isAnnotation(x) ? x : null;
}

function isValue(x: unknown): x is SeriesValue {
  return Array.isArray(x) && x.length === 4 && isNumber(x[0]) && numOrNull(x[1]) && numOrNull(x[2]) && isNumber(x[3]);
}

const sectionCleaners = Object.fromEntries(SECTIONS.map((id) => [id, SECTION_ROWS[id].clean])) as { readonly [K in SectionId]: (x: unknown) => SectionViews[K] };

/** Cleaners by payload: every section's, and those of the other host data. */
export const clean = {
  ...sectionCleaners,
  points: (l: unknown) => keep(l, isPoints),
  compareRows: (l: unknown) => keep(l, isCompareRow),
  strings: (l: unknown) => keep(l, isString),
  values: (l: unknown) => keep(l, isValue),
};
