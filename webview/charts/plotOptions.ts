// A chart's uPlot options: size, time and value scales, axes in the chart's unit, one coloured line per
// label set, overlaid series as dashed lines (each unit other than the chart's on its own scale and right
// axis), the rule's warning and critical levels drawn as dashed lines, drag-to-zoom on x, and the
// crosshair shared by every chart.
import uPlot from 'uplot';
import type { RuleView } from '../../src/shared/views';
import { formatTime } from '../../src/shared/format';
import type { ChartTheme } from './theme';
import type { ChartSpec } from './spec';
import { lineColors, lineFormats, lineLabels, overlayScales, ownLineCount } from './spec';

export const HEIGHT = 170;

/** Every chart's cursor publishes and follows on this key: one crosshair across the panel. */
export const CURSOR_SYNC_KEY = 'pulse-charts';
/** A drag shorter than this (CSS px) is a click, not a zoom. */
export const MIN_DRAG_PX = 5;

/** What the plot does on uPlot's events, besides drawing lines and thresholds. */
export interface PlotEvents {
  /** After every draw: overlays on top of the lines. */
  drawn(u: uPlot): void;
  cursorMoved(u: uPlot): void;
  dataSet(u: uPlot): void;
  /** The x range to draw for data spanning [min, max] (live, zoomed or frozen). */
  xRange(min: number | null, max: number | null): [number, number] | [null, null];
  /** Whether new data may move the x range (false while zoomed or paused). */
  xFollowsData(): boolean;
  /** A drag across the plot ended: `u.select` holds it (CSS px). */
  selected(u: uPlot): void;
  doubleClicked(): void;
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

/** A value scale's range: from zero (or below, for negatives), with head room; `keep` (a warning level) stays in view when near. */
function valueRange(min: number, max: number, keep: number | null): [number, number] {
  let lo = Number.isFinite(min) ? Math.min(0, min) : 0;
  let hi = Number.isFinite(max) ? max : 1;
  // Keep the warning line in view when the data is within sight of it.
  if (keep != null && keep > hi && keep <= hi * 3) hi = keep;
  if (hi <= lo) hi = lo + 1;
  if (lo < 0) lo -= (hi - lo) * 0.05;
  return [lo, hi + (hi - lo) * 0.08];
}

/** An axis's width for its tick labels. */
const axisSize = (_u: uPlot, values: string[] | null): number => Math.max(40, Math.max(0, ...(values ?? []).map((v) => String(v).length)) * 6.5 + 14);

/** `shown[i]` says whether line i starts shown (the user may have hidden it with the legend). */
export function plotOptions(spec: ChartSpec, t: ChartTheme, width: number, fmt: (v: number | null) => string, events: PlotEvents, shown: readonly boolean[]): uPlot.Options {
  const rule = spec.rule;
  const colors = lineColors(spec, t.palette, t.foreground);
  const formats = lineFormats(spec);
  const own = ownLineCount(spec);
  const extra = overlayScales(spec);
  /** The formatter of the first overlay on each extra scale (they share a unit, so any of them reads the same). */
  const scaleFormat = (key: string) => formats[own + spec.overlays.findIndex((o) => o.scale === key)] ?? fmt;
  const axis = { stroke: t.muted, font: t.font, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1, size: 4 } };
  return {
    width,
    height: HEIGHT,
    padding: [10, 12, 0, 0],
    // Times stay in ms, as the buffers hold them, so a line's arrays go to uPlot without copying.
    ms: 1,
    legend: { show: false },
    cursor: {
      // The zoom goes through the chart's own range (events.selected), not uPlot's, so it survives new data.
      drag: { x: true, y: false, setScale: false, dist: MIN_DRAG_PX },
      points: { size: 7 },
      // Only the pointer position is shared: a drag or double-click zooms the chart it happens on.
      sync: { key: CURSOR_SYNC_KEY, setSeries: false, filters: { pub: (type) => type === 'mousemove' } },
      bind: {
        dblclick: () => () => {
          events.doubleClicked();
          return null;
        },
      },
    },
    scales: {
      x: { time: true, auto: () => events.xFollowsData(), range: (_u, min, max) => events.xRange(min, max) },
      y: { range: (_u, min, max) => valueRange(min, max, rule?.direction === 'above' ? rule.warning : null) },
      ...Object.fromEntries(extra.map((key): [string, uPlot.Scale] => [key, { range: (_u, min, max) => valueRange(min, max, null) }])),
    },
    axes: [
      // Clock times in the panel's locale (uPlot's own labels are English: "2:05pm").
      { ...axis, space: 100, values: (_u, splits, _i, _space, incr) => splits.map((v) => formatTime(v, incr < 60_000)) },
      { ...axis, values: (_u, splits) => splits.map((v) => fmt(v)), size: axisSize },
      // One axis on the right per overlay unit; no grid of its own (the left axis draws it).
      ...extra.map((key): uPlot.Axis => {
        const f = scaleFormat(key);
        return { ...axis, scale: key, side: 1, grid: { show: false }, values: (_u, splits) => splits.map((v) => f(v)), size: axisSize };
      }),
    ],
    series: [
      {},
      ...lineLabels(spec).map((label, i): uPlot.Series => {
        const overlay = i >= own ? spec.overlays[i - own] : undefined;
        const f = formats[i] ?? fmt;
        return {
          label,
          stroke: colors[i] ?? t.foreground,
          show: shown[i] ?? true,
          width: 1.5,
          spanGaps: true,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => f(v),
          ...(overlay ? { scale: overlay.scale, dash: [6, 3] } : {}),
        };
      }),
    ],
    hooks: {
      draw: [(u) => rule && drawThresholds(u, rule, t), events.drawn],
      setCursor: [events.cursorMoved],
      setData: [events.dataSet],
      setSelect: [events.selected],
    },
  };
}
