// A generic table: sortable by clicking (or Enter/Space on) a header button, filtered by a search box,
// rows keyed so updates only touch changed cells.
import type { TablePrefs } from './prefs';
import { el, setText } from './dom';
import { createFilterBox } from './filterBox';
import { l10n } from './l10n';

export interface Column<R> {
  readonly key: string;
  readonly label: string;
  readonly numeric?: boolean;
  /** Sort key; null sorts last. */
  readonly sortValue: (r: R) => string | number | null;
  readonly text: (r: R) => string;
  readonly max?: number;
}

export interface TableSpec<R> {
  readonly id: string;
  /** The table's name, e.g. "Endpoints" (aria-label). */
  readonly label: string;
  /** The filter box's aria-label, e.g. "Filter endpoints". */
  readonly filterLabel: string;
  readonly columns: readonly Column<R>[];
  readonly keyOf: (r: R) => string;
  readonly searchText: (r: R) => string;
  readonly filterPlaceholder: string;
  readonly maxRows?: number;
  /** An extra cell per row (e.g. a button), built once when the row's key first appears. */
  readonly rowAction?: RowAction<R>;
}

export interface RowAction<R> {
  /** Column header, for screen readers (the header cell shows nothing). */
  readonly label: string;
  readonly make: (r: R) => Node | null;
  /** The key of the column the action cell follows; the last column when absent or unknown. */
  readonly after?: string;
}

export interface SortableTable<R> {
  readonly root: HTMLElement;
  render(rows: readonly R[], prefs: TablePrefs): void;
}

export function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** Rows filtered by a case-insensitive substring and sorted by the chosen column (nulls last either way). */
export function sortRows<R>(rows: readonly R[], spec: Pick<TableSpec<R>, 'columns' | 'searchText'>, prefs: TablePrefs): R[] {
  const needle = prefs.filter.trim().toLowerCase();
  const out = needle ? rows.filter((r) => spec.searchText(r).toLowerCase().includes(needle)) : [...rows];
  const col = spec.columns.find((c) => c.key === prefs.sortKey);
  if (col) {
    const dir = prefs.sortDir === 'desc' ? -1 : 1;
    out.sort((a, b) => {
      const va = col.sortValue(a);
      const vb = col.sortValue(b);
      if (va === null || vb === null) return compareValues(va, vb);
      return dir * compareValues(va, vb);
    });
  }
  return out;
}

export function createSortableTable<R>(spec: TableSpec<R>, initial: TablePrefs, onPrefs: (patch: Partial<TablePrefs>) => void): SortableTable<R> {
  let current = initial;
  const filter = createFilterBox(spec.filterLabel, spec.filterPlaceholder, initial.filter, (filterValue) => onPrefs({ filter: filterValue }));
  const headers = spec.columns.map((c) => {
    const indicator = el('span', { class: 'sort-indicator', 'aria-hidden': 'true' });
    const b = el('button', { type: 'button', class: 'sort-button' }, c.label, indicator);
    b.addEventListener('click', () => {
      const same = current.sortKey === c.key;
      const sortDir = same ? (current.sortDir === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc';
      onPrefs({ sortKey: c.key, sortDir });
    });
    const th = el('th', { scope: 'col', 'data-key': c.key, class: c.numeric ? 'num' : null, 'aria-sort': 'none' }, b);
    return { th, indicator, column: c };
  });
  const action = spec.rowAction;
  const afterIndex = action?.after === undefined ? -1 : spec.columns.findIndex((c) => c.key === action.after);
  const actionAt = afterIndex < 0 ? spec.columns.length : afterIndex + 1;
  /** The row's cells with the action cell (if any) in its place. */
  const withAction = <T extends Node>(cells: readonly T[], actionCell: T | null): T[] =>
    actionCell ? [...cells.slice(0, actionAt), actionCell, ...cells.slice(actionAt)] : [...cells];
  const actionTh = action ? el('th', { scope: 'col', class: 'actions' }, el('span', { class: 'visually-hidden' }, action.label)) : null;
  const tbody = el('tbody');
  const table = el('table', { class: 'data-table', 'data-table': spec.id, 'aria-label': spec.label }, el('thead', {}, el('tr', {}, ...withAction(headers.map((h) => h.th), actionTh))), tbody);
  const more = el('p', { class: 'muted table-more', hidden: true });
  const none = el('p', { class: 'muted', hidden: true }, l10n.t('Nothing matches the filter.'));
  const root = el('div', { class: 'sortable' }, el('div', { class: 'table-toolbar' }, filter), el('div', { class: 'table-scroll' }, table), none, more);
  const rows = new Map<string, { tr: HTMLTableRowElement; cells: HTMLElement[] }>();
  const maxRows = spec.maxRows ?? 300;

  return {
    root,
    render(data, prefs) {
      current = prefs;
      if (filter.value !== prefs.filter && document.activeElement !== filter) filter.value = prefs.filter;
      for (const h of headers) {
        const active = prefs.sortKey === h.column.key;
        h.th.setAttribute('aria-sort', active ? (prefs.sortDir === 'asc' ? 'ascending' : 'descending') : 'none');
        h.indicator.textContent = active ? (prefs.sortDir === 'asc' ? '▲' : '▼') : '';
      }
      const sorted = sortRows(data, spec, prefs);
      const visible = sorted.slice(0, maxRows);
      const keys = visible.map(spec.keyOf);
      const keep = new Set(keys);
      for (const [k, r] of rows) {
        if (!keep.has(k)) {
          r.tr.remove();
          rows.delete(k);
        }
      }
      visible.forEach((r, i) => {
        const key = keys[i] ?? '';
        let row = rows.get(key);
        if (!row) {
          const cells = spec.columns.map((c) => el('td', { class: c.numeric ? 'num' : null, 'data-col': c.key }));
          const actionTd = action ? el('td', { class: 'actions' }, action.make(r)) : null;
          row = { tr: el('tr', { 'data-key': key }, ...withAction(cells, actionTd)), cells };
          rows.set(key, row);
        }
        spec.columns.forEach((c, j) => {
          const cell = row.cells[j];
          if (cell) setText(cell, c.text(r), c.max);
        });
        if (tbody.children[i] !== row.tr) tbody.insertBefore(row.tr, tbody.children[i] ?? null);
      });
      const hidden = sorted.length - visible.length;
      more.hidden = hidden <= 0;
      if (hidden > 0) more.textContent = l10n.t('{0} more — refine the filter', hidden);
      none.hidden = sorted.length > 0 || data.length === 0;
    },
  };
}
