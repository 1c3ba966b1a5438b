// Shared by the source tests: a loopback HTTP server made from one handler, the suite's watched
// transports (disposed together when the suite ends), and clean-up that runs whether a test passed or not.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, SourceConfig } from '../../src/core/model';
import type { SourceState } from '../../src/shared/views';
import type { Transport, TransportDeps } from '../../src/sources/transport';
import type { DevServer } from './devserver';
import { until, watchTransport } from './transports';
import type { Watched } from './transports';

export interface InlineServer {
  /** `path` on the server. */
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

/** An HTTP server on a free loopback port, answering with `handler`; `close()` also cuts open connections. */
export async function inlineHttpServer(handler: http.RequestListener, path: string, scheme = 'http'): Promise<InlineServer> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}${path}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SuiteTransports {
  /** watchTransport with the suite's log; the transport is disposed by disposeAll. */
  readonly watch: (config: SourceConfig, deps?: Partial<TransportDeps>) => Watched;
  readonly disposeAll: () => void;
}

export function suiteTransports(log: Logger): SuiteTransports {
  const open: Transport[] = [];
  return {
    watch: (config, deps = {}) => {
      const w = watchTransport(config, { log, ...deps });
      open.push(w.transport);
      return w;
    },
    disposeAll: () => {
      for (const t of open.splice(0)) t.dispose();
    },
  };
}

/** Runs `body`, then disposes the transport and closes the server, whether or not it passed. */
export async function disposing(w: Watched, server: { close(): Promise<void> }, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    w.transport.dispose();
    await server.close();
  }
}

/** Runs `body` with the dev server in fault `mode`, then puts it back to normal, whether or not it passed. */
export async function inMode(dev: DevServer, mode: string, body: () => Promise<void>, params?: Record<string, unknown>): Promise<void> {
  await dev.control(mode, params);
  try {
    await body();
  } finally {
    await dev.control('normal');
  }
}

/** Waits (as `until` does) for the watched transport to be in `phase`; returns that state. */
export function untilPhase<P extends SourceState['phase']>(w: Watched, phase: P): Promise<Extract<SourceState, { phase: P }>> {
  const inPhase = (s: SourceState): s is Extract<SourceState, { phase: P }> => s.phase === phase;
  return until(phase, () => (inPhase(w.transport.state) ? w.transport.state : undefined));
}
