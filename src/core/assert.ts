/** Exhaustiveness check for discriminated unions: a new member fails to compile until handled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
