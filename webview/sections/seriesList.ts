// Every series in one searchable table, with a pin button per row. Rows are keyed by series id and
// only their changed cells are touched; at most MAX_ROWS are in the DOM.
import type { SeriesView, SourceView } from '../../src/shared/views';
import { formatValue } from '../../src/shared/format';
import type { Prefs } from '../ui/prefs';
import { tablePrefs } from '../ui/prefs';
import type { PanelState } from '../state';
import { el, setText } from '../ui/dom';
import { exactNumber, labelsText, safeText } from '../ui/text';
import { createFilterBox } from '../ui/filterBox';
import { icon } from '../ui/icons';
import { sameSeriesShape } from './seriesShape';
import { watchOnScreen } from '../ui/onScreen';
import type { SeriesQuery } from '../../src/shared/matcher';
import { matchesSeries, parseSeriesQuery } from '../../src/shared/matcher';
import { l10n } from '../ui/l10n';
import { kindText, unitText } from '../ui/words';

export const MAX_ROWS = 300;

interface Row {
  readonly tr: HTMLTableRowElement;
  readonly name: HTMLElement;
  readonly labels: HTMLElement;
  readonly value: HTMLElement;
  readonly unit: HTMLElement;
  readonly kind: HTMLElement;
  readonly source: HTMLElement;
  readonly pin: HTMLButtonElement;
  /** The series as last drawn in this row, and whether it was shown pinned. */
  shown: SeriesView | null;
  pinned: boolean | null;
}

export interface SeriesList {
  readonly root: HTMLElement;
  readonly filter: HTMLInputElement;
  render(state: PanelState, prefs: Prefs): number;
}

function valueText(s: SeriesView): string {
  if (s.kind === 'counter') {
    const rate = s.value == null ? '' : ` (${formatValue(s.value, s.unit === 'count' || s.unit === 'none' ? 'per_second' : s.unit)}${s.unit === 'count' || s.unit === 'none' ? '' : '/s'})`;
    return `${exactNumber(s.raw)}${rate}`;
  }
  return exactNumber(s.value);
}

export function createSeriesList(onPin: (id: string) => void, onFilter: (value: string) => void, initialFilter: string): SeriesList {
  const filter = createFilterBox(l10n.t('Filter series'), l10n.t('Filter: text, or name{label="x", path=~"/api/.*"}'), initialFilter, onFilter);
  const headers = [l10n.t('Name'), l10n.t('Labels'), l10n.t('Value'), l10n.t('Unit'), l10n.t('Kind'), l10n.t('Source')];
  const head = el('tr', {}, ...headers.map((h, i) => el('th', { scope: 'col', class: i === 2 ? 'num' : null }, h)),
    el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, l10n.t('Pin'))));
  const tbody = el('tbody');
  const table = el('table', { class: 'data-table', 'data-table': 'series', 'aria-label': l10n.t('Series') }, el('thead', {}, head), tbody);
  const more = el('p', { class: 'muted table-more', hidden: true });
  const none = el('p', { class: 'muted', hidden: true }, l10n.t('No series match the filter.'));
  const root = el('div', { class: 'series-list' }, el('div', { class: 'table-toolbar' }, filter), el('div', { class: 'table-scroll' }, table), none, more);
  const rows = new Map<string, Row>();

  function makeRow(s: SeriesView): Row {
    const id = s.id;
    const cell = (cls?: string) => el('td', { class: cls ?? null });
    const pin = el('button', { type: 'button', class: 'btn icon-btn pin', 'data-action': 'pin' }, icon('pin'));
    pin.addEventListener('click', () => onPin(id));
    const r: Row = { tr: el('tr', { 'data-series-id': id }), name: cell('name'), labels: cell('labels'), value: cell('num value'), unit: cell('unit'), kind: cell('kind'), source: cell('source-cell'), pin, shown: null, pinned: null };
    r.tr.append(r.name, r.labels, r.value, r.unit, r.kind, r.source, el('td', { class: 'actions' }, pin));
    return r;
  }

  function describeRow(r: Row, s: SeriesView, sourceName: string): void {
    setText(r.name, s.name);
    setText(r.labels, labelsText(s.labels));
    setText(r.unit, unitText(s.unit));
    setText(r.kind, kindText(s.kind));
    setText(r.source, sourceName, 64);
  }

  function showValue(r: Row, s: SeriesView): void {
    const prev = r.shown;
    r.shown = s;
    if (prev && prev.value === s.value && prev.raw === s.raw && prev.kind === s.kind && prev.unit === s.unit) return;
    setText(r.value, valueText(s));
  }

  function showPinned(r: Row, s: SeriesView, isPinned: boolean): void {
    if (r.pinned === isPinned) return;
    r.pinned = isPinned;
    r.pin.setAttribute('aria-pressed', String(isPinned));
    r.pin.setAttribute('aria-label', isPinned ? l10n.t('Unpin {0}', safeText(s.name, 100)) : l10n.t('Pin {0}', safeText(s.name, 100)));
    r.pin.title = isPinned ? l10n.t('Unpin chart') : l10n.t('Pin as chart');
    // A different glyph, not only a different colour, says the row is pinned.
    r.pin.replaceChildren(icon(isPinned ? 'pinned' : 'pin'));
  }

  // What the rows were last laid out from: a frame that only brings new values touches value cells only.
  let lastSeries: ReadonlyMap<string, SeriesView> | null = null;
  let lastSources: PanelState['sources'] | null = null;
  let lastQuery: string | null = null;
  let lastTotal = -1;
  let lastPinned: Prefs['pinned'] | null = null;
  let visibleIds: string[] = [];

  function layout(state: PanelState, prefs: Prefs, query: SeriesQuery): void {
    const sourceNames = new Map<string, string>(state.sources.map((s: SourceView) => [s.id, s.name]));
    const pinned = new Set(prefs.pinned);
    const all = [...state.series.values()];
    const shown = all.filter((s) => matchesSeries(query, s, sourceNames.get(s.sourceId) ?? s.sourceId));
    shown.sort((a, b) => (a.name === b.name ? labelsText(a.labels).localeCompare(labelsText(b.labels)) : a.name < b.name ? -1 : 1));
    const visible = shown.slice(0, MAX_ROWS);
    const keep = new Set(visible.map((s) => s.id));
    for (const [id, r] of rows) {
      if (!keep.has(id)) {
        r.tr.remove();
        rows.delete(id);
      }
    }
    visible.forEach((s, i) => {
      let r = rows.get(s.id);
      if (!r) {
        r = makeRow(s);
        rows.set(s.id, r);
      }
      describeRow(r, s, sourceNames.get(s.sourceId) ?? s.sourceId);
      r.shown = null;
      showValue(r, s);
      showPinned(r, s, pinned.has(s.id));
      if (tbody.children[i] !== r.tr) tbody.insertBefore(r.tr, tbody.children[i] ?? null);
    });
    visibleIds = visible.map((s) => s.id);
    const hidden = shown.length - visible.length;
    const notHeld = state.seriesTotal - all.length;
    const notes: string[] = [];
    if (hidden > 0) notes.push(l10n.t('{0} more — refine the filter', hidden));
    if (notHeld > 0) notes.push(l10n.t('{0} of {1} series not shown — the filter searches all of them', notHeld, state.seriesTotal));
    more.hidden = notes.length === 0;
    more.textContent = notes.join(' · ');
    none.hidden = query.kind !== 'invalid' && (shown.length > 0 || all.length === 0);
    // With series not held here, the host searches them; "no match" would be premature.
    if (query.kind === 'invalid') setText(none, l10n.t('Filter not understood: {0}.', query.error), 200);
    else setText(none, notHeld > 0 ? l10n.t('None of the series shown here match; searching all of them…') : l10n.t('No series match the filter.'));
    table.hidden = visible.length === 0;
  }

  /** New values for the rows; skipped while the table is out of view (caught up when it scrolls in). */
  function showValues(state: PanelState, prefs: Prefs): void {
    const pinned = prefs.pinned === lastPinned ? null : new Set(prefs.pinned);
    for (const id of visibleIds) {
      const r = rows.get(id);
      const s = state.series.get(id);
      if (!r || !s) continue;
      if (s !== r.shown) showValue(r, s);
      if (pinned) showPinned(r, s, pinned.has(id));
    }
    lastPinned = prefs.pinned;
    behind = null;
  }

  let behind: { readonly state: PanelState; readonly prefs: Prefs } | null = null;
  const onScreen = watchOnScreen(table, () => {
    if (behind) showValues(behind.state, behind.prefs);
  });

  return {
    root,
    filter,
    render(state, prefs) {
      const text = tablePrefs(prefs, 'series').filter.trim();
      if (text !== lastQuery || state.sources !== lastSources || state.seriesTotal !== lastTotal || !sameSeriesShape(lastSeries, state.series)) {
        layout(state, prefs, parseSeriesQuery(text));
        lastPinned = prefs.pinned;
        behind = null;
      } else if (onScreen.visible || prefs.pinned !== lastPinned) showValues(state, prefs);
      else behind = { state, prefs };
      lastQuery = text;
      lastSources = state.sources;
      lastSeries = state.series;
      lastTotal = state.seriesTotal;
      return state.series.size;
    },
  };
}
