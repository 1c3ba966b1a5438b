// What the seed tests share: reading a fixture copied from a seed, decoding it, and the rows they compare.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../../../src/core/decode/decode';
import type { Decoded } from '../../../../src/core/model';
import type { FormatHint } from '../../../../src/shared/vocabulary';

export type Row = [name: string, labels: Array<[string, string]>, value: number, kind: string, unit: string, role: string | undefined];

export function seedFixture(name: string): string {
  return readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'seeds', name), 'utf8');
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

/** A row of a format whose samples carry no labels. */
export type PlainRow = [name: string, value: number, kind: string, unit: string, role: string | undefined];

/** Decodes `payload` and checks it was read as `format`. */
export function decodedAs(payload: string, hint: FormatHint, format: Decoded['format']): Decoded {
  const d = decoded(payload, hint);
  assert.equal(d.format, format);
  return d;
}

/** Every sample as a row without labels, checking that each has none. */
export function plainRows(d: Decoded): PlainRow[] {
  for (const s of d.samples) assert.deepEqual(s.labels, [], s.name);
  return d.samples.map((s) => [s.name, s.value, s.kind, s.unit, s.role]);
}
