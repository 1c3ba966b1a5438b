import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../../../src/core/decode/decode';
import { finiteNumber, parseTimestamp } from '../../../../src/core/decode/values';
import type { DecodeResult } from '../../../../src/core/model';
import type { FormatHint } from '../../../../src/shared/vocabulary';

const HINTS: readonly FormatHint[] = ['auto', 'bun', 'snapshot', 'daemon', 'go-stats', 'prometheus', 'json'];

function errorOf(r: DecodeResult): string {
  assert.equal(r.ok, false);
  return r.ok ? '' : r.error;
}

describe('hostile and malformed input', () => {
  it('returns short errors for malformed, truncated and binary payloads under every hint', () => {
    const secret = 'S'.repeat(500);
    const payloads = ['{"type":"snapshot",', '{"a":1', `{"x":"${secret}`, '\u0000\u0001\u0002\u00ff\ufffd\ud800', 'nul\u0000l', ']', `${secret}{`];
    for (const hint of HINTS) {
      for (const p of payloads) {
        const r = decodeMessage(p, hint);
        if (r.ok) {
          assert.equal(hint, 'prometheus', `${hint} accepted ${JSON.stringify(p.slice(0, 20))}`);
          continue;
        }
        assert.ok(r.error.length <= 240, `error too long (${r.error.length}) for ${hint}`);
        assert.ok(!r.error.includes('S'.repeat(121)), 'no more than ~120 chars of the payload');
      }
    }
    assert.match(errorOf(decodeMessage('{"a":1', 'json')), /invalid JSON/);
  });

  it('rejects payloads over maxLength with a clear error', () => {
    const err = errorOf(decodeMessage(JSON.stringify({ a: 'x'.repeat(1000) }), 'auto', { maxLength: 100 }));
    assert.match(err, /too large.*limit 100/);
  });

  it('walks 10 000 nested levels without overflowing, stopping at maxDepth', () => {
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const deepArray = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    for (const hint of HINTS) {
      for (const p of [deepObject, deepArray]) {
        const r = decodeMessage(p, hint);
        if (r.ok) assert.deepEqual(r.value.samples, [], hint);
      }
    }
    const within = decodeMessage(`${'{"a":'.repeat(10)}1${'}'.repeat(10)}`, 'json');
    assert.ok(within.ok);
    assert.deepEqual(within.value.samples.map((s) => s.name), ['a.a.a.a.a.a.a.a.a.a']);
  });

  it('copes with 100 KB strings as values, keys and label values', () => {
    const big = 'k'.repeat(100_000);
    const obj = decodeMessage(JSON.stringify({ [big]: 1, ok: 2, s: big }), 'json');
    assert.ok(obj.ok);
    assert.deepEqual(obj.value.samples.map((s) => s.name), ['ok']);
    const bun = decodeMessage(JSON.stringify({ websockets: { subscribers: { [big]: 1 } }, memory: { [big]: 1, rss: 5 } }), 'bun');
    assert.ok(bun.ok);
    for (const s of bun.value.samples) {
      assert.ok(s.name.length < 100);
      for (const [, v] of s.labels) assert.ok(v.length <= 256);
    }
    const prom = decodeMessage(`m{l="${big}"} 1\n# TYPE h histogram\nh_bucket{le="+Inf",l="${big}"} 1\n`, 'prometheus');
    assert.ok(prom.ok);
    assert.equal(prom.value.samples[0]?.labels[0]?.[1].length, 256);
    assert.equal(prom.value.histograms?.[0]?.labels[0]?.[1].length, 256);
    const err = errorOf(decodeMessage(big, 'json'));
    assert.ok(err.length < 240);
  });

  it('never touches Object.prototype through __proto__ / constructor keys or label names', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const payloads = [
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"x":1}',
      '{"websockets":{"subscribers":{"__proto__":3,"constructor":4}},"memory":{"__proto__":5,"rss":1}}',
      '{"type":"metrics","data":{"raw":{"__proto__":1,"constructor":2,"toString":3}}}',
      '{"type":"update","data":{"endpoints":[{"method":"__proto__","path":"constructor","p95":1}]},"alerts":[{"id":"__proto__","message":"m"}]}',
      '{"connection_list":[{"id":"__proto__","__proto__":{"remote_addr":"x"}}]}',
      'x{__proto__="a",constructor="b",prototype="c"} 1\n# TYPE __proto__ counter\n__proto__ 2\nconstructor_bucket{le="1"} 1\n',
    ];
    for (const p of payloads) for (const hint of HINTS) decodeMessage(p, hint);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);

    const json = decodeMessage(payloads[0] ?? '', 'json');
    assert.ok(json.ok);
    assert.deepEqual(json.value.samples.map((s) => s.name).sort(), ['__proto__.polluted', 'constructor.prototype.polluted', 'x']);
    const bun = decodeMessage(payloads[1] ?? '', 'bun');
    assert.ok(bun.ok);
    assert.deepEqual(
      bun.value.samples.filter((s) => s.name === 'websockets.subscribers').map((s) => [s.labels, s.value]),
      [[[['topic', '__proto__']], 3], [[['topic', 'constructor']], 4]],
    );
    const prom = decodeMessage(payloads[5] ?? '', 'prometheus');
    assert.ok(prom.ok);
    assert.deepEqual(prom.value.samples.find((s) => s.name === 'x')?.labels, [['__proto__', 'a'], ['constructor', 'b'], ['prototype', 'c']]);
  });

  it('handles numbers as strings, -0, 1e308, and overflow to Infinity', () => {
    assert.equal(finiteNumber('12.5', true), 12.5);
    assert.equal(finiteNumber('12.5'), undefined, 'strings only for known fields');
    assert.equal(finiteNumber(' 7 ', true), 7);
    for (const bad of ['NaN', 'Infinity', '1e999', '', '0x10', '12abc', '1,5', null, true, {}]) {
      assert.equal(finiteNumber(bad, true), undefined, String(bad));
    }
    assert.ok(Object.is(finiteNumber(-0), 0));
    assert.equal(finiteNumber(1e308), 1e308);
    const r = decodeMessage('{"http":{"pendingRequests":1e999,"totalRequests":1e308},"memory":{"rss":-0}}', 'bun');
    assert.ok(r.ok);
    assert.deepEqual(r.value.samples.map((s) => [s.name, s.value]), [['http.totalRequests', 1e308], ['memory.rss', 0]]);
    assert.ok(Object.is(r.value.samples[1]?.value, 0));
  });

  it('parses timestamps as ms, seconds or ISO, and rejects the rest', () => {
    assert.equal(parseTimestamp(1763888400000), 1763888400000);
    assert.equal(parseTimestamp(1763888400), 1763888400000);
    assert.equal(parseTimestamp(1763888400.5), 1763888400500);
    assert.equal(parseTimestamp('2025-11-23T09:00:00Z'), Date.parse('2025-11-23T09:00:00Z'));
    assert.equal(parseTimestamp('2025-11-23T09:00:00.250+01:00'), Date.parse('2025-11-23T08:00:00.250Z'));
    assert.equal(parseTimestamp('1763888400000'), 1763888400000);
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 1e300, 'yesterday', 'Tue, 25 Nov 2025', '2025-13-45T99:99:99Z', null, {}]) {
      assert.equal(parseTimestamp(bad), undefined, String(bad));
    }
    const r = decodeMessage('{"type":"update","timestamp":"not a time","data":{}}', 'snapshot');
    assert.ok(r.ok);
    assert.equal(r.value.timestamp, undefined);
  });

  it('ignores invalid option values rather than failing', () => {
    const r = decodeMessage('{"a":{"b":1}}', 'json', { maxDepth: Number.NaN, maxLeaves: -1, maxLength: 0, now: Number.POSITIVE_INFINITY });
    assert.ok(r.ok);
    assert.deepEqual(r.value.samples.map((s) => s.name), ['a.b']);
  });
});
