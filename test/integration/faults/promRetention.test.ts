// Label churn on a Prometheus source: every scrape (half a MiB) adds new series. What the store keeps
// of each new series must be its own few KiB, not the scrape text it was sliced from (V8 keeps a
// sliced string's whole parent alive). Measured in a child process run with --expose-gc.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');

describe('Prometheus label churn', () => {
  test('heap retained per new series stays under 10 KiB, however large the scrapes are', async (t) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', join(HERE, 'promRetention.ts'), '40', '512'], { cwd: ROOT });
    const report = /PULSE_RETENTION (\{.*\})/.exec(stdout)?.[1];
    assert.ok(report, stdout);
    const r = JSON.parse(report) as { series: number; bytesPerSeries: number; scrapeBytes: number };
    assert.equal(r.series, 40 * 6, 'each scrape added a counter and a histogram group (3 quantiles, count, sum)');
    assert.ok(r.scrapeBytes > 512 * 1024);
    t.diagnostic(`${r.bytesPerSeries} bytes retained per new series (scrapes of ${r.scrapeBytes} bytes)`);
    assert.ok(r.bytesPerSeries < 10 * 1024, `${r.bytesPerSeries} bytes retained per new series`);
  });
});
