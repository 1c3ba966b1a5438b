import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatValue, sparkline } from '../../../src/shared/format';

/** `format(input)` is exactly the text beside each input. */
function assertFormats(format: (v: number) => string, cases: ReadonlyArray<readonly [input: number, text: string]>): void {
  for (const [input, text] of cases) assert.equal(format(input), text, String(input));
}

describe('format', () => {
  it('abbreviates counts', () => {
    assertFormats(formatCount, [[1234, '1.2k'], [12, '12'], [0.5, '0.5'], [2_500_000, '2.5M'], [999, '999']]);
  });
  it('formats bytes in binary multiples', () => {
    assertFormats(formatBytes, [[52 * 1024 * 1024, '52 MB'], [1536, '1.5 KB'], [512, '512 B']]);
  });
  it('formats milliseconds and durations', () => {
    assertFormats(formatMs, [[45.2, '45 ms'], [0.42, '0.42 ms'], [1530, '1.53 s']]);
    assertFormats(formatDuration, [[3725, '1h 02m'], [59, '59s'], [90061, '1d 01h']]);
  });
  it('formats percentages and values by unit', () => {
    assertFormats(formatPercent, [[0.4, '0.4 %'], [42.4, '42 %']]);
    assert.equal(formatValue(1200, 'per_second'), '1.2k/s');
    assert.equal(formatValue(0.25, 'ratio'), '25 %');
    assert.equal(formatValue(0.045, 'seconds'), '45 ms');
    assert.equal(formatValue(null, 'ms'), '–');
    assert.equal(formatValue(Number.NaN, 'ms'), '–');
  });
  it('draws a sparkline with gaps', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([1, null, 1]), '▄ ▄');
    assert.equal(sparkline([]), '');
    assert.equal(sparkline(Array.from({ length: 100 }, (_, i) => i), 10).length, 10);
  });
});
