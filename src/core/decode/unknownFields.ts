// Numbers a format decoder has no table entry for still become series, named from their path and
// typed from that name, so nothing a server sends vanishes.
import { forEachNumericLeaf } from './jsonWalk';
import { inferSeries, isTimestampName } from './roles';
import type { Limits } from './limits';
import type { SampleList } from './sampleList';
import type { JsonObject } from './values';

/**
 * Adds every finite number in `obj` except top-level keys `skipKey` accepts and points in time
 * (`timestamp`, `last_update`, …), as `<prefix>.<path>`. Labelled rows get no guessed role: a role
 * on one row of many would be arbitrary.
 */
export function addUnknownFields(
  obj: JsonObject,
  prefix: string,
  skipKey: (key: string) => boolean,
  out: SampleList,
  limits: Limits,
  labels: ReadonlyArray<readonly [string, string]> = [],
): void {
  const skip = (path: string, depth: number): boolean => (depth === 1 && skipKey(path)) || isTimestampName(path);
  forEachNumericLeaf(obj, limits, skip, (path, value) => {
    const meta = inferSeries(prefix === '' ? path : `${prefix}.${path}`);
    out.add(meta.name, value * meta.scale, meta.kind, meta.unit, labels.length === 0 ? meta.role : undefined, labels);
  });
}
