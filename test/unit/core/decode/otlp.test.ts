import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapOtlpMetrics } from '../../../../src/core/decode/otlp';
import type { OtlpMapped } from '../../../../src/core/decode/otlp';
import { DeltaTotals } from '../../../../src/core/decode/otlpDelta';
import { expToBuckets } from '../../../../src/core/decode/otlpExponential';
import { otlpRole, otlpUnit } from '../../../../src/core/decode/otlpUnits';
import { HistogramTracker, histogramQuantile } from '../../../../src/core/series/histogram';
import type { HistogramSample, Sample } from '../../../../src/core/model';

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

function request(metrics: unknown[], resource: unknown[] = [str('service.name', 'api')]): unknown {
  return { resourceMetrics: [{ resource: { attributes: resource }, scopeMetrics: [{ scope: { name: 'test' }, metrics }] }] };
}

function mapped(req: unknown, totals = new DeltaTotals()): OtlpMapped {
  const r = mapOtlpMetrics(req, totals);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

function sample(m: OtlpMapped, name: string, labels?: ReadonlyArray<readonly [string, string]>): Sample {
  const s = m.decoded.samples.find((x) => x.name === name && (labels === undefined || JSON.stringify(x.labels) === JSON.stringify(labels)));
  assert.ok(s, `no sample ${name} in ${m.decoded.samples.map((x) => x.name).join(', ')}`);
  return s;
}

function histogram(m: OtlpMapped, name: string): HistogramSample {
  const h = m.decoded.histograms?.find((x) => x.name === name);
  assert.ok(h, `no histogram ${name}`);
  return h;
}

const sum = (temporality: number, value: number, monotonic = true) => ({
  name: 'http.server.request.count',
  unit: '{request}',
  sum: { aggregationTemporality: temporality, isMonotonic: monotonic, dataPoints: [{ attributes: [str('http.route', '/a')], asInt: String(value) }] },
});

describe('OTLP metrics → model', () => {
  it('cumulative monotonic sums are counters with the value as sent, labelled with the service', () => {
    const m = mapped(request([sum(2, 40)]));
    const s = sample(m, 'http.server.request.count');
    assert.equal(s.kind, 'counter');
    assert.equal(s.value, 40);
    assert.equal(s.unit, 'count');
    assert.deepEqual(s.labels, [['http.route', '/a'], ['service', 'api']]);
    assert.equal(m.accepted, 1);
    assert.equal(m.rejected, 0);
  });

  it('delta sums are accumulated into a running total per series', () => {
    const totals = new DeltaTotals();
    assert.equal(sample(mapped(request([sum(1, 5)]), totals), 'http.server.request.count').value, 5);
    assert.equal(sample(mapped(request([sum(1, 7)]), totals), 'http.server.request.count').value, 12);
    // Another service is another series.
    const other = mapped(request([sum(1, 3)], [str('service.name', 'web')]), totals);
    assert.equal(sample(other, 'http.server.request.count').value, 3);
    assert.equal(sample(mapped(request([sum(1, 1)]), totals), 'http.server.request.count').value, 13);
  });

  it('non-monotonic sums are gauges; delta up-down counters add up', () => {
    const totals = new DeltaTotals();
    mapped(request([sum(1, 4, false)]), totals);
    const s = sample(mapped(request([sum(1, -1, false)]), totals), 'http.server.request.count');
    assert.equal(s.kind, 'gauge');
    assert.equal(s.value, 3);
  });

  it('gauges, doubles and ints, and resource attributes as labels', () => {
    const m = mapped(
      request(
        [{ name: 'queue.depth', unit: '{item}', gauge: { dataPoints: [{ asDouble: 2.5 }, { attributes: [int('shard', 2)], asInt: 7 }] } }],
        [str('service.name', 'worker'), str('service.instance.id', 'w-1'), str('process.pid', '42')],
      ),
    );
    assert.equal(sample(m, 'queue.depth', [['instance', 'w-1'], ['service', 'worker']]).value, 2.5);
    const sharded = sample(m, 'queue.depth', [['instance', 'w-1'], ['service', 'worker'], ['shard', '2']]);
    assert.equal(sharded.value, 7);
    assert.equal(sharded.kind, 'gauge');
  });

  it('explicit histograms become cumulative buckets in ms, the request count a request counter', () => {
    const m = mapped(
      request([
        {
          name: 'http.server.request.duration',
          unit: 's',
          histogram: {
            aggregationTemporality: 2,
            dataPoints: [
              { attributes: [int('http.response.status_code', 200)], count: '10', sum: 1.2, bucketCounts: ['2', '6', '2'], explicitBounds: [0.05, 0.2] },
              { attributes: [int('http.response.status_code', 500)], count: '2', sum: 0.1, bucketCounts: ['2', '0', '0'], explicitBounds: [0.05, 0.2] },
            ],
          },
        },
      ]),
    );
    const h = histogram(m, 'http.server.request.duration');
    assert.equal(h.unit, 'ms');
    assert.equal(h.role, 'latency');
    assert.deepEqual(h.buckets, [
      [50, 2],
      [200, 8],
      [Infinity, 10],
    ]);
    assert.equal(h.sum, 1200);
    const requests = sample(m, 'http.server.requests');
    assert.equal(requests.role, 'requests');
    assert.equal(requests.kind, 'counter');
    assert.equal(requests.value, 12);
    assert.equal(sample(m, 'http.server.errors').value, 2);
    // Through the pipeline's tracker: p95 of the 200s lies in the 50–200 ms bucket.
    const samples = new HistogramTracker().toSamples('s', [h]);
    const p95 = samples.find((s) => s.name === h.name && s.labels.some(([k, v]) => k === 'quantile' && v === '0.95'));
    assert.ok(p95 && p95.value > 50 && p95.value <= 200, String(p95?.value));
    assert.equal(p95.unit, 'ms');
  });

  it('delta histograms accumulate bucket by bucket', () => {
    const totals = new DeltaTotals();
    const point = (a: number, b: number) => request([{ name: 'job.duration', unit: 'ms', histogram: { aggregationTemporality: 1, dataPoints: [{ count: a + b, sum: a * 5 + b * 50, bucketCounts: [a, b], explicitBounds: [10] }] } }]);
    mapped(point(3, 1), totals);
    const h = histogram(mapped(point(1, 4), totals), 'job.duration');
    assert.deepEqual(h.buckets, [
      [10, 4],
      [Infinity, 9],
    ]);
    assert.equal(h.count, 9);
    assert.equal(h.sum, 20 + 250);
  });

  it('exponential histograms become explicit buckets whose quantiles match the data', () => {
    // scale 0: base 2, bucket i holds (2^i, 2^(i+1)]. 10 values in (1,2], 80 in (2,4], 10 in (4,8].
    const m = mapped(request([{ name: 'rpc.work', unit: 'ms', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ count: 100, sum: 300, scale: 0, zeroCount: 0, positive: { offset: 0, bucketCounts: [10, 80, 10] } }] } }]));
    const h = histogram(m, 'rpc.work');
    assert.deepEqual(h.buckets, [
      [0, 0],
      [1, 0],
      [2, 10],
      [4, 90],
      [8, 100],
      [Infinity, 100],
    ]);
    const p50 = histogramQuantile(0.5, h.buckets.map((b) => b[0]), h.buckets.map((b) => b[1]));
    assert.ok(p50 !== undefined && p50 > 2 && p50 <= 4);
  });

  it('exponential histograms with negative and zero buckets keep ascending bounds', () => {
    const buckets = expToBuckets({ scale: 1, zeroCount: 3, zeroThreshold: 0, positive: { offset: 0, counts: [1] }, negative: { offset: 0, counts: [2, 5] }, count: 11 });
    const bounds = buckets.map((b) => b[0]);
    assert.deepEqual(
      bounds.map((b) => +b.toFixed(6)),
      [-Math.SQRT2, -1, 0, 1, Math.SQRT2, Infinity].map((b) => +b.toFixed(6)),
    );
    assert.deepEqual(
      buckets.map((b) => b[1]),
      [5, 7, 10, 10, 11, 11],
    );
  });

  it('fine exponential histograms are merged down to a bounded number of buckets', () => {
    const counts = Array.from({ length: 1000 }, () => 1);
    const buckets = expToBuckets({ scale: 8, zeroCount: 0, zeroThreshold: 0, positive: { offset: 100, counts }, negative: { offset: 0, counts: [] }, count: 1000 });
    assert.ok(buckets.length <= 163, String(buckets.length));
    assert.equal(buckets[buckets.length - 1]?.[1], 1000);
    for (let i = 1; i < buckets.length; i++) assert.ok((buckets[i]?.[0] ?? 0) > (buckets[i - 1]?.[0] ?? 0));
  });

  it('summaries become quantile gauges plus count and sum', () => {
    const m = mapped(request([{ name: 'http.server.duration', unit: 'ms', summary: { dataPoints: [{ count: 4, sum: 100, quantileValues: [{ quantile: 0.5, value: 20 }, { quantile: 0.95, value: 40 }] }] } }]));
    const p95 = sample(m, 'http.server.duration', [['quantile', '0.95'], ['service', 'api']]);
    assert.equal(p95.value, 40);
    assert.equal(p95.role, 'latency');
    assert.equal(sample(m, 'http.server.duration', [['quantile', '0.5'], ['service', 'api']]).role, undefined);
    assert.equal(sample(m, 'http.server.duration_count').value, 4);
    assert.equal(sample(m, 'http.server.duration_sum').value, 100);
  });

  it('semantic-convention names get roles and units from `unit`', () => {
    const m = mapped(
      request([
        { name: 'http.server.active_requests', unit: '{request}', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ asInt: 3 }] } },
        { name: 'v8js.memory.heap.used', unit: 'By', gauge: { dataPoints: [{ attributes: [str('v8js.heap.space.name', 'old_space')], asInt: 1048576 }] } },
        { name: 'v8js.memory.heap.limit', unit: 'By', gauge: { dataPoints: [{ asInt: 4e9 }] } },
        { name: 'process.cpu.utilization', unit: '1', gauge: { dataPoints: [{ asDouble: 0.25 }] } },
        { name: 'process.uptime', unit: 's', gauge: { dataPoints: [{ asDouble: 12.5 }] } },
        { name: 'jvm.memory.used', unit: 'MiBy', sum: { aggregationTemporality: 2, dataPoints: [{ attributes: [str('jvm.memory.type', 'heap')], asInt: 2 }, { attributes: [str('jvm.memory.type', 'non_heap')], asInt: 1 }] } },
      ]),
    );
    for (const [name, role, unit] of [
      ['http.server.active_requests', 'pending', 'count'],
      ['v8js.memory.heap.used', 'heap', 'bytes'],
      ['process.cpu.utilization', 'cpu', 'ratio'],
      ['process.uptime', 'uptime', 'seconds'],
    ] as const) {
      const s = sample(m, name);
      assert.equal(s.role, role, name);
      assert.equal(s.unit, unit, name);
    }
    assert.equal(sample(m, 'v8js.memory.heap.limit').role, undefined);
    const jvmHeap = sample(m, 'jvm.memory.used', [['jvm.memory.type', 'heap'], ['service', 'api']]);
    assert.equal(jvmHeap.value, 2 * 1024 * 1024);
    // One name holds a role per message: v8js.memory.heap.used came first.
    assert.equal(jvmHeap.role, undefined);
  });

  it('maps units and roles', () => {
    assert.deepEqual(otlpUnit('s', 'x.duration', 'gauge', true), { unit: 'ms', scale: 1000 });
    assert.deepEqual(otlpUnit('s', 'process.uptime', 'gauge'), { unit: 'seconds', scale: 1 });
    assert.deepEqual(otlpUnit('us', 'x', 'gauge'), { unit: 'ms', scale: 1e-3 });
    assert.deepEqual(otlpUnit('KiBy', 'x', 'gauge'), { unit: 'bytes', scale: 1024 });
    assert.deepEqual(otlpUnit('{connection}', 'x', 'gauge'), { unit: 'count', scale: 1 });
    assert.deepEqual(otlpUnit('1', 'system.cpu.utilization', 'gauge'), { unit: 'ratio', scale: 1 });
    assert.deepEqual(otlpUnit('furlongs', 'x', 'gauge'), { unit: 'none', scale: 1 });
    assert.equal(otlpRole('dotnet.gc.last_collection.heap.size', 'bytes', 'gauge', new Map()), 'heap');
    assert.equal(otlpRole('go.goroutine.count', 'count', 'gauge', new Map()), 'goroutines');
    assert.equal(otlpRole('process.cpu.time', 'seconds', 'counter', new Map()), 'cpu');
    assert.equal(otlpRole('jvm.memory.used', 'bytes', 'gauge', new Map([['jvm.memory.type', 'heap']])), 'heap');
    assert.equal(otlpRole('jvm.memory.used', 'bytes', 'gauge', new Map([['jvm.memory.type', 'non_heap']])), undefined);
  });

  it('rejects unusable points with a reason and keeps the rest', () => {
    const m = mapped(
      request([
        { name: 'ok', unit: '1', gauge: { dataPoints: [{ asDouble: 1 }, { asDouble: 'NaN' }, 'nope'] } },
        { name: 'bad.histogram', unit: 'ms', histogram: { aggregationTemporality: 2, dataPoints: [{ count: 1, bucketCounts: [1, 0, 0], explicitBounds: [1] }] } },
        { name: '', gauge: { dataPoints: [{ asDouble: 1 }] } },
      ]),
    );
    assert.equal(m.accepted, 1);
    assert.equal(m.rejected, 4);
    assert.match(m.reason, /no finite value/);
    assert.equal(sample(m, 'ok').value, 1);
  });

  it('caps the points of one request', () => {
    const points = Array.from({ length: 30 }, (_, i) => ({ attributes: [int('i', i)], asInt: i }));
    const r = mapOtlpMetrics(request([{ name: 'many', unit: '1', gauge: { dataPoints: points } }]), new DeltaTotals(), { maxPoints: 10 });
    assert.ok(r.ok);
    assert.equal(r.value.accepted, 10);
    assert.equal(r.value.rejected, 20);
    assert.match(r.value.reason, /more than 10 data points/);
  });

  it('refuses what is not a request', () => {
    assert.equal(mapOtlpMetrics([1, 2], new DeltaTotals()).ok, false);
    assert.equal(mapOtlpMetrics({ resourceMetrics: 'x' }, new DeltaTotals()).ok, false);
    const empty = mapped({});
    assert.equal(empty.decoded.samples.length, 0);
  });

  it('delta totals forget the least recently updated series past their cap', () => {
    const totals = new DeltaTotals(2);
    totals.addSum('a', 1);
    totals.addSum('b', 1);
    totals.addSum('c', 1);
    assert.equal(totals.size, 2);
    assert.equal(totals.addSum('a', 1), 1);
  });
});
