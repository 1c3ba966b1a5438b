// The one message a `promql` source hands the pipeline per poll: the instant queries' samples, the
// `query_range` backfill (first poll after connecting) and the API's errors. The transport builds
// it from validated API responses; it is checked again here like any other message.

import type { Backfill, DecodeResult, Sample } from '../model';
import type { Labels } from '../../shared/views';
import type { Role, Unit } from '../../shared/vocabulary';
import { isRole } from '../series/glob';
import { UNITS } from '../../shared/vocabulary';
import { isOneOf } from '../../shared/check';
import type { Limits } from './limits';
import { normalizeLabels } from './labels';
import { field, isObject, printable, truncate } from './values';
import type { JsonObject } from './values';

export interface PromqlMessage {
  readonly samples: readonly Sample[];
  readonly backfill: readonly Backfill[];
  readonly errors: readonly string[];
}

const MAX_ERRORS = 20;
const MAX_ERROR = 400;
const MAX_NAME = 200;
/** Points of one backfill message, all series together. */
export const MAX_BACKFILL_POINTS = 500_000;

interface Meta {
  n: string;
  u: Unit;
  r?: Role;
  l: Labels;
}

function meta(s: { name: string; unit: Unit; role?: Role; labels: Labels }): Meta {
  return { n: s.name, u: s.unit, ...(s.role ? { r: s.role } : {}), l: s.labels };
}

export function encodePromqlMessage(msg: PromqlMessage): string {
  return JSON.stringify({
    type: 'promql',
    samples: msg.samples.map((s) => ({ ...meta(s), v: s.value })),
    backfill: msg.backfill.map((b) => ({ ...meta(b), t: b.t, v: b.v })),
    errors: msg.errors,
  });
}

function readMeta(x: unknown): (Meta & { x: JsonObject }) | undefined {
  if (!isObject(x)) return undefined;
  const n = field(x, 'n');
  const u = field(x, 'u');
  const r = field(x, 'r');
  const l = field(x, 'l');
  if (typeof n !== 'string' || n.length === 0 || n.length > MAX_NAME) return undefined;
  if (!isOneOf(u, UNITS)) return undefined;
  if (r !== undefined && !isRole(r)) return undefined;
  if (!Array.isArray(l) || l.length > 64) return undefined;
  const pairs: Array<readonly [string, string]> = [];
  for (const p of l as unknown[]) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') return undefined;
    pairs.push([p[0], p[1]]);
  }
  return { n, u, ...(r === undefined ? {} : { r }), l: normalizeLabels(pairs), x };
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Reads the message `encodePromqlMessage` wrote; entries that do not check out are dropped. */
export function decodePromql(value: JsonObject, limits: Limits): DecodeResult {
  if (field(value, 'type') !== 'promql') return { ok: false, error: 'not a PromQL source message' };
  const rawSamples = field(value, 'samples');
  const rawBackfill = field(value, 'backfill');
  const rawErrors = field(value, 'errors');
  if (!Array.isArray(rawSamples) || !Array.isArray(rawBackfill) || !Array.isArray(rawErrors)) return { ok: false, error: 'malformed PromQL source message' };
  const samples: Sample[] = [];
  for (const x of (rawSamples as unknown[]).slice(0, limits.maxLeaves)) {
    const m = readMeta(x);
    const v = m ? field(m.x, 'v') : undefined;
    if (m && finite(v)) samples.push({ name: m.n, labels: m.l, value: v, kind: 'gauge', unit: m.u, ...(m.r ? { role: m.r } : {}) });
  }
  const backfill: Backfill[] = [];
  let budget = MAX_BACKFILL_POINTS;
  for (const x of rawBackfill as unknown[]) {
    const m = readMeta(x);
    const t = m ? field(m.x, 't') : undefined;
    const v = m ? field(m.x, 'v') : undefined;
    if (!m || !Array.isArray(t) || !Array.isArray(v) || t.length !== v.length || t.length > budget) continue;
    const ts = t as unknown[];
    const vs = v as unknown[];
    if (!ts.every((ti, i) => finite(ti) && ti > 0 && (i === 0 || ti > (ts[i - 1] as number))) || !vs.every(finite)) continue;
    budget -= ts.length;
    backfill.push({ name: m.n, labels: m.l, kind: 'gauge', unit: m.u, ...(m.r ? { role: m.r } : {}), t: ts as number[], v: vs as number[] });
  }
  const errors = (rawErrors as unknown[])
    .filter((e): e is string => typeof e === 'string')
    .slice(0, MAX_ERRORS)
    .map((e) => truncate(printable(e), MAX_ERROR));
  return {
    ok: true,
    value: { format: 'promql', samples, ...(backfill.length > 0 ? { backfill } : {}), ...(errors.length > 0 ? { serverError: errors.join('; ') } : {}) },
  };
}
