// Issue 19 item 2: Pulse's Prometheus decoding against the Prometheus project's own Go text parser
// (expfmt.TextParser, prometheus/common), on the same payloads: the prom-client and client_golang
// fixtures and synthetic 10k- and 100k-series scrapes. Pulse's parser alone and the full decode.
// No forced GC before Pulse's rounds: V8's forced full GC shrinks the young generation, and the
// allocation-heavy parse right after it paid ~5× the CPU in scavenges (measured); the Go side's
// runtime.GC() has no such after-effect. Each side's own GC work during its round is counted.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../src/core/decode/decode';
import { parsePrometheusText } from '../src/core/decode/prometheusParse';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt, iqr } from './lib/report';
import { interleaved, median, spread } from './lib/stats';
import type { Took } from './lib/goBaseline';
import { ensurePromGo, measure, startGoParser } from './lib/goBaseline';
import { syntheticScrape } from './promScrape';

/** Pulse / Go, at most (issue 19). */
const GOALS = { parser: 0.35, decode: 0.5 } as const;

interface Payload {
  readonly key: string;
  readonly label: string;
  readonly text: string;
  readonly file: string;
  /** Parses per round, so one round is tens of milliseconds on either side. */
  readonly iterations: number;
}

let sink = 0;

function payloads(ctx: BenchContext): Payload[] {
  const fixture = (name: string) => join(ctx.root, 'test', 'fixtures', 'formats', name);
  const synthetic = (series: number): Payload => {
    const file = join(ctx.cacheDir, 'go', `scrape-${series}.txt`);
    const text = syntheticScrape(series);
    writeFileSync(file, text);
    return { key: `${series / 1000}k`, label: `synthetic ${series / 1000}k series`, text, file, iterations: series >= 100_000 ? 1 : 4 };
  };
  const real = (key: string, label: string, name: string): Payload => ({ key, label, text: readFileSync(fixture(name), 'utf8'), file: fixture(name), iterations: 200 });
  return [
    real('promClient', 'prom-client', 'prometheus-prom-client.txt'),
    real('clientGolang', 'client_golang', 'prometheus-client-golang.txt'),
    synthetic(10_000),
    synthetic(100_000),
  ];
}

function parseAll(text: string, iterations: number): Took {
  return measure(() => {
    for (let i = 0; i < iterations; i++) sink += parsePrometheusText(text).families.length;
  });
}

let now = Date.UTC(2025, 10, 23, 9);
function decodeAll(text: string, iterations: number): Took {
  return measure(() => {
    for (let i = 0; i < iterations; i++) {
      const r = decodeMessage(text, 'prometheus', { now: (now += 1000) });
      if (r.ok) sink += r.value.samples.length;
    }
  });
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const binary = await ensurePromGo(ctx.root, ctx.cacheDir, ctx.log);
  const list = payloads(ctx);
  const go = startGoParser(binary, list.map((p) => p.file));
  const rows: FigureRow[] = [];
  try {
    for (const [index, p] of list.entries()) {
      const check = decodeMessage(p.text, 'prometheus', { now });
      if (!check.ok) throw new Error(`Pulse could not decode ${p.label}: ${check.error}`);
      const rounds = ctx.quick ? 9 : 15;
      const iterations = ctx.quick ? Math.max(1, Math.ceil(p.iterations / 2)) : p.iterations;
      // Side A is Pulse's parser and its full decode back to back (which first alternates too); A's
      // measure is the decode's, the parser's is kept aside and compared with the same round's Go.
      const parser: Took[] = [];
      const decode: Took[] = [];
      const goRuns: Took[] = [];
      await interleaved({
        rounds,
        warmup: 2,
        a: (round) => {
          const first = round % 4 < 2 ? parseAll(p.text, iterations) : undefined;
          const d = decodeAll(p.text, iterations);
          const q = first ?? parseAll(p.text, iterations);
          if (round >= 0) {
            parser.push(q);
            decode.push(d);
          }
          return d.cpuMs;
        },
        b: async (round) => {
          const t = await go.parse(index, iterations);
          if (round >= 0) goRuns.push(t);
          return t.cpuMs;
        },
      });
      // CPU time is the headline (the machines are shared: elapsed time counts other processes' turns); wall in details.
      const ratios = (side: readonly Took[], key: keyof Took) => side.map((t, i) => t[key] / (goRuns[i]?.[key] ?? Number.NaN));
      const perScrape = (side: readonly Took[]) => `${fmt((median(side.map((t) => t.cpuMs)) * 1000) / iterations)} µs CPU/scrape`;
      const goText = `${perScrape(goRuns)} (Go expfmt.TextParser)`;
      const size = `${(p.text.length / 1024).toFixed(p.text.length < 100_000 ? 1 : 0)} KB`;
      const details = { iterations, rounds, bytes: p.text.length, samplesOut: check.value.samples.length, histogramsOut: check.value.histograms?.length ?? 0, go: goRuns };
      const row = (kind: keyof typeof GOALS, side: readonly Took[], what: string): FigureRow => {
        const goal = GOALS[kind];
        const cpu = spread(ratios(side, 'cpuMs'));
        return {
          id: `promGo.${kind}.${p.key}`,
          figure: `Prometheus ${kind === 'parser' ? 'parser' : 'full decode'} vs Go (${p.label}, ${size})`,
          pulse: `${perScrape(side)} (${what})`,
          baseline: goText,
          ratio: cpu.median,
          spread: iqr(cpu),
          goal: `≤ ${goal}×`,
          pass: atMost(cpu.median, goal),
          details: { ...details, pulse: side, cpuRatios: ratios(side, 'cpuMs'), wallRatio: spread(ratios(side, 'wallMs')) },
        };
      };
      rows.push(row('parser', parser, 'parsePrometheusText'), row('decode', decode, 'decodeMessage'));
    }
  } finally {
    go.close();
  }
  if (sink < 0) ctx.log('unreachable');
  return rows;
}
