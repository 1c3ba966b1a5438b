// Bun's native server metrics (docs/formats.md §1).
import { SampleList } from './sampleList';
import { field, finiteNumber, isObject, objectField, parseTimestamp, truncate } from './values';
import type { Limits } from './limits';
import type { JsonObject } from './values';
import type { DecodeResult } from '../model';

/** Topics and extra memory keys beyond these are not turned into series. */
const MAX_TOPICS = 500;
const MAX_MEMORY_KEYS = 50;
const MAX_KEY = 64;

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
  const num = (v: unknown): number | undefined => finiteNumber(v, true);

  const http = objectField(msg, 'http');
  if (http) {
    out.add('http.pendingRequests', num(field(http, 'pendingRequests')), 'gauge', 'count', 'pending');
    out.add('http.totalRequests', num(field(http, 'totalRequests')), 'counter', 'count', 'requests');
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
  }

  const memory = objectField(msg, 'memory');
  if (memory) {
    let n = 0;
    for (const key of Object.keys(memory)) {
      if (n++ >= MAX_MEMORY_KEYS) break;
      if (key.length > MAX_KEY) continue;
      const role = key === 'heapUsed' ? 'heap' : key === 'rss' ? 'rss' : undefined;
      out.add(`memory.${key}`, num(memory[key]), 'gauge', 'bytes', role);
    }
  }

  out.add('uptime', num(field(msg, 'uptime')), 'gauge', 'seconds', 'uptime');
  const cpu = field(msg, 'cpu');
  out.add('cpu.percent', num(isObject(cpu) ? field(cpu, 'percent') : cpu), 'gauge', 'percent', 'cpu');

  const timestamp = parseTimestamp(field(msg, 'timestamp'));
  return { ok: true, value: { format: 'bun', samples: out.samples, ...(timestamp === undefined ? {} : { timestamp }) } };
}
