// The whole test suite, as the README's Quick start runs it:  npm test
//   npm test            setup, build, lint, typecheck, unit + integration + webview + package + end-to-end
//   npm test -- unit    only test/unit and test/integration (no browser, no VS Code)
//   npm test -- e2e     only the real-VS-Code end-to-end tests
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureChromium, ensureNodeModules, ensurePrometheus, root } from './setup.mjs';
import { ensureCodeServer } from './vscode-env.mjs';

const only = process.argv[2];
const groups = {
  unit: ['test/unit', 'test/integration'],
  webview: ['test/webview'],
  package: ['test/package'],
  e2e: ['test/e2e'],
};
const selected = only ? [only] : Object.keys(groups);
for (const g of selected) if (!groups[g]) throw new Error(`Unknown test group "${g}" (one of ${Object.keys(groups).join(', ')})`);

function step(name, cmd, args) {
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`✘ ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function findTests(dir) {
  const abs = join(root, dir);
  let entries;
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(abs, e);
    if (statSync(p).isDirectory()) return findTests(relative(root, p));
    return e.endsWith('.test.ts') ? [relative(root, p)] : [];
  });
}

ensureNodeModules();
if (selected.some((g) => g === 'webview' || g === 'e2e')) ensureChromium();
if (selected.includes('unit')) ensurePrometheus();
if (selected.includes('e2e')) {
  // Before the tests, not inside one: the first run installs Node 24 and code-server (minutes), and a
  // failure should read as one line about the installer, not as every e2e test timing out.
  console.log('\n▶ real VS Code (code-server)');
  const started = Date.now();
  try {
    await ensureCodeServer();
  } catch (err) {
    console.error(`✘ ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  console.log(`  ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

step('build', 'node', ['esbuild.mjs']);
if (!only) {
  step('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
  step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  step('typecheck webview', 'npx', ['tsc', '-p', 'tsconfig.webview.json', '--noEmit']);
}

const files = selected.flatMap((g) => groups[g].flatMap(findTests)).sort();
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
// The end-to-end files run after the rest, not beside them: a real VS Code and Chromium take both cores,
// and the integration tests measure real servers' timing (a healthy latency baseline, a 100k-series scrape).
const e2e = files.filter((f) => f.startsWith(groups.e2e[0]));
const rest = files.filter((f) => !e2e.includes(f));
const runner = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=900000'];
if (rest.length > 0) step(`tests (${rest.length} files)`, 'node', [...runner, ...rest]);
if (e2e.length > 0) step(`end-to-end tests (${e2e.length} files)`, 'node', [...runner, ...e2e]);
