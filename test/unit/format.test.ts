import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatValue, sparkline } from '../../src/core/format';

describe('format', () => {
  it('abbreviates counts', () => {
    assert.equal(formatCount(1234), '1.2k');
    assert.equal(formatCount(12), '12');
    assert.equal(formatCount(0.5), '0.5');
    assert.equal(formatCount(2_500_000), '2.5M');
    assert.equal(formatCount(999), '999');
  });
  it('formats bytes in binary multiples', () => {
    assert.equal(formatBytes(52 * 1024 * 1024), '52 MB');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(512), '512 B');
  });
  it('formats milliseconds and durations', () => {
    assert.equal(formatMs(45.2), '45 ms');
    assert.equal(formatMs(0.42), '0.42 ms');
    assert.equal(formatMs(1530), '1.53 s');
    assert.equal(formatDuration(3725), '1h 02m');
    assert.equal(formatDuration(59), '59s');
    assert.equal(formatDuration(90061), '1d 01h');
  });
  it('formats percentages and values by unit', () => {
    assert.equal(formatPercent(0.4), '0.4 %');
    assert.equal(formatPercent(42.4), '42 %');
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
