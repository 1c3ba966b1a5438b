import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CriticalNotifier, DONT_SHOW, GATE_HOLD_MS, MUTED_KEY, NOTIFY_INTERVAL_MS, NotificationGate } from '../../../src/host/notifications';
import { constant, safe } from '../../../src/core/views/safeText';
import type { AlertView } from '../../../src/shared/views';

function alert(id: string, severity: 'warning' | 'critical'): AlertView {
  return { id, ruleId: 'r', seriesId: 's', sourceId: 'a', origin: 'rule', severity, state: 'firing', message: `alert ${id}`, since: 0, value: 1, peak: 1, threshold: 1, unit: 'ms', acknowledged: false, snoozedUntil: null, snoozedUntilRestart: false, resolvedAt: null };
}

test('one notification per interval for critical alerts only, with the actions', async () => {
  let now = 0;
  const shown: string[][] = [];
  const snoozed: string[] = [];
  let answer: string | undefined = 'Snooze 15 min';
  const n = new CriticalNotifier({
    show: async (m, ...actions) => {
      shown.push([m, ...actions]);
      return answer;
    },
    openPanel: () => shown.push(['opened']),
    snooze: (id) => snoozed.push(id),
    enabled: () => true,
    now: () => now,
  });
  assert.equal(n.notify([alert('w', 'warning')]), false);
  assert.equal(n.notify([alert('c1', 'critical')]), true);
  assert.deepEqual(shown[0], ['Pulse: alert c1', 'Open Panel', 'Snooze 15 min']);
  for (let i = 0; i < 50; i++) assert.equal(n.notify([alert(`x${i}`, 'critical')]), false);
  now = NOTIFY_INTERVAL_MS + 1;
  answer = 'Open Panel';
  assert.equal(n.notify([alert('c2', 'critical')]), true);
  assert.ok(shown[1]?.[0]?.includes('and 50 more'));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(snoozed, ['c1']);
  assert.ok(shown.some((s) => s[0] === 'opened'));
});

test('nothing is shown when notifications are off', () => {
  const n = new CriticalNotifier({ show: async () => undefined, openPanel() {}, snooze() {}, enabled: () => false });
  assert.equal(n.notify([alert('c', 'critical')]), false);
});

test('a critical server alert notifies exactly like a rule alert; acknowledged and snoozed ones do not', () => {
  const shown: string[] = [];
  let now = 0;
  const n = new CriticalNotifier({ show: async (m) => (shown.push(m), undefined), openPanel() {}, snooze() {}, enabled: () => true, now: () => now });
  const server: AlertView = { ...alert('server|bun|server:latency_spike', 'critical'), ruleId: null, seriesId: null, origin: 'server', message: 'Latency spike: +72.5 % over baseline', unit: 'none' };
  assert.equal(n.notify([{ ...server, acknowledged: true }, { ...server, snoozedUntil: 900_000 }, { ...server, snoozedUntilRestart: true }]), false);
  assert.equal(shown.length, 0);
  assert.equal(n.notify([server]), true);
  assert.deepEqual(shown, ['Pulse: Latency spike: +72.5 % over baseline']);
  now = NOTIFY_INTERVAL_MS + 1;
  assert.equal(n.notify([alert('rule', 'critical')]), true, 'rule and server alerts share one rate limit, nothing more');
});

test('in another language: the translated words are shown, and the translated buttons act (snooze, open, mute)', async () => {
  const saved = new Map<string, unknown>();
  const state = { get: <T>(k: string) => saved.get(k) as T | undefined, update: async (k: string, v: unknown) => void saved.set(k, v) };
  let now = 0;
  const gate = new NotificationGate(state, () => now, constant('Ne plus afficher'));
  const shown: string[][] = [];
  const snoozed: string[] = [];
  let answer: string | undefined = 'Reporter 15 min';
  const n = new CriticalNotifier({
    show: async (m, ...actions) => (shown.push([m, ...actions]), answer),
    openPanel() {},
    snooze: (id) => snoozed.push(id),
    enabled: () => true,
    now: () => now,
    gate,
    words: { openPanel: constant('Ouvrir le panneau'), snooze: constant('Reporter 15 min'), critical: (text, more) => safe`Pulse : ${text} (+${more})` },
  });
  assert.equal(n.notify([alert('c1', 'critical')]), true);
  assert.deepEqual(shown[0], ['Pulse : alert c1 (+0)', 'Ouvrir le panneau', 'Reporter 15 min', 'Ne plus afficher']);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(snoozed, ['c1']);
  now = NOTIFY_INTERVAL_MS + 1;
  answer = 'Ne plus afficher';
  assert.equal(n.notify([alert('c2', 'critical')]), true);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(saved.get(MUTED_KEY), ['criticalAlert'], 'the translated "Don\'t Show Again" mutes');
  now += GATE_HOLD_MS;
  assert.equal(n.notify([alert('c3', 'critical')]), false);
  assert.equal(await gate.show('other', () => Promise.resolve(DONT_SHOW)), DONT_SHOW, 'the English label is just a button in French');
});
