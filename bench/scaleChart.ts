// Draws the scale curves (bench/scale.ts) with uPlot in headless Chromium and saves a PNG.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './lib/pages';
import type { CurvePoint } from './scale';

const WIDTH = 520;
const HEIGHT = 300;

const PAGE_JS = `(() => {
  const panels = window.__panels;
  for (const p of panels) {
    const box = document.createElement('div'); box.className = 'panel';
    const h = document.createElement('h3'); h.textContent = p.title; box.appendChild(h);
    document.getElementById('app').appendChild(box);
    new uPlot({
      width: ${WIDTH}, height: ${HEIGHT},
      legend: { show: false },
      scales: { x: { time: false, distr: 3 }, y: { range: (u, min, max) => [0, Math.max(max * 1.15, 1)] } },
      axes: [
        { label: p.xLabel, stroke: '#333', grid: { stroke: '#e5e5e5' }, splits: () => p.x, values: (u, vals) => vals.map((v) => v >= 1000 ? (v / 1000) + 'k' : String(v)) },
        { label: 'ns CPU per sample', stroke: '#333', grid: { stroke: '#e5e5e5' }, size: 60 },
      ],
      series: [{ label: p.xLabel }, { label: 'cost per sample', stroke: '#1f6feb', width: 2, points: { size: 7, fill: '#1f6feb' } },
        { label: '1.25 × first', stroke: '#d1242f', width: 1, dash: [6, 4], points: { show: false } }],
    }, [p.x, p.y, p.x.map(() => p.y[0] * 1.25)], box);
    for (const text of [p.note, 'blue: median CPU ns per sample; red dashes: the goal, 1.25 × the first point']) {
      const note = document.createElement('div'); note.className = 'note'; note.textContent = text; box.appendChild(note);
    }
  }
  window.__ready = true;
})();`;

interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly x: number[];
  readonly y: number[];
  readonly note: string;
}

function panel(title: string, xLabel: string, points: readonly CurvePoint[]): Panel {
  const memory = points.map((p) => `${p.x >= 1000 ? `${p.x / 1000}k` : p.x}: ${Math.round(p.bytesPerSeries)} B (${p.liveSeries} live, ${p.pointsPerSeries} pts)`).join(' · ');
  return { title, xLabel, x: points.map((p) => p.x), y: points.map((p) => Number(p.nsPerSample.toFixed(1))), note: `memory per live series — ${memory}` };
}

export async function drawScaleChart(root: string, file: string, prom: readonly CurvePoint[], json: readonly CurvePoint[]): Promise<void> {
  const uplot = join(root, 'node_modules', 'uplot', 'dist');
  const panels = [panel('Prometheus scrape: series per scrape', 'series per scrape (log)', prom), panel('JSON stream: messages per second', 'messages/s (log)', json)];
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 2 * WIDTH + 60, height: HEIGHT + 140 }, deviceScaleFactor: 1 });
    await page.setContent(`<!DOCTYPE html><html><head><meta charset="UTF-8"><style>${readFileSync(join(uplot, 'uPlot.min.css'), 'utf8')}
body{margin:0;padding:10px;font:12px sans-serif;background:#fff;color:#222}#app{display:flex;gap:20px}.panel{width:${WIDTH}px}h3{margin:0 0 4px;font-size:13px}.note{font-size:11px;color:#555;margin-top:4px}</style></head><body><div id="app"></div></body></html>`);
    await page.evaluate(`window.__panels = ${JSON.stringify(panels)};`);
    await page.addScriptTag({ content: readFileSync(join(uplot, 'uPlot.iife.min.js'), 'utf8') });
    await page.addScriptTag({ content: PAGE_JS });
    await page.waitForFunction('window.__ready === true');
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    await browser.close();
  }
}
