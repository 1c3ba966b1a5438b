// Keeps the panel's pinned charts in workspace state, so they survive closing the panel and a window
// reload. Saved only when they change (VS Code rewrites all of an extension's workspace state on each update).

import type { Logger } from '../../core/model';
import type { SeriesInfo } from '../../core/series/store';
import type { ChartOverlays } from '../../shared/sections';
import type { Pins, PinSource } from '../../core/views/pins';
import { overlaysOf, parsePins, setOverlays, setPins, withDefaults } from '../../core/views/pins';
import type { StateStore } from './historyStorage';

export const PINS_KEY = 'pulse.pins';

export class PinStore implements PinSource {
  private pins: Pins;

  constructor(
    private readonly state: StateStore,
    private readonly log?: Logger,
  ) {
    this.pins = parsePins(state.get(PINS_KEY));
  }

  current(all: readonly SeriesInfo[]): readonly string[] {
    this.save(withDefaults(this.pins, all));
    return this.pins.ids;
  }

  set(ids: readonly string[]): readonly string[] {
    this.save(setPins(this.pins, ids));
    return this.pins.ids;
  }

  overlays(): ChartOverlays {
    return this.pins.overlays;
  }

  setOverlays(chartId: string, ids: readonly string[]): readonly string[] {
    this.save(setOverlays(this.pins, chartId, ids));
    return overlaysOf(this.pins, chartId);
  }

  private save(next: Pins): void {
    if (next === this.pins || (sameList(next.ids, this.pins.ids) && sameList(next.offered, this.pins.offered) && sameOverlays(next.overlays, this.pins.overlays))) return;
    this.pins = next;
    void Promise.resolve(this.state.update(PINS_KEY, next)).catch((e: unknown) => this.log?.warn(`Saving the pinned charts failed: ${String(e)}`));
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameOverlays(a: ChartOverlays, b: ChartOverlays): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameList(a[k] ?? [], b[k] ?? []));
}
