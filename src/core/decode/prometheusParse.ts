// Prometheus text exposition 0.0.4 and OpenMetrics 1.0, parsed in one pass over the string with
// character codes and slices: no regular expressions and no split into an array of lines. Names and
// label keys and values are interned copies, never slices of the scrape (see `ownString`).

export type PromType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'untyped';

export interface PromSample {
  readonly name: string;
  /** In the order sent; may include `le` / `quantile`. */
  readonly labels: Array<[string, string]>;
  /** May be NaN or ±Infinity: the exposition allows them. */
  readonly value: number;
}

export interface PromFamily {
  readonly name: string;
  type: PromType;
  help: string;
  unit: string;
  readonly samples: PromSample[];
}

export interface PromParseResult {
  readonly families: PromFamily[];
  readonly invalidLines: number;
  /** 1-based line number and start of the first line that could not be parsed. */
  readonly firstInvalid?: { readonly line: number; readonly text: string };
  /** An OpenMetrics `# EOF` was seen (anything after it is ignored). */
  readonly eof: boolean;
  /** Samples beyond `maxSamples` were not read. */
  readonly truncated: boolean;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const HASH = 35;
const LBRACE = 123;
const RBRACE = 125;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const MAX_LABELS = 64;

const TYPES: ReadonlyMap<string, PromType> = new Map<string, PromType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['gaugehistogram', 'gaugehistogram'],
  ['summary', 'summary'],
  ['info', 'info'],
  ['stateset', 'stateset'],
  ['untyped', 'untyped'],
  ['unknown', 'untyped'],
]);

/** Sample-name suffixes each family type may add to its name. */
const SUFFIXES: Readonly<Record<PromType, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  info: ['_info'],
  stateset: [],
  untyped: [],
};
const ALL_SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_info', '_gsum', '_gcount'];

/** V8 copies slices shorter than this; a longer slice is a view that keeps its whole parent alive. */
const SLICE_MIN_LENGTH = 13;
/** Strings up to this long are shared across scrapes; longer ones (rare) are only copied. */
const INTERN_MAX_LENGTH = 256;
/** The table is emptied when it holds this many characters (a few MiB at most, whatever the input). */
const INTERN_MAX_CHARS = 1 << 20;
const interned = new Map<string, string>();
let internedChars = 0;

/**
 * A string holding its own characters. Names and labels outlive the scrape (in the store, histogram
 * tracker, rules), and a slice of the scrape text would keep the whole text (megabytes) alive per
 * series. Concatenating makes a rope that `slice` flattens into a fresh string first.
 */
export function ownString(s: string): string {
  return s.length < SLICE_MIN_LENGTH ? s : (' ' + s).slice(1);
}

/** `s` as a shared, owned copy: scrapes repeat the same names, so each is copied once. */
export function intern(s: string): string {
  if (s.length < SLICE_MIN_LENGTH) return s;
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  const own = ownString(s);
  if (own.length <= INTERN_MAX_LENGTH) {
    if (internedChars + own.length > INTERN_MAX_CHARS) {
      interned.clear();
      internedChars = 0;
    }
    interned.set(own, own);
    internedChars += own.length;
  }
  return own;
}

function isNameChar(c: number, first: boolean): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || (!first && c >= 48 && c <= 57)
  );
}

function parseNumber(token: string): number {
  switch (token) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default: {
      const n = Number(token);
      // Number() accepts "" and some words; a value that comes out NaN was not a number.
      return token.length === 0 ? Number.NaN : n;
    }
  }
}

class Parser {
  pos = 0;
  end = 0;
  readonly families: PromFamily[] = [];
  private readonly byName = new Map<string, PromFamily>();
  private current: PromFamily | undefined;
  sampleCount = 0;
  truncated = false;

  constructor(private readonly text: string) {}

  family(name: string): PromFamily {
    let fam = this.byName.get(name);
    if (fam === undefined) {
      fam = { name, type: 'untyped', help: '', unit: '', samples: [] };
      this.byName.set(name, fam);
      this.families.push(fam);
    }
    return fam;
  }

  /** The family a sample name belongs to: the current one, a declared one, or a new untyped one. */
  familyOf(name: string): PromFamily {
    const cur = this.current;
    if (cur !== undefined && (name === cur.name || hasSuffixOf(name, cur))) return cur;
    const exact = this.byName.get(name);
    if (exact !== undefined) return (this.current = exact);
    for (const suffix of ALL_SUFFIXES) {
      if (name.length > suffix.length && name.endsWith(suffix)) {
        const base = this.byName.get(name.slice(0, -suffix.length));
        if (base !== undefined && SUFFIXES[base.type].includes(suffix)) return (this.current = base);
      }
    }
    return (this.current = this.family(name));
  }

  skipBlanks(): void {
    const t = this.text;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c !== SPACE && c !== TAB) return;
      this.pos++;
    }
  }

  /** A token up to the next blank. */
  token(): string {
    const t = this.text;
    const start = this.pos;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) break;
      this.pos++;
    }
    return t.slice(start, this.pos);
  }

  name(): string {
    const t = this.text;
    const start = this.pos;
    if (this.pos < this.end && isNameChar(t.charCodeAt(this.pos), true)) {
      this.pos++;
      while (this.pos < this.end && isNameChar(t.charCodeAt(this.pos), false)) this.pos++;
    }
    return intern(t.slice(start, this.pos));
  }

  /** `# HELP`, `# TYPE`, `# UNIT`, `# EOF` or a plain comment. Returns true at `# EOF`. */
  comment(): boolean {
    const t = this.text;
    this.pos++; // '#'
    this.skipBlanks();
    const keyword = this.token();
    if (keyword === 'EOF') return true;
    if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') return false;
    this.skipBlanks();
    const name = this.name();
    if (name.length === 0) return false;
    const fam = this.family(name);
    this.current = fam;
    if (this.pos < this.end) this.pos++; // the one blank after the name
    if (keyword === 'TYPE') {
      this.skipBlanks();
      fam.type = TYPES.get(this.token().toLowerCase()) ?? 'untyped';
    } else {
      const rest = t.slice(this.pos, this.end);
      if (keyword === 'HELP') fam.help = rest.includes('\\') ? unescape(rest, false) : rest; // not kept past the decode
      else fam.unit = intern(rest.trim());
    }
    return false;
  }

  /** One sample line; false when it is malformed. */
  sample(maxSamples: number): boolean {
    const t = this.text;
    const name = this.name();
    if (name.length === 0) return false;
    this.skipBlanks();
    let labels: Array<[string, string]> = [];
    if (this.pos < this.end && t.charCodeAt(this.pos) === LBRACE) {
      const parsed = this.labels();
      if (parsed === undefined) return false;
      labels = parsed;
      this.skipBlanks();
    }
    const valueStart = this.pos;
    const token = this.token();
    if (valueStart === this.pos) return false;
    const value = parseNumber(token);
    if (Number.isNaN(value) && token !== 'NaN') return false;
    // Whatever follows (timestamp, `# {exemplar} value`) carries nothing the model keeps.
    if (this.sampleCount >= maxSamples) {
      this.truncated = true;
      return true;
    }
    this.sampleCount++;
    this.familyOf(name).samples.push({ name, labels, value });
    return true;
  }

  labels(): Array<[string, string]> | undefined {
    const t = this.text;
    const labels: Array<[string, string]> = [];
    this.pos++; // '{'
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.end) return undefined;
      if (t.charCodeAt(this.pos) === RBRACE) {
        this.pos++;
        return labels;
      }
      const key = this.name();
      if (key.length === 0) return undefined;
      this.skipBlanks();
      if (t.charCodeAt(this.pos) !== EQUALS) return undefined;
      this.pos++;
      this.skipBlanks();
      if (t.charCodeAt(this.pos) !== QUOTE) return undefined;
      const value = this.quoted();
      if (value === undefined || labels.length >= MAX_LABELS) return undefined;
      labels.push([key, value]);
      this.skipBlanks();
      const c = t.charCodeAt(this.pos);
      if (c === COMMA) this.pos++;
      else if (c !== RBRACE) return undefined;
    }
  }

  /** A double-quoted label value starting at the opening quote; undefined when unterminated. */
  quoted(): string | undefined {
    const t = this.text;
    const start = ++this.pos;
    let escaped = false;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c === QUOTE) {
        const raw = t.slice(start, this.pos++);
        return intern(escaped ? unescape(raw, true) : raw);
      }
      if (c === BACKSLASH) {
        escaped = true;
        this.pos++;
      }
      this.pos++;
    }
    return undefined;
  }
}

function hasSuffixOf(name: string, fam: PromFamily): boolean {
  const base = fam.name;
  if (name.length <= base.length || !name.startsWith(base)) return false;
  const suffixes = SUFFIXES[fam.type];
  for (const s of suffixes) if (name.length === base.length + s.length && name.endsWith(s)) return true;
  return false;
}

/** `\\`, `\n` and (in label values) `\"`; any other escape is kept as written. */
function unescape(raw: string, quotes: boolean): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i >= 0 && i < raw.length - 1; i = raw.indexOf('\\', i)) {
    const next = raw.charCodeAt(i + 1);
    const replacement = next === BACKSLASH ? '\\' : next === 110 ? '\n' : quotes && next === QUOTE ? '"' : undefined;
    if (replacement === undefined) {
      i += 2;
      continue;
    }
    out += raw.slice(from, i) + replacement;
    from = i + 2;
    i += 2;
  }
  return out + raw.slice(from);
}

/** Parses exposition text. Malformed lines are counted and skipped, never thrown. */
export function parsePrometheusText(text: string, maxSamples = 200_000): PromParseResult {
  const p = new Parser(text);
  const length = text.length;
  let lineNo = 0;
  let invalidLines = 0;
  let firstInvalid: { line: number; text: string } | undefined;
  let eof = false;
  let start = 0;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    const next = end + 1;
    lineNo++;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    p.pos = start;
    p.end = end;
    p.skipBlanks();
    if (p.pos < end) {
      let ok = true;
      if (text.charCodeAt(p.pos) === HASH) {
        if (p.comment()) {
          eof = true;
          break;
        }
      } else ok = p.sample(maxSamples);
      if (!ok) {
        invalidLines++;
        firstInvalid ??= { line: lineNo, text: text.slice(start, Math.min(end, start + 80)) };
      }
    }
    start = next;
  }
  return {
    families: p.families,
    invalidLines,
    ...(firstInvalid === undefined ? {} : { firstInvalid }),
    eof,
    truncated: p.truncated,
  };
}

/** Whether text looks like exposition format: a `#` line first, or a first line shaped `name[{…}] value`. */
export function looksLikePrometheus(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const p = new Parser(text);
    p.pos = start;
    p.end = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    p.skipBlanks();
    if (p.pos < p.end) {
      if (text.charCodeAt(p.pos) === HASH) return true;
      const name = p.name();
      if (name.length === 0) return false;
      p.skipBlanks();
      if (p.pos < p.end && text.charCodeAt(p.pos) === LBRACE) {
        if (p.labels() === undefined) return false;
        p.skipBlanks();
      }
      const token = p.token();
      return token === 'NaN' || (token.length > 0 && !Number.isNaN(parseNumber(token)));
    }
    start = end + 1;
  }
  return false;
}
