// Candidate dev-server ports from workspace files (package.json, .env, launch.json, go.mod): pure, no I/O.

import { COMMON_PORTS } from './paths';

export interface WorkspaceFile {
  /** Path relative to the workspace folder, e.g. `package.json`, `.vscode/launch.json`, `api/.env`. */
  readonly path: string;
  readonly text: string;
}

export interface PortCandidate {
  readonly port: number;
  /** Why this port is a candidate, e.g. `package.json: next (default port)`; empty for common ports. */
  readonly reasons: readonly string[];
  readonly fromWorkspace: boolean;
}

/** Ports the workspace names beyond this many are dropped: a probe run stays short. */
export const MAX_WORKSPACE_PORTS = 16;
const MAX_REASONS = 4;
const MAX_TEXT = 512 * 1024;

// Frameworks with a dev server on a known default port when no port is given.
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  next: 3000,
  express: 3000,
  fastify: 3000,
  koa: 3000,
  hono: 3000,
  elysia: 3000,
  nuxt: 3000,
  vite: 5173,
  astro: 4321,
  'prom-client': 9090,
};

function validPort(n: number): boolean {
  // Below 80 is no dev server's port (and `X_PORT=12` is more likely a count than a port).
  return Number.isInteger(n) && n >= 80 && n <= 65535;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

type Add = (port: number, reason: string) => void;

function fromPackageJson(file: WorkspaceFile, add: Add): void {
  let pkg: unknown;
  try {
    pkg = JSON.parse(file.text);
  } catch {
    return;
  }
  if (typeof pkg !== 'object' || pkg === null) return;
  const record = pkg as Record<string, unknown>;
  const deps = new Set<string>();
  for (const key of ['dependencies', 'devDependencies']) {
    const d = record[key];
    if (typeof d === 'object' && d !== null) for (const name of Object.keys(d)) deps.add(name);
  }
  const scripts = typeof record.scripts === 'object' && record.scripts !== null ? Object.entries(record.scripts as Record<string, unknown>) : [];
  let explicit = false;
  for (const [name, command] of scripts) {
    if (typeof command !== 'string') continue;
    for (const port of portsInCommand(command)) {
      add(port, `${file.path}: script "${name}"`);
      explicit = true;
    }
    if (/\bbun\b/.test(command) && /\b(run|--hot|--watch)\b|\.ts\b/.test(command)) deps.add('bun');
  }
  if (explicit) return;
  for (const name of deps) {
    const port = name === 'bun' ? 3000 : DEFAULT_PORTS[name];
    if (port !== undefined) add(port, `${file.path}: ${name} (default port)`);
  }
}

/** Ports a shell command names: `--port 4000`, `--port=4000`, `-p 4000`, `PORT=4000`. */
export function portsInCommand(command: string): number[] {
  const out: number[] = [];
  const pattern = /(?:--port[= ]|(?:^|\s)-p[= ]?|\b[A-Z_]*PORT=)\s*(\d{2,5})\b/g;
  for (const m of command.matchAll(pattern)) {
    const n = Number(m[1]);
    if (validPort(n)) out.push(n);
  }
  return out;
}

function fromEnv(file: WorkspaceFile, add: Add): void {
  for (const line of file.text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?((?:[A-Z][A-Z0-9_]*_)?PORT)\s*=\s*["']?(\d{2,5})["']?\s*(?:#.*)?$/.exec(line);
    if (!m) continue;
    const n = Number(m[2]);
    if (validPort(n)) add(n, `${file.path}: ${m[1] ?? 'PORT'}`);
  }
}

function fromLaunchJson(file: WorkspaceFile, add: Add): void {
  // JSONC (comments, trailing commas): read the PORT entries and --port arguments by pattern.
  for (const m of file.text.matchAll(/"([A-Z_]*PORT)"\s*:\s*"?(\d{2,5})"?/g)) {
    const n = Number(m[2]);
    if (validPort(n)) add(n, `${file.path}: env ${m[1] ?? 'PORT'}`);
  }
  for (const m of file.text.matchAll(/"--port"\s*,\s*"(\d{2,5})"/g)) {
    const n = Number(m[1]);
    if (validPort(n)) add(n, `${file.path}: --port argument`);
  }
}

function fromGoMod(file: WorkspaceFile, add: Add): void {
  if (/^\s*(?:require\s+)?github\.com\/prometheus\/client_golang\s/m.test(file.text)) {
    add(2112, `${file.path}: prometheus/client_golang`);
    add(8080, `${file.path}: prometheus/client_golang`);
  }
}

/** Candidate ports: those the workspace names first (in file order), then the common dev ports. */
export function discoverPorts(files: readonly WorkspaceFile[], common: readonly number[] = COMMON_PORTS): PortCandidate[] {
  const found = new Map<number, string[]>();
  const add: Add = (port, reason) => {
    const reasons = found.get(port);
    if (reasons) {
      if (reasons.length < MAX_REASONS && !reasons.includes(reason)) reasons.push(reason);
    } else if (found.size < MAX_WORKSPACE_PORTS) {
      found.set(port, [reason]);
    }
  };
  for (const file of files) {
    if (file.text.length > MAX_TEXT) continue;
    const name = baseName(file.path);
    if (name === 'package.json') fromPackageJson(file, add);
    else if (name === 'launch.json') fromLaunchJson(file, add);
    else if (name === 'go.mod') fromGoMod(file, add);
    else if (name === '.env' || name.startsWith('.env.')) fromEnv(file, add);
  }
  const out: PortCandidate[] = [...found].map(([port, reasons]) => ({ port, reasons, fromWorkspace: true }));
  for (const port of common) if (!found.has(port)) out.push({ port, reasons: [], fromWorkspace: false });
  return out;
}

/** The files detection reads in each workspace folder (nested package.json files are found by search). */
export const WORKSPACE_FILES: readonly string[] = ['package.json', '.env', '.env.local', '.env.development', '.env.development.local', '.vscode/launch.json', 'go.mod'];
