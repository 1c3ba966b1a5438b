// Human formatting of metric values, shared by the status bar and the webview. Numbers follow the
// user's locale (Intl.NumberFormat); byte sizes are 1024-based and labelled so: KiB, MiB, GiB.

import type { Unit } from './vocabulary';

const FALLBACK_LOCALE = 'en';
/** What setFormatLocale was given; resolved on first use (the first Intl call initialises ICU, ~20 ms: not at activation). */
let requestedLocale: string | undefined;
let resolvedLocale: string | undefined = FALLBACK_LOCALE;
const formatters = new Map<string, Intl.NumberFormat>();

/** A locale Intl understands, canonicalised ("de-de" → "de-DE"), or English for anything else. */
export function resolveLocale(locale: string | undefined): string {
  if (!locale) return FALLBACK_LOCALE;
  try {
    return Intl.NumberFormat.supportedLocalesOf(locale)[0] ?? FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

/** The locale every format function here uses: the host sets VS Code's display language, the webview its page's `lang` (which the host writes). */
export function setFormatLocale(locale: string | undefined): void {
  requestedLocale = locale;
  resolvedLocale = undefined;
}

export function formatLocale(): string {
  resolvedLocale ??= resolveLocale(requestedLocale);
  return resolvedLocale;
}

/** One formatter per locale and style, made once (building an Intl.NumberFormat is slow). */
function formatter(style: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const currentLocale = formatLocale();
  const key = `${currentLocale}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(currentLocale, options);
    formatters.set(key, f);
  }
  return f;
}

/** At most `digits` decimals, trailing zeros dropped, no grouping (values here are short: 1023 B, 999 ms). */
function trimNumber(n: number, digits: number): string {
  const f = formatter(String(digits), { maximumFractionDigits: digits, useGrouping: false });
  // A value that rounds to zero from below would read "-0".
  return f.format(Math.abs(n) < 0.5 * 10 ** -digits ? 0 : n);
}

/** All the digits of a number, grouped, at most 6 decimals ("12,345.678901" in English), for exact values. */
export function formatExact(n: number): string {
  return formatter('exact', { maximumFractionDigits: 6 }).format(n);
}

/** 1234 → "1.2k", 0.5 → "0.5", 12 → "12". */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trimNumber(n / 1e9, 1)}G`;
  if (abs >= 1e6) return `${trimNumber(n / 1e6, 1)}M`;
  if (abs >= 1e3) return `${trimNumber(n / 1e3, 1)}k`;
  if (abs >= 100 || Number.isInteger(n)) return trimNumber(n, 0);
  if (abs >= 10) return trimNumber(n, 1);
  return trimNumber(n, 2);
}

/** The byte multiples shown, each 1024 times the one before. */
export const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 52_428_800 → "50 MiB" (binary multiples, labelled as such). */
export function formatBytes(n: number): string {
  const units = BYTE_UNITS;
  let value = Math.abs(n);
  let i = 0;
  // 1023.97 KiB would print as "1024 KiB": step up once the rounded value reaches 1024.
  while (Math.round(value) >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const digits = i === 0 || value >= 10 ? 0 : 1;
  return `${trimNumber(n < 0 ? -value : value, digits)} ${units[i]}`;
}

/** Milliseconds: 0.42 → "0.42 ms", 45.2 → "45 ms", 1530 → "1.53 s". */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${trimNumber(ms / 1000, 2)} s`;
  if (abs >= 10) return `${trimNumber(ms, 0)} ms`;
  return `${trimNumber(ms, 2)} ms`;
}

/** Seconds as a duration: 3725 → "1h 02m", 59 → "59s", 90061 → "1d 01h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  if (d > 0) return `${d}d ${pad(h)}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(s % 60)}s`;
  return `${s}s`;
}

export function formatPercent(p: number): string {
  const abs = Math.abs(p);
  return `${trimNumber(p, abs >= 10 ? 0 : 1)} %`;
}

/** A value in its unit, for tables, gauges and tooltips. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value == null || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'ms':
      return formatMs(value);
    case 'seconds':
      return Math.abs(value) < 1 ? formatMs(value * 1000) : `${trimNumber(value, Math.abs(value) >= 100 ? 0 : 2)} s`;
    case 'percent':
      return formatPercent(value);
    case 'ratio':
      return formatPercent(value * 100);
    case 'per_second':
      return `${formatCount(value)}/s`;
    case 'count':
    case 'none':
      return formatCount(value);
  }
}

/** Unicode sparkline of the values (nulls as gaps), e.g. "▁▂▄▇█▅". */
export function sparkline(values: readonly (number | null)[], width = 20): string {
  const ticks = '▁▂▃▄▅▆▇█';
  if (values.length === 0) return '';
  const step = Math.max(1, values.length / width);
  const picked: (number | null)[] = [];
  for (let i = 0; i < values.length && picked.length < width; i += step) {
    const v = values[Math.floor(i)];
    picked.push(v != null && Number.isFinite(v) ? v : null);
  }
  const finite = picked.filter((v): v is number => v != null);
  if (finite.length === 0) return ' '.repeat(picked.length);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return picked
    .map((v) => {
      if (v == null) return ' ';
      if (max === min) return ticks[3];
      return ticks[Math.round(((v - min) / (max - min)) * (ticks.length - 1))];
    })
    .join('');
}

/** A clock time in the user's locale ("14:05:09", "2:05:09 PM"); without seconds when `seconds` is false. */
export function formatTime(t: number, seconds = true): string {
  return new Date(t).toLocaleTimeString(formatLocale(), seconds ? undefined : { hour: '2-digit', minute: '2-digit' });
}

/** A date and time in the user's locale. */
export function formatDateTime(t: number): string {
  return new Date(t).toLocaleString(formatLocale());
}
