// Figure 5: what saving history costs. HistoryStorage (the host's saver: compact tier to workspace
// state, raw tier appended to a log file, compacted now and then) while 100 series × 10 Hz flow for
// an hour of synthetic time, saving every 5 s as the host's debounce timer does (saveIfDirty; a
// flush is only for deactivate and clear): bytes written per hour (appends, compactions, workspace
// state — counted as the whole object, which VS Code rewrites on every update) against the raw bytes
// of the hour's samples, save and restore times, and the workspace-state size against its cap.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../src/core/model';
import { HistoryStorage, RAW_FILE, SAVE_INTERVAL_MS } from '../src/host/storage/historyStorage';
import { FakeMemento } from '../test/helpers/fakeVscode';
import type { BenchContext, FigureRow } from './lib/report';
import { atMost, fmt } from './lib/report';
import { gc, median, nowMs, spread } from './lib/stats';
import { newPipeline, silentLogger } from './ingest';
import { seriesShapes } from './lib/shapes';

const STATE_CAP_BYTES = 256 * 1024;

export async function run(ctx: BenchContext): Promise<FigureRow[]> {
  const seriesCount = 100;
  const minutes = ctx.quick ? 20 : 60;
  const steps = minutes * 600;
  const stepsPerSave = SAVE_INTERVAL_MS / 100;
  const shapes = seriesShapes(seriesCount);
  const pipeline = newPipeline(['bench']);
  const t0 = Date.UTC(2025, 10, 23, 9);
  let now = t0;
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-persist-'));
  try {
    const state = new FakeMemento();
    const storage = new HistoryStorage({ state, folder: dir, pipeline, log: silentLogger, now: () => now });
    const appendMs: number[] = [];
    const compactMs: number[] = [];
    const appendBytes: number[] = [];
    let appended = 0;
    let rewritten = 0;
    let stateChars = 0;
    let stateWritten = 0;
    let stateUpdates = 0;
    let maxFileBytes = 0;
    for (let step = 0; step < steps; step++) {
      now = t0 + step * 100;
      const samples: Sample[] = shapes.map((s, i) => ({ name: s.name, labels: s.labels, kind: s.kind, unit: 'count', value: s.kind === 'counter' ? step * (i + 1) : 1000 + 100 * Math.sin(step / 50 + i) }));
      pipeline.store.ingest('bench', samples, now);
      if ((step + 1) % stepsPerSave !== 0) continue;
      const updatesBefore = state.updates;
      const start = nowMs();
      storage.markDirty();
      await storage.saveIfDirty();
      const ms = nowMs() - start;
      const w = storage.lastWrite;
      appended += w.raw;
      rewritten += w.rewritten;
      stateChars += w.compact;
      if (state.updates > updatesBefore) {
        stateUpdates++;
        stateWritten += state.bytes();
      }
      if (w.rewritten > 0) compactMs.push(ms);
      else {
        appendMs.push(ms);
        appendBytes.push(w.raw);
      }
      maxFileBytes = Math.max(maxFileBytes, (await stat(join(dir, RAW_FILE))).size);
    }
    storage.dispose();
    const samplesIngested = steps * seriesCount;
    const fileBytes = (await stat(join(dir, RAW_FILE))).size;
    const stateBytes = state.bytes();

    const restoreMs: number[] = [];
    let restored = 0;
    for (let i = 0; i < (ctx.quick ? 5 : 9); i++) {
      const fresh = newPipeline(['bench']);
      const loader = new HistoryStorage({ state, folder: dir, pipeline: fresh, log: silentLogger, now: () => now });
      gc();
      const start = nowMs();
      const problems = await loader.load();
      restoreMs.push(nowMs() - start);
      if (problems.length > 0) throw new Error(`restore reported problems: ${problems.join('; ')}`);
      restored = fresh.store.sampleCount();
    }

    const rawSampleBytes = samplesIngested * 16;
    const perSave = median(appendBytes);
    const scale = 60 / minutes;
    const fileHour = (appended + rewritten) * scale;
    const stateHour = stateWritten * scale;
    const totalHour = fileHour + stateHour;
    const saveSpread = spread(appendMs);
    return [
      {
        id: 'persistence.perSave',
        figure: `persistence: bytes appended by one save vs raw bytes of the ${SAVE_INTERVAL_MS / 1000} s of samples it adds (100 series × 10 Hz)`,
        pulse: `${fmt(perSave / 1024)} KiB appended (median of ${appendBytes.length} saves)`,
        baseline: `${fmt((seriesCount * stepsPerSave * 16) / 1024)} KiB (16 B/sample)`,
        ratio: perSave / (seriesCount * stepsPerSave * 16),
        spread: 'n/a (deterministic)',
        goal: 'info',
        pass: null,
        details: { samplesIngested, restoredRawSamples: restored, fileBytes, maxFileBytes },
      },
      {
        id: 'persistence.perHour',
        figure: `persistence: bytes written per hour of history (raw-log appends + compactions + workspace state, a save every ${SAVE_INTERVAL_MS / 1000} s) vs the hour's samples`,
        pulse: `${fmt(totalHour / 1048576)} MiB/h (appends ${fmt((appended * scale) / 1048576)} + ${compactMs.length}× compaction ${fmt((rewritten * scale) / 1048576)} + state ${fmt(stateHour / 1048576)} in ${stateUpdates} updates)`,
        baseline: `${fmt((rawSampleBytes * scale) / 1048576)} MiB/h (16 B/sample)`,
        ratio: totalHour / (rawSampleBytes * scale),
        spread: 'n/a (deterministic)',
        goal: '≤ 1.3×',
        pass: atMost(totalHour / (rawSampleBytes * scale), 1.3),
        details: {
          measuredMinutes: minutes,
          scaleToHour: scale,
          appendRatio: appended / rawSampleBytes,
          compactionRatio: rewritten / rawSampleBytes,
          fileRatio: (appended + rewritten) / rawSampleBytes,
          stateRatio: stateWritten / rawSampleBytes,
          stateHistoryCharsRatio: stateChars / rawSampleBytes,
          stateUpdates,
          compactions: compactMs.length,
        },
      },
      {
        id: 'persistence.time',
        figure: 'persistence: save (encode + state + append) / compaction / restore time',
        pulse: `save ${fmt(saveSpread.median)} ms, compaction ${fmt(median(compactMs))} ms, restore ${fmt(median(restoreMs))} ms`,
        baseline: '–',
        ratio: null,
        spread: `save IQR ${fmt(saveSpread.q1)}–${fmt(saveSpread.q3)} ms`,
        goal: 'info',
        pass: null,
        details: { saveMs: spread(appendMs), compactMs, restoreMs },
      },
      {
        id: 'persistence.stateCap',
        figure: 'persistence: workspace-state part vs its cap',
        pulse: `${fmt(stateBytes / 1024)} KiB`,
        baseline: `${STATE_CAP_BYTES / 1024} KiB cap`,
        ratio: stateBytes / STATE_CAP_BYTES,
        spread: 'n/a (deterministic)',
        goal: '≤ 1.0×',
        pass: atMost(stateBytes / STATE_CAP_BYTES, 1),
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
