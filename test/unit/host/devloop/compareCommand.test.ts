import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { CompareRow } from '../../../../src/core/devloop/compare';
import { compareRowItem, formatAgo, showCompareSinceLastSave } from '../../../../src/host/devloop/compareCommand';
import type { CompareCommandApi } from '../../../../src/host/devloop/compareCommand';
import type { PickItem } from '../../../../src/host/devloop/gotoHandler';

type Fits<Port, Api extends Port> = Api;
export type _RealApiFits = Fits<CompareCommandApi, typeof vscode>;

const row = (over: Partial<CompareRow>): CompareRow => ({
  id: 'p95',
  label: 'p95 latency',
  short: 'p95',
  unit: 'ms',
  higherIsWorse: true,
  beforeMedian: 45,
  afterMedian: 62,
  delta: 17,
  deltaPct: 37.8,
  regressed: true,
  improved: false,
  noise: 2,
  threshold: 7,
  enoughData: true,
  ...over,
});

function fakeWindow(pickIndex?: number) {
  const calls = { items: [] as PickItem[][], titles: [] as string[], messages: [] as string[] };
  const api: CompareCommandApi = {
    window: {
      showQuickPick: (items, options) => {
        calls.items.push([...items]);
        calls.titles.push(options?.title ?? '');
        return Promise.resolve(pickIndex === undefined ? undefined : items[pickIndex]);
      },
      showInformationMessage: (message) => {
        calls.messages.push(message);
        return Promise.resolve(undefined);
      },
    },
  };
  return { api, calls };
}

const save = { id: 's1', at: 10_000, kind: 'save' as const, label: 'Saved src/server.ts' };

describe('compare since last save', () => {
  it('formats a row with values, change and verdict', () => {
    assert.deepEqual(
      { label: compareRowItem(row({})).label, description: compareRowItem(row({})).description },
      { label: 'p95 latency', description: '45 ms → 62 ms  +38 %  $(warning) regressed' },
    );
    assert.equal(compareRowItem(row({ regressed: false, improved: true, afterMedian: 30, deltaPct: -33.3 })).description, '45 ms → 30 ms  -33 %  $(pass) improved');
    assert.equal(compareRowItem(row({ regressed: false, afterMedian: 46, deltaPct: 2.2 })).description, '45 ms → 46 ms  +2.2 %  within noise (±7 ms)');
    assert.equal(compareRowItem(row({ enoughData: false })).description, 'not enough data');
    assert.equal(compareRowItem(row({ unit: 'percent', beforeMedian: 0, afterMedian: 3, deltaPct: null })).description, '0 % → 3 %  $(warning) regressed');
  });

  it('shows the rows in a quick pick, regressions first, and returns the one picked', async () => {
    const { api, calls } = fakeWindow(0);
    const rps = row({ id: 'rps', label: 'request rate', unit: 'per_second', regressed: false, beforeMedian: 40, afterMedian: 41, deltaPct: 2.5 });
    const picked = await showCompareSinceLastSave(api, () => ({ annotation: save, rows: [rps, row({})], now: 190_000 }));
    assert.equal(picked?.id, 'p95');
    assert.deepEqual(calls.items[0]?.map((i) => i.label), ['p95 latency', 'request rate']);
    assert.equal(calls.titles[0], 'Since last save: Saved src/server.ts, 3 min ago');
  });

  it('says when there is no save yet, or not enough data', async () => {
    const none = fakeWindow();
    assert.equal(await showCompareSinceLastSave(none.api, () => undefined), undefined);
    assert.match(none.calls.messages[0] ?? '', /No file save recorded yet/);
    const thin = fakeWindow();
    await showCompareSinceLastSave(thin.api, () => ({ annotation: save, rows: [row({ enoughData: false })], now: 18_000 }));
    assert.match(thin.calls.messages[0] ?? '', /^Not enough data around the last save yet \(Saved src\/server.ts, 8 s ago\)/);
    assert.deepEqual(thin.calls.items, []);
  });

  it('speaks the user\'s language when given vscode.l10n: title, verdicts and messages', async () => {
    const fr: Record<string, string> = { 'Since last save: {0}': 'Depuis le dernier enregistrement : {0}', '$(warning) regressed': '$(warning) en recul', 'No file save recorded yet. Save a file while your dev server runs, then compare.': 'Aucun enregistrement.' };
    const l10n = { t: (m: string, ...args: (string | number)[]) => (fr[m] ?? m).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])) };
    const { api, calls } = fakeWindow();
    await showCompareSinceLastSave({ ...api, l10n }, () => ({ annotation: save, rows: [row({})], now: 18_000 }));
    assert.deepEqual(calls.titles, ['Depuis le dernier enregistrement : Saved src/server.ts, 8 s ago']);
    assert.match(calls.items[0]?.[0]?.description ?? '', /\$\(warning\) en recul$/);
    await showCompareSinceLastSave({ ...api, l10n }, () => undefined);
    assert.deepEqual(calls.messages, ['Aucun enregistrement.']);
  });

  it('formats how long ago', () => {
    assert.equal(formatAgo(8_000), '8 s ago');
    assert.equal(formatAgo(-5), '0 s ago');
    assert.equal(formatAgo(7_200_000), '2 h ago');
  });
});
