// Numbers several formats share: heap (with the `heap` mode), connection count (with the
// `connections` mode), a goroutine stand-in, and the time formats the seeds use.
import type { Modes } from './control';
import type { Stats } from './stats';

export interface FormatInputs {
  readonly stats: Stats;
  readonly modes: Modes;
  readonly now: number;
}

export const MiB = 1024 * 1024;

export function memory(input: Pick<FormatInputs, 'modes'>): NodeJS.MemoryUsage {
  const real = process.memoryUsage();
  const heap = input.modes.state.heap;
  return heap && !heap.allocate ? { ...real, heapUsed: heap.bytes, heapTotal: Math.max(real.heapTotal, heap.bytes) } : real;
}

/** Open WebSocket connections, or what the `connections` mode says. */
export function connectionCount(input: Pick<FormatInputs, 'stats' | 'modes'>): number {
  return input.modes.state.connections?.count ?? input.stats.webSocketCount();
}

/** Something alive to report where Go counts goroutines: the runtime's active handles and requests. */
export function activeResources(): number {
  return process.getActiveResourcesInfo().length;
}

/** RFC 3339 to the second, as Go's time.Time prints in seed 004's example ("2026-01-23T20:30:00Z"). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Unix seconds, as seed 003's `timestamp` and `last_update`. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
