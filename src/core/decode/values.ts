// Validation of untrusted scalar values: numbers, timestamps, strings.

import { isRecord } from '../../shared/check';

/** A JSON object as JSON.parse produces it; read with own-property checks only. */
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return isRecord(value);
}

/** Own property only: never reads through a prototype, whatever the key. */
export function field(obj: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function objectField(obj: JsonObject, key: string): JsonObject | undefined {
  const v = field(obj, key);
  return isObject(v) ? v : undefined;
}

const NUMERIC_STRING = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A finite number, or undefined. -0 becomes 0. Strings like "12.5" are accepted only when
 * `allowString` (known fields whose producers sometimes quote numbers).
 */
export function finiteNumber(value: unknown, allowString = false): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (allowString && typeof value === 'string' && value.length <= 64) {
    const s = value.trim();
    if (!NUMERIC_STRING.test(s)) return undefined;
    n = Number(s);
  } else return undefined;
  if (!Number.isFinite(n)) return undefined;
  return n === 0 ? 0 : n;
}

/** Largest time a Date can hold, in ms. */
const MAX_TIME_MS = 8.64e15;
/** Numbers below this are taken as seconds since the epoch (1e11 ms is March 1973). */
const SECONDS_BELOW = 1e11;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ms since the epoch from a number (ms, or seconds when < 1e11) or an ISO string; else undefined. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    const ms = value < SECONDS_BELOW ? value * 1000 : value;
    return ms <= MAX_TIME_MS ? Math.round(ms) : undefined;
  }
  if (typeof value === 'string' && value.length <= 40) {
    const s = value.trim();
    if (NUMERIC_STRING.test(s)) return parseTimestamp(Number(s));
    if (!ISO_DATE.test(s)) return undefined;
    const ms = Date.parse(s);
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  }
  return undefined;
}

export function truncate(text: string, max: number): string {
  // Flattened into a copy: a slice would keep all of `text` (maybe megabytes) alive wherever the result is kept.
  return text.length <= max ? text : ` ${text.slice(0, Math.max(0, max - 1))}…`.slice(1);
}

/** Longest label value kept; longer ones are cut so a hostile server cannot bloat every series key. */
export const MAX_LABEL_VALUE = 256;

export function labelValue(value: unknown): string | undefined {
  if (typeof value === 'string') return truncate(value, MAX_LABEL_VALUE);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Control and replacement characters shown as `·`, so error texts stay printable. */
export function printable(text: string): string {
  // Most texts have nothing to replace: found out with one scan, and returned as they are.
  let i = 0;
  while (i < text.length && !unprintable(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += unprintable(c) ? '\u00b7' : text.charAt(i);
  }
  return out;
}

function unprintable(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0xfffd;
}

/** The start of a payload, printable, quoted and short, for error messages. */
export function snippet(payload: string, max = 40): string {
  const head = printable(payload.slice(0, max));
  return JSON.stringify(payload.length > max ? `${head}…` : head);
}
