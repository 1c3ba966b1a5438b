// Seed 000 (Bun native metrics): GET /api/dev/server-metrics, the WS /api/dev/server-metrics/live
// message, and GET /api/dev/status's vector.sessions — field for field as the seed shows them.
import { EVIL_KEYS, EVIL_STRINGS, objectWithKeys } from './hostile';
import type { FormatInputs } from './measures';
import { connectionCount, memory } from './measures';

interface Websockets {
  readonly pendingConnections: number;
  readonly subscribers: Record<string, number>;
  readonly totalSubscribers: number;
}

/** GET /api/dev/server-metrics */
export interface BunHttpMetrics {
  readonly timestamp: number;
  readonly http: { readonly pendingRequests: number; readonly totalRequests: number };
  readonly websockets: Websockets;
  readonly memory: {
    readonly used: { readonly heapUsed: number; readonly heapTotal: number; readonly rss: number };
    readonly heapUsed: number;
    readonly heapTotal: number;
    readonly rss: number;
    readonly external: number;
    readonly arrayBuffers: number;
  };
}

/** One message of WS /api/dev/server-metrics/live */
export interface BunLiveMessage {
  readonly type: 'metrics';
  readonly timestamp: number;
  readonly http: { readonly pendingRequests: number };
  readonly websockets: Websockets;
  readonly memory: { readonly heapUsed: number; readonly rss: number };
}

/** GET /api/dev/status (only the part seed 000 describes). */
export interface BunStatus {
  readonly vector: { readonly sessions: { readonly apiSessions: number; readonly websocketConnections: number; readonly websocketSubscribers: number } };
}

/** The seed's headers on GET /api/dev/server-metrics. */
export const BUN_HEADERS: Readonly<Record<string, string>> = { 'X-Metrics-Source': 'bun-native', 'X-TES-Metrics-Version': '1.0' };

function websockets(input: FormatInputs): Websockets {
  const { stats, modes } = input;
  let subscribers: Record<string, number> = stats.topics();
  const cardinality = modes.state.cardinality;
  if (cardinality) for (let i = 0; i < cardinality.count; i++) subscribers[`topic-${i}`] = i % 7;
  if (modes.state.evil) subscribers = objectWithKeys([...Object.entries(subscribers), ...[...EVIL_KEYS, ...EVIL_STRINGS].map((k, i) => [k, i + 1] as const)]);
  const totalSubscribers = Object.values(subscribers).reduce((a, b) => a + b, 0);
  return { pendingConnections: connectionCount(input), subscribers, totalSubscribers };
}

export function bunHttpMetrics(input: FormatInputs): BunHttpMetrics {
  const mem = memory(input);
  return {
    timestamp: input.now,
    http: { pendingRequests: input.stats.pendingRequests, totalRequests: input.stats.totalRequests },
    websockets: websockets(input),
    memory: {
      used: { heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, rss: mem.rss },
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      rss: mem.rss,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
    },
  };
}

export function bunLiveMessage(input: FormatInputs): BunLiveMessage {
  const mem = memory(input);
  return {
    type: 'metrics',
    timestamp: input.now,
    http: { pendingRequests: input.stats.pendingRequests },
    websockets: websockets(input),
    memory: { heapUsed: mem.heapUsed, rss: mem.rss },
  };
}

export function bunStatus(input: FormatInputs): BunStatus {
  const total = Object.values(input.stats.topics()).reduce((a, b) => a + b, 0);
  return { vector: { sessions: { apiSessions: input.stats.pendingRequests, websocketConnections: connectionCount(input), websocketSubscribers: total } } };
}
