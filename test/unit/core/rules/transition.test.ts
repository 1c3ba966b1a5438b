// The alert state machine as a table: every state (and the memory of firing before no data) × every kind of reading.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { transition } from '../../../../src/core/rules/transition';
import type { Phase, Reading, Step } from '../../../../src/core/rules/transition';

const PHASES: ReadonlyArray<readonly [string, Phase]> = [
  ['ok', { state: 'ok', wasFiring: false }],
  ['pending', { state: 'pending', wasFiring: false }],
  ['firing', { state: 'firing', wasFiring: false }],
  ['nodata', { state: 'nodata', wasFiring: false }],
  ['nodata after firing', { state: 'nodata', wasFiring: true }],
];

const value = (r: Partial<Exclude<Reading, 'noData'>>): Reading => ({ breaching: false, cleared: false, heldLongEnough: false, immediate: false, ...r });

/** Cells read "state/reported", plus "restart" when the pending clock restarts and "wasFiring" when that is remembered. */
const TABLE: ReadonlyArray<readonly [string, Reading, readonly [string, string, string, string, string]]> = [
  // reading, then the cells for: ok, pending, firing, nodata, nodata after firing
  ['no data', 'noData', ['nodata/nodata', 'nodata/nodata', 'nodata/nodata wasFiring', 'nodata/nodata', 'nodata/nodata wasFiring']],
  ['breaching', value({ breaching: true }), ['pending/pending restart', 'pending/pending', 'firing/firing', 'pending/pending restart', 'firing/firing restart wasFiring']],
  ['breaching, held for `for`', value({ breaching: true, heldLongEnough: true }), ['pending/pending restart', 'firing/firing', 'firing/firing', 'pending/pending restart', 'firing/firing restart wasFiring']],
  ['breaching, no `for`', value({ breaching: true, immediate: true }), ['firing/firing restart', 'pending/pending', 'firing/firing', 'firing/firing restart', 'firing/firing restart wasFiring']],
  ['in the hysteresis band', value({}), ['ok/ok', 'ok/ok', 'firing/firing', 'ok/resolved', 'firing/firing wasFiring']],
  ['in the band, held, no `for`', value({ heldLongEnough: true, immediate: true }), ['ok/ok', 'ok/ok', 'firing/firing', 'ok/resolved', 'firing/firing wasFiring']],
  ['cleared', value({ cleared: true }), ['ok/ok', 'ok/ok', 'ok/resolved', 'ok/resolved', 'ok/resolved']],
  ['breaching yet past clear', value({ breaching: true, cleared: true }), ['pending/pending restart', 'pending/pending', 'firing/firing', 'pending/pending restart', 'firing/firing restart wasFiring']],
];

function cell(s: Step): string {
  return `${s.state}/${s.to}${s.restartClock ? ' restart' : ''}${s.wasFiring ? ' wasFiring' : ''}`;
}

describe('transition', () => {
  for (const [name, reading, expected] of TABLE) {
    it(`on ${name}`, () => {
      const got = PHASES.map(([, phase]) => cell(transition(phase, reading)));
      assert.deepEqual(got, expected, PHASES.map(([p], i) => `${p}: ${got[i] ?? ''}`).join('; '));
    });
  }

  it('a firing alert that lived through no data forgets it once it resolves', () => {
    const resumed = transition({ state: 'nodata', wasFiring: true }, value({ breaching: true }));
    assert.equal(resumed.wasFiring, true);
    const resolved = transition(resumed, value({ cleared: true }));
    assert.deepEqual([resolved.state, resolved.to, resolved.wasFiring], ['ok', 'resolved', false]);
    const again = transition(resolved, 'noData');
    assert.equal(again.wasFiring, false);
  });
});
