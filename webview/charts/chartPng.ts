// A chart as a PNG image: the plot's canvas (via toBlob) on the theme's background, under the chart's heading
// and over its legend, so the file reads on its own.
import uPlot from 'uplot';
import type { ChartTheme } from './theme';

/** Cuts `text` to fit `maxWidth` (canvas px), ending in an ellipsis when cut. */
function fitted(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function dataUrl(canvas: HTMLCanvasElement): Promise<string | null> {
  return new Promise((resolve) => {
    canvas.toBlob((blob) => {
      if (!blob) return resolve(null);
      const reader = new FileReader();
      reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : null);
      reader.onerror = () => resolve(null);
      reader.readAsDataURL(blob);
    }, 'image/png');
  });
}

/** Composes heading, plot and legend (hidden lines dimmed, each in its line's colour) on one canvas and returns it as a data URL. */
export function chartPng(u: uPlot, heading: string, names: readonly string[], shown: readonly boolean[], colors: readonly string[], t: ChartTheme): Promise<string | null> {
  const src = u.ctx.canvas;
  const pr = uPlot.pxRatio;
  const pad = Math.round(8 * pr);
  const headH = Math.round(24 * pr);
  const rowH = Math.round(16 * pr);
  const family = t.font.replace(/^\s*\d+px\s*/, '');
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) return Promise.resolve(null);
  // Legend entries flow in rows like the card's legend; measure first to size the canvas.
  ctx.font = `${11 * pr}px ${family}`;
  const swatch = 10 * pr;
  const gap = 14 * pr;
  const entries = names.map((n) => fitted(ctx, n, src.width / 2));
  const places: { x: number; row: number }[] = [];
  let x = pad;
  let row = 0;
  for (const e of entries) {
    const w = swatch + 5 * pr + ctx.measureText(e).width;
    if (x > pad && x + w > src.width - pad) {
      row++;
      x = pad;
    }
    places.push({ x, row });
    x += w + gap;
  }
  const legendH = names.length > 0 ? (row + 1) * rowH + pad : 0;
  out.width = src.width;
  out.height = headH + src.height + legendH;
  ctx.fillStyle = t.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = t.foreground;
  ctx.textBaseline = 'middle';
  ctx.font = `600 ${12 * pr}px ${family}`;
  ctx.fillText(fitted(ctx, heading, out.width - 2 * pad), pad, headH / 2);
  ctx.drawImage(src, 0, headH);
  ctx.font = `${11 * pr}px ${family}`;
  entries.forEach((e, i) => {
    const p = places[i];
    if (!p) return;
    const y = headH + src.height + p.row * rowH + rowH / 2;
    ctx.globalAlpha = shown[i] === false ? 0.4 : 1;
    ctx.fillStyle = colors[i] ?? t.foreground;
    ctx.fillRect(p.x, y - 1.5 * pr, swatch, 3 * pr);
    ctx.fillStyle = t.foreground;
    ctx.fillText(e, p.x + swatch + 5 * pr, y);
  });
  ctx.globalAlpha = 1;
  return dataUrl(out);
}
