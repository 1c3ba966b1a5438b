// Runtime checks for values from outside (network, settings, stored state, the other side of the webview).
// The one place these small predicates are written; host, core and webview all import them from here.

export type Rec = Record<string, unknown>;

/** A plain object (not null, not an array). */
export function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isString(x: unknown): x is string {
  return typeof x === 'string';
}

/** A number that is not NaN (±Infinity allowed: callers that need finite use isFiniteNumber). */
export function isNumber(x: unknown): x is number {
  return typeof x === 'number' && !Number.isNaN(x);
}

export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Whether x is one of the listed strings; narrows to their union. */
export function isOneOf<T extends string>(x: unknown, values: readonly T[]): x is T {
  return typeof x === 'string' && (values as readonly string[]).includes(x);
}

/** An array whose every item passes the check. */
export function isListOf<T>(x: unknown, item: (v: unknown) => v is T): x is T[] {
  return Array.isArray(x) && x.every((v) => item(v));
}

/** Exhaustiveness check for discriminated unions: a new member fails to compile until handled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
