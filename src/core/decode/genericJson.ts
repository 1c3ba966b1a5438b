// Any other JSON: numeric leaves flattened into dotted names (docs/formats.md §6).
import { forEachNumericLeaf } from './jsonWalk';
import { inferSeries, isTimestampName } from './roles';
import { SampleList } from './sampleList';
import { field, isObject, parseTimestamp } from './values';
import type { Limits } from './limits';
import type { DecodeResult } from '../model';

/** Top-level keys that stamp the message rather than measure anything. */
const TIME_KEYS: ReadonlySet<string> = new Set(['timestamp', 'time', 'ts']);

export function decodeGenericJson(value: unknown, limits: Limits): DecodeResult {
  if (typeof value !== 'object' || value === null) {
    return { ok: false, error: `expected a JSON object or array, got ${value === null ? 'null' : typeof value}` };
  }
  let timestamp: number | undefined;
  if (isObject(value)) {
    for (const key of TIME_KEYS) {
      timestamp = parseTimestamp(field(value, key));
      if (timestamp !== undefined) break;
    }
  }
  // Points in time (`timestamp`, `last_update`, … at any depth) are never charted.
  const out = new SampleList(limits.maxLeaves);
  forEachNumericLeaf(value, limits, (path, depth) => (depth === 1 && TIME_KEYS.has(path)) || isTimestampName(path), (path, v) => {
    const meta = inferSeries(path);
    out.add(meta.name, v * meta.scale, meta.kind, meta.unit, meta.role);
  });
  return { ok: true, value: { format: 'json', samples: out.samples, ...(timestamp === undefined ? {} : { timestamp }) } };
}
