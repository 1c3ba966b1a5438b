// The words for a source's reported errors (count, when, what): pure, so unit tests can import it.
import type { SourceView } from '../../src/shared/views';
import { formatCount } from '../../src/shared/format';
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
  const count = `${formatCount(s.errorCount)} ${s.errorCount === 1 ? 'error' : 'errors'}`;
  const when = s.lastErrorAt == null ? '' : ` · last ${relativeTime(hostNow - s.lastErrorAt)}`;
  const what = s.lastError == null || s.lastError === '' ? '' : `: ${s.lastError}`;
  const at = s.lastErrorAt == null ? '' : `, last at ${new Date(s.lastErrorAt).toLocaleString()}`;
  return {
    line: safeText(`${count}${when}${what}`, ERROR_LINE_MAX),
    title: safeText(`${count}${at}${what}`, TITLE_MAX),
  };
}
