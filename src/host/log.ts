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

/**
 * A Logger over the output channel. Repeated warnings and errors with the same text (a server sending
 * garbage 500 times a second) are rate-limited: at most 5 a minute, then one line counting the rest.
 */
export function createLogger(sink: LogSink, now: () => number = Date.now): Logger {
  const seen = new Map<string, { start: number; count: number }>();
  const limited = (level: 'warn' | 'error') => (message: string) => {
    const text = redact(message.length > MAX_LENGTH ? `${message.slice(0, MAX_LENGTH)}…` : message);
    const key = text.replace(/\d+/g, '#');
    const t = now();
    let entry = seen.get(key);
    if (!entry || t - entry.start > WINDOW_MS) {
      if (entry && entry.count > PER_WINDOW) sink[level](`(${entry.count - PER_WINDOW} more like: ${text.slice(0, 120)})`);
      entry = { start: t, count: 0 };
      seen.set(key, entry);
      if (seen.size > 500) seen.delete(seen.keys().next().value ?? key);
    }
    entry.count++;
    if (entry.count <= PER_WINDOW) sink[level](text);
    else if (entry.count === PER_WINDOW + 1) sink[level](`${text.slice(0, 200)} (repeating; muted for a minute)`);
  };
  return {
    trace: (m) => sink.trace(redact(m)),
    debug: (m) => sink.debug(redact(m)),
    info: (m) => sink.info(redact(m)),
    warn: limited('warn'),
    error: limited('error'),
  };
}
