import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCount, formatDuration, formatExact, formatLocale, formatMs, formatPercent, formatValue, resolveLocale, setFormatLocale, sparkline } from '../../../src/shared/format';

/** `format(input)` is exactly the text beside each input. */
function assertFormats(format: (v: number) => string, cases: ReadonlyArray<readonly [input: number, text: string]>): void {
  for (const [input, text] of cases) assert.equal(format(input), text, String(input));
}

describe('format', () => {
  it('abbreviates counts', () => {
    assertFormats(formatCount, [[1234, '1.2k'], [12, '12'], [0.5, '0.5'], [2_500_000, '2.5M'], [999, '999']]);
  });
  it('formats bytes in binary multiples, labelled KiB/MiB/GiB', () => {
    assertFormats(formatBytes, [
      [52 * 1024 * 1024, '52 MiB'],
      [1536, '1.5 KiB'],
      [512, '512 B'],
      [1.5 * 1024 ** 3, '1.5 GiB'],
      [-2048, '-2 KiB'],
      // Rounding up to 1024 of one multiple shows the next one.
      [1023.6, '1 KiB'],
      [1024 * 1024 - 1, '1 MiB'],
    ]);
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
  it('follows the locale it is given, and English for one Intl does not know', () => {
    try {
      setFormatLocale('de-de');
      assert.equal(formatLocale(), 'de-DE');
      assert.equal(formatBytes(1536), '1,5 KiB');
      assert.equal(formatCount(1234), '1,2k');
      assert.equal(formatMs(0.42), '0,42 ms');
      assert.equal(formatValue(0.004, 'ratio'), '0,4 %');
      assert.equal(formatExact(1234567.5), '1.234.567,5');
      setFormatLocale('fr');
      assert.equal(formatMs(1530), '1,53 s');
      setFormatLocale('not a locale!');
      assert.equal(formatLocale(), 'en');
      assert.equal(formatBytes(1536), '1.5 KiB');
    } finally {
      setFormatLocale(undefined);
    }
    assert.equal(formatExact(1234567.1234567), '1,234,567.123457');
    assert.equal(resolveLocale(undefined), 'en');
    assert.equal(resolveLocale('pt-br'), 'pt-BR');
    assert.equal(formatCount(-0.001), '0', 'no "-0"');
  });
  it('draws a sparkline with gaps', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([1, null, 1]), '▄ ▄');
    assert.equal(sparkline([]), '');
    assert.equal(sparkline(Array.from({ length: 100 }, (_, i) => i), 10).length, 10);
  });
});
