// What a series name says about its kind, unit and role, for names no format table covers.
import type { Role, SeriesKind, Unit } from '../../shared/vocabulary';
import { BoundedMemo } from '../memo';

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

/** Last words naming things counted, never sized (`system.memory.goroutines` is not bytes). */
const COUNT_WORDS: ReadonlySet<string> = new Set([
  'goroutines',
  'threads',
  'cores',
  'cpus',
  'objects',
  'connections',
  'conns',
  'clients',
  'subscribers',
  'sessions',
]);

/** Words that make an otherwise unitless name a size in bytes (`bytes_sent_total`, `memory.heap_alloc`). */
const BYTES_HINTS: ReadonlySet<string> = new Set(['bytes', 'byte', 'memory', 'mem', 'heap', 'rss']);

/** Binary multiples a name may be stated in: `_mb` is taken as MiB, `_kb` as KiB (Go and Node divide by 1024). */
const SIZE_WORDS = new Map<string, number>([
  ['kb', 1024],
  ['kib', 1024],
  ['kilobytes', 1024],
  ['mb', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['megabytes', 1024 ** 2],
  ['gb', 1024 ** 3],
  ['gib', 1024 ** 3],
  ['gigabytes', 1024 ** 3],
]);

const SIZE_SUFFIX = /([._ -])(kb|kib|kilobytes|mb|mib|megabytes|gb|gib|gigabytes)$/i;
const SIZE_HUMP = /([a-z0-9])(Kb|KB|KiB|Kilobytes|Mb|MB|MiB|Megabytes|Gb|GB|GiB|Gigabytes)$/;

/** The multiple a name's stem ends in (`_mb`, `-KiB`, `heapMB`), if any. */
function sizeScale(stem: string): number | undefined {
  const m = SIZE_SUFFIX.exec(stem) ?? SIZE_HUMP.exec(stem);
  return m?.[2] === undefined ? undefined : SIZE_WORDS.get(m[2].toLowerCase());
}

function splitSuffix(name: string): [stem: string, suffix: string] {
  for (const s of SUFFIXES) if (name.endsWith(s)) return [name.slice(0, -s.length), s];
  return [name, ''];
}

/** Unit from the name's suffix (`_bytes`, `_sec`, `_ms`/`_time`/latency, `_percent`, …). */
export function guessUnit(name: string, kind: SeriesKind = guessKind(name)): Unit {
  if (name.endsWith('_count')) return 'count';
  const stem = splitSuffix(name)[0];
  // `_mb` values are not bytes until scaled (inferSeries does that): no unit rather than a wrong one.
  if (sizeScale(stem) !== undefined) return 'none';
  const words = nameWords(stem);
  const last = words[words.length - 1];
  if (last !== undefined) {
    if (words[words.length - 2] === 'per' || last === 'rate' || last === 'throughput' || last === 'rps') {
      // An error "rate" may be a fraction or a percent: nothing to go on.
      return last === 'rate' && words.includes('error') ? 'none' : 'per_second';
    }
    const byWord = UNIT_BY_LAST_WORD.get(last);
    if (byWord !== undefined) return byWord;
    if (COUNT_WORDS.has(last)) return 'count';
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
  ['memoryusage', 'heap'],
  ['memoryusagebytes', 'heap'],
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
  ['websocketsubscribers', 'subscribers'],
  ['vectorsessionswebsocketsubscribers', 'subscribers'],
  ['goroutines', 'goroutines'],
  ['numgoroutine', 'goroutines'],
  ['goroutinecount', 'goroutines'],
  ['jobscompleted', 'jobs'],
  ['jobscompletedtotal', 'jobs'],
  ['completedjobs', 'jobs'],
  ['jobsfailed', 'jobsFailed'],
  ['jobsfailedtotal', 'jobsFailed'],
  ['failedjobs', 'jobsFailed'],
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
  ['goroutines', { kind: 'gauge', units: ['count', 'none'] }],
  ['requests', { kind: 'counter', units: ['count', 'none'] }],
  ['errors', { kind: 'counter', units: ['count', 'none'] }],
  ['jobs', { kind: 'counter', units: ['count', 'none'] }],
  ['jobsFailed', { kind: 'counter', units: ['count', 'none'] }],
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

export interface InferredSeries extends SeriesMeta {
  /** The series name: the source's, or with a size suffix restated as `_bytes` when values were scaled. */
  readonly name: string;
  /** Multiply the source's value by this (1 unless the name states KiB/MiB/GiB). */
  readonly scale: number;
}

/**
 * `guessSeries`, plus sizes stated in KiB/MiB/GiB turned into bytes: `heap_alloc_mb` 8 becomes
 * `heap_alloc_bytes` 8 388 608, so charts, thresholds and headlines all see true bytes.
 */
/** Names seen recently: a source sends the same names in every message. Bounded (names are untrusted). */
const MAX_INFERRED = 4096;
const inferred = new BoundedMemo(MAX_INFERRED, (name) => inferUncached(name));

export function inferSeries(name: string): InferredSeries {
  return inferred.get(name);
}

function inferUncached(name: string): InferredSeries {
  const [stem, suffix] = splitSuffix(name);
  const scale = sizeScale(stem);
  if (scale !== undefined) {
    const renamed = `${stem.replace(SIZE_SUFFIX, '$1bytes').replace(SIZE_HUMP, '$1Bytes')}${suffix}`;
    return { ...guessSeries(renamed), name: renamed, unit: 'bytes', scale };
  }
  return { ...guessSeries(name), name, scale: 1 };
}

/** Last path segments that stamp a time rather than measure anything; never charted. */
const TIME_WORDS: ReadonlySet<string> = new Set([
  'timestamp',
  'ts',
  'lastupdate',
  'lastupdated',
  'updatedat',
  'lastupdatedat',
  'createdat',
  'startedat',
  'connectedat',
  'lastactivity',
  'lastseen',
]);

/** True when a (dotted) name's last segment is a point in time (`timestamp`, `last_update`, …). */
export function isTimestampName(name: string): boolean {
  // By whole name first: the walker hands the same path strings every message, their hashes known.
  return timeNames.get(name);
}

const timeSegments = new BoundedMemo(MAX_INFERRED, (segment) => TIME_WORDS.has(nameWords(segment).join('')));
const timeNames = new BoundedMemo(MAX_INFERRED, (name) => timeSegments.get(name.slice(name.lastIndexOf('.') + 1)));

/** Prometheus families whose every series (labelled or not) plays a role. */
const PROMETHEUS_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['process_resident_memory_bytes', 'rss'],
  ['nodejs_heap_size_used_bytes', 'heap'],
  ['go_memstats_heap_alloc_bytes', 'heap'],
  ['go_goroutines', 'goroutines'],
  // Encore's custom metrics (seed 002): set from heapUsed, and a CPU percent per cpu_id.
  ['memory_usage_bytes', 'heap'],
  ['cpu_usage_percent', 'cpu'],
]);

/** The role of a Prometheus series by its name, whatever its labels. */
export function prometheusRole(name: string): Role | undefined {
  return PROMETHEUS_ROLES.get(name);
}
