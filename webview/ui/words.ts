// Our vocabulary (units, series kinds) in the panel's language, for cells and subtitles.
import type { Direction, RuleOrigin, SeriesKind, Unit } from '../../src/shared/vocabulary';
import { assertNever } from '../../src/shared/check';
import { l10n } from './l10n';

/** A unit as a word ("bytes", "per second"); '' for none. */
export function unitText(unit: Unit): string {
  switch (unit) {
    case 'bytes':
      return l10n.t('bytes');
    case 'seconds':
      return l10n.t('seconds');
    case 'ms':
      return l10n.t('ms');
    case 'percent':
      return l10n.t('percent');
    case 'ratio':
      return l10n.t('ratio');
    case 'count':
      return l10n.t('count');
    case 'per_second':
      return l10n.t('per second');
    case 'none':
      return '';
    default:
      return assertNever(unit, 'unit');
  }
}

export function directionText(direction: Direction): string {
  return direction === 'above' ? l10n.t('above') : l10n.t('below');
}

export function originText(origin: RuleOrigin): string {
  return origin === 'default' ? l10n.t('default') : origin === 'settings' ? l10n.t('settings') : l10n.t('override');
}

export function kindText(kind: SeriesKind): string {
  return kind === 'counter' ? l10n.t('counter') : l10n.t('gauge');
}
