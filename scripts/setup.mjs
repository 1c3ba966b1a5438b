// Idempotent machine setup shared by `npm test` and `npm run demo`: installs what a fresh
// machine lacks (npm packages, Debian's Chromium) and does nothing when it is already there.
// Plain Node, no dependencies: it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** `npm ci` when node_modules is missing or older than the lock file. */
export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installed and configured. `dpkg -s` alone also succeeds for a package that was removed but not purged
 * (status "deinstall ok config-files"), whose binaries are gone.
 */
function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'install ok installed';
}

let aptUpdated = false;
/** Installs Debian packages that are missing (needs root, as on these machines and in CI). */
export function ensureDebPackages(packages) {
  const missing = packages.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  if (!hasCommand('apt-get')) throw new Error(`Missing system packages ${missing.join(', ')} and no apt-get to install them.`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run(asRoot[0] ?? 'apt-get', [...asRoot.slice(1), ...(asRoot.length ? ['apt-get'] : []), 'update', '-qq'], { env });
    aptUpdated = true;
  }
  run(asRoot[0] ?? 'apt-get', [...asRoot.slice(1), ...(asRoot.length ? ['apt-get'] : []), 'install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

/**
 * Debian's Prometheus server, started by the promql integration tests on a free port. The package
 * starts a system service on :9090 where an init system runs it; the tests need none, so it is
 * stopped and disabled right after a fresh install.
 */
export function ensurePrometheus() {
  const fresh = !isInstalled('prometheus');
  ensureDebPackages(['prometheus']);
  if (fresh && hasCommand('systemctl')) spawnSync('sh', ['-c', `${process.getuid?.() === 0 ? '' : 'sudo '}systemctl disable --now prometheus`], { stdio: 'ignore' });
  return '/usr/bin/prometheus';
}

/** Debian's Chromium, driven by playwright-core in the webview and end-to-end tests. */
export function ensureChromium() {
  ensureDebPackages(['chromium', 'fonts-dejavu-core']);
  return '/usr/bin/chromium';
}

export function packageVersion() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

export function gitDescribe() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
