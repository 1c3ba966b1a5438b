// One row of the results table, and how the table is printed.

import type { Spread } from './stats';

export interface FigureRow {
  /** Stable key, e.g. `ingest.json`. */
  readonly id: string;
  /** What is measured, as the table shows it. */
  readonly figure: string;
  readonly pulse: string;
  readonly baseline: string;
  /** The headline ratio (median of per-round ratios for timing figures). */
  readonly ratio: number | null;
  /** e.g. "IQR 1.21–1.35" or "min–max 0.9–1.1" or "n/a (single measurement)". */
  readonly spread: string;
  readonly goal: string;
  readonly pass: boolean | null;
  /** Raw numbers behind the row. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface BenchContext {
  readonly quick: boolean;
  readonly root: string;
  readonly cacheDir: string;
  /** A private copy of the production dist/ (others may rebuild dist/ while the bench runs). */
  readonly dist: string;
  log(message: string): void;
}

export function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${(n / 1e6).toFixed(digits)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (abs >= 100) return n.toFixed(0);
  return n.toFixed(digits);
}

export function iqr(s: Spread, digits = 2): string {
  return `IQR ${s.q1.toFixed(digits)}–${s.q3.toFixed(digits)} (min–max ${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

export function atMost(ratio: number, goal: number): boolean {
  return Number.isFinite(ratio) && ratio <= goal;
}

export function atLeast(ratio: number, goal: number): boolean {
  return Number.isFinite(ratio) && ratio >= goal;
}

export function table(rows: readonly FigureRow[]): string {
  const head = ['figure', 'Pulse', 'baseline', 'ratio (median)', 'spread', 'goal', 'result'];
  const body = rows.map((r) => [r.figure, r.pulse, r.baseline, r.ratio === null ? '–' : r.ratio.toFixed(3), r.spread, r.goal, r.pass === null ? 'info' : r.pass ? 'pass' : 'MISS']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
