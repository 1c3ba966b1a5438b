// What the seed tests share: reading a fixture copied from a seed, decoding it, and the rows they compare.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../src/core/decode/decode';
import type { Decoded, FormatHint } from '../../../src/core/model';

export type Row = [name: string, labels: Array<[string, string]>, value: number, kind: string, unit: string, role: string | undefined];

export function seedFixture(name: string): string {
  return readFileSync(join(__dirname, '..', '..', 'fixtures', 'seeds', name), 'utf8');
}

export function decoded(payload: string, hint: FormatHint): Decoded {
  const r = decodeMessage(payload, hint);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** Every sample as a row: name, labels, value, kind, unit, role. */
export function rows(d: Decoded): Row[] {
  return d.samples.map((s) => [s.name, s.labels.map(([k, v]) => [k, v]), s.value, s.kind, s.unit, s.role]);
}
