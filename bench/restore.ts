// Figure (issue 19, item 6): a reload's history restore. 10k series, 60 raw points each, as the raw
// log a previous session left; Pulse reads the file and restores it in chunks (restoreInChunks, the
// pause being a turn of the event loop, as the extension does) against reading the same file alone.
// Also the longest stretch between two pauses: a long task in the extension host.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt, iqr } from './lib/report';
import { gc, interleaved, median, nowMs } from './lib/stats';
import type { Sample } from '../src/core/model';
import { DEFAULT_STORE_OPTIONS, MetricStore } from '../src/core/series/store';
import { RawLogWriter } from '../src/core/persist/rawLog';
import { restoreInChunks } from '../src/core/persist/restore';

const SOURCES = 10;
const PER_SOURCE = 1000;
const POINTS = 60;
const OPTIONS = { ...DEFAULT_STORE_OPTIONS, maxSeriesPerSource: PER_SOURCE };

function savedLog(now: number): Uint8Array {
  const store = new MetricStore(OPTIONS);
  for (let p = 0; p < POINTS; p++) {
    const at = now - (POINTS - p) * 10_000;
    for (let s = 0; s < SOURCES; s++) {
      const samples: Sample[] = [];
      for (let i = 0; i < PER_SOURCE; i++) samples.push({ name: `metric.${i}`, labels: [['route', `/r${i % 50}`]], value: Math.sin(p / 7 + i) * 100 + i, kind: 'gauge', unit: 'none' });
      store.ingest(`source-${s}`, samples, at);
    }
  }
  return new RawLogWriter().delta(store).bytes;
}

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-restore-'));
  try {
    const now = Date.now();
    const file = join(dir, 'history-raw.bin');
    const bytes = savedLog(now);
    await writeFile(file, bytes);
    const longest: number[] = [];
    let restored = 0;
    const result = await interleaved({
      rounds: ctx.quick ? 5 : 11,
      warmup: 1,
      a: async () => {
        gc();
        const store = new MetricStore(OPTIONS);
        let last = nowMs();
        let worst = 0;
        const pause = () =>
          new Promise<void>((resolve) =>
            setImmediate(() => {
              resolve();
              last = nowMs();
            }),
          );
        const start = nowMs();
        const raw = new Uint8Array(await readFile(file));
        last = nowMs();
        const r = await restoreInChunks(store, undefined, raw, now, () => {
          worst = Math.max(worst, nowMs() - last);
          return pause();
        });
        const ms = nowMs() - start;
        worst = Math.max(worst, nowMs() - last);
        longest.push(worst);
        restored = r.restoredSeries;
        return ms;
      },
      b: async () => {
        gc();
        const start = nowMs();
        await readFile(file);
        return nowMs() - start;
      },
    });
    const ms = median(result.a);
    return [
      {
        id: 'restore.time',
        figure: `reload: ${fmt(restored, 0)} series (${POINTS} points each, ${fmt(bytes.byteLength / 1048576)} MiB raw log) read and restored in chunks`,
        pulse: `${fmt(ms)} ms`,
        baseline: `${fmt(median(result.b))} ms (read the same file)`,
        ratio: result.ratio.median,
        spread: iqr(result.ratio),
        goal: '≤ 1 s',
        pass: restored === SOURCES * PER_SOURCE && atMost(ms, 1000),
        details: { msPulse: result.a, msRead: result.b, ratios: result.ratios, bytes: bytes.byteLength },
      },
      {
        id: 'restore.longestChunk',
        figure: 'reload: longest stretch of the restore without a turn of the event loop',
        pulse: `${fmt(median(longest))} ms`,
        baseline: '50 ms (a long task)',
        ratio: median(longest) / 50,
        spread: `max ${fmt(Math.max(...longest))} ms`,
        goal: '< 50 ms',
        pass: median(longest) < 50,
        details: { longestMs: longest },
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
