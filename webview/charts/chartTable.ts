// A chart's text alternative: a "Table" toggle showing its latest points (time + one column per line) with a
// caption, and the one-line summary the plot box announces as an image (role="img").
import { el, setText } from '../ui/dom';
import { latestText, tableData } from './chartTableData';
import { l10n } from '../ui/l10n';
import { formatTime } from '../../src/shared/format';

const REFRESH_MS = 2000;

export interface ChartTable {
  readonly toggle: HTMLButtonElement;
  readonly root: HTMLElement;
  /** Re-reads the data while the table is open (cheap no-op when closed). */
  refresh(): void;
  /** Whether the table is open. */
  open(): boolean;
}

let seq = 0;

/** `format()` gives how a value of column j (0: the first line) reads: overlaid series may have their own unit. */
export function createChartTable(read: () => string | null, heading: () => string, format: () => (v: number | null, column: number) => string): ChartTable {
  const id = `chart-table-${++seq}`;
  const caption = el('caption');
  const thead = el('thead');
  const tbody = el('tbody');
  const empty = el('p', { class: 'muted', hidden: true }, l10n.t('No points to show yet.'));
  const root = el('div', { class: 'chart-table table-scroll', id, hidden: true }, el('table', { class: 'data-table' }, caption, thead, tbody), empty);
  const toggle = el('button', { type: 'button', class: 'btn small secondary chart-table-toggle', 'data-action': 'show-table', 'aria-expanded': 'false', 'aria-controls': id, title: l10n.t('Show the latest points as a table') }, l10n.t('Table'));
  let headKey = '';

  function render(): void {
    const data = tableData(read());
    const fmt = format();
    const latest = data ? latestText(data, fmt) : '';
    const rows = data?.rows.length ?? 0;
    setText(caption, latest ? l10n.t('{0}: latest {1} points, newest first (now {2})', heading(), rows, latest) : l10n.t('{0}: latest {1} points, newest first', heading(), rows), 400);
    empty.hidden = !!data && data.rows.length > 0;
    const names = data?.names ?? [];
    const key = names.join('\n');
    if (key !== headKey) {
      headKey = key;
      const tr = el('tr', {}, el('th', { scope: 'col' }, l10n.t('Time')));
      for (const n of names) {
        const th = el('th', { scope: 'col', class: 'num' });
        setText(th, n, 80);
        tr.appendChild(th);
      }
      thead.replaceChildren(tr);
    }
    tbody.replaceChildren(...(data?.rows ?? []).map((r) => el('tr', {},
      el('th', { scope: 'row' }, el('time', { datetime: new Date(r.t).toISOString() }, formatTime(r.t))),
      ...r.values.map((v, j) => el('td', { class: 'num' }, fmt(v, j))))));
  }

  let renderedAt = 0;
  toggle.addEventListener('click', () => {
    const opening = root.hidden;
    root.hidden = !opening;
    toggle.setAttribute('aria-expanded', String(opening));
    if (opening) {
      render();
      renderedAt = performance.now();
    }
  });

  return {
    toggle,
    root,
    refresh() {
      // Live data arrives several times a second; a table rewritten that often cannot be read.
      if (root.hidden || performance.now() - renderedAt < REFRESH_MS) return;
      renderedAt = performance.now();
      render();
    },
    open: () => !root.hidden,
  };
}
