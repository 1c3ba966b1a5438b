// A chart's legend: the time under the cursor (or "latest") and one swatch, label and value per line.
// Values are formatted only when they change, and written only when their text does. Each line's entry is
// a toggle button (aria-pressed: shown) that hides or shows the line; an overlaid series' entry also has a
// remove (×) button.
import type uPlot from 'uplot';
import { formatTime } from '../../src/shared/format';
import { clear, el, setText, setTextIfChanged } from '../ui/dom';
import { l10n } from '../ui/l10n';

/** One legend entry: a plotted line. */
export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  /** How its values read (an overlay may have another unit than the chart). */
  readonly format: (v: number | null) => string;
  readonly shown: boolean;
  /** Set for an overlaid series: its id, and the entry gets a remove button. */
  readonly overlayId?: string;
}

export interface ChartLegend {
  readonly root: HTMLElement;
  /**
   * Replaces the entries, one per plotted line; `onToggle(i)` runs when entry i is pressed (click, Enter or
   * Space), `onRemove(id)` when an overlay's remove button is.
   */
  build(entries: readonly LegendEntry[], onToggle: (i: number) => void, onRemove: (overlayId: string) => void): void;
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
  let formats: ((v: number | null) => string)[] = [];
  const plain = (v: number | null) => (v == null ? '–' : String(v));

  return {
    root,
    build(entries, onToggle, onRemove) {
      clear(root);
      formats = entries.map((e) => e.format);
      shown = [];
      time = el('span', { class: 'legend-time' });
      root.appendChild(time);
      items = [];
      values = entries.map(({ name, color, shown: lineShown, overlayId }, i) => {
        const swatch = el('span', { class: overlayId === undefined ? 'swatch' : 'swatch dashed' });
        swatch.style.color = color;
        swatch.style.backgroundColor = overlayId === undefined ? color : '';
        const value = el('span', { class: 'legend-value' });
        const label = el('span', { class: 'legend-label' });
        setText(label, name, 60);
        // A real button: Enter and Space press it, and it is in the tab order.
        const item = el('button', { type: 'button', class: 'legend-item', 'aria-pressed': String(lineShown), title: l10n.t('Show or hide this line') }, swatch, label, value);
        item.addEventListener('click', () => onToggle(i));
        items.push(item);
        if (overlayId === undefined) {
          root.appendChild(item);
          return value;
        }
        const remove = el('button', { type: 'button', class: 'btn icon-btn legend-remove', 'data-action': 'remove-overlay', 'aria-label': l10n.t('Remove overlay {0}', name.slice(0, 60)), title: l10n.t('Remove overlay') },
          el('span', { class: 'icon codicon codicon-close', 'aria-hidden': 'true' }));
        remove.addEventListener('click', () => onRemove(overlayId));
        root.appendChild(el('span', { class: 'legend-overlay', 'data-overlay-id': overlayId }, item, remove));
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
        setTextIfChanged(node, (formats[i] ?? plain)(value));
      });
      if (time) {
        const t = idx != null ? u.data[0][idx] : undefined;
        setTextIfChanged(time, t != null ? formatTime(t) : l10n.t('latest'));
      }
    },
  };
}
