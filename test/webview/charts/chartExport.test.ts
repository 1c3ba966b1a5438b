// A chart's CSV export: only the rows in the visible range, ISO and ms time columns, one column per line,
// names from the network quoted and kept from running as spreadsheet formulas; the offered file name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Aligned } from '../../../webview/charts/chartData';
import { csvField, csvOfRange, exportFileName } from '../../../webview/charts/chartExport';
import { parseWebviewMessage } from '../../../src/shared/requests';

const T0 = Date.UTC(2026, 11, 1, 18, 0, 0);
const data: Aligned = [
  [T0, T0 + 1_000, T0 + 2_000, T0 + 3_000],
  [1, 2.5, null, 4],
  [10, null, 30, 40],
];

describe('chart CSV', () => {
  it('writes the rows inside [min, max] only, with empty cells for missing points', () => {
    const csv = csvOfRange(data, ['GET /a', 'GET /b'], T0 + 1_000, T0 + 2_000);
    assert.equal(csv, [
      'time_iso,time_ms,GET /a,GET /b',
      `${new Date(T0 + 1_000).toISOString()},${T0 + 1_000},2.5,`,
      `${new Date(T0 + 2_000).toISOString()},${T0 + 2_000},,30`,
      '',
    ].join('\r\n'));
  });

  it('writes only the header when nothing is in range', () => {
    assert.equal(csvOfRange(data, ['a', 'b'], T0 + 10_000, T0 + 20_000), 'time_iso,time_ms,a,b\r\n');
  });

  it('quotes separators and quotes, and defuses formula-looking names', () => {
    assert.equal(csvField('path="/a,b"'), '"path=""/a,b"""');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('@cmd'), "'@cmd");
    assert.equal(csvField('-1+2'), "'-1+2");
    assert.equal(csvField('plain'), 'plain');
    const header = csvOfRange(data, ['=1+1', 'a,b'], 0, 0).split('\r\n')[0];
    assert.equal(header, `time_iso,time_ms,'=1+1,"a,b"`);
  });
});

describe('export file name', () => {
  it('keeps letters, digits, dot, dash and underscore, and the host accepts it', () => {
    const name = exportFileName('api:endpoint.requests{path=/api/users,method="GET"}', T0, 'csv');
    assert.equal(name, 'pulse-api-endpoint.requests-path-api-users-method-GET-2026-12-01T18-00-00Z.csv');
    const msg = parseWebviewMessage({ type: 'exportChart', file: { format: 'csv', fileName: name, content: 'x' } });
    assert.equal(msg?.type, 'exportChart');
  });

  it('never leaves a path, a hidden name or an empty slug', () => {
    const name = exportFileName('../../.ssh/id_rsa', T0, 'png');
    assert.match(name, /^pulse-ssh-id_rsa-2026-12-01T18-00-00Z\.png$/);
    assert.equal(exportFileName('///', T0, 'png'), 'pulse-chart-2026-12-01T18-00-00Z.png');
    assert.ok(exportFileName('x'.repeat(500), T0, 'csv').length < 150);
  });
});
