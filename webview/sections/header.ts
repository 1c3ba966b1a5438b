// The header: one row per source with its connection state, freshness, rate, its last reported
// error (count, when, what) and a reconnect button.
import type { SourceView } from '../../src/shared/views';
import { assertNever } from '../../src/shared/check';
import { formatCount } from '../../src/shared/format';
import type { PanelState } from '../state';
import type { VsCodeApi } from '../ui/vscodeApi';
import type { IconName } from '../ui/icons';
import { icon } from '../ui/icons';
import { button, clear, el, setAttr, setHidden, setText } from '../ui/dom';
import { agoText, safeText, TITLE_MAX } from '../ui/text';
import { ERROR_LINE_MAX, sourceErrorText } from './sourceError';
import { l10n } from '../ui/l10n';

interface SourceRow {
  readonly root: HTMLElement;
  readonly iconBox: HTMLElement;
  readonly name: HTMLElement;
  readonly stateText: HTMLElement;
  readonly errorText: HTMLElement;
  readonly textBox: HTMLElement;
  readonly meta: HTMLElement;
  readonly reconnect: HTMLButtonElement;
  iconName: IconName | null;
}

export interface StateDescription {
  readonly icon: IconName;
  readonly text: string;
  /** Full reason, for the tooltip. */
  readonly detail: string | null;
}

/** The words for a source's state; countdowns use the host clock (local clock + offset). */
export function describeState(s: SourceView, hostNow: number): StateDescription {
  const st = s.state;
  switch (st.phase) {
    case 'idle':
      return { icon: 'idle', text: l10n.t('idle'), detail: null };
    case 'connecting':
      return { icon: 'connecting', text: st.attempt > 1 ? l10n.t('connecting (attempt {0})', st.attempt) : l10n.t('connecting'), detail: null };
    case 'open':
      return { icon: 'open', text: l10n.t('open'), detail: null };
    case 'reconnecting': {
      const secs = Math.max(0, Math.ceil((st.retryAt - hostNow) / 1000));
      return { icon: 'reconnecting', text: secs > 0 ? l10n.t('reconnecting in {0} s', secs) : l10n.t('reconnecting'), detail: st.reason };
    }
    case 'closed':
      return { icon: 'closed', text: l10n.t('closed'), detail: null };
    case 'failed':
      return { icon: 'failed', text: l10n.t('failed: {0}', st.reason), detail: st.reason };
    default:
      return assertNever(st, 'source state');
  }
}

export interface Header {
  readonly root: HTMLElement;
  render(state: PanelState, localNow: number): void;
}

export function createHeader(api: VsCodeApi): Header {
  const list = el('ul', { class: 'sources', 'aria-label': l10n.t('Sources') });
  const root = el('header', { class: 'panel-header' }, el('div', { class: 'brand' }, icon('open', 'brand-icon'), el('span', {}, 'Pulse')), list);
  const rows = new Map<string, SourceRow>();

  function makeRow(s: SourceView): SourceRow {
    const iconBox = el('span', { class: 'source-icon' });
    const name = el('span', { class: 'source-name' });
    const stateText = el('span', { class: 'source-state' });
    const errorText = el('span', { class: 'source-error', hidden: true });
    const meta = el('span', { class: 'source-meta' });
    const id = s.id;
    const reconnect = button(l10n.t('Reconnect'), { class: 'btn secondary small', 'data-action': 'reconnect' }, () => api.post({ type: 'reconnect', sourceId: id }));
    const textBox = el('span', { class: 'source-text' }, name, stateText, errorText);
    const root = el('li', { class: 'source', 'data-source-id': s.id }, iconBox, textBox, meta, reconnect);
    return { root, iconBox, name, stateText, errorText, textBox, meta, reconnect, iconName: null };
  }

  function update(row: SourceRow, s: SourceView, hostNow: number): void {
    const d = describeState(s, hostNow);
    if (row.root.dataset.state !== s.state.phase) row.root.dataset.state = s.state.phase;
    if (row.iconName !== d.icon) {
      clear(row.iconBox);
      row.iconBox.appendChild(icon(d.icon));
      row.iconName = d.icon;
    }
    setText(row.name, s.name, 64);
    setText(row.stateText, d.text, 120);
    setAttr(row.textBox, 'title', d.detail == null ? null : safeText(d.detail, TITLE_MAX));
    const err = sourceErrorText(s, hostNow);
    setHidden(row.errorText, err === null);
    setText(row.errorText, err?.line ?? '', ERROR_LINE_MAX);
    setAttr(row.errorText, 'title', err?.title ?? null);
    setAttr(row.errorText, 'data-error-count', err === null ? null : String(s.errorCount));
    const parts: string[] = [];
    parts.push(s.lastMessageAt == null ? l10n.t('no data yet') : l10n.t('updated {0}', agoText(hostNow - s.lastMessageAt)));
    if (s.state.phase === 'open' || s.messagesPerSecond > 0) parts.push(l10n.t('{0} msg/s', formatCount(s.messagesPerSecond)));
    if (s.droppedSeries > 0) parts.push(l10n.t('{0} series dropped', formatCount(s.droppedSeries)));
    setText(row.meta, parts.join(' · '));
    row.meta.classList.toggle('has-dropped', s.droppedSeries > 0);
    setAttr(row.reconnect, 'aria-label', l10n.t('Reconnect {0}', s.name.slice(0, 64)));
    const label = s.state.phase === 'reconnecting' ? l10n.t('Retry now') : s.state.phase === 'open' ? l10n.t('Reconnect') : l10n.t('Connect');
    if (row.reconnect.textContent !== label) row.reconnect.textContent = label;
  }

  return {
    root,
    render(state, localNow) {
      const hostNow = localNow + state.clockOffset;
      const seen = new Set<string>();
      state.sources.forEach((s, i) => {
        seen.add(s.id);
        let row = rows.get(s.id);
        if (!row) {
          row = makeRow(s);
          rows.set(s.id, row);
        }
        update(row, s, hostNow);
        if (list.children[i] !== row.root) list.insertBefore(row.root, list.children[i] ?? null);
      });
      for (const [id, row] of rows) {
        if (!seen.has(id)) {
          row.root.remove();
          rows.delete(id);
        }
      }
      setHidden(root, !state.loaded);
    },
  };
}
