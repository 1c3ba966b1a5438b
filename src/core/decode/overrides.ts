// Per-source corrections of what decoding inferred (`pulse.sources[].units` / `roles`): parsed once
// from settings, applied to every decoded message before the store and the rules see it.

import type { Decoded, HistogramSample, Sample } from '../model';
import type { Role, Unit } from '../../shared/vocabulary';
import { globToRegExp, isGlob, isRole, patternProblem } from '../series/glob';
import { ROLES } from '../../shared/vocabulary';
import { BoundedMemo } from '../memo';

/** A unit a user may write: a model unit, or a scaled one converted to its base unit. */
interface UnitSpec {
  readonly unit: Unit;
  /** Multiplies the sent value into `unit`. */
  readonly scale: number;
}

const KIB = 1024;
// Byte multiples are binary, as Go runtimes' `_mb` fields and Pulse's own display use them.
export const UNIT_NAMES: ReadonlyMap<string, UnitSpec> = new Map<string, UnitSpec>([
  ['bytes', { unit: 'bytes', scale: 1 }],
  ['seconds', { unit: 'seconds', scale: 1 }],
  ['ms', { unit: 'ms', scale: 1 }],
  ['percent', { unit: 'percent', scale: 1 }],
  ['ratio', { unit: 'ratio', scale: 1 }],
  ['count', { unit: 'count', scale: 1 }],
  ['per_second', { unit: 'per_second', scale: 1 }],
  ['none', { unit: 'none', scale: 1 }],
  ['B', { unit: 'bytes', scale: 1 }],
  ['KB', { unit: 'bytes', scale: KIB }],
  ['KiB', { unit: 'bytes', scale: KIB }],
  ['MB', { unit: 'bytes', scale: KIB ** 2 }],
  ['MiB', { unit: 'bytes', scale: KIB ** 2 }],
  ['GB', { unit: 'bytes', scale: KIB ** 3 }],
  ['GiB', { unit: 'bytes', scale: KIB ** 3 }],
  ['s', { unit: 'seconds', scale: 1 }],
  ['min', { unit: 'seconds', scale: 60 }],
  ['h', { unit: 'seconds', scale: 3600 }],
  ['us', { unit: 'ms', scale: 1e-3 }],
  ['ns', { unit: 'ms', scale: 1e-6 }],
]);

/** `none` in `roles` takes away a role a decoder gave. */
export type RoleChoice = Role | 'none';

export interface UnitOverride {
  readonly pattern: string;
  /** As the user wrote it, e.g. `MiB`. */
  readonly unit: string;
}

export interface RoleOverride {
  readonly pattern: string;
  readonly role: RoleChoice;
}

/** Validated overrides of one source, in the order the user wrote them. */
export interface SeriesOverrides {
  readonly units: readonly UnitOverride[];
  readonly roles: readonly RoleOverride[];
}

export const MAX_OVERRIDES = 100;

function show(x: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(x) ?? String(x);
  } catch {
    text = String(x);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function entryPatternProblem(pattern: string): string | null {
  if (pattern.startsWith('role:')) return 'the key must be a series name or glob, not a role';
  // Threshold wording ("metric …") reads oddly here: these keys name series.
  return patternProblem(pattern)?.replace(/^metric\b/, 'the key') ?? null;
}

/**
 * Reads one `units` or `roles` object. Each bad entry becomes one problem (prefixed with `where`,
 * e.g. `pulse.sources (user settings)[0] ("api"): units`); the good entries are all kept.
 */
function parseMap<T>(value: unknown, where: string, what: string, read: (v: unknown) => T | undefined, problems: string[]): Array<readonly [string, T]> {
  const out: Array<readonly [string, T]> = [];
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where} must be an object mapping series names or globs to ${what}, got ${show(value)}; ignored`);
    return out;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [pattern, v] of entries.slice(0, MAX_OVERRIDES)) {
    const bad = entryPatternProblem(pattern);
    if (bad !== null) {
      problems.push(`${where}[${show(pattern)}]: ${bad}; this entry is ignored`);
      continue;
    }
    const parsed = read(v);
    if (parsed === undefined) {
      problems.push(`${where}[${show(pattern)}]: ${show(v)} is not ${what}; this entry is ignored`);
      continue;
    }
    out.push([pattern, parsed]);
  }
  if (entries.length > MAX_OVERRIDES) problems.push(`${where}: only the first ${MAX_OVERRIDES} entries are used`);
  return out;
}

/** Parses a source's `units` and `roles` settings; undefined when it has none that work. */
export function parseOverrides(units: unknown, roles: unknown, where: string, problems: string[]): SeriesOverrides | undefined {
  const unitList = parseMap(units, `${where}: units`, `one of the units ${[...UNIT_NAMES.keys()].join(', ')}`, (v) => (typeof v === 'string' && UNIT_NAMES.has(v) ? v : undefined), problems);
  const roleList = parseMap(roles, `${where}: roles`, `a role (one of ${ROLES.join(', ')}, or none)`, (v): RoleChoice | undefined => (v === 'none' || isRole(v) ? v : undefined), problems);
  if (unitList.length === 0 && roleList.length === 0) return undefined;
  return {
    units: unitList.map(([pattern, unit]) => ({ pattern, unit })),
    roles: roleList.map(([pattern, role]) => ({ pattern, role })),
  };
}

interface Found {
  readonly unit?: UnitSpec;
  readonly role?: RoleChoice;
}

type Compiled = BoundedMemo<Found>;

const MAX_CACHED_NAMES = 10_000;
const compiledCache = new WeakMap<SeriesOverrides, Compiled>();

/** Exact names first, then globs in the order written: the first match wins. */
function matchers<T>(list: ReadonlyArray<{ readonly pattern: string }>, value: (i: number) => T | undefined): Array<readonly [(name: string) => boolean, T]> {
  const exact: Array<readonly [(name: string) => boolean, T]> = [];
  const globs: Array<readonly [(name: string) => boolean, T]> = [];
  list.forEach((entry, i) => {
    const v = value(i);
    if (v === undefined) return;
    if (isGlob(entry.pattern)) {
      const re = globToRegExp(entry.pattern);
      globs.push([(name) => re.test(name), v]);
    } else exact.push([(name) => name === entry.pattern, v]);
  });
  return [...exact, ...globs];
}

function compile(o: SeriesOverrides): Compiled {
  let c = compiledCache.get(o);
  if (c === undefined) {
    const units = matchers(o.units, (i) => UNIT_NAMES.get(o.units[i]?.unit ?? ''));
    const roles = matchers(o.roles, (i) => o.roles[i]?.role);
    c = new BoundedMemo(MAX_CACHED_NAMES, (name): Found => {
      const unit = units.find(([test]) => test(name))?.[1];
      const role = roles.find(([test]) => test(name))?.[1];
      return { ...(unit ? { unit } : {}), ...(role ? { role } : {}) };
    });
    compiledCache.set(o, c);
  }
  return c;
}

function lookup(c: Compiled, name: string): Found {
  return c.get(name);
}

function withRole<T extends { readonly role?: Role }>(item: T, role: RoleChoice | undefined): T {
  if (role === undefined) return item;
  if (role === 'none') {
    if (item.role === undefined) return item;
    const copy: { role?: Role } & Omit<T, 'role'> = { ...item };
    delete copy.role;
    return copy as T;
  }
  return { ...item, role };
}

function overrideSample(c: Compiled, s: Sample): Sample {
  const f = lookup(c, s.name);
  if (f.unit === undefined && f.role === undefined) return s;
  let out = s;
  if (f.unit !== undefined) {
    const value = s.value * f.unit.scale;
    out = Number.isFinite(value) ? { ...s, unit: f.unit.unit, value } : { ...s, unit: f.unit.unit };
  }
  return withRole(out, f.role);
}

function overrideHistogram(c: Compiled, h: HistogramSample): HistogramSample {
  const f = lookup(c, h.name);
  if (f.unit === undefined && f.role === undefined) return h;
  let out = h;
  if (f.unit !== undefined) {
    const k = f.unit.scale;
    // Bucket bounds and the sum are in the sent unit; counts are not.
    out = { ...h, unit: f.unit.unit, sum: h.sum * k, buckets: h.buckets.map(([le, n]) => [le * k, n] as const) };
  }
  return withRole(out, f.role);
}

/**
 * The message with the source's overrides applied: a matching series gets the unit (its value
 * converted from a scaled unit such as MiB to bytes) and the role. Pure; unchanged input is returned as is.
 */
export function applyOverrides(decoded: Decoded, overrides: SeriesOverrides | undefined): Decoded {
  if (overrides === undefined || (overrides.units.length === 0 && overrides.roles.length === 0)) return decoded;
  const c = compile(overrides);
  const samples = decoded.samples.map((s) => overrideSample(c, s));
  const histograms = decoded.histograms?.map((h) => overrideHistogram(c, h));
  return { ...decoded, samples, ...(histograms ? { histograms } : {}) };
}
