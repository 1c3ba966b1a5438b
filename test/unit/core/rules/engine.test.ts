import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Labels } from '../../../../src/shared/views';
import type { Role, SeriesKind, Unit } from '../../../../src/shared/vocabulary';
import type { SeriesInfo } from '../../../../src/core/series/store';
import type { Rule } from '../../../../src/core/rules/thresholds';
import { DEFAULT_RULES } from '../../../../src/core/rules/thresholds';
import { RuleEngine } from '../../../../src/core/rules/engine';
import { describeSeries } from '../../../../src/core/rules/message';
import type { AlertTransition } from '../../../../src/core/rules/engine';
import { Baseline } from '../../../../src/core/rules/anomaly';

function series(value: number | null, at: number, o: { name?: string; role?: Role | null; unit?: Unit; kind?: SeriesKind; labels?: Labels; source?: string } = {}): SeriesInfo {
  const name = o.name ?? 'm';
  const source = o.source ?? 's';
  return { id: `${source}|${name}`, sourceId: source, name, labels: o.labels ?? [], kind: o.kind ?? 'gauge', unit: o.unit ?? 'none', role: o.role ?? null, raw: value ?? 0, value, updatedAt: at };
}

function rule(r: Partial<Rule>): Rule {
  return { id: 'r', metric: 'm', labels: null, warning: null, critical: null, direction: 'above', forSeconds: 0, clear: null, anomaly: null, unit: 'none', ...r };
}

function engine(rules: readonly Rule[], noDataMode: 'keep' | 'alert' = 'alert'): RuleEngine {
  const e = new RuleEngine({ noDataMode, noDataAfterMs: 15_000 });
  e.setRules(rules);
  return e;
}

const moves = (ts: readonly AlertTransition[]): string[] => ts.map((t) => `${t.from}>${t.to}:${t.severity}`);

describe('RuleEngine: thresholds', () => {
  it('pending until the condition held `for` seconds, then firing', () => {
    const e = engine([rule({ warning: 10, forSeconds: 5 })]);
    assert.deepEqual(moves(e.evaluate([series(15, 0)], 0)), ['ok>pending:warning']);
    assert.deepEqual(e.evaluate([series(15, 3000)], 3000), []);
    const fired = e.evaluate([series(15, 5000)], 5000);
    assert.deepEqual(moves(fired), ['pending>firing:warning']);
    assert.equal(fired[0]?.alertId, 'r|s|m');
    assert.equal(fired[0]?.threshold, 10);
    assert.equal(fired[0]?.message, 'm 15 is above the warning level 10');
  });

  it('a pending alert that recovers before `for` goes back to ok', () => {
    const e = engine([rule({ warning: 10, forSeconds: 5 })]);
    e.evaluate([series(15, 0)], 0);
    assert.deepEqual(moves(e.evaluate([series(5, 2000)], 2000)), ['pending>ok:warning']);
    assert.deepEqual(moves(e.evaluate([series(15, 3000)], 3000)), ['ok>pending:warning']);
    assert.deepEqual(e.evaluate([series(15, 7000)], 7000), [], 'the clock restarted at 3 s');
  });

  it('resolves only past the clear level (hysteresis)', () => {
    const e = engine([rule({ warning: 10, clear: 8 })]);
    assert.deepEqual(moves(e.evaluate([series(12, 0)], 0)), ['ok>firing:warning']);
    assert.deepEqual(moves(e.evaluate([series(9, 1000)], 1000)), ['firing>firing:warning'], 'an update, still firing');
    assert.deepEqual(moves(e.evaluate([series(8, 2000)], 2000)), ['firing>resolved:warning']);
    assert.deepEqual(e.evaluate([series(9, 3000)], 3000), []);
  });

  it('the default clear level is the warning level', () => {
    const e = engine([rule({ warning: 10 })]);
    e.evaluate([series(12, 0)], 0);
    assert.deepEqual(moves(e.evaluate([series(10, 1000)], 1000)), ['firing>resolved:warning']);
  });

  it('escalates and de-escalates while firing', () => {
    const e = engine([rule({ warning: 10, critical: 20 })]);
    assert.deepEqual(moves(e.evaluate([series(12, 0)], 0)), ['ok>firing:warning']);
    const up = e.evaluate([series(25, 1000)], 1000);
    assert.deepEqual(moves(up), ['firing>firing:critical']);
    assert.equal(up[0]?.threshold, 20);
    assert.deepEqual(moves(e.evaluate([series(15, 2000)], 2000)), ['firing>firing:warning']);
    assert.deepEqual(e.evaluate([series(15, 3000)], 3000), [], 'nothing changed, nothing reported');
  });

  it('direction below mirrors everything', () => {
    const e = engine([rule({ direction: 'below', warning: 90, critical: 80, clear: 92, forSeconds: 1 })]);
    assert.deepEqual(e.evaluate([series(95, 0)], 0), []);
    assert.deepEqual(moves(e.evaluate([series(85, 1000)], 1000)), ['ok>pending:warning']);
    assert.deepEqual(moves(e.evaluate([series(70, 2000)], 2000)), ['pending>firing:critical']);
    assert.equal(e.evaluate([series(91, 3000)], 3000)[0]?.to, 'firing');
    assert.deepEqual(moves(e.evaluate([series(93, 4000)], 4000)), ['firing>resolved:warning']);
  });

  it('counters are judged by their rate; units are converted to the rule’s', () => {
    const e = engine([rule({ id: 'rate', metric: 'req', warning: 100 }), rule({ id: 'lat', metric: 'role:latency', warning: 200, unit: 'ms' })]);
    const t = e.evaluate([series(150, 0, { name: 'req', kind: 'counter' }), series(0.25, 0, { name: 'http.p95', role: 'latency', unit: 'seconds' })], 0);
    assert.deepEqual(t.map((x) => x.ruleId).sort(), ['lat', 'rate']);
    assert.equal(t.find((x) => x.ruleId === 'lat')?.value, 250);
    assert.equal(t.find((x) => x.ruleId === 'lat')?.message, 'p95 latency 250 ms is above the warning level 200 ms');
    assert.deepEqual(e.evaluate([series(null, 1000, { name: 'other', kind: 'counter' })], 1000), []);
  });

  it('matches by glob and label subset, one alert per matching series', () => {
    const e = engine([rule({ metric: 'http.*', labels: new Map([['method', 'G*']]), warning: 1 })]);
    const t = e.evaluate(
      [
        series(5, 0, { name: 'http.a', labels: [['method', 'GET'], ['path', '/']] }),
        series(5, 0, { name: 'http.b', labels: [['method', 'POST']] }),
        series(5, 0, { name: 'http.c' }),
        series(5, 0, { name: 'db.a', labels: [['method', 'GET']] }),
      ],
      0,
    );
    assert.deepEqual(t.map((x) => x.seriesId), ['s|http.a']);
  });

  it('evaluating a subset of the series leaves the others alone', () => {
    const e = engine([rule({ metric: '*', warning: 1 })]);
    e.evaluate([series(5, 0, { name: 'a' }), series(5, 0, { name: 'b' })], 0);
    assert.deepEqual(e.evaluate([series(5, 1000, { name: 'a' })], 1000), []);
  });

  it('removing a rule ends its alerts at the next evaluation', () => {
    const e = engine([rule({ warning: 1 })]);
    e.evaluate([series(5, 0)], 0);
    e.setRules([]);
    const t = e.evaluate([], 1000);
    assert.deepEqual(moves(t), ['firing>resolved:warning']);
    assert.equal(t[0]?.at, 1000);
  });

  it('a pair that went back to ok and breaches again is tracked anew: a rule change still ends it', () => {
    const e = engine([rule({ warning: 10, forSeconds: 5 })]);
    e.evaluate([series(15, 0)], 0);
    assert.deepEqual(moves(e.evaluate([series(5, 1000)], 1000)), ['pending>ok:warning']);
    assert.deepEqual(moves(e.evaluate([series(15, 2000)], 2000)), ['ok>pending:warning']);
    e.setRules([]);
    assert.deepEqual(moves(e.evaluate([], 3000)), ['pending>ok:warning']);
  });

  it('forget ends the alerts of removed series', () => {
    const e = engine([rule({ warning: 1 })]);
    e.evaluate([series(5, 0)], 0);
    e.forget(['s|m']);
    assert.deepEqual(moves(e.evaluate([], 1000)), ['firing>resolved:warning']);
  });

  it('skips series holding only restored history', () => {
    const e = engine([rule({ warning: 1 })]);
    assert.deepEqual(e.evaluate([{ ...series(5, 0), restored: true }], 60_000), []);
  });
});

describe('RuleEngine: no data', () => {
  it('alert mode: a silent matched series goes to nodata, and back', () => {
    const e = engine([rule({ warning: 10 })]);
    e.evaluate([series(5, 0)], 0);
    const t = e.evaluate([series(5, 0)], 16_000);
    assert.deepEqual(moves(t), ['ok>nodata:warning']);
    assert.equal(t[0]?.message, 'm: no data for 16 s');
    assert.deepEqual(e.evaluate([series(5, 0)], 30_000), [], 'reported once');
    assert.deepEqual(moves(e.evaluate([series(5, 31_000)], 31_000)), ['nodata>resolved:warning']);
  });

  it('alert mode: a firing alert that goes silent and comes back still high keeps firing', () => {
    const e = engine([rule({ warning: 10, forSeconds: 30 })]);
    e.evaluate([series(50, 0)], 0);
    e.evaluate([series(50, 30_000)], 30_000);
    assert.deepEqual(moves(e.evaluate([series(50, 30_000)], 50_000)), ['firing>nodata:warning']);
    assert.deepEqual(moves(e.evaluate([series(50, 51_000)], 51_000)), ['nodata>firing:warning']);
  });

  it('a quiet series of a live source is not "no data", unless its alert is active', () => {
    const e = engine([rule({ metric: '*', warning: 10 })]);
    e.evaluate([series(5, 0, { name: 'quiet' }), series(50, 0, { name: 'busy' })], 0);
    const t = e.evaluate([series(5, 0, { name: 'quiet' }), series(50, 0, { name: 'busy' }), series(1, 19_000, { name: 'other' })], 20_000);
    assert.deepEqual(t.map((x) => `${x.seriesId} ${x.from}>${x.to}`), ['s|busy firing>nodata']);
  });

  it('keep mode: the last value is still evaluated', () => {
    const e = engine([rule({ warning: 10, forSeconds: 30 })], 'keep');
    e.evaluate([series(50, 0)], 0);
    assert.deepEqual(moves(e.evaluate([series(50, 0)], 40_000)), ['pending>firing:warning']);
    assert.deepEqual(e.evaluate([series(50, 0)], 100_000), []);
  });

  it('accepts the setting’s keepLast spelling', () => {
    const e = new RuleEngine({ noDataMode: 'keepLast', noDataAfterMs: 1000 });
    e.setRules([rule({ warning: 10 })]);
    assert.deepEqual(e.evaluate([series(5, 0)], 60_000), []);
  });
});

describe('RuleEngine: anomaly', () => {
  const latency = DEFAULT_RULES.find((r) => r.id === 'latency-spike');
  assert.ok(latency);
  const lat = (v: number, t: number): SeriesInfo => series(v, t, { name: 'http.p95', role: 'latency', unit: 'ms' });
  // deterministic jitter of ±5 %
  const noisy = (base: number, i: number): number => base * (1 + 0.05 * Math.sin(i * 1.7));

  function warmed(e: RuleEngine, seconds = 120): number {
    for (let i = 0; i < seconds; i++) assert.deepEqual(e.evaluate([lat(noisy(140, i), i * 1000)], i * 1000), []);
    return seconds * 1000;
  }

  it('a spike fires after `for`, the message names the baseline, and a sustained spike keeps firing', () => {
    const e = engine([latency]);
    let t = warmed(e);
    const first = e.evaluate([lat(250, t)], t);
    assert.deepEqual(moves(first), ['ok>pending:warning']);
    let fired: AlertTransition[] = [];
    for (let i = 1; i <= 10; i++) {
      t += 1000;
      fired = e.evaluate([lat(250, t)], t);
    }
    assert.deepEqual(moves(fired), ['pending>firing:warning']);
    assert.match(fired[0]?.message ?? '', /^p95 latency 250 ms is (7\d|8\d) % above its baseline 1[34]\d ms$/);
    // ten minutes of the same spike: the baseline does not learn it, the alert stays
    for (let i = 0; i < 600; i++) {
      t += 1000;
      for (const x of e.evaluate([lat(250, t)], t)) assert.equal(x.to, 'firing');
    }
    t += 1000;
    assert.deepEqual(moves(e.evaluate([lat(140, t)], t)), ['firing>resolved:warning']);
  });

  it('a slow drift is followed by the baseline and does not fire', () => {
    const e = engine([latency]);
    // 100 ms → 400 ms over two hours, sampled every second
    for (let i = 0; i < 7200; i++) {
      const t = i * 1000;
      assert.deepEqual(e.evaluate([lat(noisy(100 + (300 * i) / 7200, i), t)], t), [], `fired at ${i} s`);
    }
  });

  it('nothing fires during warm-up', () => {
    const e = engine([rule({ metric: 'role:latency', anomaly: 0.5, unit: 'ms' })]);
    for (let i = 0; i < 10; i++) e.evaluate([lat(100, i * 1000)], i * 1000);
    assert.deepEqual(e.evaluate([lat(1000, 10_000)], 10_000), []);
  });

  it('tiny absolute changes do not fire (1 ms → 2 ms)', () => {
    const e = engine([rule({ metric: 'role:latency', anomaly: 0.5, unit: 'ms' })]);
    for (let i = 0; i < 60; i++) e.evaluate([lat(1, i * 1000)], i * 1000);
    assert.deepEqual(e.evaluate([lat(2, 60_000)], 60_000), []);
    assert.equal(e.evaluate([lat(20, 61_000)], 61_000)[0]?.to, 'firing');
  });

  it('a slow producer polled fast feeds the baseline once per update (changedAt), not once per repeated message', () => {
    const e = engine([rule({ metric: 'role:latency', anomaly: 0.5, unit: 'ms' })]);
    // Updated every 60 s, received every 2 s for 3 minutes: 4 updates, 90 messages.
    for (let t = 0; t < 180_000; t += 2000) {
      const changedAt = Math.floor(t / 60_000) * 60_000;
      assert.deepEqual(e.evaluate([{ ...lat(100, t), changedAt }], t), []);
    }
    // Four samples are still warm-up (20 needed): a jump is no verdict yet.
    assert.deepEqual(e.evaluate([{ ...lat(1000, 180_000), changedAt: 180_000 }], 180_000), []);
  });

  it('the baseline decays by time, not by sample count', () => {
    const fast = new Baseline();
    const slow = new Baseline();
    for (let i = 0; i <= 600; i++) fast.observe(i < 300 ? 100 : 200, i * 100); // 10 Hz for 60 s
    for (let i = 0; i <= 60; i++) slow.observe(i < 30 ? 100 : 200, i * 1000); // 1 Hz for 60 s
    assert.ok(Math.abs(fast.value - slow.value) < 3, `${fast.value} vs ${slow.value}`);
  });
});

describe('describeSeries', () => {
  it('names roles in words and keeps labels', () => {
    assert.equal(describeSeries({ name: 'endpoint.p99', role: 'latency', labels: [['path', '/x']] }), 'p99 latency {path="/x"}');
    assert.equal(describeSeries({ name: 'http.errorRate', role: 'errorRate', labels: [] }), 'error rate');
    assert.equal(describeSeries({ name: 'foo', role: null, labels: [] }), 'foo');
  });
});
