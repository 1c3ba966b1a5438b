import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SteadyClock } from '../../../../src/core/series/clock';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;

function fake(): { clock: SteadyClock; steps: string[]; move(ms: number): void; shift: { wall: number } } {
  let mono = 5_000;
  const shift = { wall: 0 };
  const steps: string[] = [];
  const clock = new SteadyClock({ wall: () => T0 + mono + shift.wall, monotonic: () => mono, onStep: (m) => steps.push(m) });
  return { clock, steps, shift, move: (ms) => (mono += ms) };
}

describe('SteadyClock', () => {
  it('reads the wall clock while it agrees with the monotonic one', () => {
    const { clock, steps, move } = fake();
    assert.equal(clock.now(), T0 + 5_000);
    move(1500);
    assert.equal(clock.now(), T0 + 6_500);
    assert.deepEqual(steps, []);
  });

  it('a one-day step ahead for one reading, then back: time goes on evenly, the step is logged once', () => {
    const { clock, steps, move, shift } = fake();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      shift.wall = i === 4 ? DAY : 0;
      times.push(clock.now());
      move(1000);
    }
    for (let i = 1; i < times.length; i++) assert.equal((times[i] ?? 0) - (times[i - 1] ?? 0), 1000);
    assert.equal(steps.length, 1);
    assert.match(steps[0] ?? '', /stepped ahead by 24 h/);
    shift.wall = DAY;
    clock.now();
    assert.equal(steps.length, 2, 'a later, separate step is logged again');
  });

  it('a step back never moves time backwards', () => {
    const { clock, steps, move, shift } = fake();
    const before = clock.now();
    shift.wall = -3_600_000;
    move(1000);
    assert.equal(clock.now(), before + 1000);
    move(60_000);
    assert.equal(clock.now(), before + 61_000, 'not adopted');
    assert.equal(steps.length, 1);
    assert.match(steps[0] ?? '', /stepped back by 60 min/);
  });

  it('a step ahead that holds (the machine slept) is adopted after 30 s, once', () => {
    const { clock, steps, move, shift } = fake();
    const before = clock.now();
    shift.wall = 8 * 3_600_000;
    move(1000);
    assert.equal(clock.now(), before + 1000, 'not yet');
    move(29_000);
    assert.equal(clock.now(), before + 30_000, 'held for 29 s: not yet');
    move(1000);
    assert.equal(clock.now(), before + 31_000 + 8 * 3_600_000, 'followed once it held for 30 s');
    move(1000);
    assert.equal(clock.now(), before + 32_000 + 8 * 3_600_000);
    assert.equal(steps.length, 2);
    assert.match(steps[1] ?? '', /stayed 8 h ahead/);
  });
});
