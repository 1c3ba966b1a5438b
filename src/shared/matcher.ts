// The series filter's language, shared by the panel's list and the host's search: plain text (a
// case-insensitive substring of name, labels or source, as before) or a Prometheus-style selector
// `name{label="x", other!="y", path=~"/api/.*", code!~"2.."}` with anchored regexes.

export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
  /** Compiled for `=~` / `!~`, anchored at both ends. */
  readonly re: RegExp | null;
}

export type SeriesQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'text'; readonly needle: string }
  | { readonly kind: 'selector'; readonly name: string | null; readonly matchers: readonly LabelMatcher[] }
  | { readonly kind: 'invalid'; readonly error: string };

/** What a query is tested against. */
export interface Matchable {
  readonly name: string;
  readonly labels: ReadonlyArray<readonly [string, string]>;
}

export const MAX_QUERY_CHARS = 200;
const MAX_MATCHERS = 16;
const MAX_REGEX_CHARS = 120;
/** Label values longer than this never match a regex (`!~` then holds): no pattern runs over huge input. */
const MAX_REGEX_SUBJECT = 1024;
// A quantified group that is itself quantified, e.g. (a+)+ or (x*)*: the classic catastrophic backtracking shape.
const NESTED_QUANTIFIER = /\([^()]*[+*}][^()]*\)\s*[+*{]/;
const NAME = /^[^\s{}"'=!~,]+$/;
const LABEL = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const invalid = (error: string): SeriesQuery => ({ kind: 'invalid', error });

/** Parses the filter text. Text without `{` is a plain search; a malformed selector says what is wrong. */
export function parseSeriesQuery(text: string): SeriesQuery {
  const q = text.trim().slice(0, MAX_QUERY_CHARS);
  if (q === '') return { kind: 'all' };
  const open = q.indexOf('{');
  if (open < 0) return { kind: 'text', needle: q.toLowerCase() };
  if (!q.endsWith('}')) return invalid('a selector ends with }');
  const name = q.slice(0, open).trim();
  if (name !== '' && !NAME.test(name)) return invalid(`"${name}" is not a series name`);
  const matchers: LabelMatcher[] = [];
  let p = open + 1;
  const end = q.length - 1;
  for (;;) {
    p = skipSpaces(q, p);
    if (p >= end) break;
    const m = readMatcher(q, p);
    if ('error' in m) return invalid(m.error);
    matchers.push(m.matcher);
    if (matchers.length > MAX_MATCHERS) return invalid(`at most ${MAX_MATCHERS} matchers`);
    p = skipSpaces(q, m.next);
    if (p >= end) break;
    if (q[p] !== ',') return invalid('matchers are separated by commas');
    p++;
  }
  if (name === '' && matchers.length === 0) return invalid('name a series or a label');
  return { kind: 'selector', name: name === '' ? null : name, matchers };
}

function skipSpaces(s: string, p: number): number {
  while (p < s.length && (s[p] === ' ' || s[p] === '\t')) p++;
  return p;
}

type Read = { readonly matcher: LabelMatcher; readonly next: number } | { readonly error: string };

function readMatcher(s: string, start: number): Read {
  const opAt = s.slice(start).search(/[=!]/);
  if (opAt < 0) return { error: 'a matcher needs =, !=, =~ or !~' };
  const label = s.slice(start, start + opAt).trim();
  if (!LABEL.test(label)) return { error: `"${label.slice(0, 40)}" is not a label name` };
  let p = start + opAt;
  const two = s.slice(p, p + 2);
  const op: MatchOp | undefined = two === '!=' || two === '=~' || two === '!~' ? two : s[p] === '=' ? '=' : undefined;
  if (op === undefined) return { error: 'a matcher needs =, !=, =~ or !~' };
  p = skipSpaces(s, p + op.length);
  const value = readQuoted(s, p);
  if (value === undefined) return { error: `the value of ${label} must be quoted` };
  const re = op === '=~' || op === '!~' ? compile(value.text) : null;
  if (typeof re === 'string') return { error: re };
  return { matcher: { label, op, value: value.text, re }, next: value.end };
}

/** A "…" or '…' string with \-escapes; undefined when unterminated. */
function readQuoted(s: string, p: number): { text: string; end: number } | undefined {
  const quote = s[p];
  if (quote !== '"' && quote !== "'") return undefined;
  let text = '';
  for (let i = p + 1; i < s.length; i++) {
    const c = s[i];
    if (c === quote) return { text, end: i + 1 };
    if (c === '\\' && i + 1 < s.length) {
      const n = s[++i];
      // Kept as written for anything but quotes and backslashes, so regex escapes (\d, \.) survive.
      text += n === quote || n === '\\' ? n : `\\${n ?? ''}`;
    } else text += c;
  }
  return undefined;
}

/** An anchored regex (Prometheus semantics), or why the pattern is refused. A leading (?i) ignores case. */
function compile(pattern: string): RegExp | string {
  if (pattern.length > MAX_REGEX_CHARS) return `a regex may have at most ${MAX_REGEX_CHARS} characters`;
  const insensitive = pattern.startsWith('(?i)');
  const body = insensitive ? pattern.slice(4) : pattern;
  if (NESTED_QUANTIFIER.test(body)) return 'nested quantifiers such as (a+)+ are not allowed';
  try {
    return new RegExp(`^(?:${body})$`, insensitive ? 'i' : '');
  } catch {
    return `"${pattern.slice(0, 40)}" is not a valid regex`;
  }
}

function labelValue(labels: Matchable['labels'], key: string): string {
  for (const [k, v] of labels) if (k === key) return v;
  return ''; // as in Prometheus, a missing label matches the empty string
}

function matchOne(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return value.length <= MAX_REGEX_SUBJECT && m.re !== null && m.re.test(value);
    case '!~':
      return !(value.length <= MAX_REGEX_SUBJECT && m.re !== null && m.re.test(value));
  }
}

/** Whether a series passes the query. `sourceName` is searched by plain text only. */
export function matchesSeries(q: SeriesQuery, s: Matchable, sourceName: string): boolean {
  switch (q.kind) {
    case 'all':
      return true;
    case 'invalid':
      return false;
    case 'text':
      return s.name.toLowerCase().includes(q.needle) || s.labels.map(([k, v]) => `${k}=${v}`).join(', ').toLowerCase().includes(q.needle) || sourceName.toLowerCase().includes(q.needle);
    case 'selector':
      return (q.name === null || q.name === s.name) && q.matchers.every((m) => matchOne(m, labelValue(s.labels, m.label)));
  }
}
