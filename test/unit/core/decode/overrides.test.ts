import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOverrides, parseOverrides } from '../../../../src/core/decode/overrides';
import type { Decoded, Logger, Sample, SourceConfig } from '../../../../src/core/model';
import { Pipeline } from '../../../../src/core/pipeline';
import { readSettings } from '../../../../src/core/settings/settings';
import { summarize } from '../../../../src/core/views/summary';
import { formatValue } from '../../../../src/shared/format';

function sample(name: string, value: number, o: Partial<Sample> = {}): Sample {
  return { name, labels: [], value, kind: 'gauge', unit: 'none', ...o };
}

function decoded(samples: Sample[], extra: Partial<Decoded> = {}): Decoded {
  return { format: 'json', samples, ...extra };
}

test('parse keeps every good entry and names each bad one', () => {
  const problems: string[] = [];
  const o = parseOverrides(
    { 'heap_*_mb': 'MiB', latency_avg: 'ms', bogus: 'megs', 'has space': 'bytes', 'role:heap': 'bytes' },
    { workers: 'goroutines', 'mem.*': 'heap', wrong: 'memory', dropped: 'none', n: 42 },
    'pulse.sources (user settings)[0] ("api")',
    problems,
  );
  assert.deepEqual(o?.units, [
    { pattern: 'heap_*_mb', unit: 'MiB' },
    { pattern: 'latency_avg', unit: 'ms' },
  ]);
  assert.deepEqual(o?.roles, [
    { pattern: 'workers', role: 'goroutines' },
    { pattern: 'mem.*', role: 'heap' },
    { pattern: 'dropped', role: 'none' },
  ]);
  assert.equal(problems.length, 5, problems.join('\n'));
  for (const [needle, setting] of [
    ['"bogus"', 'units'],
    ['"has space"', 'units'],
    ['"role:heap"', 'units'],
    ['"wrong"', 'roles'],
    ['"n"', 'roles'],
  ] as const) {
    const line = problems.find((p) => p.includes(`[${needle}]`));
    assert.ok(line, `a problem for ${needle}:\n${problems.join('\n')}`);
    assert.ok(line.startsWith(`pulse.sources (user settings)[0] ("api"): ${setting}[`), line);
    assert.ok(line.endsWith('this entry is ignored'), line);
  }
});

test('parse: not an object is one problem; nothing set is no overrides', () => {
  const problems: string[] = [];
  assert.equal(parseOverrides(['MiB'], 'heap', 'src', problems), undefined);
  assert.equal(problems.length, 2);
  assert.ok(problems[0]?.startsWith('src: units must be an object'), problems[0]);
  assert.ok(problems[1]?.startsWith('src: roles must be an object'), problems[1]);
  assert.equal(parseOverrides(undefined, undefined, 'src', problems), undefined);
  assert.equal(problems.length, 2);
});

test('apply: scaled units convert to the base unit, roles are set or taken away', () => {
  const problems: string[] = [];
  const o = parseOverrides({ 'heap_*_mb': 'MiB', took_us: 'us', busy: 'percent', up_min: 'min' }, { heap_alloc_mb: 'heap', 'q*': 'pending', dup: 'none' }, 'src', problems);
  assert.deepEqual(problems, []);
  const out = applyOverrides(
    decoded([
      sample('heap_alloc_mb', 8, { unit: 'count' }),
      sample('heap_sys_mb', 12.5),
      sample('took_us', 2500),
      sample('busy', 12.5, { unit: 'ratio' }),
      sample('up_min', 2),
      sample('queue', 3, { labels: [['q', 'a']] }),
      sample('dup', 1, { role: 'heap', unit: 'bytes' }),
      sample('other', 7, { role: 'connections' }),
    ]),
    o,
  );
  const by = new Map(out.samples.map((s) => [s.name, s]));
  assert.deepEqual(by.get('heap_alloc_mb'), sample('heap_alloc_mb', 8 * 1024 * 1024, { unit: 'bytes', role: 'heap' }));
  assert.deepEqual(by.get('heap_sys_mb'), sample('heap_sys_mb', 12.5 * 1024 * 1024, { unit: 'bytes' }));
  assert.deepEqual(by.get('took_us'), sample('took_us', 2.5, { unit: 'ms' }));
  assert.deepEqual(by.get('busy'), sample('busy', 12.5, { unit: 'percent' }), 'a unit without scale only relabels');
  assert.deepEqual(by.get('up_min'), sample('up_min', 120, { unit: 'seconds' }));
  assert.equal(by.get('queue')?.role, 'pending', 'labelled series match by name');
  assert.equal(by.get('dup')?.role, undefined);
  assert.ok(!('role' in (by.get('dup') ?? {})));
  assert.deepEqual(by.get('other'), sample('other', 7, { role: 'connections' }), 'unmatched series are untouched');
});

test('apply: an exact name wins over a glob, and the first matching glob wins', () => {
  const o = parseOverrides({ 'mem*': 'KiB', 'mem_*': 'GiB', mem_rss: 'bytes' }, undefined, 'src', []);
  const out = applyOverrides(decoded([sample('mem_rss', 5), sample('mem_heap', 2)]), o);
  assert.equal(out.samples[0]?.value, 5);
  assert.equal(out.samples[0]?.unit, 'bytes');
  assert.equal(out.samples[1]?.value, 2048);
});

test('apply: KB/MB/GB are binary like KiB/MiB/GiB (seed 003 heap_alloc_mb and seed 004 "50 MB" are 1024-based), and show as MiB', () => {
  const names = ['KB', 'KiB', 'MB', 'MiB', 'GB', 'GiB'];
  const o = parseOverrides(Object.fromEntries(names.map((u) => [`m_${u}`, u])), undefined, 'src', []);
  const out = applyOverrides(decoded(names.map((u) => sample(`m_${u}`, 8))), o);
  assert.deepEqual(out.samples.map((x) => x.value), [8 * 1024, 8 * 1024, 8 * 1024 ** 2, 8 * 1024 ** 2, 8 * 1024 ** 3, 8 * 1024 ** 3]);
  assert.deepEqual(out.samples.map((x) => formatValue(x.value, x.unit)), ['8 KiB', '8 KiB', '8 MiB', '8 MiB', '8 GiB', '8 GiB']);
});

test('apply: histograms scale their bounds and sum, not their counts', () => {
  const o = parseOverrides({ req_seconds: 'ms' }, { req_seconds: 'latency' }, 'src', []);
  const h = { name: 'req_seconds', labels: [], unit: 'seconds' as const, buckets: [[0.1, 3], [Infinity, 5]] as Array<readonly [number, number]>, sum: 1.5, count: 5 };
  const same = applyOverrides(decoded([], { histograms: [h] }), o).histograms?.[0];
  assert.equal(same?.unit, 'ms');
  assert.equal(same?.role, 'latency');
  assert.deepEqual(same?.buckets, [[0.1, 3], [Infinity, 5]]);
  const scaled = applyOverrides(decoded([], { histograms: [h] }), parseOverrides({ req_seconds: 'us' }, undefined, 'src', [])).histograms?.[0];
  assert.equal(scaled?.sum, 1.5e-3);
  assert.deepEqual(scaled?.buckets, [[1e-4, 3], [Infinity, 5]]);
});

test('apply without overrides returns the message itself', () => {
  const d = decoded([sample('a', 1)]);
  assert.equal(applyOverrides(d, undefined), d);
});

test('settings: units and roles on a source are validated and kept on its config', () => {
  const s = readSettings({
    get: () => undefined,
    userSources: [{ name: 'api', url: 'http://127.0.0.1:1/stats', units: { 'mem*': 'MiB', x: 'furlongs' }, roles: { workers: 'goroutines' } }],
    workspaceSources: undefined,
  });
  assert.equal(s.sources.length, 1, 'a bad entry does not lose the source');
  assert.deepEqual(s.sources[0]?.overrides, { units: [{ pattern: 'mem*', unit: 'MiB' }], roles: [{ pattern: 'workers', role: 'goroutines' }] });
  assert.equal(s.problems.length, 1, s.problems.join('\n'));
  assert.match(s.problems[0] ?? '', /^pulse\.sources \(user settings\)\[0\] \("api"\): units\["x"\]: "furlongs" is not one of the units .*MiB.*; this entry is ignored$/);
});

test('through the pipeline: overrides apply before the store and the rules', () => {
  const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const p = new Pipeline({ store: { rawWindowMs: 900_000, bucketMs: 10_000, downsampledWindowMs: 86_400_000, maxSeriesPerSource: 50 }, noDataMode: 'alert', noDataAfterMs: 15_000, maxMessageChars: 1_000_000 }, log);
  const overrides = parseOverrides({ mem_used_megs: 'MiB' }, { mem_used_megs: 'heap', workers: 'goroutines' }, 'src', []);
  const src: SourceConfig = { id: 'odd', name: 'odd', url: 'http://127.0.0.1:1/', kind: 'http-json', format: 'json', pollIntervalMs: 2000, headers: {}, scope: 'user', ...(overrides ? { overrides } : {}) };
  p.setSources([src]);
  p.setThresholdSettings([{ id: 'big-heap', metric: 'role:heap', warning: 100 * 1024 * 1024 }], false);
  p.handle('odd', JSON.stringify({ mem_used_megs: 200, workers: 17 }), 1000);
  const heap = p.store.list().find((x) => x.name === 'mem_used_megs');
  assert.equal(heap?.unit, 'bytes');
  assert.equal(heap?.role, 'heap');
  assert.equal(heap?.raw, 200 * 1024 * 1024);
  const summary = summarize(p.store.list());
  assert.equal(summary.heapBytes, 200 * 1024 * 1024);
  assert.equal(summary.goroutines, 17);
  assert.ok(
    p.alerts.firing().some((a) => a.ruleId === 'big-heap'),
    'the role rule saw the overridden series',
  );
  p.dispose();
});

test('parse: a key that is no series name says so in plain words', () => {
  const problems: string[] = [];
  parseOverrides({ '': 'bytes', 'a b': 'bytes', ['x'.repeat(300)]: 'bytes' }, undefined, 'src', problems);
  assert.equal(problems.length, 3);
  assert.ok(problems.every((p) => p.includes(': the key ') && !p.includes('metric')), problems.join('\n'));
});
