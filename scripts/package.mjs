// npm run package: a production build, then a .vsix with only the bundles, media/ and the docs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageVersion, root } from './setup.mjs';

const out = process.argv[2] ?? join(root, `pulse-metrics-${packageVersion()}.vsix`);
const r = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(out);
