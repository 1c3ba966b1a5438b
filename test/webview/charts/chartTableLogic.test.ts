// The chart's text alternative without a browser: the newest rows read back from the export CSV, and the summary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chartSummary, latestText, TABLE_ROWS, tableData } from '../../../webview/charts/chartTableData';
import { csvOfRange } from '../../../webview/charts/chartExport';
import type { Aligned } from '../../../webview/charts/chartData';

const T0 = Date.UTC(2026, 0, 1);

describe('chart table data', () => {
  it('keeps the newest rows first, one value per line, with gaps as null', () => {
    const data: Aligned = [[T0, T0 + 1000, T0 + 2000], [1, null, 3], [10, 20, Number.NaN]];
    const t = tableData(csvOfRange(data, ['GET /a', 'POST /b'], T0, T0 + 2000));
    assert.ok(t);
    assert.deepEqual(t.names, ['GET /a', 'POST /b']);
    assert.deepEqual(t.rows.map((r) => r.t), [T0 + 2000, T0 + 1000, T0]);
    assert.deepEqual(t.rows.map((r) => r.values), [[3, null], [null, 20], [1, 10]]);
  });

  it('reads back line names the CSV had to quote', () => {
    const names = ['route="/a,b"', 'plain'];
    const t = tableData(csvOfRange([[T0], [1], [2]], names, T0, T0));
    assert.deepEqual(t?.names, names);
    assert.deepEqual(t?.rows[0]?.values, [1, 2]);
  });

  it(`shows at most ${TABLE_ROWS} rows`, () => {
    const times = Array.from({ length: 50 }, (_, i) => T0 + i * 1000);
    const t = tableData(csvOfRange([times, times.map((_, i) => i)], ['v'], T0, T0 + 49_000));
    assert.equal(t?.rows.length, TABLE_ROWS);
    assert.equal(t?.rows[0]?.values[0], 49);
    assert.equal(t?.rows.at(-1)?.values[0], 50 - TABLE_ROWS);
  });

  it('has nothing before the first draw, and no rows for a header-only CSV', () => {
    assert.equal(tableData(null), null);
    assert.deepEqual(tableData(csvOfRange([[]], ['v'], 0, 1))?.rows, []);
  });

  it('summarises the chart and its newest values in words', () => {
    assert.equal(chartSummary('http.latency', 0), 'Chart: http.latency. No points yet. Press Table for the values over time.');
    assert.match(chartSummary('http.latency', 1), /1 point\./);
    assert.match(chartSummary('http.latency', 42), /42 points\./);
    const t = tableData(csvOfRange([[T0, T0 + 1000], [1, 2], [3, null]], ['a', 'b'], T0, T0 + 1000));
    assert.ok(t);
    assert.equal(latestText(t, (v) => (v == null ? '–' : `${v} ms`)), 'a 2 ms, b –');
  });
});
