// One "window" of Pulse saving history into a workspace storage folder it shares with another
// window. The two-windows test runs one in-process and this one as a child process, as VS Code runs
// each window's extension host in its own process.
//   node --import tsx storageWindow.ts <folder> <sourceId> <rounds> [growth=<factor>] [truth=<file>] [go]
// growth: the raw log's growth factor (1 compacts at nearly every save); truth: write this window's
// raw tier there as JSON at the end; go: print PULSE_WINDOW_READY and wait for a line on stdin first.
// Prints `PULSE_WINDOW_DONE {"saves":N,"errors":[...]}` and exits.

import { writeFile } from 'node:fs/promises';
import type { Logger } from '../../../src/core/model';
import { Pipeline } from '../../../src/core/pipeline';
import { HistoryStorage } from '../../../src/host/storage/historyStorage';
import type { StateStore } from '../../../src/host/storage/historyStorage';
import { rawPoints } from '../../helpers/rawPoints';
import { pipelineOptions } from './support';

export const WINDOW_SERIES = 150;
export const WINDOW_PREFILL = 400;
/** Time left between the prefill and now for the rounds, 150 ms each. */
const ROUND_ROOM_MS = 60_000;

/** A Memento-like state store in memory, JSON-cloned as VS Code stores it. */
export function memoryState(map = new Map<string, string>()): StateStore & { readonly map: Map<string, string> } {
  return {
    map,
    get: (key) => {
      const text = map.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    update: (key, value) => {
      if (value === undefined) map.delete(key);
      else map.set(key, JSON.stringify(value));
      return Promise.resolve();
    },
  };
}

/** A pipeline holding WINDOW_SERIES gauges of `sourceId` with WINDOW_PREFILL points each, and its storage. */
export function storageWindow(folder: string, sourceId: string, errors: string[], rawGrowthFactor?: number): { pipeline: Pipeline; storage: HistoryStorage; addRound(round: number): void } {
  const log: Logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => errors.push(m),
    error: (m) => errors.push(m),
  };
  const pipeline = new Pipeline(pipelineOptions(), log);
  const storage = new HistoryStorage({ state: memoryState(), folder, pipeline, log, ...(rawGrowthFactor === undefined ? {} : { rawGrowthFactor }) });
  // Room for ROUND_ROOM_MS / 150 rounds before `last + 150` would reach the present: a round later than
  // that would be stamped with the clock, and two quick rounds would then share one 100 ms slot.
  const start = Date.now() - (WINDOW_PREFILL + 1) * 1000 - ROUND_ROOM_MS;
  let last = start;
  const addAt = (at: number, value: number): void => {
    const samples = [];
    for (let i = 0; i < WINDOW_SERIES; i++) samples.push({ name: `${sourceId}.series${i}`, labels: [], value: value + i, kind: 'gauge' as const, unit: 'count' as const });
    pipeline.store.ingest(sourceId, samples, at);
    last = at;
  };
  for (let p = 0; p < WINDOW_PREFILL; p++) addAt(start + p * 1000, p);
  return {
    pipeline,
    storage,
    // One more point per series, 150 ms after the previous one (past the 100 ms slot) and never in the future.
    addRound: (round) => addAt(Math.min(Date.now() - 1, last + 150), 1_000_000 + round),
  };
}

/** Each series' raw points by id: what a window holds, to compare with what a load restores. */
export type RawTruth = Record<string, { t: number[]; v: number[] }>;

export function rawTruth(pipeline: Pipeline, sourceId: string): RawTruth {
  const out: RawTruth = {};
  for (const info of pipeline.store.bySource(sourceId)) out[info.id] = rawPoints(pipeline.store, info.id);
  return out;
}

async function main(): Promise<void> {
  const [folder, sourceId, roundsText, ...flags] = process.argv.slice(2);
  if (!folder || !sourceId) throw new Error('usage: storageWindow.ts <folder> <sourceId> <rounds> [growth=<factor>] [truth=<file>] [go]');
  const rounds = Number(roundsText ?? '20');
  const flag = (name: string): string | undefined => flags.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
  const growth = flag('growth');
  const truth = flag('truth');
  const errors: string[] = [];
  const w = storageWindow(folder, sourceId, errors, growth === undefined ? undefined : Number(growth));
  if (flags.includes('go')) {
    process.stdout.write('PULSE_WINDOW_READY\n');
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    process.stdin.pause();
  }
  let saves = 0;
  for (let r = 0; r < rounds; r++) {
    w.addRound(r);
    await w.storage.flush();
    saves++;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
  }
  if (truth !== undefined) await writeFile(truth, JSON.stringify(rawTruth(w.pipeline, sourceId)));
  process.stdout.write(`PULSE_WINDOW_DONE ${JSON.stringify({ saves, errors })}\n`);
}

if (process.argv[1] && /storageWindow\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
