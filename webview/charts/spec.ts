// What one pinned chart shows (its lines, grouping, value mode, unit and rule), worked out from the panel
// state and prefs, and the data its lines make from the history store.
import type { RuleView, SeriesView } from '../../src/shared/views';
import type { Unit, ValueMode } from '../../src/shared/vocabulary';
import type { Aligned, Buffer, HistoryStore } from './chartData';
import { align, sumLines, toRate } from './chartData';
import type { ChartGrouping, Prefs } from '../ui/prefs';
import { chartPrefs } from '../ui/prefs';
import type { PanelState } from '../state';
import { ruleForSeries } from '../sections/rules';
import { labelsText, safeText } from '../ui/text';

export const MAX_LINES = 12;

export interface Line {
  readonly id: string;
  readonly label: string;
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
}

export function specFor(id: string, state: PanelState, prefs: Prefs): ChartSpec {
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

/** Everything that, when it changes, means the card is described again and its plot rebuilt. */
export function specSignature(spec: ChartSpec): string {
  return JSON.stringify([spec.lines, spec.group, spec.mode, spec.unit, spec.counter, spec.rule?.warning, spec.rule?.critical, spec.rule?.direction, spec.siblings]);
}

/** The history to ask for: every line of every chart, in one request. */
export function wantedRequest(specs: readonly ChartSpec[]): { ids: string[]; mode: ValueMode } {
  const ids = specs.flatMap((s) => s.lines.map((l) => l.id));
  // One request serves every chart: raw when any counter chart wants raw (rates are then derived here).
  const mode: ValueMode = specs.some((s) => s.counter && s.mode === 'raw') ? 'raw' : 'rate';
  return { ids, mode };
}

/** The chart's lines on one time axis, as uPlot takes them. */
export function chartData(spec: ChartSpec, store: HistoryStore): Aligned {
  const req = store.request;
  const bufs: Buffer[] = spec.lines.map((l) => {
    const b = store.get(l.id) ?? { t: [], v: [] };
    return spec.counter && spec.mode === 'rate' && req?.mode === 'raw' ? toRate(b) : b;
  });
  return spec.group === 'sum' ? sumLines(bufs) : align(bufs);
}

/** One stable key per plotted line (its series id, or `sum`), for what the user set per line. */
export function lineKeys(spec: ChartSpec): string[] {
  return spec.group === 'sum' ? ['sum'] : spec.lines.map((l) => l.id);
}

/** One name per plotted line: a summed chart has one line. */
export function lineLabels(spec: ChartSpec): string[] {
  return spec.group === 'sum' ? ['sum'] : spec.lines.map((l) => l.label);
}
