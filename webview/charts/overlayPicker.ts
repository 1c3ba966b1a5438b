// A chart card's "Overlay series…" picker: a filter box (the series filter's language: text or
// name{label="x"}) over a native list of the series that may be overlaid. Enter or double-click adds the
// chosen one, Escape closes and gives the focus back to the button that opened it.
import type { SeriesView } from '../../src/shared/views';
import { matchesSeries, parseSeriesQuery } from '../../src/shared/matcher';
import { button, el, setText } from '../ui/dom';
import { l10n } from '../ui/l10n';
import { labelsText } from '../ui/text';

/** Most series listed at once (the filter narrows the rest). */
export const MAX_CHOICES = 200;

export interface OverlayPicker {
  readonly root: HTMLElement;
  /** Opens with `candidates` (the series that may be overlaid), focusing the filter. */
  open(candidates: readonly SeriesView[], sourceName: (id: string) => string): void;
  close(): void;
  readonly isOpen: boolean;
}

let seq = 0;

/** The text of one choice: name, labels, and source when there are several. */
function choiceText(s: SeriesView, source: string): string {
  const labels = labelsText(s.labels);
  return `${s.name}${labels ? ` ${labels}` : ''} · ${source}`;
}

export function createOverlayPicker(onPick: (id: string) => void, onClose: () => void): OverlayPicker {
  const id = `overlay-picker-${++seq}`;
  const filter = el('input', { type: 'search', class: 'filter', 'aria-label': l10n.t('Filter series to overlay'), placeholder: l10n.t('Filter: text, or name{label="x"}'), spellcheck: 'false', autocomplete: 'off', maxlength: 200 });
  const list = el('select', { class: 'overlay-choices', size: 6, 'aria-label': l10n.t('Series to overlay') });
  const none = el('p', { class: 'muted', hidden: true }, l10n.t('No series to overlay match the filter.'));
  const add = button(l10n.t('Add'), { class: 'btn small', 'data-action': 'overlay-add' }, () => pick());
  const cancel = button(l10n.t('Cancel'), { class: 'btn small secondary', 'data-action': 'overlay-cancel' }, () => close());
  const root = el('div', { class: 'overlay-picker', id, role: 'group', 'aria-label': l10n.t('Overlay series'), hidden: true }, filter, list, none, el('div', { class: 'overlay-picker-actions' }, add, cancel));
  let candidates: readonly SeriesView[] = [];
  let sourceOf: (id: string) => string = (x) => x;

  function fill(): void {
    const q = parseSeriesQuery(filter.value);
    const shown = q.kind === 'invalid' ? [] : candidates.filter((s) => matchesSeries(q, s, sourceOf(s.sourceId))).slice(0, MAX_CHOICES);
    list.replaceChildren(...shown.map((s) => {
      const option = el('option', { value: s.id });
      setText(option, choiceText(s, sourceOf(s.sourceId)), 160);
      return option;
    }));
    if (list.options.length > 0) list.selectedIndex = 0;
    none.hidden = shown.length > 0;
    add.disabled = shown.length === 0;
  }

  function pick(): void {
    const chosen = list.value;
    if (!chosen) return;
    close();
    onPick(chosen);
  }

  function close(): void {
    if (root.hidden) return;
    root.hidden = true;
    onClose();
  }

  filter.addEventListener('input', fill);
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      pick();
    } else if (e.key === 'ArrowDown' && list.options.length > 0) {
      e.preventDefault();
      list.focus();
    }
  });
  list.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    pick();
  });
  list.addEventListener('dblclick', pick);
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    close();
  });

  return {
    root,
    open(next, sourceName) {
      candidates = next;
      sourceOf = sourceName;
      filter.value = '';
      fill();
      root.hidden = false;
      filter.focus();
    },
    close,
    get isOpen() {
      return !root.hidden;
    },
  };
}
