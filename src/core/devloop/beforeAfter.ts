// Which series a before/after comparison looks at, and the rows the panel and the quick pick show.

import type { Annotation } from './annotations';
import type { CompareKey, CompareRow } from './compare';
import type { AnnotationView, CompareRowView } from '../../shared/views';
import type { MetricStore, SeriesInfo } from '../series/store';
import { compareAround } from './compare';

/** Before and after windows around the annotation. */
export const COMPARE_WINDOW_MS = 2 * 60_000;
const MAX_ENDPOINT_KEYS = 24;

function label(s: SeriesInfo, key: string): string | undefined {
  for (const [k, v] of s.labels) if (k === key) return v;
  return undefined;
}

/** The key series: latency quantiles (overall and per endpoint), error rate, request rate, heap. */
export function compareKeys(series: readonly SeriesInfo[]): CompareKey[] {
  const keys: CompareKey[] = [];
  const many = new Set(series.map((s) => s.sourceId)).size > 1;
  const suffix = (s: SeriesInfo) => (many ? ` (${s.sourceId})` : '');
  for (const s of series) {
    switch (s.role) {
      case 'latency':
        keys.push({ id: s.id, label: `p95 latency${suffix(s)}`, short: 'p95', unit: s.unit, higherIsWorse: true });
        break;
      case 'errorRate':
        keys.push({ id: s.id, label: `error rate${suffix(s)}`, short: 'errors', unit: s.unit, higherIsWorse: true });
        break;
      case 'requests':
      case 'requestRate':
        keys.push({ id: s.id, label: `request rate${suffix(s)}`, short: 'req/s', unit: 'per_second', higherIsWorse: false });
        break;
      case 'heap':
        keys.push({ id: s.id, label: `heap${suffix(s)}`, short: 'heap', unit: s.unit, higherIsWorse: true });
        break;
      default:
        break;
    }
  }
  // Histogram quantiles of the latency histogram (p50/p99 next to the p95 that carries the role).
  const latencyNames = new Set(series.filter((s) => s.role === 'latency' && label(s, 'quantile') !== undefined).map((s) => s.name));
  for (const s of series) {
    const q = label(s, 'quantile');
    if (!latencyNames.has(s.name) || s.role === 'latency' || s.labels.length !== 1) continue;
    if (q === '0.5' || q === '0.99') keys.push({ id: s.id, label: `p${q === '0.5' ? '50' : '99'} latency${suffix(s)}`, short: q === '0.5' ? 'p50' : 'p99', unit: s.unit, higherIsWorse: true });
  }
  let endpoints = 0;
  for (const s of series) {
    if (endpoints >= MAX_ENDPOINT_KEYS) break;
    if (s.name !== 'endpoint.p95' && s.name !== 'endpoint.p50' && s.name !== 'endpoint.p99') continue;
    const method = label(s, 'method') ?? '';
    const path = label(s, 'path') ?? '';
    const q = s.name.slice('endpoint.'.length);
    keys.push({ id: s.id, label: `${q} ${method} ${path}`.replace(/\s+/g, ' ').trim(), short: `${q} ${path}`, unit: s.unit, higherIsWorse: true });
    endpoints++;
  }
  return keys;
}

export function compareAt(store: MetricStore, at: number, windowMs = COMPARE_WINDOW_MS): CompareRow[] {
  return compareAround((id, from, to) => store.points(id, from, to, 'rate').v, compareKeys(store.list()), at, windowMs);
}

export function compareRowView(row: CompareRow): CompareRowView {
  return {
    id: row.id,
    label: row.label,
    unit: row.unit,
    before: row.beforeMedian,
    after: row.afterMedian,
    deltaPct: row.deltaPct !== null && Number.isFinite(row.deltaPct) ? row.deltaPct : null,
    noise: Number.isFinite(row.noise) ? row.noise : 0,
    verdict: !row.enoughData ? 'no-data' : row.regressed ? 'regressed' : row.improved ? 'improved' : 'same',
  };
}

/** Regressed rows first, then the rest in key order. */
export function sortRows(rows: readonly CompareRow[]): CompareRow[] {
  return [...rows].sort((a, b) => Number(b.regressed) - Number(a.regressed));
}

export function annotationView(a: Annotation): AnnotationView {
  return { id: a.id, at: a.at, kind: a.kind, label: a.label, detail: a.detail ?? null, sourceId: a.sourceId ?? null };
}
