// Child process for fuzz.test.ts (needs --expose-gc): property-based runs of every decoder through the
// real Pipeline with generated, large, label-churning payloads. Each run must not throw, and the heap
// it retains after GC must be bounded by the series cap, not by the bytes it was fed.
//   node --expose-gc --import tsx fuzzRetention.ts [runsPerDecoder]
// Prints `PULSE_FUZZ_RETENTION {...}`; exits 1 with the counterexample when a property fails.

import fc from 'fast-check';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Logger, SourceConfig } from '../../../../src/core/model';
import type { FormatHint } from '../../../../src/shared/vocabulary';
import { Pipeline } from '../../../../src/core/pipeline';

/** Series per source: what retained memory may grow with. */
export const FUZZ_SERIES_CAP = 40;
/** Allowed retained heap per series (store entry, rule and histogram state, names) … */
export const FUZZ_BYTES_PER_SERIES = 32 * 1024;
/** … plus this much fixed (caches bounded on their own, measurement noise) … */
export const FUZZ_FIXED_BYTES = 1024 * 1024;
/** … plus one payload's worth (V8 may hold on to the last input it parsed), in bytes per character. */
const IN_FLIGHT_BYTES_PER_CHAR = 2;
const PAYLOADS_PER_RUN = 12;

type Build = (names: readonly string[], pad: string, i: number) => string;

const promEscape = (s: string): string => s.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/** One payload of each format in which every name becomes a series (or a label of one). */
const BUILDERS: ReadonlyArray<readonly [FormatHint, Build]> = [
  [
    'prometheus',
    (names, pad, i) =>
      `# HELP churn_requests_total ${pad}\n# TYPE churn_requests_total counter\n` +
      names.map((n, k) => `churn_requests_total{session="${promEscape(n)}"} ${i}\nchurn_${k}_${i}_gauge_series_name ${i}\n`).join('') +
      `# TYPE churn_seconds histogram\n` +
      names.map((n) => `churn_seconds_bucket{session="${promEscape(n)}",le="+Inf"} ${i}\n`).join(''),
  ],
  ['json', (names, pad, i) => JSON.stringify({ note: pad, ...Object.fromEntries(names.map((n) => [n, i])) })],
  [
    'bun',
    (names, pad, i) =>
      JSON.stringify({ pid: 1, uptime: i, note: pad, memory: { heapUsed: 1000 + i, rss: 2000 + i }, websockets: { subscribers: Object.fromEntries(names.map((n) => [n, i])), totalSubscribers: names.length } }),
  ],
  [
    'snapshot',
    (names, pad, i) =>
      JSON.stringify({ type: 'update', timestamp: 1763888400000 + i * 1000, data: { note: pad, endpoints: names.map((n) => ({ path: `/${n}`, method: 'GET', p95: i, requests: i })) } }),
  ],
  ['daemon', (names, pad, i) => JSON.stringify({ type: 'metrics', timestamp: 1763888400000 + i * 1000, data: { raw: { note: pad, ...Object.fromEntries(names.map((n) => [n, i])) } } })],
  ['go-stats', (names, pad, i) => JSON.stringify({ uptime_seconds: i, note: pad, connections: { active: 1 }, system: { goroutines: 2 }, hub: Object.fromEntries(names.map((n) => [n, i])) })],
];

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap in use after full collections and a turn of the event loop (V8 clears weak transitions late). */
async function settledHeap(): Promise<number> {
  for (let k = 0; k < 3; k++) gc?.();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc?.();
  return process.memoryUsage().heapUsed;
}

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const spec = fc.record({
  names: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), { minLength: 4, maxLength: 8 }),
  padKiB: fc.integer({ min: 256, max: 768 }),
  padUnit: fc.constantFrom('x', 'é', '€', '"', '\\', ' '),
});

interface DecoderResult {
  hint: FormatHint;
  runs: number;
  maxRetained: number;
  maxSeries: number;
  inputBytes: number;
}

/** Feeds the payloads in a frame of its own, so nothing of them stays on the stack while the heap is measured. */
function feed(pipeline: Pipeline, hint: FormatHint, build: Build, names: readonly string[], pad: string): { chars: number; largest: number } {
  const t0 = 1763888400000;
  let chars = 0;
  let largest = 0;
  for (let i = 0; i < PAYLOADS_PER_RUN; i++) {
    // Every payload brings new names (label churn), each long enough that a slice would be a view.
    const text = build(names.map((n) => `${n}·payload-${i}-of-the-run`), pad, i);
    chars += text.length;
    largest = Math.max(largest, text.length);
    const direct = decodeMessage(text, hint, { now: t0 + i * 1000 });
    if (!direct.ok) throw new Error(`${hint} refused its own format: ${direct.error}`);
    pipeline.handle('fuzz', text, t0 + i * 1000);
  }
  return { chars, largest };
}

async function run(hint: FormatHint, build: Build, runs: number): Promise<DecoderResult> {
  const result: DecoderResult = { hint, runs: 0, maxRetained: 0, maxSeries: 0, inputBytes: 0 };
  await fc.assert(
    fc.asyncProperty(spec, async ({ names, padKiB, padUnit }) => {
      const pad = padUnit.repeat(padKiB * 1024);
      const before = await settledHeap();
      const pipeline = new Pipeline({ store: { rawWindowMs: 15 * 60_000, bucketMs: 10_000, downsampledWindowMs: 24 * 3_600_000, maxSeriesPerSource: FUZZ_SERIES_CAP }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 8 * 1024 * 1024 }, quiet);
      const config: SourceConfig = { id: 'fuzz', name: 'fuzz', url: 'http://127.0.0.1:9/', kind: hint === 'prometheus' ? 'prometheus' : 'http-json', format: hint, pollIntervalMs: 1000, headers: {}, scope: 'user' };
      pipeline.setSources([config]);
      const fed = feed(pipeline, hint, build, names, pad);
      result.inputBytes += fed.chars;
      const after = await settledHeap();
      const series = pipeline.store.size;
      const retained = after - before;
      result.runs++;
      result.maxRetained = Math.max(result.maxRetained, retained);
      result.maxSeries = Math.max(result.maxSeries, series);
      pipeline.dispose();
      const bound = FUZZ_SERIES_CAP * FUZZ_BYTES_PER_SERIES + FUZZ_FIXED_BYTES + IN_FLIGHT_BYTES_PER_CHAR * fed.largest;
      if (retained > bound) throw new Error(`${hint}: ${retained} bytes retained after ${PAYLOADS_PER_RUN} payloads of up to ${fed.largest} characters (${series} series); the bound is ${bound}`);
    }),
    { numRuns: runs, endOnFailure: true },
  );
  return result;
}

async function main(): Promise<void> {
  if (gc === undefined) throw new Error('run with --expose-gc');
  const runs = Number(process.argv[2] ?? '3');
  const results: DecoderResult[] = [];
  for (const [hint, build] of BUILDERS) results.push(await run(hint, build, runs));
  process.stdout.write(`PULSE_FUZZ_RETENTION ${JSON.stringify({ cap: FUZZ_SERIES_CAP, payloadsPerRun: PAYLOADS_PER_RUN, results })}\n`);
}

if (process.argv[1] && /fuzzRetention\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}${cause}\n`);
    process.exit(1);
  });
}
