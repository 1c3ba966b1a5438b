// What one pinned chart shows (its lines, grouping, value mode, unit and rule, and the series overlaid on
// it), worked out from the panel state and prefs, and the data its lines make from the history store.
import type { RuleView, SeriesView } from '../../src/shared/views';
import type { Unit, ValueMode } from '../../src/shared/vocabulary';
import type { Aligned, Buffer, HistoryStore } from './chartData';
import { align, sumLines, toRate } from './chartData';
import { formatter, shownUnit } from './units';
import type { ChartGrouping, Prefs } from '../ui/prefs';
import { chartPrefs } from '../ui/prefs';
import type { PanelState } from '../state';
import { ruleForSeries } from '../sections/rules';
import { labelsText, safeText } from '../ui/text';
import { l10n } from '../ui/l10n';

export const MAX_LINES = 12;

export interface Line {
  readonly id: string;
  readonly label: string;
}

/** A series drawn on another series' chart: one line, a counter as its rate, on its own unit's y scale. */
export interface Overlay {
  readonly id: string;
  /** Undefined when the series is not (or no longer) reported: listed, with no line. */
  readonly series: SeriesView | undefined;
  readonly label: string;
  readonly unit: Unit;
  readonly counter: boolean;
  /** `y` when its unit is the chart's (sharing the left axis), else the scale of its unit (an axis on the right). */
  readonly scale: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly series: SeriesView | undefined;
  readonly lines: readonly Line[];
  readonly group: ChartGrouping;
  readonly mode: ValueMode;
  readonly counter: boolean;
  readonly unit: Unit;
  readonly rule: RuleView | undefined;
  readonly siblings: number;
  readonly overlays: readonly Overlay[];
}

/** A unit as shown (a counter's rate is per second), as one key: lines with the same key share an axis. */
function unitKey(unit: Unit, counter: boolean, mode: ValueMode): string {
  const u = shownUnit(unit, counter, mode);
  return u.perSecond ? `${u.unit}/s` : u.unit;
}

function overlayFor(id: string, state: PanelState, chartUnit: string): Overlay {
  const s = state.series.get(id);
  if (!s) return { id, series: undefined, label: safeText(id, 80), unit: 'none', counter: false, scale: 'y' };
  const labels = labelsText(s.labels);
  const counter = s.kind === 'counter';
  const key = unitKey(s.unit, counter, 'rate');
  return { id, series: s, label: safeText(labels ? `${s.name} ${labels}` : s.name, 80), unit: s.unit, counter, scale: key === chartUnit ? 'y' : `y:${key}` };
}

export function specFor(id: string, state: PanelState, prefs: Prefs, overlayIds: readonly string[] = []): ChartSpec {
  const s = state.series.get(id);
  const cp = chartPrefs(prefs, id);
  if (!s) return { id, series: undefined, lines: [], group: cp.group, mode: cp.mode, counter: false, unit: 'none', rule: undefined, siblings: 0, overlays: [] };
  const siblings = [...state.series.values()].filter((x) => x.sourceId === s.sourceId && x.name === s.name);
  siblings.sort((a, b) => labelsText(a.labels).localeCompare(labelsText(b.labels)));
  const group = siblings.length > 1 ? cp.group : 'single';
  const members = group === 'single' ? [s] : siblings.slice(0, MAX_LINES);
  const lines = members.map((m) => ({ id: m.id, label: safeText(labelsText(m.labels) || m.name, 80) }));
  const counter = s.kind === 'counter';
  const mode = counter ? cp.mode : 'raw';
  const showsRuleValue = group !== 'sum' && (!counter || mode === 'rate');
  const chartUnit = unitKey(s.unit, counter, mode);
  const overlays = overlayIds.filter((o) => o !== id).map((o) => overlayFor(o, state, chartUnit));
  return { id, series: s, lines, group, mode, counter, unit: s.unit, rule: showsRuleValue ? ruleForSeries(state.rules, s) : undefined, siblings: siblings.length, overlays };
}

/** Everything that, when it changes, means the card is described again and its plot rebuilt. */
export function specSignature(spec: ChartSpec): string {
  const overlays = spec.overlays.map((o) => [o.id, o.label, o.unit, o.counter, o.scale, o.series === undefined]);
  return JSON.stringify([spec.lines, spec.group, spec.mode, spec.unit, spec.counter, spec.rule?.warning, spec.rule?.critical, spec.rule?.direction, spec.siblings, overlays]);
}

/** Every series id the chart draws: its lines, then its overlays. */
export function drawnIds(spec: ChartSpec): string[] {
  return [...spec.lines.map((l) => l.id), ...spec.overlays.map((o) => o.id)];
}

/** The history to ask for: every line and overlay of every chart, in one request. */
export function wantedRequest(specs: readonly ChartSpec[]): { ids: string[]; mode: ValueMode } {
  const ids = specs.flatMap(drawnIds);
  // One request serves every chart: raw when any counter chart wants raw (rates are then derived here).
  const mode: ValueMode = specs.some((s) => s.counter && s.mode === 'raw') ? 'raw' : 'rate';
  return { ids, mode };
}

/** The chart's lines, then its overlays, on one time axis, as uPlot takes them. */
export function chartData(spec: ChartSpec, store: HistoryStore): Aligned {
  const req = store.request;
  const buffer = (id: string, asRate: boolean): Buffer => {
    const b = store.get(id) ?? { t: [], v: [] };
    return asRate && req?.mode === 'raw' ? toRate(b) : b;
  };
  const bufs = spec.lines.map((l) => buffer(l.id, spec.counter && spec.mode === 'rate'));
  if (spec.overlays.length === 0) return spec.group === 'sum' ? sumLines(bufs) : align(bufs);
  const own: Buffer[] = bufs;
  if (spec.group === 'sum') {
    const [t, v = []] = sumLines(bufs);
    own.splice(0, own.length, { t, v });
  }
  return align([...own, ...spec.overlays.map((o) => buffer(o.id, o.counter))]);
}

/** The scales of overlays in a unit other than the chart's, each once, in overlay order: one right axis each. */
export function overlayScales(spec: ChartSpec): string[] {
  return [...new Set(spec.overlays.map((o) => o.scale).filter((k) => k !== 'y'))];
}

/** How many plotted lines are the chart's own (before its overlays): a summed chart has one. */
export function ownLineCount(spec: ChartSpec): number {
  return spec.group === 'sum' ? 1 : spec.lines.length;
}

/** The key an overlay's line is remembered by (hidden or shown): never a series id of the chart's own lines. */
export const overlayKey = (id: string): string => `overlay\u0000${id}`;

/** One stable key per plotted line (its series id, `sum`, or an overlay's key), for what the user set per line. */
export function lineKeys(spec: ChartSpec): string[] {
  return [...(spec.group === 'sum' ? ['sum'] : spec.lines.map((l) => l.id)), ...spec.overlays.map((o) => overlayKey(o.id))];
}

/** One name per plotted line: a summed chart has one line; then one per overlay. */
export function lineLabels(spec: ChartSpec): string[] {
  return [...(spec.group === 'sum' ? [l10n.t('sum')] : spec.lines.map((l) => l.label)), ...spec.overlays.map((o) => o.label)];
}

/** How each plotted line's values read: the chart's unit for its own lines, each overlay's for its line. */
export function lineFormats(spec: ChartSpec): ((v: number | null) => string)[] {
  const own = formatter(spec.unit, spec.counter, spec.mode);
  return [...Array.from({ length: ownLineCount(spec) }, () => own), ...spec.overlays.map((o) => formatter(o.unit, o.counter, 'rate'))];
}

/** Each plotted line's colour: the palette in order, so overlays take the colours after the chart's own lines. */
export function lineColors(spec: ChartSpec, palette: readonly string[], fallback: string): string[] {
  return lineLabels(spec).map((_, i) => palette[i % Math.max(1, palette.length)] ?? fallback);
}
