// Packed number columns of the raw log (version 3): each column as the smallest of plain f64,
// integer delta-of-delta varints, or XOR-with-previous f64 bytes. Lossless; decoding validates everything.

/** Plain little-endian f64, 8 bytes a number. */
export const PACK_F64 = 0;
/** Integers: zigzag varints of the delta of deltas (a steady clock or counter costs a byte a number). */
export const PACK_INT = 1;
/** Each f64's bits XOR the previous one's: a header byte (leading and trailing zero bytes) and the bytes between. */
export const PACK_XOR = 2;

/** Integer mode keeps |value| ≤ 2^50 so deltas of deltas stay exact doubles (|dod| ≤ 2^52). */
const INT_LIMIT = 2 ** 50;
/** A zigzag of |dod| ≤ 2^52 needs at most 8 varint bytes. */
const MAX_VARINT_BYTES = 8;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

export interface PackedColumn {
  readonly mode: number;
  readonly bytes: Uint8Array;
}

function zigzag(d: number): number {
  return d >= 0 ? 2 * d : -2 * d - 1;
}

function varintBytes(z: number): number {
  let n = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    n++;
  }
  return n;
}

function byteOf(x: number, hi: number, lo: number): number {
  return x < 4 ? (hi >>> (24 - 8 * x)) & 255 : (lo >>> (56 - 8 * x)) & 255;
}

/** Leading and trailing zero bytes of the 64-bit word hi:lo (big-endian byte order). */
function zeroBytes(hi: number, lo: number): { lead: number; trail: number } {
  let lead = 0;
  while (lead < 8 && byteOf(lead, hi, lo) === 0) lead++;
  let trail = 0;
  while (trail < 8 - lead && byteOf(7 - trail, hi, lo) === 0) trail++;
  return { lead, trail };
}

/** Rows [0, n) of `at` packed in the cheapest mode. */
export function packColumn(n: number, at: (i: number) => number): PackedColumn {
  const values = new Float64Array(n);
  let intOk = true;
  let intCost = 0;
  let xorCost = 0;
  let prev = 0;
  let prevDelta = 0;
  let prevHi = 0;
  let prevLo = 0;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    values[i] = v;
    if (intOk) {
      if (Number.isInteger(v) && Math.abs(v) <= INT_LIMIT && !Object.is(v, -0)) {
        const d = v - prev;
        intCost += varintBytes(zigzag(d - prevDelta));
        prev = v;
        prevDelta = d;
      } else intOk = false;
    }
    F64[0] = v;
    const hi = U32[HI] ?? 0;
    const lo = U32[LO] ?? 0;
    const z = zeroBytes((hi ^ prevHi) >>> 0, (lo ^ prevLo) >>> 0);
    xorCost += 1 + 8 - z.lead - z.trail;
    prevHi = hi;
    prevLo = lo;
  }
  if (intOk && intCost <= xorCost && intCost < 8 * n) return { mode: PACK_INT, bytes: packInt(values, intCost) };
  if (xorCost < 8 * n) return { mode: PACK_XOR, bytes: packXor(values, xorCost) };
  const bytes = new Uint8Array(8 * n);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) view.setFloat64(8 * i, values[i] ?? 0, true);
  return { mode: PACK_F64, bytes };
}

function packInt(values: Float64Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let p = 0;
  let prev = 0;
  let prevDelta = 0;
  for (const v of values) {
    const d = v - prev;
    let z = zigzag(d - prevDelta);
    while (z >= 128) {
      out[p++] = (z % 128) | 128;
      z = Math.floor(z / 128);
    }
    out[p++] = z;
    prev = v;
    prevDelta = d;
  }
  return out;
}

function packXor(values: Float64Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let p = 0;
  let prevHi = 0;
  let prevLo = 0;
  for (const v of values) {
    F64[0] = v;
    const hi = U32[HI] ?? 0;
    const lo = U32[LO] ?? 0;
    const xh = (hi ^ prevHi) >>> 0;
    const xl = (lo ^ prevLo) >>> 0;
    const { lead, trail } = zeroBytes(xh, xl);
    out[p++] = (lead << 4) | trail;
    for (let b = lead; b < 8 - trail; b++) out[p++] = byteOf(b, xh, xl);
    prevHi = hi;
    prevLo = lo;
  }
  return out;
}

/** The n numbers packed in `bytes` (all of it), or null when they are not exactly that. */
export function unpackColumn(bytes: Uint8Array, mode: number, n: number): Float64Array | null {
  // Every mode takes at least a byte a number: a bigger n is damage (and must not be allocated).
  if (n > bytes.byteLength) return null;
  const out = new Float64Array(n);
  return unpackInto(bytes, mode, n, out) ? out : null;
}

/** unpackColumn into the first n places of `out` (restore reuses one array): false when the bytes are not exactly n numbers. */
export function unpackInto(bytes: Uint8Array, mode: number, n: number, out: Float64Array): boolean {
  const len = bytes.byteLength;
  if (n > len || n > out.length) return false;
  let p = 0;
  if (mode === PACK_F64) {
    if (len !== 8 * n) return false;
    const view = new DataView(bytes.buffer, bytes.byteOffset, len);
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
    return true;
  }
  if (mode === PACK_INT) {
    let prev = 0;
    let prevDelta = 0;
    for (let i = 0; i < n; i++) {
      let z = 0;
      let scale = 1;
      let k = 0;
      for (;;) {
        if (p >= len || k === MAX_VARINT_BYTES) return false;
        const b = bytes[p++] ?? 0;
        z += (b & 127) * scale;
        scale *= 128;
        k++;
        if (b < 128) break;
      }
      const dod = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      prevDelta += dod;
      prev += prevDelta;
      if (!Number.isSafeInteger(prev) || !Number.isSafeInteger(prevDelta)) return false;
      out[i] = prev;
    }
    return p === len;
  }
  if (mode === PACK_XOR) {
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < n; i++) {
      if (p >= len) return false;
      const header = bytes[p++] ?? 0;
      const lead = header >>> 4;
      const trail = header & 15;
      if (lead + trail > 8 || p + 8 - lead - trail > len) return false;
      for (let b = lead; b < 8 - trail; b++) {
        const byte = bytes[p++] ?? 0;
        if (b < 4) hi = (hi ^ (byte << (24 - 8 * b))) >>> 0;
        else lo = (lo ^ (byte << (56 - 8 * b))) >>> 0;
      }
      U32[HI] = hi;
      U32[LO] = lo;
      out[i] = F64[0] ?? NaN;
    }
    return p === len;
  }
  return false;
}
