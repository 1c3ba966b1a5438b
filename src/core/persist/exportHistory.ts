// History as CSV or JSON, for "Pulse: Export History…". Pure.

import type { MetricStore } from '../series/store';
import { seriesKey } from '../model';

export type ExportFormat = 'csv' | 'json';

function csvCell(text: string): string {
  // Quote everything textual; a leading = + - @ would be a formula in a spreadsheet, so prefix it.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function exportHistory(store: MetricStore, format: ExportFormat, from: number, to: number): string {
  const series = store.list();
  if (format === 'csv') {
    const lines = ['source,series,kind,unit,time_iso,time_ms,value'];
    for (const s of series) {
      const { t, v } = store.points(s.id, from, to, 'raw');
      const head = `${csvCell(s.sourceId)},${csvCell(seriesKey(s.name, s.labels))},${s.kind},${s.unit}`;
      for (let i = 0; i < t.length; i++) {
        // Receive stamps come from a monotonic clock with sub-millisecond digits; time_ms is whole ms like time_iso.
        const time = Math.round(t[i] ?? 0);
        const value = v[i];
        lines.push(`${head},${new Date(time).toISOString()},${time},${value == null ? '' : String(value)}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
  const out = series.map((s) => {
    const { t, v } = store.points(s.id, from, to, 'raw');
    return { source: s.sourceId, name: s.name, labels: Object.fromEntries(s.labels), kind: s.kind, unit: s.unit, role: s.role, t, v };
  });
  return JSON.stringify({ format: 'pulse-history', version: 1, exportedAt: new Date(to).toISOString(), from, to, series: out });
}
