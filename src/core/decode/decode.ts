// The single entry point: one message from a source, whatever its format, into the model.
import type * as JsonFormats from './jsonFormats';
import type * as PrometheusFormat from './prometheusFormat';
import { printable, snippet, truncate } from './values';
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

  return jsonFormats().decodeJson(value, hint, limits) ?? { ok: false, error: `unknown format "${truncate(String(hint), 40)}"` };
}

let jsonModule: typeof JsonFormats | undefined;

/** The JSON decoders are a bundle of their own (dist/json.js), loaded with the first JSON payload. */
function jsonFormats(): typeof JsonFormats {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load on purpose
  jsonModule ??= require('./jsonFormats.js') as typeof JsonFormats;
  return jsonModule;
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
