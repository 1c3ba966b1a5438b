import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, Backoff, HEALTHY_AFTER_MS, backoffDelay, wasHealthy } from '../../../src/sources/backoff';

describe('backoff', () => {
  it('is full jitter over base × 2^attempt', () => {
    assert.equal(backoffDelay(0, () => 1), BACKOFF_BASE_MS);
    assert.equal(backoffDelay(3, () => 1), 2_000);
    assert.equal(backoffDelay(3, () => 0.5), 1_000);
    assert.equal(backoffDelay(3, () => 0), 0);
  });

  it('is capped at 30 s however many attempts', () => {
    assert.equal(backoffDelay(7, () => 1), BACKOFF_CAP_MS);
    assert.equal(backoffDelay(1_000, () => 1), BACKOFF_CAP_MS);
    assert.equal(backoffDelay(1_000, () => 0.25), BACKOFF_CAP_MS / 4);
  });

  it('clamps a misbehaving random to [0, 1]', () => {
    assert.equal(backoffDelay(0, () => 7), BACKOFF_BASE_MS);
    assert.equal(backoffDelay(0, () => -1), 0);
  });

  it('counts attempts and resets', () => {
    const b = new Backoff(() => 1);
    assert.deepEqual(
      [b.next(), b.next(), b.next()],
      [
        { attempt: 1, delayMs: 250 },
        { attempt: 2, delayMs: 500 },
        { attempt: 3, delayMs: 1_000 },
      ],
    );
    b.reset();
    assert.deepEqual(b.next(), { attempt: 1, delayMs: 250 });
  });

  it('every delay stays within its ceiling for any random', () => {
    const values = [0, 0.001, 0.3, 0.5, 0.999, 1];
    for (let attempt = 0; attempt < 20; attempt++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
      for (const v of values) {
        const d = backoffDelay(attempt, () => v);
        assert.ok(d >= 0 && d <= ceiling, `attempt ${attempt}, random ${v}: ${d}`);
      }
    }
  });

  it('a connection is healthy after 5 s open or once it received data', () => {
    assert.equal(wasHealthy(1_000, 1_000 + HEALTHY_AFTER_MS, false), true);
    assert.equal(wasHealthy(1_000, 1_000 + HEALTHY_AFTER_MS - 1, false), false);
    assert.equal(wasHealthy(undefined, 99_999, false), false);
    assert.equal(wasHealthy(undefined, 0, true), true);
  });
});
