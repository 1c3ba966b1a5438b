// The pure half of a chart's text alternative: its newest rows read back from the export CSV, and its summary.
import { l10n } from '../ui/l10n';

/** How many of the newest rows the table shows. */
export const TABLE_ROWS = 20;

export interface TableData {
  readonly names: readonly string[];
  /** Newest first: time (ms) and one value per name (null where a line has no point). */
  readonly rows: readonly { readonly t: number; readonly values: readonly (number | null)[] }[];
}

/** One CSV line (as chartExport writes it: fields quoted when they hold `,`, `"` or a line break). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          s += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else s += line[i++];
      }
      cells.push(s);
      i++;
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      cells.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return cells;
}

/** The newest `limit` rows of a chart's visible-range CSV (`time_iso,time_ms,<line>…`). */
export function tableData(csv: string | null, limit = TABLE_ROWS): TableData | null {
  if (!csv) return null;
  const lines = csv.split('\r\n').filter((l) => l !== '');
  const head = lines[0];
  if (head === undefined) return null;
  const names = csvCells(head).slice(2);
  const rows = lines.slice(Math.max(1, lines.length - limit)).reverse().map((l) => {
    const cells = csvCells(l);
    const values = names.map((_, j) => {
      const c = cells[j + 2];
      const v = c === undefined || c === '' ? NaN : Number(c);
      return Number.isFinite(v) ? v : null;
    });
    return { t: Number(cells[1]), values };
  });
  return { names, rows };
}

/** What a screen reader hears for the plot: the chart, how many points it has, and where the values are. */
export function chartSummary(heading: string, points: number): string {
  const size = points === 0 ? l10n.t('No points yet.') : points === 1 ? l10n.t('1 point.') : l10n.t('{0} points.', points);
  return l10n.t('Chart: {0}. {1} Press Table for the values over time.', heading, size);
}

/** The newest row in words, for the table's caption. */
export function latestText(data: TableData, format: (v: number | null, column: number) => string): string {
  const newest = data.rows[0];
  return newest ? data.names.map((n, j) => `${n} ${format(newest.values[j] ?? null, j)}`).join(', ') : '';
}
