// Command line of the dev server.
import type { DevServerOptions } from './context';

export const USAGE = 'usage: main.ts [--port N] [--host H] [--traffic | --no-traffic] [--rps N] [--interval-scale X]';

export function parseArgs(argv: readonly string[]): DevServerOptions {
  let port = 0;
  let host = '127.0.0.1';
  let traffic = true;
  let rps = 20;
  let intervalScale = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    const number = (min: number, max: number): number => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${arg} must be a number from ${min} to ${max}`);
      return n;
    };
    switch (arg) {
      case '--port':
        port = number(0, 65535);
        break;
      case '--host':
        host = value();
        break;
      case '--traffic':
        traffic = true;
        break;
      case '--no-traffic':
        traffic = false;
        break;
      case '--rps':
        rps = number(0, 500);
        break;
      case '--interval-scale':
        intervalScale = number(0.01, 100);
        break;
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  return { port, host, traffic, rps, intervalScale };
}
