// npm run package: a production build, then a .vsix with only the bundles, media/ and the docs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVersion, root } from './setup.mjs';

const out = process.argv[2] ?? join(root, `pulse-metrics-${packageVersion()}.vsix`);
// Relative links and images in the README (docs/…) resolve against the repository in the Marketplace view.
const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).repository.url.replace(/\.git$/, '');
const base = ['--baseContentUrl', `${repo}/blob/main/`, '--baseImagesUrl', `${repo}/raw/main/`];
const r = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', ...base, '--out', out], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(out);
