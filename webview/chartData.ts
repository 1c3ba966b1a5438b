// Point buffers for the pinned charts and the pure transforms that turn them into uPlot data.
import type { PointsView, ValueMode, WindowId } from '../src/protocol';
import { WINDOWS } from '../src/protocol';

export interface Buffer {
  t: number[]; // ms since epoch, ascending
  v: (number | null)[];
}

/** uPlot's aligned data: x in seconds, then one y array per line. */
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

  /** Drops points older than the window, relative to the host's `now`. */
  trim(hostNow: number): void {
    const c = this.current;
    if (!c) return;
    const minT = hostNow - WINDOWS[c.window];
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

/** Per-second rate of a cumulative counter; a drop (restart) gives a gap rather than a negative rate. */
export function toRate(buf: Buffer): Buffer {
  const out: Buffer = { t: [...buf.t], v: [] };
  for (let i = 0; i < buf.t.length; i++) {
    const t0 = buf.t[i - 1];
    const v0 = buf.v[i - 1];
    const t1 = buf.t[i];
    const v1 = buf.v[i];
    if (t0 === undefined || t1 === undefined || v0 == null || v1 == null || t1 <= t0 || v1 < v0) out.v.push(null);
    else out.v.push(((v1 - v0) * 1000) / (t1 - t0));
  }
  return out;
}

/** Lines on one x axis (the union of their times); a line has null where it has no point. */
export function align(bufs: readonly Buffer[]): Aligned {
  const times = [...new Set(bufs.flatMap((b) => b.t))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const ys = bufs.map((b) => {
    const y: (number | null)[] = new Array<number | null>(times.length).fill(null);
    b.t.forEach((t, i) => {
      const at = index.get(t);
      if (at !== undefined) y[at] = b.v[i] ?? null;
    });
    return y;
  });
  return [times.map((t) => t / 1000), ...ys];
}

/** One line: the sum of the lines, each carrying its last value forward between its own points. */
export function sumLines(bufs: readonly Buffer[]): Aligned {
  const [x, ...ys] = align(bufs);
  const last: (number | null)[] = ys.map(() => null);
  const sum = x.map((_, i) => {
    let total: number | null = null;
    ys.forEach((y, j) => {
      const v = y[i];
      if (v != null) last[j] = v;
      const carried = last[j];
      if (carried != null) total = (total ?? 0) + carried;
    });
    return total;
  });
  return [x, sum];
}
