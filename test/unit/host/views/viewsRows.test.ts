// The Pulse view's rows, context keys and the notification gate, without VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceRuntime } from '../../../../src/core/pipeline';
import type { SourceConfig } from '../../../../src/core/model';
import type { AlertView, SourceState } from '../../../../src/shared/views';
import { RateMeter } from '../../../../src/core/series/rateMeter';
import { alertRows, attentionCount, sourceRows } from '../../../../src/host/views/rows';
import { ContextKeys } from '../../../../src/host/views/contextKeys';
import { english, translator } from '../../../../src/core/views/safeText';
import { CriticalNotifier, DONT_SHOW, GATE_HOLD_MS, MUTED_KEY, NotificationGate } from '../../../../src/host/notifications';

function runtime(name: string, state: SourceState, extra: Partial<SourceRuntime> = {}, scope: SourceConfig['scope'] = 'user'): SourceRuntime {
  const config: SourceConfig = { id: name.toLowerCase(), name, url: 'ws://127.0.0.1:3000/live', kind: 'ws', format: 'bun', pollIntervalMs: 0, headers: {}, scope };
  return { config, state, lastMessageAt: null, meter: new RateMeter(), lastError: null, connections: [], messages: 0, bytes: 0, decodeErrors: 0, errorCount: 0, lastReportedError: null, lastErrorAt: null, ...extra };
}

function alert(id: string, over: Partial<AlertView> = {}): AlertView {
  return { id, ruleId: 'r', seriesId: 's', sourceId: 'api', origin: 'rule', severity: 'critical', state: 'firing', message: `alert ${id}`, since: 0, value: 1, peak: 1, threshold: 1, unit: 'ms', acknowledged: false, snoozedUntil: null, snoozedUntilRestart: false, resolvedAt: null, ...over };
}

class Memento {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.map.set(key, value);
    return Promise.resolve();
  }
}

describe('sourceRows', () => {
  it('state icon, messages/s while connected, error and disabled state; context values drive the menus', () => {
    const now = 100_000;
    const open = runtime('api', { phase: 'open', since: 0 }, { messages: 42 });
    for (let t = now - 4000; t < now; t += 250) open.meter.add(t);
    const failed = runtime('Go', { phase: 'failed', reason: 'HTTP 401 from the server' }, { lastError: 'HTTP 401 from the server' }, 'workspace');
    const waiting = runtime('daemon', { phase: 'reconnecting', retryAt: now + 3000, attempt: 2, reason: 'connection refused' });
    const rows = sourceRows([open, failed, waiting, runtime('off', { phase: 'closed' })], (id) => id !== 'off', now);
    assert.deepEqual(rows.map((r) => [r.icon, r.contextValue]), [
      ['pass-filled', 'pulseSource.enabled'],
      ['error', 'pulseSource.enabled.workspace'],
      ['sync~spin', 'pulseSource.enabled'],
      ['circle-slash', 'pulseSource.disabled'],
    ]);
    assert.equal(rows[0]?.description, 'connected · 4.0 msg/s');
    assert.match(rows[0]?.tooltip ?? '', /42 messages so far/);
    assert.equal(rows[1]?.description, 'failed · HTTP 401 from the server');
    assert.match(rows[1]?.tooltip ?? '', /Last error: HTTP 401 from the server\nDefined in workspace settings$/);
    assert.equal(rows[2]?.description, 'reconnecting in 3 s · connection refused');
    const due = sourceRows([runtime('daemon', { phase: 'reconnecting', retryAt: now - 10, attempt: 3, reason: 'refused' })], () => true, now);
    assert.equal(due[0]?.description, 'reconnecting · refused', 'no "in 0 s" once the retry is due');
    assert.equal(rows[3]?.description, 'disabled');
  });

  it('untrusted names and errors lose link, command and icon syntax', () => {
    const evil = runtime('$(zap) [x](command:evil)', { phase: 'failed', reason: 'r' }, { lastError: 'see [here](command:workbench.action.terminal.sendSequence)\n$(alert)' });
    const [row] = sourceRows([evil], () => true, 0);
    for (const text of [row?.label, row?.description, row?.tooltip]) {
      assert.ok(text !== undefined);
      assert.doesNotMatch(text, /\]\(|command:|\$\(/, text);
    }
  });
});

describe('alertRows', () => {
  it('active and recent groups; acknowledged alerts lose the inline acknowledge; names from the source', () => {
    const rows = alertRows(
      [alert('a'), alert('b', { acknowledged: true, severity: 'warning' }), alert('c', { state: 'resolved', resolvedAt: 50_000 }), alert('d', { snoozedUntil: 900_000 })],
      (id) => (id === 'api' ? 'My API' : id),
      110_000,
    );
    assert.deepEqual(rows.active.map((r) => [r.id, r.icon, r.contextValue]), [
      ['a', 'error', 'pulseAlert.active'],
      ['b', 'warning', 'pulseAlert.active.acked'],
      ['d', 'error', 'pulseAlert.active.snoozed'],
    ]);
    assert.match(rows.active[2]?.description ?? '', /snoozed$/);
    assert.deepEqual(rows.recent.map((r) => [r.id, r.contextValue]), [['c', 'pulseAlert.resolved']]);
    assert.equal(rows.active[0]?.description, 'My API · since 2 min ago');
    assert.match(rows.active[1]?.description ?? '', /acknowledged$/);
    assert.match(rows.recent[0]?.description ?? '', /resolved 1 min ago/);
  });

  it('in the host\'s language: every word of the rows comes from its translator, server text stays as sent', () => {
    const fr: Record<string, string> = { connected: 'connecté', 'Defined in workspace settings': 'Défini dans les paramètres de l\'espace de travail', 'since {0}': 'depuis {0}', '{0} min ago': 'il y a {0} min', snoozed: 'en pause', '{0} · {1} · {2}': '{0} · {1} · {2}' };
    const l10n = translator((m, ...args) => english(fr[m] ?? m, ...args));
    const open = runtime('api', { phase: 'open', since: 0 }, {}, 'workspace');
    const [row] = sourceRows([open], () => true, 0, l10n);
    assert.equal(row?.description, 'connecté · 0 msg/s');
    assert.match(row?.tooltip ?? '', /^api\n.*\nState: connecté · 0 messages\/s · 0 messages so far\nDéfini dans les paramètres de l'espace de travail$/);
    const alerts = alertRows([alert('a', { snoozedUntil: 900_000, message: 'p95 [x](command:evil)' })], () => 'My API', 120_000, l10n);
    assert.equal(alerts.active[0]?.description, 'My API · depuis il y a 2 min · en pause');
    assert.doesNotMatch(alerts.active[0]?.label ?? '', /\]\(/);
  });

  it('the badge counts only alerts that still ask for attention (not acknowledged, snoozed or resolved)', () => {
    const list = [alert('a'), alert('b', { acknowledged: true }), alert('c', { state: 'resolved', resolvedAt: 1 }), alert('d', { snoozedUntil: 5 }), alert('e', { snoozedUntilRestart: true })];
    assert.equal(attentionCount(list), 1);
  });
});

describe('ContextKeys', () => {
  it('sets each key once, then only when it changes', () => {
    const set: [string, boolean][] = [];
    const keys = new ContextKeys((k, v) => set.push([k, v]));
    keys.update({ 'pulse.hasSources': false, 'pulse.hasAlerts': false, 'pulse.connected': false });
    keys.update({ 'pulse.hasSources': false, 'pulse.hasAlerts': false, 'pulse.connected': false });
    keys.update({ 'pulse.hasSources': true, 'pulse.hasAlerts': false, 'pulse.connected': false });
    assert.deepEqual(set, [
      ['pulse.hasSources', false],
      ['pulse.hasAlerts', false],
      ['pulse.connected', false],
      ['pulse.hasSources', true],
    ]);
  });
});

describe('NotificationGate', () => {
  it('one notification at a time; an unanswered one frees the gate after GATE_HOLD_MS', async () => {
    let now = 0;
    const gate = new NotificationGate(new Memento(), () => now);
    const shown: string[] = [];
    let answer: (v: string | undefined) => void = () => undefined;
    const first = gate.show('a', () => {
      shown.push('a');
      return new Promise<string | undefined>((r) => (answer = r));
    });
    assert.equal(await gate.show('b', () => (shown.push('b'), Promise.resolve(undefined))), undefined);
    assert.deepEqual(shown, ['a'], 'the second waits for nobody: it is dropped');
    now = GATE_HOLD_MS + 1;
    void gate.show('c', () => (shown.push('c'), new Promise<undefined>(() => undefined)));
    assert.deepEqual(shown, ['a', 'c']);
    answer('x');
    assert.equal(await first, 'x');
    assert.equal(gate.busy(), true, 'an old answer does not free the gate a newer notification holds');
  });

  it("\"Don't Show Again\" is remembered and the id is never shown again", async () => {
    const state = new Memento();
    const gate = new NotificationGate(state);
    assert.equal(await gate.show('problems', () => Promise.resolve(DONT_SHOW)), undefined);
    assert.deepEqual(state.map.get(MUTED_KEY), ['problems']);
    let asked = false;
    await gate.show('problems', () => ((asked = true), Promise.resolve(undefined)));
    assert.equal(asked, false);
    assert.equal(new NotificationGate(state).muted('problems'), true, 'across sessions (globalState)');
  });

  it('the critical-alert notification offers Don\'t Show Again, obeys it, and waits while another is open', async () => {
    const state = new Memento();
    let now = 0;
    const gate = new NotificationGate(state, () => now);
    const shown: string[][] = [];
    const n = new CriticalNotifier({ show: (m, ...a) => (shown.push([m, ...a]), Promise.resolve(DONT_SHOW)), openPanel() {}, snooze() {}, enabled: () => true, now: () => now, gate });
    gate.hold(new Promise(() => undefined));
    assert.equal(n.notify([alert('x')]), false, 'another Pulse notification is open');
    now = GATE_HOLD_MS + 1;
    assert.equal(n.notify([alert('y')]), true);
    assert.deepEqual(shown[0]?.slice(1), ['Open Panel', 'Snooze 15 min', DONT_SHOW]);
    assert.match(shown[0]?.[0] ?? '', /and 1 more critical/, 'the one held back is counted');
    await new Promise((r) => setImmediate(r));
    now += 10 * 60_000;
    assert.equal(n.notify([alert('z')]), false, 'muted');
  });
});
