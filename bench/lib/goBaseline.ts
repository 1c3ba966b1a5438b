// The Go baseline program (bench/go/promgo.go) against Debian's packaged prometheus/common and
// client_golang: installs the packages on first use and builds the binary once into bench/.cache/go.

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const DEB_PACKAGES = ['golang-go', 'golang-github-prometheus-common-dev', 'golang-github-prometheus-client-golang-dev'];
/** Where Debian's golang-*-dev packages put their sources: a GOPATH, built offline without modules. */
const DEBIAN_GOPATH = '/usr/share/gocode';

interface SetupModule {
  ensureDebPackages(packages: readonly string[]): void;
}

/** The built `promgo` binary, rebuilt when its source is newer. */
export async function ensurePromGo(root: string, cacheDir: string, log: (m: string) => void): Promise<string> {
  const setup = (await import(pathToFileURL(join(root, 'scripts', 'setup.mjs')).href)) as SetupModule;
  setup.ensureDebPackages(DEB_PACKAGES);
  const dir = join(cacheDir, 'go');
  const binary = join(dir, 'promgo');
  const source = join(root, 'bench', 'go', 'promgo.go');
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(dir, { recursive: true });
  log('building bench/go/promgo.go against Debian’s prometheus/common…');
  execFileSync('go', ['build', '-o', binary, source], {
    cwd: join(root, 'bench', 'go'),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GO111MODULE: 'off', GOPATH: DEBIAN_GOPATH, GOCACHE: join(dir, 'build-cache'), GOFLAGS: '', GOPROXY: 'off' },
  });
  return binary;
}

/** Milliseconds of one measured run: elapsed, and CPU time of the whole process (all its threads). */
export interface Took {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** A running `promgo loop`: parses file i n times and answers how long that took, as Go measured it. */
export interface GoParser {
  parse(fileIndex: number, iterations: number): Promise<Took>;
  close(): void;
}

export function startGoParser(binary: string, files: readonly string[]): GoParser {
  const child: ChildProcessWithoutNullStreams = spawn(binary, ['loop', ...files], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c.slice(0, 4000)));
  const waiting: Array<{ resolve(took: Took): void; reject(e: Error): void }> = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const [wall, cpu] = line.split(' ').map(Number);
    const next = waiting.shift();
    if (!next) return;
    if (wall !== undefined && cpu !== undefined && wall > 0 && cpu >= 0) next.resolve({ wallMs: wall / 1e6, cpuMs: cpu / 1e6 });
    else next.reject(new Error(`promgo answered ${JSON.stringify(line)}`));
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`promgo exited with ${code}: ${stderr}`));
  });
  return {
    parse: (fileIndex, iterations) =>
      new Promise<Took>((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${fileIndex} ${iterations}\n`);
      }),
    close: () => {
      child.stdin.end();
      lines.close();
    },
  };
}

/** Runs f and measures it like the Go side: elapsed, and this process's CPU time. */
export function measure(f: () => void): Took {
  const cpu = process.cpuUsage();
  const start = performance.now();
  f();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}
