// A chart's legend: the time under the cursor (or "latest") and one swatch, label and value per line.
// Values are formatted only when they change, and written only when their text does. Each line's entry is
// a toggle button (aria-pressed: shown) that hides or shows the line.
import type uPlot from 'uplot';
import type { Unit, ValueMode } from '../../src/shared/vocabulary';
import { formatValue } from '../../src/shared/format';
import { clear, el, setText, setTextIfChanged } from '../ui/dom';

/** The unit a chart's values are in: a counter shown as a rate is per second. */
export function shownUnit(unit: Unit, counter: boolean, mode: ValueMode): { unit: Unit; perSecond: boolean } {
  if (!counter || mode === 'raw') return { unit, perSecond: false };
  if (unit === 'count' || unit === 'none') return { unit: 'per_second', perSecond: false };
  return { unit, perSecond: true };
}

export function formatter(unit: Unit, counter: boolean, mode: ValueMode): (v: number | null) => string {
  const s = shownUnit(unit, counter, mode);
  return (v) => (v == null ? '–' : s.perSecond ? `${formatValue(v, s.unit)}/s` : formatValue(v, s.unit));
}

export interface ChartLegend {
  readonly root: HTMLElement;
  /**
   * Replaces the entries: one per line name, coloured from `colors`, values shown with `format`, shown or
   * hidden as `shown` says; `onToggle(i)` runs when entry i is pressed (click, Enter or Space).
   */
  build(names: readonly string[], colors: readonly string[], format: (v: number | null) => string, shown: readonly boolean[], onToggle: (i: number) => void): void;
  /** Marks entry i shown or hidden. */
  setShown(i: number, shown: boolean): void;
  /** Shows the values at the cursor, else each line's latest (x is in ms). */
  update(u: Pick<uPlot, 'cursor' | 'data'>): void;
}

export function createChartLegend(): ChartLegend {
  const root = el('div', { class: 'chart-legend', 'aria-live': 'off' });
  let time: HTMLElement | null = null;
  let values: HTMLElement[] = [];
  let items: HTMLElement[] = [];
  let shown: (number | null)[] = [];
  let format: (v: number | null) => string = (v) => (v == null ? '–' : String(v));

  return {
    root,
    build(names, colors, fmt, lineShown, onToggle) {
      clear(root);
      format = fmt;
      shown = [];
      time = el('span', { class: 'legend-time' });
      root.appendChild(time);
      items = [];
      values = names.map((name, i) => {
        const swatch = el('span', { class: 'swatch' });
        swatch.style.backgroundColor = colors[i % colors.length] ?? '';
        const value = el('span', { class: 'legend-value' });
        const label = el('span', { class: 'legend-label' });
        setText(label, name, 60);
        // A real button: Enter and Space press it, and it is in the tab order.
        const item = el('button', { type: 'button', class: 'legend-item', 'aria-pressed': String(lineShown[i] ?? true), title: 'Show or hide this line' }, swatch, label, value);
        item.addEventListener('click', () => onToggle(i));
        items.push(item);
        root.appendChild(item);
        return value;
      });
    },
    setShown(i, on) {
      items[i]?.setAttribute('aria-pressed', String(on));
    },
    update(u) {
      const idx = u.cursor.idx;
      values.forEach((node, i) => {
        const ys = u.data[i + 1];
        let v: number | null | undefined = null;
        if (ys) {
          if (idx != null) v = ys[idx];
          else for (let j = ys.length - 1; j >= 0 && v == null; j--) v = ys[j];
        }
        const value = v ?? null;
        if (value === shown[i] && node.firstChild) return;
        shown[i] = value;
        setTextIfChanged(node, format(value));
      });
      if (time) {
        const t = idx != null ? u.data[0][idx] : undefined;
        setTextIfChanged(time, t != null ? new Date(t).toLocaleTimeString() : 'latest');
      }
    },
  };
}
