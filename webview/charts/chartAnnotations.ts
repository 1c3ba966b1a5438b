// Dev-loop annotations on the uPlot charts: thin vertical markers with a shape at the top (per kind family),
// and the tooltip that names the marker under the pointer (text only).
import uPlot from 'uplot';
import type { AnnotationView } from '../../src/shared/views';
import type { MarkerShape } from '../devloop/annotationKinds';
import { FAMILY_SHAPE, KINDS } from '../devloop/annotationKinds';
import type { ChartTheme } from './theme';
import { el, setText } from '../ui/dom';
import { icon } from '../ui/icons';
import { relativeTime } from '../ui/text';
import { l10n } from '../ui/l10n';
import { formatTime } from '../../src/shared/format';

function shapePath(ctx: CanvasRenderingContext2D, shape: MarkerShape, x: number, y: number, r: number): void {
  ctx.beginPath();
  switch (shape) {
    case 'circle':
      ctx.arc(x, y, r, 0, Math.PI * 2);
      break;
    case 'triangle': // pointing down at the line, like a pennant
      ctx.moveTo(x - r * 1.1, y - r * 0.8);
      ctx.lineTo(x + r * 1.1, y - r * 0.8);
      ctx.lineTo(x, y + r * 1.1);
      ctx.closePath();
      break;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.2, y);
      ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r * 1.2, y);
      ctx.closePath();
      break;
    case 'square':
      ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      break;
  }
}

/** Draws the markers of `visible` on the plot canvas; the highlighted one bolder. */
export function drawMarkers(u: uPlot, visible: readonly AnnotationView[], t: ChartTheme, highlightId: string | null): void {
  if (visible.length === 0) return;
  const ctx = u.ctx;
  const pr = uPlot.pxRatio;
  const { top, height } = u.bbox;
  const r = 3.5 * pr;
  const headY = top + r + pr;
  ctx.save();
  // Draw the highlighted marker last, so it sits on top of its neighbours.
  const ordered = highlightId == null ? visible : [...visible.filter((a) => a.id !== highlightId), ...visible.filter((a) => a.id === highlightId)];
  for (const a of ordered) {
    const family = KINDS[a.kind].family;
    const color = t.annotations[family];
    const strong = a.id === highlightId;
    const x = Math.round(u.valToPos(a.at, 'x', true)) + (strong ? 0 : 0.5);
    ctx.globalAlpha = strong ? 1 : 0.7;
    ctx.strokeStyle = color;
    ctx.lineWidth = (strong ? 2 : 1) * pr;
    ctx.setLineDash(strong ? [] : [3 * pr, 2 * pr]);
    ctx.beginPath();
    ctx.moveTo(x, headY);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    shapePath(ctx, FAMILY_SHAPE[family], x, headY, strong ? r * 1.3 : r);
    ctx.fillStyle = color;
    ctx.fill();
    ctx.lineWidth = pr;
    ctx.strokeStyle = t.background;
    ctx.stroke();
  }
  ctx.restore();
}

const GAP = 8;

export interface MarkerTip {
  readonly root: HTMLElement;
  /** Shows `a` at `x` (CSS px within the tip's positioned parent). */
  show(a: AnnotationView, x: number, hostNow: number): void;
  hide(): void;
  readonly shown: string | null;
}

export function createMarkerTip(): MarkerTip {
  const kindIcon = el('span', { class: 'tip-icon' });
  const kind = el('span', { class: 'tip-kind' });
  const when = el('span', { class: 'tip-time' });
  const label = el('div', { class: 'tip-label' });
  const detail = el('div', { class: 'tip-detail' });
  const root = el('div', { class: 'chart-annotation-tip', role: 'tooltip', hidden: true }, el('div', { class: 'tip-head' }, kindIcon, kind, when), label, detail);
  let shown: string | null = null;
  let shownKind = '';
  return {
    root,
    get shown() {
      return shown;
    },
    show(a, x, hostNow) {
      const info = KINDS[a.kind];
      if (shownKind !== a.kind) {
        kindIcon.replaceChildren(icon(info.icon));
        shownKind = a.kind;
      }
      root.dataset.family = info.family;
      root.dataset.annotationId = a.id;
      kind.textContent = info.name;
      when.textContent = l10n.t('{0} · {1}', formatTime(a.at), relativeTime(hostNow - a.at));
      setText(label, a.label, 120);
      setText(detail, a.detail ?? '', 120);
      root.hidden = false;
      shown = a.id;
      // Beside the marker (right of it, or left when there is no room), so its head stays in view.
      const parent = root.offsetParent instanceof HTMLElement ? root.offsetParent.clientWidth : 0;
      const w = root.offsetWidth;
      const right = x + GAP;
      const left = parent <= 0 || right + w <= parent ? right : Math.max(0, x - GAP - w);
      root.style.left = `${Math.round(left)}px`;
    },
    hide() {
      if (shown == null) return;
      root.hidden = true;
      shown = null;
      delete root.dataset.annotationId;
    },
  };
}
