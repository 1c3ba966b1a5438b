// The DOM of one chart card: title and subtitle, the Rate/Raw and label-grouping controls, Unpin, the box the
// plot draws into (with the marker tooltip and, while zoomed, Reset zoom), the note under it, the legend and
// the CSV / PNG export buttons.
import type { ChartLegend } from './chartLegend';
import { createChartLegend, formatter, shownUnit } from './chartLegend';
import { createChartTable } from './chartTable';
import { chartSummary } from './chartTableData';
import type { MarkerTip } from './chartAnnotations';
import { createMarkerTip } from './chartAnnotations';
import type { ChartPrefs, Prefs } from '../ui/prefs';
import { chartPrefs } from '../ui/prefs';
import { button, clear, el, setHidden, setText, setTextIfChanged } from '../ui/dom';
import { createSegmented } from '../ui/segmented';
import { labelsText } from '../ui/text';
import type { ChartSpec } from './spec';
import { MAX_LINES } from './spec';
import type { XMode } from './xView';

export type UpdatePrefs = (f: (p: Prefs) => Prefs) => void;

/** What the card's own buttons do beyond prefs. */
export interface CardActions {
  resetZoom(): void;
  exportAs(format: 'csv' | 'png'): void;
  /** The visible range as CSV (null before the first draw): what the Table toggle shows. */
  csv(): string | null;
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
}

export function createChartCard(id: string, updatePrefs: UpdatePrefs, actions: CardActions): ChartCard {
  const title = el('div', { class: 'chart-title' });
  const subtitle = el('div', { class: 'chart-subtitle' });
  const controls = el('div', { class: 'chart-controls' });
  // The canvas is an image to assistive technology; its values are in the Table toggle's table.
  const plotBox = el('div', { class: 'chart-plot', role: 'img', 'aria-label': 'Chart' });
  const legend = createChartLegend();
  const note = el('div', { class: 'chart-note muted' });
  const tip = createMarkerTip();
  const resetZoom = button('Reset zoom', { class: 'btn small chart-reset-zoom', 'data-action': 'reset-zoom', title: 'Back to live (or double-click the chart)', hidden: true }, () => actions.resetZoom());
  const status = el('span', { class: 'chart-status muted', role: 'status' });
  const exports = el('div', { class: 'chart-exports', role: 'group', 'aria-label': 'Export' },
    status,
    button('CSV', { class: 'btn small secondary', 'data-action': 'export-csv', title: 'Save the visible range as CSV' }, () => actions.exportAs('csv')),
    button('PNG', { class: 'btn small secondary', 'data-action': 'export-png', title: 'Save the chart as a PNG image' }, () => actions.exportAs('png')));
  let format = formatter('none', false, 'raw');
  const table = createChartTable(() => actions.csv(), () => heading(), () => format);
  const unpin = button('Unpin', { class: 'btn icon-btn', 'data-action': 'unpin', 'aria-label': 'Unpin chart', title: 'Unpin' }, () => updatePrefs((p) => ({ ...p, pinned: p.pinned.filter((x) => x !== id) })));
  const root = el('article', { class: 'chart', 'data-series-id': id, 'data-annotations': 0, 'data-view': 'live' },
    el('div', { class: 'chart-head' }, el('div', { class: 'chart-heading' }, title, subtitle), controls, unpin), el('div', { class: 'chart-plot-wrap' }, plotBox, tip.root, resetZoom), note, table.root, el('div', { class: 'chart-foot' }, legend.root, table.toggle, exports));
  function heading(): string {
    const sub = subtitle.textContent ?? '';
    return sub ? `${title.textContent ?? ''} · ${sub}` : (title.textContent ?? '');
  }
  const setChart = (patch: Partial<ChartPrefs>) => updatePrefs((p) => ({ ...p, charts: { ...p.charts, [id]: { ...chartPrefs(p, id), ...patch } } }));

  function describeText(spec: ChartSpec): void {
    const s = spec.series;
    if (!s) {
      setText(title, spec.id, 120);
      subtitle.textContent = 'This series is no longer reported.';
      return;
    }
    const labels = labelsText(s.labels);
    setText(title, spec.group === 'sum' ? `Σ ${s.name}` : s.name, 120);
    const parts: string[] = [];
    if (spec.group === 'single' && labels) parts.push(labels);
    if (spec.group !== 'single') parts.push(`${Math.min(spec.siblings, MAX_LINES)}${spec.siblings > MAX_LINES ? ` of ${spec.siblings}` : ''} label sets`);
    const u = shownUnit(spec.unit, spec.counter, spec.mode);
    parts.push(spec.counter ? (spec.mode === 'rate' ? 'rate' : 'cumulative') : s.kind);
    if (u.unit !== 'none') parts.push(u.perSecond ? `${u.unit}/s` : u.unit.replace('_', ' '));
    setText(subtitle, parts.join(' · '), 200);
  }

  function buildControls(spec: ChartSpec): void {
    clear(controls);
    if (spec.counter) {
      controls.appendChild(createSegmented('Value', [{ value: 'rate', text: 'Rate', title: 'Per-second rate' }, { value: 'raw', text: 'Raw', title: 'Cumulative value' }], 'mode', spec.mode, (mode) => setChart({ mode })).root);
    }
    if (spec.siblings > 1) {
      controls.appendChild(createSegmented('Labels', [
        { value: 'single', text: 'This', title: 'Only this series' },
        { value: 'split', text: 'Split', title: 'One line per label set' },
        { value: 'sum', text: 'Sum', title: 'Sum of all label sets' },
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
      plotBox.setAttribute('aria-label', chartSummary(heading(), Number(root.dataset.points ?? 0)));
    },
    showPoints(count, loaded) {
      const points = String(count);
      if (root.dataset.points !== points) {
        root.dataset.points = points;
        plotBox.setAttribute('aria-label', chartSummary(heading(), count));
      }
      table.refresh();
      setTextIfChanged(note, loaded ? (count === 0 ? 'No points in this window yet.' : '') : 'Loading history…');
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
  };
}
