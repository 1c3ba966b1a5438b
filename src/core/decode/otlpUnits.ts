// OTel metric units (UCUM codes in the `unit` field) and semantic-convention names → Pulse units and roles.
import type { Role, SeriesKind, Unit } from '../../shared/vocabulary';
import { guessUnit } from './roles';

export interface UnitMapping {
  readonly unit: Unit;
  /** Multiplies a sent value into `unit`. */
  readonly scale: number;
}

const UCUM = new Map<string, UnitMapping>([
  ['s', { unit: 'seconds', scale: 1 }],
  ['min', { unit: 'seconds', scale: 60 }],
  ['h', { unit: 'seconds', scale: 3600 }],
  ['ms', { unit: 'ms', scale: 1 }],
  ['us', { unit: 'ms', scale: 1e-3 }],
  ['ns', { unit: 'ms', scale: 1e-6 }],
  ['By', { unit: 'bytes', scale: 1 }],
  ['kBy', { unit: 'bytes', scale: 1e3 }],
  ['KBy', { unit: 'bytes', scale: 1e3 }],
  ['MBy', { unit: 'bytes', scale: 1e6 }],
  ['GBy', { unit: 'bytes', scale: 1e9 }],
  ['KiBy', { unit: 'bytes', scale: 1024 }],
  ['MiBy', { unit: 'bytes', scale: 1024 ** 2 }],
  ['GiBy', { unit: 'bytes', scale: 1024 ** 3 }],
  ['%', { unit: 'percent', scale: 1 }],
]);

const FRACTION_NAME = /utiliz|ratio|fraction/i;

/** The unit of a metric from its `unit` field; durations in histograms are shown in ms. */
export function otlpUnit(unit: string, name: string, kind: SeriesKind, histogram = false): UnitMapping {
  let mapped = UCUM.get(unit);
  if (mapped === undefined) {
    if (unit === '1') mapped = { unit: FRACTION_NAME.test(name) ? 'ratio' : 'count', scale: 1 };
    else if (/^\{[^}]*\}$/.test(unit)) mapped = { unit: 'count', scale: 1 };
    else if (unit === '') mapped = { unit: guessUnit(name, kind), scale: 1 };
    else mapped = { unit: 'none', scale: 1 };
  }
  if (histogram && mapped.unit === 'seconds') return { unit: 'ms', scale: mapped.scale * 1000 };
  return mapped;
}

/** Request-duration histograms: their p95 is latency, their count the request rate. */
const REQUEST_DURATION = new Set(['http.server.request.duration', 'http.server.duration', 'rpc.server.duration']);

export function isRequestDuration(name: string): boolean {
  return REQUEST_DURATION.has(name);
}

const RUNTIMES = /^(?:process\.runtime\.[a-z]+|nodejs|v8js|jvm|dotnet|go|process\.runtime)\./;
const HEAP_USED = /heap.*(?:used|usage|size|alloc|inuse|in_use)|(?:used|usage|size|alloc).*heap/;
const NOT_HEAP_USED = /limit|max|committed|available|physical|fragmentation|total_allocated|allocated_total|allocations|objects|released|idle|sys\b/;

/**
 * The role a metric plays, from its semantic-convention name, unit and the point's attributes (e.g.
 * `jvm.memory.used` is heap only for `jvm.memory.type=heap`).
 */
export function otlpRole(name: string, unit: Unit, kind: SeriesKind, attributes: ReadonlyMap<string, string>): Role | undefined {
  if (isRequestDuration(name)) return 'latency';
  switch (name) {
    case 'http.server.active_requests':
      return 'pending';
    case 'process.uptime':
    case 'process.runtime.jvm.uptime':
    case 'jvm.uptime':
      return unit === 'seconds' || unit === 'ms' ? 'uptime' : undefined;
    case 'process.cpu.utilization':
    case 'process.runtime.jvm.cpu.utilization':
    case 'jvm.cpu.recent_utilization':
    case 'process.runtime.dotnet.cpu.utilization':
      return unit === 'ratio' || unit === 'percent' ? 'cpu' : undefined;
    case 'process.cpu.time':
      return kind === 'counter' && unit === 'seconds' ? 'cpu' : undefined;
    case 'process.memory.usage':
    case 'process.runtime.nodejs.memory.rss':
      return unit === 'bytes' ? 'rss' : undefined;
    case 'go.goroutine.count':
    case 'process.runtime.go.goroutines':
      return 'goroutines';
    case 'kestrel.active_connections':
    case 'signalr.server.active_connections':
      return 'connections';
    case 'jvm.memory.used':
    case 'process.runtime.jvm.memory.usage': {
      const type = attributes.get('jvm.memory.type') ?? attributes.get('type');
      return type === 'heap' && unit === 'bytes' ? 'heap' : undefined;
    }
  }
  if (unit === 'bytes' && RUNTIMES.test(name) && HEAP_USED.test(name) && !NOT_HEAP_USED.test(name)) return 'heap';
  return undefined;
}
