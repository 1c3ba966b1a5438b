// Bad configuration and bad saved state, through the host pieces that read them: settings of every
// wrong type into readSettings → Pipeline → SourceManager (which never throws), invalid URLs and
// headers past validation, corrupt and oversized workspace state and raw history files
// (HistoryStorage.load reports and carries on), and two windows saving into one storage folder.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceConfig } from '../../../src/core/model';
import { Pipeline } from '../../../src/core/pipeline';
import { readSettings } from '../../../src/core/settings/settings';
import type { SettingsInput } from '../../../src/core/settings/settings';
import { HistoryStorage, KEYS, RAW_FILE, RAW_MAX_BYTES } from '../../../src/host/storage/historyStorage';
import { startLoopbackHttp } from '../../helpers/loopbackHttp';
import type { LoopbackHttp } from '../../helpers/loopbackHttp';
import { tempFolder } from '../../helpers/tempFolder';
import type { Rig } from './support';
import { killChild, makeRig, pipelineOptions, recordingLogger, sleep, sourceConfig, until } from './support';
import { WINDOW_SERIES, memoryState, storageWindow } from './storageWindow';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');

/** Unhandled rejections and uncaught exceptions while `run` runs (a SourceManager must cause none). */
async function noStrayErrors(run: () => Promise<void>): Promise<unknown[]> {
  const stray: unknown[] = [];
  const onError = (e: unknown): void => {
    stray.push(e);
  };
  process.on('unhandledRejection', onError);
  process.on('uncaughtException', onError);
  try {
    await run();
    await sleep(100);
  } finally {
    process.off('unhandledRejection', onError);
    process.off('uncaughtException', onError);
  }
  return stray;
}

describe('bad settings and URLs', () => {
  let server: LoopbackHttp | undefined;
  let url = '';
  const rigs: Rig[] = [];
  before(async () => {
    server = await startLoopbackHttp((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ requests: 5, heap: 1024 }));
    });
    url = `${server.origin}/stats`;
  });
  after(async () => {
    for (const r of rigs) r.dispose();
    await server?.close();
  });

  test('settings of every wrong type: each named in a problem, defaults used, the valid sources connect, nothing throws', async () => {
    const values: Record<string, unknown> = {
      thresholds: 'not a list',
      defaultThresholds: 0,
      'statusBar.metrics': 'requestRate',
      'statusBar.perSource': 'yes',
      'history.rawMinutes': '15',
      'history.downsampledHours': -1,
      'limits.maxPayloadMB': 1e9,
      'limits.maxSeriesPerSource': {},
      'noData.mode': 42,
      'noData.afterSeconds': [],
      'notifications.critical': 'true',
    };
    const input: SettingsInput = {
      get: (key) => values[key],
      userSources: 'one source please',
      workspaceSources: [
        42,
        null,
        { name: '' },
        { name: 'no-url', url: 5 },
        { name: 'ftp', url: 'ftp://127.0.0.1/x', kind: 'http-json' },
        { name: 'mismatch', url: 'ws://127.0.0.1:1/', kind: 'http-json' },
        { name: 'pigeon', url, kind: 'carrier-pigeon' },
        { name: 'creds', url: url.replace('http://', 'http://user:secret@'), kind: 'http-json' },
        { name: 'broken', url: 'http://[::1', kind: 'http-json' },
        { name: 'port', url: 'http://127.0.0.1:99999/', kind: 'http-json' },
        { name: 'lenient', url, kind: 'http-json', format: 'xml', pollIntervalMs: 'fast', subscribe: 'yes', extra: true, headers: { 'X-Ok': 'fine', 'X-Crlf': 'a\r\nInjected: 1', 'bad name': 'v', 'X-Num': 5 } },
        { name: 'headers-not-object', url, kind: 'http-json', headers: ['X-A'] },
      ],
    };
    const settings = readSettings(input);
    const problems = settings.problems.join('\n');
    for (const key of Object.keys(values).filter((k) => k !== 'thresholds')) assert.match(problems, new RegExp(`pulse\\.${key.replace('.', '\\.')} `), `a problem names pulse.${key}`);
    assert.match(problems, /pulse\.sources \(user settings\) must be an array/);
    for (const [i, what] of ['[0]', '[1]', '[2]', '[3] ("no-url")', '[4] ("ftp")', '[5] ("mismatch")', '[6] ("pigeon")', '[7] ("creds")', '[8] ("broken")', '[9] ("port")'].entries()) {
      assert.ok(problems.includes(`pulse.sources (workspace settings)${what}`), `a problem for entry ${i} ${what}`);
    }
    assert.ok(!problems.includes('secret'), 'the password in a URL is not repeated in the problem');
    assert.deepEqual(
      settings.sources.map((s) => s.name),
      ['lenient', 'headers-not-object'],
    );
    const lenient = settings.sources[0];
    assert.ok(lenient);
    assert.equal(lenient.format, 'auto');
    assert.equal(lenient.pollIntervalMs, 2000);
    assert.deepEqual({ ...lenient.headers }, { 'X-Ok': 'fine' }, 'only valid single-line string headers kept');
    assert.equal(settings.maxPayloadBytes, 4 * 1024 * 1024);
    assert.equal(settings.maxSeriesPerSource, 2000);

    // Into the pipeline and the source manager as PulseHost does it.
    const rig = makeRig({ trusted: true, confirmRemote: () => Promise.resolve(true) });
    rigs.push(rig);
    rig.pipeline.setThresholdSettings(settings.thresholds, settings.defaultThresholds);
    assert.ok(rig.pipeline.thresholdProblems().length > 0, 'the thresholds problem is reported by the pipeline');
    const stray = await noStrayErrors(async () => {
      await rig.manager.apply(settings.sources, settings.maxPayloadBytes);
      await until('both valid sources open with data', () => settings.sources.every((s) => rig.pipeline.source(s.id)?.state.phase === 'open' && (rig.pipeline.source(s.id)?.messages ?? 0) > 0));
    });
    assert.deepEqual(stray, []);
  });

  test('invalid URLs and headers that bypass settings validation: each source fails with a reason, SourceManager never throws', async () => {
    const bad: SourceConfig[] = [
      sourceConfig('ws-http-url', 'http://127.0.0.1:1/', 'ws'),
      sourceConfig('sse-ws-url', 'ws://127.0.0.1:1/', 'sse'),
      sourceConfig('poll-garbage-url', 'not a url', 'http-json'),
      sourceConfig('ws-bad-port', 'ws://127.0.0.1:99999/', 'ws'),
      sourceConfig('ws-crlf-header', 'ws://127.0.0.1:1/', 'ws', { headers: { 'X-Bad': 'a\r\nInjected: 1' } }),
      sourceConfig('sse-crlf-header', url, 'sse', { headers: { 'X-Bad': 'a\nb' } }),
      sourceConfig('poll-crlf-header', url, 'http-json', { headers: { 'X-Bad': 'a\nb' } }),
      sourceConfig('poll-bad-header-name', url, 'prometheus', { headers: { 'Bad Name': 'v' } }),
    ];
    const reasons: Record<string, RegExp> = {
      'ws-http-url': /Invalid WebSocket URL .* must start with ws:\/\//,
      'sse-ws-url': /Invalid event stream URL .* must start with http:\/\//,
      'poll-garbage-url': /Cannot poll .*invalid URL/,
      'ws-bad-port': /Invalid WebSocket URL/,
      'ws-crlf-header': /Cannot connect to .*header/i,
      'sse-crlf-header': /Cannot connect to .*header/i,
      'poll-crlf-header': /Cannot poll .*header/i,
      'poll-bad-header-name': /Cannot poll .*header/i,
    };
    const rig = makeRig();
    rigs.push(rig);
    const good = sourceConfig('still-fine', url, 'http-json');
    const stray = await noStrayErrors(async () => {
      await rig.apply([...bad, good]);
      await until('every bad source failed', () => bad.every((c) => rig.runtime(c.id).state.phase === 'failed'));
      await until('the good source open', () => rig.runtime(good.id).state.phase === 'open');
      // Reconnect and connect again: still no throw.
      await rig.manager.reconnect();
      await rig.manager.connect();
    });
    assert.deepEqual(stray, []);
    for (const c of bad) {
      const state = rig.runtime(c.id).state;
      assert.equal(state.phase, 'failed', c.id);
      const reason = state.phase === 'failed' ? state.reason : '';
      const expected = reasons[c.id];
      assert.ok(expected);
      assert.match(reason, expected, `${c.id}: ${reason}`);
      assert.ok(!/Injected/.test(reason), `${c.id}: the header value is not echoed`);
    }
  });

  test('a confirmation that fails for one workspace source does not stop the others, and apply() does not throw', async () => {
    const rig = makeRig({ confirmRemote: () => Promise.reject(new Error('the dialog went away')) });
    rigs.push(rig);
    const remote = sourceConfig('remote', url.replace('127.0.0.1', '0.0.0.0'), 'http-json', { scope: 'workspace' });
    const local = sourceConfig('local', url, 'http-json');
    let thrown: unknown;
    const stray = await noStrayErrors(async () => {
      try {
        await rig.apply([remote, local]);
      } catch (e) {
        thrown = e;
      }
    });
    assert.equal(thrown, undefined, `SourceManager.apply threw: ${String(thrown)}`);
    assert.deepEqual(stray, []);
    await until('the later source still connects', () => rig.runtime(local.id).state.phase === 'open', 3_000);
    assert.equal(rig.runtime(remote.id).state.phase, 'failed', 'the unconfirmed source says why it is not connected');
  });
});

describe('bad saved state', () => {
  const dir = tempFolder('pulse-faults-state-');

  async function loadWith(name: string, state: Map<string, string>, raw?: (file: string) => Promise<void>): Promise<{ problems: string[]; pipeline: Pipeline; warnings: string[] }> {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    if (raw) await raw(join(folder, RAW_FILE));
    const { log, lines } = recordingLogger();
    const pipeline = new Pipeline(pipelineOptions(), log);
    const storage = new HistoryStorage({ state: memoryState(state), folder, pipeline, log });
    const problems = await storage.load();
    storage.dispose();
    // The pipeline still works after whatever the load found.
    pipeline.setSources([sourceConfig('after', 'ws://127.0.0.1:1/', 'ws')]);
    pipeline.handle('after', '{"type":"metrics","http":{"pendingRequests":1,"totalRequests":2}}', Date.now());
    assert.ok(pipeline.store.bySource('after').length >= 2, `${name}: the pipeline ingests after the load`);
    return { problems, pipeline, warnings: lines.filter((l) => l.level === 'warn').map((l) => l.message) };
  }

  const json = (v: unknown): string => JSON.stringify(v);
  const cases: ReadonlyArray<{ name: string; state: Record<string, string>; expect: RegExp }> = [
    { name: 'history-not-json-shape', state: { [KEYS.history]: json('%%% not a history %%%') }, expect: /^Saved history: / },
    { name: 'history-number', state: { [KEYS.history]: json(42) }, expect: /^Saved history: / },
    { name: 'history-wrong-version', state: { [KEYS.history]: json({ format: 'pulse-history', v: 999, series: [] }) }, expect: /^Saved history: .*version/ },
    { name: 'history-series-junk', state: { [KEYS.history]: json({ format: 'pulse-history', v: 1, series: 'x' }) }, expect: /^Saved history: / },
    { name: 'history-oversized', state: { [KEYS.history]: json('x'.repeat(9 * 1024 * 1024)) }, expect: /^Saved history: .*oversized/ },
    { name: 'alerts-junk', state: { [KEYS.alerts]: json({ v: 1, alerts: [['x', 42, null], 'junk'], snoozed: 7 }) }, expect: /^Saved alerts: / },
    { name: 'alerts-array', state: { [KEYS.alerts]: json([1, 2, 3]) }, expect: /^Saved alerts: / },
    { name: 'overrides-junk', state: { [KEYS.overrides]: json({ 'no-such-rule': { warning: 'high' }, x: 5 }) }, expect: /^Saved threshold overrides: / },
  ];
  for (const c of cases) {
    test(`workspace state ${c.name}: load reports it, logs it and carries on`, async () => {
      const { problems, warnings } = await loadWith(c.name, new Map(Object.entries(c.state)));
      assert.ok(problems.some((p) => c.expect.test(p)), `a problem matching ${String(c.expect)}: ${JSON.stringify(problems)}`);
      for (const p of problems) assert.ok(p.length < 2_000, 'problems are short');
      assert.ok(warnings.length > 0, 'logged');
    });
  }

  test('raw history file: garbage, a truncated real file, and one over the 64 MiB cap are each reported; what is complete is kept', async () => {
    const garbage = await loadWith('raw-garbage', new Map(), (f) => writeFile(f, Buffer.from('PLSR\u0001\u0000garbage garbage garbage')));
    assert.ok(garbage.problems.some((p) => /^Saved history: raw history/.test(p)), JSON.stringify(garbage.problems));

    // A real file from a real save, cut in the middle of a series.
    const source = join(dir, 'raw-source');
    const errors: string[] = [];
    const w = storageWindow(source, 'cut', errors);
    await w.storage.flush();
    const whole = await readFile(join(source, RAW_FILE));
    const cut = await loadWith('raw-truncated', new Map(), (f) => writeFile(f, whole.subarray(0, Math.floor(whole.length * 0.6))));
    assert.ok(cut.problems.some((p) => /truncated/.test(p)), JSON.stringify(cut.problems));
    const kept = cut.pipeline.store.bySource('cut').length;
    assert.ok(kept > 0 && kept < WINDOW_SERIES, `the complete series before the cut are kept (${kept})`);

    const huge = await loadWith('raw-oversized', new Map(), async (f) => {
      await writeFile(f, '');
      await truncate(f, RAW_MAX_BYTES + 1024 * 1024); // sparse: no 65 MiB written
    });
    assert.ok(huge.problems.some((p) => /over the 64 MiB cap; discarded/.test(p)), JSON.stringify(huge.problems));
  });
});

describe('two windows on one workspace', () => {
  let child: ChildProcess | undefined;
  const dir = tempFolder('pulse-faults-windows-', { beforeRemove: () => killChild(child) });

  test('saving alternately and concurrently into one folder: every load succeeds and restores each window’s history whole', async (t) => {
    const folder = join(dir, 'workspace-storage');
    const ROUNDS = 25;
    child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'storageWindow.ts'), folder, 'window-b', String(ROUNDS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
    const childDone = new Promise<void>((resolve) => child?.once('exit', () => resolve()));

    const errorsA: string[] = [];
    const a = storageWindow(folder, 'window-a', errorsA);
    let aDone = false;
    const writerA = (async () => {
      for (let r = 0; r < ROUNDS; r++) {
        a.addRound(r);
        await a.storage.flush();
        await sleep(Math.random() * 15);
      }
      aDone = true;
    })();

    const bad: string[] = [];
    const seen = new Set<string>();
    let loads = 0;
    let childExited = false;
    void childDone.then(() => (childExited = true));
    while (!(aDone && childExited) || loads < 5) {
      const { log } = recordingLogger();
      const pipeline = new Pipeline(pipelineOptions(), log);
      const storage = new HistoryStorage({ state: memoryState(), folder, pipeline, log });
      const problems = await storage.load();
      storage.dispose();
      loads++;
      const series = pipeline.store.list();
      if (series.length === 0 && problems.length === 0) {
        await sleep(5); // nothing saved yet
        continue;
      }
      if (problems.length > 0) bad.push(`load ${loads}: ${problems.join('; ')}`);
      // Consistent: whichever windows' history the file holds (one window's, or both merged), each
      // window's is whole — all its series, each with the same number of points (one save's worth).
      for (const source of new Set(series.map((x) => x.sourceId))) {
        seen.add(source);
        const own = series.filter((x) => x.sourceId === source);
        const sizes = new Set(own.map((x) => pipeline.store.history(x.id)?.raw.size ?? -1));
        if (!/^window-[ab]$/.test(source) || own.length !== WINDOW_SERIES || sizes.size !== 1) {
          bad.push(`load ${loads}: ${own.length} series of ${source}, point counts ${[...sizes].join(', ')}`);
        }
      }
      await sleep(3);
    }
    await writerA;
    await childDone;
    assert.equal(child.exitCode, 0, `window B: ${err}`);
    const report = /PULSE_WINDOW_DONE (\{.*\})/.exec(out)?.[1];
    assert.ok(report, `window B reported: ${out} ${err}`);
    const b = JSON.parse(report) as { saves: number; errors: string[] };
    assert.equal(b.saves, ROUNDS);
    assert.deepEqual(b.errors, [], 'window B saved without errors');
    assert.deepEqual(errorsA, [], 'window A saved without errors');
    assert.deepEqual(bad, [], `every load was clean and consistent (${loads} loads)`);
    assert.ok(loads >= 5, `loads happened during the saves (${loads})`);
    t.diagnostic(`${loads} loads while two windows saved ${ROUNDS} times each`);
    assert.ok(seen.size >= 1, 'some history was restored');
  });
});
