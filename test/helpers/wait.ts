// Waiting on a condition in tests: poll until it holds, or fail saying what was awaited.

/** Polls until `check` returns a value other than undefined/false; throws naming `what` after `timeoutMs`. */
export async function pollUntil<T>(what: string, check: () => T | undefined | false, timeoutMs: number, everyMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
