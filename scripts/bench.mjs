// `npm run bench`: a production build, then every benchmark figure (bench/README.md).
//   npm run bench                     all figures, ~6 minutes
//   npm run bench -- ingest traffic   only these
//   PULSE_BENCH_QUICK=1 npm run bench shorter runs, ~2 minutes
import { spawnSync } from 'node:child_process';
import { root } from './setup.mjs';

function step(name, args) {
  console.log(`\n▶ ${name}`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`✘ ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

step('build (production)', ['esbuild.mjs', '--production']);
step('bench', ['--expose-gc', '--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)]);
