// The DOM of one chart card: title and subtitle, the Rate/Raw and label-grouping controls, Overlay series…
// (with its picker) and Unpin, the box the plot draws into (with the marker tooltip and, while zoomed, Reset
// zoom), the note under it, the legend and the CSV / PNG export buttons.
import type { ChartLegend } from './chartLegend';
import { createChartLegend } from './chartLegend';
import { formatter, shownUnit } from './units';
import { createChartTable } from './chartTable';
import { chartSummary } from './chartTableData';
import type { MarkerTip } from './chartAnnotations';
import { createMarkerTip } from './chartAnnotations';
import type { ChartPrefs, Prefs } from '../ui/prefs';
import { chartPrefs } from '../ui/prefs';
import { button, clear, el, setHidden, setText, setTextIfChanged } from '../ui/dom';
import { createSegmented } from '../ui/segmented';
import { labelsText } from '../ui/text';
import { l10n } from '../ui/l10n';
import { kindText, unitText } from '../ui/words';
import type { SeriesView } from '../../src/shared/views';
import { MAX_OVERLAYS } from '../../src/shared/sections';
import type { ChartSpec } from './spec';
import { lineFormats, MAX_LINES } from './spec';
import { createOverlayPicker } from './overlayPicker';
import type { XMode } from './xView';

export type UpdatePrefs = (f: (p: Prefs) => Prefs) => void;

/** What the card's own buttons do beyond prefs. */
export interface CardActions {
  resetZoom(): void;
  exportAs(format: 'csv' | 'png'): void;
  /** The visible range as CSV (null before the first draw): what the Table toggle shows. */
  csv(): string | null;
  /** The series that may be overlaid on this chart, and how a source id reads. */
  overlayChoices(): { readonly series: readonly SeriesView[]; readonly sourceName: (id: string) => string };
  addOverlay(seriesId: string): void;
  removeOverlay(seriesId: string): void;
}

export interface ChartCard {
  readonly root: HTMLElement;
  /** Where the plot draws; the tooltip is positioned within its wrapper. */
  readonly plotBox: HTMLElement;
  readonly legend: ChartLegend;
  readonly tip: MarkerTip;
  /** Writes the title, subtitle and controls for `spec`. */
  describe(spec: ChartSpec): void;
  /** Records how many points the plot has, and says so under it when there are none (or none yet). */
  showPoints(count: number, loaded: boolean): void;
  /** Records how many annotation markers the plot shows. */
  showMarkerCount(count: number): void;
  /** Says whether the chart follows live data, is zoomed (showing Reset zoom) or paused. */
  showMode(mode: XMode): void;
  /** A short message about the last export (empty clears it). */
  showStatus(text: string): void;
  /** The title and subtitle as shown, for an exported image. */
  heading(): string;
  /** Removes an overlaid series (its legend entry's × button). */
  removeOverlay(seriesId: string): void;
  /** Records how many y axes the plot has (the chart's, plus one per other overlay unit). */
  showAxes(count: number): void;
}

export function createChartCard(id: string, updatePrefs: UpdatePrefs, actions: CardActions): ChartCard {
  const title = el('div', { class: 'chart-title' });
  const subtitle = el('div', { class: 'chart-subtitle' });
  const controls = el('div', { class: 'chart-controls' });
  // The canvas is an image to assistive technology; its values are in the Table toggle's table.
  const plotBox = el('div', { class: 'chart-plot', role: 'img', 'aria-label': l10n.t('Chart') });
  const legend = createChartLegend();
  const note = el('div', { class: 'chart-note muted' });
  const tip = createMarkerTip();
  const resetZoom = button(l10n.t('Reset zoom'), { class: 'btn small chart-reset-zoom', 'data-action': 'reset-zoom', title: l10n.t('Back to live (or double-click the chart)'), hidden: true }, () => actions.resetZoom());
  const status = el('span', { class: 'chart-status muted', role: 'status' });
  const exports = el('div', { class: 'chart-exports', role: 'group', 'aria-label': l10n.t('Export') },
    status,
    button(l10n.t('CSV'), { class: 'btn small secondary', 'data-action': 'export-csv', title: l10n.t('Save the visible range as CSV') }, () => actions.exportAs('csv')),
    button(l10n.t('PNG'), { class: 'btn small secondary', 'data-action': 'export-png', title: l10n.t('Save the chart as a PNG image') }, () => actions.exportAs('png')));
  let format = formatter('none', false, 'raw');
  let formats: ((v: number | null) => string)[] = [];
  const table = createChartTable(() => actions.csv(), () => heading(), () => (v, column) => (formats[column] ?? format)(v));
  const picker = createOverlayPicker((seriesId) => actions.addOverlay(seriesId), () => {
    overlay.setAttribute('aria-expanded', 'false');
    overlay.focus();
  });
  const overlay = el('button', { type: 'button', class: 'btn icon-btn chart-overlay', 'data-action': 'overlay', 'aria-label': l10n.t('Overlay series…'), title: l10n.t('Overlay series…'), 'aria-expanded': 'false', 'aria-controls': picker.root.id },
    el('span', { class: 'icon codicon codicon-layers', 'aria-hidden': 'true' }));
  overlay.addEventListener('click', () => {
    if (picker.isOpen) return picker.close();
    const choices = actions.overlayChoices();
    overlay.setAttribute('aria-expanded', 'true');
    picker.open(choices.series, choices.sourceName);
  });
  const unpin = button(l10n.t('Unpin'), { class: 'btn icon-btn', 'data-action': 'unpin', 'aria-label': l10n.t('Unpin chart'), title: l10n.t('Unpin') }, () => updatePrefs((p) => ({ ...p, pinned: p.pinned.filter((x) => x !== id) })));
  const root = el('article', { class: 'chart', 'data-series-id': id, 'data-annotations': 0, 'data-view': 'live' },
    el('div', { class: 'chart-head' }, el('div', { class: 'chart-heading' }, title, subtitle), controls, overlay, unpin), picker.root, el('div', { class: 'chart-plot-wrap' }, plotBox, tip.root, resetZoom), note, table.root, el('div', { class: 'chart-foot' }, legend.root, table.toggle, exports));
  function heading(): string {
    const sub = subtitle.textContent ?? '';
    return sub ? `${title.textContent ?? ''} · ${sub}` : (title.textContent ?? '');
  }
  const setChart = (patch: Partial<ChartPrefs>) => updatePrefs((p) => ({ ...p, charts: { ...p.charts, [id]: { ...chartPrefs(p, id), ...patch } } }));

  function describeText(spec: ChartSpec): void {
    const s = spec.series;
    if (!s) {
      setText(title, spec.id, 120);
      subtitle.textContent = l10n.t('This series is no longer reported.');
      return;
    }
    const labels = labelsText(s.labels);
    setText(title, spec.group === 'sum' ? `Σ ${s.name}` : s.name, 120);
    const parts: string[] = [];
    if (spec.group === 'single' && labels) parts.push(labels);
    if (spec.group !== 'single') parts.push(spec.siblings > MAX_LINES ? l10n.t('{0} of {1} label sets', MAX_LINES, spec.siblings) : l10n.t('{0} label sets', spec.siblings));
    const u = shownUnit(spec.unit, spec.counter, spec.mode);
    parts.push(spec.counter ? (spec.mode === 'rate' ? l10n.t('rate') : l10n.t('cumulative')) : kindText(s.kind));
    if (u.unit !== 'none') parts.push(u.perSecond ? l10n.t('{0}/s', unitText(u.unit)) : unitText(u.unit));
    setText(subtitle, parts.join(' · '), 200);
  }

  function buildControls(spec: ChartSpec): void {
    clear(controls);
    if (spec.counter) {
      controls.appendChild(createSegmented(l10n.t('Value'), [{ value: 'rate', text: l10n.t('Rate'), title: l10n.t('Per-second rate') }, { value: 'raw', text: l10n.t('Raw'), title: l10n.t('Cumulative value') }], 'mode', spec.mode, (mode) => setChart({ mode })).root);
    }
    if (spec.siblings > 1) {
      controls.appendChild(createSegmented(l10n.t('Labels'), [
        { value: 'single', text: l10n.t('This'), title: l10n.t('Only this series') },
        { value: 'split', text: l10n.t('Split'), title: l10n.t('One line per label set') },
        { value: 'sum', text: l10n.t('Sum'), title: l10n.t('Sum of all label sets') },
      ], 'group', spec.group, (group) => setChart({ group })).root);
    }
  }

  return {
    root,
    plotBox,
    legend,
    tip,
    describe(spec) {
      describeText(spec);
      buildControls(spec);
      format = formatter(spec.unit, spec.counter, spec.mode);
      formats = lineFormats(spec);
      root.dataset.overlays = spec.overlays.map((o) => o.id).join(',');
      const full = spec.overlays.length >= MAX_OVERLAYS;
      overlay.hidden = spec.series === undefined;
      overlay.disabled = full;
      overlay.title = full ? l10n.t('At most {0} overlays per chart: remove one first', MAX_OVERLAYS) : l10n.t('Overlay series…');
      if (full || spec.series === undefined) picker.close();
      plotBox.setAttribute('aria-label', chartSummary(heading(), Number(root.dataset.points ?? 0)));
    },
    showPoints(count, loaded) {
      const points = String(count);
      if (root.dataset.points !== points) {
        root.dataset.points = points;
        plotBox.setAttribute('aria-label', chartSummary(heading(), count));
      }
      table.refresh();
      setTextIfChanged(note, loaded ? (count === 0 ? l10n.t('No points in this window yet.') : '') : l10n.t('Loading history…'));
    },
    showMarkerCount(count) {
      const n = String(count);
      if (root.dataset.annotations !== n) root.dataset.annotations = n;
    },
    showMode(mode) {
      if (root.dataset.view !== mode) root.dataset.view = mode;
      setHidden(resetZoom, mode !== 'zoomed');
    },
    showStatus(text) {
      setTextIfChanged(status, text);
    },
    heading,
    removeOverlay: (seriesId) => actions.removeOverlay(seriesId),
    showAxes(count) {
      const n = String(count);
      if (root.dataset.yAxes !== n) root.dataset.yAxes = n;
    },
  };
}
