import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Decoded, Sample } from '../../../../src/core/model';

const dir = join(__dirname, '..', '..', '..', 'fixtures', 'formats');
const bunJson = readFileSync(join(dir, 'bun.json'), 'utf8');
const liveLines = readFileSync(join(dir, 'bun-live.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');

interface BunFixture {
  timestamp?: number | string;
  uptime?: number;
  http: { pendingRequests: number; totalRequests: number };
  websockets: { pendingConnections: number; subscribers: Record<string, number>; totalSubscribers: number };
  memory: Record<string, number | Record<string, number>>;
  cpu?: { percent: number };
}

function decoded(payload: string, hint: 'bun' | 'auto' = 'bun'): Decoded {
  const r = decodeMessage(payload, hint);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

function one(samples: readonly Sample[], name: string, topic?: string): Sample {
  const found = samples.filter((s) => s.name === name && (topic === undefined || s.labels.some(([k, v]) => k === 'topic' && v === topic)));
  assert.equal(found.length, 1, `exactly one ${name} ${topic ?? ''}`);
  const [s] = found;
  assert.ok(s);
  return s;
}

function checkAgainstFixture(d: Decoded, f: BunFixture): void {
  assert.equal(d.format, 'bun');
  const expectRow = (name: string, value: number, kind: string, unit: string, role?: string): void => {
    const s = one(d.samples, name);
    assert.deepEqual([s.value, s.kind, s.unit, s.role], [value, kind, unit, role], name);
    assert.deepEqual(s.labels, []);
  };
  expectRow('http.pendingRequests', f.http.pendingRequests, 'gauge', 'count', 'pending');
  expectRow('http.totalRequests', f.http.totalRequests, 'counter', 'count', 'requests');
  expectRow('websockets.pendingConnections', f.websockets.pendingConnections, 'gauge', 'count', 'connections');
  expectRow('websockets.totalSubscribers', f.websockets.totalSubscribers, 'gauge', 'count', 'subscribers');
  for (const [key, value] of Object.entries(f.memory)) {
    // Seed 000's `memory.used` repeats the flat fields: no series of its own.
    if (typeof value !== 'number') continue;
    const role = key === 'heapUsed' ? 'heap' : key === 'rss' ? 'rss' : undefined;
    expectRow(`memory.${key}`, value, 'gauge', 'bytes', role);
  }
  assert.equal(d.samples.filter((s) => s.name.startsWith('memory.used')).length, 0);
  assert.equal(d.samples.filter((s) => s.name.startsWith('memory.')).length, Object.values(f.memory).filter((v) => typeof v === 'number').length);
  const topics = d.samples.filter((s) => s.name === 'websockets.subscribers');
  assert.equal(topics.length, Object.keys(f.websockets.subscribers).length);
  for (const [topic, n] of Object.entries(f.websockets.subscribers)) {
    const s = one(d.samples, 'websockets.subscribers', topic);
    assert.deepEqual(s.labels, [['topic', topic]]);
    assert.equal(s.value, n);
    assert.equal(s.role, undefined);
  }
  if (f.uptime === undefined) assert.equal(d.samples.find((s) => s.name === 'uptime'), undefined);
  else expectRow('uptime', f.uptime, 'gauge', 'seconds', 'uptime');
  if (f.cpu === undefined) assert.equal(d.samples.find((s) => s.name === 'cpu.percent'), undefined);
  else expectRow('cpu.percent', f.cpu.percent, 'gauge', 'percent', 'cpu');
  const expectedTs = typeof f.timestamp === 'string' ? Date.parse(f.timestamp) : f.timestamp;
  assert.equal(d.timestamp, expectedTs);
}

describe('bun decoder', () => {
  it('maps the HTTP endpoint response per the contract table', () => {
    checkAgainstFixture(decoded(bunJson), JSON.parse(bunJson) as BunFixture);
  });

  it('maps every live WebSocket message, with numeric or ISO timestamps', () => {
    assert.ok(liveLines.length >= 3);
    for (const line of liveLines) {
      checkAgainstFixture(decoded(line), JSON.parse(line) as BunFixture);
      checkAgainstFixture(decoded(line, 'auto'), JSON.parse(line) as BunFixture);
    }
  });

  it('accepts numbers sent as strings and a bare cpu number; drops what is not a number', () => {
    const d = decoded('{"http":{"pendingRequests":"4","totalRequests":"n/a"},"cpu":7.5,"uptime":"12.5","memory":{"heapUsed":null,"rss":-0}}');
    assert.equal(one(d.samples, 'http.pendingRequests').value, 4);
    assert.equal(d.samples.find((s) => s.name === 'http.totalRequests'), undefined);
    assert.equal(one(d.samples, 'cpu.percent').value, 7.5);
    assert.equal(one(d.samples, 'uptime').value, 12.5);
    assert.equal(d.samples.find((s) => s.name === 'memory.heapUsed'), undefined);
    assert.ok(Object.is(one(d.samples, 'memory.rss').value, 0));
  });

  it('refuses messages that are not Bun metrics when forced', () => {
    const r = decodeMessage('{"type":"log","message":"hi"}', 'bun');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /Bun/);
    assert.equal(decodeMessage('{"foo":1}', 'bun').ok, false);
    assert.equal(decodeMessage('[1,2]', 'bun').ok, false);
  });

  it('bounds the number of topics', () => {
    const subscribers: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) subscribers[`t${i}`] = i;
    const d = decoded(JSON.stringify({ websockets: { subscribers } }));
    const n = d.samples.filter((s) => s.name === 'websockets.subscribers').length;
    assert.ok(n > 0 && n <= 500, `topics kept: ${n}`);
  });
});
