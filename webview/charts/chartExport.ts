// A chart's export, worked out without the DOM: the CSV of the points in a time range and the file name
// offered for it. Line names come from the network, so they are quoted and kept from reading as formulas.
import type { Aligned } from './chartData';

/** One CSV field: quoted when it holds a separator, a quote or a line break; text a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `time_iso,time_ms,<one column per line>`, one row per time in [min, max] (ms); an empty cell where a line has no point. */
export function csvOfRange(data: Aligned, names: readonly string[], min: number, max: number): string {
  const [times, ...ys] = data;
  const rows = [['time_iso', 'time_ms', ...names.map(csvField)].join(',')];
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (t === undefined || t < min || t > max) continue;
    const cells = [new Date(t).toISOString(), String(t)];
    for (let j = 0; j < names.length; j++) {
      const v = ys[j]?.[i];
      cells.push(v == null || !Number.isFinite(v) ? '' : String(v));
    }
    rows.push(cells.join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** `pulse-<series>-<time>.<ext>`: only letters, digits, `.`, `_` and `-` (the host accepts nothing else). */
export function exportFileName(seriesId: string, at: number, ext: 'csv' | 'png'): string {
  const slug =
    seriesId
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'chart';
  const stamp = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `pulse-${slug}-${stamp}.${ext}`;
}
