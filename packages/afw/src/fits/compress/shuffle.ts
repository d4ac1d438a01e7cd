/**
 * GZIP_2 byte shuffling (FITS standard 4.0 §10.4.3): before gzip, the big-endian bytes of the
 * tile's pixels are regrouped into byte planes — all most significant bytes first, then all
 * second bytes, and so on. The gzip (deflate) step itself is not done here.
 */
import { CodecError } from "./errors.js";

function check(bytes: Uint8Array, bytepix: number): number {
  if (!Number.isInteger(bytepix) || bytepix < 1 || bytepix > 8) {
    throw new CodecError("BAD_ARGUMENT", `GZIP_2: bytes per pixel must be 1..8, got ${bytepix}`);
  }
  if (bytes.length % bytepix !== 0) {
    throw new CodecError("CORRUPT", `GZIP_2: ${bytes.length} bytes is not a whole number of ${bytepix}-byte pixels`);
  }
  return bytes.length / bytepix;
}

/**
 * Shuffle big-endian pixel bytes into byte planes (what cfitsio does before gzipping a GZIP_2
 * tile).
 *
 * @param bytes the tile's pixels as big-endian bytes (length = npix * bytepix).
 * @param bytepix bytes per pixel (1, 2, 4 or 8; any 1..8 is accepted).
 * @returns a new array: plane k holds byte k (0 = most significant) of every pixel.
 *
 * @example
 * ```ts
 * gzip2Shuffle(Uint8Array.of(0x01, 0x02, 0x03, 0x04), 2); // -> [0x01, 0x03, 0x02, 0x04]
 * ```
 */
export function gzip2Shuffle(bytes: Uint8Array, bytepix: number): Uint8Array {
  const n = check(bytes, bytepix);
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < bytepix; k++) {
    const base = k * n;
    for (let i = 0, j = k; i < n; i++, j += bytepix) out[base + i] = bytes[j]!;
  }
  return out;
}

/**
 * Undo {@link gzip2Shuffle}: regroup byte planes (the gunzipped bytes of a GZIP_2 tile) into
 * big-endian pixel bytes.
 *
 * @param bytes the shuffled bytes (length = npix * bytepix).
 * @param bytepix bytes per pixel.
 * @returns a new array of big-endian pixel bytes.
 * @throws CodecError `CORRUPT` if the length is not a multiple of `bytepix`.
 */
export function gzip2Unshuffle(bytes: Uint8Array, bytepix: number): Uint8Array {
  const n = check(bytes, bytepix);
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < bytepix; k++) {
    const base = k * n;
    for (let i = 0, j = k; i < n; i++, j += bytepix) out[j] = bytes[base + i]!;
  }
  return out;
}
