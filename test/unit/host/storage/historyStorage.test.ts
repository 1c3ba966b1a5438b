import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, Sample } from '../../../../src/core/model';
import { Pipeline } from '../../../../src/core/pipeline';
import type { MetricStore, StoreOptions } from '../../../../src/core/series/store';
import { acquireLock } from '../../../../src/host/storage/fileLock';
import { HistoryStorage, KEYS, RAW_FILE, RAW_LOCK_FILE } from '../../../../src/host/storage/historyStorage';
import type { StateStore } from '../../../../src/host/storage/historyStorage';
import { rawPoints } from '../../../helpers/rawPoints';
import { tempFolder } from '../../../helpers/tempFolder';

const T0 = 1_700_000_000_000;
const OPTS: StoreOptions = { rawWindowMs: 15 * 60_000, bucketMs: 10_000, downsampledWindowMs: 24 * 3_600_000, maxSeriesPerSource: 1000 };

class MemoryState implements StateStore {
  readonly map = new Map<string, string>();
  updates = 0;
  get(key: string): unknown {
    const text = this.map.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }
  update(key: string, value: unknown): Promise<void> {
    this.updates++;
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

function logger(warnings: string[] = []): Logger {
  return { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(`error: ${m}`) };
}

interface Window {
  readonly pipeline: Pipeline;
  readonly storage: HistoryStorage;
  readonly state: MemoryState;
  readonly clock: { t: number };
  readonly warnings: string[];
  /** Samples every series every `stepMs` for `ms`. */
  run(ms: number, stepMs?: number): void;
  /** Samples every series every 100 ms for `ms`, then saves. */
  save(ms: number): Promise<void>;
}

function samplesAt(source: string, series: number, t: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < series; i++) {
    out.push(
      i % 2 === 0
        ? { name: `${source}.gauge${i}`, labels: [['i', String(i)]], value: Math.sin(t / 10_000 + i) * 100, kind: 'gauge', unit: 'ms', role: 'latency' }
        : { name: `${source}.count${i}`, labels: [], value: Math.floor((t - T0) / 100) * i, kind: 'counter', unit: 'count' },
    );
  }
  return out;
}

function openWindow(folder: string, source: string, series: number, options: { state?: MemoryState; clock?: { t: number }; store?: StoreOptions } = {}): Window {
  const warnings: string[] = [];
  const pipeline = new Pipeline({ store: options.store ?? OPTS, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, logger(warnings));
  const clock = options.clock ?? { t: T0 };
  const state = options.state ?? new MemoryState();
  const storage = new HistoryStorage({ state, folder, pipeline, log: logger(warnings), now: () => clock.t });
  const run = (ms: number, stepMs = 100): void => {
    const end = clock.t + ms;
    while (clock.t < end) {
      clock.t += stepMs;
      pipeline.store.ingest(source, samplesAt(source, series, clock.t), clock.t);
    }
  };
  return {
    pipeline,
    storage,
    state,
    clock,
    warnings,
    run,
    save: async (ms) => {
      run(ms);
      await storage.flush();
    },
  };
}

/** Every series' info (but `restored`) and raw tier. */
function rawTier(store: MetricStore, source?: string): unknown {
  return store
    .list()
    .filter((s) => source === undefined || s.sourceId === source)
    .map((s) => {
      const { restored: _restored, ...info } = s;
      return { info, ...rawPoints(store, s.id) };
    })
    .sort((a, b) => (a.info.id < b.info.id ? -1 : 1));
}

async function reload(folder: string, at: number, state = new MemoryState(), store = OPTS): Promise<{ store: MetricStore; problems: string[] }> {
  const w = openWindow(folder, 'reader', 0, { state, clock: { t: at }, store });
  const problems = await w.storage.load();
  w.storage.dispose();
  return { store: w.pipeline.store, problems };
}

/** Samples `w` for `ms` more and saves: the save rewrites the raw log, and a reload restores it whole, reporting nothing. */
async function assertRewrittenWhole(folder: string, w: Window, ms: number, message?: string): Promise<void> {
  await w.save(ms);
  assert.ok(w.storage.lastWrite.rewritten > 0, message);
  const again = await reload(folder, w.clock.t);
  assert.deepEqual(again.problems, []);
  assert.deepEqual(rawTier(again.store), rawTier(w.pipeline.store));
}

describe('HistoryStorage: append-only raw log', () => {
  const folder = tempFolder('pulse-history-', { each: true });
  const file = (): string => join(folder, RAW_FILE);

  it('appends only the new samples at each save; a reload restores the store exactly', async () => {
    const w = openWindow(folder, 'dev', 6);
    await w.save(60_000);
    const first = w.storage.lastWrite;
    // Packed (version 3): the minute's 3,600 samples take a few bytes each, never more than 16.
    assert.ok(first.raw > 6 * 600 * 2 && first.raw < 6 * 600 * 16, `first save holds the minute: ${first.raw}`);
    let total = first.raw;
    for (let i = 0; i < 4; i++) {
      await w.save(5_000);
      const { raw, rewritten } = w.storage.lastWrite;
      assert.equal(rewritten, 0, 'no compaction');
      // 6 series × 50 new samples (a twelfth of the first minute), plus ids and segment framing; nothing of the older minute.
      assert.ok(raw >= first.raw / 12 / 2 && raw < first.raw / 12 + 1200, `save ${i}: ${raw} bytes appended`);
      total += raw;
    }
    assert.equal((await stat(file())).size, total, 'the file is the sum of the appends');
    const { store, problems } = await reload(folder, w.clock.t, w.state);
    assert.deepEqual(problems, []);
    assert.deepEqual(rawTier(store), rawTier(w.pipeline.store));
    assert.equal(store.sampleCount(), w.pipeline.store.sampleCount());
  });

  it('a second save with nothing new writes nothing, to the file or the workspace state', async () => {
    const w = openWindow(folder, 'dev', 3);
    await w.save(10_000);
    const updates = w.state.updates;
    const size = (await stat(file())).size;
    await w.storage.flush();
    assert.deepEqual(w.storage.lastWrite, { compact: 0, raw: 0, rewritten: 0 });
    assert.equal(w.state.updates, updates);
    assert.equal((await stat(file())).size, size);
  });

  it('a torn last segment: everything before it is restored and the tear is reported', async () => {
    const w = openWindow(folder, 'dev', 4);
    await w.save(30_000);
    await w.save(5_000);
    const expected = rawTier(w.pipeline.store);
    await w.save(5_000);
    const last = w.storage.lastWrite.raw;
    await truncate(file(), (await stat(file())).size - Math.floor(last / 2));
    const { store, problems } = await reload(folder, w.clock.t);
    assert.equal(problems.length, 1, problems.join(' / '));
    assert.match(problems[0] ?? '', /raw history ends with a truncated segment/);
    const restored = rawTier(store) as Array<{ t: number[] }>;
    const before = expected as Array<{ t: number[] }>;
    assert.deepEqual(
      restored.map((s) => s.t),
      before.map((s) => s.t),
    );
  });

  it('after a crash left a torn segment, the next window appends after it and both stretches restore', async () => {
    const w = openWindow(folder, 'dev', 4);
    await w.save(20_000);
    await w.save(5_000);
    const torn = (await stat(file())).size - 100;
    await truncate(file(), torn);
    // A new session loads (reporting the tear), keeps sampling and saves: the log is rewritten whole.
    const next = openWindow(folder, 'dev', 4, { clock: { t: w.clock.t } });
    const problems = await next.storage.load();
    assert.ok(problems.some((p) => /truncated segment/.test(p)), problems.join(' / '));
    await assertRewrittenWhole(folder, next, 5_000, 'compacted after damage');
  });

  it('garbage appended to the log is reported and skipped; the next save compacts it away', async () => {
    const w = openWindow(folder, 'dev', 3);
    await w.save(20_000);
    await appendFile(file(), Buffer.from('not a segment at all, just some trailing garbage'));
    const loaded = openWindow(folder, 'dev', 3, { clock: { t: w.clock.t } });
    const problems = await loaded.storage.load();
    assert.equal(problems.length, 1, problems.join(' / '));
    assert.match(problems[0] ?? '', /unreadable bytes at offset/);
    assert.deepEqual(rawTier(loaded.pipeline.store), rawTier(w.pipeline.store));
    await assertRewrittenWhole(folder, loaded, 5_000);
  });

  it('a raw file of the previous version is reported, then rewritten in this one', async () => {
    const old = Buffer.alloc(64);
    old.write('PLSR', 0, 'latin1');
    old.writeUInt16LE(1, 4);
    old.writeUInt32LE(3, 8);
    await writeFile(file(), old);
    const w = openWindow(folder, 'dev', 2);
    const problems = await w.storage.load();
    assert.ok(problems.some((p) => /raw history has version 1, expected 2/.test(p)), problems.join(' / '));
    await assertRewrittenWhole(folder, w, 10_000);
  });

  it('compacts once the log outgrows twice what the raw window needs, keeping the window', async () => {
    const store = { ...OPTS, rawWindowMs: 60_000 };
    // 60 series × 10 Hz × 60 s needed (packed, well under 16 B a sample); 5 minutes of appends is about five times that.
    const w = openWindow(folder, 'dev', 60, { store });
    let appended = 0;
    let compactions = 0;
    let largest = 0;
    let windowBytes = Infinity;
    for (let i = 0; i < 60; i++) {
      await w.save(5_000);
      appended += w.storage.lastWrite.raw;
      if (w.storage.lastWrite.rewritten > 0) {
        compactions++;
        windowBytes = Math.min(windowBytes, w.storage.lastWrite.rewritten);
      }
      largest = Math.max(largest, (await stat(file())).size);
    }
    assert.ok(appended > 4 * windowBytes, `${appended} bytes appended, the window takes ${windowBytes}`);
    assert.ok(compactions >= 1 && compactions <= 4, `${compactions} compactions`);
    assert.ok(largest < 2.6 * windowBytes + 20_000, `the log stayed near 2× the window: ${largest}`);
    const { store: restored, problems } = await reload(folder, w.clock.t, undefined, store);
    assert.deepEqual(problems, []);
    assert.deepEqual(rawTier(restored), rawTier(w.pipeline.store));
  });

  it('two windows appending to one folder alternately: a load restores both, consistently, through compactions', async () => {
    const store = { ...OPTS, rawWindowMs: 60_000 };
    const clock = { t: T0 };
    const a = openWindow(folder, 'a', 8, { clock, store });
    const b = openWindow(folder, 'b', 8, { clock, store });
    // Both also sample one shared series, each at its own instants.
    const shared = (w: Window, offset: number): void => {
      w.pipeline.store.ingest('shared', [{ name: 'rss', labels: [], value: clock.t % 1000, kind: 'gauge', unit: 'bytes' }], clock.t + offset);
    };
    let compactions = 0;
    for (let round = 0; round < 80; round++) {
      const w = round % 2 === 0 ? a : b;
      w.run(2_500);
      shared(w, round % 2);
      await w.storage.flush();
      if (w.storage.lastWrite.rewritten > 0) compactions++;
      if (round % 20 === 19) {
        const { store: restored, problems } = await reload(folder, clock.t, undefined, store);
        assert.deepEqual(problems, [], `round ${round}`);
        // Each window's own series are exactly its raw tier (within the window as of now).
        for (const w2 of [a, b]) {
          const src = w2 === a ? 'a' : 'b';
          w2.pipeline.store.prune(clock.t);
          assert.deepEqual(rawTier(restored, src), rawTier(w2.pipeline.store, src), `round ${round}, window ${src}`);
        }
        const rss = restored.history('shared|rss')?.raw;
        assert.ok(rss !== undefined && rss.size > 0);
        for (let i = 1; i < rss.size; i++) assert.ok(rss.get(0, i) > rss.get(0, i - 1), 'shared series in time order');
      }
    }
    assert.ok(compactions >= 1, 'a compaction happened meanwhile');
    assert.deepEqual([...a.warnings, ...b.warnings], []);
  });

  it('a save waits while another window holds the log lock, then appends', async () => {
    const w = openWindow(folder, 'dev', 3);
    await w.save(5_000);
    const size = (await stat(file())).size;
    const lock = await acquireLock(join(folder, RAW_LOCK_FILE));
    assert.ok(lock, 'the other window took the lock');
    w.run(5_000);
    let saved = false;
    const saving = w.storage.flush().then(() => (saved = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(saved, false, 'the save waits');
    assert.equal((await stat(file())).size, size, 'nothing written meanwhile');
    await lock.release();
    await saving;
    assert.ok((await stat(file())).size > size, 'appended once the lock was free');
    await assert.rejects(stat(join(folder, RAW_LOCK_FILE)), 'the lock file is gone');
    assert.deepEqual(w.warnings, []);
  });

  it('a lock left by a window that died is broken: saving goes on', async () => {
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
      child.once('exit', () => resolve(child.pid ?? 0));
    });
    await writeFile(join(folder, RAW_LOCK_FILE), `${dead} 0123456789abcdef`);
    const w = openWindow(folder, 'dev', 3);
    await w.save(5_000);
    assert.deepEqual(w.warnings, []);
    assert.ok((await stat(file())).size > 0);
    await assert.rejects(stat(join(folder, RAW_LOCK_FILE)));
    const { store, problems } = await reload(folder, w.clock.t, w.state);
    assert.deepEqual(problems, []);
    assert.deepEqual(rawTier(store), rawTier(w.pipeline.store));
  });

  it('clear empties the log and the saved history', async () => {
    const w = openWindow(folder, 'dev', 3);
    await w.save(20_000);
    w.pipeline.clearHistory();
    await w.storage.clear();
    assert.equal((await stat(file())).size, 0);
    assert.equal((await readFile(file())).byteLength, 0);
    const { store, problems } = await reload(folder, w.clock.t, w.state);
    assert.deepEqual(problems, []);
    assert.equal(store.size, 0);
    // Sampling goes on after the clear: only the new samples are saved.
    await w.save(1_000);
    const after = await reload(folder, w.clock.t, w.state);
    assert.deepEqual(after.problems, []);
    assert.equal(after.store.sampleCount(), 3 * 10);
    assert.ok(w.state.map.has(KEYS.history));
  });
});

describe('HistoryStorage: user decisions', () => {
  it('saveDecisions writes overrides and alert decisions at once, without waiting for the debounce', async () => {
    const w = openWindow('', 'a', 0);
    w.pipeline.setThresholdSettings([{ id: 'conn', metric: 'x.conn', warning: 10, critical: 20, for: 0 }], false);
    assert.equal(w.pipeline.setOverride('conn', { warning: 12 }), undefined);
    await w.storage.saveDecisions();
    assert.deepEqual(w.state.get(KEYS.overrides), { conn: { warning: 12 } });
    assert.ok(w.state.get(KEYS.alerts) !== undefined);
    assert.equal(w.state.get(KEYS.history), undefined, 'the history itself waits for its timer');
  });
});

describe('HistoryStorage: decisions survive a reload whose workspace state was not flushed', () => {
  const folder = tempFolder('pulse-decisions-', { each: true });

  it('the decisions file, newer than the workspace state, is what a reload restores', async () => {
    const w = openWindow(folder, 'a', 0);
    w.pipeline.setThresholdSettings([{ id: 'conn', metric: 'x.conn', warning: 10, critical: 20, for: 0 }], false);
    const before = new MemoryState();
    for (const [k, v] of w.state.map) before.map.set(k, v);
    assert.equal(w.pipeline.setOverride('conn', { warning: 15 }), undefined);
    w.clock.t += 1000;
    await w.storage.saveDecisions();
    // The reloaded window sees the workspace state as it was before the click (not flushed in time).
    const reloaded = openWindow(folder, 'a', 0, { state: before, clock: w.clock });
    reloaded.pipeline.setThresholdSettings([{ id: 'conn', metric: 'x.conn', warning: 10, critical: 20, for: 0 }], false);
    const problems = await reloaded.storage.load();
    assert.deepEqual(problems, []);
    assert.deepEqual(Object.fromEntries(reloaded.pipeline.overridesSnapshot()), { conn: { warning: 15 } });
    await writeFile(join(folder, 'decisions.json'), '{"version":1,"savedAt":');
    const third = openWindow(folder, 'a', 0, { state: before, clock: w.clock });
    const p3 = await third.storage.load();
    assert.ok(p3.some((p) => p.includes('decisions file is corrupt')), p3.join('\n'));
  });
});

describe('HistoryStorage: what a reload loses, and what a save writes', () => {
  const folder = tempFolder('pulse-history-cadence-', { each: true });

  /** Samples for `ms` and saves as the debounce timer does (not a flush). */
  async function periodic(w: Window, ms: number): Promise<void> {
    w.run(ms);
    w.storage.markDirty();
    await w.storage.saveIfDirty();
  }

  /** Every bucket (all six columns) older than `before` (a bucket index). */
  function bucketsBefore(store: MetricStore, before: number): unknown {
    const out: Record<string, number[][]> = {};
    for (const s of store.list()) {
      const b = store.history(s.id)?.buckets;
      const rows: number[][] = [];
      for (let i = 0; i < (b?.size ?? 0); i++) {
        const row = [0, 1, 2, 3, 4, 5].map((c) => b?.get(c, i) ?? NaN);
        if ((row[0] ?? Infinity) < before) rows.push(row);
      }
      out[s.id] = rows;
    }
    return out;
  }

  it('a window that dies without a flush loses at most the 5 s since its last save, in both tiers', async () => {
    const w = openWindow(folder, 'dev', 8);
    // 25 minutes of saves every 5 s: past the raw window and several downsampled-tier writes.
    for (let i = 0; i < 300; i++) await periodic(w, 5_000);
    const savedAt = w.clock.t;
    const buckets = bucketsBefore(w.pipeline.store, Math.floor(savedAt / OPTS.bucketMs));
    w.run(4_900); // then it dies: no flush
    w.storage.dispose();
    const { store, problems } = await reload(folder, w.clock.t, w.state);
    assert.deepEqual(problems, []);
    // Raw points value for value, over the raw window as of the reload (1 s inside its edge)…
    const from = w.clock.t - OPTS.rawWindowMs + 1_000;
    const pointsIn = (s: MetricStore, to: number): unknown =>
      s
        .list()
        .map((x) => {
          const { t, v } = rawPoints(s, x.id);
          const keep = t.map((at, i) => [at, v[i]] as const).filter(([at]) => at >= from && at <= to);
          return { id: x.id, points: keep };
        })
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(pointsIn(store, Infinity), pointsIn(w.pipeline.store, savedAt), 'everything up to the last save is back, nothing after it');
    // …and every closed 10 s bucket, whole (the still-filling one was rebuilt from the raw log).
    assert.deepEqual(bucketsBefore(store, Math.floor(savedAt / OPTS.bucketMs)), buckets);
    // What is missing is the last 4.9 s: 49 samples a series.
    for (const s of w.pipeline.store.list()) {
      const after = rawPoints(w.pipeline.store, s.id).t.filter((t) => t > savedAt);
      assert.equal(after.length, 49);
      assert.ok(after.every((t) => t <= savedAt + 5_000));
    }
  });

  it('with a working raw log the workspace state is written every few minutes, not at every save or flush', async () => {
    const w = openWindow(folder, 'dev', 8);
    await periodic(w, 5_000);
    assert.ok(w.storage.lastWrite.compact > 0, 'the first save writes the downsampled tier');
    let compactWrites = 0;
    // 20 minutes of saves every 5 s, with a flush (a deactivate) every minute.
    for (let i = 1; i <= 240; i++) {
      if (i % 12 === 0) {
        w.run(5_000);
        await w.storage.flush();
      } else await periodic(w, 5_000);
      if (w.storage.lastWrite.compact > 0) compactWrites++;
      assert.ok(w.storage.lastWrite.raw > 0, `save ${i} appended`);
    }
    // Every 5 minutes (a third of the 15 min raw window): 4 writes in 20 minutes, not 240.
    assert.equal(compactWrites, 4);
  });

  it('without a storage folder the downsampled tier is all there is: written at every flush', async () => {
    const w = openWindow('', 'dev', 4);
    await periodic(w, 5_000);
    for (let i = 0; i < 3; i++) {
      w.run(5_000);
      await w.storage.flush();
      assert.ok(w.storage.lastWrite.compact > 0, `flush ${i} wrote it`);
    }
  });
});
