// Hostile content for the `evil`, `nested` and `cardinality` modes: what a compromised or buggy
// server could send, so the client's escaping and bounds get exercised for real.

const BIG = 'A'.repeat(100 * 1024);

/** Strings that must never become markup, links, commands or misleading text in the client. */
export const EVIL_STRINGS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.domain)</script>',
  '[click me](command:workbench.action.terminal.new)',
  'command:workbench.action.openSettings',
  '\u202Egnp.exe\u202C safe.txt',
  '\u2066bidi\u2069 \u200F isolate',
  'lone \uD800 surrogate',
  'low \uDC00 surrogate',
  'line\nbreak\r\tand\u0000nul',
  BIG,
];

/** Keys that hurt when a client copies them into a plain object. */
export const EVIL_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'];

/** An object with own enumerable properties named like prototype members (JSON.stringify keeps them). */
export function objectWithKeys<T>(entries: ReadonlyArray<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** `{"a":{"a":…{"value":1}…}}` of the given depth, built as text: JSON.stringify would recurse that deep. */
export function nestedJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}{"value":1}${'}'.repeat(depth)}`;
}

/** Adds `"nested": <deep object>` to a serialised JSON object. */
export function withNested(json: string, depth: number): string {
  if (!json.endsWith('}')) return json;
  const separator = json === '{}' ? '' : ',';
  return `${json.slice(0, -1)}${separator}"nested":${nestedJson(depth)}}`;
}

/** Adds a padding field so the serialised message is about `bytes` long. */
export function padded(json: string, bytes: number): string {
  if (!json.endsWith('}')) return json;
  const missing = Math.max(0, bytes - json.length - 16);
  return `${json.slice(0, -1)},"padding":"${'x'.repeat(missing)}"}`;
}

/** Escapes a Prometheus label value. */
export function promLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function cardinalityPrometheus(count: number): string {
  const lines = ['# HELP pulse_demo_items One series per item: a cardinality explosion.', '# TYPE pulse_demo_items gauge'];
  for (let i = 0; i < count; i++) lines.push(`pulse_demo_items{item="item-${i}"} ${i % 97}`);
  return lines.join('\n');
}

export function evilPrometheus(): string {
  const lines = ['# HELP pulse_demo_evil Labels carrying hostile text <img src=x onerror=alert(1)>', '# TYPE pulse_demo_evil gauge'];
  EVIL_STRINGS.forEach((s, i) => lines.push(`pulse_demo_evil{label="${promLabel(s)}"} ${i + 1}`));
  lines.push(`pulse_demo_evil{__proto__="polluted",constructor="prototype"} 42`);
  lines.push('# TYPE __proto__ gauge', '__proto__ 1', '# TYPE constructor gauge', 'constructor{prototype="x"} 2');
  return lines.join('\n');
}
