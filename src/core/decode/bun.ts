// Bun's native server metrics (seed 000; docs/formats.md §1).
import { SampleList } from './sampleList';
import { addUnknownFields } from './unknownFields';
import { field, finiteNumber, isObject, objectField, parseTimestamp, truncate } from './values';
import type { Limits } from './limits';
import type { JsonObject } from './values';
import type { DecodeResult } from '../model';
import type { Role } from '../../shared/vocabulary';
import { BoundedMemo } from '../memo';

/** Topics and extra memory keys beyond these are not turned into series. */
const MAX_TOPICS = 500;
const MAX_MEMORY_KEYS = 50;
const MAX_KEY = 64;

/** Top-level keys read explicitly below, or that identify rather than measure (`pid`). */
const TOP_KNOWN: ReadonlySet<string> = new Set(['type', 'timestamp', 'http', 'websockets', 'memory', 'uptime', 'cpu', 'pid']);
const HTTP_KNOWN: ReadonlySet<string> = new Set(['pendingRequests', 'totalRequests']);
const WS_KNOWN: ReadonlySet<string> = new Set(['pendingConnections', 'subscribers', 'totalSubscribers']);
const MEMORY_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['heapUsed', 'heap'],
  ['rss', 'rss'],
]);

const num = (v: unknown): number | undefined => finiteNumber(v, true);

/** Bun's blocks, told apart from look-alikes (Go's `memory` block has snake_case keys). */
export function looksLikeBun(msg: JsonObject): boolean {
  if (isObject(field(msg, 'websockets'))) return true;
  const http = objectField(msg, 'http');
  if (http && (field(http, 'pendingRequests') !== undefined || field(http, 'totalRequests') !== undefined)) return true;
  const memory = objectField(msg, 'memory');
  return memory !== undefined && (field(memory, 'heapUsed') !== undefined || field(memory, 'rss') !== undefined || field(memory, 'heapTotal') !== undefined);
}

export function decodeBun(msg: JsonObject, limits: Limits): DecodeResult {
  const type = field(msg, 'type');
  if (type !== undefined && type !== 'metrics') {
    return { ok: false, error: `expected a Bun metrics message, got type ${JSON.stringify(truncate(String(type), 40))}` };
  }
  if (!looksLikeBun(msg)) return { ok: false, error: 'expected a Bun metrics message with http, websockets or memory blocks' };
  const out = new SampleList(limits.maxLeaves);

  const http = objectField(msg, 'http');
  if (http) {
    out.add('http.pendingRequests', num(field(http, 'pendingRequests')), 'gauge', 'count', 'pending');
    out.add('http.totalRequests', num(field(http, 'totalRequests')), 'counter', 'count', 'requests');
    addUnknownFields(http, 'http', (key) => HTTP_KNOWN.has(key), out, limits);
  }

  const ws = objectField(msg, 'websockets');
  if (ws) {
    out.add('websockets.pendingConnections', num(field(ws, 'pendingConnections')), 'gauge', 'count', 'connections');
    const subscribers = objectField(ws, 'subscribers');
    if (subscribers) {
      let n = 0;
      for (const topic of Object.keys(subscribers)) {
        if (n++ >= MAX_TOPICS) break;
        out.add('websockets.subscribers', num(subscribers[topic]), 'gauge', 'count', undefined, [['topic', truncate(topic, 256)]]);
      }
    }
    out.add('websockets.totalSubscribers', num(field(ws, 'totalSubscribers')), 'gauge', 'count', 'subscribers');
    addUnknownFields(ws, 'websockets', (key) => WS_KNOWN.has(key), out, limits);
  }

  const memory = objectField(msg, 'memory');
  if (memory) decodeMemory(memory, out);

  out.add('uptime', num(field(msg, 'uptime')), 'gauge', 'seconds', 'uptime');
  const cpu = field(msg, 'cpu');
  out.add('cpu.percent', num(isObject(cpu) ? field(cpu, 'percent') : cpu), 'gauge', 'percent', 'cpu');
  addUnknownFields(msg, '', (key) => TOP_KNOWN.has(key), out, limits);

  const timestamp = parseTimestamp(field(msg, 'timestamp'));
  return { ok: true, value: { format: 'bun', samples: out.samples, ...(timestamp === undefined ? {} : { timestamp }) } };
}

/**
 * Every `memory.<key>` in bytes. Seed 000's `memory.used` object ({heapUsed, heapTotal, rss}) repeats
 * the flat fields: a key the flat block also has is skipped as a duplicate; one it lacks fills in
 * under the flat name (`memory.used.rss` → `memory.rss`), so nothing is lost and nothing doubles.
 */
function decodeMemory(memory: JsonObject, out: SampleList): void {
  const keys: string[] = [];
  for (const k of Object.keys(memory)) {
    if (keys.length >= MAX_MEMORY_KEYS) break;
    if (k.length <= MAX_KEY) keys.push(k);
  }
  const seen = new Set<string>();
  for (const key of keys) {
    const value = num(memory[key]);
    if (value === undefined) continue;
    seen.add(key);
    out.add(memoryName(key), value, 'gauge', 'bytes', MEMORY_ROLES.get(key));
  }
  for (const key of keys) {
    const nested = memory[key];
    if (!isObject(nested)) continue;
    let n = 0;
    for (const inner of Object.keys(nested)) {
      if (n++ >= MAX_MEMORY_KEYS) break;
      if (inner.length > MAX_KEY) continue;
      const value = num(nested[inner]);
      if (value === undefined) continue;
      if (key === 'used') {
        if (seen.has(inner)) continue;
        seen.add(inner);
        out.add(memoryName(inner), value, 'gauge', 'bytes', MEMORY_ROLES.get(inner));
      } else {
        out.add(`memory.${key}.${inner}`, value, 'gauge', 'bytes');
      }
    }
  }
}

/** `memory.<key>` names built once per key (keys are bounded to MAX_KEY characters; the memo is bounded too). */
const memoryNames = new BoundedMemo(1024, (key) => `memory.${key}`);

function memoryName(key: string): string {
  return memoryNames.get(key);
}
