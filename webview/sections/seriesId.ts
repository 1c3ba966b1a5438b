// Reads the labels back out of a store series id: `sourceId|name{k="v",k2="v2"}` (seriesKey in src/core/model.ts,
// values JSON strings). Pure; never throws; anything that does not parse exactly gives null.

export type ParsedLabels = ReadonlyArray<readonly [string, string]>;

const MAX_LENGTH = 8192;
const MAX_TRIES = 16;

/** The labels of a series id, or null when it has none or is not in the expected form. */
export function labelsOfSeriesId(id: string): ParsedLabels | null {
  if (id.length > MAX_LENGTH || !id.endsWith('}')) return null;
  const bar = id.indexOf('|');
  if (bar < 0) return null;
  // The block starts at a '{' in the name part; values may contain '{' too, so try each candidate from the left.
  let tries = 0;
  for (let i = id.indexOf('{', bar + 1); i >= 0 && tries < MAX_TRIES; i = id.indexOf('{', i + 1), tries++) {
    if (i === bar + 1) continue; // a series has a name before its labels
    const labels = parseBlock(id, i);
    if (labels) return labels;
  }
  return null;
}

/** `{k="v",…}` from `start` to the very end of `s`. */
function parseBlock(s: string, start: number): ParsedLabels | null {
  const out: [string, string][] = [];
  let p = start + 1;
  for (;;) {
    const eq = s.indexOf('=', p);
    if (eq <= p) return null;
    const key = s.slice(p, eq);
    if (/[{}",=]/.test(key)) return null;
    const value = readJsonString(s, eq + 1);
    if (!value) return null;
    out.push([key, value.text]);
    p = value.end;
    if (s[p] === ',') {
      p++;
      continue;
    }
    return s[p] === '}' && p === s.length - 1 ? out : null;
  }
}

/** A JSON string literal starting at `p` (which must be a quote): its value and the index after it. */
function readJsonString(s: string, p: number): { text: string; end: number } | null {
  if (s[p] !== '"') return null;
  let j = p + 1;
  while (j < s.length) {
    const c = s[j];
    if (c === '\\') j += 2;
    else if (c === '"') break;
    else j++;
  }
  if (j >= s.length) return null;
  try {
    const text: unknown = JSON.parse(s.slice(p, j + 1));
    return typeof text === 'string' ? { text, end: j + 1 } : null;
  } catch {
    return null;
  }
}
