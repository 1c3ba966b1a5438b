// What the Sources and Alerts trees show, computed from the pipeline without VS Code (tested in Node).
// Names, URLs, errors and alert messages come from settings and servers: all through plainText.

import type { SourceRuntime } from '../../core/pipeline';
import type { AlertView } from '../../shared/views';
import type { SafeText, Translator } from '../../core/views/safeText';
import { english, joinSafe, plainText, safe, translator } from '../../core/views/safeText';
import { isDerivedId } from '../sources/derivedSources';
const ENGLISH = translator(english);

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

function stateOf(rt: SourceRuntime, enabled: boolean, now: number, l10n: Translator): { text: SafeText; icon: string; color?: string } {
  if (!enabled) return { text: l10n.t('disabled'), icon: 'circle-slash', color: 'disabledForeground' };
  const s = rt.state;
  switch (s.phase) {
    case 'open':
      return { text: l10n.t('connected'), icon: 'pass-filled', color: 'testing.iconPassed' };
    case 'connecting':
      return { text: s.attempt > 1 ? l10n.t('connecting (attempt {0})', s.attempt) : l10n.t('connecting'), icon: 'sync~spin' };
    case 'reconnecting': {
      const wait = Math.max(0, Math.round((s.retryAt - now) / 1000));
      return { text: wait === 0 ? l10n.t('reconnecting') : l10n.t('reconnecting in {0} s', wait), icon: 'sync~spin', color: 'list.warningForeground' };
    }
    case 'failed':
      return { text: l10n.t('failed'), icon: 'error', color: 'list.errorForeground' };
    case 'closed':
      return { text: l10n.t('disconnected'), icon: 'debug-disconnect' };
    default:
      return { text: l10n.t('idle'), icon: 'circle-outline' };
  }
}

function rate(n: number): string {
  if (n === 0) return '0';
  return n < 10 ? n.toFixed(1) : String(Math.round(n));
}

/** One row per configured source: state icon, messages/s, the current or last error in the tooltip. `l10n`: the host's words. */
export function sourceRows(runtimes: readonly SourceRuntime[], isEnabled: (id: string) => boolean, now: number, l10n: Translator = ENGLISH): Row[] {
  return runtimes.map((rt) => {
    const enabled = isEnabled(rt.config.id);
    const state = stateOf(rt, enabled, now, l10n);
    const open = enabled && rt.state.phase === 'open';
    const perSecond = open ? rt.meter.rate(now) : 0;
    const reason = rt.state.phase === 'failed' || rt.state.phase === 'reconnecting' ? rt.state.reason : null;
    const error = rt.lastError ?? reason ?? rt.lastReportedError;
    const perSecondText = plainText(rate(perSecond));
    const description = open ? l10n.t('{0} · {1} msg/s', state.text, perSecondText) : error && enabled ? joinSafe(state.text, safe` · ${plainText(error, 80)}`) : state.text;
    const lines = [
      safe`${rt.config.name}`,
      safe`${rt.config.url} (${rt.config.kind}, ${rt.config.format})`,
      open ? l10n.t('State: {0} · {1} messages/s · {2} messages so far', state.text, perSecondText, rt.messages) : l10n.t('State: {0} · {1} messages so far', state.text, rt.messages),
    ];
    if (error) lines.push(l10n.t('Last error: {0}', plainText(error, 240)));
    if (rt.config.scope === 'workspace') lines.push(l10n.t('Defined in workspace settings'));
    return {
      id: rt.config.id,
      label: plainText(rt.config.name, 64),
      description,
      tooltip: joinSafe(...lines.flatMap((l, i) => (i === 0 ? [l] : [safe`\n`, l]))),
      icon: state.icon,
      color: state.color,
      contextValue: contextOf(rt, enabled),
    };
  });
}

/**
 * A service's source (derived from a receiver) offers only what acts on its receiver: Reconnect and
 * Disable/Enable. Settings define no such source: no Edit, Remove, Set Token or Test.
 */
function contextOf(rt: SourceRuntime, enabled: boolean): string {
  if (isDerivedId(rt.config.id)) return enabled ? 'pulseSource.enabled.derived' : 'pulseSource.disabled.derived';
  return enabled ? `pulseSource.enabled${rt.config.scope === 'workspace' ? '.workspace' : ''}` : 'pulseSource.disabled';
}

function ago(ms: number, l10n: Translator): SafeText {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return l10n.t('{0} s ago', s);
  if (s < 3600) return l10n.t('{0} min ago', Math.round(s / 60));
  return l10n.t('{0} h ago', Math.round(s / 3600));
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

/** Alerts split into active and recently resolved; `sourceName` maps a source id to its name; `l10n`: the host's words. */
export function alertRows(alerts: readonly AlertView[], sourceName: (id: string) => string, now: number, l10n: Translator = ENGLISH): AlertRows {
  const active: Row[] = [];
  const recent: Row[] = [];
  for (const a of alerts) {
    const resolved = a.state === 'resolved';
    const snoozed = a.snoozedUntil !== null || a.snoozedUntilRestart;
    const quiet = a.acknowledged || snoozed;
    const icon = resolved ? 'pass' : a.state === 'nodata' ? 'question' : a.state === 'pending' ? 'watch' : a.severity === 'critical' ? 'error' : 'warning';
    const color = resolved ? undefined : a.severity === 'critical' ? 'list.errorForeground' : 'list.warningForeground';
    const since = ago(now - a.since, l10n);
    const when =
      resolved && a.resolvedAt !== null
        ? l10n.t('resolved {0}', ago(now - a.resolvedAt, l10n))
        : a.state === 'firing'
          ? l10n.t('since {0}', since)
          : a.state === 'pending'
            ? l10n.t('pending {0}', since)
            : l10n.t('{0} {1}', plainText(a.state), since);
    const flagList = [a.acknowledged ? l10n.t('acknowledged') : null, snoozed ? l10n.t('snoozed') : null].filter((f): f is SafeText => f !== null);
    const flags = flagList.length === 2 ? l10n.t('{0}, {1}', ...flagList) : (flagList[0] ?? null);
    const source = plainText(sourceName(a.sourceId));
    const row: Row = {
      id: a.id,
      label: plainText(a.message, 120),
      description: flags ? l10n.t('{0} · {1} · {2}', source, when, flags) : l10n.t('{0} · {1}', source, when),
      tooltip: joinSafe(safe`${a.severity} ${a.state}: ${plainText(a.message, 300)}`, safe`\n`, l10n.t('Source: {0}', source), flags ? joinSafe(safe`\n`, flags) : safe``),
      icon,
      color: quiet ? 'disabledForeground' : color,
      // A snoozed alert offers only Dismiss inline; an acknowledged one Snooze and Dismiss.
      contextValue: resolved ? 'pulseAlert.resolved' : `pulseAlert.active${snoozed ? '.snoozed' : a.acknowledged ? '.acked' : ''}`,
    };
    (resolved ? recent : active).push(row);
  }
  return { active, recent };
}
