import type { Logger } from '../core/model';

/** The subset of vscode.LogOutputChannel the logger needs (so it is testable without VS Code). */
export interface LogSink {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const WINDOW_MS = 60_000;
const PER_WINDOW = 5;
const MAX_LENGTH = 500;
/** Lines a minute one source may write (its lines start with "[name]"), whatever their text. */
export const SOURCE_LINES_PER_MINUTE = 60;
/** Lines a minute everything together may write. */
export const TOTAL_LINES_PER_MINUTE = 300;
const MAX_TRACKED_SOURCES = 200;
const SWEEP_EVERY_MS = 1_000;

/** Strips secrets a URL or header line could carry, and control characters, before anything is logged. */
export function redact(message: string): string {
  return (
    message
      .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
      .replace(/(authorization|cookie|x-api-key|token)(["']?\s*[:=]\s*["']?)(?!bearer\s)[^\s"',}]+/gi, '$1$2[redacted]')
      .replace(/\/\/[^/@\s]+:[^/@\s]+@/g, '//[redacted]@')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?')
  );
}

type Level = keyof LogSink;

interface Window {
  start: number;
  count: number;
  suppressed: number;
}

/**
 * A budget of lines per minute for each source and for all of them, so no text, however varied,
 * floods the log. The first line over a budget says so; the next line after the minute (or a sweep
 * at most once a second) says how many were suppressed.
 */
class LineBudget {
  private readonly sources = new Map<string, Window>();
  private total: Window = { start: 0, count: 0, suppressed: 0 };
  private lastSweep = 0;

  constructor(
    private readonly sink: LogSink,
    private readonly now: () => number,
  ) {}

  write(level: Level, text: string): void {
    const t = this.now();
    if (t - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(t);
    const name = /^\[([^\]]{1,80})\]/.exec(text)?.[1];
    const source = name === undefined ? undefined : this.windowOf(name, t);
    if (source && source.count >= SOURCE_LINES_PER_MINUTE) {
      if (source.suppressed++ === 0) this.sink.warn(`[${name}] more than ${SOURCE_LINES_PER_MINUTE} log lines this minute: its further lines are suppressed for up to a minute`);
      return;
    }
    if (t - this.total.start > WINDOW_MS) this.rollTotal(t);
    if (this.total.count >= TOTAL_LINES_PER_MINUTE) {
      if (this.total.suppressed++ === 0) this.sink.warn(`more than ${TOTAL_LINES_PER_MINUTE} log lines this minute: further lines are suppressed for up to a minute`);
      return;
    }
    if (source) source.count++;
    this.total.count++;
    this.sink[level](text);
  }

  private windowOf(name: string, t: number): Window {
    let w = this.sources.get(name);
    if (w && t - w.start > WINDOW_MS) {
      this.summarise(name, w);
      w = undefined;
    }
    if (!w) {
      w = { start: t, count: 0, suppressed: 0 };
      this.sources.set(name, w);
      if (this.sources.size > MAX_TRACKED_SOURCES) {
        const [oldest, entry] = this.sources.entries().next().value ?? [name, w];
        this.summarise(oldest, entry);
        this.sources.delete(oldest);
      }
    }
    return w;
  }

  /** Closes every window older than a minute, so a flood that stopped still gets its count. */
  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [name, w] of this.sources) {
      if (t - w.start <= WINDOW_MS) continue;
      this.summarise(name, w);
      this.sources.delete(name);
    }
    if (t - this.total.start > WINDOW_MS) this.rollTotal(t);
  }

  private rollTotal(t: number): void {
    if (this.total.suppressed > 0) this.sink.warn(`${this.total.suppressed} log lines suppressed (more than ${TOTAL_LINES_PER_MINUTE} in a minute)`);
    this.total = { start: t, count: 0, suppressed: 0 };
  }

  private summarise(name: string, w: Window): void {
    if (w.suppressed > 0) this.sink.warn(`[${name}] ${w.suppressed} log lines suppressed (more than ${SOURCE_LINES_PER_MINUTE} in a minute)`);
  }
}

/**
 * A Logger over the output channel. Repeated warnings and errors with the same text (a server sending
 * garbage 500 times a second) are rate-limited: at most 5 a minute, then one line counting the rest.
 * Every line, whatever its text, then counts against a budget per source and in total (LineBudget).
 */
export function createLogger(sink: LogSink, now: () => number = Date.now): Logger {
  const budget = new LineBudget(sink, now);
  const write = (level: Level) => (message: string) => budget.write(level, message);
  const out: LogSink = { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
  const seen = new Map<string, { start: number; count: number }>();
  const limited = (level: 'warn' | 'error') => (message: string) => {
    const text = redact(message.length > MAX_LENGTH ? `${message.slice(0, MAX_LENGTH)}…` : message);
    const key = text.replace(/\d+/g, '#');
    const t = now();
    let entry = seen.get(key);
    if (!entry || t - entry.start > WINDOW_MS) {
      if (entry && entry.count > PER_WINDOW) out[level](`(${entry.count - PER_WINDOW} more like: ${text.slice(0, 120)})`);
      entry = { start: t, count: 0 };
      seen.set(key, entry);
      if (seen.size > 500) seen.delete(seen.keys().next().value ?? key);
    }
    entry.count++;
    if (entry.count <= PER_WINDOW) out[level](text);
    else if (entry.count === PER_WINDOW + 1) out[level](`${text.slice(0, 200)} (repeating; muted for a minute)`);
  };
  return {
    trace: (m) => out.trace(redact(m)),
    debug: (m) => out.debug(redact(m)),
    info: (m) => out.info(redact(m)),
    warn: limited('warn'),
    error: limited('error'),
  };
}
