// The short status-bar message shown for a while when a save made a key metric worse.

import { formatPercent, formatValue } from './format';
import type { CompareRow } from './compare';

export interface RegressionNotice {
  /** e.g. "p95 +38 % since save" */
  readonly text: string;
  /** Every regressed row, one per line, for the status bar tooltip. */
  readonly tooltip: string;
  /** The row the text is about. */
  readonly seriesId: string;
  /** ms since epoch after which the notice should go. */
  readonly expiresAt: number;
}

export interface RegressionNoticeOptions {
  /** How long the notice stays. Default 60 s. */
  readonly durationMs?: number;
  /** What the change is relative to. Default "since save". */
  readonly since?: string;
}

/** The notice for the worst regressed row (the one furthest beyond its noise), or undefined when none regressed. */
export function regressionNotice(rows: readonly CompareRow[], now: number, options: RegressionNoticeOptions = {}): RegressionNotice | undefined {
  const regressed = rows.filter((r) => r.regressed);
  if (regressed.length === 0) return undefined;
  const worst = regressed.reduce((a, b) => (severity(b) > severity(a) ? b : a));
  const since = options.since ?? 'since save';
  return {
    text: `${worst.short} ${describeChange(worst)} ${since}`,
    tooltip: regressed.map((r) => `${r.label}: ${formatValue(r.beforeMedian, r.unit)} → ${formatValue(r.afterMedian, r.unit)} (${describeChange(r)}) ${since}`).join('\n'),
    seriesId: worst.id,
    expiresAt: now + (options.durationMs ?? 60_000),
  };
}

export function isNoticeActive(notice: RegressionNotice | undefined, now: number): notice is RegressionNotice {
  return notice !== undefined && now < notice.expiresAt;
}

/** "+38 %", or "0 → 3 %" when there is no meaningful percentage (a zero before-median). */
export function describeChange(row: CompareRow): string {
  if (row.deltaPct !== null) return signedPercent(row.deltaPct);
  return `${formatValue(row.beforeMedian, row.unit)} → ${formatValue(row.afterMedian, row.unit)}`;
}

export function signedPercent(pct: number): string {
  return `${pct > 0 ? '+' : ''}${formatPercent(pct)}`;
}

function severity(row: CompareRow): number {
  const change = Math.abs(row.delta ?? 0);
  return row.threshold > 0 ? change / row.threshold : change === 0 ? 0 : Infinity;
}
