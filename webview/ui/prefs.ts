// The user's choices in the panel, kept with the webview's getState/setState so they survive
// the panel being hidden or reloaded. Whatever getState returns is checked before use.
import type { ValueMode, WindowId } from '../../src/shared/vocabulary';
import { WINDOW_IDS } from '../../src/shared/vocabulary';
import { isOneOf, isRecord } from '../../src/shared/check';
import { MAX_PINS } from '../../src/shared/sections';

export type ChartGrouping = 'single' | 'split' | 'sum';
export type SortDir = 'asc' | 'desc';

export interface ChartPrefs {
  readonly mode: ValueMode;
  readonly group: ChartGrouping;
}

export interface TablePrefs {
  readonly sortKey: string | null;
  readonly sortDir: SortDir;
  readonly filter: string;
}

export interface Prefs {
  readonly pinned: readonly string[];
  readonly window: WindowId;
  readonly charts: Readonly<Record<string, ChartPrefs>>;
  readonly tables: Readonly<Record<string, TablePrefs>>;
  readonly collapsed: readonly string[];
}

export const DEFAULT_CHART: ChartPrefs = { mode: 'rate', group: 'single' };
export const DEFAULT_TABLE: TablePrefs = { sortKey: null, sortDir: 'asc', filter: '' };
export const DEFAULT_PREFS: Prefs = { pinned: [], window: '5m', charts: {}, tables: {}, collapsed: [] };

const MAX_PINNED = MAX_PINS;
const MAX_STRING = 512;

const shortString = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_STRING;

function strings(x: unknown, max: number): string[] {
  return Array.isArray(x) ? [...new Set(x.filter(shortString))].slice(0, max) : [];
}

function records<T>(x: unknown, parse: (v: unknown) => T | undefined): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  if (!isRecord(x)) return out;
  for (const [k, v] of Object.entries(x)) {
    const parsed = parse(v);
    if (parsed !== undefined && k.length <= MAX_STRING) out[k] = parsed;
  }
  return out;
}

function parseChart(x: unknown): ChartPrefs | undefined {
  if (!isRecord(x)) return undefined;
  const mode = x.mode === 'raw' ? 'raw' : 'rate';
  const group = x.group === 'split' || x.group === 'sum' ? x.group : 'single';
  return { mode, group };
}

function parseTable(x: unknown): TablePrefs | undefined {
  if (!isRecord(x)) return undefined;
  return {
    sortKey: shortString(x.sortKey) ? x.sortKey : null,
    sortDir: x.sortDir === 'desc' ? 'desc' : 'asc',
    filter: shortString(x.filter) ? x.filter : '',
  };
}

export function isWindowId(x: unknown): x is WindowId {
  return isOneOf(x, WINDOW_IDS);
}

/** Restores saved prefs; anything unexpected falls back to the default for that field. */
export function parsePrefs(x: unknown): Prefs {
  if (!isRecord(x)) return DEFAULT_PREFS;
  return {
    pinned: strings(x.pinned, MAX_PINNED),
    window: isWindowId(x.window) ? x.window : DEFAULT_PREFS.window,
    charts: records(x.charts, parseChart),
    tables: records(x.tables, parseTable),
    collapsed: strings(x.collapsed, 32),
  };
}

export function togglePinned(p: Prefs, id: string): Prefs {
  if (p.pinned.includes(id)) {
    const charts = Object.fromEntries(Object.entries(p.charts).filter(([k]) => k !== id));
    return { ...p, pinned: p.pinned.filter((x) => x !== id), charts };
  }
  return { ...p, pinned: [...p.pinned, id].slice(-MAX_PINNED) };
}

/** The host's pins (in its order) replace the page's; the same prefs when they already agree or the host keeps none. */
export function adoptPins(p: Prefs, hostPins: readonly string[] | null): Prefs {
  if (hostPins === null || (hostPins.length === p.pinned.length && hostPins.every((id, i) => id === p.pinned[i]))) return p;
  return { ...p, pinned: hostPins.slice(0, MAX_PINNED) };
}

/** Moves a pinned chart `by` places (negative: earlier), within the list. */
export function movePin(p: Prefs, id: string, by: number): Prefs {
  const from = p.pinned.indexOf(id);
  const to = Math.max(0, Math.min(p.pinned.length - 1, from + by));
  if (from < 0 || to === from) return p;
  const pinned = p.pinned.filter((x) => x !== id);
  pinned.splice(to, 0, id);
  return { ...p, pinned };
}

export function chartPrefs(p: Prefs, id: string): ChartPrefs {
  return Object.prototype.hasOwnProperty.call(p.charts, id) ? (p.charts[id] ?? DEFAULT_CHART) : DEFAULT_CHART;
}

export function tablePrefs(p: Prefs, id: string): TablePrefs {
  return Object.prototype.hasOwnProperty.call(p.tables, id) ? (p.tables[id] ?? DEFAULT_TABLE) : DEFAULT_TABLE;
}
