// The panel's pinned charts as the host keeps them: the user's list in chart order, plus the default
// charts chosen by role the first time a source delivers them. Pure; the host saves it in workspace state.

import type { Role } from '../../shared/vocabulary';
import type { ChartOverlays } from '../../shared/sections';
import { isPinId, MAX_PINS, overlaysFor } from '../../shared/sections';
import { isListOf, isRecord, isString } from '../../shared/check';
import type { SeriesInfo } from '../series/store';

/** The default charts, in order; each takes the first role a source has (a request counter before a rate gauge). */
export const DEFAULT_CHARTS: readonly { readonly slot: string; readonly roles: readonly Role[] }[] = [
  { slot: 'requestRate', roles: ['requests', 'requestRate'] },
  { slot: 'latency', roles: ['latency'] },
  { slot: 'errorRate', roles: ['errorRate', 'errors'] },
  { slot: 'heap', roles: ['heap'] },
  { slot: 'connections', roles: ['connections'] },
];

export interface Pins {
  /** Pinned series ids, in chart order. */
  readonly ids: readonly string[];
  /**
   * `sourceId\u0000slot` of every default already offered: a default is pinned once, and one the user
   * removed is never pinned again.
   */
  readonly offered: readonly string[];
  /** Series drawn on a pinned chart besides its own, per chart id (only pinned charts have any). */
  readonly overlays: ChartOverlays;
}

/** What the panel feed reads its pins from. */
export interface PinSource {
  /** The pins, with the defaults of sources seen delivering for the first time added. */
  current(all: readonly SeriesInfo[]): readonly string[];
  /** The user's list, as the panel sent it; returns what is kept. */
  set(ids: readonly string[]): readonly string[];
  /** The overlays of every pinned chart. */
  overlays(): ChartOverlays;
  /** One chart's overlays, as the panel sent them; returns what is kept (nothing for a chart not pinned). */
  setOverlays(chartId: string, ids: readonly string[]): readonly string[];
}

export const NO_PINS: Pins = { ids: [], offered: [], overlays: {} };
/** Offers remembered (5 per source); the oldest are forgotten past this. */
const MAX_OFFERED = 500;

const offerKey = (sourceId: string, slot: string) => `${sourceId}\u0000${slot}`;

/** Reads saved pins; anything odd is dropped, never trusted. */
export function parsePins(x: unknown): Pins {
  if (!isRecord(x)) return NO_PINS;
  const ids = Array.isArray(x.ids) ? [...new Set(x.ids.filter(isPinId))].slice(0, MAX_PINS) : [];
  const offered = isListOf(x.offered, isString) ? [...new Set(x.offered.filter((k) => k.length <= 1100))].slice(-MAX_OFFERED) : [];
  // Saved before overlays existed: none.
  const saved = isRecord(x.overlays) ? x.overlays : {};
  const overlays = overlaysFor(ids, (chart) => (Object.prototype.hasOwnProperty.call(saved, chart) ? saved[chart] : undefined));
  return { ids, offered, overlays };
}

/** A chart's overlays (none when it has none). */
export function overlaysOf(pins: Pins, chart: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(pins.overlays, chart) ? (pins.overlays[chart] ?? []) : [];
}

/** The user's own list wins: it replaces the ids (deduplicated, bounded); offers stay remembered, an unpinned chart's overlays go. */
export function setPins(pins: Pins, ids: readonly string[]): Pins {
  const kept = [...new Set(ids.filter(isPinId))].slice(0, MAX_PINS);
  return { ...pins, ids: kept, overlays: overlaysFor(kept, (chart) => overlaysOf(pins, chart)) };
}

/** Replaces one pinned chart's overlays (cleaned and bounded); the same pins when the chart is not pinned. */
export function setOverlays(pins: Pins, chart: string, ids: readonly string[]): Pins {
  if (!pins.ids.includes(chart)) return pins;
  return { ...pins, overlays: overlaysFor(pins.ids, (c) => (c === chart ? ids : overlaysOf(pins, c))) };
}

/** How well a series stands for its slot: earlier role, then fewer labels (a total over a breakdown), then id. */
function better(a: SeriesInfo, aRank: number, b: SeriesInfo, bRank: number): boolean {
  if (aRank !== bRank) return aRank < bRank;
  if (a.labels.length !== b.labels.length) return a.labels.length < b.labels.length;
  return a.id < b.id;
}

/**
 * The series each (source, default slot) not yet offered would pin, in DEFAULT_CHARTS order then by
 * source id. Only series a source delivered count (not history restored from a previous session), so
 * the choice is the same for every panel and after a reload.
 */
export function defaultPins(all: readonly SeriesInfo[], offered: ReadonlySet<string>): { readonly key: string; readonly id: string }[] {
  const best = new Map<string, { s: SeriesInfo; rank: number }>();
  for (const s of all) {
    if (s.role === null || s.restored === true || !isPinId(s.id)) continue;
    for (const { slot, roles } of DEFAULT_CHARTS) {
      const rank = roles.indexOf(s.role);
      if (rank < 0) continue;
      const key = offerKey(s.sourceId, slot);
      if (offered.has(key)) continue;
      const held = best.get(key);
      if (!held || better(s, rank, held.s, held.rank)) best.set(key, { s, rank });
    }
  }
  const slots = DEFAULT_CHARTS.map((d) => d.slot);
  return [...best.entries()]
    .map(([key, { s }]) => ({ key, id: s.id, slot: slots.indexOf(key.slice(key.indexOf('\u0000') + 1)), source: s.sourceId }))
    .sort((a, b) => a.slot - b.slot || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
    .map(({ key, id }) => ({ key, id }));
}

/** The pins with new defaults added (room permitting) and marked offered; the same object when nothing is new. */
export function withDefaults(pins: Pins, all: readonly SeriesInfo[]): Pins {
  const fresh = defaultPins(all, new Set(pins.offered));
  if (fresh.length === 0) return pins;
  const ids = [...pins.ids];
  for (const { id } of fresh) if (ids.length < MAX_PINS && !ids.includes(id)) ids.push(id);
  const offered = [...pins.offered, ...fresh.map((f) => f.key)].slice(-MAX_OFFERED);
  return { ids, offered, overlays: pins.overlays };
}
