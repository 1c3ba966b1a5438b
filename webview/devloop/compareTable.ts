// The before/after comparison around an annotation (a didCompare reply): one row per key series with its medians,
// the change, and the verdict, regressions flagged.
import type { AnnotationView, CompareRowView } from '../../src/shared/views';
import { formatValue } from '../../src/shared/format';
import { button, clear, el, setText } from '../ui/dom';
import { icon } from '../ui/icons';
import { safeText } from '../ui/text';
import { changeText, compareCaption, verdictText } from './compareText';
import { l10n } from '../ui/l10n';

const MAX_ROWS = 50;
export interface CompareTable {
  readonly root: HTMLElement;
  /** A request is on its way. */
  pending(what: string): void;
  show(annotation: AnnotationView | null, rows: readonly CompareRowView[], hostNow: number): void;
  /** Moves the caption's relative time on. */
  tick(hostNow: number): void;
}

export function createCompareTable(): CompareTable {
  const caption = el('caption', { class: 'compare-caption' });
  const tbody = el('tbody');
  const thead = el('thead');
  const headers = [['metric', l10n.t('Metric'), false], ['before', l10n.t('Before'), true], ['after', l10n.t('After'), true], ['change', l10n.t('Change'), true], ['verdict', l10n.t('Verdict'), false]] as const;
  const table = el('table', { class: 'data-table compare-table', 'data-table': 'compare' },
    caption,
    thead,
    tbody);
  thead.appendChild(el('tr', {}, ...headers.map(([key, label, numeric]) => el('th', { scope: 'col', 'data-key': key, class: numeric ? 'num' : null }, label))));
  const noRows = el('p', { class: 'muted compare-empty', hidden: true }, l10n.t('There were no key series to compare.'));
  const status = el('p', { class: 'muted compare-status', role: 'status' });
  const close = button('', { class: 'btn icon-btn compare-close', 'data-action': 'close-compare', 'aria-label': l10n.t('Close comparison'), title: l10n.t('Close') }, () => {
    root.hidden = true;
  });
  close.replaceChildren(icon('close'));
  const result = el('div', { class: 'compare-result', hidden: true }, el('div', { class: 'table-scroll' }, table), noRows);
  const root = el('div', { class: 'compare', hidden: true }, el('div', { class: 'compare-head' }, el('h3', { class: 'subheading' }, l10n.t('Before / after')), close), status, result);
  let shown: { annotation: AnnotationView | null; rowCount: number } | null = null;

  function row(r: CompareRowView): HTMLTableRowElement {
    const cell = (col: string, text: string, numeric = false) => {
      const td = el('td', { 'data-col': col, class: numeric ? 'num' : null });
      setText(td, text, col === 'metric' ? 80 : 40);
      return td;
    };
    const badge = el('span', { class: 'verdict-badge', 'data-verdict': r.verdict }, r.verdict === 'regressed' ? icon('warning') : null, verdictText(r.verdict));
    return el('tr', { 'data-row-id': safeText(r.id, 200), 'data-verdict': r.verdict },
      cell('metric', r.label),
      cell('before', formatValue(r.before, r.unit), true),
      cell('after', formatValue(r.after, r.unit), true),
      cell('change', changeText(r.deltaPct), true),
      el('td', { 'data-col': 'verdict' }, badge));
  }

  return {
    root,
    pending(what) {
      root.hidden = false;
      result.hidden = true;
      status.hidden = false;
      status.textContent = l10n.t('Comparing the metrics before and after {0}…', what);
      root.scrollIntoView({ block: 'nearest' });
    },
    show(annotation, rows, hostNow) {
      root.hidden = false;
      status.hidden = true;
      status.textContent = '';
      result.hidden = false;
      shown = { annotation, rowCount: rows.length };
      caption.textContent = compareCaption(annotation, rows.length, hostNow);
      clear(tbody);
      for (const r of rows.slice(0, MAX_ROWS)) tbody.appendChild(row(r));
      // The table stays for its caption ("No save recorded yet"); without rows it has no header either.
      thead.hidden = rows.length === 0;
      noRows.hidden = rows.length > 0 || annotation == null;
    },
    tick(hostNow) {
      if (!shown) return;
      const text = compareCaption(shown.annotation, shown.rowCount, hostNow);
      if (caption.textContent !== text) caption.textContent = text;
    },
  };
}
