import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import { parsePrometheusText } from '../../../../src/core/decode/prometheusParse';
import type { Decoded, HistogramSample, Sample } from '../../../../src/core/model';

interface RefMetric {
  value?: string;
  labels?: Record<string, string>;
}
interface RefFamily {
  name: string;
  help: string;
  type: string;
  metrics: RefMetric[];
}
const parseReference = createRequire(__filename)('parse-prometheus-text-format') as (text: string) => RefFamily[];

const dir = join(__dirname, '..', '..', '..', 'fixtures', 'formats');
const promClient = readFileSync(join(dir, 'prometheus-prom-client.txt'), 'utf8');
const openMetrics = readFileSync(join(dir, 'prometheus-openmetrics.txt'), 'utf8');
const edge = readFileSync(join(dir, 'prometheus-edge.txt'), 'utf8');

function decoded(text: string, now?: number): Decoded {
  const r = decodeMessage(text, 'prometheus', now === undefined ? {} : { now });
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.format, 'prometheus');
  return r.value;
}

const sortedPairs = (labels: Record<string, string> | undefined): Array<[string, string]> =>
  Object.entries(labels ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

function find(samples: readonly Sample[], name: string, labels: ReadonlyArray<readonly [string, string]> = []): Sample | undefined {
  return samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels));
}

/** `name{labels} value` lines of one metric, read with a deliberately simple independent pattern. */
function rawValues(text: string, name: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{.*\})?\s+(\S+)/.exec(line);
    if (m?.[1] === name) out.push(Number(m[2]));
  }
  return out;
}

describe('Prometheus parser against parse-prometheus-text-format', () => {
  const ref = parseReference(promClient);
  const mine = parsePrometheusText(promClient);

  it('finds the same families, types and help texts in the same order', () => {
    assert.equal(mine.invalidLines, 0);
    assert.ok(ref.length > 20);
    assert.deepEqual(
      mine.families.map((f) => [f.name, f.type.toUpperCase(), f.help]),
      ref.map((f) => [f.name, f.type, f.help]),
    );
  });

  it('reads the same counter and gauge values and labels', () => {
    let compared = 0;
    for (const fam of ref) {
      if (fam.type !== 'COUNTER' && fam.type !== 'GAUGE') continue;
      const mineFam = mine.families.find((f) => f.name === fam.name);
      assert.ok(mineFam, fam.name);
      assert.deepEqual(
        mineFam.samples.map((s) => [[...s.labels].sort((a, b) => (a[0] < b[0] ? -1 : 1)), s.value]),
        fam.metrics.map((m) => [sortedPairs(m.labels), Number(m.value)]),
        fam.name,
      );
      compared += fam.metrics.length;
    }
    assert.ok(compared > 40, `compared ${compared} samples`);
  });

  it('decodes every counter and gauge sample to a Sample of the right kind', () => {
    const d = decoded(promClient);
    for (const fam of ref) {
      if (fam.type !== 'COUNTER' && fam.type !== 'GAUGE') continue;
      for (const m of fam.metrics) {
        const s = find(d.samples, fam.name, sortedPairs(m.labels));
        assert.ok(s, `${fam.name} ${JSON.stringify(m.labels)}`);
        assert.equal(s.value, Number(m.value));
        assert.equal(s.kind, fam.type === 'COUNTER' ? 'counter' : 'gauge');
      }
    }
    assert.deepEqual(find(d.samples, 'process_cpu_seconds_total')?.unit, 'seconds');
    assert.deepEqual(find(d.samples, 'nodejs_heap_size_total_bytes')?.unit, 'bytes');
    assert.deepEqual(find(d.samples, 'http_requests_total', [['method', 'GET'], ['route', '/health'], ['status', '200']])?.unit, 'count');
  });
});

describe('Prometheus decoder on prom-client output', () => {
  const now = (rawValues(promClient, 'process_start_time_seconds')[0] ?? 0) * 1000 + 90_000;
  const d = decoded(promClient, now);

  it('turns http_request_duration_seconds into latency histograms in ms', () => {
    const hs = (d.histograms ?? []).filter((h) => h.name === 'http_request_duration_seconds');
    const counts = rawValues(promClient, 'http_request_duration_seconds_count');
    const sums = rawValues(promClient, 'http_request_duration_seconds_sum');
    assert.equal(hs.length, counts.length);
    assert.ok(hs.length >= 5);
    hs.forEach((h: HistogramSample, i) => {
      assert.equal(h.unit, 'ms');
      assert.equal(h.role, 'latency');
      assert.equal(h.count, counts[i]);
      assert.ok(Math.abs(h.sum - (sums[i] ?? 0) * 1000) < 1e-6);
      assert.deepEqual(h.buckets.map(([le]) => le), [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, Number.POSITIVE_INFINITY]);
      assert.equal(h.buckets.at(-1)?.[1], h.count);
      assert.deepEqual(h.labels.map(([k]) => k), ['method', 'route']);
    });
    assert.deepEqual(hs[0]?.labels, [['method', 'GET'], ['route', '/api/users']]);
    assert.equal(d.samples.some((s) => s.name.startsWith('http_request_duration_seconds')), false);
    for (const h of d.histograms ?? []) if (h.name !== 'http_request_duration_seconds') assert.equal(h.role, undefined);
  });

  it('derives request and 5xx error totals and finds rss, heap and uptime', () => {
    const ref = parseReference(promClient).find((f) => f.name === 'http_requests_total');
    assert.ok(ref);
    const total = ref.metrics.reduce((a, m) => a + Number(m.value), 0);
    const errors = ref.metrics.filter((m) => m.labels?.status?.startsWith('5')).reduce((a, m) => a + Number(m.value), 0);
    assert.ok(errors > 0 && errors < total);
    const byRole = (role: string): Sample[] => d.samples.filter((s) => s.role === role);
    assert.deepEqual(byRole('requests').map((s) => [s.name, s.labels, s.value, s.kind]), [['http_requests_all_total', [], total, 'counter']]);
    assert.deepEqual(byRole('errors').map((s) => [s.name, s.labels, s.value, s.kind]), [['http_requests_errors_total', [], errors, 'counter']]);
    assert.deepEqual(byRole('rss').map((s) => [s.name, s.value]), [['process_resident_memory_bytes', rawValues(promClient, 'process_resident_memory_bytes')[0]]]);
    assert.deepEqual(byRole('heap').map((s) => [s.name, s.value]), [['nodejs_heap_size_used_bytes', rawValues(promClient, 'nodejs_heap_size_used_bytes')[0]]]);
    assert.deepEqual(byRole('uptime').map((s) => [s.name, s.value, s.unit]), [['process_uptime_seconds', 90, 'seconds']]);
  });

  it('decodes the OpenMetrics variant (exemplars, # EOF, counter families without _total) to the same series', () => {
    const om = decoded(openMetrics, now);
    const appSeries = (x: Decoded): string[] =>
      x.samples.filter((s) => s.name.startsWith('http_')).map((s) => `${s.name}${JSON.stringify(s.labels)}=${s.value}|${s.kind}|${s.role ?? ''}`);
    assert.deepEqual(appSeries(om), appSeries(d));
    const hist = (x: Decoded): string => JSON.stringify((x.histograms ?? []).filter((h) => h.name.startsWith('http_')));
    assert.equal(hist(om), hist(d));
    assert.ok(openMetrics.includes(' # {traceId='), 'the fixture carries exemplars');
    assert.equal(parsePrometheusText(openMetrics).eof, true);
    assert.equal(parsePrometheusText(openMetrics).invalidLines, 0);
  });
});

describe('Prometheus edge cases', () => {
  const d = decoded(edge);

  it('unescapes label values and help text', () => {
    const paths = d.samples.filter((s) => s.name === 'edge_requests_total').map((s) => s.labels.find(([k]) => k === 'path')?.[1]);
    assert.deepEqual(paths, ['/a"quoted"', 'C:\\dir\\file', 'line\nbreak', '/spaced']);
    const fam = parsePrometheusText(edge).families.find((f) => f.name === 'edge_requests_total');
    assert.equal(fam?.help, 'Requests, with \\ and \n in the help text.');
    assert.deepEqual(find(d.samples, 'edge_requests_total', [['code', '500'], ['path', 'C:\\dir\\file']])?.value, 3);
  });

  it('drops NaN and ±Inf values, keeps -0 as 0 and 1e308', () => {
    const temps = d.samples.filter((s) => s.name === 'edge_temperature_celsius');
    assert.deepEqual(temps.map((s) => [s.labels[0]?.[1], s.value]), [['d', 0], ['e', 1500], ['f', 1e308]]);
    assert.ok(Object.is(temps[0]?.value, 0));
    for (const s of d.samples) assert.ok(Number.isFinite(s.value));
  });

  it('turns summaries into quantile gauges and _sum/_count counters', () => {
    const q = d.samples.filter((s) => s.name === 'edge_rpc_duration_seconds');
    assert.deepEqual(q.map((s) => [s.labels, s.value, s.kind, s.unit]), [
      [[['quantile', '0.5']], 0.012, 'gauge', 'seconds'],
      [[['quantile', '0.9']], 0.05, 'gauge', 'seconds'],
    ]);
    assert.deepEqual([find(d.samples, 'edge_rpc_duration_seconds_sum')?.kind, find(d.samples, 'edge_rpc_duration_seconds_sum')?.unit], ['counter', 'seconds']);
    assert.deepEqual([find(d.samples, 'edge_rpc_duration_seconds_count')?.value, find(d.samples, 'edge_rpc_duration_seconds_count')?.unit], [1000, 'count']);
  });

  it('keeps an unlabelled histogram with its +Inf bound and unit from the name', () => {
    assert.deepEqual(d.histograms, [
      { name: 'edge_payload_bytes', labels: [], unit: 'bytes', buckets: [[100, 5], [1000, 8], [Number.POSITIVE_INFINITY, 10]], sum: 25000, count: 10 },
    ]);
  });

  it('types untyped samples by name, reads indented lines and skips invalid ones', () => {
    assert.deepEqual([find(d.samples, 'edge_untyped_value')?.kind, find(d.samples, 'edge_untyped_value')?.value], ['gauge', 42]);
    assert.deepEqual([find(d.samples, 'edge_untyped_jobs_total')?.kind, find(d.samples, 'edge_untyped_jobs_total')?.value], ['counter', 7]);
    assert.equal(find(d.samples, 'edge_indented_gauge')?.value, 3);
    const parsed = parsePrometheusText(edge);
    assert.equal(parsed.invalidLines, 1);
    assert.match(parsed.firstInvalid?.text ?? '', /^this line/);
  });

  it('reads CRLF line endings the same', () => {
    const crlf = decoded(edge.replace(/\n/g, '\r\n'));
    assert.deepEqual(crlf.samples, d.samples);
    assert.deepEqual(crlf.histograms, d.histograms);
  });

  it('ignores what follows # EOF', () => {
    const x = decoded('# TYPE a gauge\na 1\n# EOF\nb 2\n');
    assert.deepEqual(x.samples.map((s) => s.name), ['a']);
  });

  it('derives totals for any *_requests_total family, with a `code` label for errors', () => {
    const values = rawValues(edge, 'edge_requests_total');
    const codes = [...edge.matchAll(/^edge_requests_total\{.*code\s*=\s*"(\d+)"/gm)].map((m) => m[1] ?? '');
    const errors = values.filter((_, i) => codes[i]?.startsWith('5')).reduce((a, b) => a + b, 0);
    assert.deepEqual(
      d.samples.filter((s) => s.role !== undefined).map((s) => [s.name, s.value, s.role]),
      [
        ['edge_requests_all_total', values.reduce((a, b) => a + b, 0), 'requests'],
        ['edge_requests_errors_total', errors, 'errors'],
      ],
    );
    assert.equal(errors, 5);
  });

  it('gives a lone unlabelled *_requests_total counter the requests role directly', () => {
    const x = decoded('# TYPE api_requests_total counter\napi_requests_total 17\n');
    assert.deepEqual(x.samples, [{ name: 'api_requests_total', labels: [], value: 17, kind: 'counter', unit: 'count', role: 'requests' }]);
  });

  it('fails with the first bad line when nothing is Prometheus text', () => {
    const r = decodeMessage('{"a": 1}\n{"b": 2}', 'prometheus');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /line 1/);
    const empty = decoded('');
    assert.deepEqual(empty.samples, []);
  });
});
