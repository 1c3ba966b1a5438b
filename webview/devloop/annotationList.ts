// The recent dev-loop annotations, newest first: when, what kind, the label, and a before/after comparison button.
// Hovering or focusing an entry highlights its marker on the charts, which makes the markers keyboard reachable.
import type { AnnotationView } from '../../src/shared/views';
import { KINDS } from './annotationKinds';
import { el, setHidden, setText } from '../ui/dom';
import { icon } from '../ui/icons';
import { relativeTime, safeText } from '../ui/text';
import { l10n } from '../ui/l10n';
import { formatDateTime } from '../../src/shared/format';

export const MAX_SHOWN = 50;

interface Entry {
  readonly li: HTMLLIElement;
  readonly time: HTMLTimeElement;
  readonly label: HTMLElement;
  readonly detail: HTMLElement;
  readonly iconBox: HTMLElement;
  readonly compare: HTMLButtonElement;
  kind: string;
}

export interface AnnotationList {
  readonly root: HTMLElement;
  /** Returns how many entries are shown. */
  render(list: readonly AnnotationView[], hostNow: number): number;
}

export function createAnnotationList(onCompare: (a: AnnotationView) => void, onHighlight: (id: string | null) => void): AnnotationList {
  const ul = el('ul', { class: 'annotation-list', 'aria-label': l10n.t('Annotations') });
  const empty = el('p', { class: 'muted annotation-empty' }, l10n.t('Nothing yet. Saves, restarts, branch switches, commits, tasks and debug sessions appear here and on every chart.'));
  const more = el('p', { class: 'muted annotation-more', hidden: true });
  const root = el('div', { class: 'annotations' }, empty, ul, more);
  const entries = new Map<string, Entry>();
  let current = new Map<string, AnnotationView>();

  function make(id: string): Entry {
    const time = el('time', { class: 'annotation-time' });
    const label = el('span', { class: 'annotation-label' });
    const detail = el('span', { class: 'annotation-detail' });
    const compare = el('button', { type: 'button', class: 'btn small inline-action', 'data-action': 'compare', 'data-annotation-id': id }, l10n.t('Compare before/after'));
    compare.addEventListener('click', () => {
      const a = current.get(id);
      if (a) onCompare(a);
    });
    const iconBox = el('span', { class: 'annotation-icon', role: 'img' });
    const li = el('li', { class: 'annotation', 'data-annotation-id': id },
      iconBox, time, el('span', { class: 'annotation-text' }, label, detail), compare);
    li.addEventListener('mouseenter', () => onHighlight(id));
    li.addEventListener('mouseleave', () => onHighlight(null));
    li.addEventListener('focusin', () => onHighlight(id));
    li.addEventListener('focusout', (e) => {
      if (!(e.relatedTarget instanceof Node && li.contains(e.relatedTarget))) onHighlight(null);
    });
    return { li, time, label, detail, iconBox, compare, kind: '' };
  }

  function update(n: Entry, a: AnnotationView, hostNow: number): void {
    const info = KINDS[a.kind];
    if (n.kind !== a.kind) {
      n.iconBox.replaceChildren(icon(info.icon));
      n.iconBox.setAttribute('aria-label', info.name);
      n.iconBox.title = info.name;
      n.li.dataset.kind = a.kind;
      n.li.dataset.family = info.family;
      n.kind = a.kind;
    }
    const rel = relativeTime(hostNow - a.at);
    if (n.time.textContent !== rel) n.time.textContent = rel;
    const iso = new Date(a.at).toISOString();
    if (n.time.dateTime !== iso) {
      n.time.dateTime = iso;
      n.time.title = formatDateTime(a.at);
    }
    setText(n.label, a.label, 160);
    setText(n.detail, a.detail ?? '', 120);
    const aria = l10n.t('Compare before and after: {0}', safeText(a.label, 80));
    if (n.compare.getAttribute('aria-label') !== aria) n.compare.setAttribute('aria-label', aria);
  }

  return {
    root,
    render(list, hostNow) {
      const shown = list.slice(-MAX_SHOWN).reverse();
      current = new Map(shown.map((a) => [a.id, a]));
      for (const [id, n] of entries) {
        if (!current.has(id)) {
          n.li.remove();
          entries.delete(id);
        }
      }
      shown.forEach((a, i) => {
        let n = entries.get(a.id);
        if (!n) {
          n = make(a.id);
          entries.set(a.id, n);
        }
        update(n, a, hostNow);
        if (ul.children[i] !== n.li) ul.insertBefore(n.li, ul.children[i] ?? null);
      });
      setHidden(empty, shown.length > 0);
      setHidden(ul, shown.length === 0);
      setHidden(more, list.length <= MAX_SHOWN);
      if (list.length > MAX_SHOWN) more.textContent = l10n.t('{0} most recent of {1}', MAX_SHOWN, list.length);
      return shown.length;
    },
  };
}
