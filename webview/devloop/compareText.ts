// The words and numbers of a before/after comparison. Pure (no DOM), for tests.
import type { AnnotationView, CompareRowView } from '../../src/shared/views';
import { assertNever } from '../../src/shared/check';
import { formatPercent } from '../../src/shared/format';
import { relativeTime, safeText } from '../ui/text';
import { l10n } from '../ui/l10n';

const MINUS = '\u2212';

/** Signed change: "+38 %", "−12 %", "0 %"; "–" when unknown. */
export function changeText(deltaPct: number | null): string {
  if (deltaPct == null || !Number.isFinite(deltaPct)) return '–';
  const sign = deltaPct > 0 ? '+' : deltaPct < 0 ? MINUS : '';
  return `${sign}${formatPercent(Math.abs(deltaPct))}`;
}

export function verdictText(v: CompareRowView['verdict']): string {
  switch (v) {
    case 'regressed':
      return l10n.t('regressed');
    case 'improved':
      return l10n.t('improved');
    case 'same':
      return l10n.t('no change');
    case 'no-data':
      return l10n.t('not enough data');
    default:
      return assertNever(v, 'verdict');
  }
}

/** The caption: what the comparison is around, or that there is nothing to compare against. */
export function compareCaption(annotation: AnnotationView | null, rowCount: number, hostNow: number): string {
  if (annotation) return l10n.t('Around: {0}, {1}', safeText(annotation.label, 160), relativeTime(hostNow - annotation.at));
  return rowCount === 0 ? l10n.t('No save recorded yet') : l10n.t('Around the last save');
}
