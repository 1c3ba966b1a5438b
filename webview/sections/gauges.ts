// Radial gauges for the headline numbers (SummaryView), coloured by the `role:<role>` rule's levels.
import type { RuleView, SummaryView } from '../../src/shared/views';
import type { Role, Unit } from '../../src/shared/vocabulary';
import { formatValue } from '../../src/shared/format';
import type { PanelState } from '../state';
import type { Level } from './rules';
import { levelOf, levelText, ruleForRole } from './rules';
import { el, setAttr, setTextIfChanged, svg } from '../ui/dom';
import { l10n } from '../ui/l10n';

export type GaugeMetric = 'requestRate' | 'latency' | 'errorRate' | 'connections' | 'pending' | 'subscribers' | 'heap' | 'cpu' | 'goroutines' | 'jobs';

interface GaugeDef {
  readonly metric: GaugeMetric;
  /** In the panel's language (called when the gauge is made, after the bundle is loaded). */
  readonly label: () => string;
  readonly role: Role;
  readonly unit: Unit;
  readonly value: (s: SummaryView) => number | null;
  /** A fixed full scale, when the metric has one. */
  readonly fullScale?: (s: SummaryView, value: number) => number | null;
}

export const GAUGES: readonly GaugeDef[] = [
  { metric: 'requestRate', label: () => l10n.t('Request rate'), role: 'requestRate', unit: 'per_second', value: (s) => s.requestRate },
  { metric: 'latency', label: () => l10n.t('Latency'), role: 'latency', unit: 'ms', value: (s) => s.latencyMs },
  { metric: 'errorRate', label: () => l10n.t('Error rate'), role: 'errorRate', unit: 'percent', value: (s) => s.errorRatePct },
  { metric: 'connections', label: () => l10n.t('Connections'), role: 'connections', unit: 'count', value: (s) => s.connections },
  { metric: 'pending', label: () => l10n.t('Pending'), role: 'pending', unit: 'count', value: (s) => s.pending },
  { metric: 'subscribers', label: () => l10n.t('Subscribers'), role: 'subscribers', unit: 'count', value: (s) => s.subscribers },
  { metric: 'heap', label: () => l10n.t('Heap'), role: 'heap', unit: 'bytes', value: (s) => s.heapBytes, fullScale: (s) => (s.heapTotalBytes != null && s.heapTotalBytes > 0 ? s.heapTotalBytes : null) },
  { metric: 'cpu', label: () => l10n.t('CPU'), role: 'cpu', unit: 'percent', value: (s) => s.cpuPct, fullScale: (_s, v) => (v <= 100 ? 100 : null) },
  { metric: 'goroutines', label: () => l10n.t('Goroutines'), role: 'goroutines', unit: 'count', value: (s) => s.goroutines },
  { metric: 'jobs', label: () => l10n.t('Jobs completed'), role: 'jobs', unit: 'per_second', value: (s) => s.jobRate },
];

/** A rule's levels in the gauge's unit (e.g. a heap rule in percent of heapTotal → bytes). */
export interface Bounds {
  readonly warning: number | null;
  readonly critical: number | null;
  readonly direction: 'above' | 'below';
}

export function boundsFor(def: GaugeDef, rule: RuleView | undefined, summary: SummaryView): Bounds | undefined {
  if (!rule) return undefined;
  let factor: number | null = 1;
  if (def.unit === 'bytes' && (rule.unit === 'percent' || rule.unit === 'ratio')) {
    const total = summary.heapTotalBytes;
    factor = total != null && total > 0 ? total / (rule.unit === 'percent' ? 100 : 1) : null;
  } else if (def.unit === 'percent' && rule.unit === 'ratio') factor = 100;
  else if (def.unit === 'ms' && rule.unit === 'seconds') factor = 1000;
  if (factor == null) return undefined;
  const f = factor;
  const scale = (x: number | null) => (x == null ? null : x * f);
  return { warning: scale(rule.warning), critical: scale(rule.critical), direction: rule.direction };
}

/** 1, 2, 5 × 10ⁿ at or above x. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

// Geometry: a 240° arc opening at the bottom, in a 120×96 box.
const CX = 60;
const CY = 58;
const R = 44;
const START = 150;
const SWEEP = 240;

function point(deg: number, r: number): string {
  const rad = (deg * Math.PI) / 180;
  return `${(CX + r * Math.cos(rad)).toFixed(2)} ${(CY + r * Math.sin(rad)).toFixed(2)}`;
}

/** SVG path of the arc between two fractions (0..1) of the sweep. */
export function arcPath(from: number, to: number, r = R): string {
  const a = Math.max(0, Math.min(1, from));
  const b = Math.max(a, Math.min(1, to));
  if (b - a < 1e-4) return '';
  const d0 = START + a * SWEEP;
  const d1 = START + b * SWEEP;
  return `M ${point(d0, r)} A ${r} ${r} 0 ${d1 - d0 > 180 ? 1 : 0} 1 ${point(d1, r)}`;
}

interface GaugeNodes {
  readonly root: HTMLElement;
  readonly fill: SVGPathElement;
  readonly bandWarn: SVGPathElement;
  readonly bandCrit: SVGPathElement;
  readonly value: HTMLElement;
  readonly sub: HTMLElement;
  /** "Warning" / "Critical" in words beside the dial's colour (hidden while ok). */
  readonly level: HTMLElement;
  scaleMax: number;
  /** What the gauge was last drawn from; the same inputs draw the same gauge. */
  drawn: { readonly v: number; readonly rules: readonly RuleView[]; readonly total: number | null } | null;
}

export interface Gauges {
  readonly root: HTMLElement;
  render(state: PanelState): void;
}

export function createGauges(): Gauges {
  const root = el('div', { class: 'gauges', role: 'group', 'aria-label': l10n.t('Headline metrics') });
  const nodes = new Map<GaugeMetric, GaugeNodes>();

  function make(def: GaugeDef): GaugeNodes {
    const track = svg('path', { class: 'gauge-track', d: arcPath(0, 1) });
    const bandWarn = svg('path', { class: 'gauge-band gauge-band-warning' });
    const bandCrit = svg('path', { class: 'gauge-band gauge-band-critical' });
    const fill = svg('path', { class: 'gauge-fill' });
    const graphic = svg('svg', { class: 'gauge-svg', viewBox: '0 0 120 96', 'aria-hidden': 'true', focusable: 'false' }, track, bandWarn, bandCrit, fill);
    const value = el('div', { class: 'gauge-value' });
    const sub = el('div', { class: 'gauge-sub' });
    const level = el('div', { class: 'gauge-level', 'aria-hidden': 'true', hidden: true });
    const label = def.label();
    const root = el('div', { class: 'gauge', role: 'meter', 'data-metric': def.metric, 'aria-label': label, tabindex: 0 },
      el('div', { class: 'gauge-dial' }, graphic, value), el('div', { class: 'gauge-label' }, label), level, sub);
    return { root, fill, bandWarn, bandCrit, value, sub, level, scaleMax: 0, drawn: null };
  }

  function update(n: GaugeNodes, def: GaugeDef, v: number, summary: SummaryView, rules: readonly RuleView[]): void {
    const total = summary.heapTotalBytes;
    const d = n.drawn;
    if (d && d.v === v && d.rules === rules && d.total === total) return;
    n.drawn = { v, rules, total };
    const bounds = boundsFor(def, ruleForRole(rules, def.role), summary);
    const level: Level = levelOf(v, bounds);
    const fixed = def.fullScale?.(summary, v) ?? null;
    let max: number;
    if (fixed != null) max = fixed;
    else {
      // Grow at once, shrink only when far below, so the dial does not jump with every sample.
      const want = niceCeil(Math.max(Math.abs(v) * 1.25, (bounds?.critical ?? bounds?.warning ?? 0) * 1.25, 1));
      if (want > n.scaleMax || want * 4 < n.scaleMax) n.scaleMax = want;
      max = n.scaleMax;
    }
    const frac = (x: number) => x / max;
    setAttr(n.fill, 'd', arcPath(0, frac(v)) || null);
    const w = bounds?.warning ?? null;
    const c = bounds?.critical ?? null;
    if (bounds?.direction === 'below') {
      setAttr(n.bandCrit, 'd', c != null ? arcPath(0, frac(c), R + 8) || null : null);
      setAttr(n.bandWarn, 'd', w != null ? arcPath(c != null ? frac(c) : 0, frac(w), R + 8) || null : null);
    } else {
      setAttr(n.bandWarn, 'd', w != null ? arcPath(frac(w), c != null ? frac(c) : 1, R + 8) || null : null);
      setAttr(n.bandCrit, 'd', c != null ? arcPath(frac(c), 1, R + 8) || null : null);
    }
    const text = formatValue(v, def.unit);
    setTextIfChanged(n.value, text);
    if (n.root.dataset.level !== level) {
      n.root.dataset.level = level;
      n.level.hidden = level === 'ok';
      n.level.textContent = level === 'ok' ? '' : levelText(level);
    }
    setAttr(n.root, 'aria-valuenow', v);
    setAttr(n.root, 'aria-valuemin', 0);
    setAttr(n.root, 'aria-valuemax', max);
    setAttr(n.root, 'aria-valuetext', level === 'ok' ? text : level === 'critical' ? l10n.t('{0}, critical', text) : l10n.t('{0}, warning', text));
    const subParts: string[] = [];
    if (def.metric === 'heap' && summary.heapTotalBytes != null) subParts.push(l10n.t('of {0}', formatValue(summary.heapTotalBytes, 'bytes')));
    if (w != null) subParts.push(l10n.t('warn {0}', formatValue(w, def.unit)));
    if (c != null) subParts.push(l10n.t('crit {0}', formatValue(c, def.unit)));
    // Non-breaking inside each part, so lines only wrap between parts.
    const sub = subParts.map((part) => part.replace(/ /g, '\u00a0')).join(' · ');
    setTextIfChanged(n.sub, sub);
  }

  return {
    root,
    render(state) {
      let shown = 0;
      for (const def of GAUGES) {
        const v = def.value(state.summary);
        let n = nodes.get(def.metric);
        if (v == null) {
          n?.root.remove();
          continue;
        }
        if (!n) {
          n = make(def);
          nodes.set(def.metric, n);
        }
        update(n, def, v, state.summary, state.rules);
        if (root.children[shown] !== n.root) root.insertBefore(n.root, root.children[shown] ?? null);
        shown++;
      }
      if (root.hidden !== (shown === 0)) root.hidden = shown === 0;
    },
  };
}
