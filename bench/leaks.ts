// Figure 8: does memory stay flat once the buffers are full? Host: the Pipeline (plus the panel
// feed and the once-a-second tick) fed 100 messages/s of synthetic time as fast as it goes, with
// windows small enough (raw 1 min, buckets 2 min) to be full by minute 2; heap after forced GC at
// minute 10 vs minute 2. Webview: the real panel in Chromium fed updates 20× (quick: 50×) faster than real time
// (accelerated), charts on their 1 min window, JS heap after CDP collectGarbage at "10 min" vs "2 min".

import type { Logger } from '../src/core/model';
import { Pipeline } from '../src/core/pipeline';
import { PanelFeed } from '../src/core/views/panelFeed';
import { summarize } from '../src/core/views/summary';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt } from './lib/report';
import { gc } from './lib/stats';
import { benchSource, silentLogger } from './ingest';
import { JSON_FORMATS, buildCorpus } from './corpus';
import { initScript, launchChromium, openPage, startPageServer } from './lib/pages';
import { renderData } from './renderData';

function retained(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A leak row: heap after GC at "minute 10" against "minute 2"; flat within 10 % passes. */
function leakRow(row: Pick<FigureRow, 'id' | 'figure' | 'spread' | 'details'>, at2: number, at10: number): FigureRow {
  const ratio = at10 / at2;
  return {
    id: row.id,
    figure: row.figure,
    pulse: `${fmt(at10 / 1048576)} MiB at 10 min`,
    baseline: `${fmt(at2 / 1048576)} MiB at 2 min`,
    ratio,
    spread: row.spread,
    goal: '≤ 1.1×',
    pass: atMost(ratio, 1.1),
    details: row.details,
  };
}

function hostFigure(ctx: BenchContext): FigureRow {
  const log: Logger = silentLogger;
  const pipeline = new Pipeline({ store: { rawWindowMs: 60_000, bucketMs: 10_000, downsampledWindowMs: 120_000, maxSeriesPerSource: 2000 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 4 * 1024 * 1024 }, log);
  pipeline.setThresholdSettings([], true);
  pipeline.setSources(JSON_FORMATS.map((f) => benchSource(f)));
  const feed = new PanelFeed(pipeline, () => []);
  pipeline.onDidChange((c) => feed.note(c));
  feed.history(pipeline.store.list().map((s) => s.id).slice(0, 12), '5m', 'rate', 0);
  const corpus = buildCorpus(ctx.root, 1500);
  let t = Date.UTC(2025, 10, 23, 9);
  let i = 0;
  let sink = 0;
  const runMinutes = (minutes: number) => {
    const end = t + minutes * 60_000;
    while (t < end) {
      t += 10; // 100 messages per second, spread over the four sources
      const m = corpus[i++ % corpus.length];
      if (!m) continue;
      pipeline.handle(m.format, m.text, t, m.text.length);
      if (i % 10 === 0) sink += feed.delta(t) ? 1 : 0;
      if (i % 50 === 0) sink += summarize(pipeline.store.list()).requestRate ?? 0;
      if (i % 100 === 0) pipeline.tick(t);
      if (i === 200) feed.history(pipeline.store.list().map((s) => s.id).slice(0, 12), '5m', 'rate', t);
    }
  };
  runMinutes(2);
  const at2 = retained();
  const series2 = pipeline.store.size;
  runMinutes(8);
  const at10 = retained();
  return leakRow(
    {
      id: 'leaks.host',
      figure: 'leaks, host: heap after GC at minute 10 vs minute 2 (100 msg/s, synthetic time)',
      spread: 'single run (deterministic input)',
      details: { messages: i, seriesAt2: series2, seriesAt10: pipeline.store.size, sink: sink > 0 },
    },
    at2,
    at10,
  );
}

async function webviewFigure(ctx: BenchContext): Promise<FigureRow> {
  const data = renderData(Date.now());
  const server = await startPageServer(ctx.dist, ctx.root);
  const browser = await launchChromium();
  try {
    // The 1 min chart window, so the chart buffers are full by "minute 2" as the host's are.
    const p = await openPage(browser, `${server.origin}/`, initScript(data, true, '1m'));
    await p.page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.uplot').length >= 12, undefined, { timeout: 30_000 });
    // 10 (quick: 25) updates per 50 ms: 200/s (500/s), 20× (50×) real time. 1,200 updates = 2 min of 10/s.
    const perTick = ctx.quick ? 25 : 10;
    const run = (n: number) => p.page.evaluate(`window.__run(${n}, 50, ${perTick})`);
    await run(1200);
    const at2 = await p.heapAfterGc();
    const started = performance.now();
    await run(4800);
    const at10 = await p.heapAfterGc();
    return leakRow(
      {
        id: 'leaks.webview',
        figure: `leaks, webview: JS heap after GC at "10 min" vs "2 min" of 10 upd/s (fed ${perTick * 2}× accelerated)`,
        spread: 'single run',
        details: { feedSeconds: (performance.now() - started) / 1000, pageErrors: p.errors.slice(0, 5) },
      },
      at2,
      at10,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  return [hostFigure(ctx), await webviewFigure(ctx)];
}
