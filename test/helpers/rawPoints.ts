// A series' raw tier read straight from the store's ring (oldest first): what a save must bring back.
import type { MetricStore } from '../../src/core/series/store';

export function rawPoints(store: MetricStore, id: string): { t: number[]; v: number[] } {
  const raw = store.history(id)?.raw;
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < (raw?.size ?? 0); i++) {
    t.push(raw?.get(0, i) ?? NaN);
    v.push(raw?.get(1, i) ?? NaN);
  }
  return { t, v };
}
