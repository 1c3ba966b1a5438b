// Hostile content through the host side: metric names, label values and server error messages
// carrying HTML, script, `command:` links, bidi controls, lone surrogates and 100 KB strings (dev
// server `evil` and `serverError` modes). The pipeline keeps them as data, nothing reaches
// Object.prototype, what the panel would be sent is plain JSON, lastError is bounded, and the
// status-bar tooltip Markdown is inert. (The webview's rendering of such data: test/webview/sections/hostile.test.ts.)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertView, SourceState } from '../../../src/shared/views';
import { statusView } from '../../../src/core/views/statusText';
import { DEFAULT_STATUS_METRICS } from '../../../src/core/settings/settings';
import { headline } from '../../../src/core/views/headline';
import { EVIL_STRINGS } from '../../../scripts/devserver/hostile';
import { printable } from '../../../src/core/decode/values';
import type { DevServer } from '../../helpers/devserver';
import { startDevServer } from '../../helpers/devserver';
import type { Rig } from './support';
import { makeRig, sourceConfig, until } from './support';

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** The dev server's hostile strings plus the one bidi control they lack (U+061C ARABIC LETTER MARK). */
const HOSTILE = [...EVIL_STRINGS, '\u061Cmetrics\u061C.exe [x](command:workbench.action.terminal.new)'];
const MAX_LAST_ERROR = 600;

function prototypeFingerprint(): string {
  const proto = Object.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(Object.prototype)
    .sort()
    .map((k) => {
      const d = Object.getOwnPropertyDescriptor(Object.prototype, k);
      return `${k}:${typeof (d?.value ?? d?.get)}:${String(d?.enumerable)}:${typeof proto[k]}`;
    })
    .join('|');
}

/** Every object in `value` is a plain object or an array; every leaf a string, finite number, boolean or null. */
function assertPlainData(value: unknown, path = '$'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is a finite number`);
    return;
  }
  assert.equal(typeof value, 'object', `${path} is data, not ${typeof value}`);
  const proto: unknown = Object.getPrototypeOf(value);
  assert.ok(proto === Object.prototype || proto === Array.prototype, `${path} is a plain object or array`);
  for (const key of Object.keys(value as object)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    assert.ok(d && 'value' in d, `${path}.${key} is a data property, not a getter`);
    assertPlainData(d.value, `${path}.${key}`);
  }
}

function tooltipChecks(tooltip: string, where: string): void {
  assert.ok(!/(^|[^\\])</.test(tooltip), `${where}: no raw "<" in the tooltip`);
  assert.ok(!tooltip.includes('](command:'), `${where}: no command link in the tooltip`);
  assert.ok(!/(^|[^\\])\]\(/.test(tooltip), `${where}: no Markdown link at all`);
  assert.ok(!BIDI.test(tooltip), `${where}: no bidi controls in the tooltip`);
}

describe('hostile names, labels and messages', () => {
  let server: DevServer;
  let rig: Rig;
  const prom = (url: string) => sourceConfig('evil-prom', url, 'prometheus', { pollIntervalMs: 300 });
  const snap = (url: string) => sourceConfig('evil-snapshot', url, 'ws', { subscribe: true });
  const fingerprint = prototypeFingerprint();
  const serverErrors: string[] = [];

  before(async () => {
    server = await startDevServer({ args: ['--interval-scale', '0.1', '--rps', '5'] });
    rig = makeRig();
    rig.pipeline.setThresholdSettings([{ id: 'evil-rule', metric: 'pulse_demo_evil', warning: 0 }], false);
    await server.control('evil');
    await rig.apply([prom(server.url('/metrics')), snap(server.wsUrl('/metrics'))]);
    await until('the evil series', () => rig.pipeline.store.list().some((s) => s.name === 'pulse_demo_evil') && rig.pipeline.store.list().some((s) => s.name === '__proto__'));
    // Every hostile string as a server error message, in turn.
    for (const message of EVIL_STRINGS) {
      await server.control('serverError', { message });
      const err = await until('the server error on the source', () => {
        const e = rig.runtime('evil-snapshot').lastError;
        // Control characters in a server's error text are shown as `·` (decode/values.ts printable()).
        return e !== null && e.startsWith(`Server error: ${printable(message).slice(0, 20)}`) ? e : undefined;
      });
      serverErrors.push(err);
    }
    await server.control('serverError', { off: true });
  });
  after(async () => {
    rig?.dispose();
    await server?.stop();
  });

  test('names and labels are stored as data; __proto__ and constructor are ordinary series; Object.prototype untouched', () => {
    const all = rig.pipeline.store.list();
    const names = new Set(all.map((s) => s.name));
    for (const n of ['__proto__', 'constructor', 'pulse_demo_evil']) assert.ok(names.has(n), `series "${n}" stored`);
    const labelValues = all.filter((s) => s.name === 'pulse_demo_evil').flatMap((s) => s.labels.map(([, v]) => v));
    for (const evil of EVIL_STRINGS.slice(0, 4)) assert.ok(labelValues.includes(evil), `label value kept verbatim: ${evil}`);
    assert.ok(labelValues.some((v) => v.startsWith('\u202Egnp.exe')), 'the bidi label is kept as data (escaping is the views’ job)');
    for (const v of labelValues) assert.ok(v.length <= 256, `label values are bounded (${v.length})`);
    const proto = all.find((s) => s.name === 'pulse_demo_evil' && s.labels.some(([k]) => k === '__proto__'));
    assert.ok(proto, 'a label named __proto__ is kept as a pair');
    assert.deepEqual(proto.labels, [['__proto__', 'polluted'], ['constructor', 'prototype']]);
    const ctor = all.find((s) => s.name === 'constructor');
    assert.equal(ctor?.raw, 2);
    assert.equal(typeof rig.pipeline.store.get(ctor?.id ?? ''), 'object', 'looked up by id like any series');

    assert.equal(({} as Record<string, unknown>).polluted, undefined, '({}).polluted');
    assert.equal(({} as Record<string, unknown>).label, undefined, '({}).label');
    assert.equal(prototypeFingerprint(), fingerprint, 'Object.prototype unchanged');
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
  });

  test('what the panel would be sent is plain data that survives JSON unchanged', () => {
    const snapshot = rig.feed.snapshot(Date.now());
    assertPlainData(snapshot);
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot, 'snapshot JSON round-trip');
    assert.ok(snapshot.series.some((s) => s.name === '__proto__'));
    assert.ok(snapshot.alerts.length > 0, 'rules fired on the hostile series');
    rig.feed.note({ sourceId: '*', createdSeries: true, source: true, alerts: true });
    const delta = rig.feed.delta(Date.now());
    assert.ok(delta);
    assertPlainData(delta);
    assert.deepEqual(JSON.parse(JSON.stringify(delta)), delta, 'delta JSON round-trip');
  });

  test('server error messages become a bounded lastError, shown as text', () => {
    assert.equal(serverErrors.length, EVIL_STRINGS.length);
    for (const e of serverErrors) assert.ok(e.length <= MAX_LAST_ERROR, `lastError bounded: ${e.length} chars`);
    const views = rig.feed.sourceViews();
    for (const v of views) assert.ok((v.lastError ?? '').length <= MAX_LAST_ERROR);
    for (const rt of rig.pipeline.sources()) {
      const r = rt.state.phase === 'failed' || rt.state.phase === 'reconnecting' ? rt.state.reason : '';
      assert.ok(r.length <= MAX_LAST_ERROR);
    }
  });

  test('the status-bar tooltip built from hostile names, reasons and alerts is inert Markdown', () => {
    const now = Date.now();
    const firing = rig.pipeline.alerts.firing();
    assert.ok(firing.length > 0, 'real alerts on hostile series');
    const synthetic: AlertView[] = EVIL_STRINGS.map((message, i) => ({
      id: `a${i}`,
      ruleId: null,
      seriesId: null,
      sourceId: 'evil-snapshot',
      origin: 'server',
      severity: i % 2 === 0 ? 'critical' : 'warning',
      state: 'firing',
      message,
      since: now,
      value: null,
      peak: null,
      threshold: null,
      unit: 'none',
      acknowledged: false,
      snoozedUntil: null,
      snoozedUntilRestart: false,
      resolvedAt: null,
    }));
    const reasons = [...serverErrors, ...HOSTILE];
    const series = rig.pipeline.store.list();
    for (let i = 0; i < reasons.length; i++) {
      const reason = reasons[i] ?? '';
      const name = HOSTILE[i % HOSTILE.length] ?? '';
      const states: SourceState[] = [
        { phase: 'failed', reason },
        { phase: 'reconnecting', reason, retryAt: now + 1000, attempt: 1 },
      ];
      const view = statusView({
        summary: headline(series, ['evil-prom', 'evil-snapshot']),
        metrics: DEFAULT_STATUS_METRICS,
        sources: states.map((state) => ({ name, state })),
        alerts: [...firing.slice(0, 4), ...synthetic.slice(i % 4, (i % 4) + 4)],
        now,
        notice: name,
        label: name,
      });
      tooltipChecks(view.tooltip, `reason #${i}`);
      assert.ok(view.tooltip.length < 20_000, `tooltip bounded (${view.tooltip.length})`);
    }
  });

  test('the status-bar text and its accessibility label carry no bidi controls from a source name', () => {
    const now = Date.now();
    for (const name of HOSTILE) {
      const view = statusView({
        summary: headline([], []),
        metrics: DEFAULT_STATUS_METRICS,
        sources: [{ name, state: { phase: 'open', since: now } }],
        alerts: [],
        now,
        label: name,
      });
      assert.ok(!BIDI.test(view.text), `status text: ${JSON.stringify(view.text)}`);
      assert.ok(!BIDI.test(view.accessibilityLabel), `accessibility label: ${JSON.stringify(view.accessibilityLabel)}`);
    }
  });

  test('log lines about hostile messages carry no bidi controls', () => {
    const lines = rig.lines.filter((l) => l.message.includes('Server error'));
    assert.ok(lines.length > 0, 'server errors were logged');
    for (const l of lines) assert.ok(!BIDI.test(l.message), `log line: ${JSON.stringify(l.message.slice(0, 120))}`);
  });
});
