// The words for a source's reported errors (count, when, what): pure, so unit tests can import it.
import type { SourceView } from '../../src/shared/views';
import { formatCount, formatDateTime } from '../../src/shared/format';
import { l10n } from '../ui/l10n';
import { relativeTime, safeText, TITLE_MAX } from '../ui/text';

export const ERROR_LINE_MAX = 160;

export interface SourceErrorText {
  /** One line for the source row, e.g. "3 errors · last 2 min ago: Server error: backend down". */
  readonly line: string;
  /** The full text and the exact time, for the tooltip. */
  readonly title: string;
}

/** Null when the source has reported no error. Times use the host clock. */
export function sourceErrorText(s: Pick<SourceView, 'errorCount' | 'lastError' | 'lastErrorAt'>, hostNow: number): SourceErrorText | null {
  if (!(s.errorCount > 0)) return null;
  const count = s.errorCount === 1 ? l10n.t('1 error') : l10n.t('{0} errors', formatCount(s.errorCount));
  const when = s.lastErrorAt == null ? count : l10n.t('{0} · last {1}', count, relativeTime(hostNow - s.lastErrorAt));
  const at = s.lastErrorAt == null ? count : l10n.t('{0}, last at {1}', count, formatDateTime(s.lastErrorAt));
  const what = (head: string) => (s.lastError == null || s.lastError === '' ? head : l10n.t('{0}: {1}', head, s.lastError));
  return {
    line: safeText(what(when), ERROR_LINE_MAX),
    title: safeText(what(at), TITLE_MAX),
  };
}
