// Pulse's Prometheus decoder on real client_golang output (the fixture bench/go/promgo.go dumps).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import { parsePrometheusText } from '../../../../src/core/decode/prometheusParse';
import { histogramQuantile } from '../../../../src/core/series/histogram';
import type { Decoded, HistogramSample, Sample } from '../../../../src/core/model';

const text = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'formats', 'prometheus-client-golang.txt'), 'utf8');
/** The fixture's process_start_time_seconds, plus one minute. */
const NOW = 1_796_156_854_920 + 60_000;

function decoded(): Decoded {
  const r = decodeMessage(text, 'prometheus', { now: NOW });
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

function sample(d: Decoded, name: string, labels: ReadonlyArray<readonly [string, string]> = []): Sample {
  const s = d.samples.find((x) => x.name === name && JSON.stringify(x.labels) === JSON.stringify(labels));
  assert.ok(s, `${name} ${JSON.stringify(labels)}`);
  return s;
}

function latency(d: Decoded, handler: string): HistogramSample {
  const h = (d.histograms ?? []).find((x) => x.name === 'http_request_duration_seconds' && x.labels[0]?.[1] === handler);
  assert.ok(h, handler);
  return h;
}

function quantile(h: HistogramSample, q: number): number | undefined {
  return histogramQuantile(q, h.buckets.map(([le]) => le), h.buckets.map(([, c]) => c));
}

describe('Prometheus decoder on client_golang output', () => {
  it('parses every line: the header comment is skipped, 39 families with their types', () => {
    const parsed = parsePrometheusText(text);
    assert.equal(parsed.invalidLines, 0);
    assert.equal(parsed.families.length, 39);
    const type = (name: string) => parsed.families.find((f) => f.name === name)?.type;
    assert.deepEqual(
      ['go_gc_duration_seconds', 'go_goroutines', 'http_request_duration_seconds', 'http_requests_total', 'http_response_size_bytes'].map(type),
      ['summary', 'gauge', 'histogram', 'counter', 'summary'],
    );
  });

  it('reads the Go and process collectors: goroutines, threads, heap, rss, uptime', () => {
    const d = decoded();
    assert.deepEqual(pick(sample(d, 'go_goroutines')), [8, 'gauge', 'goroutines']);
    assert.equal(sample(d, 'go_threads').value, 6);
    assert.deepEqual(pick(sample(d, 'go_memstats_heap_alloc_bytes')), [815_432, 'gauge', 'heap']);
    assert.equal(sample(d, 'go_memstats_heap_inuse_bytes').value, 2_039_808);
    assert.deepEqual(pick(sample(d, 'process_resident_memory_bytes')), [10_919_936, 'gauge', 'rss']);
    assert.equal(sample(d, 'process_cpu_seconds_total').unit, 'seconds');
    assert.equal(sample(d, 'go_info', [['version', 'go1.19.8']]).value, 1);
    const uptime = sample(d, 'process_uptime_seconds');
    assert.equal(uptime.role, 'uptime');
    assert.ok(Math.abs(uptime.value - 60) < 1e-3, String(uptime.value));
  });

  it('keeps the labelled request counters and derives the request and 5xx totals from the code label', () => {
    const d = decoded();
    assert.deepEqual(pick(sample(d, 'http_requests_total', [['code', '200'], ['handler', '/api/users'], ['method', 'get']])), [40, 'counter', undefined]);
    assert.equal(sample(d, 'http_requests_total', [['code', '201'], ['handler', '/api/orders'], ['method', 'post']]).value, 12);
    assert.equal(sample(d, 'http_requests_total', [['code', '500'], ['handler', '/api/fail'], ['method', 'get']]).value, 3);
    assert.deepEqual(pick(sample(d, 'http_requests_all_total')), [55, 'counter', 'requests']);
    assert.deepEqual(pick(sample(d, 'http_requests_errors_total')), [3, 'counter', 'errors']);
  });

  it('turns the default-bucket latency histogram into ms with its count, sum and quantiles', () => {
    const d = decoded();
    assert.equal(d.histograms?.length, 3);
    const users = latency(d, '/api/users');
    assert.equal(users.role, 'latency');
    assert.equal(users.unit, 'ms');
    assert.equal(users.count, 40);
    assert.ok(Math.abs(users.sum - 451.017755) < 1e-6);
    assert.deepEqual(users.buckets.map(([le]) => le), [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, Number.POSITIVE_INFINITY]);
    assert.deepEqual(users.buckets.slice(0, 4).map(([, c]) => c), [10, 20, 40, 40]);
    // 20th of 40 observations: the top of the 5–10 ms bucket; the 38th: 18/20 into 10–25 ms.
    assert.equal(quantile(users, 0.5), 10);
    assert.ok(Math.abs((quantile(users, 0.95) ?? 0) - 23.5) < 1e-9);
    assert.equal(quantile(latency(d, '/api/orders'), 0.5), 75);
    assert.equal(quantile(latency(d, '/api/fail'), 0.5), 375);
    assert.equal(latency(d, '/api/fail').count, 3);
    assert.equal(d.samples.some((s) => s.name.startsWith('http_request_duration_seconds')), false);
  });

  it('keeps the summaries’ quantiles, sums and counts', () => {
    const d = decoded();
    assert.deepEqual(pick(sample(d, 'http_response_size_bytes', [['handler', '/api/users'], ['quantile', '0.99']])), [512, 'gauge', undefined]);
    assert.equal(sample(d, 'http_response_size_bytes', [['handler', '/api/users'], ['quantile', '0.99']]).unit, 'bytes');
    assert.equal(sample(d, 'http_response_size_bytes_sum', [['handler', '/api/users']]).value, 20_480);
    assert.deepEqual(pick(sample(d, 'http_response_size_bytes_count', [['handler', '/api/orders']])), [12, 'counter', undefined]);
    assert.equal(sample(d, 'go_gc_duration_seconds', [['quantile', '0.25']]).value, 0);
  });
});

function pick(s: Sample): [number, string, string | undefined] {
  return [s.value, s.kind, s.role];
}
