// Prometheus text exposition 0.0.4 and OpenMetrics 1.0, parsed in one pass over the string with
// character codes and slices: no regular expressions and no split into an array of lines. Names and
// label keys and values are interned copies, never slices of the scrape (see `ownString`).

export type PromType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'untyped';

export interface PromSample {
  readonly name: string;
  /** In the order sent; may include `le` / `quantile`. Shared between samples and scrapes: never mutate. */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  /** May be NaN or ±Infinity: the exposition allows them. */
  readonly value: number;
}

export interface PromFamily {
  readonly name: string;
  type: PromType;
  help: string;
  unit: string;
  /** Each named `name` or `name` and a suffix (`_bucket`, `_total`…). */
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
 * Label pairs by their text as sent (`key="value"`, still escaped), and whole label sets by the text
 * between their braces: scrapes repeat both, line after line and scrape after scrape, and a hit costs
 * one hash of the text instead of a parse and fresh arrays that live as long as the parse result.
 * Keys are owned copies; each table is bounded by its characters.
 */
const pairTable = new Map<string, readonly [string, string]>();
let pairChars = 0;
const PAIR_MAX_CHARS = 1 << 20;
interface LabelSet {
  /** The text between the braces, owned. */
  readonly key: string;
  readonly labels: ReadonlyArray<readonly [string, string]>;
  /** Its index in the order of the last parse that met it. */
  at: number;
}
const labelSets = new Map<string, LabelSet>();
/**
 * The label sets the last parse met, in order (undefined: one the table did not take): the next scrape
 * of a target sends them in the same order, and comparing the text with the one expected there is
 * cheaper than a lookup in a large table.
 */
let lastOrder: ReadonlyArray<LabelSet | undefined> = [];
/**
 * The label-set table's size: its keys' characters and a rough 96 per entry for the rest (key header,
 * entry, array, map and order slots), so short keys cannot make it hold millions of entries. Its cap
 * lets a 100k-series scrape fit (about 28 MB held then, measured), which is where the table saves the most.
 */
let labelSetSize = 0;
const LABEL_SET_ENTRY = 96;
const LABEL_SET_MAX_SIZE = 1 << 24;
/** Longer label sets (rare) are parsed every time. */
const LABEL_SET_MAX_LENGTH = 1024;
/**
 * Whether `labelSets` filled up (it then takes no more), whether it was full when the last parse
 * started, and how often it answered in the current parse.
 */
let labelSetsFull = false;
let startedFull = false;
let labelSetHits = 0;
const NO_LABELS: ReadonlyArray<readonly [string, string]> = [];

/**
 * Called before each parse: a full table is emptied only when less than half of it served a whole
 * parse (label churn), so a scrape larger than the table keeps the hits it has instead of refilling
 * the table line after line.
 */
function startLabelSets(): void {
  if (labelSetsFull && startedFull && labelSetHits < labelSets.size / 2) {
    labelSets.clear();
    labelSetSize = 0;
    labelSetsFull = false;
  }
  startedFull = labelSetsFull;
  labelSetHits = 0;
}

function rememberLabelSet(raw: string, labels: ReadonlyArray<readonly [string, string]>, at: number): LabelSet | undefined {
  if (labelSetsFull || raw.length > LABEL_SET_MAX_LENGTH) return undefined;
  const size = raw.length + LABEL_SET_ENTRY;
  if (labelSetSize + size > LABEL_SET_MAX_SIZE) {
    labelSetsFull = true;
    return undefined;
  }
  const set: LabelSet = { key: ownString(raw), labels, at };
  labelSets.set(set.key, set);
  labelSetSize += size;
  return set;
}

/** Index of the `}` closing the label set whose `{` is before `from`, skipping quoted values; -1 if none before `end`. */
function closingBrace(t: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c === RBRACE) return i;
    if (c === QUOTE) {
      for (i++; i < end; i++) {
        const q = t.charCodeAt(i);
        if (q === QUOTE) break;
        if (q === BACKSLASH) i++;
      }
    }
  }
  return -1;
}

/** Whether `s` holds `part` at `at` (`startsWith` with a position is a slow path in V8: measured). */
function matchAt(s: string, at: number, part: string): boolean {
  if (at + part.length > s.length) return false;
  for (let i = 0; i < part.length; i++) if (s.charCodeAt(at + i) !== part.charCodeAt(i)) return false;
  return true;
}

/** The value of an unsigned decimal integer of at most 15 digits (exact in a double), else -1. */
function integerAt(t: string, start: number, end: number): number {
  if (end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

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
  /** The last sample name and its family (forgotten at every comment line, which may change the answer). */
  private lastName = '';
  /**
   * Where `lastName` and the current family's name were last read in the text (-1: not read here):
   * names are matched against those places, since the text is one flat string and the names
   * themselves are sliced copies whose characters are slower to read.
   */
  private lastNameAt = -1;
  /** The label sets met so far, and those the last parse met (see `lastOrder`). */
  readonly order: Array<LabelSet | undefined> = [];
  private readonly expected = lastOrder;
  /** Where this parse is in `expected` relative to `order`: series added or gone since shift it. */
  private shift = 0;
  private currentAt = -1;
  private lastFamily: PromFamily | undefined;
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
  familyOf(name: string, at: number): PromFamily {
    if (name === this.lastName && this.lastFamily !== undefined) return this.lastFamily;
    const fam = this.findFamily(name, at);
    this.lastName = name;
    this.lastNameAt = at;
    this.lastFamily = fam;
    return fam;
  }

  /** `at`: where `name` starts in the text (a family found or made here has its name there too). */
  private findFamily(name: string, at: number): PromFamily {
    const cur = this.current;
    if (cur !== undefined && (name === cur.name || hasSuffixOf(name, cur))) return cur;
    const exact = this.byName.get(name);
    this.currentAt = at;
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
    const start = this.pos;
    this.skipToken();
    return this.text.slice(start, this.pos);
  }

  name(): string {
    const start = this.pos;
    this.skipName();
    return intern(this.text.slice(start, this.pos));
  }

  skipName(): void {
    const t = this.text;
    if (this.pos < this.end && isNameChar(t.charCodeAt(this.pos), true)) {
      this.pos++;
      while (this.pos < this.end && isNameChar(t.charCodeAt(this.pos), false)) this.pos++;
    }
  }

  /**
   * A sample's name: most lines repeat the previous line's or the name of the family just declared,
   * which are then matched in place instead of copied and looked up.
   */
  sampleName(): string {
    if (this.nameHere(this.lastName.length, this.lastNameAt)) return this.lastName;
    const cur = this.current;
    if (cur !== undefined && this.nameHere(cur.name.length, this.currentAt)) return cur.name;
    return this.name();
  }

  /** Whether the name of `length` read at `at` is the whole name at `pos`; if so `pos` moves past it. */
  nameHere(length: number, at: number): boolean {
    const t = this.text;
    const pos = this.pos;
    if (at < 0 || length === 0 || pos + length > this.end || isNameChar(t.charCodeAt(pos + length), false)) return false;
    for (let i = 0; i < length; i++) if (t.charCodeAt(pos + i) !== t.charCodeAt(at + i)) return false;
    this.pos = pos + length;
    return true;
  }

  /** `# HELP`, `# TYPE`, `# UNIT`, `# EOF` or a plain comment. Returns true at `# EOF`. */
  comment(): boolean {
    const t = this.text;
    this.pos++; // '#'
    this.lastFamily = undefined;
    this.skipBlanks();
    const keyword = this.keyword();
    if (keyword === 'EOF') return true;
    if (keyword === undefined) return false;
    this.skipBlanks();
    // `# TYPE x` usually follows `# HELP x`.
    const cur = this.current;
    const at = this.pos;
    const fam = cur !== undefined && this.nameHere(cur.name.length, this.currentAt) ? cur : this.namedFamily();
    if (fam === undefined) return false;
    this.current = fam;
    this.currentAt = at;
    if (this.pos < this.end) this.pos++; // the one blank after the name
    if (keyword === 'TYPE') {
      this.skipBlanks();
      fam.type = this.typeWord();
    } else {
      const rest = t.slice(this.pos, this.end);
      if (keyword === 'HELP') fam.help = rest.includes('\\') ? unescape(rest, false) : rest; // not kept past the decode
      else fam.unit = intern(rest.trim());
    }
    return false;
  }

  private namedFamily(): PromFamily | undefined {
    const name = this.name();
    return name.length === 0 ? undefined : this.family(name);
  }

  /** Moves past the next token (up to a space or tab) and returns its length. */
  private skipToken(): number {
    const t = this.text;
    const start = this.pos;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) break;
      this.pos++;
    }
    return this.pos - start;
  }

  /** The type named by the next token: the usual lower-case words compared in place, any other spelling looked up. */
  typeWord(): PromType {
    const t = this.text;
    const start = this.pos;
    const length = this.skipToken();
    for (const [word, type] of TYPES) if (word.length === length && matchAt(t, start, word)) return type;
    return TYPES.get(t.slice(start, this.pos).toLowerCase()) ?? 'untyped';
  }

  /** `HELP`, `TYPE`, `UNIT` or `EOF` as a whole token (read without slicing), else undefined. */
  keyword(): 'HELP' | 'TYPE' | 'UNIT' | 'EOF' | undefined {
    const t = this.text;
    const start = this.pos;
    const length = this.skipToken();
    if (length === 3) return matchAt(t, start, 'EOF') ? 'EOF' : undefined;
    if (length !== 4) return undefined;
    if (matchAt(t, start, 'HELP')) return 'HELP';
    if (matchAt(t, start, 'TYPE')) return 'TYPE';
    return matchAt(t, start, 'UNIT') ? 'UNIT' : undefined;
  }

  /** One sample line; false when it is malformed. */
  sample(maxSamples: number): boolean {
    const t = this.text;
    const at = this.pos;
    const name = this.sampleName();
    if (name.length === 0) return false;
    this.skipBlanks();
    let labels = NO_LABELS;
    if (this.pos < this.end && t.charCodeAt(this.pos) === LBRACE) {
      const parsed = this.labels();
      if (parsed === undefined) return false;
      labels = parsed;
      this.skipBlanks();
    }
    const valueStart = this.pos;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) break;
      this.pos++;
    }
    if (valueStart === this.pos) return false;
    let value = integerAt(t, valueStart, this.pos);
    if (value < 0) {
      const token = t.slice(valueStart, this.pos);
      value = parseNumber(token);
      if (Number.isNaN(value) && token !== 'NaN') return false;
    }
    // Whatever follows (timestamp, `# {exemplar} value`) carries nothing the model keeps.
    if (this.sampleCount >= maxSamples) {
      this.truncated = true;
      return true;
    }
    this.sampleCount++;
    this.familyOf(name, at).samples.push({ name, labels, value });
    return true;
  }

  /** A label set starting at `{`: from the table when its text was seen before, else parsed. */
  labels(): ReadonlyArray<readonly [string, string]> | undefined {
    const t = this.text;
    const close = closingBrace(t, this.pos + 1, this.end);
    if (close < 0) return undefined;
    const raw = t.slice(this.pos + 1, close);
    const index = this.order.length;
    const guess = index + this.shift;
    let known = guess >= 0 && guess < this.expected.length ? this.expected[guess] : undefined;
    if (known === undefined || known.key !== raw) {
      known = labelSets.get(raw);
      if (known !== undefined) this.shift = known.at - index;
    }
    if (known !== undefined) {
      known.at = index;
      labelSetHits++;
      this.order.push(known);
      this.pos = close + 1;
      return known.labels;
    }
    const parsed = this.parseLabels();
    if (parsed === undefined) return undefined;
    // A copy has no spare capacity (`push` leaves room for 17 pairs): the table may hold many.
    const labels = parsed.length === 0 ? NO_LABELS : parsed.slice();
    this.order.push(rememberLabelSet(raw, labels, index));
    return labels;
  }

  parseLabels(): Array<readonly [string, string]> | undefined {
    const t = this.text;
    const labels: Array<readonly [string, string]> = [];
    this.pos++; // '{'
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.end) return undefined;
      if (t.charCodeAt(this.pos) === RBRACE) {
        this.pos++;
        return labels;
      }
      const keyStart = this.pos;
      this.skipName();
      const keyEnd = this.pos;
      if (keyEnd === keyStart) return undefined;
      this.skipBlanks();
      if (t.charCodeAt(this.pos) !== EQUALS) return undefined;
      this.pos++;
      this.skipBlanks();
      if (t.charCodeAt(this.pos) !== QUOTE) return undefined;
      const valueStart = this.pos + 1;
      const escaped = this.skipQuoted();
      if (escaped === undefined || labels.length >= MAX_LABELS) return undefined;
      labels.push(this.pair(keyStart, keyEnd, valueStart, escaped));
      this.skipBlanks();
      const c = t.charCodeAt(this.pos);
      if (c === COMMA) this.pos++;
      else if (c !== RBRACE) return undefined;
    }
  }

  /**
   * Past a double-quoted label value starting at the opening quote: whether it holds a backslash, or
   * undefined when it is unterminated.
   */
  skipQuoted(): boolean | undefined {
    const t = this.text;
    let escaped = false;
    for (this.pos++; this.pos < this.end; this.pos++) {
      const c = t.charCodeAt(this.pos);
      if (c === QUOTE) {
        this.pos++;
        return escaped;
      }
      if (c === BACKSLASH) {
        escaped = true;
        this.pos++;
      }
    }
    return undefined;
  }

  /** The pair whose text runs from `keyStart` to the closing quote just before `pos`. */
  pair(keyStart: number, keyEnd: number, valueStart: number, escaped: boolean): readonly [string, string] {
    const t = this.text;
    const raw = t.slice(keyStart, this.pos - 1);
    const known = pairTable.get(raw);
    if (known !== undefined) return known;
    const value = t.slice(valueStart, this.pos - 1);
    const pair = [intern(t.slice(keyStart, keyEnd)), intern(escaped ? unescape(value, true) : value)] as const;
    if (raw.length <= INTERN_MAX_LENGTH) {
      if (pairChars + raw.length > PAIR_MAX_CHARS) {
        pairTable.clear();
        pairChars = 0;
      }
      pairTable.set(ownString(raw), pair);
      pairChars += raw.length;
    }
    return pair;
  }
}

function hasSuffixOf(name: string, fam: PromFamily): boolean {
  const base = fam.name;
  if (name.length <= base.length || !matchAt(name, 0, base)) return false;
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
  startLabelSets();
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
  lastOrder = p.order;
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
