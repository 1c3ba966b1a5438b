// Starts the reference dev server (scripts/devserver/main.ts) as a child process for a test.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Published } from '../../scripts/devserver/context';
import type { ModeState } from '../../scripts/devserver/control';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY = /^PULSE_DEVSERVER_READY (\{.*\})$/m;
const READY_TIMEOUT_MS = 20_000;
const KILL_AFTER_MS = 3_000;

export interface DevServerState extends Published {
  readonly pid: number;
  readonly port: number;
  readonly uptime: number;
  readonly modes: ModeState;
  readonly traffic: { readonly rps: number };
  /** Open metrics WebSockets (the synthetic app's own sockets are `appClients`). */
  readonly connections: number;
  readonly appClients: number;
  readonly sseClients: number;
}

export interface DevServer {
  readonly port: number;
  readonly pid: number;
  /** `http://127.0.0.1:<port><path>` */
  url(path: string): string;
  /** `ws://127.0.0.1:<port><path>` */
  wsUrl(path: string): string;
  control(mode: string, params?: Record<string, unknown>): Promise<unknown>;
  state(): Promise<DevServerState>;
  restart(): Promise<void>;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Exit code once exited (null while running or when killed by a signal). */
  readonly exitCode: number | null;
}

export interface StartOptions {
  readonly args?: readonly string[];
  /** Listen on this port (e.g. to restart a killed server where clients expect it). Default: a free one. */
  readonly port?: number;
}

export async function startDevServer(options: StartOptions = {}): Promise<DevServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'devserver', 'main.ts'), '--port', String(options.port ?? 0), ...(options.args ?? [])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
  });

  let ready: { port: number; pid: number };
  try {
    ready = await waitForReady(child, exited, () => stderr);
  } catch (error) {
    await kill(child, exited);
    throw error;
  }
  const base = `127.0.0.1:${ready.port}`;

  const post = async (path: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`http://${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const parsed: unknown = await res.json();
    if (!res.ok) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };

  return {
    port: ready.port,
    pid: ready.pid,
    url: (path) => `http://${base}${path}`,
    wsUrl: (path) => `ws://${base}${path}`,
    control: (mode, params = {}) => post('/__control/mode', { ...params, mode }),
    state: async () => {
      const res = await fetch(`http://${base}/__control/state`);
      return (await res.json()) as DevServerState;
    },
    restart: async () => {
      await post('/__control/restart', {});
    },
    stop: () => kill(child, exited),
    get exitCode() {
      return child.exitCode;
    },
  };
}

function waitForReady(child: ChildProcess, exited: Promise<void>, stderr: () => string): Promise<{ port: number; pid: number }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => finish(new Error(`dev server not ready within ${READY_TIMEOUT_MS / 1000} s\n${stderr()}`)), READY_TIMEOUT_MS);
    const onData = (chunk: string): void => {
      stdout += chunk;
      const match = READY.exec(stdout);
      if (match?.[1]) finish(undefined, JSON.parse(match[1]) as { port: number; pid: number });
    };
    let done = false;
    const finish = (error: Error | undefined, value?: { port: number; pid: number }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout?.resume();
      if (error || !value) reject(error ?? new Error('no READY line'));
      else resolve(value);
    };
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', onData);
    void exited.then(() => finish(new Error(`dev server exited with ${child.exitCode ?? child.signalCode} before it was ready\n${stderr()}`)));
  });
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return exited;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
}
