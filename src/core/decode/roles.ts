// What a series name says about its kind, unit and role, for names no format table covers.
import type { Role, SeriesKind, Unit } from '../model';

export interface SeriesMeta {
  readonly kind: SeriesKind;
  readonly unit: Unit;
  readonly role?: Role;
}

/** `_total` / `_count` suffixes mark counters (Prometheus convention, used by JSON producers too). */
export function guessKind(name: string): SeriesKind {
  return name.endsWith('_total') || name.endsWith('_count') ? 'counter' : 'gauge';
}

const SUFFIXES = ['_total', '_count', '_sum', '_bucket'];

/** Lower-case words of a name: split on `.`, `_`, `-`, spaces and camelCase humps. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const UNIT_BY_LAST_WORD = new Map<string, Unit>([
  ['bytes', 'bytes'],
  ['byte', 'bytes'],
  ['seconds', 'seconds'],
  ['second', 'seconds'],
  ['secs', 'seconds'],
  ['sec', 'seconds'],
  ['uptime', 'seconds'],
  ['ms', 'ms'],
  ['millis', 'ms'],
  ['milliseconds', 'ms'],
  ['msec', 'ms'],
  ['time', 'ms'],
  ['latency', 'ms'],
  ['duration', 'ms'],
  ['percent', 'percent'],
  ['percentage', 'percent'],
  ['pct', 'percent'],
  ['ratio', 'ratio'],
  ['fraction', 'ratio'],
]);

const BYTES_HINTS = new Set(['memory', 'mem']);

/** Unit from the name's suffix (`_bytes`, `_seconds`, `_ms`/`_time`/latency, `_percent`, …). */
export function guessUnit(name: string, kind: SeriesKind = guessKind(name)): Unit {
  if (name.endsWith('_count')) return 'count';
  let stem = name;
  for (const s of SUFFIXES) {
    if (stem.endsWith(s)) {
      stem = stem.slice(0, -s.length);
      break;
    }
  }
  const words = nameWords(stem);
  const last = words[words.length - 1];
  if (last !== undefined) {
    if (words[words.length - 2] === 'per' || last === 'rate' || last === 'throughput' || last === 'rps') {
      // An error "rate" may be a fraction or a percent: nothing to go on.
      return last === 'rate' && words.includes('error') ? 'none' : 'per_second';
    }
    const byWord = UNIT_BY_LAST_WORD.get(last);
    if (byWord !== undefined) return byWord;
  }
  if (words.some((w) => BYTES_HINTS.has(w))) return 'bytes';
  return kind === 'counter' ? 'count' : 'none';
}

/** Well-known names (letters and digits only, lower case) and the role they play. */
const ROLE_BY_KEY = new Map<string, Role>([
  ['uptime', 'uptime'],
  ['uptimeseconds', 'uptime'],
  ['processuptime', 'uptime'],
  ['cpu', 'cpu'],
  ['cpupercent', 'cpu'],
  ['cpuusage', 'cpu'],
  ['cpuusagepercent', 'cpu'],
  ['heapused', 'heap'],
  ['memoryheapused', 'heap'],
  ['heapusedbytes', 'heap'],
  ['heapalloc', 'heap'],
  ['memoryheapalloc', 'heap'],
  ['rss', 'rss'],
  ['memoryrss', 'rss'],
  ['rssbytes', 'rss'],
  ['activeconnections', 'connections'],
  ['connectionsactive', 'connections'],
  ['openconnections', 'connections'],
  ['connections', 'connections'],
  ['pendingrequests', 'pending'],
  ['httppendingrequests', 'pending'],
  ['inflightrequests', 'pending'],
  ['requeststotal', 'requests'],
  ['totalrequests', 'requests'],
  ['httprequeststotal', 'requests'],
  ['httptotalrequests', 'requests'],
  ['errorstotal', 'errors'],
  ['totalerrors', 'errors'],
  ['httperrorstotal', 'errors'],
  ['latencyms', 'latency'],
  ['avgresponsetime', 'latency'],
  ['avgresponsetimems', 'latency'],
  ['responsetimems', 'latency'],
  ['avglatencyms', 'latency'],
  ['subscribers', 'subscribers'],
  ['totalsubscribers', 'subscribers'],
]);

/** The kind and unit each role implies; a name only gets a role when its guessed unit agrees. */
const ROLE_SHAPE: ReadonlyMap<Role, { kind: SeriesKind; units: readonly Unit[] }> = new Map<
  Role,
  { kind: SeriesKind; units: readonly Unit[] }
>([
  ['uptime', { kind: 'gauge', units: ['seconds', 'none'] }],
  ['cpu', { kind: 'gauge', units: ['percent', 'none'] }],
  ['heap', { kind: 'gauge', units: ['bytes', 'none'] }],
  ['rss', { kind: 'gauge', units: ['bytes', 'none'] }],
  ['connections', { kind: 'gauge', units: ['count', 'none'] }],
  ['pending', { kind: 'gauge', units: ['count', 'none'] }],
  ['subscribers', { kind: 'gauge', units: ['count', 'none'] }],
  ['requests', { kind: 'counter', units: ['count', 'none'] }],
  ['errors', { kind: 'counter', units: ['count', 'none'] }],
  ['latency', { kind: 'gauge', units: ['ms', 'none'] }],
]);

const ROLE_UNIT: ReadonlyMap<Role, Unit> = new Map<Role, Unit>([
  ['uptime', 'seconds'],
  ['cpu', 'percent'],
  ['heap', 'bytes'],
  ['rss', 'bytes'],
  ['latency', 'ms'],
]);

/** Kind, unit and (for a few unambiguous names) role of an arbitrary dotted name. */
export function guessSeries(name: string): SeriesMeta {
  const kind = guessKind(name);
  const unit = guessUnit(name, kind);
  const role = ROLE_BY_KEY.get(nameWords(name).join(''));
  const shape = role === undefined ? undefined : ROLE_SHAPE.get(role);
  if (role === undefined || shape === undefined || !shape.units.includes(unit)) return { kind, unit };
  const roleUnit = ROLE_UNIT.get(role) ?? (unit === 'none' ? 'count' : unit);
  return { kind: shape.kind, unit: roleUnit, role };
}
