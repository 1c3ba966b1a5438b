// Figure 1: what one message costs. The whole host pipeline (decode → histograms → store → rules,
// and the headline read as often as the status bar and the panel read it) against a bare JSON.parse
// of the same strings; and Pulse's Prometheus
// decoder against the npm parser parse-prometheus-text-format on real prom-client output.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Logger, SourceConfig } from '../src/core/model';
import { Pipeline } from '../src/core/pipeline';
import { DEFAULT_STORE_OPTIONS } from '../src/core/series/store';
import { decodeMessage } from '../src/core/decode/decode';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt, iqr } from './lib/report';
import { gc, interleaved, median, nowMs } from './lib/stats';
import type { CorpusMessage, JsonFormat } from './corpus';
import { JSON_FORMATS, buildCorpus } from './corpus';

export const silentLogger: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function benchSource(id: string, format: SourceConfig['format'] = 'auto'): SourceConfig {
  return { id, name: id, url: `ws://127.0.0.1:1/${id}`, kind: 'ws', format, pollIntervalMs: 2000, headers: {}, scope: 'user' };
}

export function newPipeline(sourceIds: readonly string[]): Pipeline {
  const pipeline = new Pipeline(
    { store: DEFAULT_STORE_OPTIONS, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 4 * 1024 * 1024 },
    silentLogger,
  );
  pipeline.setThresholdSettings([], true);
  pipeline.setSources(sourceIds.map((id) => benchSource(id)));
  return pipeline;
}

/** Message i arrives at clock + 25 ms × i: each of the four sources sends at 10 Hz. */
const STEP_MS = 25;
/** The readers of the headline: the status bar at most every 500 ms, the panel's posts every 125 ms. */
const READERS_MS = [500, 125] as const;

let sink = 0;

/** The headline read by each reader whose interval (of the synthetic clock) has passed since its last read. */
function readHeadline(pipeline: Pipeline, t: number): void {
  for (const every of READERS_MS) if (Math.floor(t / every) !== Math.floor((t - STEP_MS) / every)) sink += pipeline.headline().requestRate ?? 0;
}

function runPipeline(pipeline: Pipeline, corpus: readonly CorpusMessage[], clock: { t: number }): number {
  const start = nowMs();
  for (const m of corpus) {
    clock.t += STEP_MS;
    pipeline.handle(m.format, m.text, clock.t, m.text.length);
    readHeadline(pipeline, clock.t);
  }
  return nowMs() - start;
}

function runParse(corpus: readonly CorpusMessage[]): number {
  const start = nowMs();
  for (const m of corpus) {
    const v: unknown = JSON.parse(m.text);
    if (v !== null) sink++;
  }
  return nowMs() - start;
}

async function jsonFigure(ctx: BenchContext): Promise<FigureRow> {
  const perFormat = ctx.quick ? 600 : 2500;
  const corpus = buildCorpus(ctx.root, perFormat);
  const bytes = corpus.reduce((n, m) => n + m.text.length, 0);
  const pipeline = newPipeline(JSON_FORMATS);
  const clock = { t: Date.UTC(2025, 10, 23, 9) };
  const rounds = 15;
  const result = await interleaved({
    rounds,
    warmup: 2,
    a: () => {
      gc();
      return runPipeline(pipeline, corpus, clock);
    },
    b: () => {
      gc();
      return runParse(corpus);
    },
  });

  // Per format, for the details (fewer rounds; the headline is the mixed stream above).
  const perFormatRatios: Record<string, number> = {};
  for (const format of JSON_FORMATS) {
    const only = corpus.filter((m) => m.format === format);
    const p = newPipeline([format as JsonFormat]);
    const c = { t: clock.t };
    const r = await interleaved({ rounds: 7, warmup: 1, a: () => runPipeline(p, only, c), b: () => runParse(only) });
    perFormatRatios[format] = Number(r.ratio.median.toFixed(3));
  }

  const stages = await stageBreakdown(corpus, clock.t);
  const usPerMessageA = (median(result.a) * 1000) / corpus.length;
  const usPerMessageB = (median(result.b) * 1000) / corpus.length;
  return {
    id: 'ingest.json',
    figure: `ingest: pipeline+headline reads per JSON message (${corpus.length} msgs, 4 formats)`,
    pulse: `${fmt(usPerMessageA)} µs/msg`,
    baseline: `${fmt(usPerMessageB)} µs/msg (JSON.parse)`,
    ratio: result.ratio.median,
    spread: iqr(result.ratio),
    goal: '≤ 5×',
    pass: atMost(result.ratio.median, 5),
    details: { messages: corpus.length, bytes, rounds, perFormatRatios, usPerMessageByStage: stages, seriesStored: pipeline.store.size, msA: result.a, msB: result.b, ratios: result.ratios, sink: sink > 0 },
  };
}

/** Where the time goes, µs per message, each stage alone (median of 5 rounds). */
async function stageBreakdown(corpus: readonly CorpusMessage[], t0: number): Promise<Record<string, number>> {
  const pipeline = newPipeline(JSON_FORMATS);
  const clock = { t: t0 };
  for (let i = 0; i < 3; i++) runPipeline(pipeline, corpus, clock);
  const timeIt = (f: () => void): number => {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      gc();
      const start = nowMs();
      f();
      runs.push(((nowMs() - start) * 1000) / corpus.length);
    }
    return Number(median(runs).toFixed(2));
  };
  let t = clock.t;
  return {
    jsonParse: timeIt(() => runParse(corpus)),
    decodeMessage: timeIt(() => {
      for (const m of corpus) {
        const r = decodeMessage(m.text, 'auto', { now: t });
        if (r.ok) sink++;
      }
    }),
    pipelineHandle: timeIt(() => {
      for (const m of corpus) pipeline.handle(m.format, m.text, (t += STEP_MS), m.text.length);
    }),
    // The same with the headline read as its readers ask for it (10 reads per 40 messages).
    pipelineHandleWithHeadlineReads: timeIt(() => {
      for (const m of corpus) {
        pipeline.handle(m.format, m.text, (t += STEP_MS), m.text.length);
        readHeadline(pipeline, t);
      }
    }),
  };
}

type PromParser = (text: string) => unknown[];

async function prometheusFigure(ctx: BenchContext): Promise<FigureRow> {
  const text = readFileSync(join(ctx.root, 'test', 'fixtures', 'formats', 'prometheus-prom-client.txt'), 'utf8');
  const parse = createRequire(join(ctx.root, 'package.json'))('parse-prometheus-text-format') as PromParser | { default: PromParser };
  const parsePrometheus: PromParser = typeof parse === 'function' ? parse : parse.default;
  const iterations = ctx.quick ? 100 : 200;
  let now = Date.now();
  const check = decodeMessage(text, 'prometheus', { now });
  if (!check.ok) throw new Error(`Pulse could not decode the prom-client fixture: ${check.error}`);
  const result = await interleaved({
    rounds: 15,
    warmup: 2,
    a: () => {
      gc();
      const start = nowMs();
      for (let i = 0; i < iterations; i++) {
        const r = decodeMessage(text, 'prometheus', { now: (now += 1000) });
        if (r.ok) sink += r.value.samples.length;
      }
      return nowMs() - start;
    },
    b: () => {
      gc();
      const start = nowMs();
      for (let i = 0; i < iterations; i++) sink += parsePrometheus(text).length;
      return nowMs() - start;
    },
  });
  return {
    id: 'ingest.prometheus',
    figure: `ingest: Prometheus decode (prom-client, ${(text.length / 1024).toFixed(1)} KB)`,
    pulse: `${fmt((median(result.a) * 1000) / iterations)} µs/scrape`,
    baseline: `${fmt((median(result.b) * 1000) / iterations)} µs/scrape (parse-prometheus-text-format)`,
    ratio: result.ratio.median,
    spread: iqr(result.ratio),
    goal: '≤ 1.0×',
    pass: atMost(result.ratio.median, 1.0),
    details: { iterations, samples: check.value.samples.length, histograms: check.value.histograms?.length ?? 0, msA: result.a, msB: result.b, ratios: result.ratios },
  };
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  return [await jsonFigure(ctx), await prometheusFigure(ctx)];
}
