// Figure 5: what saving history costs. HistoryStorage (the host's saver: compact tier to workspace
// state, raw tier to a file) over a store holding an hour of 100 series at 10 Hz: bytes per save,
// bytes written per hour at the save cadence, save and restore times, and the workspace-state size
// against its cap.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../src/core/model';
import { HistoryStorage, SAVE_INTERVAL_MS } from '../src/host/historyStorage';
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
  const shapes = seriesShapes(seriesCount);
  const pipeline = newPipeline(['bench']);
  const t0 = Date.UTC(2025, 10, 23, 9);
  for (let step = 0; step < steps; step++) {
    const samples: Sample[] = shapes.map((s, i) => ({ name: s.name, labels: s.labels, kind: s.kind, unit: 'count', value: s.kind === 'counter' ? step * (i + 1) : 1000 + 100 * Math.sin(step / 50 + i) }));
    pipeline.store.ingest('bench', samples, t0 + step * 100);
  }
  const now = t0 + steps * 100;
  const samplesIngested = steps * seriesCount;
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-persist-'));
  try {
    const state = new FakeMemento();
    const storage = new HistoryStorage({ state, folder: dir, pipeline, log: silentLogger, now: () => now });
    const saveMs: number[] = [];
    for (let i = 0; i < (ctx.quick ? 5 : 9); i++) {
      gc();
      const start = nowMs();
      await storage.flush();
      saveMs.push(nowMs() - start);
    }
    const written = storage.lastWrite;
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

    const perSave = written.compact + written.raw;
    const hourSamples = seriesCount * 36_000;
    const rawHourBytes = hourSamples * 16;
    const savesPerHour = 3_600_000 / SAVE_INTERVAL_MS;
    const scale = 60 / minutes;
    const saveSpread = spread(saveMs);
    return [
      {
        id: 'persistence.perSave',
        figure: `persistence: bytes of one save vs raw bytes of the ${minutes} min it holds (100 series × 10 Hz)`,
        pulse: `${fmt(perSave / 1048576)} MiB (state ${fmt(written.compact / 1024)} KiB + file ${fmt(written.raw / 1048576)} MiB)`,
        baseline: `${fmt((samplesIngested * 16) / 1048576)} MiB (16 B/sample)`,
        ratio: perSave / (samplesIngested * 16),
        spread: 'n/a (deterministic)',
        goal: 'info',
        pass: null,
        details: { ...written, samplesIngested, restoredRawSamples: restored },
      },
      {
        id: 'persistence.perHour',
        figure: `persistence: bytes written per hour (a save every ${SAVE_INTERVAL_MS / 1000} s while data flows) vs the hour's samples`,
        pulse: `${fmt((perSave * savesPerHour) / 1073741824)} GiB/h`,
        baseline: `${fmt(rawHourBytes / 1048576)} MiB/h (16 B/sample)`,
        ratio: (perSave * savesPerHour) / rawHourBytes,
        spread: 'n/a (deterministic)',
        goal: 'info',
        pass: null,
        details: { savesPerHour, scaleFromMeasuredWindow: scale },
      },
      {
        id: 'persistence.time',
        figure: 'persistence: save (encode + state + file) / restore time',
        pulse: `save ${fmt(saveSpread.median)} ms, restore ${fmt(median(restoreMs))} ms`,
        baseline: '–',
        ratio: null,
        spread: `save IQR ${fmt(saveSpread.q1)}–${fmt(saveSpread.q3)} ms`,
        goal: 'info',
        pass: null,
        details: { saveMs, restoreMs },
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
