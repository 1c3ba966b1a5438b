// npm run demo: the packaged extension in a real VS Code (code-server) next to the reference dev
// server, ready to open in a browser.
//   npm run demo                              print the URL and keep running until Ctrl+C
//   npm run demo -- --port 8080               code-server on a chosen port (or PORT=8080)
//   npm run demo -- --screenshot out.png      open the Metrics panel headless, screenshot, exit
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureChromium, ensureNodeModules, root } from './setup.mjs';
import {
  createProfile, ensureCodeServer, freePort, installVsix, packageVsix, pulseSources, startCodeServer, stopProcessGroup,
} from './vscode-env.mjs';
import { otlpPort, startOtelApp, startPrometheus } from './devserver/sidecars.mjs';

function parseArgs(argv) {
  const opts = { port: process.env.PORT ? Number(process.env.PORT) : undefined, screenshot: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) opts.port = Number(a.slice(7));
    else if (a === '--screenshot') opts.screenshot = argv[++i];
    else if (a.startsWith('--screenshot=')) opts.screenshot = a.slice(13);
    else if (a === '--no-browser') continue;
    else if (a === '--help' || a === '-h') {
      console.log('Usage: npm run demo -- [--port N] [--screenshot file.png] [--no-browser]');
      process.exit(0);
    } else throw new Error(`Unknown option ${a}`);
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port > 0 && opts.port < 65536)) {
    throw new Error('--port needs a port number');
  }
  if (opts.screenshot === '') throw new Error('--screenshot needs a file name');
  return opts;
}

const cleanups = [];
let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup: ${err.message}`);
    }
  }
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.log(`\n${sig}: stopping the demo…`);
    void shutdown(0);
  });
}

/** `tsx scripts/devserver/main.ts --port N`, resolved once it prints its READY line. */
function startDevServer(port, logFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'devserver', 'main.ts'), '--port', String(port)], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logFile);
    child.stderr.pipe(log);
    let ready = false;
    const timer = setTimeout(() => {
      if (!ready) reject(new Error(`The dev server did not print PULSE_DEVSERVER_READY within 60 s (log: ${logFile})`));
    }, 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      const m = /^PULSE_DEVSERVER_READY (\{.*\})\s*$/.exec(line);
      if (m && !ready) {
        ready = true;
        clearTimeout(timer);
        const info = JSON.parse(m[1]);
        resolve({ port: info.port, pid: child.pid, child });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`The dev server exited (${code ?? signal}) before it was ready (log: ${logFile})`));
      else if (!shuttingDown) {
        console.error(`The dev server exited (${code ?? signal}); see ${logFile}`);
        void shutdown(1);
      }
    });
  });
}

async function takeScreenshot(url, folder, file) {
  ensureChromium();
  const { tsImport } = await import('tsx/esm/api');
  const wb = await tsImport('../test/e2e/helpers/workbench.ts', import.meta.url);
  const bench = await wb.openWorkbench(url, folder);
  cleanups.push(() => bench.close());
  await bench.page.waitForTimeout(3000);
  await wb.runCommand(bench.page, 'View: Close Primary Side Bar').catch(() => undefined);
  await wb.runCommand(bench.page, 'Pulse: Open Metrics Panel');
  console.log('Metrics panel opened; pinning two charts and waiting for data…');
  const frame = await wb.webviewFrame(bench.page, 'table[data-table=series]');
  for (const name of ['http.p95', 'http.throughput', 'devserver.memory']) {
    const row = frame.locator('table[data-table=series] tr[data-series-id]', { hasText: name }).first();
    await row.locator('[data-action=pin]').click({ timeout: 15_000 }).catch(() => console.warn(`Could not pin ${name}`));
  }
  await frame.evaluate("window.scrollTo(0, 0)");
  await bench.page.waitForTimeout(20_000);
  await frame.evaluate("window.scrollTo(0, 0)");
  await bench.page.screenshot({ path: file });
  console.log(`Screenshot written to ${file}`);
  const notes = await wb.notifications(bench.page);
  if (notes.length > 0) console.warn(`Notifications on screen:\n  ${notes.join('\n  ')}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureNodeModules();
  const vsix = await packageVsix();
  const env = await ensureCodeServer();

  const sourcesPort = await freePort();
  const profile = createProfile({ workspaceSettings: { 'pulse.sources': pulseSources(sourcesPort, { all: true }) } });
  cleanups.push(() => profile.cleanup());

  let dev;
  const devLog = join(profile.dir, 'devserver.log');
  if (existsSync(join(root, 'scripts', 'devserver', 'main.ts'))) {
    dev = await startDevServer(sourcesPort, devLog);
    cleanups.push(() => stopProcessGroup(dev.pid));
  } else {
    console.warn('⚠ scripts/devserver/main.ts is missing: starting VS Code without the reference dev server.');
  }

  // An OpenTelemetry-instrumented app and (when installed) a Prometheus scraping the dev server.
  const extra = [];
  const otel = await startOtelApp(await otlpPort(), join(profile.dir, 'otel-app.log'));
  if (otel) {
    cleanups.push(() => stopProcessGroup(otel.pid));
    extra.push(otel.source);
  }
  const prom = dev ? await startPrometheus(sourcesPort, await freePort(), join(profile.dir, 'prometheus')) : undefined;
  if (prom) {
    cleanups.push(() => stopProcessGroup(prom.pid));
    extra.push(prom.source);
  }
  if (extra.length > 0) {
    const settings = JSON.parse(readFileSync(profile.workspaceSettingsFile, 'utf8'));
    settings['pulse.sources'] = [...settings['pulse.sources'], ...extra];
    writeFileSync(profile.workspaceSettingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  }

  await installVsix(env, profile, vsix);
  const cs = await startCodeServer(env, profile, { port: opts.port });
  cleanups.push(() => cs.stop());

  if (opts.screenshot) {
    await takeScreenshot(cs.url, profile.workspace, opts.screenshot);
    await shutdown(0);
    return;
  }

  const devUrl = `http://127.0.0.1:${sourcesPort}`;
  console.log(`
────────────────────────────────────────────────────────────────────────
  Pulse demo is running: VS Code (code-server) with the extension installed

  Open   ${cs.folderUrl}

  Try    F1 → "Pulse: Open Metrics Panel"   (gauges, charts, tables)
         the Pulse item in the status bar   (live numbers; click it for the panel)
         F1 → "Pulse: Switch or Toggle Sources…", "Pulse: Show Log"
${dev ? `
  Dev server ${devUrl} (the five seed formats: Bun, snapshot, Prometheus, Go stats, daemon), drive it:
         curl ${devUrl}/__control/state
         curl -X POST ${devUrl}/__control/mode -H 'content-type: application/json' -d '{"mode":"latency","ms":400}'
         curl -X POST ${devUrl}/__control/mode -H 'content-type: application/json' -d '{"mode":"errors","rate":0.2}'
         curl -X POST ${devUrl}/__control/mode -H 'content-type: application/json' -d '{"mode":"normal"}'
         curl -X POST ${devUrl}/__control/restart      (Pulse marks the restart)
` : ''}${otel ? `
  OpenTelemetry app "otel-shop" exports to Pulse's OTLP source: OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${otel.source.port}` : ''}${prom ? `
  Prometheus ${prom.url} scrapes the dev server; the "team prometheus" source queries it (PromQL)` : ''}
  Workspace ${profile.workspace}
  Logs      ${cs.logFile}${dev ? `, ${devLog}` : ''}
  Ctrl+C stops everything and removes the temporary profile.
────────────────────────────────────────────────────────────────────────`);
  setInterval(() => {}, 1 << 30); // stay up until a signal
}

main().catch(async (err) => {
  console.error(`✘ ${err.message}`);
  await shutdown(1);
});
