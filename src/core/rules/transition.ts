// The alert state machine of one (rule, series) pair: ok → pending → firing → resolved, and no data.

import type { AlertState } from '../../shared/vocabulary';

export type EngineState = 'ok' | 'pending' | 'firing' | 'nodata';

export interface Phase {
  readonly state: EngineState;
  /** It was firing when its data stopped: when data returns it resumes firing, with no pending phase. */
  readonly wasFiring: boolean;
}

export interface ValueReading {
  /** Beyond a level, or anomalous. */
  readonly breaching: boolean;
  /** Back past the clear level (and the baseline's): a firing alert may resolve. */
  readonly cleared: boolean;
  /** A pending alert has held for the rule's `for` seconds. */
  readonly heldLongEnough: boolean;
  /** The rule has no pending phase (`for` ≤ 0). */
  readonly immediate: boolean;
}

/** A fresh value, or the news that the series went silent. */
export type Reading = ValueReading | 'noData';

export interface Step extends Phase {
  /** What the transition reports: leaving firing or no data for ok is `resolved`. */
  readonly to: AlertState | 'ok';
  /** The condition starts to hold now: the pending clock restarts. */
  readonly restartClock: boolean;
}

function step(from: Phase, state: EngineState, restartClock = false): Step {
  const to = state === 'ok' && (from.state === 'firing' || from.state === 'nodata') ? 'resolved' : state;
  return { state, to, restartClock, wasFiring: state === 'ok' ? false : from.wasFiring };
}

export function transition(from: Phase, reading: Reading): Step {
  if (reading === 'noData') {
    if (from.state === 'nodata') return { ...from, to: 'nodata', restartClock: false };
    return { state: 'nodata', to: 'nodata', restartClock: false, wasFiring: from.state === 'firing' };
  }
  const { breaching, cleared, heldLongEnough, immediate } = reading;
  switch (from.state) {
    case 'ok':
      return breaching ? step(from, immediate ? 'firing' : 'pending', true) : step(from, 'ok');
    case 'pending':
      return step(from, !breaching ? 'ok' : heldLongEnough ? 'firing' : 'pending');
    case 'firing':
      return step(from, !breaching && cleared ? 'ok' : 'firing');
    case 'nodata':
      if (breaching) return step(from, from.wasFiring || immediate ? 'firing' : 'pending', true);
      return step(from, from.wasFiring && !cleared ? 'firing' : 'ok');
  }
}
