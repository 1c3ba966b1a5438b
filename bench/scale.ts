// Issue 19 item 3: the scale curve. Pipeline cost per sample from 100 to 100,000 series per
// Prometheus scrape and from 10 to 10,000 JSON messages/s of synthetic time, memory per live series,
// and bench/scale.png drawing both curves (uPlot in headless Chromium).

import { join } from 'node:path';
import { Pipeline } from '../src/core/pipeline';
import { decodeMessage } from '../src/core/decode/decode';
import { DEFAULT_STORE_OPTIONS } from '../src/core/series/store';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt } from './lib/report';
import { gc, median, spread } from './lib/stats';
import type { Took } from './lib/goBaseline';
import { measure } from './lib/goBaseline';
import { benchSource, newPipeline, silentLogger } from './ingest';
import { JSON_FORMATS, buildCorpus } from './corpus';
import type { CorpusMessage } from './corpus';
import { syntheticScrape } from './promScrape';
import { drawScaleChart } from './scaleChart';

const GOAL = 1.25;
const SERIES = [100, 1_000, 10_000, 100_000] as const;
const RATES = [10, 100, 1_000, 10_000] as const;
/** Successive scrapes differ: counters and buckets move on between these variants. */
const VARIANTS = 4;
const SCRAPE_EVERY_MS = 2_000;
/** Scrapes fed before the Prometheus memory figure is read (20 s of history at every size). */
const MEMORY_SCRAPES = 10;
const MEMORY_MIN_SERIES = 20_000;

export interface CurvePoint {
  readonly x: number;
  /** Median ns of CPU per sample (wall in `wallNsPerSample`). */
  readonly nsPerSample: number;
  readonly wallNsPerSample: number;
  readonly liveSeries: number;
  readonly bytesPerSeries: number;
  readonly pointsPerSeries: number;
}

interface Workload {
  readonly x: number;
  readonly pipeline: Pipeline;
  /** One measured batch: feeds the pipeline and returns the samples it fed. */
  batch(): number;
}

/** The store's per-source cap (2,000 series by default) is lifted: the curve is about what a live series costs. */
function prometheusPipeline(sources = 1): Pipeline {
  const pipeline = new Pipeline({ store: { ...DEFAULT_STORE_OPTIONS, maxSeriesPerSource: 1_000_000 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 64 * 1024 * 1024 }, silentLogger);
  pipeline.setThresholdSettings([], true);
  pipeline.setSources(Array.from({ length: sources }, (_, i) => benchSource(`prom${i}`, 'prometheus')));
  return pipeline;
}

function scrapes(series: number): string[] {
  return Array.from({ length: VARIANTS }, (_, i) => syntheticScrape(series, i));
}

/** `perBatch` items per measured batch, item k fed at t0 + step × (k + 1) of synthetic time. */
function workload(x: number, pipeline: Pipeline, perBatch: number, samplesPerItem: number, stepMs: number, t0: number, feed: (k: number, t: number) => void): Workload {
  let t = t0;
  let k = 0;
  return {
    x,
    pipeline,
    batch: () => {
      for (let i = 0; i < perBatch; i++) feed(k++, (t += stepMs));
      return perBatch * samplesPerItem;
    },
  };
}

function prometheusWorkload(series: number, samplesPerBatch: number, t0: number): Workload {
  const pipeline = prometheusPipeline();
  const texts = scrapes(series);
  return workload(series, pipeline, Math.max(1, Math.round(samplesPerBatch / series)), series, SCRAPE_EVERY_MS, t0, (k, t) => {
    const text = texts[k % VARIANTS] ?? '';
    pipeline.handle('prom0', text, t, text.length);
  });
}

function jsonWorkload(rate: number, corpus: readonly CorpusMessage[], samplesPerMessage: number, messagesPerBatch: number, t0: number): Workload {
  const pipeline = newPipeline(JSON_FORMATS);
  return workload(rate, pipeline, messagesPerBatch, samplesPerMessage, 1000 / rate, t0, (k, t) => {
    const m = corpus[k % corpus.length];
    if (m) pipeline.handle(m.format, m.text, t, m.text.length);
  });
}

/** Every workload once per round, the order reversed every other round; CPU and wall ns per sample. */
function measureCurve(workloads: readonly Workload[], rounds: number, warmup: number): Array<{ cpu: number[]; wall: number[] }> {
  const out = workloads.map(() => ({ cpu: [] as number[], wall: [] as number[] }));
  for (let r = -warmup; r < rounds; r++) {
    const order = workloads.map((_, i) => i);
    if (r % 2 !== 0) order.reverse();
    for (const i of order) {
      const w = workloads[i];
      const slot = out[i];
      if (!w || !slot) continue;
      let samples = 0;
      const took: Took = measure(() => {
        samples = w.batch();
      });
      if (r < 0) continue;
      slot.cpu.push((took.cpuMs * 1e6) / samples);
      slot.wall.push((took.wallMs * 1e6) / samples);
    }
  }
  return out;
}

function heapBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Each workload's bytes: the heap with it alive minus the heap once it is dropped (last first). */
function memoryOf(workloads: Workload[]): number[] {
  const bytes: number[] = new Array<number>(workloads.length).fill(0);
  for (let i = workloads.length - 1; i >= 0; i--) {
    const before = heapBytes();
    workloads.pop();
    bytes[i] = before - heapBytes();
  }
  return bytes;
}

function pointsPerSeries(pipeline: Pipeline): number {
  return pipeline.store.size === 0 ? 0 : pipeline.store.sampleCount() / pipeline.store.size;
}

/**
 * Heap per live series of a fresh pipeline after `count` scrapes of `series` series (the same
 * history length at every size, unlike the timing workloads, which are fed equal samples). Small
 * scrapes go to several sources, so at least ~20,000 series are measured and the heap's noise is small.
 */
function prometheusMemory(series: number, count: number, t0: number): { bytes: number; live: number; points: number } {
  const texts = scrapes(series);
  const sources = Math.max(1, Math.round(MEMORY_MIN_SERIES / series));
  const before = heapBytes();
  const pipeline = prometheusPipeline(sources);
  for (let i = 0; i < count; i++) {
    const text = texts[i % VARIANTS] ?? '';
    for (let s = 0; s < sources; s++) pipeline.handle(`prom${s}`, text, t0 + i * SCRAPE_EVERY_MS, text.length);
  }
  const bytes = heapBytes() - before;
  return { bytes, live: pipeline.store.size, points: pointsPerSeries(pipeline) };
}

function curve(workloads: Workload[], rounds: number, warmup: number, memory?: (x: number) => { bytes: number; live: number; points: number }): CurvePoint[] {
  const timings = measureCurve(workloads, rounds, warmup);
  let facts = workloads.map((w) => ({ x: w.x, live: w.pipeline.store.size, points: pointsPerSeries(w.pipeline) }));
  let bytes = memoryOf(workloads);
  if (memory) {
    memory(facts[0]?.x ?? 1); // warms the decoder's caches, which would otherwise count against the first size
    const fresh = facts.map((f) => memory(f.x));
    facts = facts.map((f, i) => ({ x: f.x, live: fresh[i]?.live ?? 0, points: fresh[i]?.points ?? 0 }));
    bytes = fresh.map((m) => m.bytes);
  }
  return facts.map((f, i) => ({
    x: f.x,
    nsPerSample: median(timings[i]?.cpu ?? []),
    wallNsPerSample: median(timings[i]?.wall ?? []),
    liveSeries: f.live,
    bytesPerSeries: f.live > 0 ? (bytes[i] ?? 0) / f.live : 0,
    pointsPerSeries: Math.round(f.points),
  }));
}

function row(id: string, figure: string, unit: string, points: readonly CurvePoint[], rounds: number): FigureRow {
  const bottom = points[0];
  const top = points[points.length - 1];
  const ratio = bottom && top ? top.nsPerSample / bottom.nsPerSample : Number.NaN;
  const spreadOf = spread(points.map((p) => p.nsPerSample / (bottom?.nsPerSample ?? Number.NaN)));
  const memory = points.map((p) => `${fmt(p.bytesPerSeries, 0)} B`).join(' / ');
  return {
    id,
    figure,
    pulse: `${fmt(top?.nsPerSample ?? Number.NaN)} ns/sample at ${(top?.x ?? 0).toLocaleString('en-US')} ${unit}; memory per live series ${memory}`,
    baseline: `${fmt(bottom?.nsPerSample ?? Number.NaN)} ns/sample at ${(bottom?.x ?? 0).toLocaleString('en-US')} ${unit}`,
    ratio,
    spread: `curve ${points.map((p) => (p.nsPerSample / (bottom?.nsPerSample ?? 1)).toFixed(2)).join(' · ')} (max ${spreadOf.max.toFixed(2)})`,
    goal: `≤ ${GOAL}× top/bottom`,
    pass: atMost(ratio, GOAL),
    details: { rounds, points },
  };
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const rounds = ctx.quick ? 3 : 7;
  const t0 = Date.UTC(2025, 10, 23, 9);

  const samplesPerBatch = ctx.quick ? 100_000 : 200_000;
  ctx.log('  scale: building scrapes…');
  const prom = curve(
    SERIES.map((n) => prometheusWorkload(n, samplesPerBatch, t0)),
    rounds,
    1,
    (series) => prometheusMemory(series, MEMORY_SCRAPES, t0),
  );

  const corpus = buildCorpus(ctx.root, ctx.quick ? 300 : 1000);
  let samples = 0;
  for (const m of corpus) {
    const r = decodeMessage(m.text, 'auto', { now: t0 });
    if (r.ok) samples += r.value.samples.length + (r.value.histograms?.length ?? 0);
  }
  const samplesPerMessage = samples / corpus.length;
  const json = curve(
    RATES.map((rate) => jsonWorkload(rate, corpus, samplesPerMessage, corpus.length, t0)),
    rounds,
    1,
  );

  // Like results.json: only a full run rewrites the chart the README shows.
  const png = ctx.quick ? join(ctx.cacheDir, 'scale.png') : join(ctx.root, 'bench', 'scale.png');
  await drawScaleChart(ctx.root, png, prom, json);
  ctx.log(`  scale: chart ${png}`);
  return [
    row('scale.prometheus', 'scale: pipeline cost per sample, 100 → 100k series per Prometheus scrape', 'series', prom, rounds),
    row('scale.json', 'scale: pipeline cost per sample, 10 → 10,000 JSON messages/s', 'msg/s', json, rounds),
  ];
}
