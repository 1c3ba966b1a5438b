// The pinned charts (uPlot): a shared window selector and Pause toggle, one card per pinned series in pin
// order (each with the series overlaid on it, kept by the host), one history request for all of them, live
// points appended as they arrive (kept while a chart is zoomed or paused), a few canvases redrawn per frame,
// and each chart's export posted to the host.
import type { HostMessage } from '../../src/shared/protocol';
import type { AnnotationView, SeriesValue, SeriesView } from '../../src/shared/views';
import { isPinId, MAX_OVERLAYS } from '../../src/shared/sections';
import { labelsText } from '../ui/text';
import type { WindowId } from '../../src/shared/vocabulary';
import { WINDOWS } from '../../src/shared/vocabulary';
import { HistoryStore } from './chartData';
import type { Prefs } from '../ui/prefs';
import type { PanelState } from '../state';
import type { ChartTheme } from './theme';
import { chartTheme } from './theme';
import type { VsCodeApi } from '../ui/vscodeApi';
import { el } from '../ui/dom';
import { createSegmented } from '../ui/segmented';
import { sameSeriesShape } from '../sections/seriesShape';
import type { ChartCard, UpdatePrefs } from './chartCard';
import { button } from '../ui/dom';
import { MAX_EXPORT_CSV, MAX_EXPORT_PNG, PNG_DATA_URL } from '../../src/shared/requests';
import { exportFileName } from './chartExport';
import { LineVisibility } from './lineVisibility';
import { oldestHeld, XView } from './xView';
import { createChartCard } from './chartCard';
import type { ChartPlot, PlotContext } from './plot';
import { createChartPlot } from './plot';
import { livePoints } from './livePoints';
import { l10n } from '../ui/l10n';
import type { ChartSpec } from './spec';
import { chartData, drawnIds, specFor, specSignature, wantedRequest } from './spec';

/** Most canvases redrawn in one frame; the rest follow in the next frames (10 updates/s leave ~6 frames each). */
const MAX_DRAWS_PER_FRAME = 2;
/** How much older than the window a zoomed or paused chart may keep its points (bounds memory while paused). */
const MAX_HOLD_MS = 3_600_000;

type LoadHistory = Extract<HostMessage, { type: 'didLoadHistory' }>;

interface Chart {
  readonly id: string;
  readonly card: ChartCard;
  readonly plot: ChartPlot;
  readonly view: XView;
  spec: ChartSpec | null;
  signature: string;
  dirty: boolean;
  /** Everything that made it dirty was live points (which a chart out of view can leave for later). */
  liveOnly: boolean;
  /** When its canvas was last drawn (performance.now(), ms). */
  drawnAt: number;
  /** Its point count is shown for the data it holds (set while live points wait to be drawn). */
  counted: boolean;
}

export interface Charts {
  readonly root: HTMLElement;
  readonly toolbar: HTMLElement;
  /** Returns whether some charts are left to draw in a later frame. */
  render(state: PanelState, prefs: Prefs): boolean;
  loadHistory(msg: LoadHistory): boolean;
  appendPoints(points: NonNullable<Extract<HostMessage, { type: 'didUpdate' }>['delta']['points']>, hostNow: number): boolean;
  /** Live points of the charted series, taken from a delta's value updates (the host sends no separate points). */
  appendValues(values: readonly SeriesValue[], state: PanelState): boolean;
  /** Rebuilds every plot with the new colours at the next render. */
  themeChanged(): void;
  /** The dev-loop annotations to mark on every chart (oldest first). */
  setAnnotations(list: readonly AnnotationView[]): void;
  /** Emphasises one annotation's marker (and names it) on every chart showing it; null clears. */
  highlightAnnotation(id: string | null): void;
  /** Freezes (true) or releases every chart's x range; data keeps being collected. */
  setPaused(paused: boolean): void;
}

const WINDOW_OPTIONS: readonly { value: WindowId; text: string }[] = (Object.keys(WINDOWS) as WindowId[]).map((w) => ({ value: w, text: w }));

function markDirty(chart: Chart, liveOnly = false): void {
  chart.liveOnly = (chart.dirty ? chart.liveOnly : true) && liveOnly;
  chart.dirty = true;
  chart.counted = false;
}

export function createCharts(api: VsCodeApi, updatePrefs: UpdatePrefs): Charts {
  const store = new HistoryStore();
  const charts = new Map<string, Chart>();
  let theme: ChartTheme | null = null;
  let lastState: PanelState | null = null;
  let lastPrefs: Prefs | null = null;
  let annotations: readonly AnnotationView[] = [];
  let highlighted: string | null = null;
  /** Where the next frame's drawing starts, so charts take turns when there are more than a frame draws. */
  let drawTurn = 0;
  let paused = false;
  let shownWindow: WindowId | null = null;
  /** The series overlaid on each pinned chart: the host's when it keeps them, else the page's own. */
  const overlays = new Map<string, readonly string[]>();
  /** The host's overlays last taken (a new object when the host sends them again). */
  let adopted: PanelState['overlays'] = null;
  /** The user changed overlays since the last sync (prefs unchanged: the render must still sync). */
  let overlaysChanged = false;
  const hostNow = () => Date.now() + (lastState?.clockOffset ?? 0);
  const context: PlotContext = {
    theme: () => theme ?? (theme = chartTheme()),
    annotations: () => annotations,
    highlighted: () => highlighted,
    hostNow,
    windowStart: () => hostNow() - WINDOWS[lastPrefs?.window ?? '5m'],
    lines: new LineVisibility(),
    historyLoaded: () => store.loaded,
  };

  const windowPicker = createSegmented(l10n.t('Chart window'), WINDOW_OPTIONS, 'window', '5m' as WindowId, (w) => updatePrefs((p) => ({ ...p, window: w })));
  const pauseButton = button(l10n.t('Pause'), { class: 'btn small secondary chart-pause', 'data-action': 'pause', 'aria-pressed': 'false', title: l10n.t('Freeze every chart (data is still collected)') }, () => setPaused(!paused));
  const toolbar = el('div', { class: 'chart-toolbar' }, pauseButton, windowPicker.root);
  const empty = el('p', { class: 'muted chart-empty' }, l10n.t('Pin a series from the Series list to chart it here.'));
  const grid = el('div', { class: 'chart-grid' });
  const root = el('div', { class: 'charts' }, empty, grid);

  function add(id: string): Chart {
    const view = new XView(paused);
    const card = createChartCard(id, updatePrefs, {
      resetZoom: () => chart.plot.resetZoom(),
      exportAs: (format) => void exportChart(chart, format),
      csv: () => chart.plot.csv(),
      overlayChoices: () => overlayChoices(chart),
      addOverlay: (seriesId) => setOverlays(id, [...(overlays.get(id) ?? []), seriesId]),
      removeOverlay: (seriesId) => setOverlays(id, (overlays.get(id) ?? []).filter((x) => x !== seriesId)),
    });
    const chart: Chart = { id, card, plot: createChartPlot(id, card, context, view), view, spec: null, signature: '', dirty: true, liveOnly: false, drawnAt: -Infinity, counted: false };
    charts.set(id, chart);
    return chart;
  }

  /** The series that may join a chart: not already drawn on it, with an id the host accepts; by name, then labels. */
  function overlayChoices(chart: Chart): { series: SeriesView[]; sourceName: (id: string) => string } {
    const drawn = new Set(chart.spec ? drawnIds(chart.spec) : [chart.id]);
    const series = [...(lastState?.series.values() ?? [])].filter((s) => !drawn.has(s.id) && isPinId(s.id));
    series.sort((a, b) => (a.name === b.name ? labelsText(a.labels).localeCompare(labelsText(b.labels)) : a.name < b.name ? -1 : 1));
    const names = new Map((lastState?.sources ?? []).map((s) => [s.id, s.name]));
    return { series, sourceName: (id) => names.get(id) ?? id };
  }

  /** Replaces one chart's overlays (each once, at most MAX_OVERLAYS), tells the host when it keeps them, and redraws. */
  function setOverlays(chartId: string, ids: readonly string[]): void {
    const list = [...new Set(ids)].filter((x) => x !== chartId && isPinId(x)).slice(0, MAX_OVERLAYS);
    if (list.length > 0) overlays.set(chartId, list);
    else overlays.delete(chartId);
    if (lastState !== null && lastState.overlays !== null) api.post({ type: 'setOverlays', chartId, ids: list });
    overlaysChanged = true;
    // The same prefs, so nothing is saved or posted: this only asks for a render, which syncs the charts.
    updatePrefs((p) => p);
  }

  /** Takes the host's overlays when it sent new ones; drops those of charts no longer pinned. */
  function syncOverlays(state: PanelState, pinned: readonly string[]): void {
    if (state.overlays !== adopted) {
      adopted = state.overlays;
      if (adopted !== null) {
        overlays.clear();
        for (const [chartId, ids] of Object.entries(adopted)) overlays.set(chartId, ids);
      }
    }
    const keep = new Set(pinned);
    for (const chartId of overlays.keys()) if (!keep.has(chartId)) overlays.delete(chartId);
    overlaysChanged = false;
  }

  function setPaused(on: boolean): void {
    if (on === paused) return;
    paused = on;
    pauseButton.setAttribute('aria-pressed', String(on));
    pauseButton.title = on ? l10n.t('Resume live charts') : l10n.t('Freeze every chart (data is still collected)');
    for (const c of charts.values()) {
      if (on) {
        // What is on screen stays: nothing to redraw.
        c.view.pause(c.plot.range());
        c.card.showMode(c.view.mode);
      } else {
        c.view.resume();
        c.plot.rescale();
      }
    }
  }

  /** A new window replaces every zoom; paused charts freeze again at the new window's range. */
  function windowChanged(): void {
    for (const c of charts.values()) {
      c.view.resetZoom();
      c.view.refreeze();
      c.card.showMode(c.view.mode);
    }
  }

  /** The oldest point a zoomed or paused chart still shows, bounded to MAX_HOLD_MS before the window. */
  function keepFrom(now: number): number | null {
    const oldest = oldestHeld([...charts.values()].map((c) => c.view));
    const window = WINDOWS[lastPrefs?.window ?? '5m'];
    return oldest === null ? null : Math.max(oldest, now - window - MAX_HOLD_MS);
  }

  async function exportChart(chart: Chart, format: 'csv' | 'png'): Promise<void> {
    const fileName = exportFileName(chart.id, hostNow(), format);
    const content = format === 'csv' ? chart.plot.csv() : await chart.plot.png(chart.card.heading());
    const limit = format === 'csv' ? MAX_EXPORT_CSV : MAX_EXPORT_PNG;
    if (content === null || (format === 'png' && !content.startsWith(PNG_DATA_URL))) return chart.card.showStatus(l10n.t('Nothing to export yet.'));
    if (content.length > limit) return chart.card.showStatus(l10n.t('Too much to export: zoom in first.'));
    chart.card.showStatus('');
    api.post({ type: 'exportChart', file: { format, fileName, content } });
  }

  function remove(id: string, chart: Chart): void {
    chart.plot.stop();
    chart.card.root.remove();
    charts.delete(id);
  }

  /** Matches the cards to the pinned series (order, description) and asks for their history when it changed. */
  function sync(state: PanelState, prefs: Prefs): void {
    if (shownWindow !== null && shownWindow !== prefs.window) windowChanged();
    shownWindow = prefs.window;
    syncOverlays(state, prefs.pinned);
    const specs = prefs.pinned.map((id) => specFor(id, state, prefs, overlays.get(id) ?? []));
    const want = new Set(prefs.pinned);
    for (const [id, chart] of charts) if (!want.has(id)) remove(id, chart);
    if (state.loaded) {
      const w = wantedRequest(specs.filter((s) => s.series));
      const req = store.plan(w.ids, prefs.window, w.mode);
      if (req) {
        api.post({ type: 'requestHistory', requestId: req.requestId, ids: req.ids, window: req.window, mode: req.mode });
        for (const c of charts.values()) markDirty(c);
      }
    }
    specs.forEach((spec, i) => {
      const chart = charts.get(spec.id) ?? add(spec.id);
      if (grid.children[i] !== chart.card.root) grid.insertBefore(chart.card.root, grid.children[i] ?? null);
      const signature = specSignature(spec);
      if (signature !== chart.signature) {
        chart.signature = signature;
        chart.spec = spec;
        chart.card.describe(spec);
        chart.plot.discard();
        markDirty(chart);
      }
    });
    empty.hidden = prefs.pinned.length > 0;
    windowPicker.set(prefs.window);
  }

  /**
   * Draws dirty charts, at most MAX_DRAWS_PER_FRAME canvases (taking turns), so one frame never carries
   * every chart's redraw; a chart whose only change is live points waits until its line would move by a
   * pixel (ChartPlot.liveWaitMs). Returns whether some are left for a later frame.
   */
  function drawDirty(): boolean {
    const list = [...charts.values()];
    const start = drawTurn;
    const now = performance.now();
    let draws = 0;
    let behind = false;
    for (let k = 0; k < list.length; k++) {
      const at = (start + k) % list.length;
      const chart = list[at];
      if (!chart?.dirty || !chart.spec) continue;
      if (chart.spec.series !== undefined && chart.plot.drawsNow(chart.liveOnly)) {
        if (draws >= MAX_DRAWS_PER_FRAME || (chart.liveOnly && now - chart.drawnAt < chart.plot.liveWaitMs())) {
          if (!chart.counted) showCount(chart, chart.spec);
          behind = true;
          continue;
        }
        draws++;
        drawTurn = at + 1;
        chart.drawnAt = now;
      }
      draw(chart, chart.spec);
    }
    return behind;
  }

  /** Shows how many points the chart holds before its canvas catches up (one line: no need to align). */
  function showCount(chart: Chart, spec: ChartSpec): void {
    const only = spec.lines.length === 1 && spec.overlays.length === 0 ? spec.lines[0] : undefined;
    const count = only ? (store.get(only.id)?.t.length ?? 0) : chartData(spec, store)[0].length;
    chart.card.showPoints(count, store.loaded);
    chart.counted = true;
  }

  function draw(chart: Chart, spec: ChartSpec): void {
    chart.dirty = false;
    if (!spec.series) {
      chart.plot.blank();
      return;
    }
    // Made only when the plot draws: a chart off screen skips aligning its lines too.
    if (!chart.plot.drawsNow(chart.liveOnly)) showCount(chart, spec);
    chart.plot.show(spec, () => chartData(spec, store), chart.liveOnly);
  }

  function markAll(): void {
    for (const c of charts.values()) markDirty(c);
  }

  return {
    root,
    toolbar,
    render(state, prefs) {
      // Value-only updates (the common case at 10/s) change no chart's description: only draw new points.
      const described =
        lastState !== null && !overlaysChanged && prefs === lastPrefs && state.loaded === lastState.loaded && state.rules === lastState.rules && state.overlays === lastState.overlays && sameSeriesShape(lastState.series, state.series);
      lastState = state;
      lastPrefs = prefs;
      if (!described) sync(state, prefs);
      return drawDirty();
    },
    loadHistory(msg) {
      if (!store.load(msg.requestId, msg.series)) return false;
      markAll();
      return true;
    },
    appendValues(values, state) {
      const req = store.request;
      if (!req || req.ids.length === 0 || values.length === 0) return false;
      const points = livePoints(values, state.series.values(), state.hostNow, req);
      return points.length > 0 && this.appendPoints(points, state.hostNow);
    },
    appendPoints(points, hostNow) {
      const changed = store.append(points);
      if (changed.size === 0) return false;
      store.trim(hostNow, keepFrom(hostNow));
      let any = false;
      for (const c of charts.values()) {
        if (c.spec && drawnIds(c.spec).some((id) => changed.has(id))) {
          markDirty(c, true);
          any = true;
        }
      }
      return any;
    },
    themeChanged() {
      theme = null;
      for (const c of charts.values()) c.plot.discard();
      markAll();
    },
    setAnnotations(list) {
      annotations = list;
      for (const c of charts.values()) c.plot.redrawMarkers();
    },
    highlightAnnotation(id) {
      if (highlighted === id) return;
      highlighted = id;
      for (const c of charts.values()) c.plot.redrawMarkers();
    },
    setPaused,
  };
}
