// Starts bench/blaster.ts as a child process and follows what it prints.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Blaster {
  readonly port: number;
  readonly url: string;
  /** Resolves with the next connection's totals when the server finishes it. */
  nextDone(): Promise<{ messages: number; bytes: number }>;
  stop(): Promise<void>;
}

export async function startBlaster(root: string, ratePerSecond: number, secondsPerConnection: number): Promise<Blaster> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'blaster.ts'), String(ratePerSecond), String(secondsPerConnection)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const waiting: Array<(d: { messages: number; bytes: number }) => void> = [];
  const done: Array<{ messages: number; bytes: number }> = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve((JSON.parse(line.slice(6)) as { port: number }).port);
      else if (line.startsWith('DONE ')) {
        const d = JSON.parse(line.slice(5)) as { messages: number; bytes: number };
        const w = waiting.shift();
        if (w) w(d);
        else done.push(d);
      }
    });
    child.once('exit', (code) => reject(new Error(`blaster exited early (${code})`)));
  });
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    nextDone: () => {
      const d = done.shift();
      return d ? Promise.resolve(d) : new Promise((resolve) => waiting.push(resolve));
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
