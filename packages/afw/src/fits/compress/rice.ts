/**
 * RICE_1 tile codec (FITS standard 4.0 §10.4.1; the format of cfitsio's `fits_rcomp*` /
 * `fits_rdecomp*`).
 *
 * Stream layout: the first pixel value raw in `bytepix` bytes (big-endian), then blocks of
 * `blockSize` pixels. Each block starts with an FS code of 3/4/5 bits (bytepix 1/2/4):
 *  - 0: low-entropy block, every difference is zero;
 *  - fsmax+1 (7/15/26): high-entropy block, each mapped difference is stored raw in 8/16/32 bits;
 *  - otherwise FS = code - 1: each mapped difference d is coded as `d >> FS` zero bits, a one bit,
 *    then the low FS bits of d.
 * Differences are taken modulo 2^(8*bytepix) and mapped to unsigned values zigzag style
 * (d >= 0 -> 2d, d < 0 -> -2d-1).
 */
import { CodecError } from "./errors.js";

function checkArgs(npix: number, bytepix: number, blockSize: number): void {
  if (!Number.isInteger(npix) || npix < 0) {
    throw new CodecError("BAD_ARGUMENT", `RICE: pixel count must be a non-negative integer, got ${npix}`);
  }
  if (bytepix !== 1 && bytepix !== 2 && bytepix !== 4) {
    throw new CodecError("BAD_ARGUMENT", `RICE: BYTEPIX must be 1, 2 or 4, got ${bytepix}`);
  }
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 1 << 24) {
    throw new CodecError("BAD_ARGUMENT", `RICE: BLOCKSIZE must be a positive integer, got ${blockSize}`);
  }
}

/**
 * Decode one RICE_1-compressed tile.
 *
 * @param input the tile's bytes (one row of the COMPRESSED_DATA column).
 * @param out receives `npix` pixel values; must hold at least `npix` elements.
 * @param npix number of pixels in the tile.
 * @param bytepix bytes per pixel of the compressed integers (ZVAL2 "BYTEPIX"; 4 if absent):
 *   1 gives unsigned 8-bit values 0..255, 2 gives signed int16 values, 4 gives int32 values
 *   (before any BZERO/BSCALE or ZZERO/ZSCALE is applied).
 * @param blockSize coding block size in pixels (ZVAL1 "BLOCKSIZE"; 32 if absent).
 * @throws CodecError `TRUNCATED` if the stream ends early, `CORRUPT` on an impossible FS code.
 * Never reads past `input`, never writes past `out[npix-1]`, runs in O(npix + input.length).
 *
 * @example
 * ```ts
 * const out = new Int32Array(2112);
 * riceDecode(tileBytes, out, 2112, 2, 32);
 * ```
 */
export function riceDecode(input: Uint8Array, out: Int32Array, npix: number, bytepix: 1 | 2 | 4, blockSize: number): void {
  checkArgs(npix, bytepix, blockSize);
  if (out.length < npix) {
    throw new CodecError("BAD_ARGUMENT", `RICE: output holds ${out.length} pixels, need ${npix}`);
  }
  if (npix === 0) return;
  const len = input.length;
  if (len < bytepix + 1) {
    throw new CodecError("TRUNCATED", `RICE: tile has ${len} bytes, needs at least ${bytepix + 1}`);
  }
  let fsbits: number;
  let fsmax: number;
  let lastpix: number;
  if (bytepix === 4) {
    fsbits = 5;
    fsmax = 25;
    lastpix = (input[0]! << 24) | (input[1]! << 16) | (input[2]! << 8) | input[3]! | 0;
  } else if (bytepix === 2) {
    fsbits = 4;
    fsmax = 14;
    lastpix = (((input[0]! << 8) | input[1]!) << 16) >> 16;
  } else {
    fsbits = 3;
    fsmax = 6;
    lastpix = input[0]!;
  }
  const bbits = 8 * bytepix;
  // Differences are added modulo 2^32 and the sum narrowed to the stored width: int16 for
  // bytepix 2, uint8 for bytepix 1 (`<< sh >> sh` sign-extends, `& mask` clears for bytes).
  const sh = 32 - bbits;
  const mask = bytepix === 1 ? 0xff : -1;
  // Bit window: the next `nb` unread bits of the stream are the top bits of `buf` (bits below
  // them are zero). Bytes past the end of the input read as zero; reading them is detected by
  // the bit count check after each block.
  let c = bytepix;
  let buf = 0;
  let nb = 0;
  // Below safeEnd a pixel can be decoded without bounds checks (it reads at most 5 bytes).
  const safeEnd = len - 8;
  let i = 0;
  while (i < npix) {
    while (nb <= 24) {
      buf |= (c < len ? input[c]! : 0) << (24 - nb);
      c++;
      nb += 8;
    }
    const fs = (buf >>> (32 - fsbits)) - 1;
    buf <<= fsbits;
    nb -= fsbits;
    let imax = i + blockSize;
    if (imax > npix) imax = npix;
    if (fs < 0) {
      // Low-entropy block: all differences zero.
      for (; i < imax; i++) out[i] = lastpix;
    } else if (fs === fsmax) {
      // High-entropy block: mapped differences stored raw in bbits bits.
      for (; i < imax; i++) {
        while (nb <= 24) {
          buf |= (c < len ? input[c]! : 0) << (24 - nb);
          c++;
          nb += 8;
        }
        let diff: number;
        if (bbits === 32) {
          diff = buf & 0xffff0000;
          buf <<= 16;
          nb -= 16;
          while (nb <= 24) {
            buf |= (c < len ? input[c]! : 0) << (24 - nb);
            c++;
            nb += 8;
          }
          diff |= buf >>> 16;
          buf <<= 16;
          nb -= 16;
        } else {
          diff = (buf >>> 1) >>> (31 - bbits);
          buf <<= bbits;
          nb -= bbits;
        }
        lastpix = (((lastpix + ((diff >>> 1) ^ -(diff & 1))) << sh) >> sh) & mask;
        out[i] = lastpix;
      }
    } else if (fs > fsmax) {
      throw new CodecError("CORRUPT", `RICE: invalid FS code ${fs + 1} at pixel ${i}`);
    } else {
      // Rice-coded block. Fast loop while enough input remains, then a bounds-checked loop.
      for (; i < imax && c < safeEnd; i++) {
        if (nb <= 24) {
          buf |= input[c++]! << (24 - nb);
          nb += 8;
          if (nb <= 24) {
            buf |= input[c++]! << (24 - nb);
            nb += 8;
          }
        }
        let nzero = 0;
        while (buf === 0) {
          // a run of zeros longer than the window
          nzero += nb;
          nb = 0;
          if (c >= len) throw new CodecError("TRUNCATED", `RICE: stream ended at pixel ${i} of ${npix}`);
          while (nb <= 24) {
            buf |= (c < len ? input[c]! : 0) << (24 - nb);
            c++;
            nb += 8;
          }
        }
        const z = Math.clz32(buf);
        nzero += z;
        buf = (buf << z) << 1;
        nb -= z + 1;
        if (nb < fs) {
          while (nb <= 24) {
            buf |= (c < len ? input[c]! : 0) << (24 - nb);
            c++;
            nb += 8;
          }
        }
        const diff = (nzero << fs) | ((buf >>> 1) >>> (31 - fs));
        buf <<= fs;
        nb -= fs;
        lastpix = (((lastpix + ((diff >>> 1) ^ -(diff & 1))) << sh) >> sh) & mask;
        out[i] = lastpix;
      }
      for (; i < imax; i++) {
        while (nb <= 24) {
          buf |= (c < len ? input[c]! : 0) << (24 - nb);
          c++;
          nb += 8;
        }
        let nzero = 0;
        while (buf === 0) {
          nzero += nb;
          nb = 0;
          if (c >= len) throw new CodecError("TRUNCATED", `RICE: stream ended at pixel ${i} of ${npix}`);
          while (nb <= 24) {
            buf |= (c < len ? input[c]! : 0) << (24 - nb);
            c++;
            nb += 8;
          }
        }
        const z = Math.clz32(buf);
        nzero += z;
        buf = (buf << z) << 1;
        nb -= z + 1;
        if (nb < fs) {
          while (nb <= 24) {
            buf |= (c < len ? input[c]! : 0) << (24 - nb);
            c++;
            nb += 8;
          }
        }
        const diff = (nzero << fs) | ((buf >>> 1) >>> (31 - fs));
        buf <<= fs;
        nb -= fs;
        lastpix = (((lastpix + ((diff >>> 1) ^ -(diff & 1))) << sh) >> sh) & mask;
        out[i] = lastpix;
      }
    }
    if (c * 8 - nb > len * 8) {
      throw new CodecError("TRUNCATED", `RICE: stream ended before pixel ${i} of ${npix}`);
    }
  }
}

/**
 * Encode one tile with RICE_1, byte-for-byte as cfitsio's `fits_rcomp` / `fits_rcomp_short` /
 * `fits_rcomp_byte` (and so fpack) do.
 *
 * @param values pixel values; for bytepix 2 and 1 only the low 16 / 8 bits are used (the signed
 *   int16 or the int8/uint8 value, both give the same stream).
 * @param npix number of pixels to encode (values.length >= npix).
 * @param bytepix bytes per pixel (ZVAL2 "BYTEPIX").
 * @param blockSize coding block size in pixels (ZVAL1 "BLOCKSIZE", usually 32).
 * @returns the compressed bytes, exactly as long as needed.
 *
 * @example
 * ```ts
 * const bytes = riceEncode(Int32Array.from(row), row.length, 2, 32);
 * ```
 */
export function riceEncode(values: Int32Array, npix: number, bytepix: 1 | 2 | 4, blockSize: number): Uint8Array {
  checkArgs(npix, bytepix, blockSize);
  if (values.length < npix) {
    throw new CodecError("BAD_ARGUMENT", `RICE: ${values.length} values given, need ${npix}`);
  }
  if (npix === 0) return new Uint8Array(0);
  let fsbits: number;
  let fsmax: number;
  let sh: number; // shift pair that narrows a difference to the stored width
  if (bytepix === 4) {
    fsbits = 5;
    fsmax = 25;
    sh = 0;
  } else if (bytepix === 2) {
    fsbits = 4;
    fsmax = 14;
    sh = 16;
  } else {
    fsbits = 3;
    fsmax = 6;
    sh = 24;
  }
  const bbits = 8 * bytepix;
  const nblocks = Math.ceil(npix / blockSize);
  // Worst case: raw first value, an FS code per block, < bbits + 4 bits per pixel.
  const out = new Uint8Array(bytepix + Math.ceil((nblocks * fsbits + npix * (bbits + 4)) / 8) + 8);
  const diff = new Int32Array(Math.min(blockSize, npix));
  let pos = 0;
  let acc = 0; // pending bits are the low `nacc` bits of acc
  let nacc = 0;

  // First value, raw, big-endian.
  const first = values[0]!;
  for (let k = bytepix - 1; k >= 0; k--) out[pos++] = first >>> (8 * k);

  let lastpix = first;
  for (let i = 0; i < npix; i += blockSize) {
    const thisblock = Math.min(npix - i, blockSize);
    let pixelsum = 0;
    for (let j = 0; j < thisblock; j++) {
      const nextpix = values[i + j]!;
      const pdiff = ((nextpix - lastpix) << sh) >> sh;
      const d = (pdiff << 1) ^ (pdiff >> 31);
      diff[j] = d;
      pixelsum += d >>> 0;
      lastpix = nextpix;
    }
    // Number of bits to split off, as cfitsio computes it (double arithmetic, truncation).
    let dpsum = (pixelsum - (thisblock >>> 1) - 1) / thisblock;
    if (dpsum < 0) dpsum = 0;
    const psum = (dpsum >>> 0) >>> 1;
    const fs = 32 - Math.clz32(psum);

    if (fs >= fsmax) {
      // High-entropy block: FS code fsmax+1, then raw mapped differences.
      acc = (acc << fsbits) | (fsmax + 1);
      nacc += fsbits;
      while (nacc >= 8) {
        nacc -= 8;
        out[pos++] = acc >>> nacc;
      }
      for (let j = 0; j < thisblock; j++) {
        const v = diff[j]!;
        if (bbits === 32) {
          acc = (acc << 16) | (v >>> 16);
          nacc += 16;
          while (nacc >= 8) {
            nacc -= 8;
            out[pos++] = acc >>> nacc;
          }
          acc = (acc << 16) | (v & 0xffff);
          nacc += 16;
        } else {
          acc = (acc << bbits) | v;
          nacc += bbits;
        }
        while (nacc >= 8) {
          nacc -= 8;
          out[pos++] = acc >>> nacc;
        }
      }
    } else if (fs === 0 && pixelsum === 0) {
      // Low-entropy block: FS code 0.
      acc <<= fsbits;
      nacc += fsbits;
      while (nacc >= 8) {
        nacc -= 8;
        out[pos++] = acc >>> nacc;
      }
    } else {
      acc = (acc << fsbits) | (fs + 1);
      nacc += fsbits;
      while (nacc >= 8) {
        nacc -= 8;
        out[pos++] = acc >>> nacc;
      }
      const fsmask = (1 << fs) - 1;
      for (let j = 0; j < thisblock; j++) {
        const v = diff[j]!;
        let top = v >>> fs;
        // Unary part: `top` zeros then a one.
        if (top < 24) {
          acc = (acc << (top + 1)) | 1;
          nacc += top + 1;
        } else {
          // flush pending bits padded with zeros, then whole zero bytes
          acc <<= 8 - nacc;
          out[pos++] = acc;
          top -= 8 - nacc;
          while (top >= 8) {
            out[pos++] = 0;
            top -= 8;
          }
          acc = 1;
          nacc = top + 1;
        }
        while (nacc >= 8) {
          nacc -= 8;
          out[pos++] = acc >>> nacc;
        }
        if (fs > 0) {
          acc = (acc << fs) | (v & fsmask);
          nacc += fs;
          while (nacc >= 8) {
            nacc -= 8;
            out[pos++] = acc >>> nacc;
          }
        }
      }
    }
  }
  if (nacc > 0) out[pos++] = acc << (8 - nacc);
  return out.slice(0, pos);
}
