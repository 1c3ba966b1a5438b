// Entry of the lazily loaded bundle dist/json.js (esbuild.mjs LAZY_ENTRIES): the JSON decoders, with the first JSON payload.
import { decodeBun, looksLikeBun } from './bun';
import { DAEMON_OTHER_TYPES, daemonRaw, decodeDaemon } from './daemon';
import { decodeGenericJson } from './genericJson';
import { decodeGoStats, looksLikeGoStats } from './goStats';
import { decodePromql } from './promql';
import { SNAPSHOT_TYPES, decodeSnapshot, looksLikeBareSnapshot } from './snapshot';
import { field, isObject } from './values';
import type { Limits } from './limits';
import type { DecodeResult } from '../model';
import type { FormatHint } from '../../shared/vocabulary';

/** A parsed JSON payload through the decoder `hint` names ('auto': the one its shape says); undefined for a hint no JSON decoder has. */
export function decodeJson(value: unknown, hint: FormatHint, limits: Limits): DecodeResult | undefined {
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
  return undefined;
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

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
