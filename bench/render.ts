// Figure 7: main-thread cost of the real panel in headless Chromium: 12 pinned charts × 3,600
// points plus gauges and tables, fed 10 didUpdate/s, against a bare uPlot page (same uPlot build,
// 12 charts of the same size, setData on the same points at 10/s). A/B rounds alternate between
// the two pages; the measure is CDP ThreadTime (main-thread CPU time) per round. Pulse draws no more points
// than a chart has pixels (webview/charts/decimate.ts), redraws only the charts whose data or size changed and
// leaves charts out of view for when they scroll in; the bare page draws every chart's 3,600 points.
//
// Not TaskDuration: Chromium flushes (rasterizes) a canvas drawn in a task from a task observer that
// runs after TaskDuration has stopped counting, but inside the frame's own task when the drawing was
// done in requestAnimationFrame. The bare page draws in its message handler, Pulse in rAF, so
// TaskDuration left the bare page's canvas raster (most of its cost) out and counted Pulse's: the same
// bare page measures ~5 ms/update with TaskDuration when it draws in the message task and ~25 ms when it
// draws in rAF, ~25 ms ThreadTime either way. TaskDuration is still reported, in details.

import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt, iqr } from './lib/report';
import { interleaved, median } from './lib/stats';
import type { BenchPage } from './lib/pages';
import { initScript, launchChromium, openPage, startPageServer } from './lib/pages';
import { renderData } from './renderData';

/** The little of the DOM these predicates touch (they run in the page, not in Node). */
interface PageGlobals {
  readonly document: { querySelectorAll(selector: string): { readonly length: number } };
}

type Breakdown = { script: number; layout: number; recalc: number; other: number };

/** Main-thread CPU time so far, ms (CDP ThreadTime, thread ticks). */
async function threadTime(p: BenchPage): Promise<number> {
  const { metrics } = (await p.cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const t = metrics.find((m) => m.name === 'ThreadTime');
  if (!t) throw new Error('this Chromium reports no ThreadTime metric');
  return t.value * 1000;
}

/**
 * Feeds n updates at 10/s; returns the main-thread time they cost, adds the TaskDuration parts to
 * `parts` (per update) and the TaskDuration itself to `tasks`.
 */
async function feed(p: BenchPage, n: number, parts: Breakdown[], tasks: number[]): Promise<number> {
  const before = await p.metrics();
  const threadBefore = await threadTime(p);
  await p.page.evaluate(`window.__run(${n})`);
  const after = await p.metrics();
  const thread = (await threadTime(p)) - threadBefore;
  const task = after.task - before.task;
  tasks.push(task);
  const script = after.script - before.script;
  const layout = after.layout - before.layout;
  const recalc = after.recalc - before.recalc;
  parts.push({ script: script / n, layout: layout / n, recalc: recalc / n, other: (task - script - layout - recalc) / n });
  return thread;
}

function medianParts(parts: readonly Breakdown[]): Breakdown {
  const m = (k: keyof Breakdown) => Number(median(parts.map((p) => p[k])).toFixed(2));
  return { script: m('script'), layout: m('layout'), recalc: m('recalc'), other: m('other') };
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const seconds = ctx.quick ? 10 : 60;
  const rounds = 15;
  const perRound = Math.max(5, Math.round((seconds * 10) / rounds));
  const data = renderData(Date.now());
  const server = await startPageServer(ctx.dist, ctx.root);
  const browser = await launchChromium();
  try {
    const t0 = performance.now();
    const pulse = await openPage(browser, `${server.origin}/`, initScript(data, true));
    await pulse.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('.uplot').length >= 12, undefined, { timeout: 30_000 });
    await pulse.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const loadMs = performance.now() - t0;
    const loadMetrics = await pulse.metrics();
    const size = (await pulse.page.evaluate('(() => { const c = document.querySelector(".uplot canvas"); const r = c.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; })()')) as [number, number];
    const baseline = await openPage(browser, `${server.origin}/baseline?w=${size[0]}&h=${size[1]}`, initScript(data, false));
    await baseline.page.waitForFunction(() => (globalThis as unknown as { __ready?: boolean }).__ready === true, undefined, { timeout: 30_000 });
    const longBefore = { pulse: (await pulse.longTasks()).length, base: (await baseline.longTasks()).length };

    const partsA: Breakdown[] = [];
    const partsB: Breakdown[] = [];
    const tasksA: number[] = [];
    const tasksB: number[] = [];
    const result = await interleaved({ rounds, warmup: 1, a: () => feed(pulse, perRound, partsA, tasksA), b: () => feed(baseline, perRound, partsB, tasksB) });
    // The warm-up round is not in the result.
    const taskA = tasksA.slice(-rounds);
    const taskB = tasksB.slice(-rounds);
    const taskRatios = taskA.map((x, i) => x / (taskB[i] ?? NaN));

    const longPulse = (await pulse.longTasks()).slice(longBefore.pulse).filter((d) => d >= 50);
    const longBase = (await baseline.longTasks()).slice(longBefore.base).filter((d) => d >= 50);
    if (pulse.errors.length > 0) ctx.log(`render: page errors: ${pulse.errors.slice(0, 3).join(' | ')}`);
    const perUpdate = (xs: readonly number[]) => median(xs) / perRound;
    return [
      {
        id: 'render.taskTime',
        figure: `render: main-thread CPU time per update (12 charts × 3,600 pts, 10 upd/s, ${seconds} s)`,
        pulse: `${fmt(perUpdate(result.a))} ms/update`,
        baseline: `${fmt(perUpdate(result.b))} ms/update (bare uPlot)`,
        ratio: result.ratio.median,
        spread: iqr(result.ratio),
        goal: '≤ 0.5×',
        pass: atMost(result.ratio.median, 0.5),
        details: {
          perRound,
          chartSize: size,
          threadMsPulse: result.a,
          threadMsBaseline: result.b,
          ratios: result.ratios,
          // TaskDuration misses the bare page's canvas flush (see the top of this file): for reference only.
          taskDuration: { msPerUpdatePulse: perUpdate(taskA), msPerUpdateBaseline: perUpdate(taskB), ratioMedian: median(taskRatios), taskMsPulse: taskA, taskMsBaseline: taskB },
          msPerUpdateBreakdown: { pulse: medianParts(partsA), baseline: medianParts(partsB) },
          initialLoadMs: loadMs,
          initialTaskMs: loadMetrics.task,
          pageErrors: pulse.errors.slice(0, 5),
        },
      },
      {
        id: 'render.longTasks',
        figure: 'render: long tasks ≥ 50 ms while fed',
        pulse: `${longPulse.length} (max ${fmt(Math.max(0, ...longPulse))} ms)`,
        baseline: `${longBase.length} (bare uPlot)`,
        ratio: null,
        spread: `${rounds * perRound} updates each`,
        goal: '0',
        pass: longPulse.length === 0,
        details: { longPulse, longBase, initialLoadTaskMs: loadMetrics.task },
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
