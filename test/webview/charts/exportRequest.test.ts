// The exportChart request: bounded and checked where the host receives it (name, size, PNG alphabet), and
// its handler hands the decoded bytes to the host's save verb.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXPORT_CSV, MAX_EXPORT_PNG, parseWebviewMessage, PNG_DATA_URL } from '../../../src/shared/requests';
import type { WebviewMessage } from '../../../src/shared/requests';
import type { PanelHost, RequestContext } from '../../../src/host/panel/handlers';
import { panelHandlers } from '../../../src/host/panel/handlers';

const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const png = (content: string, fileName = 'chart.png') => ({ type: 'exportChart', file: { format: 'png', fileName, content } });
const csv = (content: string, fileName = 'chart.csv') => ({ type: 'exportChart', file: { format: 'csv', fileName, content } });

describe('exportChart request', () => {
  it('accepts a CSV and a PNG data URL with plain names', () => {
    assert.ok(parseWebviewMessage(csv('time_iso,time_ms\r\n')));
    assert.ok(parseWebviewMessage(png(PNG_DATA_URL + PNG_BYTES.toString('base64'))));
    assert.ok(parseWebviewMessage(csv('x'.repeat(MAX_EXPORT_CSV))));
  });

  it('refuses paths, wrong extensions, oversize content and anything but a base64 PNG', () => {
    const refused: unknown[] = [
      csv('x', '../evil.csv'),
      csv('x', '/etc/passwd.csv'),
      csv('x', '.bashrc.csv'),
      csv('x', 'a\\b.csv'),
      csv('x', 'chart.png'),
      csv('x', 'chart.csv.exe'),
      csv('x'.repeat(MAX_EXPORT_CSV + 1)),
      png('data:image/svg+xml;base64,PHN2Zz4='),
      png(`${PNG_DATA_URL}not base64!`),
      png(`${PNG_DATA_URL}${'A'.repeat(MAX_EXPORT_PNG)}`),
      png(PNG_DATA_URL + PNG_BYTES.toString('base64'), 'chart.csv'),
      { type: 'exportChart', file: { format: 'pdf', fileName: 'a.pdf', content: 'x' } },
      { type: 'exportChart', file: { format: 'csv', fileName: 'a.csv', content: 'x', path: '/tmp/a.csv' } },
      { type: 'exportChart', file: { format: 'csv', fileName: 'a.csv', content: 42 } },
      { type: 'exportChart', file: 'a.csv' },
    ];
    for (const m of refused) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m).slice(0, 120));
  });

  it('hands the decoded bytes and the name to the host', async () => {
    const saved: { name: string; bytes: Uint8Array }[] = [];
    const host = { saveFile: async (name: string, bytes: Uint8Array) => void saved.push({ name, bytes }) } as unknown as PanelHost;
    const handlers = panelHandlers(host);
    const ctx: RequestContext = { reply: () => assert.fail('no reply expected'), refuse: () => assert.fail('not refused') };
    for (const raw of [png(PNG_DATA_URL + PNG_BYTES.toString('base64')), csv('t,ü\r\n')]) {
      const m = parseWebviewMessage(raw) as WebviewMessage<'exportChart'>;
      handlers.exportChart(m, ctx);
    }
    await Promise.resolve();
    assert.equal(saved[0]?.name, 'chart.png');
    assert.deepEqual(Buffer.from(saved[0]?.bytes ?? []), PNG_BYTES);
    assert.equal(saved[1]?.name, 'chart.csv');
    assert.equal(Buffer.from(saved[1]?.bytes ?? []).toString('utf8'), 't,ü\r\n');
  });
});
