// Number columns in little-endian bytes: as base64 text (the compact tier) and as raw f64 runs (the raw log).

export function encodeColumn(values: ArrayLike<number>, type: 'f64' | 'u32'): string {
  const size = type === 'f64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (type === 'f64') view.setFloat64(i * size, values[i] ?? 0, true);
    else view.setUint32(i * size, values[i] ?? 0, true);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeColumn(text: unknown, type: 'f64' | 'u32', n: number): number[] | null {
  const size = type === 'f64' ? 8 : 4;
  if (typeof text !== 'string' || text.length % 4 !== 0 || text.length !== base64Length(n * size) || !BASE64.test(text)) return null;
  const buf = Buffer.from(text, 'base64');
  if (buf.byteLength !== n * size) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = type === 'f64' ? view.getFloat64(i * size, true) : view.getUint32(i * size, true);
  return out;
}

export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** n little-endian f64 at `offset` (any alignment). */
export function writeF64(out: Uint8Array, offset: number, n: number, at: (i: number) => number): void {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = at(i);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(values.buffer), offset);
  else {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < n; i++) view.setFloat64(offset + 8 * i, values[i] ?? NaN, true);
  }
}

/** n little-endian f64 at `offset` (any alignment). */
export function readF64(bytes: Uint8Array, offset: number, n: number): Float64Array {
  const copy = bytes.slice(offset, offset + 8 * n); // aligned, owned
  if (LITTLE_ENDIAN) return new Float64Array(copy.buffer, 0, n);
  const view = new DataView(copy.buffer);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}
