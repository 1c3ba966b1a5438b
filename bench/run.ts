// `npm run bench`: every figure, a table on stdout and bench/results.json.
//   npm run bench                    all figures
//   npm run bench -- ingest memory   only these modules
//   PULSE_BENCH_QUICK=1 npm run bench   shorter runs (CI-like)

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchContext, FigureRow } from './lib/report';
import { table } from './lib/report';
import { LAZY_ENTRIES } from '../scripts/bundleOptions.mjs';

type Module = { run(ctx: BenchContext): Promise<FigureRow[]> };

const MODULE_NAMES = ['ingest', 'memory', 'persistence', 'activation', 'restore', 'traffic', 'transport', 'render', 'leaks', 'adversarial', 'otlp', 'promql', 'promGo', 'scale'] as const;
const MODULES: ReadonlyArray<readonly [string, () => Promise<Module>]> = MODULE_NAMES.map((name) => [name, () => import(`./${name}`) as Promise<Module>]);

function commit(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const DIST_FILES = ['extension.js', ...Object.keys(LAZY_ENTRIES).map((name) => `${name}.js`), 'webview.js', 'webview.css'];

function isProduction(file: string): boolean {
  try {
    return !readFileSync(file, 'utf8').includes('//# sourceMappingURL=');
  } catch {
    return false;
  }
}

/** Copies the production build aside; rebuilds it when dist/ holds a development build. */
function snapshotDist(root: string, target: string): void {
  const copy = () => {
    mkdirSync(target, { recursive: true });
    for (const f of DIST_FILES) copyFileSync(join(root, 'dist', f), join(target, f));
  };
  copy();
  if (DIST_FILES.filter((f) => f.endsWith('.js')).every((f) => isProduction(join(target, f)))) return;
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  copy();
  if (!isProduction(join(target, 'extension.js'))) throw new Error('dist/ keeps changing under the bench (another build running?)');
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const quick = process.env.PULSE_BENCH_QUICK === '1';
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const cacheDir = join(root, 'bench', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const dist = join(cacheDir, 'dist');
  snapshotDist(root, dist);
  const ctx: BenchContext = { quick, root, cacheDir, dist, log: (m) => process.stderr.write(`[bench] ${m}\n`) };
  const rows: FigureRow[] = [];
  const failures: Record<string, string> = {};
  const started = Date.now();
  for (const [name, load] of MODULES) {
    if (only.length > 0 && !only.includes(name)) continue;
    const t0 = Date.now();
    ctx.log(`${name}…`);
    try {
      const mod = await load();
      const out = await mod.run(ctx);
      rows.push(...out);
      for (const r of out) ctx.log(`  ${r.figure}: ${r.ratio === null ? '–' : r.ratio.toFixed(3)} (${r.pass === null ? 'info' : r.pass ? 'pass' : 'MISS'})`);
    } catch (e) {
      failures[name] = e instanceof Error ? (e.stack ?? e.message) : String(e);
      ctx.log(`  ${name} failed: ${failures[name]}`);
    }
    ctx.log(`  ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const results = {
    date: new Date().toISOString(),
    commit: commit(root),
    quick,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    figures: rows,
    failures,
  };
  const file = join(root, 'bench', 'results.json');
  // Only a full, non-quick run writes bench/results.json (the numbers the README quotes).
  const out = only.length > 0 ? join(cacheDir, 'results.partial.json') : quick ? join(cacheDir, 'results.quick.json') : file;
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  ctx.log(`results: ${out}`);
  process.stdout.write(`\n${table(rows)}\n\n`);
  if (Object.keys(failures).length > 0) process.stdout.write(`Failed: ${Object.keys(failures).join(', ')} (see results.json "failures")\n`);
  process.exitCode = Object.keys(failures).length > 0 ? 1 : 0;
}

void main();
