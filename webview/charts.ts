// Pinned series charts (uPlot): a shared window selector, per-chart Rate/Raw and grouping,
// threshold lines from the matching rule, a crosshair legend, live points appended as they arrive.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AnnotationView, HostMessage, PointsView, RuleView, SeriesValue, SeriesView, ValueMode, WindowId } from '../src/protocol';
import type { Unit } from '../src/core/model';
import { WINDOWS } from '../src/protocol';
import type { Aligned, Buffer } from './chartData';
import { align, HistoryStore, sumLines, toRate } from './chartData';
import type { ChartGrouping, Prefs } from './prefs';
import { chartPrefs } from './prefs';
import type { PanelState } from './state';
import type { ChartTheme } from './theme';
import { chartTheme } from './theme';
import type { VsCodeApi } from './vscodeApi';
import { ruleForSeries } from './rules';
import { button, clear, el, setText, setTextIfChanged } from './dom';
import { labelsText, safeText } from './text';
import { createSegmented } from './segmented';
import type { MarkerTip } from './chartAnnotations';
import { createMarkerTip, drawMarkers } from './chartAnnotations';
import { inRange, nearest } from './markerRange';
import { sameSeriesShape } from './seriesShape';
import type { ChartLegend } from './chartLegend';
import { createChartLegend, formatter, shownUnit } from './chartLegend';
import type { OnScreen } from './onScreen';
import { watchOnScreen } from './onScreen';

const HEIGHT = 170;
/** Most canvases redrawn in one frame; the rest follow in the next frames (10 updates/s leave ~6 frames each). */
const MAX_DRAWS_PER_FRAME = 4;
const MAX_LINES = 12;

type LoadHistory = Extract<HostMessage, { type: 'didLoadHistory' }>;

interface Line {
  readonly id: string;
  readonly label: string;
}

interface ChartSpec {
  readonly id: string;
  readonly series: SeriesView | undefined;
  readonly lines: readonly Line[];
  readonly group: ChartGrouping;
  readonly mode: ValueMode;
  readonly counter: boolean;
  readonly unit: Unit;
  readonly rule: RuleView | undefined;
  readonly siblings: number;
}

interface ChartView {
  readonly card: HTMLElement;
  readonly title: HTMLElement;
  readonly subtitle: HTMLElement;
  readonly controls: HTMLElement;
  readonly plotBox: HTMLElement;
  readonly legend: ChartLegend;
  readonly note: HTMLElement;
  readonly resize: ResizeObserver;
  readonly onScreen: OnScreen;
  plot: uPlot | null;
  /** Data not yet given to the plot because the chart was out of view. */
  unshown: Aligned | null;
  /** Markers changed while the chart was out of view. */
  markersStale: boolean;
  spec: ChartSpec | null;
  signature: string;
  dirty: boolean;
  /** Everything that made it dirty was live points (which a chart out of view can leave for later). */
  liveOnly: boolean;
  readonly tip: MarkerTip;
  /** The annotations inside the x range at the last draw, and their x positions (CSS px). */
  markers: AnnotationView[];
  markerX: number[];
  /** The marker under the pointer, drawn emphasised. */
  hovered: string | null;
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
}

const WINDOW_OPTIONS: readonly { value: WindowId; text: string }[] = (Object.keys(WINDOWS) as WindowId[]).map((w) => ({ value: w, text: w }));

export function createCharts(api: VsCodeApi, updatePrefs: (f: (p: Prefs) => Prefs) => void): Charts {
  const store = new HistoryStore();
  const views = new Map<string, ChartView>();
  let theme: ChartTheme | null = null;
  let lastState: PanelState | null = null;
  let lastPrefs: Prefs | null = null;
  let annotations: readonly AnnotationView[] = [];
  let highlighted: string | null = null;
  /** Where the next frame's drawing starts, so charts take turns when there are more than a frame draws. */
  let drawTurn = 0;

  const windowPicker = createSegmented('Chart window', WINDOW_OPTIONS, 'window', '5m' as WindowId, (w) => updatePrefs((p) => ({ ...p, window: w })));
  const toolbar = el('div', { class: 'chart-toolbar' }, windowPicker.root);
  const empty = el('p', { class: 'muted chart-empty' }, 'Pin a series from the Series list to chart it here.');
  const grid = el('div', { class: 'chart-grid' });
  const root = el('div', { class: 'charts' }, empty, grid);

  function specFor(id: string, state: PanelState, prefs: Prefs): ChartSpec {
    const s = state.series.get(id);
    const cp = chartPrefs(prefs, id);
    if (!s) return { id, series: undefined, lines: [], group: cp.group, mode: cp.mode, counter: false, unit: 'none', rule: undefined, siblings: 0 };
    const siblings = [...state.series.values()].filter((x) => x.sourceId === s.sourceId && x.name === s.name);
    siblings.sort((a, b) => labelsText(a.labels).localeCompare(labelsText(b.labels)));
    const group = siblings.length > 1 ? cp.group : 'single';
    const members = group === 'single' ? [s] : siblings.slice(0, MAX_LINES);
    const lines = members.map((m) => ({ id: m.id, label: safeText(labelsText(m.labels) || m.name, 80) }));
    const counter = s.kind === 'counter';
    const mode = counter ? cp.mode : 'raw';
    const showsRuleValue = group !== 'sum' && (!counter || mode === 'rate');
    return { id, series: s, lines, group, mode, counter, unit: s.unit, rule: showsRuleValue ? ruleForSeries(state.rules, s) : undefined, siblings: siblings.length };
  }

  function wantedRequest(specs: readonly ChartSpec[]): { ids: string[]; mode: ValueMode } {
    const ids = specs.flatMap((s) => s.lines.map((l) => l.id));
    // One request serves every chart: raw when any counter chart wants raw (rates are then derived here).
    const mode: ValueMode = specs.some((s) => s.counter && s.mode === 'raw') ? 'raw' : 'rate';
    return { ids, mode };
  }

  function chartData(spec: ChartSpec): Aligned {
    const req = store.request;
    const bufs: Buffer[] = spec.lines.map((l) => {
      const b = store.get(l.id) ?? { t: [], v: [] };
      return spec.counter && spec.mode === 'rate' && req?.mode === 'raw' ? toRate(b) : b;
    });
    return spec.group === 'sum' ? sumLines(bufs) : align(bufs);
  }

  function makeView(id: string): ChartView {
    const title = el('div', { class: 'chart-title' });
    const subtitle = el('div', { class: 'chart-subtitle' });
    const controls = el('div', { class: 'chart-controls' });
    const plotBox = el('div', { class: 'chart-plot' });
    const legend = createChartLegend();
    const note = el('div', { class: 'chart-note muted' });
    const tip = createMarkerTip();
    const unpin = button('Unpin', { class: 'btn icon-btn', 'data-action': 'unpin', 'aria-label': 'Unpin chart', title: 'Unpin' }, () => updatePrefs((p) => ({ ...p, pinned: p.pinned.filter((x) => x !== id) })));
    const card = el('article', { class: 'chart', 'data-series-id': id, 'data-annotations': 0 },
      el('div', { class: 'chart-head' }, el('div', { class: 'chart-heading' }, title, subtitle), controls, unpin), el('div', { class: 'chart-plot-wrap' }, plotBox, tip.root), note, legend.root);
    const view: ChartView = { card, title, subtitle, controls, plotBox, legend, note, plot: null, unshown: null, markersStale: false, spec: null, signature: '', dirty: true, liveOnly: false, tip, markers: [], markerX: [], hovered: null,
      resize: new ResizeObserver((entries) => {
        const w = Math.floor(entries[0]?.contentRect.width ?? 0);
        if (view.plot && w > 0 && Math.abs(view.plot.width - w) > 1) view.plot.setSize({ width: w, height: HEIGHT });
      }),
      onScreen: watchOnScreen(card, () => catchUp(view)) };
    view.resize.observe(plotBox);
    return view;
  }

  function markDirty(view: ChartView, liveOnly = false): void {
    view.liveOnly = (view.dirty ? view.liveOnly : true) && liveOnly;
    view.dirty = true;
  }

  /** Draws what arrived while the chart was out of view. */
  function catchUp(view: ChartView): void {
    const data = view.unshown;
    const markers = view.markersStale;
    view.unshown = null;
    view.markersStale = false;
    if (!view.plot) return;
    if (data) view.plot.setData(data);
    else if (markers) view.plot.redraw(false, false);
  }

  /** Redraws a plot's overlays (markers), now or when it scrolls into view. */
  function redraw(view: ChartView): void {
    if (!view.plot) return;
    view.markersStale = true;
    if (view.onScreen.visible) catchUp(view);
    else markersInView(view, view.plot);
  }

  function destroy(view: ChartView): void {
    view.resize.disconnect();
    view.onScreen.stop();
    view.plot?.destroy();
    view.plot = null;
    view.unshown = null;
    view.card.remove();
  }

  function buildControls(view: ChartView, spec: ChartSpec): void {
    clear(view.controls);
    const id = spec.id;
    const setChart = (patch: Partial<{ mode: ValueMode; group: ChartGrouping }>) =>
      updatePrefs((p) => ({ ...p, charts: { ...p.charts, [id]: { ...chartPrefs(p, id), ...patch } } }));
    if (spec.counter) {
      view.controls.appendChild(createSegmented('Value', [{ value: 'rate', text: 'Rate', title: 'Per-second rate' }, { value: 'raw', text: 'Raw', title: 'Cumulative value' }], 'mode', spec.mode, (mode) => setChart({ mode })).root);
    }
    if (spec.siblings > 1) {
      view.controls.appendChild(createSegmented('Labels', [
        { value: 'single', text: 'This', title: 'Only this series' },
        { value: 'split', text: 'Split', title: 'One line per label set' },
        { value: 'sum', text: 'Sum', title: 'Sum of all label sets' },
      ], 'group', spec.group, (group) => setChart({ group })).root);
    }
  }

  function drawThresholds(u: uPlot, rule: RuleView, t: ChartTheme): void {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    for (const [level, color] of [[rule.warning, t.warning], [rule.critical, t.critical]] as const) {
      if (level == null) continue;
      const y = Math.round(u.valToPos(level, 'y', true));
      if (y < top || y > top + height) continue;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = Math.max(1, uPlot.pxRatio);
      ctx.setLineDash([5 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.restore();
    }
  }

  /** The annotations inside the plot's x range (ms); records how many on the card. */
  function markersInView(view: ChartView, u: uPlot): AnnotationView[] {
    const min = u.scales.x?.min;
    const max = u.scales.x?.max;
    const markers = inRange(annotations, min == null ? min : min / 1000, max == null ? max : max / 1000);
    const count = String(markers.length);
    if (view.card.dataset.annotations !== count) view.card.dataset.annotations = count;
    return markers;
  }

  function drawAnnotations(view: ChartView, u: uPlot, t: ChartTheme): void {
    const markers = markersInView(view, u);
    view.markers = markers;
    view.markerX = markers.map((a) => u.valToPos(a.at, 'x'));
    drawMarkers(u, markers, t, view.hovered ?? highlighted);
    updateTip(view, u);
  }

  /** Names the marker under the pointer, else the highlighted one when this chart shows it. */
  function updateTip(view: ChartView, u: uPlot): void {
    const left = u.cursor.left;
    const hovered = left != null && left >= 0 ? nearest(view.markers, view.markerX, left) : null;
    if ((hovered?.id ?? null) !== view.hovered) {
      view.hovered = hovered?.id ?? null;
      u.redraw(false, false); // redraws the markers (and comes back here with the same hover)
      return;
    }
    const a = hovered ?? view.markers.find((m) => m.id === highlighted) ?? null;
    if (!a) {
      view.tip.hide();
      return;
    }
    const i = view.markers.indexOf(a);
    const over = u.over.getBoundingClientRect();
    const box = view.plotBox.getBoundingClientRect();
    view.tip.show(a, over.left - box.left + (view.markerX[i] ?? 0), Date.now() + (lastState?.clockOffset ?? 0));
  }

  function createPlot(view: ChartView, spec: ChartSpec, data: Aligned): uPlot {
    const t = theme ?? (theme = chartTheme());
    const fmt = formatter(spec.unit, spec.counter, spec.mode);
    const rule = spec.rule;
    const lineCount = spec.group === 'sum' ? 1 : spec.lines.length;
    const colors = t.palette;
    const axis = { stroke: t.muted, font: t.font, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1, size: 4 } };
    const opts: uPlot.Options = {
      width: Math.max(200, Math.floor(view.plotBox.clientWidth) || 400),
      height: HEIGHT,
      padding: [10, 12, 0, 0],
      // Times stay in ms, as the buffers hold them, so a line's arrays go to uPlot without copying.
      ms: 1,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
      scales: {
        x: { time: true },
        y: {
          range: (_u, min, max) => {
            let lo = Number.isFinite(min) ? Math.min(0, min) : 0;
            let hi = Number.isFinite(max) ? max : 1;
            // Keep the warning line in view when the data is within sight of it.
            const w = rule?.direction === 'above' ? rule.warning : null;
            if (w != null && w > hi && w <= hi * 3) hi = w;
            if (hi <= lo) hi = lo + 1;
            if (lo < 0) lo -= (hi - lo) * 0.05;
            return [lo, hi + (hi - lo) * 0.08];
          },
        },
      },
      axes: [
        { ...axis, space: 70 },
        { ...axis, values: (_u, splits) => splits.map((v) => fmt(v)), size: (_u, values) => Math.max(40, Math.max(0, ...(values ?? []).map((v) => String(v).length)) * 6.5 + 14) },
      ],
      series: [
        {},
        ...Array.from({ length: lineCount }, (_, i) => ({
          label: spec.group === 'sum' ? 'sum' : (spec.lines[i]?.label ?? ''),
          stroke: colors[i % colors.length] ?? t.foreground,
          width: 1.5,
          spanGaps: true,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => fmt(v),
        })),
      ],
      hooks: {
        draw: [(u) => rule && drawThresholds(u, rule, t), (u) => drawAnnotations(view, u, t)],
        setCursor: [(u) => view.legend.update(u), (u) => updateTip(view, u)],
        setData: [(u) => view.legend.update(u)],
      },
    };
    view.legend.build(spec.group === 'sum' ? ['sum'] : spec.lines.map((l) => l.label), colors, fmt);
    const plot = new uPlot(opts, data, view.plotBox);
    view.legend.update(plot);
    return plot;
  }

  function describe(view: ChartView, spec: ChartSpec): void {
    const s = spec.series;
    if (!s) {
      setText(view.title, spec.id, 120);
      view.subtitle.textContent = 'This series is no longer reported.';
      return;
    }
    const labels = labelsText(s.labels);
    const name = spec.group === 'sum' ? `Σ ${s.name}` : s.name;
    setText(view.title, name, 120);
    const parts: string[] = [];
    if (spec.group === 'single' && labels) parts.push(labels);
    if (spec.group !== 'single') parts.push(`${Math.min(spec.siblings, MAX_LINES)}${spec.siblings > MAX_LINES ? ` of ${spec.siblings}` : ''} label sets`);
    const u = shownUnit(spec.unit, spec.counter, spec.mode);
    parts.push(spec.counter ? (spec.mode === 'rate' ? 'rate' : 'cumulative') : s.kind);
    if (u.unit !== 'none') parts.push(u.perSecond ? `${u.unit}/s` : u.unit.replace('_', ' '));
    setText(view.subtitle, parts.join(' · '), 200);
  }

  function syncCharts(state: PanelState, prefs: Prefs): void {
    const specs = prefs.pinned.map((id) => specFor(id, state, prefs));
    const want = new Set(prefs.pinned);
    for (const [id, view] of views) {
      if (!want.has(id)) {
        destroy(view);
        views.delete(id);
      }
    }
    if (state.loaded) {
      const w = wantedRequest(specs.filter((s) => s.series));
      const req = store.plan(w.ids, prefs.window, w.mode);
      if (req) {
        api.post({ type: 'requestHistory', requestId: req.requestId, ids: req.ids, window: req.window, mode: req.mode });
        for (const v of views.values()) markDirty(v);
      }
    }
    specs.forEach((spec, i) => {
      let view = views.get(spec.id);
      if (!view) {
        view = makeView(spec.id);
        views.set(spec.id, view);
      }
      if (grid.children[i] !== view.card) grid.insertBefore(view.card, grid.children[i] ?? null);
      const signature = JSON.stringify([spec.lines, spec.group, spec.mode, spec.unit, spec.counter, spec.rule?.warning, spec.rule?.critical, spec.rule?.direction, spec.siblings]);
      if (signature !== view.signature) {
        view.signature = signature;
        view.spec = spec;
        describe(view, spec);
        buildControls(view, spec);
        view.plot?.destroy();
        view.plot = null;
        markDirty(view);
      }
    });
    empty.hidden = prefs.pinned.length > 0;
    windowPicker.set(prefs.window);
  }

  /**
   * Draws dirty charts, at most MAX_DRAWS_PER_FRAME canvases (taking turns), so one frame never carries
   * every chart's redraw. Returns whether some are left for the next frame.
   */
  function drawData(): boolean {
    const list = [...views.values()];
    const start = drawTurn;
    let draws = 0;
    let behind = false;
    for (let k = 0; k < list.length; k++) {
      const at = (start + k) % list.length;
      const view = list[at];
      if (!view?.dirty || !view.spec) continue;
      const drawsCanvas = view.spec.series !== undefined && (!view.plot || view.onScreen.visible || !view.liveOnly);
      if (drawsCanvas) {
        if (draws >= MAX_DRAWS_PER_FRAME) {
          behind = true;
          continue;
        }
        draws++;
        drawTurn = at + 1;
      }
      drawView(view, view.spec);
    }
    return behind;
  }

  function drawView(view: ChartView, spec: ChartSpec): void {
    view.dirty = false;
    const liveOnly = view.liveOnly;
    if (!spec.series) {
      view.plot?.destroy();
      view.plot = null;
      clear(view.plotBox);
      view.markers = [];
      view.tip.hide();
      view.card.dataset.annotations = '0';
      return;
    }
    const data = chartData(spec);
    const points = String(data[0].length);
    if (view.card.dataset.points !== points) view.card.dataset.points = points;
    setTextIfChanged(view.note, store.loaded ? (points === '0' ? 'No points in this window yet.' : '') : 'Loading history…');
    // A chart out of view keeps its data for when it scrolls in: its canvas is the costliest part of a frame.
    if (!view.plot) {
      view.unshown = null;
      view.plot = createPlot(view, spec, data);
    } else if (view.onScreen.visible || !liveOnly) {
      view.unshown = null;
      view.plot.setData(data);
    } else view.unshown = data;
  }

  return {
    root,
    toolbar,
    render(state, prefs) {
      // Value-only updates (the common case at 10/s) change no chart's description: only draw new points.
      const described = lastState !== null && prefs === lastPrefs && state.loaded === lastState.loaded && state.rules === lastState.rules && sameSeriesShape(lastState.series, state.series);
      lastState = state;
      lastPrefs = prefs;
      if (!described) syncCharts(state, prefs);
      return drawData();
    },
    loadHistory(msg) {
      if (!store.load(msg.requestId, msg.series)) return false;
      for (const v of views.values()) markDirty(v);
      return true;
    },
    appendValues(values, state) {
      const req = store.request;
      if (!req || req.ids.length === 0 || values.length === 0) return false;
      const watched = new Set(req.ids);
      const byHandle = new Map<number, string>();
      for (const s of state.series.values()) if (watched.has(s.id)) byHandle.set(s.handle, s.id);
      const points: PointsView[] = [];
      for (const [handle, value, raw, ageMs] of values) {
        const id = byHandle.get(handle);
        if (id === undefined) continue;
        points.push({ id, t: [state.hostNow - ageMs], v: [req.mode === 'raw' ? (raw ?? value) : value] });
      }
      return points.length > 0 && this.appendPoints(points, state.hostNow);
    },
    appendPoints(points, hostNow) {
      const changed = store.append(points);
      if (changed.size === 0) return false;
      store.trim(hostNow);
      let any = false;
      for (const v of views.values()) {
        if (v.spec?.lines.some((l) => changed.has(l.id))) {
          markDirty(v, true);
          any = true;
        }
      }
      return any;
    },
    themeChanged() {
      theme = null;
      for (const v of views.values()) {
        v.plot?.destroy();
        v.plot = null;
        markDirty(v);
      }
    },
    setAnnotations(list) {
      annotations = list;
      for (const v of views.values()) redraw(v);
    },
    highlightAnnotation(id) {
      if (highlighted === id) return;
      highlighted = id;
      for (const v of views.values()) redraw(v);
    },
  };
}
