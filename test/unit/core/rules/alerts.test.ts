import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AlertBook, MAX_RESOLVED, RESTORE_GRACE_MS } from '../../../../src/core/rules/alerts';
import type { AlertTransition } from '../../../../src/core/rules/engine';
import type { AlertState } from '../../../../src/shared/vocabulary';
import type { ServerAlert } from '../../../../src/core/model';

function tr(from: AlertState | 'ok', to: AlertState | 'ok', at: number, o: Partial<AlertTransition> = {}): AlertTransition {
  return {
    alertId: 'r|s|m',
    ruleId: 'r',
    seriesId: 's|m',
    sourceId: 's',
    from,
    to,
    severity: 'warning',
    value: 12,
    threshold: 10,
    at,
    message: `m is ${to}`,
    unit: 'ms',
    ...o,
  };
}

function firingBook(at = 0): AlertBook {
  const book = new AlertBook();
  book.apply([tr('ok', 'pending', at), tr('pending', 'firing', at + 5000)], at + 5000);
  return book;
}

describe('AlertBook lifecycle', () => {
  it('pending → firing → resolved, with since, peak, threshold and the newly firing for notifications', () => {
    const book = new AlertBook();
    assert.deepEqual(book.apply([tr('ok', 'pending', 0)], 0).newlyFiring, []);
    assert.equal(book.views(0)[0]?.state, 'pending');
    const { newlyFiring } = book.apply([tr('pending', 'firing', 5000, { value: 15 })], 5000);
    assert.equal(newlyFiring.length, 1);
    assert.equal(newlyFiring[0]?.since, 5000);
    book.apply([tr('firing', 'firing', 6000, { value: 30 }), tr('firing', 'firing', 7000, { value: 20 })], 7000);
    let v = book.views(7000)[0];
    assert.equal(v?.value, 20);
    assert.equal(v?.peak, 30);
    assert.equal(v?.threshold, 10);
    assert.equal(v?.unit, 'ms');
    assert.equal(book.firing(7000).length, 1);
    book.apply([tr('firing', 'resolved', 9000, { value: 8 })], 9000);
    v = book.views(9000)[0];
    assert.equal(v?.state, 'resolved');
    assert.equal(v?.resolvedAt, 9000);
    assert.equal(v?.peak, 30);
    assert.equal(book.firing(9000).length, 0);
  });

  it('a pending that never fired is forgotten when it goes back to ok', () => {
    const book = new AlertBook();
    book.apply([tr('ok', 'pending', 0)], 0);
    book.apply([tr('pending', 'ok', 1000)], 1000);
    assert.equal(book.has('r|s|m'), false);
  });

  it('escalation to critical is news, de-escalation and updates are not', () => {
    const book = firingBook();
    assert.equal(book.apply([tr('firing', 'firing', 6000, { severity: 'critical' })], 6000).newlyFiring.length, 1);
    assert.equal(book.apply([tr('firing', 'firing', 7000, { severity: 'warning' })], 7000).newlyFiring.length, 0);
  });

  it('orders firing first (critical first), then recent resolved; keeps the last 50 resolved', () => {
    const book = new AlertBook();
    for (let i = 0; i < 60; i++) {
      book.apply([tr('ok', 'firing', i, { alertId: `x${i}` }), tr('firing', 'resolved', i + 0.5, { alertId: `x${i}` })], i + 1);
    }
    book.apply([tr('ok', 'firing', 100, { alertId: 'w' }), tr('ok', 'firing', 100, { alertId: 'c', severity: 'critical' })], 100);
    const views = book.views(100);
    assert.deepEqual(views.slice(0, 2).map((v) => v.id), ['c', 'w']);
    assert.equal(views.length, 2 + MAX_RESOLVED);
    assert.equal(views[2]?.id, 'x59');
  });

  it('bounds the alerts kept', () => {
    const book = new AlertBook();
    book.apply(Array.from({ length: 2000 }, (_, i) => tr('ok', 'pending', i, { alertId: `p${i}` })), 2000);
    assert.ok(book.size <= 500);
    assert.ok(book.has('p1999'));
  });
});

describe('AlertBook user decisions', () => {
  it('acknowledge: quiet until it resolves', () => {
    const book = firingBook();
    assert.equal(book.acknowledge('r|s|m'), true);
    assert.equal(book.views(6000)[0]?.acknowledged, true);
    assert.equal(book.apply([tr('firing', 'firing', 6000, { severity: 'critical' })], 6000).newlyFiring.length, 0);
    book.apply([tr('firing', 'resolved', 7000)], 7000);
    assert.equal(book.views(7000)[0]?.acknowledged, false);
    assert.equal(book.acknowledge('nope'), false);
  });

  it('snooze 15 min hides from firing() until it expires', () => {
    const book = firingBook();
    book.snooze('r|s|m', '15m', 10_000);
    assert.equal(book.firing(10_000).length, 0);
    assert.equal(book.views(10_000)[0]?.snoozedUntil, 10_000 + 15 * 60_000);
    assert.equal(book.firing(10_000 + 15 * 60_000).length, 1);
  });

  it('snooze until restart ends with serverRestarted of that source only', () => {
    const book = firingBook();
    book.snooze('r|s|m', 'restart', 10_000);
    const v = book.views(10_000)[0];
    assert.equal(v?.snoozedUntil, null);
    assert.equal(v?.snoozedUntilRestart, true);
    book.serverRestarted('other');
    assert.equal(book.firing(1e12).length, 0);
    book.serverRestarted('s');
    assert.equal(book.firing(1e12).length, 1);
  });

  it('snoozeAll and dismissAll', () => {
    const book = firingBook();
    book.apply([tr('ok', 'firing', 6000, { alertId: 'b' })], 6000);
    book.snoozeAll('1h', 6000);
    assert.equal(book.firing(6000).length, 0);
    assert.equal(book.firing(6000 + 3_600_000).length, 2);
    book.dismissAll();
    assert.equal(book.views(7000).length, 0);
  });

  it('dismiss hides the episode; a new episode after resolve shows again', () => {
    const book = firingBook();
    book.dismiss('r|s|m');
    assert.equal(book.views(6000).length, 0);
    assert.equal(book.firing(6000).length, 0);
    book.apply([tr('firing', 'firing', 7000, { severity: 'critical' })], 7000);
    assert.equal(book.views(7000).length, 0, 'same episode: still hidden');
    book.apply([tr('firing', 'resolved', 8000)], 8000);
    assert.equal(book.views(8000).length, 0);
    const again = book.apply([tr('ok', 'firing', 20_000)], 20_000);
    assert.equal(again.newlyFiring.length, 1);
    assert.equal(book.views(20_000).length, 1);
  });
});

describe('AlertBook server alerts', () => {
  const alert = (id: string, o: Partial<ServerAlert> = {}): ServerAlert => ({ id, severity: 'warning', message: `server says ${id}`, ...o });

  it('become origin server alerts, firing at once', () => {
    const book = new AlertBook();
    const { newlyFiring } = book.mergeServerAlerts('s', [alert('disk', { metric: 'disk.used', value: 91, threshold: 90 })], 0);
    assert.equal(newlyFiring.length, 1);
    const v = book.views(0)[0];
    assert.equal(v?.origin, 'server');
    assert.equal(v?.ruleId, null);
    assert.equal(v?.seriesId, 's|disk.used');
    assert.equal(v?.value, 91);
    assert.equal(book.mergeServerAlerts('s', [alert('disk')], 1000).newlyFiring.length, 0, 'not news twice');
  });

  it('a list without them resolves them at once; an empty list resolves all', () => {
    const book = new AlertBook();
    book.mergeServerAlerts('s', [alert('a'), alert('b')], 0);
    book.mergeServerAlerts('s', [alert('b')], 1000);
    const state = (id: string) => book.views(1000).find((v) => v.id === `server|s|${id}`)?.state;
    assert.equal(state('a'), 'resolved');
    assert.equal(book.views(1000).find((v) => v.id === 'server|s|a')?.resolvedAt, 1000);
    assert.equal(state('b'), 'firing');
    book.mergeServerAlerts('s', [], 2000);
    assert.equal(book.firing(2000).length, 0);
    assert.equal(state('b'), 'resolved');
  });

  it('same id on every list is one alert with one notification; severity kept, escalation is news', () => {
    const book = new AlertBook();
    assert.equal(book.mergeServerAlerts('s', [alert('latency_spike', { severity: 'warning', value: 60 })], 0).newlyFiring.length, 1);
    assert.equal(book.mergeServerAlerts('s', [alert('latency_spike', { severity: 'warning', value: 70 })], 5000).newlyFiring.length, 0);
    const up = book.mergeServerAlerts('s', [alert('latency_spike', { severity: 'critical', value: 90 })], 10_000).newlyFiring;
    assert.deepEqual(up.map((v) => [v.id, v.severity]), [['server|s|latency_spike', 'critical']]);
    assert.equal(book.size, 1);
    const v = book.views(10_000)[0];
    assert.equal(v?.since, 0, 'the episode continues');
    assert.equal(v?.value, 90);
    assert.equal(v?.peak, 90);
  });

  it('a new episode after it resolved is news again, and shows although the old one was dismissed', () => {
    const book = new AlertBook();
    book.mergeServerAlerts('s', [alert('error_rate', { severity: 'critical' })], 0);
    book.dismiss('server|s|error_rate');
    assert.equal(book.views(0).length, 0);
    assert.equal(book.mergeServerAlerts('s', [alert('error_rate', { severity: 'critical' })], 5000).newlyFiring.length, 0, 'dismissed holds for the episode');
    assert.equal(book.views(5000).length, 0);
    book.mergeServerAlerts('s', [], 10_000);
    assert.equal(book.mergeServerAlerts('s', [alert('error_rate', { severity: 'critical' })], 15_000).newlyFiring.length, 1);
    assert.equal(book.views(15_000)[0]?.state, 'firing');
  });

  it('acknowledge and snooze hold while the server keeps sending it', () => {
    const book = new AlertBook();
    book.mergeServerAlerts('s', [alert('a', { severity: 'critical' }), alert('b', { severity: 'critical' })], 0);
    assert.ok(book.acknowledge('server|s|a'));
    assert.ok(book.snooze('server|s|b', '15m', 0));
    book.mergeServerAlerts('s', [alert('a', { severity: 'critical' }), alert('b', { severity: 'critical' })], 5000);
    assert.equal(book.views(5000).find((v) => v.id === 'server|s|a')?.acknowledged, true);
    assert.deepEqual(book.firing(5000).map((v) => v.id), ['server|s|a'], 'snoozed b is not firing(); acknowledged a is, flagged');
  });

  it('expireServerAlerts resolves the silent sources’ server alerts only, never rule alerts', () => {
    const book = firingBook();
    book.mergeServerAlerts('s', [alert('a')], 0);
    book.mergeServerAlerts('t', [alert('a')], 0);
    assert.equal(book.expireServerAlerts(20_000, (id) => id === 'nobody'), false);
    assert.equal(book.expireServerAlerts(20_000, (id) => id === 's'), true);
    assert.deepEqual(book.firing(20_000).map((v) => v.id).sort(), ['r|s|m', 'server|t|a']);
    assert.equal(book.views(20_000).find((v) => v.id === 'server|s|a')?.resolvedAt, 20_000);
  });

  it('another source’s list does not touch them', () => {
    const book = new AlertBook();
    book.mergeServerAlerts('s', [alert('a')], 0);
    for (let i = 1; i <= 5; i++) book.mergeServerAlerts('t', [], i);
    assert.equal(book.firing(5).length, 1);
  });
});

describe('AlertBook persistence', () => {
  it('dismissed stays dismissed across a reload while the episode continues', () => {
    const book = firingBook();
    book.dismiss('r|s|m');
    const saved = JSON.parse(JSON.stringify(book.serialize())) as unknown;
    const { book: restored, problems } = AlertBook.restore(saved, 60_000);
    assert.deepEqual(problems, []);
    assert.equal(restored.has('r|s|m'), true);
    // after the reload the engine starts from scratch and finds the alert again
    const r1 = restored.apply([tr('ok', 'pending', 61_000)], 61_000);
    const r2 = restored.apply([tr('pending', 'firing', 66_000)], 66_000);
    assert.equal(r1.newlyFiring.length + r2.newlyFiring.length, 0, 'no second notification');
    assert.equal(restored.views(66_000).length, 0, 'still dismissed');
    restored.apply([tr('firing', 'resolved', 70_000)], 70_000);
    restored.apply([tr('ok', 'firing', 80_000)], 80_000);
    assert.equal(restored.views(80_000).length, 1, 'a new episode shows');
  });

  it('keeps acknowledged and snoozed, drops expired snoozes', () => {
    const book = firingBook();
    book.apply([tr('ok', 'firing', 0, { alertId: 'b' })], 0);
    book.acknowledge('r|s|m');
    book.snooze('r|s|m', 'restart', 0);
    book.snooze('b', '15m', 0);
    const { book: restored } = AlertBook.restore(JSON.parse(JSON.stringify(book.serialize())), 20 * 60_000);
    restored.apply([tr('ok', 'firing', 20 * 60_000), tr('ok', 'firing', 20 * 60_000, { alertId: 'b' })], 20 * 60_000);
    const views = restored.views(20 * 60_000);
    const a = views.find((v) => v.id === 'r|s|m');
    assert.equal(a?.acknowledged, true);
    assert.equal(a?.snoozedUntilRestart, true);
    assert.equal(views.find((v) => v.id === 'b')?.snoozedUntil, null);
  });

  it('restored alerts the engine does not confirm are resolved after the grace period', () => {
    const { book } = AlertBook.restore(firingBook().serialize(), 0);
    assert.equal(book.views(0)[0]?.state, 'firing');
    book.apply([], RESTORE_GRACE_MS);
    assert.equal(book.views(RESTORE_GRACE_MS)[0]?.state, 'resolved');
  });

  it('corrupt values give an empty book and a problem, never throw', () => {
    for (const bad of ['x', 5, [], { v: 2 }, { v: 1, alerts: 'x' }, { v: 1, alerts: [[1, 2, 3]] }, { v: 1, alerts: [], snoozed: [['a', 'b', 'c']] }]) {
      const { book, problems } = AlertBook.restore(bad, 0);
      assert.equal(problems.length, 1, JSON.stringify(bad));
      assert.equal(book.views(0).length, 0);
    }
    assert.deepEqual(AlertBook.restore(undefined, 0).problems, []);
  });

  it('clear empties everything', () => {
    const book = firingBook();
    book.dismiss('r|s|m');
    book.clear();
    assert.equal(book.size, 0);
    assert.equal(book.views(0).length, 0);
  });
});

describe('AlertBook.adoptRestored (sources connect while history restores)', () => {
  it('a live alert that fired before the restore stays, whatever the saved book held', () => {
    const live = firingBook(100_000);
    live.adoptRestored(AlertBook.restore(undefined, 0).book);
    assert.deepEqual(live.firing(105_000).map((a) => a.id), ['r|s|m']);
  });

  it('a live alert continuing a saved one keeps the saved episode and the user decisions', () => {
    const saved = firingBook(0);
    saved.dismiss('r|s|m');
    saved.snooze('other', '1h', 5000);
    const { book: restored } = AlertBook.restore(JSON.parse(JSON.stringify(saved.serialize())), 10_000);
    const live = firingBook(20_000);
    live.adoptRestored(restored);
    assert.deepEqual(live.firing(30_000), [], 'dismissed in the last session: still dismissed');
    assert.equal(live.views(30_000).length, 0);
  });

  it('saved alerts not seen live yet are added; a live acknowledgement is kept', () => {
    const saved = new AlertBook();
    saved.apply([tr('ok', 'firing', 0, { alertId: 'x|s|m' })], 0);
    const { book: restored } = AlertBook.restore(JSON.parse(JSON.stringify(saved.serialize())), 1000);
    const live = firingBook(2000);
    live.acknowledge('r|s|m');
    live.adoptRestored(restored);
    const views = live.views(8000);
    assert.deepEqual(views.map((a) => a.id).sort(), ['r|s|m', 'x|s|m']);
    assert.equal(views.find((a) => a.id === 'r|s|m')?.acknowledged, true);
  });
});
