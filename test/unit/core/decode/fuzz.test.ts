import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { decodeMessage } from '../../../../src/core/decode/decode';
import { HistogramTracker } from '../../../../src/core/series/histogram';
import type { DecodeResult } from '../../../../src/core/model';
import type { FormatHint } from '../../../../src/shared/vocabulary';
import type { Labels } from '../../../../src/shared/views';

const HINTS: readonly FormatHint[] = ['auto', 'bun', 'snapshot', 'daemon', 'go-stats', 'prometheus', 'json'];
const FORMATS = new Set(['bun', 'snapshot', 'daemon', 'go-stats', 'prometheus', 'json']);
const dir = join(__dirname, '..', '..', '..', 'fixtures', 'formats');
const fixtures = ['bun.json', 'bun-live.jsonl', 'snapshot.jsonl', 'daemon.jsonl', 'go-stats-stats.json', 'go-stats-enhanced.json', 'go-stats-system.json', 'prometheus-prom-client.txt', 'prometheus-openmetrics.txt', 'prometheus-edge.txt'].map((f) =>
  readFileSync(join(dir, f), 'utf8'),
);
const jsonMessages = fixtures.slice(0, 7).flatMap((f) => f.split('\n').filter((l) => l.trim() !== ''));

function sorted(labels: Labels): boolean {
  for (let i = 1; i < labels.length; i++) if (!((labels[i - 1]?.[0] ?? '') < (labels[i]?.[0] ?? ''))) return false;
  return true;
}

/** The result-shape invariants every decode must hold, whatever the input. */
function checkResult(r: DecodeResult, tracker: HistogramTracker): void {
  if (!r.ok) {
    assert.equal(typeof r.error, 'string');
    assert.ok(r.error.length > 0 && r.error.length <= 300, r.error);
    return;
  }
  const d = r.value;
  assert.ok(FORMATS.has(d.format));
  assert.ok(Array.isArray(d.samples));
  if (d.timestamp !== undefined) assert.ok(Number.isFinite(d.timestamp));
  const roles = new Set<string>();
  for (const s of d.samples) {
    assert.equal(typeof s.name, 'string');
    assert.ok(Number.isFinite(s.value), `${s.name} = ${s.value}`);
    assert.ok(!Object.is(s.value, -0));
    assert.ok(sorted(s.labels), `${s.name} labels unsorted`);
    assert.ok(s.kind === 'counter' || s.kind === 'gauge');
    if (s.role !== undefined) {
      assert.ok(!roles.has(s.role), `role ${s.role} twice`);
      roles.add(s.role);
    }
  }
  for (const h of d.histograms ?? []) {
    assert.ok(sorted(h.labels));
    assert.equal(h.buckets.at(-1)?.[0], Number.POSITIVE_INFINITY);
    for (const s of tracker.toSamples('fuzz', [h])) {
      assert.ok(Number.isFinite(s.value));
      assert.ok(sorted(s.labels));
    }
  }
  for (const c of d.connections ?? []) assert.equal(typeof c.id, 'string');
  for (const a of d.alerts ?? []) assert.ok(a.message.length <= 500 && a.id.length <= 200);
}

function decodeAll(payload: string, tracker: HistogramTracker): void {
  for (const hint of HINTS) {
    let r: DecodeResult | undefined;
    assert.doesNotThrow(() => {
      r = decodeMessage(payload, hint, { maxLeaves: 500, now: 1763888400000 });
    });
    assert.ok(r);
    checkResult(r, tracker);
  }
}

/** A fixture with a slice cut out, a slice repeated or a character swapped. */
const mutated = fc
  .tuple(fc.constantFrom(...fixtures, ...jsonMessages), fc.nat(), fc.nat(), fc.constantFrom('cut', 'dup', 'swap', 'truncate'), fc.string({ maxLength: 4 }))
  .map(([text, a, b, op, s]) => {
    const i = a % (text.length + 1);
    const j = Math.min(text.length, i + (b % 40));
    switch (op) {
      case 'cut':
        return text.slice(0, i) + text.slice(j);
      case 'dup':
        return text.slice(0, j) + text.slice(i, j) + text.slice(j);
      case 'swap':
        return text.slice(0, i) + s + text.slice(i + 1);
      default:
        return text.slice(0, i);
    }
  });

/** A fixture message with one value replaced by arbitrary JSON. */
const graftedJson = fc.tuple(fc.constantFrom(...jsonMessages), fc.jsonValue({ maxDepth: 4 }), fc.nat()).map(([line, value, n]) => {
  const keys: string[] = [];
  const doc = JSON.parse(line) as unknown;
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'object' && v !== null) for (const [k, c] of Object.entries(v)) walk(c, path === '' ? k : `${path}\u0000${k}`);
    else keys.push(path);
  };
  walk(doc, '');
  const target = keys[n % Math.max(1, keys.length)] ?? '';
  const parts = target.split('\u0000');
  let node = doc as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  const last = parts.at(-1);
  if (last !== undefined && last !== '') node[last] = value;
  return JSON.stringify(doc);
});

const promLine = fc
  .tuple(
    fc.stringMatching(/^[a-z_:][a-z0-9_:]{0,12}$/),
    fc.array(fc.tuple(fc.constantFrom('le', 'quantile', 'code', '__proto__', 'a'), fc.string({ maxLength: 6 })), { maxLength: 3 }),
    fc.oneof(fc.double().map(String), fc.constantFrom('NaN', '+Inf', '-Inf', '1e308', '-0', 'x')),
  )
  .map(([name, labels, value]) => `${name}{${labels.map(([k, v]) => `${k}="${v.replace(/[\\"\n]/g, '')}"`).join(',')}} ${value}`);
const promText = fc
  .tuple(fc.array(fc.oneof(promLine, fc.constantFrom('# TYPE m histogram', '# TYPE m summary', '# TYPE m counter', '# EOF', '')), { maxLength: 15 }))
  .map(([lines]) => lines.join('\n'));

describe('decodeMessage fuzzing', () => {
  const tracker = new HistogramTracker(200);

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (s) => decodeAll(s, tracker)), { numRuns: 150 });
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => decodeAll(JSON.stringify(v), tracker)), { numRuns: 150 });
    const anything = fc.anything({ maxDepth: 4, withObjectString: true, withNullPrototype: true });
    fc.assert(
      fc.property(anything, (v) => {
        let text: string | undefined;
        try {
          text = JSON.stringify(v);
        } catch {
          return;
        }
        if (text !== undefined) decodeAll(text, tracker);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on mutated fixtures or fixtures with grafted values', () => {
    fc.assert(fc.property(mutated, (s) => decodeAll(s, tracker)), { numRuns: 150 });
    fc.assert(fc.property(graftedJson, (s) => decodeAll(s, tracker)), { numRuns: 150 });
  });

  it('never throws on generated Prometheus text', () => {
    fc.assert(fc.property(promText, (s) => decodeAll(s, tracker)), { numRuns: 150 });
  });
});

describe('decoder fuzzing: retained memory', () => {
  it('for every decoder, large label-churning payloads never throw and retain heap bounded by the series cap, not by input size', async (t) => {
    // In a child with --expose-gc (fuzzRetention.ts): the heap is measured after full collections.
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'fuzzRetention.ts'), '3'], {
      cwd: join(__dirname, '..', '..', '..', '..'),
      maxBuffer: 1024 * 1024,
    });
    const report = /PULSE_FUZZ_RETENTION (\{.*\})/.exec(stdout)?.[1];
    assert.ok(report, stdout);
    const r = JSON.parse(report) as { cap: number; results: Array<{ hint: string; runs: number; maxRetained: number; maxSeries: number; inputBytes: number }> };
    assert.deepEqual(
      r.results.map((x) => x.hint),
      ['prometheus', 'json', 'bun', 'snapshot', 'daemon', 'go-stats'],
    );
    for (const x of r.results) {
      t.diagnostic(`${x.hint}: ${x.runs} runs, ${x.inputBytes} characters in, at most ${x.maxRetained} bytes retained with ${x.maxSeries} series`);
      assert.equal(x.runs, 3);
      assert.equal(x.maxSeries, r.cap, `${x.hint}: the churn reached the series cap`);
      // What was fed is far more than what may be kept: retention proportional to input would show.
      assert.ok(x.inputBytes > 5 * x.maxRetained, `${x.hint}: ${x.inputBytes} characters in, ${x.maxRetained} bytes retained`);
    }
  });
});
