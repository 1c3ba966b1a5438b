// Headless Chromium pages for the render and leak figures: the real panel (renderPanelHtml, the
// production webview bundle, a stub acquireVsCodeApi that answers requestHistory from recorded
// data) and a bare uPlot page drawing the same charts. Both are driven with window.__run(n): n
// updates at 10/s.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { makeNonce, renderPanelHtml } from '../../src/host/panel/panelHtml';
import type { RenderData } from '../renderData';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows', '--disable-extensions', '--mute-audio', '--no-first-run', '--enable-precise-memory-info'];

export interface PageServer {
  readonly origin: string;
  close(): Promise<void>;
}

const BASELINE_HTML = (origin: string) => `<!DOCTYPE html>
<html><head><meta charset="UTF-8"><link rel="stylesheet" href="${origin}/uplot/uPlot.min.css">
<style>body{margin:0;font:12px sans-serif;background:#1e1e1e;color:#ccc}.c{display:inline-block;margin:4px}</style></head>
<body><div id="app"></div><script src="${origin}/uplot/uPlot.iife.min.js"></script><script src="${origin}/baseline.js"></script></body></html>`;

// The bare page: the same uPlot build, one chart per pinned series, a sliding window of points and
// setData on every update. Chart sizes come from the query string (the Pulse page's canvas sizes).
const BASELINE_JS = `(() => {
  const d = window.__bench;
  const q = new URLSearchParams(location.search);
  const w = Number(q.get('w') || 560), h = Number(q.get('h') || 160);
  const charts = d.pinned.map((id) => {
    const el = document.createElement('div'); el.className = 'c'; document.getElementById('app').appendChild(el);
    const s = d.history[id];
    const t = s.t.map((x) => x / 1000), v = s.v.slice();
    const u = new uPlot({ width: w, height: h, scales: { x: { time: true } }, series: [{}, { stroke: '#4aa3ff', width: 1.5 }], axes: [{ stroke: '#999' }, { stroke: '#999' }] }, [t, v], el);
    return { id, t, v, u };
  });
  const byId = new Map(charts.map((c) => [c.id, c]));
  window.__apply = (msg) => {
    for (const p of msg.delta.points || []) {
      const c = byId.get(p.id); if (!c) continue;
      for (let i = 0; i < p.t.length; i++) { c.t.push(p.t[i] / 1000); c.v.push(p.v[i]); }
      const cut = c.t[c.t.length - 1] - 3600;
      let k = 0; while (k < c.t.length && c.t[k] < cut) k++;
      if (k > 0) { c.t.splice(0, k); c.v.splice(0, k); }
      c.u.setData([c.t, c.v]);
    }
  };
  window.addEventListener('message', (e) => { if (e.data && e.data.type === 'didUpdate') window.__apply(e.data); });
  window.__ready = true;
})();`;

// Runs first in both pages: recorded data, the feed driver, long-task counting, and (Pulse page)
// the acquireVsCodeApi stub.
export function initScript(data: RenderData, withApi: boolean, chartWindow = '1h'): string {
  return `(() => {
  window.__bench = ${JSON.stringify({ pinned: data.pinned, history: data.history, seriesIds: data.seriesIds, now: data.now })};
  window.__snapshot = ${JSON.stringify(data.snapshot)};
  // Update k as PanelFeed would send it 100 ms × k after the snapshot: every series' value, the
  // summary, and one new point for each watched (pinned) series.
  window.__update = (k) => {
    const b = window.__bench, at = b.now + k * 100;
    return { type: 'didUpdate', delta: {
      now: at,
      values: b.seriesIds.map((id, i) => [i + 1, 100 + i + Math.sin(k / 10 + i), 100 + i, 0]),
      summary: { requestRate: 420 + (k % 17), latencyMs: 40 + (k % 9), errorRatePct: 1.2, connections: 12, pending: 3, subscribers: 9, heapBytes: 41943040 + k * 1024, heapTotalBytes: 67108864, rssBytes: 104857600, cpuPct: 12.5, uptimeSeconds: 1234 + k / 10 },
      points: b.pinned.map((id, i) => ({ id, t: [at], v: [Math.round((100 + i * 10 + 5 * Math.sin(k / 20 + i)) * 100) / 100] })),
    } };
  };
  window.__long = [];
  try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true }); } catch {}
  let next = 1;
  // n updates, perTick of them every intervalMs (10/s by default; the leak figure accelerates).
  window.__run = (n, intervalMs = 100, perTick = 1) => new Promise((resolve) => {
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= n) { clearInterval(timer); requestAnimationFrame(() => requestAnimationFrame(() => resolve(sent))); return; }
      for (let i = 0; i < perTick && sent < n; i++, sent++) window.postMessage(window.__update(next++), '*');
    }, intervalMs);
  });
  ${
    withApi
      ? `window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => {
      window.__posted.push(m);
      if (m.type === 'ready') setTimeout(() => window.postMessage(window.__snapshot, '*'), 0);
      if (m.type === 'requestHistory') setTimeout(() => window.postMessage({ type: 'didLoadHistory', requestId: m.requestId, window: m.window, mode: m.mode, series: m.ids.map((id) => window.__bench.history[id]).filter(Boolean) }, '*'), 0);
    },
    getState: () => ({ pinned: window.__bench.pinned, window: ${JSON.stringify(chartWindow)}, charts: {}, tables: {}, collapsed: [] }),
    setState: () => undefined,
  });`
      : ''
  }
})();`;
}

export async function startPageServer(dist: string, root: string): Promise<PageServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') {
      send('text/html; charset=utf-8', renderPanelHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css` }).replace('<body>', '<body class="vscode-dark" data-vscode-theme-kind="vscode-dark">'));
    } else if (path === '/baseline') send('text/html; charset=utf-8', BASELINE_HTML(origin));
    else if (path === '/baseline.js') send('text/javascript', BASELINE_JS);
    else if (path === '/dist/webview.js') send('text/javascript', readFileSync(join(dist, 'webview.js')));
    else if (path === '/dist/webview.css') send('text/css', readFileSync(join(dist, 'webview.css')));
    else if (path === '/uplot/uPlot.iife.min.js') send('text/javascript', readFileSync(join(root, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js')));
    else if (path === '/uplot/uPlot.min.css') send('text/css', readFileSync(join(root, 'node_modules', 'uplot', 'dist', 'uPlot.min.css')));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface BenchPage {
  readonly page: Page;
  readonly cdp: CDPSession;
  readonly errors: string[];
  /** Main-thread task and script time so far, ms (CDP Performance.getMetrics). */
  metrics(): Promise<{ task: number; script: number; layout: number; recalc: number }>;
  /** JS heap used after a forced GC, bytes. */
  heapAfterGc(): Promise<number>;
  longTasks(): Promise<number[]>;
}

export async function openPage(browser: Browser, url: string, init: string): Promise<BenchPage> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  await context.addInitScript({ content: init });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(url);
  return {
    page,
    cdp,
    errors,
    metrics: async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000;
      return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration'), recalc: get('RecalcStyleDuration') };
    },
    heapAfterGc: async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      return usedSize;
    },
    longTasks: async () => (await page.evaluate('window.__long.slice()')) as number[],
  };
}
