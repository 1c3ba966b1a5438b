// Shared by the transport tests: a transport whose states, payloads and warnings are recorded, and a
// condition wait (generous timeouts; never a timing assertion).
import type { Logger, SourceConfig } from '../../src/core/model';
import type { SourceState } from '../../src/shared/views';
import { createTransport } from '../../src/sources/transport';
import type { Received, Transport, TransportDeps } from '../../src/sources/transport';

export interface Watched {
  readonly transport: Transport;
  readonly states: SourceState[];
  readonly received: Received[];
  readonly warnings: string[];
}

const noop = (): void => undefined;
export const silentLog: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/** Creates the transport (random fixed at 0.2 so backoff delays are known) and records what it reports. */
export function watchTransport(config: SourceConfig, deps: Partial<TransportDeps> = {}): Watched {
  const transport = createTransport(config, { maxPayloadBytes: 4 * 1024 * 1024, log: silentLog, random: () => 0.2, ...deps });
  const w: Watched = { transport, states: [], received: [], warnings: [] };
  transport.onDidChangeState((s) => w.states.push(s));
  transport.onDidReceive((r) => w.received.push(r));
  transport.onDidWarn((m) => w.warnings.push(m));
  return w;
}

export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
