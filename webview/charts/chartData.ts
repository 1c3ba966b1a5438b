// Point buffers for the pinned charts and the pure transforms that turn them into uPlot data.
import type { PointsView } from '../../src/shared/views';
import type { ValueMode, WindowId } from '../../src/shared/vocabulary';
import { WINDOWS } from '../../src/shared/vocabulary';

export interface Buffer {
  t: number[]; // ms since epoch, ascending
  v: (number | null)[];
}

/** uPlot's aligned data: x in ms since epoch (the charts' time scale is in ms), then one y array per line. */
export type Aligned = [number[], ...(number | null)[][]];

export interface HistoryRequest {
  readonly requestId: number;
  readonly ids: readonly string[];
  readonly window: WindowId;
  readonly mode: ValueMode;
}

/**
 * Holds the history of the series the webview watches. The host streams live points only for the ids of the
 * last requestHistory, so there is one request in flight for every pinned series at once.
 */
export class HistoryStore {
  private nextId = 1;
  private current: HistoryRequest | undefined;
  private readonly buffers = new Map<string, Buffer>();

  get request(): HistoryRequest | undefined {
    return this.current;
  }

  /** The request to send when the wanted set differs from the current one, else undefined. */
  plan(ids: readonly string[], window: WindowId, mode: ValueMode): HistoryRequest | undefined {
    const sorted = [...new Set(ids)].sort();
    const c = this.current;
    if (c && c.window === window && c.mode === mode && c.ids.length === sorted.length && c.ids.every((id, i) => id === sorted[i])) return undefined;
    if (!c && sorted.length === 0) return undefined;
    this.current = { requestId: this.nextId++, ids: sorted, window, mode };
    this.buffers.clear();
    return this.current;
  }

  /** Takes a didLoadHistory reply; replies to older requests are dropped. Returns whether it was used. */
  load(requestId: number, series: readonly PointsView[]): boolean {
    const c = this.current;
    if (!c || requestId !== c.requestId) return false;
    const wanted = new Set(c.ids);
    for (const p of series) {
      if (!wanted.has(p.id)) continue;
      const buf: Buffer = { t: [], v: [] };
      appendInto(buf, p);
      this.buffers.set(p.id, buf);
    }
    for (const id of c.ids) if (!this.buffers.has(id)) this.buffers.set(id, { t: [], v: [] });
    return true;
  }

  /** Live points from a delta. Returns the ids that got new points. */
  append(points: readonly PointsView[]): Set<string> {
    const changed = new Set<string>();
    for (const p of points) {
      const buf = this.buffers.get(p.id);
      if (buf && appendInto(buf, p)) changed.add(p.id);
    }
    return changed;
  }

  /**
   * Drops points older than the window, relative to the host's `now`, except from `keepFrom` (a zoomed or
   * paused chart's range) on.
   */
  trim(hostNow: number, keepFrom: number | null = null): void {
    const c = this.current;
    if (!c) return;
    const start = hostNow - WINDOWS[c.window];
    const minT = keepFrom === null ? start : Math.min(start, keepFrom);
    for (const buf of this.buffers.values()) trimBuffer(buf, minT);
  }

  get(id: string): Buffer | undefined {
    return this.buffers.get(id);
  }

  /** Whether the reply for the current request has arrived. */
  get loaded(): boolean {
    return this.buffers.size > 0;
  }
}

function appendInto(buf: Buffer, p: PointsView): boolean {
  let added = false;
  const n = Math.min(p.t.length, p.v.length);
  for (let i = 0; i < n; i++) {
    const t = p.t[i];
    const v = p.v[i];
    if (t === undefined || v === undefined || !Number.isFinite(t)) continue;
    const last = buf.t[buf.t.length - 1];
    if (last !== undefined && t <= last) continue; // out of order or already seen
    buf.t.push(t);
    buf.v.push(v != null && Number.isFinite(v) ? v : null);
    added = true;
  }
  return added;
}

export function trimBuffer(buf: Buffer, minT: number): void {
  let i = 0;
  while (i < buf.t.length && (buf.t[i] ?? 0) < minT) i++;
  if (i > 0) {
    buf.t.splice(0, i);
    buf.v.splice(0, i);
  }
}

/** Per-second rate of a cumulative counter; a drop (restart) gives a gap rather than a negative rate. Shares `buf.t`. */
export function toRate(buf: Buffer): Buffer {
  const n = buf.t.length;
  const v = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const t0 = buf.t[i - 1];
    const v0 = buf.v[i - 1];
    const t1 = buf.t[i];
    const v1 = buf.v[i];
    v[i] = t0 === undefined || t1 === undefined || v0 == null || v1 == null || t1 <= t0 || v1 < v0 ? null : ((v1 - v0) * 1000) / (t1 - t0);
  }
  return { t: buf.t, v };
}

/**
 * Lines on one x axis (the union of their times, ms); a line has null where it has no point. Every buffer's
 * times are ascending, so this is a linear merge. One line is returned as is (its own arrays, not copies):
 * callers must not change them.
 */
export function align(bufs: readonly Buffer[]): Aligned {
  const only = bufs.length === 1 ? bufs[0] : undefined;
  if (only) return [only.t, only.v];
  const k = bufs.length;
  const heads = new Array<number>(k).fill(0);
  const times: number[] = [];
  const ys: (number | null)[][] = bufs.map(() => []);
  for (;;) {
    let next = Infinity;
    for (let j = 0; j < k; j++) {
      const t = bufs[j]?.t[heads[j] ?? 0];
      if (t !== undefined && t < next) next = t;
    }
    if (next === Infinity) break;
    times.push(next);
    for (let j = 0; j < k; j++) {
      const b = bufs[j];
      const y = ys[j];
      const h = heads[j] ?? 0;
      if (!b || !y) continue;
      if (b.t[h] === next) {
        y.push(b.v[h] ?? null);
        heads[j] = h + 1;
      } else y.push(null);
    }
  }
  return [times, ...ys];
}

/** One line: the sum of the lines, each carrying its last value forward between its own points. */
export function sumLines(bufs: readonly Buffer[]): Aligned {
  const [x, ...ys] = align(bufs);
  const last: (number | null)[] = ys.map(() => null);
  const sum = new Array<number | null>(x.length);
  for (let i = 0; i < x.length; i++) {
    let total: number | null = null;
    for (let j = 0; j < ys.length; j++) {
      const v = ys[j]?.[i];
      if (v != null) last[j] = v;
      const carried = last[j];
      if (carried != null) total = (total ?? 0) + carried;
    }
    sum[i] = total;
  }
  return [x, sum];
}
