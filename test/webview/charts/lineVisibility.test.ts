// Legend toggles: a line hidden on one chart stays hidden (and only there) until shown again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineVisibility } from '../../../webview/charts/lineVisibility';

describe('line visibility', () => {
  it('hides and shows a line per chart', () => {
    const lines = new LineVisibility();
    assert.deepEqual(lines.shown('a', ['x', 'y']), [true, true]);
    assert.equal(lines.toggle('a', 'y'), false);
    assert.deepEqual(lines.shown('a', ['x', 'y']), [true, false]);
    assert.deepEqual(lines.shown('b', ['x', 'y']), [true, true], 'another chart with the same lines is untouched');
    assert.equal(lines.isShown('a', 'y'), false);
    assert.equal(lines.toggle('a', 'y'), true);
    assert.deepEqual(lines.shown('a', ['x', 'y']), [true, true]);
  });

  it('keeps the state across rebuilds: a key not in the list is remembered for when it comes back', () => {
    const lines = new LineVisibility();
    lines.toggle('a', 'x');
    assert.deepEqual(lines.shown('a', ['sum']), [true]);
    assert.deepEqual(lines.shown('a', ['w', 'x']), [true, false]);
  });
});
