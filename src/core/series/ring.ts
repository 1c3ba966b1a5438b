// Fixed-capacity ring buffers over typed arrays: one array per column, rows oldest first.
// Capacity grows by 1.5× on demand up to a hard maximum, so a series that is sampled slowly
// (or not for long) never pays for the whole window up front.

export type ColumnType = 'f64' | 'u32';
type Column = Float64Array | Uint32Array;

const INITIAL_CAPACITY = 16;

function allocate(type: ColumnType, capacity: number): Column {
  return type === 'f64' ? new Float64Array(capacity) : new Uint32Array(capacity);
}

/**
 * A ring of rows with typed columns. Column 0 must be non-decreasing (it is the time or bucket
 * index), which makes `lowerBound` a binary search. When full at the maximum capacity, a push
 * overwrites the oldest row.
 */
export class ColumnRing {
  private columns: Column[];
  private head = 0;
  private count = 0;
  private maxCapacity: number;

  /** `initialCapacity`: rows allocated up front (restore knows how many are coming). */
  constructor(
    private readonly types: readonly ColumnType[],
    maxCapacity: number,
    initialCapacity = INITIAL_CAPACITY,
  ) {
    this.maxCapacity = Math.max(1, Math.floor(maxCapacity));
    const initial = Math.min(Math.max(1, Math.floor(initialCapacity)), this.maxCapacity);
    this.columns = types.map((t) => allocate(t, initial));
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.columns[0]?.length ?? 0;
  }

  get limit(): number {
    return this.maxCapacity;
  }

  /** Bytes held by the typed arrays. */
  bytes(): number {
    let total = 0;
    for (const c of this.columns) total += c.byteLength;
    return total;
  }

  /** Value of `column` in row `row` (0 = oldest). */
  get(column: number, row: number): number {
    const c = this.columns[column];
    if (c === undefined || row < 0 || row >= this.count) return NaN;
    return c[this.slot(row, c.length)] ?? NaN;
  }

  set(column: number, row: number, value: number): void {
    const c = this.columns[column];
    if (c === undefined || row < 0 || row >= this.count) return;
    c[this.slot(row, c.length)] = value;
  }

  /** Value of `column` in the newest row (NaN when empty). */
  last(column: number): number {
    return this.get(column, this.count - 1);
  }

  /** Sets `column` in the newest row (nothing when empty). */
  setLast(column: number, value: number): void {
    this.set(column, this.count - 1, value);
  }

  /** Physical index of `row` (0 ≤ row < count): a subtraction, not a division, on every read. */
  private slot(row: number, length: number): number {
    const i = this.head + row;
    return i >= length ? i - length : i;
  }

  /** Appends a row (missing values are 0); returns its row number. */
  push(values: readonly number[]): number {
    if (this.count === this.capacity) {
      if (this.capacity < this.maxCapacity) this.reallocate(Math.min(this.maxCapacity, Math.max(this.capacity + INITIAL_CAPACITY, Math.ceil(this.capacity * 1.5))));
      else this.dropOldest(1);
    }
    const cap = this.capacity;
    const slot = (this.head + this.count) % cap;
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      if (c !== undefined) c[slot] = values[i] ?? 0;
    }
    this.count++;
    return this.count - 1;
  }

  /** push([a, b]) without the array, for the two-column sample ring on the ingest path. */
  push2(a: number, b: number): void {
    if (this.count === this.capacity) {
      if (this.capacity < this.maxCapacity) this.reallocate(Math.min(this.maxCapacity, Math.max(this.capacity + INITIAL_CAPACITY, Math.ceil(this.capacity * 1.5))));
      else this.dropOldest(1);
    }
    const slot = (this.head + this.count) % this.capacity;
    const c0 = this.columns[0];
    const c1 = this.columns[1];
    if (c0 !== undefined) c0[slot] = a;
    if (c1 !== undefined) c1[slot] = b;
    this.count++;
  }

  /** Grows the capacity to hold `rows` rows (at most the maximum) in one step, ahead of that many pushes. */
  reserve(rows: number): void {
    const capacity = Math.min(this.maxCapacity, Math.floor(rows));
    if (capacity > this.capacity) this.reallocate(capacity);
  }

  dropOldest(n: number): void {
    const k = Math.min(Math.max(0, Math.floor(n)), this.count);
    if (k === 0) return;
    this.head = (this.head + k) % this.capacity;
    this.count -= k;
    if (this.count === 0) this.head = 0;
  }

  /** First row whose column-0 value is ≥ `key` (size when none). */
  lowerBound(key: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.get(0, mid) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops every row whose column-0 value is below `key`. */
  dropBefore(key: number): void {
    // Usually the oldest row or two fell out (one push each): look at those before searching.
    let n = 0;
    while (n < 4 && n < this.count && this.get(0, n) < key) n++;
    this.dropOldest(n < 4 ? n : this.lowerBound(key));
  }

  /** Changes the maximum capacity, keeping the newest rows that fit. */
  setLimit(maxCapacity: number): void {
    this.maxCapacity = Math.max(1, Math.floor(maxCapacity));
    if (this.count > this.maxCapacity) this.dropOldest(this.count - this.maxCapacity);
    if (this.capacity > this.maxCapacity) this.reallocate(this.maxCapacity);
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    const initial = Math.min(INITIAL_CAPACITY, this.maxCapacity);
    this.columns = this.types.map((t) => allocate(t, initial));
  }

  private reallocate(capacity: number): void {
    const next = this.types.map((t) => allocate(t, Math.max(capacity, this.count)));
    for (let i = 0; i < this.columns.length; i++) {
      const from = this.columns[i];
      const to = next[i];
      if (from === undefined || to === undefined) continue;
      const cap = from.length;
      const firstPart = Math.min(this.count, cap - this.head);
      to.set(from.subarray(this.head, this.head + firstPart), 0);
      if (firstPart < this.count) to.set(from.subarray(0, this.count - firstPart), firstPart);
    }
    this.columns = next;
    this.head = 0;
  }
}

/** Raw samples: column 0 time (ms since epoch), column 1 value. */
export function sampleRing(maxCapacity: number, initialCapacity?: number): ColumnRing {
  return new ColumnRing(['f64', 'f64'], maxCapacity, initialCapacity);
}
