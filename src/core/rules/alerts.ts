// The alerts users see: rule alerts (from RuleEngine transitions) and alerts the servers send,
// with their lifecycle (pending → firing → resolved) and what the user decided about them.
//
// An episode is one run of an alert from its first pending/firing to its resolution; it is
// identified by its start time. A dismissal holds for its episode only (a new episode shows
// again); it survives a reload because restored active alerts continue their episode when the
// rule engine confirms them (any non-ending transition within RESTORE_GRACE_MS).
//
// Server alerts are identified per source by the decoder's id (derived from the alert's type and
// labels, never the server's own id, which may be new on every message). An alert list that does
// not contain one (an empty list included) resolves it at once; a source that falls silent has its
// server alerts resolved by expireServerAlerts. Call mergeServerAlerts only for messages that carry
// an alert list.

import type { AlertState, Direction, Severity, SnoozeDuration, Unit } from '../../shared/vocabulary';
import type { AlertView } from '../../shared/views';
import { ALERT_STATES, DIRECTIONS, SEVERITIES, UNITS } from '../../shared/vocabulary';
import { isFiniteNumber, isOneOf } from '../../shared/check';
import type { ServerAlert } from '../model';
import type { AlertTransition } from './engine';
import { seriesId } from '../series/store';

export const MAX_ALERTS = 500;
export const MAX_RESOLVED = 50;
/** Restored active alerts not confirmed by the engine within this long are resolved. */
export const RESTORE_GRACE_MS = 120_000;
const SNOOZE_MS: Readonly<Record<Exclude<SnoozeDuration, 'restart'>, number>> = { '15m': 15 * 60_000, '1h': 60 * 60_000 };
const FORMAT_VERSION = 1;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };
const STATE_RANK: Readonly<Record<AlertState, number>> = { firing: 0, nodata: 1, pending: 2, resolved: 3 };

interface Entry {
  readonly id: string;
  readonly ruleId: string | null;
  readonly seriesId: string | null;
  readonly sourceId: string;
  readonly origin: 'rule' | 'server';
  severity: Severity;
  state: AlertState;
  /** The text, or where to get it: a rule's text is formatted when first read (see messageOf), not on every update. */
  message: string | { readonly message: string };
  /** Start of the episode (identity for dismissals). */
  episode: number;
  /** When the current state was entered. */
  since: number;
  value: number | null;
  peak: number | null;
  threshold: number | null;
  unit: Unit;
  direction: Direction;
  acknowledged: boolean;
  /** This episode has been firing (so firing again after a reload or a flap is not news). */
  fired: boolean;
  resolvedAt: number | null;
  /** Restored from a previous session and not yet confirmed by a transition: resolve after this. */
  unconfirmedUntil: number | null;
}

interface Snooze {
  readonly until: number; // Infinity: until the source restarts
  readonly sourceId: string;
}

function isActive(e: Entry): boolean {
  return e.state !== 'resolved';
}

export class AlertBook {
  private readonly entries = new Map<string, Entry>();
  private readonly snoozes = new Map<string, Snooze>();
  /** Alert id → the episode that was dismissed. */
  private readonly dismissed = new Map<string, number>();
  private clock = 0;

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  apply(transitions: readonly AlertTransition[], now: number): { newlyFiring: AlertView[] } {
    this.tick(now);
    const newly = new Map<string, Entry>();
    for (const t of transitions) {
      const e = this.entries.get(t.alertId);
      if (t.to === 'ok' || t.to === 'resolved') {
        if (e === undefined || !isActive(e)) continue;
        if (t.to === 'ok' && !e.fired && e.state === 'pending') {
          this.delete(e.id); // a pending that never fired is forgotten
          continue;
        }
        this.resolve(e, t.at, t, t.value);
        newly.delete(e.id);
        continue;
      }
      let entry = e;
      if (entry === undefined || !isActive(entry)) {
        entry = this.open({
          id: t.alertId,
          ruleId: t.ruleId,
          seriesId: t.seriesId,
          sourceId: t.sourceId,
          origin: 'rule',
          at: t.at,
          unit: t.unit ?? 'none',
          direction: t.direction ?? 'above',
        });
      }
      entry.unconfirmedUntil = null;
      const wasFiring = entry.state === 'firing';
      const escalated = wasFiring && SEVERITY_RANK[t.severity] > SEVERITY_RANK[entry.severity];
      if (entry.state !== t.to) entry.since = t.at;
      entry.state = t.to;
      entry.severity = t.severity;
      entry.message = t;
      entry.value = t.value;
      entry.threshold = t.threshold;
      if (t.unit !== undefined) entry.unit = t.unit;
      this.notePeak(entry, t.value);
      if (t.to === 'firing' && ((!wasFiring && !entry.fired) || escalated)) newly.set(entry.id, entry);
      if (t.to === 'firing') entry.fired = true;
    }
    this.bound();
    return { newlyFiring: this.visibleOf(newly.values()) };
  }

  mergeServerAlerts(sourceId: string, alerts: readonly ServerAlert[], now: number): { newlyFiring: AlertView[] } {
    this.tick(now);
    const seen = new Set<string>();
    const newly: Entry[] = [];
    for (const a of alerts.slice(0, MAX_ALERTS)) {
      if (typeof a.id !== 'string') continue;
      const id = `server|${sourceId}|${a.id}`;
      if (seen.has(id)) continue;
      seen.add(id);
      let e = this.entries.get(id);
      const isNew = e === undefined || !isActive(e);
      if (e === undefined || !isActive(e)) {
        const since = typeof a.timestamp === 'number' && Number.isFinite(a.timestamp) && a.timestamp <= now ? a.timestamp : now;
        e = this.open({
          id,
          ruleId: null,
          seriesId: typeof a.metric === 'string' && a.metric.length > 0 ? seriesId(sourceId, a.metric, []) : null,
          sourceId,
          origin: 'server',
          at: now,
          unit: 'none',
          direction: 'above',
        });
        e.since = since;
      }
      e.unconfirmedUntil = null;
      const escalated = !isNew && e.fired && SEVERITY_RANK[a.severity] > SEVERITY_RANK[e.severity];
      e.state = 'firing';
      e.severity = a.severity;
      e.message = a;
      e.value = typeof a.value === 'number' && Number.isFinite(a.value) ? a.value : null;
      e.threshold = typeof a.threshold === 'number' && Number.isFinite(a.threshold) ? a.threshold : null;
      this.notePeak(e, e.value);
      if ((isNew && !e.fired) || escalated) newly.push(e);
      e.fired = true;
    }
    // The list is the server's whole current set: whatever it no longer sends is over.
    for (const e of this.entries.values()) {
      if (e.origin === 'server' && e.sourceId === sourceId && isActive(e) && !seen.has(e.id)) this.resolve(e, now, e.message, e.value);
    }
    this.bound();
    return { newlyFiring: this.visibleOf(newly) };
  }

  /** Resolves the active server alerts of the sources `isSilent` names (gone quiet, or removed). True when any resolved. */
  expireServerAlerts(now: number, isSilent: (sourceId: string) => boolean): boolean {
    this.tick(now);
    let any = false;
    for (const e of this.entries.values()) {
      if (e.origin !== 'server' || !isActive(e) || e.unconfirmedUntil !== null || !isSilent(e.sourceId)) continue;
      this.resolve(e, now, e.message, e.value);
      any = true;
    }
    return any;
  }

  /** Quiet until it resolves. */
  acknowledge(id: string): boolean {
    const e = this.entries.get(id);
    if (e === undefined || !isActive(e)) return false;
    e.acknowledged = true;
    return true;
  }

  snooze(id: string, duration: SnoozeDuration, now: number): boolean {
    this.tick(now);
    const e = this.entries.get(id);
    if (e === undefined) return false;
    this.snoozes.set(id, { until: duration === 'restart' ? Infinity : now + SNOOZE_MS[duration], sourceId: e.sourceId });
    return true;
  }

  snoozeAll(duration: SnoozeDuration, now: number): void {
    for (const e of [...this.entries.values()]) if (isActive(e)) this.snooze(e.id, duration, now);
  }

  /** Hidden for the rest of this episode (across reloads); a new episode shows again. */
  dismiss(id: string): boolean {
    const e = this.entries.get(id);
    if (e === undefined) return false;
    this.dismissed.set(id, e.episode);
    return true;
  }

  dismissAll(): void {
    for (const e of this.entries.values()) this.dismissed.set(e.id, e.episode);
  }

  /** Ends the "until restart" snoozes of this source's alerts. */
  serverRestarted(sourceId: string): void {
    for (const [id, s] of this.snoozes) if (s.until === Infinity && s.sourceId === sourceId) this.snoozes.delete(id);
  }

  /** Visible alerts: active ones first (firing, no data, pending; critical first, newest first), then the recently resolved. */
  views(now: number): AlertView[] {
    this.tick(now);
    const visible = [...this.entries.values()].filter((e) => !this.isDismissed(e));
    const active = visible.filter(isActive).sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.since - a.since);
    const resolved = visible
      .filter((e) => !isActive(e))
      .sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0))
      .slice(0, MAX_RESOLVED);
    return [...active, ...resolved].map((e) => this.view(e, now));
  }

  /** Firing alerts that are not dismissed and not snoozed (acknowledged ones included, flagged). */
  firing(now: number = this.clock): AlertView[] {
    const out: AlertView[] = [];
    for (const e of this.entries.values()) {
      if (e.state === 'firing' && !this.isDismissed(e) && !this.isSnoozed(e.id, now)) out.push(this.view(e, now));
    }
    return out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.since - a.since);
  }

  clear(): void {
    this.entries.clear();
    this.snoozes.clear();
    this.dismissed.clear();
  }

  /** Compact JSON for workspace state: active alerts with the user's decisions, and snoozes. */
  serialize(): unknown {
    const alerts: unknown[] = [];
    for (const e of this.entries.values()) {
      if (!isActive(e)) continue;
      alerts.push([
        e.id,
        e.ruleId,
        e.seriesId,
        e.sourceId,
        e.origin,
        e.severity,
        e.state,
        messageOf(e),
        e.episode,
        e.since,
        e.value,
        e.peak,
        e.threshold,
        e.unit,
        e.direction,
        e.acknowledged ? 1 : 0,
        e.fired ? 1 : 0,
        this.dismissed.get(e.id) === e.episode ? 1 : 0,
      ]);
    }
    const snoozed: unknown[] = [];
    for (const [id, s] of this.snoozes) snoozed.push([id, s.until === Infinity ? null : s.until, s.sourceId]);
    return { v: FORMAT_VERSION, alerts, snoozed };
  }

  /** Never throws: a corrupt value gives an empty book and a problem; bad rows are skipped and reported. */
  static restore(value: unknown, now: number): { book: AlertBook; problems: string[] } {
    const book = new AlertBook();
    book.clock = now;
    const problems: string[] = [];
    if (value === undefined || value === null) return { book, problems };
    if (typeof value !== 'object' || Array.isArray(value)) return { book, problems: ['not an object; discarded'] };
    const v = value as Record<string, unknown>;
    if (v.v !== FORMAT_VERSION) return { book, problems: [`unknown format version ${JSON.stringify(v.v) ?? 'undefined'}; discarded`] };
    const rows = Array.isArray(v.alerts) ? v.alerts : [];
    if (!Array.isArray(v.alerts)) problems.push('alert list missing; no alerts restored');
    let bad = 0;
    for (const row of rows.slice(0, MAX_ALERTS)) {
      const e = parseRow(row, now);
      if (e === null || book.entries.has(e.entry.id)) bad++;
      else {
        book.entries.set(e.entry.id, e.entry);
        if (e.dismissed) book.dismissed.set(e.entry.id, e.entry.episode);
      }
    }
    if (rows.length > MAX_ALERTS) problems.push(`${rows.length - MAX_ALERTS} alerts beyond the cap of ${MAX_ALERTS} discarded`);
    const snoozed = Array.isArray(v.snoozed) ? v.snoozed : [];
    for (const row of snoozed.slice(0, MAX_ALERTS)) {
      if (!Array.isArray(row) || row.length !== 3 || typeof row[0] !== 'string' || typeof row[2] !== 'string') {
        bad++;
        continue;
      }
      const until: unknown = row[1];
      if (until === null) book.snoozes.set(row[0], { until: Infinity, sourceId: row[2] });
      else if (typeof until === 'number' && Number.isFinite(until)) {
        if (until > now) book.snoozes.set(row[0], { until, sourceId: row[2] });
      } else bad++;
    }
    if (bad > 0) problems.push(`${bad} malformed entr${bad === 1 ? 'y' : 'ies'} discarded`);
    return { book, problems };
  }

  /**
   * Takes in a book restored from saved state while this one may already hold live alerts (sources
   * connect while history restores). A restored alert the live one continues keeps its episode and the
   * user's decisions (acknowledged, dismissed) and takes the live state and values; restored alerts
   * not seen live yet are added (the engine confirms or ends them); restored snoozes are added.
   */
  adoptRestored(restored: AlertBook): void {
    this.clock = Math.max(this.clock, restored.clock);
    for (const [id, r] of restored.entries) {
      const live = this.entries.get(id);
      const dismissedEpisode = restored.dismissed.get(id);
      if (live === undefined) {
        this.entries.set(id, r);
        if (dismissedEpisode !== undefined) this.dismissed.set(id, dismissedEpisode);
        continue;
      }
      if (!isActive(live) || !isActive(r)) continue;
      live.episode = r.episode;
      if (live.state === r.state) live.since = r.since;
      live.acknowledged = live.acknowledged || r.acknowledged;
      live.fired = live.fired || r.fired;
      this.notePeak(live, r.peak);
      if (dismissedEpisode === r.episode) this.dismissed.set(id, r.episode);
    }
    for (const [id, snooze] of restored.snoozes) if (!this.snoozes.has(id)) this.snoozes.set(id, snooze);
    this.bound();
  }

  // ------------------------------------------------------------------ internals

  private open(o: { id: string; ruleId: string | null; seriesId: string | null; sourceId: string; origin: 'rule' | 'server'; at: number; unit: Unit; direction: Direction }): Entry {
    const e: Entry = {
      id: o.id,
      ruleId: o.ruleId,
      seriesId: o.seriesId,
      sourceId: o.sourceId,
      origin: o.origin,
      severity: 'warning',
      state: 'pending',
      message: '',
      episode: o.at,
      since: o.at,
      value: null,
      peak: null,
      threshold: null,
      unit: o.unit,
      direction: o.direction,
      acknowledged: false,
      fired: false,
      resolvedAt: null,
      unconfirmedUntil: null,
    };
    // Re-insert so Map order is recency of the episode (eviction takes the oldest first).
    this.entries.delete(o.id);
    this.entries.set(o.id, e);
    this.dismissed.delete(o.id); // a new episode is visible again
    return e;
  }

  private resolve(e: Entry, at: number, message: Entry['message'], value: number | null): void {
    e.state = 'resolved';
    e.resolvedAt = at;
    e.since = at;
    e.message = message;
    e.value = value;
    e.acknowledged = false;
    e.unconfirmedUntil = null;
  }

  private delete(id: string): void {
    this.entries.delete(id);
    this.dismissed.delete(id);
  }

  private notePeak(e: Entry, value: number | null): void {
    if (value === null) return;
    if (e.peak === null) e.peak = value;
    else e.peak = e.direction === 'below' ? Math.min(e.peak, value) : Math.max(e.peak, value);
  }

  private tick(now: number): void {
    if (now > this.clock) this.clock = now;
    for (const e of this.entries.values()) {
      if (e.unconfirmedUntil !== null && now >= e.unconfirmedUntil) this.resolve(e, now, e.message, e.value);
    }
    for (const [id, s] of this.snoozes) if (s.until <= now) this.snoozes.delete(id);
  }

  private isDismissed(e: Entry): boolean {
    return this.dismissed.get(e.id) === e.episode;
  }

  private isSnoozed(id: string, now: number): boolean {
    const s = this.snoozes.get(id);
    return s !== undefined && s.until > now;
  }

  private visibleOf(entries: Iterable<Entry>): AlertView[] {
    const out: AlertView[] = [];
    for (const e of entries) {
      if (e.state === 'firing' && !this.isDismissed(e) && !this.isSnoozed(e.id, this.clock) && !e.acknowledged) out.push(this.view(e, this.clock));
    }
    return out;
  }

  /** Keeps at most MAX_RESOLVED resolved and MAX_ALERTS in all, dropping the oldest resolved, then the oldest active. */
  private bound(): void {
    // Runs after every batch of transitions: count first, sort only when there is something to drop.
    let resolvedCount = 0;
    for (const e of this.entries.values()) if (!isActive(e)) resolvedCount++;
    if (resolvedCount > MAX_RESOLVED) {
      const resolved = [...this.entries.values()].filter((e) => !isActive(e)).sort((a, b) => (a.resolvedAt ?? 0) - (b.resolvedAt ?? 0));
      let excessResolved = resolved.length - MAX_RESOLVED;
      for (const e of resolved) {
        if (excessResolved <= 0) break;
        this.delete(e.id);
        excessResolved--;
      }
    }
    let excess = this.entries.size - MAX_ALERTS;
    if (excess <= 0) return;
    for (const e of [...this.entries.values()]) {
      if (excess <= 0) break;
      if (e.state === 'firing' && e.severity === 'critical') continue;
      this.delete(e.id);
      excess--;
    }
    for (const id of [...this.entries.keys()]) {
      if (excess <= 0) break;
      this.delete(id);
      excess--;
    }
    for (const id of this.snoozes.keys()) if (!this.entries.has(id)) this.snoozes.delete(id);
  }

  private view(e: Entry, now: number): AlertView {
    const s = this.snoozes.get(e.id);
    const snoozed = s !== undefined && s.until > now;
    return {
      id: e.id,
      ruleId: e.ruleId,
      seriesId: e.seriesId,
      sourceId: e.sourceId,
      origin: e.origin,
      severity: e.severity,
      state: e.state,
      message: messageOf(e),
      since: e.since,
      value: e.value,
      peak: e.peak,
      threshold: e.threshold,
      unit: e.unit,
      acknowledged: e.acknowledged,
      snoozedUntil: snoozed && s.until !== Infinity ? s.until : null,
      snoozedUntilRestart: snoozed && s.until === Infinity,
      resolvedAt: e.resolvedAt,
    };
  }
}

const ACTIVE_STATES = ALERT_STATES.filter((state) => state !== 'resolved');

function str(x: unknown, max = 2000): x is string {
  return typeof x === 'string' && x.length <= max;
}
function numOrNull(x: unknown): x is number | null {
  return x === null || isFiniteNumber(x);
}

function parseRow(row: unknown, now: number): { entry: Entry; dismissed: boolean } | null {
  if (!Array.isArray(row) || row.length !== 18) return null;
  const [id, ruleId, sId, sourceId, origin, severity, state, message, episode, since, value, peak, threshold, unit, direction, ack, fired, dismissed] = row as unknown[];
  if (!str(id, 1000) || id.length === 0 || !(ruleId === null || str(ruleId, 1000)) || !(sId === null || str(sId, 1000)) || !str(sourceId, 1000)) return null;
  if ((origin !== 'rule' && origin !== 'server') || !isOneOf(severity, SEVERITIES) || !isOneOf(state, ACTIVE_STATES)) return null;
  if (!str(message) || !isFiniteNumber(episode) || !isFiniteNumber(since) || !numOrNull(value) || !numOrNull(peak) || !numOrNull(threshold)) return null;
  if (!isOneOf(unit, UNITS) || !isOneOf(direction, DIRECTIONS)) return null;
  if ((ack !== 0 && ack !== 1) || (fired !== 0 && fired !== 1) || (dismissed !== 0 && dismissed !== 1)) return null;
  return {
    dismissed: dismissed === 1,
    entry: {
      id,
      ruleId,
      seriesId: sId,
      sourceId,
      origin,
      severity,
      state,
      message,
      episode,
      since,
      value,
      peak,
      threshold,
      unit,
      direction,
      acknowledged: ack === 1,
      fired: fired === 1,
      resolvedAt: null,
      unconfirmedUntil: now + RESTORE_GRACE_MS,
    },
  };
}

/** An entry's text, formatted now if it was left to the reader (and kept). */
function messageOf(e: Entry): string {
  if (typeof e.message !== 'string') e.message = e.message.message;
  return e.message;
}
