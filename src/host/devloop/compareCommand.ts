// "Pulse: Compare Since Last Save": the before/after table as a quick pick.
// No runtime VS Code import: the API object is passed in.

import type { Annotation } from '../../core/devloop/annotations';
import type { CompareRow } from '../../core/devloop/compare';
import { formatValue } from '../../shared/format';
import { describeChange } from '../../core/devloop/regression';
import type { PickItem, PickOptions } from './gotoHandler';
import { joinSafe, plainText, safe } from '../../core/views/safeText';
import type { SafeText } from '../../core/views/safeText';

export interface CompareCommandApi {
  readonly window: {
    showQuickPick<T extends PickItem>(items: readonly T[], options?: PickOptions): PromiseLike<T | undefined>;
    showInformationMessage(message: SafeText): PromiseLike<unknown>;
  };
}

export interface CompareSinceSave {
  /** The save compared around. */
  readonly annotation: Annotation;
  readonly rows: readonly CompareRow[];
  readonly now: number;
}

/** Undefined when no save has been recorded. */
export type CompareSinceSaveProvider = () => CompareSinceSave | undefined;

export interface CompareRowItem extends PickItem {
  readonly row: CompareRow;
}

/** Shows the comparison; resolves with the row the user picked, if any. */
export async function showCompareSinceLastSave(api: CompareCommandApi, provider: CompareSinceSaveProvider): Promise<CompareRow | undefined> {
  const result = provider();
  if (result === undefined) {
    await api.window.showInformationMessage(safe`No file save recorded yet. Save a file while your dev server runs, then compare.`);
    return undefined;
  }
  const { annotation, rows, now } = result;
  // Labels come from file names and servers: shown as plain text (quick picks render $(icon) syntax).
  const when = safe`${annotation.label}, ${formatAgo(now - annotation.at)}`;
  if (rows.length === 0 || rows.every((r) => !r.enoughData)) {
    await api.window.showInformationMessage(joinSafe(safe`Not enough data around the last save yet (`, when, safe`). Pulse needs a few samples before and after it.`));
    return undefined;
  }
  const ordered = [...rows].sort((a, b) => rank(a) - rank(b));
  const picked = await api.window.showQuickPick(ordered.map(compareRowItem), {
    title: joinSafe(safe`Since last save: `, when),
    placeHolder: safe`Median before vs. after; flagged when the change is beyond the normal noise before the save`,
    matchOnDescription: true,
  });
  return picked?.row;
}

/** e.g. label "p95 latency", description "45 ms → 62 ms  +38 %  $(warning) regressed". */
export function compareRowItem(row: CompareRow): CompareRowItem {
  const label = plainText(row.label, 200);
  if (!row.enoughData) return { label, description: safe`not enough data`, row };
  const values = safe`${formatValue(row.beforeMedian, row.unit)} → ${formatValue(row.afterMedian, row.unit)}`;
  const change = row.deltaPct !== null ? safe`  ${describeChange(row)}` : safe``;
  const verdict = row.regressed ? safe`$(warning) regressed` : row.improved ? safe`$(pass) improved` : safe`within noise (±${formatValue(row.threshold, row.unit)})`;
  return { label, description: joinSafe(values, change, safe`  `, verdict), row };
}

/** 8 s ago, 3 min ago, 2 h ago. */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}

function rank(row: CompareRow): number {
  return row.regressed ? 0 : row.improved ? 1 : row.enoughData ? 2 : 3;
}
