import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateMeter } from '../../../../src/core/series/rateMeter';

test('rate over the completed seconds of the window', () => {
  const m = new RateMeter(5);
  for (let s = 0; s < 10; s++) for (let i = 0; i < 4; i++) m.add(s * 1000 + i * 100);
  assert.equal(m.rate(10_000), 4);
  assert.equal(m.rate(30_000), 0);
});
