// Pure text helpers for untrusted strings from the host. No DOM here, so unit tests can import it.

import { formatExact } from '../../src/shared/format';
import { l10n } from './l10n';

// Bidi embeddings/overrides/isolates and marks: they can make displayed text lie about its content.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// C0/C1 controls other than tab; newlines too, as every cell is one line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

export const TABLE_MAX = 200;
export const TITLE_MAX = 1000;

/** Any value → a displayable single line: bidi controls removed, controls as spaces, cut to `max` with an ellipsis. */
export function safeText(value: unknown, max = TABLE_MAX): string {
  const s = typeof value === 'string' ? value : value == null ? '' : String(value);
  // Cut before cleaning so a 100 KB string costs no more than a short one.
  const head = s.length > max * 2 + 16 ? s.slice(0, max * 2 + 16) : s;
  const clean = head.replace(BIDI, '').replace(CONTROL, ' ');
  if (clean.length <= max && head.length === s.length) return clean;
  let cut = clean.slice(0, max - 1);
  // Do not leave half a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** `k=v, k=v` for a label list. */
export function labelsText(labels: ReadonlyArray<readonly [string, string]>): string {
  return labels.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** "now", "12s ago", "3m 04s ago" from a duration in ms. */
export function agoText(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 1) return l10n.t('just now');
  return l10n.t('{0} ago', formatAge(s));
}

function formatAge(s: number): string {
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** A number with all its digits (grouped, in the panel's locale), for "exact" values. */
export function exactNumber(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '–';
  return formatExact(n);
}

/** "just now", "45 s ago", "2 min ago", "3 h ago", "2 d ago": coarse, for event lists (a time in the future reads "just now"). */
export function relativeTime(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 5) return l10n.t('just now');
  if (s < 60) return l10n.t('{0} s ago', s);
  const m = Math.floor(s / 60);
  if (m < 60) return l10n.t('{0} min ago', m);
  const h = Math.floor(m / 60);
  if (h < 24) return l10n.t('{0} h ago', h);
  return l10n.t('{0} d ago', Math.floor(h / 24));
}
