// One chart's uPlot instance: built from its spec, given new data (or keeping it while the card is off
// screen, drawn when it scrolls in), resized with its box, and drawing the annotation markers and their tooltip.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AnnotationView } from '../../src/shared/views';
import type { Aligned } from './chartData';
import { drawMarkers } from './chartAnnotations';
import { formatter } from './chartLegend';
import { inRange, nearest } from './markerRange';
import { watchOnScreen } from '../ui/onScreen';
import type { ChartTheme } from './theme';
import { clear } from '../ui/dom';
import type { ChartCard } from './chartCard';
import { HEIGHT, plotOptions } from './plotOptions';
import type { ChartSpec } from './spec';
import { lineLabels } from './spec';

/** What every plot shares, read when it draws. */
export interface PlotContext {
  theme(): ChartTheme;
  /** The dev-loop annotations to mark (oldest first). */
  annotations(): readonly AnnotationView[];
  /** The annotation emphasised on every chart showing it, if any. */
  highlighted(): string | null;
  /** The host's clock now (ms). */
  hostNow(): number;
}

export interface ChartPlot {
  /** Whether `show` would draw the canvas now (else it only keeps the data). */
  drawsNow(liveOnly: boolean): boolean;
  /**
   * Builds the uPlot with `data`, or gives it the new data. A card off screen whose change is only live
   * points (`liveOnly`) keeps the data for when it scrolls in: its canvas is the costliest part of a frame.
   */
  show(spec: ChartSpec, data: Aligned, liveOnly: boolean): void;
  /** Drops the uPlot, so the next show builds it anew (new spec or colours). */
  discard(): void;
  /** Removes the plot and its markers: the series is no longer reported. */
  blank(): void;
  /** Redraws the markers, now or when the card scrolls into view. */
  redrawMarkers(): void;
  stop(): void;
}

export function createChartPlot(card: ChartCard, ctx: PlotContext): ChartPlot {
  let plot: uPlot | null = null;
  /** Data not yet given to the plot because the chart was out of view. */
  let unshown: Aligned | null = null;
  /** Markers changed while the chart was out of view. */
  let markersStale = false;
  /** The annotations inside the x range at the last draw, and their x positions (CSS px). */
  let markers: AnnotationView[] = [];
  let markerX: number[] = [];
  /** The marker under the pointer, drawn emphasised. */
  let hovered: string | null = null;

  const resize = new ResizeObserver((entries) => {
    const w = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (plot && w > 0 && Math.abs(plot.width - w) > 1) plot.setSize({ width: w, height: HEIGHT });
  });
  const onScreen = watchOnScreen(card.root, catchUp);
  resize.observe(card.plotBox);

  /** Draws what arrived while the chart was out of view. */
  function catchUp(): void {
    const data = unshown;
    const stale = markersStale;
    unshown = null;
    markersStale = false;
    if (!plot) return;
    if (data) plot.setData(data);
    else if (stale) plot.redraw(false, false);
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

  function build(spec: ChartSpec, data: Aligned): uPlot {
    const t = ctx.theme();
    const fmt = formatter(spec.unit, spec.counter, spec.mode);
    const width = Math.max(200, Math.floor(card.plotBox.clientWidth) || 400);
    const opts = plotOptions(spec, t, width, fmt, {
      drawn: (u) => drawAnnotations(u, t),
      cursorMoved: (u) => {
        card.legend.update(u);
        updateTip(u);
      },
      dataSet: (u) => card.legend.update(u),
    });
    card.legend.build(lineLabels(spec), t.palette, fmt);
    const made = new uPlot(opts, data, card.plotBox);
    card.legend.update(made);
    return made;
  }

  return {
    drawsNow(liveOnly) {
      return !plot || onScreen.visible || !liveOnly;
    },
    show(spec, data, liveOnly) {
      if (!plot) {
        unshown = null;
        plot = build(spec, data);
      } else if (onScreen.visible || !liveOnly) {
        unshown = null;
        plot.setData(data);
      } else unshown = data;
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
    },
    redrawMarkers() {
      if (!plot) return;
      markersStale = true;
      if (onScreen.visible) catchUp();
      else markersInView(plot);
    },
    stop() {
      resize.disconnect();
      onScreen.stop();
      plot?.destroy();
      plot = null;
      unshown = null;
    },
  };
}
