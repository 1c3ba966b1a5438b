// Firing and recent alerts with acknowledge / snooze / dismiss.
import type { AlertView, RuleView } from '../../src/shared/views';
import type { SnoozeDuration } from '../../src/shared/vocabulary';
import { formatTime, formatValue } from '../../src/shared/format';
import type { PanelState } from '../state';
import type { VsCodeApi } from '../ui/vscodeApi';
import { button, el, setHidden, setText } from '../ui/dom';
import { icon } from '../ui/icons';
import { agoText, safeText } from '../ui/text';
import { handlerTargetOfSeries } from '../devloop/handlerTarget';
import { goToHandlerButton } from '../devloop/goToHandler';
import { l10n } from '../ui/l10n';

const MAX_RECENT = 20;
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

interface AlertNodes {
  readonly li: HTMLLIElement;
  readonly iconBox: HTMLElement;
  readonly message: HTMLElement;
  readonly since: HTMLElement;
  readonly value: HTMLElement;
  readonly status: HTMLElement;
  readonly ack: HTMLButtonElement;
  readonly snooze: HTMLButtonElement;
  readonly menu: HTMLElement;
  severity: string;
}

const SNOOZES: readonly { duration: SnoozeDuration; text: () => string }[] = [
  { duration: '15m', text: () => l10n.t('15 minutes') },
  { duration: '1h', text: () => l10n.t('1 hour') },
  { duration: 'restart', text: () => l10n.t('Until restart') },
];

function severityText(severity: AlertView['severity']): string {
  return severity === 'critical' ? l10n.t('Critical') : severity === 'warning' ? l10n.t('Warning') : l10n.t('Info');
}

/** "12 % > 5 %" with the rule's direction when known. */
export function valueVsThreshold(a: AlertView, rule: RuleView | undefined): string {
  const v = formatValue(a.value, a.unit);
  if (a.threshold == null) return a.value == null ? '' : v;
  const op = rule?.direction === 'below' ? '<' : '>';
  return `${v} ${op} ${formatValue(a.threshold, a.unit)}`;
}

export function isActive(a: AlertView): boolean {
  return a.state !== 'resolved';
}

export interface Alerts {
  readonly root: HTMLElement;
  render(state: PanelState, localNow: number): number;
}

export function createAlerts(api: VsCodeApi): Alerts {
  const activeList = el('ul', { class: 'alert-list', 'aria-label': l10n.t('Active alerts') });
  const recentList = el('ul', { class: 'alert-list recent', 'aria-label': l10n.t('Recently resolved alerts') });
  const recentHeading = el('h3', { class: 'subheading' }, l10n.t('Recently resolved'));
  const allClear = el('p', { class: 'all-clear' }, icon('open'), el('span', {}, l10n.t('All clear — no active alerts.')));
  const root = el('div', { class: 'alerts' }, allClear, activeList, recentHeading, recentList);
  const nodes = new Map<string, AlertNodes>();

  function make(a: AlertView): AlertNodes {
    const id = a.id;
    const short = safeText(a.message, 60);
    const menu = el('div', { class: 'snooze-menu', role: 'group', 'aria-label': l10n.t('Snooze for'), hidden: true });
    const snooze = button(l10n.t('Snooze…'), { class: 'btn secondary small', 'data-action': 'snooze-menu', 'aria-expanded': 'false', 'aria-label': l10n.t('Snooze alert: {0}', short) }, () => {
      const open = menu.hidden;
      menu.hidden = !open;
      snooze.setAttribute('aria-expanded', String(open));
      if (open) menu.querySelector('button')?.focus();
    });
    for (const s of SNOOZES) {
      menu.appendChild(button(s.text(), { class: 'btn secondary small', 'data-action': 'snooze', 'data-duration': s.duration }, () => {
        menu.hidden = true;
        snooze.setAttribute('aria-expanded', 'false');
        api.post({ type: 'snoozeAlert', alertId: id, duration: s.duration });
      }));
    }
    menu.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        menu.hidden = true;
        snooze.setAttribute('aria-expanded', 'false');
        snooze.focus();
      }
    });
    const ack = button(l10n.t('Acknowledge'), { class: 'btn secondary small', 'data-action': 'acknowledge', 'aria-label': l10n.t('Acknowledge alert: {0}', short) }, () => api.post({ type: 'acknowledgeAlert', alertId: id }));
    const dismiss = button(l10n.t('Dismiss'), { class: 'btn secondary small', 'data-action': 'dismiss', 'aria-label': l10n.t('Dismiss alert: {0}', short) }, () => api.post({ type: 'dismissAlert', alertId: id }));
    // An alert on an endpoint's series (labels method/path) links to the route's handler.
    const target = handlerTargetOfSeries(a.seriesId);
    const goTo = target && goToHandlerButton(api, target, 'text');
    const iconBox = el('span', { class: 'alert-icon' });
    const message = el('div', { class: 'alert-message' });
    const since = el('span', { class: 'alert-since' });
    const value = el('span', { class: 'alert-value' });
    const status = el('span', { class: 'alert-status' });
    const li = el('li', { class: 'alert', 'data-alert-id': id },
      iconBox,
      el('div', { class: 'alert-main' }, message, el('div', { class: 'alert-meta' }, since, value, status)),
      el('div', { class: 'alert-actions' }, goTo, ack, snooze, dismiss, menu));
    return { li, iconBox, message, since, value, status, ack, snooze, menu, severity: '' };
  }

  function update(n: AlertNodes, a: AlertView, state: PanelState, hostNow: number): void {
    n.li.dataset.severity = a.severity;
    n.li.dataset.state = a.state;
    n.li.classList.toggle('acknowledged', a.acknowledged);
    if (n.severity !== a.severity) {
      n.iconBox.replaceChildren(icon(a.severity));
      n.iconBox.setAttribute('aria-label', severityText(a.severity));
      n.iconBox.setAttribute('role', 'img');
      n.severity = a.severity;
    }
    setText(n.message, a.message);
    const when = a.state === 'resolved' && a.resolvedAt != null ? l10n.t('resolved {0}', agoText(hostNow - a.resolvedAt)) : l10n.t('since {0}', agoText(hostNow - a.since));
    setText(n.since, when);
    const rule = a.ruleId == null ? undefined : state.rules.find((r) => r.id === a.ruleId);
    setText(n.value, valueVsThreshold(a, rule));
    const status: string[] = [];
    if (a.state === 'pending') status.push(l10n.t('pending'));
    if (a.state === 'nodata') status.push(l10n.t('no data'));
    if (a.acknowledged) status.push(l10n.t('acknowledged'));
    if (a.snoozedUntilRestart) status.push(l10n.t('snoozed until restart'));
    else if (a.snoozedUntil != null && a.snoozedUntil > hostNow) status.push(l10n.t('snoozed until {0}', formatTime(a.snoozedUntil - state.clockOffset, false)));
    const src = state.sources.find((s) => s.id === a.sourceId);
    if (src && state.sources.length > 1) status.push(src.name);
    setText(n.status, status.join(' · '));
    const active = isActive(a);
    setHidden(n.ack, !active || a.acknowledged);
    setHidden(n.snooze, !active);
    if (!active) n.menu.hidden = true;
  }

  return {
    root,
    render(state, localNow) {
      const hostNow = localNow + state.clockOffset;
      const active = state.alerts.filter(isActive).sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.since - a.since);
      const recent = state.alerts
        .filter((a) => !isActive(a))
        .sort((a, b) => (b.resolvedAt ?? b.since) - (a.resolvedAt ?? a.since))
        .slice(0, MAX_RECENT);
      const seen = new Set<string>();
      const place = (list: HTMLElement, alerts: readonly AlertView[]) =>
        alerts.forEach((a, i) => {
          if (seen.has(a.id)) return;
          seen.add(a.id);
          let n = nodes.get(a.id);
          if (!n) {
            n = make(a);
            nodes.set(a.id, n);
          }
          update(n, a, state, hostNow);
          if (list.children[i] !== n.li) list.insertBefore(n.li, list.children[i] ?? null);
        });
      place(activeList, active);
      place(recentList, recent);
      for (const [id, n] of nodes) {
        if (!seen.has(id)) {
          n.li.remove();
          nodes.delete(id);
        }
      }
      setHidden(allClear, active.length > 0);
      setHidden(activeList, active.length === 0);
      setHidden(recentHeading, recent.length === 0);
      setHidden(recentList, recent.length === 0);
      return active.length;
    },
  };
}
