// Prometheus HTTP API responses at the boundary, and the promql source's message to the pipeline.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiError, metricLabels, parseInstant, parseNames, parseRange, parseSeries, sampleValue } from '../../../../src/core/decode/promqlApi';
import { encodePromqlMessage } from '../../../../src/core/decode/promql';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Decoded } from '../../../../src/core/model';

const T = 1_700_000_000.5;
const ok = (data: unknown): string => JSON.stringify({ status: 'success', data });
const vector = (result: unknown): string => ok({ resultType: 'vector', result });

describe('promql API: instant queries', () => {
  it('reads a vector: labels sorted, __name__ dropped, string values parsed, time in ms', () => {
    const r = parseInstant(vector([{ metric: { __name__: 'up', job: 'api', instance: 'a:1' }, value: [T, '1'] }, { metric: { __name__: 'up', job: 'db', instance: 'b:1' }, value: [T, '0.25'] }]));
    assert.ok(r.ok);
    assert.deepEqual(r.data, [
      { labels: [['instance', 'a:1'], ['job', 'api']], t: 1_700_000_000_500, v: 1 },
      { labels: [['instance', 'b:1'], ['job', 'db']], t: 1_700_000_000_500, v: 0.25 },
    ]);
    assert.equal(r.dropped, 0);
  });

  it('keeps __name__ when the result holds several metric names', () => {
    const r = parseInstant(vector([{ metric: { __name__: 'a_total' }, value: [T, '1'] }, { metric: { __name__: 'b_total' }, value: [T, '2'] }]));
    assert.ok(r.ok);
    assert.deepEqual(r.data.map((s) => s.labels), [[['__name__', 'a_total']], [['__name__', 'b_total']]]);
  });

  it('drops NaN and ±Inf silently, counts malformed points and wrong types', () => {
    const r = parseInstant(
      vector([
        { metric: { k: 'nan' }, value: [T, 'NaN'] },
        { metric: { k: 'inf' }, value: [T, '+Inf'] },
        { metric: { k: 'minf' }, value: [T, '-Inf'] },
        { metric: { k: 'word' }, value: [T, 'twelve'] },
        { metric: { k: 'empty' }, value: [T, ''] },
        { metric: { k: 'time' }, value: ['yesterday', '1'] },
        { metric: { k: 'short' }, value: [T] },
        { metric: { k: 7 }, value: [T, '1'] },
        { metric: 'job', value: [T, '1'] },
        'not an object',
        { metric: { k: 'exp' }, value: [T, '1e+06'] },
      ]),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.data, [{ labels: [['k', 'exp']], t: 1_700_000_000_500, v: 1e6 }]);
    assert.equal(r.dropped, 7);
  });

  it('bounds series and labels', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ metric: { i: String(i) }, value: [T, '1'] }));
    const r = parseInstant(vector(many), { maxSeries: 10, maxPoints: 10 });
    assert.ok(r.ok);
    assert.equal(r.data.length, 10);
    assert.equal(r.dropped, 40);
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`l${i}`, 'v']));
    assert.equal(metricLabels(wide, false), undefined);
    const long = metricLabels({ k: 'x'.repeat(10_000) }, false);
    assert.ok(long && (long[0]?.[1].length ?? 0) <= 256);
    const proto = metricLabels(JSON.parse('{"__proto__":"p","constructor":"c"}'), false);
    assert.deepEqual(proto, [['__proto__', 'p'], ['constructor', 'c']]);
  });

  it('reads a scalar as one unlabelled series; refuses strings and range vectors', () => {
    const s = parseInstant(ok({ resultType: 'scalar', result: [T, '42'] }));
    assert.ok(s.ok);
    assert.deepEqual(s.data, [{ labels: [], t: 1_700_000_000_500, v: 42 }]);
    const str = parseInstant(ok({ resultType: 'string', result: [T, 'hi'] }));
    assert.ok(!str.ok && /string/.test(str.error));
    const matrix = parseInstant(ok({ resultType: 'matrix', result: [] }));
    assert.ok(!matrix.ok && /range vector/.test(matrix.error));
  });

  it('turns API errors, non-JSON and wrong shapes into one printable line', () => {
    const err = parseInstant(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error:\n unexpected \u001b[31m' }));
    assert.ok(!err.ok);
    assert.equal(err.error, 'bad_data: parse error:· unexpected ·[31m');
    assert.equal(apiError(JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out' })), 'timeout: query timed out');
    assert.equal(apiError('<html>502</html>'), undefined);
    for (const body of ['', 'null', '[]', '{"status":"success"}', '{"status":"success","data":{"resultType":"vector","result":{}}}', '{"status":"maybe"}', '{"status":"error","error":{"x":1}}']) {
      const r = parseInstant(body);
      assert.ok(!r.ok, body);
      assert.ok(r.error.length > 0 && r.error.length < 400, body);
    }
    const long = parseInstant(JSON.stringify({ status: 'error', errorType: 'x'.repeat(1000), error: 'y'.repeat(100_000) }));
    assert.ok(!long.ok && long.error.length < 400);
  });

  it('parses values as Prometheus writes them', () => {
    assert.equal(sampleValue('1.5'), 1.5);
    assert.equal(sampleValue('-0'), 0);
    assert.equal(sampleValue('3e-3'), 0.003);
    assert.equal(sampleValue(7), 7);
    for (const bad of ['NaN', '+Inf', '-Inf', 'Infinity', '', ' ', '0x10', '1,5', null, true, {}, [], Infinity, NaN, '1'.repeat(100)]) assert.equal(sampleValue(bad), undefined, String(bad));
  });
});

describe('promql API: ranges and discovery', () => {
  it('reads a matrix: points in order, junk and NaN skipped, total points bounded', () => {
    const r = parseRange(
      ok({
        resultType: 'matrix',
        result: [
          { metric: { h: 'a' }, values: [[T, '1'], [T + 1, 'NaN'], [T + 2, '3'], [T + 1.5, '9'], [T + 3, {}], [T + 4, '5']] },
          { metric: { h: 'b' }, values: 'nope' },
          { metric: { h: 'c' }, values: [[T, 'NaN']] },
        ],
      }),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.data, [{ labels: [['h', 'a']], t: [1_700_000_000_500, 1_700_000_002_500, 1_700_000_004_500], v: [1, 3, 5] }]);
    assert.equal(r.dropped, 1);
    const big = ok({ resultType: 'matrix', result: Array.from({ length: 5 }, (_, i) => ({ metric: { i: String(i) }, values: Array.from({ length: 100 }, (_, j) => [T + j, '1']) })) });
    const bounded = parseRange(big, { maxSeries: 100, maxPoints: 250 });
    assert.ok(bounded.ok);
    assert.equal(bounded.data.reduce((n, s) => n + s.t.length, 0), 250);
    const notMatrix = parseRange(vector([]));
    assert.ok(!notMatrix.ok && /matrix/.test(notMatrix.error));
  });

  it('reads label names and series', () => {
    const names = parseNames(ok(['__name__', 'job', 7, 'x'.repeat(1000)]));
    assert.ok(names.ok);
    assert.deepEqual(names.data, ['__name__', 'job']);
    assert.equal(names.dropped, 2);
    const series = parseSeries(ok([{ __name__: 'up', job: 'api' }, { bad: 1 }]));
    assert.ok(series.ok);
    assert.deepEqual(series.data, [[['__name__', 'up'], ['job', 'api']]]);
    assert.equal(series.dropped, 1);
    assert.ok(!parseNames(ok({})).ok);
  });
});

describe('promql source message', () => {
  function decode(payload: string): Decoded {
    const r = decodeMessage(payload, 'promql', { now: 1 });
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.value;
  }

  it('round-trips samples, backfill and errors', () => {
    const payload = encodePromqlMessage({
      samples: [{ name: 'http.p95', labels: [['job', 'api']], value: 12, kind: 'gauge', unit: 'ms', role: 'latency' }],
      backfill: [{ name: 'http.p95', labels: [['job', 'api']], kind: 'gauge', unit: 'ms', role: 'latency', t: [1000, 2000], v: [10, 11] }],
      errors: ['query "x": bad_data: oops'],
    });
    const d = decode(payload);
    assert.equal(d.format, 'promql');
    assert.deepEqual(d.samples, [{ name: 'http.p95', labels: [['job', 'api']], value: 12, kind: 'gauge', unit: 'ms', role: 'latency' }]);
    assert.deepEqual(d.backfill, [{ name: 'http.p95', labels: [['job', 'api']], kind: 'gauge', unit: 'ms', role: 'latency', t: [1000, 2000], v: [10, 11] }]);
    assert.equal(d.serverError, 'query "x": bad_data: oops');
  });

  it('drops entries that do not check out', () => {
    const d = decode(
      JSON.stringify({
        type: 'promql',
        samples: [
          { n: 'a', u: 'ms', l: [], v: 1 },
          { n: 'b', u: 'furlongs', l: [], v: 1 },
          { n: 'c', u: 'ms', r: 'boss', l: [], v: 1 },
          { n: 'd', u: 'ms', l: [['k']], v: 1 },
          { n: 'e', u: 'ms', l: [], v: 'NaN' },
          { n: '', u: 'ms', l: [], v: 1 },
        ],
        backfill: [
          { n: 'a', u: 'ms', l: [], t: [2, 1], v: [1, 1] },
          { n: 'a', u: 'ms', l: [], t: [1, 2], v: [1] },
          { n: 'a', u: 'ms', l: [], t: [1, 2], v: [1, null] },
          { n: 'a', u: 'ms', l: [], t: [1, 2], v: [1, 2] },
        ],
        errors: ['x'.repeat(5000), 7],
      }),
    );
    assert.deepEqual(d.samples.map((s) => s.name), ['a']);
    assert.equal(d.backfill?.length, 1);
    assert.ok((d.serverError ?? '').length <= 400);
    const bad = decodeMessage('{"type":"promql","samples":{}}', 'promql', {});
    assert.ok(!bad.ok);
    const other = decodeMessage('{"type":"snapshot"}', 'promql', {});
    assert.ok(!other.ok);
  });
});

describe('promql source message with format auto', () => {
  it('is detected, not ignored as another message type', () => {
    const payload = encodePromqlMessage({ samples: [{ name: 'up', labels: [], value: 1, kind: 'gauge', unit: 'none' }], backfill: [], errors: [] });
    const r = decodeMessage(payload, 'auto', {});
    assert.ok(r.ok);
    assert.equal(r.value.format, 'promql');
    assert.equal(r.value.ignored, undefined);
    assert.deepEqual(r.value.samples.map((s) => s.name), ['up']);
  });
});
