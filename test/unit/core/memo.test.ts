// BoundedMemo: each key worked out once while it is remembered, and never more than `limit` keys kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMemo } from '../../../src/core/memo';

test('computes a key once, forgets everything when full, and computes again after', () => {
  const calls: string[] = [];
  const memo = new BoundedMemo(2, (key) => {
    calls.push(key);
    return key.length;
  });
  assert.equal(memo.get('a'), 1);
  assert.equal(memo.get('a'), 1);
  assert.equal(memo.get('bb'), 2);
  assert.deepEqual(calls, ['a', 'bb']);
  assert.equal(memo.get('ccc'), 3, 'a third key empties the memo first');
  assert.equal(memo.get('a'), 1);
  assert.deepEqual(calls, ['a', 'bb', 'ccc', 'a']);
  assert.equal(memo.get('ccc'), 3);
  assert.deepEqual(calls, ['a', 'bb', 'ccc', 'a'], 'the key added after the clear is still there');
});
