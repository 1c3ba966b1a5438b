// The short status-bar message shown for a while when a save made a key metric worse.

import { formatPercent, formatValue } from '../../shared/format';
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

/** How often after a save the verdict is looked at, and for how long. */
export const REGRESSION_CHECK_EVERY_MS = 5_000;
export const REGRESSION_CHECK_FOR_MS = 120_000;

export type RegressionAction = { readonly show: RegressionNotice } | { readonly clear: true } | undefined;

/**
 * The status-bar notice's life across saves. A save withdraws the previous save's notice at once;
 * after that the newest save's verdict is looked at every few seconds, so the notice appears as soon
 * as the comparison has one and goes as soon as the comparison no longer says "regressed".
 */
export class RegressionWatch {
  private savedAt: number | undefined;
  private shown: RegressionNotice | undefined;

  /** A new save: returns `clear` when a notice (from an older save) is up. */
  save(at: number): RegressionAction {
    this.savedAt = at;
    if (this.shown === undefined) return undefined;
    this.shown = undefined;
    return { clear: true };
  }

  /** True while the newest save is still being watched. */
  watching(now: number): boolean {
    return this.savedAt !== undefined && now - this.savedAt <= REGRESSION_CHECK_FOR_MS;
  }

  get saveTime(): number | undefined {
    return this.savedAt;
  }

  /** The newest save's rows now: show (or refresh) the notice, clear it, or leave things be. */
  check(rows: readonly CompareRow[], now: number, options: RegressionNoticeOptions = {}): RegressionAction {
    if (this.savedAt === undefined) return undefined;
    const notice = regressionNotice(rows, now, options);
    if (notice !== undefined) {
      const same = this.shown !== undefined && this.shown.text === notice.text && now < this.shown.expiresAt - (options.durationMs ?? 60_000) / 2;
      if (same) return undefined;
      this.shown = notice;
      return { show: notice };
    }
    if (this.shown === undefined) return undefined;
    this.shown = undefined;
    return { clear: true };
  }
}
