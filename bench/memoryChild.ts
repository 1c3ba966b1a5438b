// Child of memory.ts: fills a MetricStore (or a plain Float64Array, the baseline) with
// 500 series × 10 Hz × 15 min and prints the retained bytes per sample after forced GC.
//   node --expose-gc --import tsx bench/memoryChild.ts pulse|baseline <series> <minutes>

import type { Sample } from '../src/core/model';
import { MetricStore, DEFAULT_STORE_OPTIONS } from '../src/core/series/store';
import { gc } from './lib/stats';
import { seriesShapes } from './lib/shapes';

function retained(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function main(): void {
  const mode = process.argv[2] ?? 'pulse';
  const seriesCount = Number(process.argv[3] ?? 500);
  const minutes = Number(process.argv[4] ?? 15);
  const steps = minutes * 60 * 10;
  const shapes = seriesShapes(seriesCount);
  const t0 = Date.UTC(2025, 10, 23, 9);
  const value = (s: number, step: number) => (shapes[s]?.kind === 'counter' ? step * (s + 1) : 1000 + 100 * Math.sin(step / 50 + s));

  if (mode === 'baseline') {
    const before = retained();
    const n = steps * seriesCount;
    const pairs = new Float64Array(2 * n);
    for (let step = 0, k = 0; step < steps; step++) {
      for (let s = 0; s < seriesCount; s++, k += 2) {
        pairs[k] = t0 + step * 100;
        pairs[k + 1] = value(s, step);
      }
    }
    const after = retained();
    process.stdout.write(`${JSON.stringify({ samples: n, bytes: after - before, bytesPerSample: (after - before) / n, check: pairs[7] })}\n`);
    return;
  }

  const before = retained();
  const store = new MetricStore(DEFAULT_STORE_OPTIONS);
  const started = performance.now();
  for (let step = 0; step < steps; step++) {
    const samples: Sample[] = new Array<Sample>(seriesCount);
    for (let s = 0; s < seriesCount; s++) {
      const shape = shapes[s];
      if (!shape) continue;
      samples[s] = { name: shape.name, labels: shape.labels, value: value(s, step), kind: shape.kind, unit: 'count' };
    }
    store.ingest('bench', samples, t0 + step * 100);
  }
  const ingestMs = performance.now() - started;
  const after = retained();
  let raw = 0;
  let buckets = 0;
  let bucketRows = 0;
  for (const info of store.list()) {
    const h = store.history(info.id);
    if (!h) continue;
    raw += h.raw.bytes();
    buckets += h.buckets.bytes();
    bucketRows += h.buckets.size;
  }
  const samples = store.sampleCount();
  process.stdout.write(
    `${JSON.stringify({
      samples,
      series: store.size,
      bytes: after - before,
      bytesPerSample: (after - before) / samples,
      rawTierBytes: raw,
      bucketTierBytes: buckets,
      bucketRows,
      approxBytes: store.approxBytes(),
      ingestNsPerSample: (ingestMs * 1e6) / (steps * seriesCount),
    })}\n`,
  );
}

main();
