// Where each format Pulse reads is served (../shared/seeds 000–004): the paths detection probes on a port.

import type { FormatId, SourceKind } from '../../shared/vocabulary';

export type ProbeScheme = 'ws' | 'http';

export interface KnownPath {
  readonly scheme: ProbeScheme;
  readonly path: string;
  /** The format the seed serves there; the probe's first message decides in the end. */
  readonly format: FormatId;
  /** The kind a successful probe is expected to report (sse for event streams). */
  readonly kind: SourceKind;
  /** Only probed on these ports (seed 001's snapshot server listens on 3334 only). */
  readonly ports?: readonly number[];
}

export const KNOWN_PATHS: readonly KnownPath[] = [
  { scheme: 'ws', path: '/api/dev/server-metrics/live', format: 'bun', kind: 'ws' },
  { scheme: 'ws', path: '/ws/server-metrics/live', format: 'bun', kind: 'ws' },
  { scheme: 'http', path: '/api/dev/server-metrics', format: 'bun', kind: 'http-json' },
  { scheme: 'ws', path: '/metrics', format: 'snapshot', kind: 'ws' },
  { scheme: 'http', path: '/sse', format: 'json', kind: 'sse' },
  { scheme: 'http', path: '/api/metrics', format: 'json', kind: 'http-json' },
  { scheme: 'http', path: '/metrics', format: 'prometheus', kind: 'prometheus' },
  { scheme: 'ws', path: '/ws', format: 'daemon', kind: 'ws' },
  { scheme: 'http', path: '/stats', format: 'go-stats', kind: 'http-json' },
  { scheme: 'http', path: '/metrics/enhanced', format: 'go-stats', kind: 'http-json' },
  { scheme: 'http', path: '/metrics/system', format: 'go-stats', kind: 'http-json' },
];

/** Common dev-server ports, probed after the ones the workspace names. */
export const COMMON_PORTS: readonly number[] = [3000, 3001, 3002, 3334, 4000, 5000, 8000, 8080, 9090];

/** The URL of a known path on a loopback port (IPv6 loopback in brackets). */
export function probeUrlFor(host: string, port: number, known: KnownPath): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${known.scheme}://${h}:${port}${known.path}`;
}
