// What the panel shows when there is nothing to show: no snapshot yet, no source configured,
// failed sources (URL and reason, as text), and the configuration problems banner.
import type { PanelState } from '../state';
import type { VsCodeApi } from '../ui/vscodeApi';
import { button, el, setText, withNodes } from '../ui/dom';
import { icon } from '../ui/icons';
import { l10n } from '../ui/l10n';

export interface EmptyState {
  readonly banner: HTMLElement;
  readonly failures: HTMLElement;
  readonly root: HTMLElement;
  /** Returns true when there are sources (the rest of the panel should show). */
  render(state: PanelState): boolean;
}

export function createEmptyState(api: VsCodeApi): EmptyState {
  const problems = el('ul', { class: 'banner-list' });
  const banner = el('div', { class: 'banner banner-warning', role: 'status', 'data-banner': 'config-problems', hidden: true },
    icon('warning'), el('div', {}, el('strong', {}, l10n.t('Pulse settings need attention')), problems),
    button(l10n.t('Open Settings'), { class: 'btn secondary small', 'data-action': 'open-settings' }, () => api.post({ type: 'openSettings' })));

  const failures = el('ul', { class: 'failures', 'aria-label': l10n.t('Failed sources'), hidden: true });

  const loading = el('p', { class: 'muted loading' }, l10n.t('Waiting for data from Pulse…'));
  const noSources = el('div', { class: 'empty', 'data-empty': 'no-sources', hidden: true },
    el('h2', {}, l10n.t('No metric sources configured')),
    el('p', { class: 'muted' }, l10n.t('Pulse shows live metrics from your running dev server. Add a WebSocket, server-sent events, HTTP JSON or Prometheus endpoint to get started.')),
    el('div', { class: 'button-row' },
      button(l10n.t('Add Source…'), { class: 'btn', 'data-action': 'add-source' }, () => api.post({ type: 'addSource' })),
      button(l10n.t('Open Settings'), { class: 'btn secondary', 'data-action': 'open-settings' }, () => api.post({ type: 'openSettings' }))));
  const root = el('div', { class: 'empty-state' }, loading, noSources);

  return {
    banner,
    failures,
    root,
    render(state) {
      loading.hidden = state.loaded;
      noSources.hidden = !state.loaded || state.sources.length > 0;
      root.hidden = state.loaded && state.sources.length > 0;

      problems.replaceChildren(...state.configProblems.slice(0, 20).map((p) => {
        const li = el('li');
        setText(li, p, 300);
        return li;
      }));
      banner.hidden = state.configProblems.length === 0;

      const failed = state.sources.filter((s) => s.state.phase === 'failed');
      failures.replaceChildren(...failed.map((s) => {
        const reason = s.state.phase === 'failed' ? s.state.reason : '';
        const name = el('strong', { class: 'failure-name' });
        setText(name, s.name, 64);
        const url = el('code', { class: 'failure-url' });
        setText(url, s.url, 200);
        const why = el('div', { class: 'failure-reason' });
        setText(why, reason, 300);
        return el('li', { class: 'failure', 'data-source-id': s.id }, icon('failed'), el('div', {}, el('div', {}, ...withNodes(l10n.t('{0} could not connect to {1}'), name, url)), why));
      }));
      failures.hidden = failed.length === 0;
      return state.loaded && state.sources.length > 0;
    },
  };
}
