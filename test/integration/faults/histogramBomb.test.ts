// A histogram bomb: one family with 40,000 label groups, each with its own bucket bound (a 1.2 MiB
// scrape). The 5,000-histogram budget holds across the whole scrape and is applied before a family
// is decoded, so the groups past it are never built; what is built is summed in one sweep. No timed
// assertion: the work is checked by what comes out (and sumBuckets' reads in test/unit/core/series/histogram.test.ts).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../../src/core/decode/decode';
import { Pipeline } from '../../../src/core/pipeline';
import { pipelineOptions, recordingLogger, sourceConfig } from './support';

const MAX_HISTOGRAMS = 5_000;

/** `groups` label groups of histogram `name`, one bucket each with a bound of its own. */
function bomb(name: string, groups: number, from = 0): string {
  const lines = [`# TYPE ${name} histogram`];
  for (let g = from; g < from + groups; g++) lines.push(`${name}_bucket{g="${g}",le="${g + 0.5}"} 1`);
  return lines.join('\n') + '\n';
}

describe('histogram bomb', () => {
  test('one family of 40k label groups: only the first 5,000 are decoded', () => {
    const text = bomb('bomb_seconds', 40_000);
    assert.ok(text.length > 1.2 * 1024 * 1024, `${text.length} bytes`);
    const r = decodeMessage(text, 'prometheus', { now: Date.now() });
    assert.ok(r.ok);
    const histograms = r.value.histograms ?? [];
    assert.equal(histograms.length, MAX_HISTOGRAMS);
    assert.deepEqual(histograms.at(-1)?.labels, [['g', String(MAX_HISTOGRAMS - 1)]], 'the first groups sent are the ones kept');
  });

  test('the budget is one for the whole scrape, not one per family', () => {
    const text = bomb('first_seconds', 4_000) + bomb('second_seconds', 4_000) + bomb('third_seconds', 4_000) + 'after_gauge 7\n';
    const r = decodeMessage(text, 'prometheus', { now: Date.now() });
    assert.ok(r.ok);
    const byName = new Map<string, number>();
    for (const h of r.value.histograms ?? []) byName.set(h.name, (byName.get(h.name) ?? 0) + 1);
    assert.deepEqual([...byName], [
      ['first_seconds', 4_000],
      ['second_seconds', 1_000],
    ]);
    assert.ok(r.value.samples.some((s) => s.name === 'after_gauge' && s.value === 7), 'other families are still read');
  });

  test('through the pipeline, scrape after scrape: decoded, and the store stays within its cap', () => {
    const { log } = recordingLogger();
    const pipeline = new Pipeline(pipelineOptions(), log);
    pipeline.setSources([sourceConfig('bomb', 'http://127.0.0.1:9/metrics', 'prometheus', { format: 'prometheus' })]);
    const t0 = Date.now();
    for (let i = 0; i < 2; i++) pipeline.handle('bomb', bomb('bomb_seconds', 40_000, i), t0 + i * 1000);
    const rt = pipeline.source('bomb');
    assert.equal(rt?.decodeErrors, 0);
    const series = pipeline.store.bySource('bomb');
    assert.ok(series.some((s) => s.name === 'bomb_seconds_count'), 'the histograms were ingested');
    assert.ok(series.length <= pipelineOptions().store.maxSeriesPerSource, `${series.length} series`);
    pipeline.dispose();
  });
});
