// Child process for promRetention.test.ts (needs --expose-gc): a Prometheus source whose every scrape
// is large and adds one new labelled counter and one new histogram label group (label churn),
// through the real Pipeline. Measures the heap retained after GC per new stored series.
//   node --expose-gc --import tsx promRetention.ts <scrapes> <bodyKiB>
// Prints `PULSE_RETENTION {"series":N,"bytesPerSeries":B,"scrapeBytes":S}`.

import { Pipeline } from '../../../src/core/pipeline';
import { pipelineOptions, recordingLogger, sourceConfig } from './support';

const gc = (globalThis as { gc?: () => void }).gc;

export function churnScrape(i: number, bodyKiB: number): string {
  const lines: string[] = ['# HELP app_gauge Padding: series that repeat in every scrape.', '# TYPE app_gauge gauge'];
  for (let k = 0; k < 100; k++) lines.push(`app_gauge{slot="slot-number-${k}-of-the-steady-series"} ${i + k}`);
  const session = `session-${String(i).padStart(6, '0')}-${'abcdefghij'.repeat(3)}`;
  lines.push('# TYPE churn_requests_total counter', `churn_requests_total{session="${session}",route="/api/orders/{id}/items"} ${i + 1}`);
  lines.push('# TYPE churn_latency_seconds histogram');
  for (const le of ['0.005', '0.05', '0.5', '+Inf']) lines.push(`churn_latency_seconds_bucket{session="${session}",le="${le}"} ${i}`);
  lines.push(`churn_latency_seconds_sum{session="${session}"} ${i / 10}`, `churn_latency_seconds_count{session="${session}"} ${i}`);
  let text = lines.join('\n') + '\n';
  const filler = `# filler for scrape ${i}: ${'x'.repeat(1000)}\n`;
  while (text.length < bodyKiB * 1024) text += filler;
  return text;
}

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function main(): void {
  if (gc === undefined) throw new Error('run with --expose-gc');
  const scrapes = Number(process.argv[2] ?? '40');
  const bodyKiB = Number(process.argv[3] ?? '256');
  const { log } = recordingLogger();
  const pipeline = new Pipeline(pipelineOptions(), log);
  pipeline.setSources([sourceConfig('prom', 'http://127.0.0.1:9/metrics', 'prometheus', { format: 'prometheus' })]);
  const t0 = Date.now();
  let i = 0;
  const scrape = (): void => {
    const text = churnScrape(i, bodyKiB);
    pipeline.handle('prom', text, t0 + i * 1000);
    i++;
  };
  for (let w = 0; w < 5; w++) scrape();
  const before = heap();
  const seriesBefore = pipeline.store.size;
  for (let s = 0; s < scrapes; s++) scrape();
  const after = heap();
  const series = pipeline.store.size - seriesBefore;
  process.stdout.write(`PULSE_RETENTION ${JSON.stringify({ series, bytesPerSeries: Math.round((after - before) / Math.max(1, series)), scrapeBytes: churnScrape(0, bodyKiB).length })}\n`);
  pipeline.dispose();
}

if (process.argv[1] && /promRetention\.ts$/.test(process.argv[1])) main();
