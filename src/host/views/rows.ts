// What the Sources and Alerts trees show, computed from the pipeline without VS Code (tested in Node).
// Names, URLs, errors and alert messages come from settings and servers: all through plainText.

import type { SourceRuntime } from '../../core/pipeline';
import type { AlertView } from '../../shared/views';
import type { SafeText } from '../../core/views/safeText';
import { joinSafe, plainText, safe } from '../../core/views/safeText';

export interface Row {
  readonly id: string;
  readonly label: SafeText;
  readonly description: SafeText;
  readonly tooltip: SafeText;
  /** A codicon id, e.g. `pass-filled`. */
  readonly icon: string;
  /** A theme color id for the icon. */
  readonly color?: string;
  /** Drives `view/item/context` menus in package.json. */
  readonly contextValue: string;
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

function stateOf(rt: SourceRuntime, enabled: boolean, now: number): { text: string; icon: string; color?: string } {
  if (!enabled) return { text: 'disabled', icon: 'circle-slash', color: 'disabledForeground' };
  const s = rt.state;
  switch (s.phase) {
    case 'open':
      return { text: 'connected', icon: 'pass-filled', color: 'testing.iconPassed' };
    case 'connecting':
      return { text: s.attempt > 1 ? `connecting (attempt ${s.attempt})` : 'connecting', icon: 'sync~spin' };
    case 'reconnecting': {
      const wait = seconds(s.retryAt - now);
      return { text: wait === '0 s' ? 'reconnecting' : `reconnecting in ${wait}`, icon: 'sync~spin', color: 'list.warningForeground' };
    }
    case 'failed':
      return { text: 'failed', icon: 'error', color: 'list.errorForeground' };
    case 'closed':
      return { text: 'disconnected', icon: 'debug-disconnect' };
    default:
      return { text: 'idle', icon: 'circle-outline' };
  }
}

function rate(n: number): string {
  if (n === 0) return '0';
  return n < 10 ? n.toFixed(1) : String(Math.round(n));
}

/** One row per configured source: state icon, messages/s, the current or last error in the tooltip. */
export function sourceRows(runtimes: readonly SourceRuntime[], isEnabled: (id: string) => boolean, now: number): Row[] {
  return runtimes.map((rt) => {
    const enabled = isEnabled(rt.config.id);
    const state = stateOf(rt, enabled, now);
    const open = enabled && rt.state.phase === 'open';
    const perSecond = open ? rt.meter.rate(now) : 0;
    const reason = rt.state.phase === 'failed' || rt.state.phase === 'reconnecting' ? rt.state.reason : null;
    const error = rt.lastError ?? reason ?? rt.lastReportedError;
    const description = open ? safe`${state.text} · ${rate(perSecond)} msg/s` : error && enabled ? safe`${state.text} · ${plainText(error, 80)}` : safe`${state.text}`;
    const lines = [
      safe`${rt.config.name}`,
      safe`${rt.config.url} (${rt.config.kind}, ${rt.config.format})`,
      safe`State: ${state.text}${open ? ` · ${rate(perSecond)} messages/s` : ''} · ${rt.messages} messages so far`,
    ];
    if (error) lines.push(safe`Last error: ${plainText(error, 240)}`);
    if (rt.config.scope === 'workspace') lines.push(safe`Defined in workspace settings`);
    return {
      id: rt.config.id,
      label: plainText(rt.config.name, 64),
      description,
      tooltip: joinSafe(...lines.flatMap((l, i) => (i === 0 ? [l] : [safe`\n`, l]))),
      icon: state.icon,
      color: state.color,
      contextValue: enabled ? `pulseSource.enabled${rt.config.scope === 'workspace' ? '.workspace' : ''}` : 'pulseSource.disabled',
    };
  });
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export interface AlertRows {
  /** Firing, pending and no-data alerts. */
  readonly active: Row[];
  /** Recently resolved. */
  readonly recent: Row[];
}

/** Active alerts that still ask for attention (not acknowledged, not snoozed): the view's badge. */
export function attentionCount(alerts: readonly AlertView[]): number {
  return alerts.filter((a) => a.state !== 'resolved' && !a.acknowledged && a.snoozedUntil === null && !a.snoozedUntilRestart).length;
}

/** Alerts split into active and recently resolved; `sourceName` maps a source id to its name. */
export function alertRows(alerts: readonly AlertView[], sourceName: (id: string) => string, now: number): AlertRows {
  const active: Row[] = [];
  const recent: Row[] = [];
  for (const a of alerts) {
    const resolved = a.state === 'resolved';
    const snoozed = a.snoozedUntil !== null || a.snoozedUntilRestart;
    const quiet = a.acknowledged || snoozed;
    const icon = resolved ? 'pass' : a.state === 'nodata' ? 'question' : a.state === 'pending' ? 'watch' : a.severity === 'critical' ? 'error' : 'warning';
    const color = resolved ? undefined : a.severity === 'critical' ? 'list.errorForeground' : 'list.warningForeground';
    const when = resolved && a.resolvedAt !== null ? `resolved ${ago(now - a.resolvedAt)}` : `${a.state === 'firing' ? 'since' : a.state} ${ago(now - a.since)}`;
    const flags = [a.acknowledged ? 'acknowledged' : '', snoozed ? 'snoozed' : ''].filter((f) => f !== '').join(', ');
    const source = sourceName(a.sourceId);
    const row: Row = {
      id: a.id,
      label: plainText(a.message, 120),
      description: safe`${source} · ${when}${flags ? ` · ${flags}` : ''}`,
      tooltip: joinSafe(safe`${a.severity} ${a.state}: ${plainText(a.message, 300)}`, safe`\nSource: ${source}`, flags ? safe`\n${flags}` : safe``),
      icon,
      color: quiet ? 'disabledForeground' : color,
      // A snoozed alert offers only Dismiss inline; an acknowledged one Snooze and Dismiss.
      contextValue: resolved ? 'pulseAlert.resolved' : `pulseAlert.active${snoozed ? '.snoozed' : a.acknowledged ? '.acked' : ''}`,
    };
    (resolved ? recent : active).push(row);
  }
  return { active, recent };
}
