// One chart's uPlot instance: built from its spec, given new data (or only told of it while the card is off
// screen, drawn when it scrolls in), drawing no more points than its pixels (decimate.ts, redone on new
// data, zoom and resize), resized with its box, drawing the annotation markers and their tooltip, zoomed by
// a drag (its XView holds the range, so live data does not move it), lines hidden from the legend, the
// legend reading the full data (overlaid series included), and its visible range exported (undecimated) as
// CSV or PNG.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AnnotationView } from '../../src/shared/views';
import type { Aligned } from './chartData';
import { drawMarkers } from './chartAnnotations';
import { formatter } from './units';
import { inRange, nearest } from './markerRange';
import { watchOnScreen } from '../ui/onScreen';
import type { ChartTheme } from './theme';
import { clear } from '../ui/dom';
import type { ChartCard } from './chartCard';
import { HEIGHT, MIN_DRAG_PX, plotOptions } from './plotOptions';
import type { ChartSpec } from './spec';
import { lineColors, lineFormats, lineKeys, lineLabels, overlayScales, ownLineCount } from './spec';
import type { LineVisibility } from './lineVisibility';
import type { TimeRange, XView } from './xView';
import { validRange } from './xView';
import { decimate, nearestIndex } from './decimate';
import { csvOfRange } from './chartExport';
import { chartPng } from './chartPng';

/** What every plot shares, read when it draws. */
/** The longest live points wait to be drawn (a 1 h window on 500 px moves a pixel every 7 s). */
export const MAX_LIVE_WAIT_MS = 1_000;

export interface PlotContext {
  theme(): ChartTheme;
  /** The dev-loop annotations to mark (oldest first). */
  annotations(): readonly AnnotationView[];
  /** The annotation emphasised on every chart showing it, if any. */
  highlighted(): string | null;
  /** The host's clock now (ms). */
  hostNow(): number;
  /** Where the chart window starts (ms, host clock): older points kept for a held chart stay off a live one. */
  windowStart(): number;
  /** The lines the user hid, per chart. */
  readonly lines: LineVisibility;
  /** Whether the history reply has arrived (the card says "Loading history…" until then). */
  historyLoaded(): boolean;
}

export interface ChartPlot {
  /** Whether `show` would draw the canvas now (else it only keeps the data). */
  drawsNow(liveOnly: boolean): boolean;
  /**
   * How long live points may wait before they are drawn (ms): the time one pixel of the x axis spans, at
   * most MAX_LIVE_WAIT_MS: sooner, the line would not have moved by a pixel.
   */
  liveWaitMs(): number;
  /**
   * Builds the uPlot with the data `data()` makes, or gives it the new data. A card off screen whose change
   * is only live points (`liveOnly`) makes the data when it scrolls in: its canvas is the costliest part of
   * a frame, and aligning its lines the next.
   */
  show(spec: ChartSpec, data: () => Aligned, liveOnly: boolean): void;
  /** Drops the uPlot, so the next show builds it anew (new spec or colours). */
  discard(): void;
  /** Removes the plot and its markers: the series is no longer reported. */
  blank(): void;
  /** Redraws the markers, now or when the card scrolls into view. */
  redrawMarkers(): void;
  /** The x range on screen (null before the first draw). */
  range(): TimeRange | null;
  /** Shows the view's range (after Pause or Resume), now or when the card scrolls in. */
  rescale(): void;
  /** Leaves the zoom (Reset zoom, double-click): back to live, or to the paused range. */
  resetZoom(): void;
  /** The visible range as CSV (null before the first draw). */
  csv(): string | null;
  /** The chart (heading, plot and legend) as a PNG data URL. */
  png(heading: string): Promise<string | null>;
  stop(): void;
}

export function createChartPlot(chartId: string, card: ChartCard, ctx: PlotContext, view: XView): ChartPlot {
  let plot: uPlot | null = null;
  let spec: ChartSpec | null = null;
  /** Makes the newest data (all of it: what the legend and an export read). */
  let source: (() => Aligned) | null = null;
  /** What `source` made, until the next `show`. */
  let latest: Aligned | null = null;
  /** New data not yet given to the plot because the chart was out of view. */
  let unshown = false;
  /** The plot's width changed while the chart was out of view. */
  let resized = false;
  /** Markers changed while the chart was out of view. */
  let markersStale = false;
  /** The view's range changed while the chart was out of view. */
  let rangeStale = false;
  /** The annotations inside the x range at the last draw, and their x positions (CSS px). */
  let markers: AnnotationView[] = [];
  let markerX: number[] = [];
  /** The marker under the pointer, drawn emphasised. */
  let hovered: string | null = null;

  const resize = new ResizeObserver((entries) => {
    const w = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (!plot || w <= 0 || Math.abs(plot.width - w) <= 1) return;
    if (!onScreen.visible) {
      resized = true;
      return;
    }
    resizeTo(plot, w);
  });
  const onScreen = watchOnScreen(card.root, catchUp);
  resize.observe(card.plotBox);

  /**
   * Resizes the plot, then gives it as many points as its new width has pixels: uPlot lays out the new size
   * in a microtask (queued by setSize), so the data follows in the next one.
   */
  function resizeTo(u: uPlot, width: number): void {
    u.setSize({ width, height: HEIGHT });
    queueMicrotask(() => {
      if (plot === u) put(u);
    });
  }

  /** The newest data, made once per `show`. */
  function full(): Aligned {
    if (!latest && source) latest = source();
    return latest ?? [[]];
  }

  /** Draws what arrived while the chart was out of view. */
  function catchUp(): void {
    const data = unshown;
    const stale = markersStale;
    const rescaled = rangeStale;
    const sized = resized;
    unshown = false;
    markersStale = false;
    rangeStale = false;
    resized = false;
    if (!plot) return;
    if (sized) resizeTo(plot, Math.max(200, Math.floor(card.plotBox.clientWidth) || plot.width));
    // New data is ranged through the view (scales.x.auto/range), so it applies a changed range too.
    else if (data || rescaled) put(plot);
    else if (stale) plot.redraw(false, false);
  }

  /** The x range the view shows for `data`: the held one, else the live one (what uPlot's range gets). */
  function targetRange(data: Aligned): TimeRange | null {
    const held = view.held;
    if (held) return held;
    const x = data[0];
    const [min, max] = view.range(x[0] ?? null, x[x.length - 1] ?? null, ctx.windowStart());
    return validRange(min, max);
  }

  /**
   * Gives the plot the newest data decimated to its pixel columns over the range it will show (the held one,
   * else the data's), and puts that range on screen.
   */
  function put(u: uPlot): void {
    const data = full();
    card.showPoints(data[0].length, ctx.historyLoaded());
    const r = targetRange(data);
    const columns = Math.round(u.bbox.width / uPlot.pxRatio) || u.width;
    u.setData(r ? decimate(data, r.min, r.max, columns) : data);
    const held = view.held;
    if (held && (u.scales.x?.min !== held.min || u.scales.x?.max !== held.max)) u.setScale('x', { min: held.min, max: held.max });
  }

  /** The legend's view of the cursor: the full data, at the real point nearest the cursor's time. */
  function legendAt(u: uPlot): Pick<uPlot, 'cursor' | 'data'> {
    const data = full();
    const left = u.cursor.left;
    const idx = u.cursor.idx == null || left == null || left < 0 ? null : nearestIndex(data[0], u.posToVal(left, 'x'));
    return { cursor: { ...u.cursor, idx }, data };
  }

  function zoomToSelection(u: uPlot): void {
    const { left, width } = u.select;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (width < MIN_DRAG_PX || !view.zoomTo(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'))) return;
    put(u);
    card.showMode(view.mode);
  }

  function resetZoom(): void {
    if (!view.resetZoom()) return;
    card.showMode(view.mode);
    if (plot) put(plot);
  }

  function shownRange(): TimeRange | null {
    return plot ? validRange(plot.scales.x?.min, plot.scales.x?.max) : null;
  }

  function toggleLine(i: number): void {
    const key = spec ? lineKeys(spec)[i] : undefined;
    if (key === undefined) return;
    const shown = ctx.lines.toggle(chartId, key);
    card.legend.setShown(i, shown);
    plot?.setSeries(i + 1, { show: shown });
  }

  /** The annotations inside the plot's x range (ms); records how many on the card. */
  function markersInView(u: uPlot): AnnotationView[] {
    const min = u.scales.x?.min;
    const max = u.scales.x?.max;
    const inView = inRange(ctx.annotations(), min == null ? min : min / 1000, max == null ? max : max / 1000);
    card.showMarkerCount(inView.length);
    return inView;
  }

  function drawAnnotations(u: uPlot, t: ChartTheme): void {
    markers = markersInView(u);
    markerX = markers.map((a) => u.valToPos(a.at, 'x'));
    drawMarkers(u, markers, t, hovered ?? ctx.highlighted());
    updateTip(u);
  }

  /** Names the marker under the pointer, else the highlighted one when this chart shows it. */
  function updateTip(u: uPlot): void {
    const left = u.cursor.left;
    const under = left != null && left >= 0 ? nearest(markers, markerX, left) : null;
    if ((under?.id ?? null) !== hovered) {
      hovered = under?.id ?? null;
      u.redraw(false, false); // redraws the markers (and comes back here with the same hover)
      return;
    }
    const highlighted = ctx.highlighted();
    const a = under ?? markers.find((m) => m.id === highlighted) ?? null;
    if (!a) {
      card.tip.hide();
      return;
    }
    const i = markers.indexOf(a);
    const over = u.over.getBoundingClientRect();
    const box = card.plotBox.getBoundingClientRect();
    card.tip.show(a, over.left - box.left + (markerX[i] ?? 0), ctx.hostNow());
  }

  /** A new uPlot for the spec, given its data at once (by `put`, so it is drawn once). */
  function build(s: ChartSpec): uPlot {
    const t = ctx.theme();
    const fmt = formatter(s.unit, s.counter, s.mode);
    const width = Math.max(200, Math.floor(card.plotBox.clientWidth) || 400);
    const shown = ctx.lines.shown(chartId, lineKeys(s));
    const opts = plotOptions(s, t, width, fmt, {
      drawn: (u) => drawAnnotations(u, t),
      cursorMoved: (u) => {
        card.legend.update(legendAt(u));
        updateTip(u);
      },
      dataSet: (u) => card.legend.update(legendAt(u)),
      xRange: (min, max) => view.range(min, max, ctx.windowStart()),
      xFollowsData: () => view.held === null,
      selected: zoomToSelection,
      doubleClicked: resetZoom,
    }, shown);
    const colors = lineColors(s, t.palette, t.foreground);
    const formats = lineFormats(s);
    const own = ownLineCount(s);
    const entries = lineLabels(s).map((name, i) => ({ name, color: colors[i] ?? t.foreground, format: formats[i] ?? fmt, shown: shown[i] ?? true, overlayId: s.overlays[i - own]?.id }));
    card.legend.build(entries, toggleLine, (id) => card.removeOverlay(id));
    card.showAxes(1 + overlayScales(s).length);
    const made = new uPlot(opts, [[], ...lineLabels(s).map(() => [])], card.plotBox);
    // Its own compositing layer: a redraw then repaints this canvas alone, not the page around it.
    made.ctx.canvas.style.willChange = 'transform';
    put(made);
    card.showMode(view.mode);
    return made;
  }

  return {
    liveWaitMs() {
      const r = shownRange();
      const pixels = plot ? plot.bbox.width / uPlot.pxRatio : 0;
      return r && pixels > 0 ? Math.min(MAX_LIVE_WAIT_MS, (r.max - r.min) / pixels) : 0;
    },
    drawsNow(liveOnly) {
      return !plot || onScreen.visible || !liveOnly;
    },
    show(s, data, liveOnly) {
      spec = s;
      source = data;
      latest = null;
      if (!plot) {
        unshown = false;
        plot = build(s);
      } else if (onScreen.visible || !liveOnly) {
        unshown = false;
        put(plot);
      } else unshown = true;
    },
    discard() {
      plot?.destroy();
      plot = null;
    },
    blank() {
      plot?.destroy();
      plot = null;
      clear(card.plotBox);
      markers = [];
      card.tip.hide();
      card.showMarkerCount(0);
      source = null;
      latest = null;
    },
    redrawMarkers() {
      if (!plot) return;
      markersStale = true;
      if (onScreen.visible) catchUp();
      else markersInView(plot);
    },
    range: shownRange,
    rescale() {
      card.showMode(view.mode);
      if (!plot) return;
      rangeStale = true;
      if (onScreen.visible) catchUp();
    },
    resetZoom,
    csv() {
      const r = shownRange();
      return r && spec && source ? csvOfRange(full(), lineLabels(spec), r.min, r.max) : null;
    },
    png(heading) {
      if (!plot || !spec) return Promise.resolve(null);
      const t = ctx.theme();
      return chartPng(plot, heading, lineLabels(spec), ctx.lines.shown(chartId, lineKeys(spec)), lineColors(spec, t.palette, t.foreground), t);
    },
    stop() {
      resize.disconnect();
      onScreen.stop();
      plot?.destroy();
      plot = null;
      unshown = false;
      source = null;
      latest = null;
    },
  };
}
