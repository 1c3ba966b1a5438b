// Finds where an HTTP route is registered in source text, for "Go to Handler".
//
// Rather than building a regular expression from the path (which would need escaping and still trip on
// `:id` vs `123`), the text is scanned once for string literals, comments skipped; each literal that looks
// like a path is compared segment by segment with the wanted path, and what surrounds it decides the
// pattern (a router call, a Bun `routes` key, Go's HandleFunc, or just a literal).

export type RoutePattern = 'express' | 'router' | 'bun-routes' | 'go-handlefunc' | 'string-literal';
export type SourceLanguage = 'js' | 'go' | 'py';

export interface RouteMatch {
  /** 0-based, like vscode.Position. */
  readonly line: number;
  /** 0-based column of the literal's opening quote. */
  readonly column: number;
  /** Higher is better, 1–100. */
  readonly score: number;
  readonly pattern: RoutePattern;
  /** The line, trimmed and shortened, for pick lists. */
  readonly preview: string;
}

export interface FindRouteOptions {
  /** Decides the comment syntax. Default 'js'. */
  readonly language?: SourceLanguage;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

const BASE_SCORE: Readonly<Record<RoutePattern, number>> = {
  express: 80,
  'go-handlefunc': 80,
  router: 75,
  'bun-routes': 75,
  'string-literal': 20,
};
const COMPARISON_BONUS = 15;
const ROUTES_OBJECT_BONUS = 5;
const METHOD_MATCH = 10;
const METHOD_MISMATCH = -30;
const PATH_EXACT = 10;
const PER_WILD_SEGMENT = 3;
const MOUNTED_PENALTY = 25;
const MAX_LITERAL = 500;
const PREVIEW_MAX = 160;

/** Client libraries whose `.get('/x')` is a request, not a registration. */
const CLIENT_RECEIVERS = new Set(['axios', 'fetch', 'ky', 'got', 'superagent', 'request', 'requests', 'httpx', 'client', 'session', 'agent', 'cy', 'page', '$', 'jquery', 'http']);
const SERVER_RECEIVERS = new Set(['app', 'server', 'fastify', 'application', 'api', 'hono', 'elysia', 'srv']);

/** Where `path` (method optional) is registered in `text`; best first. */
export function findRouteRegistrations(text: string, path: string, method?: string, options: FindRouteOptions = {}): RouteMatch[] {
  const wantedPath = normalizePath(path);
  const target = splitPath(wantedPath.startsWith('/') ? wantedPath : `/${wantedPath}`);
  if (target === undefined) return [];
  const statics = target.filter((s) => !isParam(s));
  if (statics.length > 0 && !statics.some((s) => text.includes(s))) return [];
  const wanted = method === undefined ? undefined : toMethod(method.toUpperCase());
  const targetText = `/${target.join('/')}`;
  const lines = new LineIndex(text);
  const matches: RouteMatch[] = [];

  for (const lit of stringLiterals(text, options.language ?? 'js')) {
    const first = lit.content.trimStart()[0];
    if (first !== '/' && first !== '$' && !(first !== undefined && first >= 'A' && first <= 'Z')) continue;
    const route = parseRouteLiteral(lit.content);
    if (route === undefined) continue;
    const ctx = classify(text, lit.start, lit.end, options.language ?? 'js');
    const segments = splitPath(route.path);
    if (segments === undefined) continue;
    const mountable = route.mounted || ctx.pattern === 'express' || ctx.pattern === 'router' || ctx.pattern === 'go-handlefunc';
    const fit = matchSegments(segments, target) ?? (mountable ? matchSuffix(segments, target) : undefined);
    if (fit === undefined) continue;
    // "/" is in every file; for the root only a registration is evidence.
    if (target.length === 0 && (ctx.pattern === 'string-literal' || (ctx.pattern === 'bun-routes' && ctx.bonus === 0))) continue;

    let score = BASE_SCORE[ctx.pattern] + ctx.bonus;
    score += `/${segments.join('/')}` === targetText ? PATH_EXACT : Math.max(0, PATH_EXACT - PER_WILD_SEGMENT * fit.wild);
    if (fit.suffix) score -= MOUNTED_PENALTY;
    const methods = route.method !== undefined ? [route.method] : ctx.methods;
    if (wanted !== undefined && methods.length > 0) score += methods.includes(wanted) ? METHOD_MATCH : METHOD_MISMATCH;

    const { line, column, lineText } = lines.locate(lit.start);
    matches.push({ line, column, score: clamp(score), pattern: ctx.pattern, preview: preview(lineText) });
  }
  return matches.sort((a, b) => b.score - a.score || a.line - b.line);
}

export interface FileMatches<F> {
  readonly file: F;
  /** Workspace-relative path, used for tie-breaking and to tell test files apart. */
  readonly path: string;
  readonly matches: readonly RouteMatch[];
}

export interface RankedMatch<F> {
  readonly file: F;
  readonly path: string;
  readonly match: RouteMatch;
  /** The match's score adjusted for the file (tests and fixtures rank lower). */
  readonly score: number;
}

const TEST_FILE = /(^|\/)(__tests__|__mocks__|tests?|spec|fixtures?|e2e)\/|[._-](test|spec)\.[^/]+$|_test\.go$/i;
const TEST_FILE_PENALTY = 20;

/** All matches across files, best first (score, then path, then line). */
export function rankMatches<F>(files: Iterable<FileMatches<F>>, limit = 50): RankedMatch<F>[] {
  const ranked: RankedMatch<F>[] = [];
  for (const f of files) {
    const penalty = TEST_FILE.test(f.path) ? TEST_FILE_PENALTY : 0;
    for (const match of f.matches) ranked.push({ file: f.file, path: f.path, match, score: Math.max(1, match.score - penalty) });
  }
  ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.match.line - b.match.line);
  return ranked.slice(0, limit);
}

/** The matches whose score is within `margin` of the best: one means "open it", several mean "let the user pick". */
export function closeContenders<F>(ranked: readonly RankedMatch<F>[], margin = 8): RankedMatch<F>[] {
  const best = ranked[0];
  return best === undefined ? [] : ranked.filter((r) => r.score >= best.score - margin);
}

export function languageOf(fileName: string): SourceLanguage {
  if (/\.go$/i.test(fileName)) return 'go';
  if (/\.pyi?$/i.test(fileName)) return 'py';
  return 'js';
}

// ---------------------------------------------------------------- paths

/** Drops origin, query and fragment: `http://localhost:3000/x?y=1` → `/x`. */
export function normalizePath(path: string): string {
  let p = path.trim();
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(p);
  if (origin) p = p.slice(origin[0].length) || '/';
  const cut = p.search(/[?#]/);
  return cut >= 0 ? p.slice(0, cut) : p;
}

function splitPath(path: string): string[] | undefined {
  if (!path.startsWith('/') || /\s/.test(path)) return undefined;
  return path.split('/').filter((s) => s.length > 0);
}

/** `:id`, `:id?`, `:id(\\d+)`, `{id}`, `{id:int}`, `[id]`, `<int:id>`, `*`, and the catch-alls. */
function isParam(segment: string): boolean {
  return /^(:[\w$-]+[?*+]?(\(.*\))?|\{[^}]*\}|\[[^\]]*\]|<[^>]*>|\*.*)$/.test(segment);
}

function isCatchAll(segment: string): boolean {
  return /^(\*.*|\{[^}]*\.\.\.\}|\{\*[^}]*\}|\[\[?\.\.\.[^\]]*\]\]?|:[\w$-]+[*+]|<path:[^>]*>)$/.test(segment);
}

interface Fit {
  /** Segments where a parameter on one side met a literal on the other. */
  readonly wild: number;
  readonly suffix: boolean;
}

function matchSegments(pattern: readonly string[], target: readonly string[]): Fit | undefined {
  let wild = 0;
  // At least one literal segment must agree: `/:a/:b` would match anything and is no evidence of the route.
  let anchored = pattern.length === 0;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    if (i === pattern.length - 1 && isCatchAll(p)) return anchored && target.length >= i ? { wild: wild + 1, suffix: false } : undefined;
    const t = target[i];
    if (t === undefined) return undefined;
    if (p === t) {
      anchored ||= !isParam(p);
      continue;
    }
    const pp = isParam(p);
    const tp = isParam(t);
    if (!pp && !tp) return undefined;
    if (pp !== tp) wild++;
  }
  return anchored && pattern.length === target.length ? { wild, suffix: false } : undefined;
}

/** A route registered on a router mounted under a prefix: `/users/:id` inside `app.use('/api', router)`. */
function matchSuffix(pattern: readonly string[], target: readonly string[]): Fit | undefined {
  if (pattern.length === 0 || pattern.length >= target.length) return undefined;
  const fit = matchSegments(pattern, target.slice(target.length - pattern.length));
  return fit === undefined ? undefined : { wild: fit.wild, suffix: true };
}

interface RouteLiteral {
  readonly path: string;
  readonly method?: HttpMethod;
  /** Started with an interpolated prefix (`${base}/users`), so it may sit under a mount point. */
  readonly mounted: boolean;
}

function parseRouteLiteral(content: string): RouteLiteral | undefined {
  let s = content.trim();
  if (s.length === 0 || s.length > MAX_LITERAL) return undefined;
  let method: HttpMethod | undefined;
  const prefixed = /^([A-Z]+)\s+(\S+)$/.exec(s);
  if (prefixed) {
    method = toMethod(prefixed[1] ?? '');
    if (method === undefined) return undefined;
    s = prefixed[2] ?? '';
  }
  let mounted = false;
  if (s.startsWith('${')) {
    const close = s.indexOf('}');
    s = close < 0 ? '' : s.slice(close + 1);
    mounted = true;
  } else if (method !== undefined && !s.startsWith('/')) {
    s = s.slice(Math.max(0, s.indexOf('/'))); // Go 1.22 patterns may name a host: "GET example.com/x"
  }
  if (!s.startsWith('/')) return undefined;
  s = normalizePath(s.replace(/(?<=\/)\$\{[^}]*\}(?=\/|$)/g, ':param'));
  if (s.includes('${')) return undefined; // interpolation inside a segment: cannot be compared
  return method === undefined ? { path: s, mounted } : { path: s, method, mounted };
}

function toMethod(word: string): HttpMethod | undefined {
  return (HTTP_METHODS as readonly string[]).includes(word) ? (word as HttpMethod) : undefined;
}

// ---------------------------------------------------------------- context of a literal

interface Context {
  readonly pattern: RoutePattern;
  readonly bonus: number;
  /** Methods the registration answers; empty when it answers any (or nobody can tell). */
  readonly methods: readonly HttpMethod[];
}

const BEFORE_WINDOW = 160;
const AFTER_WINDOW = 400;

function classify(text: string, start: number, end: number, language: SourceLanguage): Context {
  const before = text.slice(Math.max(0, start - BEFORE_WINDOW), start);
  const after = text.slice(end, end + AFTER_WINDOW);

  const call = /(?:([\w$]+)|\))?\s*\??\.\s*([A-Za-z_$][\w$]*)\s*\(\s*$/.exec(before);
  if (call) {
    const receiver = (call[1] ?? '').toLowerCase();
    const name = call[2] ?? '';
    const lower = name.toLowerCase();
    const method = lower === 'del' ? 'DELETE' : toMethod(name.toUpperCase());
    const isGoHandle = language !== 'py' && /^Handle(Func)?$/.test(name);
    const isRegistrar = method !== undefined || isGoHandle || ['all', 'any', 'use', 'route', 'on', 'handle'].includes(lower);
    const isRequest = CLIENT_RECEIVERS.has(receiver) || (lower !== 'route' && /^\s*\)/.test(after));
    if (isRegistrar && !(isRequest && !isGoHandle)) {
      const methods = method !== undefined ? [method] : lower === 'route' || isGoHandle ? chainedMethods(after, language) : [];
      const pattern: RoutePattern = isGoHandle ? 'go-handlefunc' : SERVER_RECEIVERS.has(receiver) ? 'express' : 'router';
      return { pattern, bonus: 0, methods };
    }
  }

  // chi: r.Method("GET", "/x", h)
  const chi = /\.\s*Method(?:Func)?\s*\(\s*"([A-Z]+)"\s*,\s*$/.exec(before);
  if (chi) return { pattern: 'router', bonus: 0, methods: methodList(chi[1] ?? '') };

  // Object key: Bun.serve({ routes: { "/x": … } }) and route tables like it.
  if (/[{,]\s*$/.test(before) && /^\s*:/.test(after)) {
    const inRoutes = /\broutes\s*[:=]\s*\{/.test(text.slice(Math.max(0, start - 4000), start));
    return { pattern: 'bun-routes', bonus: inRoutes ? ROUTES_OBJECT_BONUS : 0, methods: objectValueMethods(after) };
  }

  // fastify.route({ method: 'GET', url: '/x' }) and similar route-definition objects.
  if (/\b(url|path)\s*:\s*$/.test(before)) {
    const around = text.slice(Math.max(0, start - 200), end + 200);
    const m = /\bmethod\s*:\s*['"`]([A-Za-z]+)['"`]/.exec(around);
    return { pattern: 'router', bonus: -10, methods: m ? methodList((m[1] ?? '').toUpperCase()) : [] };
  }

  // Hand-rolled dispatch: `url.pathname === '/x'`, `case '/x':`; a method literal on the same line tells which.
  const compared = /(===?|!==?|\bcase)\s*$/.test(before) || /^\s*(===?|!==?)/.test(after);
  const line = lineAround(text, start, end);
  const sameLineMethod = /(['"`])(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\1/.exec(line);
  return {
    pattern: 'string-literal',
    bonus: compared ? COMPARISON_BONUS : 0,
    methods: sameLineMethod ? methodList(sameLineMethod[2] ?? '') : [],
  };
}

/** `.route('/x').get(…).post(…)`, gorilla's `.Methods("GET")`, Flask's `methods=['POST']`. */
function chainedMethods(after: string, language: SourceLanguage): HttpMethod[] {
  const found = new Set<HttpMethod>();
  const firstLine = after.split('\n', 1)[0] ?? '';
  const listed = /\b[Mm]ethods\s*(?:=\s*)?[[(]([^\])]*)[\])]/.exec(firstLine);
  if (listed) for (const x of methodList((listed[1] ?? '').toUpperCase())) found.add(x);
  if (language === 'js') {
    // Only calls chained right onto route(…) or starting a continuation line, not `.get(` inside handler bodies.
    const statement = after.split(';', 1)[0] ?? '';
    const chained = [/^\s*\)\s*\.\s*(get|post|put|patch|delete)\s*\(/i, /\n\s*\.\s*(get|post|put|patch|delete)\s*\(/gi];
    for (const re of chained) for (const m of statement.matchAll(new RegExp(re.source, 'gi'))) for (const x of methodList((m[1] ?? '').toUpperCase())) found.add(x);
  }
  return [...found];
}

/** `"/x": { GET: …, POST: … }` → GET, POST; `"/x": handler` → any. */
function objectValueMethods(after: string): HttpMethod[] {
  const open = /^\s*:\s*\{/.exec(after);
  if (!open) return [];
  let depth = 0;
  let body = '';
  for (let i = open[0].length - 1; i < after.length; i++) {
    const c = after[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      body = after.slice(open[0].length, i);
      break;
    }
  }
  if (body === '') body = after.slice(open[0].length);
  const found = new Set<HttpMethod>();
  for (const m of body.matchAll(/(?:^|[\s,{])['"]?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)['"]?\s*[:(]/g)) {
    const method = toMethod(m[1] ?? '');
    if (method !== undefined) found.add(method);
  }
  return [...found];
}

function methodList(text: string): HttpMethod[] {
  return [...text.matchAll(/[A-Z]+/g)].map((m) => toMethod(m[0])).filter((m): m is HttpMethod => m !== undefined);
}

function lineAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const to = text.indexOf('\n', end);
  return text.slice(from, to < 0 ? text.length : to);
}

// ---------------------------------------------------------------- scanning

interface Literal {
  /** Offset of the opening quote. */
  readonly start: number;
  /** Offset just past the closing quote. */
  readonly end: number;
  readonly content: string;
}

/** String literals outside comments. Unterminated '…' and "…" end at the line end, so one stray quote can't hide the rest of a file. */
function* stringLiterals(text: string, language: SourceLanguage): Generator<Literal> {
  const n = text.length;
  const interesting = language === 'py' ? /['"`#]/g : /['"`/]/g;
  let i = 0;
  while (i < n) {
    interesting.lastIndex = i;
    const next = interesting.exec(text);
    if (next === null) return;
    i = next.index;
    const c = text[i];
    if (language !== 'py' && c === '/' && text[i + 1] === '/') {
      i = lineEnd(text, i);
    } else if (language !== 'py' && c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (language === 'py' && c === '#') {
      i = lineEnd(text, i);
    } else if (c === "'" || c === '"' || c === '`') {
      if (language === 'py' && text.startsWith(c.repeat(3), i)) {
        const close = text.indexOf(c.repeat(3), i + 3); // docstrings: skipped whole
        i = close < 0 ? n : close + 3;
        continue;
      }
      const rawBackslash = language === 'go' && c === '`';
      let j = i + 1;
      while (j < n) {
        const d = text[j];
        if (d === '\\' && !rawBackslash) j += 2;
        else if (d === c || (d === '\n' && c !== '`')) break;
        else j++;
      }
      if (j < n && text[j] === c) {
        yield { start: i, end: j + 1, content: text.slice(i + 1, j) };
        i = j + 1;
      } else {
        i = j;
      }
    } else {
      i++;
    }
  }
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Offsets to line/column, for offsets visited in increasing order (the common case) or not. */
class LineIndex {
  private line = 0;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  locate(offset: number): { line: number; column: number; lineText: string } {
    if (offset < this.lineStart) {
      this.line = 0;
      this.lineStart = 0;
    }
    for (let nl = this.text.indexOf('\n', this.lineStart); nl >= 0 && nl < offset; nl = this.text.indexOf('\n', this.lineStart)) {
      this.line++;
      this.lineStart = nl + 1;
    }
    const stop = this.text.indexOf('\n', this.lineStart);
    return { line: this.line, column: offset - this.lineStart, lineText: this.text.slice(this.lineStart, stop < 0 ? this.text.length : stop) };
  }
}

function preview(line: string): string {
  const t = line.trim();
  return t.length <= PREVIEW_MAX ? t : `${t.slice(0, PREVIEW_MAX - 1)}…`;
}

function clamp(score: number): number {
  return Math.min(100, Math.max(1, Math.round(score)));
}
