// Two windows (two processes, as VS Code runs each window's extension host) save into one workspace
// storage folder at once, each compacting the shared raw log at nearly every save; a load afterwards
// must restore every point of both windows, value for value.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pipeline } from '../../../src/core/pipeline';
import { HistoryStorage } from '../../../src/host/storage/historyStorage';
import { pipelineOptions, recordingLogger } from './support';
import { WINDOW_PREFILL, WINDOW_SERIES, memoryState, rawTruth } from './storageWindow';
import type { RawTruth } from './storageWindow';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const ROUNDS = 30;

interface Child {
  readonly proc: ChildProcess;
  readonly ready: Promise<void>;
  readonly done: Promise<{ code: number | null; out: string; err: string }>;
}

function startWindow(folder: string, source: string, truth: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'storageWindow.ts'), folder, source, String(ROUNDS), 'growth=1', `truth=${truth}`, 'go'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let ready: () => void = () => undefined;
  const readyP = new Promise<void>((resolve) => (ready = resolve));
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    if (out.includes('PULSE_WINDOW_READY')) ready();
  });
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => proc.once('exit', (code) => resolve({ code, out, err })));
  return { proc, ready: Promise.race([readyP, done.then(() => undefined)]), done };
}

describe('two windows compacting one raw log at once', () => {
  let dir: string;
  const children: Child[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-compaction-race-'));
  });
  after(async () => {
    for (const c of children) {
      if (c.proc.pid !== undefined && c.proc.exitCode === null && c.proc.signalCode === null) {
        process.kill(c.proc.pid, 'SIGKILL');
        await c.done;
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  test('every point of both windows survives, whichever compaction renames last', async (t) => {
    const folder = join(dir, 'workspace-storage');
    const sources = ['window-a', 'window-b'];
    for (const s of sources) children.push(startWindow(folder, s, join(dir, `${s}.truth.json`)));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.proc.stdin?.end('go\n');
    const results = await Promise.all(children.map((c) => c.done));
    for (const [i, r] of results.entries()) {
      assert.equal(r.code, 0, `${sources[i]} exited: ${r.err}`);
      const report = /PULSE_WINDOW_DONE (\{.*\})/.exec(r.out)?.[1];
      assert.ok(report, `${sources[i]} reported: ${r.out} ${r.err}`);
      const parsed = JSON.parse(report) as { saves: number; errors: string[] };
      assert.equal(parsed.saves, ROUNDS);
      assert.deepEqual(parsed.errors, [], `${sources[i]} saved without errors`);
    }

    const { log } = recordingLogger();
    const pipeline = new Pipeline(pipelineOptions(), log);
    const storage = new HistoryStorage({ state: memoryState(), folder, pipeline, log });
    const problems = await storage.load();
    storage.dispose();
    assert.deepEqual(problems, []);
    let points = 0;
    for (const s of sources) {
      const truth = JSON.parse(await readFile(join(dir, `${s}.truth.json`), 'utf8')) as RawTruth;
      const ids = Object.keys(truth);
      assert.equal(ids.length, WINDOW_SERIES);
      for (const id of ids) assert.equal(truth[id]?.t.length, WINDOW_PREFILL + ROUNDS, `${id} holds every point in its window`);
      const restored = rawTruth(pipeline, s);
      const lost = ids.filter((id) => JSON.stringify(restored[id]) !== JSON.stringify(truth[id]));
      assert.deepEqual(
        lost.map((id) => `${id}: ${restored[id]?.t.length ?? 0} of ${truth[id]?.t.length ?? 0} points`),
        [],
        `every point of ${s} restored, value for value`,
      );
      points += ids.reduce((n, id) => n + (truth[id]?.t.length ?? 0), 0);
    }
    const left = (await readdir(folder)).filter((f) => /\.(tmp|stale|lock)$/.test(f));
    assert.deepEqual(left, [], 'no temporary or lock files left behind');
    t.diagnostic(`${points} points of two windows checked`);
  });
});
