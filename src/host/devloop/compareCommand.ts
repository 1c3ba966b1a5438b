// "Pulse: Compare Since Last Save": the before/after table as a quick pick.
// No runtime VS Code import: the API object is passed in.

import type { Annotation } from '../../core/devloop/annotations';
import type { CompareRow } from '../../core/devloop/compare';
import { formatValue } from '../../shared/format';
import { describeChange } from '../../core/devloop/regression';
import type { PickItem, PickOptions } from './gotoHandler';
import { english, joinSafe, plainText, safe, translator } from '../../core/views/safeText';
import type { SafeText, Translate, Translator } from '../../core/views/safeText';
export interface CompareCommandApi {
  readonly window: {
    showQuickPick<T extends PickItem>(items: readonly T[], options?: PickOptions): PromiseLike<T | undefined>;
    showInformationMessage(message: SafeText): PromiseLike<unknown>;
  };
  /** vscode.l10n: the words in the user's language (English without it). */
  readonly l10n?: { readonly t: Translate };
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
  const words = api.l10n;
  const l10n = translator(words ? (m, ...args) => words.t(m, ...args) : english);
  const result = provider();
  if (result === undefined) {
    await api.window.showInformationMessage(l10n.t('No file save recorded yet. Save a file while your dev server runs, then compare.'));
    return undefined;
  }
  const { annotation, rows, now } = result;
  // Labels come from file names and servers: shown as plain text (quick picks render $(icon) syntax).
  const when = safe`${annotation.label}, ${formatAgo(now - annotation.at)}`;
  if (rows.length === 0 || rows.every((r) => !r.enoughData)) {
    await api.window.showInformationMessage(l10n.t('Not enough data around the last save yet ({0}). Pulse needs a few samples before and after it.', when));
    return undefined;
  }
  const ordered = [...rows].sort((a, b) => rank(a) - rank(b));
  const picked = await api.window.showQuickPick(
    ordered.map((r) => compareRowItem(r, l10n)),
    {
      title: l10n.t('Since last save: {0}', when),
      placeHolder: l10n.t('Median before vs. after; flagged when the change is beyond the normal noise before the save'),
      matchOnDescription: true,
    },
  );
  return picked?.row;
}

/** e.g. label "p95 latency", description "45 ms → 62 ms  +38 %  $(warning) regressed". */
export function compareRowItem(row: CompareRow, l10n: Translator = translator(english)): CompareRowItem {
  const label = plainText(row.label, 200);
  if (!row.enoughData) return { label, description: l10n.t('not enough data'), row };
  const values = safe`${formatValue(row.beforeMedian, row.unit)} → ${formatValue(row.afterMedian, row.unit)}`;
  const change = row.deltaPct !== null ? safe`  ${describeChange(row)}` : safe``;
  const verdict = row.regressed ? l10n.t('$(warning) regressed') : row.improved ? l10n.t('$(pass) improved') : l10n.t('within noise (±{0})', plainText(formatValue(row.threshold, row.unit)));
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
