import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULES, applyOverrides, parseOverrides, parseThresholdSettings, ruleToSetting, serializeOverrides } from '../../../../src/core/rules/thresholds';
import { compileLabelMatcher, compileMetricPattern, globToRegExp, patternProblem } from '../../../../src/core/series/glob';

const defaultIds = DEFAULT_RULES.map((r) => r.id);

describe('glob', () => {
  it('matches exact names, globs and roles', () => {
    const exact = compileMetricPattern('http.p95');
    assert.ok(exact?.({ name: 'http.p95', role: null }));
    assert.equal(exact?.({ name: 'httpXp95', role: null }), false, '. is literal');
    const glob = compileMetricPattern('memory.*');
    assert.ok(glob?.({ name: 'memory.heapUsed', role: null }));
    assert.equal(glob?.({ name: 'memoryXheap', role: null }), false);
    const q = compileMetricPattern('cpu?');
    assert.ok(q?.({ name: 'cpu1', role: null }));
    assert.equal(q?.({ name: 'cpu12', role: null }), false);
    const role = compileMetricPattern('role:latency');
    assert.ok(role?.({ name: 'whatever', role: 'latency' }));
    assert.equal(role?.({ name: 'latency', role: null }), false);
  });

  it('escapes every regular-expression character', () => {
    assert.ok(globToRegExp('a(b)[c]{d}|e^$+.\\').test('a(b)[c]{d}|e^$+.\\'));
    assert.equal(globToRegExp('a.c').test('abc'), false);
    assert.equal(globToRegExp('x*').test('y-x'), false, 'anchored');
  });

  it('refuses implausible patterns and unknown roles', () => {
    assert.equal(patternProblem('http_requests_total'), null);
    assert.equal(patternProblem('job:rate5m/x-y'), null);
    assert.match(patternProblem('role:nope') ?? '', /unknown role "nope"/);
    assert.notEqual(patternProblem('has space'), null);
    assert.notEqual(patternProblem(''), null);
    assert.notEqual(patternProblem(5), null);
    assert.notEqual(patternProblem('a'.repeat(300)), null);
    assert.equal(compileMetricPattern('(.*)+'), undefined);
  });

  it('label matchers require every label, globs allowed', () => {
    const m = compileLabelMatcher(new Map([['path', '/api/*'], ['method', 'GET']]));
    assert.ok(m([['method', 'GET'], ['path', '/api/users']]));
    assert.equal(m([['method', 'POST'], ['path', '/api/users']]), false);
    assert.equal(m([['path', '/api/users']]), false);
    assert.ok(compileLabelMatcher(null)([]));
  });
});

describe('parseThresholdSettings', () => {
  it('gives the defaults for an empty setting, nothing when defaults are off', () => {
    const p = parseThresholdSettings([], true);
    assert.deepEqual(p.rules.map((r) => r.id), defaultIds);
    assert.deepEqual(p.problems, []);
    assert.ok([...p.origin.values()].every((o) => o === 'default'));
    assert.deepEqual(parseThresholdSettings(undefined, false).rules, []);
  });

  it('has the documented defaults', () => {
    const byId = new Map(DEFAULT_RULES.map((r) => [r.id, r]));
    assert.deepEqual(defaultIds, ['error-rate', 'latency-spike', 'cache-hit-ratio', 'storage', 'heap', 'connections', 'cpu']);
    assert.equal(byId.get('error-rate')?.critical, 5);
    assert.equal(byId.get('latency-spike')?.anomaly, 0.5);
    assert.equal(byId.get('latency-spike')?.forSeconds, 10);
    assert.equal(byId.get('cache-hit-ratio')?.direction, 'below');
    assert.equal(byId.get('heap')?.critical, 2 * 1024 ** 3);
  });

  it('adds settings rules and replaces a default by id', () => {
    const p = parseThresholdSettings(
      [
        { id: 'heap', metric: 'role:heap', warning: 500, critical: 800 },
        { metric: 'http.p95', warning: 200, critical: 500, for: 15 },
        { metric: 'queue.depth', labels: { queue: 'jobs' }, direction: 'below', warning: 10, critical: 5, clear: 12 },
      ],
      true,
    );
    assert.deepEqual(p.problems, []);
    assert.equal(p.rules.find((r) => r.id === 'heap')?.warning, 500);
    assert.equal(p.origin.get('heap'), 'settings');
    assert.equal(p.origin.get('cpu'), 'default');
    const p95 = p.rules.find((r) => r.id === 'http.p95');
    assert.equal(p95?.forSeconds, 15);
    assert.equal(p95?.unit, 'none');
    const q = p.rules.find((r) => r.metric === 'queue.depth');
    assert.equal(q?.id, 'queue.depth{queue="jobs"}');
    assert.equal(q?.labels?.get('queue'), 'jobs');
    assert.equal(p.rules.length, DEFAULT_RULES.length + 2);
  });

  it('an id-less rule on a metric named like a default id does not replace it', () => {
    const p = parseThresholdSettings([{ metric: 'heap', warning: 1 }], true);
    assert.equal(p.rules.find((r) => r.id === 'heap')?.metric, 'role:heap');
    assert.ok(p.rules.some((r) => r.id === 'heap#2'));
  });

  it('reports the example problem exactly and falls back to the default', () => {
    const p = parseThresholdSettings([{ metric: 'x' , warning: 1 }, { metric: 'y', warning: 1 }, { id: 'heap', metric: 'role:heap', warning: 500, critical: 200 }], true);
    assert.deepEqual(p.problems, ['pulse.thresholds[2] (id "heap"): warning 500 is beyond critical 200 for direction above; using the default for this rule']);
    assert.deepEqual(p.rules.find((r) => r.id === 'heap'), DEFAULT_RULES.find((r) => r.id === 'heap'));
    assert.equal(p.origin.get('heap'), 'default');
    assert.deepEqual(p.ruleProblems.get('heap'), p.problems);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['number as string', { id: 'cpu', metric: 'role:cpu', warning: '80' }, /warning must be a finite number, got the string "80"/],
    ['NaN', { id: 'cpu', metric: 'role:cpu', warning: NaN }, /warning must be a finite number, got NaN/],
    ['Infinity', { id: 'cpu', metric: 'role:cpu', critical: Infinity }, /critical must be a finite number/],
    ['bad direction', { id: 'cpu', metric: 'role:cpu', warning: 1, direction: 'sideways' }, /direction must be "above" or "below"/],
    ['negative for', { id: 'cpu', metric: 'role:cpu', warning: 1, for: -1 }, /for must be a number of seconds/],
    ['for as string', { id: 'cpu', metric: 'role:cpu', warning: 1, for: '10' }, /for must be a number of seconds/],
    ['clear on the wrong side', { id: 'cpu', metric: 'role:cpu', warning: 80, clear: 90 }, /clear 90 is beyond warning 80/],
    ['below: warning under critical', { id: 'cpu', metric: 'role:cpu', direction: 'below', warning: 10, critical: 20 }, /warning 10 is beyond critical 20 for direction below/],
    ['unknown role', { id: 'cpu', metric: 'role:gpu', warning: 1 }, /unknown role "gpu"/],
    ['implausible metric', { id: 'cpu', metric: 'cpu usage %', warning: 1 }, /is not a series name or glob/],
    ['missing metric', { id: 'cpu', warning: 1 }, /metric is missing/],
    ['no levels', { id: 'cpu', metric: 'role:cpu' }, /no warning, critical or anomaly level/],
    ['negative anomaly', { id: 'cpu', metric: 'role:cpu', anomaly: -1 }, /anomaly must be a fraction/],
    ['labels not an object', { id: 'cpu', metric: 'role:cpu', warning: 1, labels: ['a'] }, /labels must be an object of strings/],
    ['label value not a string', { id: 'cpu', metric: 'role:cpu', warning: 1, labels: { a: 1 } }, /label "a" must be a string/],
    ['unknown property', { id: 'cpu', metric: 'role:cpu', warning: 1, critcal: 5 }, /unknown property "critcal"/],
  ];
  for (const [name, entry, pattern] of invalid) {
    it(`invalid entry (${name}): one problem naming the setting, that rule alone falls back`, () => {
      const p = parseThresholdSettings([{ id: 'heap', metric: 'role:heap', warning: 5, critical: 6 }, entry], true);
      assert.equal(p.problems.length, 1, p.problems.join('\n'));
      assert.match(p.problems[0] ?? '', /^pulse\.thresholds\[1\] \(id "cpu"\): /);
      assert.match(p.problems[0] ?? '', pattern);
      assert.match(p.problems[0] ?? '', /using the default for this rule$/);
      assert.deepEqual(p.rules.find((r) => r.id === 'cpu'), DEFAULT_RULES.find((r) => r.id === 'cpu'));
      assert.equal(p.rules.find((r) => r.id === 'heap')?.warning, 5, 'the other entry still applies');
    });
  }

  it('an invalid rule without a default is skipped', () => {
    const p = parseThresholdSettings([{ id: 'mine', metric: 'x', warning: 'high' }], true);
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0] ?? '', /^pulse\.thresholds\[0\] \(id "mine"\): .*; skipping this rule$/);
    assert.equal(p.rules.some((r) => r.id === 'mine'), false);
  });

  it('wrong types anywhere never throw', () => {
    for (const value of ['x', 5, true, {}, { length: 3 }, [null], [5], ['str'], [[]], [{ id: 5, metric: 'x' }], [{ metric: { toString: null } }]]) {
      const p = parseThresholdSettings(value, true);
      assert.equal(p.problems.length, 1, `${JSON.stringify(value)}: ${p.problems.join(' / ')}`);
      assert.match(p.problems[0] ?? '', /^pulse\.thresholds/);
      assert.deepEqual(p.rules.map((r) => r.id), defaultIds);
    }
  });

  it('refuses a duplicate id', () => {
    const p = parseThresholdSettings([{ id: 'a', metric: 'x', warning: 1 }, { id: 'a', metric: 'y', warning: 2 }], false);
    assert.equal(p.rules.length, 1);
    assert.match(p.problems[0] ?? '', /pulse\.thresholds\[1\] \(id "a"\): the id is already used by pulse\.thresholds\[0\]/);
  });

  it('keeps a __proto__ label key as data', () => {
    const p = parseThresholdSettings(JSON.parse('[{"metric":"x","warning":1,"labels":{"__proto__":"v"}}]'), false);
    assert.deepEqual(p.problems, []);
    assert.equal(p.rules[0]?.labels?.get('__proto__'), 'v');
    const view = applyOverrides(p, new Map()).views[0];
    assert.equal(Object.getOwnPropertyDescriptor(view?.labels ?? {}, '__proto__')?.value, 'v');
    assert.equal(Object.getPrototypeOf(view?.labels ?? {}), Object.prototype);
  });
});

describe('overrides', () => {
  it('apply over defaults and settings, marked as override', () => {
    const parsed = parseThresholdSettings([], true);
    const r = applyOverrides(parsed, new Map([['cpu', { warning: 60, forSeconds: 5 }]]));
    const cpu = r.rules.find((x) => x.id === 'cpu');
    assert.equal(cpu?.warning, 60);
    assert.equal(cpu?.critical, 95);
    assert.equal(cpu?.forSeconds, 5);
    assert.equal(r.views.find((v) => v.id === 'cpu')?.origin, 'override');
    assert.equal(r.views.find((v) => v.id === 'heap')?.origin, 'default');
    assert.deepEqual(r.problems, []);
  });

  it('an inconsistent override is refused with a problem', () => {
    const parsed = parseThresholdSettings([], true);
    const r = applyOverrides(parsed, new Map([['cpu', { warning: 99 }]]));
    assert.equal(r.rules.find((x) => x.id === 'cpu')?.warning, 80);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0] ?? '', /rule "cpu": warning 99 is beyond critical 95/);
    assert.equal(r.views.find((v) => v.id === 'cpu')?.origin, 'default');
    assert.deepEqual(r.views.find((v) => v.id === 'cpu')?.problems, r.problems);
  });

  it('an override can clear a level with null', () => {
    const r = applyOverrides(parseThresholdSettings([], true), new Map([['cpu', { critical: null }]]));
    assert.equal(r.rules.find((x) => x.id === 'cpu')?.critical, null);
  });

  it('parses saved overrides in both shapes and reports bad ones', () => {
    const good = parseOverrides([['cpu', { warning: 70 }], ['__proto__', { critical: null }]]);
    assert.deepEqual(good.problems, []);
    assert.deepEqual(good.overrides.get('cpu'), { warning: 70 });
    assert.deepEqual(good.overrides.get('__proto__'), { critical: null });
    const rec = parseOverrides({ cpu: { forSeconds: 3 } });
    assert.deepEqual(rec.overrides.get('cpu'), { forSeconds: 3 });
    const bad = parseOverrides([['cpu', { warning: '70' }], 'x', ['heap', { nope: 1 }], [5, {}]]);
    assert.equal(bad.overrides.size, 0);
    assert.equal(bad.problems.length, 4);
    assert.equal(parseOverrides('garbage').problems.length, 1);
    assert.deepEqual(parseOverrides(undefined), { overrides: new Map(), problems: [] });
    const round = parseOverrides(JSON.parse(JSON.stringify(serializeOverrides(good.overrides))));
    assert.deepEqual(round.overrides, good.overrides);
  });
});

describe('ruleToSetting', () => {
  it('round-trips through the settings parser', () => {
    const parsed = parseThresholdSettings([{ metric: 'q', labels: { a: 'b' }, direction: 'below', warning: 10, critical: 5, clear: 12, for: 7 }], true);
    for (const rule of parsed.rules) {
      const again = parseThresholdSettings([ruleToSetting(rule)], false);
      assert.deepEqual(again.problems, []);
      assert.deepEqual(again.rules[0], rule);
    }
  });
});

describe('overrides and clear levels', () => {
  it('a clear level the patch leaves behind falls back to the warning; an explicit bad clear is refused', () => {
    const parsed = parseThresholdSettings([], true);
    const moved = applyOverrides(parsed, new Map([['cpu', { warning: 60 }]]));
    assert.equal(moved.rules.find((x) => x.id === 'cpu')?.clear, null);
    const bad = applyOverrides(parsed, new Map([['cpu', { warning: 60, clear: 65 }]]));
    assert.equal(bad.problems.length, 1);
    assert.equal(bad.rules.find((x) => x.id === 'cpu')?.warning, 80);
  });
});
