/** Typed arrays a FITS image can decode to. */
export type FitsPixelArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** Stored (physical, unscaled) array types per BITPIX. */
export type StoredArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** Allocates the stored array for BITPIX. */
export function allocStored(bitpix: number, n: number): StoredArray {
  switch (bitpix) {
    case 8:
      return new Uint8Array(n);
    case 16:
      return new Int16Array(n);
    case 32:
      return new Int32Array(n);
    case 64:
      return new BigInt64Array(n);
    case -32:
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Copies `n` big-endian elements of `size` bytes from `src` into `dst` (a typed array's bytes at
 * element `dstIndex`), converting to native byte order.
 */
export function copyFromBigEndian(
  src: Uint8Array,
  srcOffset: number,
  dst: ArrayBufferView,
  dstIndex: number,
  n: number,
  size: number,
): void {
  const out = new Uint8Array(dst.buffer, dst.byteOffset + dstIndex * size, n * size);
  out.set(src.subarray(srcOffset, srcOffset + n * size));
  if (size === 1 || !LITTLE_ENDIAN) return;
  swapInPlace(out, size);
}

// Node's Buffer.swapNN are native (vectorised) and ~10x faster than a byte loop over the same bytes.
const NODE_BUFFER: typeof Buffer | undefined = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/** Reverses the bytes of every `size`-byte element of `bytes` in place (size 2, 4 or 8). */
export function swapInPlace(bytes: Uint8Array, size: number): void {
  if (NODE_BUFFER !== undefined && bytes.byteLength >= 64) {
    const b = NODE_BUFFER.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (size === 2) b.swap16();
    else if (size === 4) b.swap32();
    else b.swap64();
    return;
  }
  const n = bytes.byteLength;
  for (let i = 0; i < n; i += size) {
    for (let a = i, z = i + size - 1; a < z; a++, z--) {
      const t = bytes[a]!;
      bytes[a] = bytes[z]!;
      bytes[z] = t;
    }
  }
}

/** Writes `n` elements of a typed array (from element `srcIndex`) big-endian into `dst` at `dstOffset`. */
export function copyToBigEndian(
  src: ArrayBufferView,
  srcIndex: number,
  n: number,
  size: number,
  dst: Uint8Array,
  dstOffset: number,
): void {
  const inp = new Uint8Array(src.buffer, src.byteOffset + srcIndex * size, n * size);
  if (size === 1 || !LITTLE_ENDIAN) {
    dst.set(inp, dstOffset);
    return;
  }
  // Byte reversal is its own inverse.
  copyFromBigEndian(inp, 0, new Uint8Array(dst.buffer, dst.byteOffset + dstOffset, n * size), 0, n, size);
}

/** Bytes per element of a typed array. */
export function elementSize(a: ArrayBufferView): number {
  return (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
}
