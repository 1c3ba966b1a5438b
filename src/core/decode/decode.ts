// The single entry point: one message from a source, whatever its format, into the model.
import { decodeBun, looksLikeBun } from './bun';
import { DAEMON_OTHER_TYPES, daemonRaw, decodeDaemon } from './daemon';
import { decodeGenericJson } from './genericJson';
import { decodeGoStats, looksLikeGoStats } from './goStats';
import { decodePromql } from './promql';
import type * as PrometheusFormat from './prometheusFormat';
import { SNAPSHOT_TYPES, decodeSnapshot, looksLikeBareSnapshot } from './snapshot';
import { field, isObject, printable, snippet, truncate } from './values';
import type { Limits } from './limits';
import type { DecodeResult } from '../model';
import type { FormatHint } from '../../shared/vocabulary';

export interface DecodeOptions {
  /** Deepest JSON nesting walked (default 64). */
  readonly maxDepth?: number;
  /** Most samples from one JSON message (default 5000). */
  readonly maxLeaves?: number;
  /** Longest payload accepted, in characters (default 64 Mi). */
  readonly maxLength?: number;
  /** "Now" in ms for relative values such as connection durations (default Date.now()). */
  readonly now?: number;
}

const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_LEAVES = 5000;
const DEFAULT_MAX_LENGTH = 64 * 1024 * 1024;

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

export function decodeMessage(payload: string, hint: FormatHint, options: DecodeOptions = {}): DecodeResult {
  try {
    return decodeUnsafe(payload, hint, options);
  } catch (err) {
    // Every decoder returns errors rather than throwing; this is the last line of defence.
    return { ok: false, error: `could not decode message: ${truncate(printable(err instanceof Error ? err.message : String(err)), 100)}` };
  }
}

function decodeUnsafe(payload: string, hint: FormatHint, options: DecodeOptions): DecodeResult {
  if (typeof payload !== 'string') return { ok: false, error: 'expected a text message' };
  const maxLength = positive(options.maxLength, DEFAULT_MAX_LENGTH);
  if (payload.length > maxLength) {
    return { ok: false, error: `message too large: ${payload.length} characters (limit ${maxLength})` };
  }
  const limits: Limits = {
    maxDepth: positive(options.maxDepth, DEFAULT_MAX_DEPTH),
    maxLeaves: positive(options.maxLeaves, DEFAULT_MAX_LEAVES),
    now: options.now !== undefined && Number.isFinite(options.now) ? options.now : Date.now(),
  };
  const text = payload.charCodeAt(0) === 0xfeff ? payload.slice(1) : payload;

  if (hint === 'prometheus') return prometheus().decodePrometheus(text, limits);
  const first = firstNonBlank(text);
  if (hint === 'auto') {
    if (first === undefined) return { ok: false, error: 'empty message' };
    if (first !== '{' && first !== '[' && prometheus().looksLikePrometheus(text)) return prometheus().decodePrometheus(text, limits);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split(/, "|\n/, 1)[0] ?? '' : '';
    const what = hint === 'auto' ? 'not JSON or Prometheus text' : 'invalid JSON';
    return { ok: false, error: `${what} (${truncate(printable(reason), 80)}): ${snippet(text)}` };
  }

  switch (hint) {
    case 'auto':
      return decodeDetected(value, limits);
    case 'json':
      return decodeGenericJson(value, limits);
    default:
      if (!isObject(value)) return { ok: false, error: `expected a JSON object for format "${hint}", got ${jsonKind(value)}` };
      switch (hint) {
        case 'bun':
          return decodeBun(value, limits);
        case 'snapshot':
          return decodeSnapshot(value, limits);
        case 'daemon':
          return decodeDaemon(value, limits);
        case 'go-stats':
          return decodeGoStats(value, limits);
        case 'promql':
          return decodePromql(value, limits);
      }
  }
  return { ok: false, error: `unknown format "${truncate(String(hint), 40)}"` };
}

/** Picks the decoder from the message's shape (docs/formats.md, auto-detection). */
function decodeDetected(value: unknown, limits: Limits): DecodeResult {
  if (!isObject(value)) return decodeGenericJson(value, limits);
  const type = field(value, 'type');
  if (SNAPSHOT_TYPES.has(type)) return decodeSnapshot(value, limits);
  if (type === 'metrics' && daemonRaw(value) !== undefined) return decodeDaemon(value, limits);
  // A promql source's own message, when its format was left at auto.
  if (type === 'promql') return decodePromql(value, limits);
  if (typeof type === 'string' && type !== 'metrics') {
    // Another kind of message on a shared socket (log, heartbeat, status, pong, …).
    return { ok: true, value: { format: DAEMON_OTHER_TYPES.has(type) ? 'daemon' : 'json', samples: [], ignored: true } };
  }
  // Seed 001's MetricsSnapshot as `GET /api/metrics` and `/sse` send it: no envelope, no type.
  if (looksLikeBareSnapshot(value)) return decodeSnapshot(value, limits);
  if (looksLikeBun(value)) return decodeBun(value, limits);
  if (looksLikeGoStats(value)) return decodeGoStats(value, limits);
  return decodeGenericJson(value, limits);
}

/** The Prometheus text decoder is a bundle of its own (dist/prometheus.js), loaded with the first text payload. */
function prometheus(): typeof PrometheusFormat {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load on purpose
  return require('./prometheusFormat.js') as typeof PrometheusFormat;
}

function firstNonBlank(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return text.charAt(i);
  }
  return undefined;
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
