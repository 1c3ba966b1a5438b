// Runs a bench script in a fresh Node process (clean heap, own event loop) and reads the JSON
// line it prints last.

import { spawn } from 'node:child_process';

export interface ChildOptions {
  readonly cwd: string;
  /** Extra node flags; --expose-gc is always on. */
  readonly nodeArgs?: readonly string[];
  /** Load TypeScript through tsx (default true). */
  readonly tsx?: boolean;
  readonly timeoutMs?: number;
}

export function runNode(script: string, args: readonly string[], options: ChildOptions): Promise<unknown> {
  const nodeArgs = ['--expose-gc', ...(options.tsx === false ? [] : ['--import', 'tsx']), ...(options.nodeArgs ?? [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c.slice(0, 20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code ?? signal}: ${err.slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${script} printed no JSON result: ${out.slice(-500)} ${err.slice(-1000)}`));
      }
    });
  });
}
