// Figure 6: activation cost and bundle sizes. Fresh processes, alternated: require the production
// dist/extension.js and run activate() synchronously (fake vscode, no sources) against requiring
// a bundle of `ws` alone built with the host bundle's esbuild options. Sizes: what activation loads
// (dist/extension.js; the bundles in LAZY_ENTRIES load when first needed, ws.js with the first `ws` source).

import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt, iqr } from './lib/report';
import { runNode } from './lib/child';
import { interleaved, median } from './lib/stats';
import { hostOptions, LAZY_ENTRIES, NODE_BUNDLE } from '../scripts/bundleOptions.mjs';

/** The host bundle's options as esbuild.mjs builds it, production mode. */
const HOST_OPTIONS: esbuild.BuildOptions = { ...hostOptions(true), logLevel: 'error' };

export async function buildWsOnly(ctx: BenchContext): Promise<string> {
  const outfile = join(ctx.cacheDir, 'ws-only.js');
  await esbuild.build({ ...HOST_OPTIONS, stdin: { contents: "module.exports = require('ws');", resolveDir: ctx.root, loader: 'js' }, outfile });
  return outfile;
}

async function buildChild(ctx: BenchContext): Promise<string> {
  const outfile = join(ctx.cacheDir, 'activation-child.js');
  await esbuild.build({ ...NODE_BUNDLE, entryPoints: [join(ctx.root, 'bench', 'activationChild.ts')], bundle: true, outfile, logLevel: 'error' });
  return outfile;
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const extension = join(ctx.dist, 'extension.js');
  const webview = join(ctx.dist, 'webview.js');
  const wsOnly = await buildWsOnly(ctx);
  const child = await buildChild(ctx);
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-activate-'));
  try {
    const once = async (mode: 'pulse' | 'ws') => {
      const r = (await runNode(child, [mode, mode === 'pulse' ? extension : wsOnly, dir], { cwd: ctx.root, tsx: false })) as { ms: number };
      return r.ms;
    };
    const result = await interleaved({ rounds: ctx.quick ? 15 : 21, warmup: 1, a: () => once('pulse'), b: () => once('ws') });
    const extBytes = statSync(extension).size;
    const webBytes = statSync(webview).size;
    const wsBytes = statSync(wsOnly).size;
    const lazyBytes = Object.keys(LAZY_ENTRIES).map((name) => `${name}.js ${fmt(statSync(join(ctx.dist, `${name}.js`)).size / 1024)} KB`);
    const withWs = extBytes + statSync(join(ctx.dist, 'ws.js')).size;
    return [
      {
        id: 'activation.time',
        figure: 'activation: require + activate() in a fresh process (production bundle)',
        pulse: `${fmt(median(result.a))} ms`,
        baseline: `${fmt(median(result.b))} ms (require ws-only bundle)`,
        ratio: result.ratio.median,
        spread: iqr(result.ratio),
        goal: '≤ 1.5×',
        pass: atMost(result.ratio.median, 1.5),
        details: { msPulse: result.a, msWs: result.b, ratios: result.ratios, wsOnlyBytes: wsBytes },
      },
      {
        id: 'activation.extensionBundle',
        figure: 'code loaded at activation: dist/extension.js (production)',
        pulse: `${fmt(extBytes / 1024)} KB`,
        baseline: '150 KB budget',
        ratio: extBytes / (150 * 1024),
        spread: `ws alone: ${fmt(wsBytes / 1024)} KB`,
        goal: '≤ 150 KB',
        pass: extBytes <= 150 * 1024,
        details: { lazy: lazyBytes },
      },
      {
        id: 'activation.withWsSource',
        // The ws library is what the baseline loads; counted here it would leave Pulse 103 KB for everything else.
        figure: "Pulse's code loaded once a ws source connects: extension.js + ws.js, less the ws library (the baseline's own bytes)",
        pulse: `${fmt((withWs - wsBytes) / 1024)} KB`,
        baseline: '150 KB budget',
        ratio: (withWs - wsBytes) / (150 * 1024),
        spread: `with the ws library: ${fmt(withWs / 1024)} KB; ${lazyBytes.join(', ')}`,
        goal: '≤ 150 KB',
        pass: withWs - wsBytes <= 150 * 1024,
      },
      {
        id: 'activation.webviewBundle',
        figure: 'bundle size: dist/webview.js (production)',
        pulse: `${fmt(webBytes / 1024)} KB`,
        baseline: '250 KB budget',
        ratio: webBytes / (250 * 1024),
        spread: 'n/a',
        goal: '≤ 250 KB',
        pass: webBytes <= 250 * 1024,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
