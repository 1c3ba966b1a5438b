// A full disk under the workspace storage folder: every write-then-rename fails after its temporary
// file was created (as ENOSPC does), many saves in a row. No temporary file may be left behind; those
// a dead window left are removed on the next load, those of a live window writing right now are not.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fsp from 'node:fs/promises';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { DECISIONS_FILE, RAW_FILE } from '../../../src/host/storage/historyStorage';
import { tempFolder } from '../../helpers/tempFolder';
import { storageWindow } from './storageWindow';
import { killChild } from './support';

type WriteFile = typeof fsp.writeFile;

/** Until the returned function is called, writing a `.tmp` file creates it, writes part of it and fails with ENOSPC. */
function fillDisk(): () => void {
  const real: WriteFile = fsp.writeFile;
  const full: WriteFile = async (file, data, options) => {
    if (typeof file !== 'string' || !file.endsWith('.tmp')) return real(file, data, options);
    await real(file, 'partial');
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  };
  fsp.writeFile = full;
  syncBuiltinESMExports();
  return () => {
    fsp.writeFile = real;
    syncBuiltinESMExports();
  };
}

const temps = async (folder: string): Promise<string[]> => (await readdir(folder)).filter((f) => f.endsWith('.tmp') || f.endsWith('.stale'));

describe('disk full', () => {
  let sleeper: ChildProcess | undefined;
  const dir = tempFolder('pulse-disk-full-', { beforeRemove: () => killChild(sleeper) });

  test('150 saves on a full disk leave no temporary file; the last good decisions stay; saving works once space is back', async () => {
    const folder = join(dir, 'full');
    const errors: string[] = [];
    const w = storageWindow(folder, 'disk', errors);
    w.pipeline.setThresholdSettings([{ id: 'conn', metric: 'disk.series0', warning: 10, critical: 1000, for: 0 }], false);
    assert.equal(w.pipeline.setOverride('conn', { warning: 11 }), undefined);
    await w.storage.saveDecisions();
    await w.storage.flush();
    assert.deepEqual(errors, []);
    const good = await readFile(join(folder, DECISIONS_FILE), 'utf8');

    const restore = fillDisk();
    try {
      for (let i = 0; i < 150; i++) {
        assert.equal(w.pipeline.setOverride('conn', { warning: 12 + i }), undefined);
        await w.storage.saveDecisions();
        // Every tenth save also rewrites the raw log (a compaction writes it through a temporary file too).
        if (i % 10 === 0) await w.storage.clear();
      }
    } finally {
      restore();
    }
    assert.ok(errors.filter((e) => /ENOSPC/.test(e)).length >= 150, `the failures were logged (${errors.length})`);
    assert.deepEqual(await temps(folder), [], 'no temporary file left behind');
    assert.equal(await readFile(join(folder, DECISIONS_FILE), 'utf8'), good, 'the last good decisions file is intact');

    await w.storage.saveDecisions();
    const saved = JSON.parse(await readFile(join(folder, DECISIONS_FILE), 'utf8')) as { overrides: unknown };
    assert.deepEqual(saved.overrides, { conn: { warning: 161 } });
    assert.deepEqual(await temps(folder), []);
  });

  test('on load, temporary files of a dead window (or years old) are removed; a live window’s fresh ones and other files are kept', async () => {
    const folder = join(dir, 'left-over');
    await mkdir(folder, { recursive: true });
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const deadPid = dead.pid ?? 0;
    await new Promise<void>((resolve) => dead.once('exit', () => resolve()));
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const livePid = sleeper.pid ?? 0;
    assert.ok(deadPid > 0 && livePid > 0);

    const stale = [`${DECISIONS_FILE}.${deadPid}.3.tmp`, `${RAW_FILE}.${deadPid}.7.tmp`, `${RAW_FILE}.${deadPid}.tmp`, `${RAW_FILE}.lock.${deadPid}.1.stale`, `${DECISIONS_FILE}.${livePid}.1.tmp`];
    const kept = [`${DECISIONS_FILE}.${livePid}.2.tmp`, `${RAW_FILE}.${process.pid}.9.tmp`, `notes.${deadPid}.1.tmp`, `${DECISIONS_FILE}.tmp`];
    for (const name of [...stale, ...kept]) await writeFile(join(folder, name), 'x');
    // The live window's first file is an hour old: no write takes that long.
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(folder, `${DECISIONS_FILE}.${livePid}.1.tmp`), hourAgo, hourAgo);

    const errors: string[] = [];
    const w = storageWindow(folder, 'reload', errors);
    const problems = await w.storage.load();
    w.storage.dispose();
    assert.deepEqual(problems, []);
    assert.deepEqual((await readdir(folder)).sort(), [...kept].sort());
  });
});
