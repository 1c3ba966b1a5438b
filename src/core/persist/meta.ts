// A series' metadata as stored in both tiers (short keys), and its validation when read back.

import type { Labels } from '../../shared/views';
import type { Role, SeriesKind, Unit } from '../../shared/vocabulary';
import { UNITS } from '../../shared/vocabulary';
import { isFiniteNumber, isOneOf, isRecord } from '../../shared/check';
import type { SeriesInfo } from '../series/store';
import { seriesId } from '../series/store';
import { isRole } from '../series/glob';

export interface Meta {
  readonly id: string;
  readonly src: string;
  readonly n: string;
  readonly l: Labels;
  readonly k: 'c' | 'g';
  readonly u: Unit;
  readonly r: Role | null;
  readonly raw: number;
  readonly val: number | null;
  readonly at: number;
}

const utf8 = new TextEncoder();

export function metaOf(s: Omit<SeriesInfo, 'restored'>): Meta {
  return { id: s.id, src: s.sourceId, n: s.name, l: s.labels, k: s.kind === 'counter' ? 'c' : 'g', u: s.unit, r: s.role, raw: s.raw, val: s.value, at: s.updatedAt };
}

/** The meta as a raw log entry's key (UTF-8 JSON). */
export function metaKey(info: Omit<SeriesInfo, 'restored'>): Uint8Array {
  return utf8.encode(JSON.stringify(metaOf(info)));
}

function parseLabels(x: unknown): Labels | null {
  if (!Array.isArray(x) || x.length > 64) return null;
  const out: Array<readonly [string, string]> = [];
  for (const pair of x as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return null;
    out.push([pair[0], pair[1]]);
  }
  return out;
}

/** The series described by a meta record, or why not. The id is recomputed, never trusted. */
export function parseMeta(x: unknown): Omit<SeriesInfo, 'restored'> | string {
  if (!isRecord(x)) return 'series entry is not an object';
  const { src, n, l, k, u, r, raw, val, at } = x;
  if (typeof src !== 'string' || src.length === 0 || src.length > 1000) return 'bad source id';
  if (typeof n !== 'string' || n.length === 0 || n.length > 1000) return 'bad series name';
  const labels = parseLabels(l);
  if (labels === null) return `series "${n.slice(0, 80)}": bad labels`;
  if (k !== 'c' && k !== 'g') return `series "${n.slice(0, 80)}": bad kind`;
  if (!isOneOf(u, UNITS)) return `series "${n.slice(0, 80)}": bad unit`;
  if (r !== null && !isRole(r)) return `series "${n.slice(0, 80)}": bad role`;
  if (!isFiniteNumber(raw) || !(val === null || isFiniteNumber(val))) return `series "${n.slice(0, 80)}": bad value`;
  if (!isFiniteNumber(at)) return `series "${n.slice(0, 80)}": bad time`;
  const kind: SeriesKind = k === 'c' ? 'counter' : 'gauge';
  return { id: seriesId(src, n, labels), sourceId: src, name: n, labels, kind, unit: u, role: r, raw, value: val, updatedAt: at };
}
