// Figure 7: main-thread cost of the real panel in headless Chromium: 12 pinned charts × 3,600
// points plus gauges and tables, fed 10 didUpdate/s, against a bare uPlot page (same uPlot build,
// 12 charts of the same size, setData on the same points at 10/s). A/B rounds alternate between
// the two pages; the measure is CDP TaskDuration (thread time) per round.

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

/** Feeds n updates at 10/s; returns the task time they cost and adds its parts to `parts`. */
async function feed(p: BenchPage, n: number, parts: Breakdown[]): Promise<number> {
  const before = await p.metrics();
  await p.page.evaluate(`window.__run(${n})`);
  const after = await p.metrics();
  const task = after.task - before.task;
  const script = after.script - before.script;
  const layout = after.layout - before.layout;
  const recalc = after.recalc - before.recalc;
  parts.push({ script: script / n, layout: layout / n, recalc: recalc / n, other: (task - script - layout - recalc) / n });
  return task;
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
    const result = await interleaved({ rounds, warmup: 1, a: () => feed(pulse, perRound, partsA), b: () => feed(baseline, perRound, partsB) });

    const longPulse = (await pulse.longTasks()).slice(longBefore.pulse).filter((d) => d >= 50);
    const longBase = (await baseline.longTasks()).slice(longBefore.base).filter((d) => d >= 50);
    if (pulse.errors.length > 0) ctx.log(`render: page errors: ${pulse.errors.slice(0, 3).join(' | ')}`);
    const perUpdate = (xs: readonly number[]) => median(xs) / perRound;
    return [
      {
        id: 'render.taskTime',
        figure: `render: main-thread task time per update (12 charts × 3,600 pts, 10 upd/s, ${seconds} s)`,
        pulse: `${fmt(perUpdate(result.a))} ms/update`,
        baseline: `${fmt(perUpdate(result.b))} ms/update (bare uPlot)`,
        ratio: result.ratio.median,
        spread: iqr(result.ratio),
        goal: '≤ 1.3×',
        pass: atMost(result.ratio.median, 1.3),
        details: { perRound, chartSize: size, msPerUpdateBreakdown: { pulse: medianParts(partsA), baseline: medianParts(partsB) }, taskMsPulse: result.a, taskMsBaseline: result.b, ratios: result.ratios, initialLoadMs: loadMs, initialTaskMs: loadMetrics.task, pageErrors: pulse.errors.slice(0, 5) },
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
