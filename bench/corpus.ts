// A recorded-looking stream of messages in every JSON format Pulse decodes, built from the format
// fixtures: each message is a fixture message with its numbers moved on (counters grow, gauges
// wander, timestamps and uptimes advance), so no two messages are alike.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type JsonFormat = 'bun' | 'snapshot' | 'daemon' | 'go-stats';

const FIXTURES: Readonly<Record<JsonFormat, readonly string[]>> = {
  bun: ['bun-live.jsonl', 'bun.json'],
  snapshot: ['snapshot.jsonl'],
  daemon: ['daemon.jsonl'],
  'go-stats': ['go-stats-stats.json', 'go-stats-enhanced.json', 'go-stats-system.json'],
};

export const JSON_FORMATS = Object.keys(FIXTURES) as JsonFormat[];

const COUNTER = /total|requests|errors|sent|received|num_gc|pause_total|bandwidth/i;
const NOT_COUNTER = /pending|rate|percent|ratio/i;

export function readTemplates(root: string, format: JsonFormat): unknown[] {
  const out: unknown[] = [];
  for (const name of FIXTURES[format]) {
    const text = readFileSync(join(root, 'test', 'fixtures', 'formats', name), 'utf8');
    const lines = name.endsWith('.jsonl') ? text.split('\n').filter((l) => l.trim() !== '') : [text];
    for (const line of lines) {
      try {
        out.push(JSON.parse(line));
      } catch {
        // fixtures may hold deliberately broken lines; the corpus is about the normal case
      }
    }
  }
  if (out.length === 0) throw new Error(`no usable ${format} fixture in test/fixtures/formats`);
  return out;
}

/** Deterministic pseudo-random in [0, 1). */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

function vary(value: unknown, key: string, path: string, i: number, at: number): unknown {
  if (Array.isArray(value)) return value.map((v, k) => vary(v, key, `${path}.${k}`, i, at));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = vary(v, k, `${path}.${k}`, i, at);
    return out;
  }
  if (key === 'timestamp' || key.endsWith('_at') || key === 'last_activity') {
    if (typeof value === 'number') return at;
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(at - (key === 'timestamp' ? 0 : 30_000)).toISOString();
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  if (/uptime/i.test(key)) return Math.round((value + i * 0.5) * 10) / 10;
  if (COUNTER.test(key) && !NOT_COUNTER.test(key)) return Math.round(value + i * Math.max(1, value * 0.002) * (0.5 + hash(path)));
  const wobble = 1 + 0.25 * Math.sin(i * 0.05 + hash(path) * 6.28) + 0.05 * (hash(`${path}${i}`) - 0.5);
  const moved = value * wobble;
  if (/ratio|fraction/i.test(key) || (value > 0 && value <= 1 && !Number.isInteger(value))) return Math.min(1, Math.round(moved * 1e4) / 1e4);
  return Number.isInteger(value) ? Math.max(0, Math.round(moved)) : Math.round(moved * 100) / 100;
}

export interface CorpusMessage {
  readonly format: JsonFormat;
  readonly text: string;
}

/** `perFormat` messages of each format, interleaved (bun, snapshot, daemon, go-stats, bun, …). */
export function buildCorpus(root: string, perFormat: number, start = Date.UTC(2025, 10, 23, 9)): CorpusMessage[] {
  const templates = new Map(JSON_FORMATS.map((f) => [f, readTemplates(root, f)] as const));
  const out: CorpusMessage[] = [];
  for (let i = 0; i < perFormat; i++) {
    for (const format of JSON_FORMATS) {
      const list = templates.get(format) ?? [];
      const template = list[i % list.length];
      out.push({ format, text: JSON.stringify(vary(template, '', format, i, start + i * 100)) });
    }
  }
  return out;
}
