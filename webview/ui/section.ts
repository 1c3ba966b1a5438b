// A collapsible panel section: a heading whose real <button> toggles the body (aria-expanded).
import { el } from './dom';

export interface Section {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  readonly actions: HTMLElement;
  setCount(n: number | null): void;
  setVisible(visible: boolean): void;
}

let seq = 0;

export function createSection(id: string, title: string, collapsed: boolean, onToggle: (id: string, collapsed: boolean) => void): Section {
  const bodyId = `section-body-${id}-${++seq}`;
  const chevron = el('span', { class: 'chevron codicon codicon-chevron-right', 'aria-hidden': 'true' });
  const badge = el('span', { class: 'section-count badge', hidden: true });
  const toggle = el('button', { type: 'button', class: 'section-toggle', 'aria-expanded': String(!collapsed), 'aria-controls': bodyId }, chevron, el('span', { class: 'section-title' }, title), badge);
  const actions = el('div', { class: 'section-actions' });
  const body = el('div', { class: 'section-body', id: bodyId, hidden: collapsed });
  const root = el('section', { class: 'section', 'data-section': id, 'aria-label': title }, el('h2', { class: 'section-header' }, toggle, actions), body);
  toggle.addEventListener('click', () => {
    const nowCollapsed = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', String(!nowCollapsed));
    body.hidden = nowCollapsed;
    onToggle(id, nowCollapsed);
  });
  return {
    root,
    body,
    actions,
    setCount(n) {
      if (badge.hidden !== (n == null)) badge.hidden = n == null;
      const text = n == null ? '' : String(n);
      if (badge.textContent !== text) badge.textContent = text;
    },
    setVisible(visible) {
      if (root.hidden === visible) root.hidden = !visible;
    },
  };
}
