// RICE_1 tile codec (FITS 4.0 §10.4.1, cfitsio's fits_rcomp*/fits_rdecomp*), batched: one call
// decodes or encodes many tiles. Pointer API like the rest of the module; the JS binding
// (src/rice.ts) owns the layout of the buffers. Every read stays inside [tile, tile + len) (bytes
// past a tile's end read as zero, as in the TypeScript codec) and every write inside the regions
// the descriptors name, whatever the input bytes.

/** Decode status codes (the same as the binding's RiceStatus). */
const OK: i32 = 0;
const TRUNCATED: i32 = 1;
const CORRUPT: i32 = 2;

/** Output kinds of riceDecodeTiles: int32, int16, uint16 (int16 + 32768, FITS BZERO), uint8. */
const OUT_I32: i32 = 0;
const OUT_I16: i32 = 1;
const OUT_U16: i32 = 2;
const OUT_U8: i32 = 3;

let lastStatus: i32 = 0;

/** Status (1 = TRUNCATED, 2 = CORRUPT) of the tile a failed riceDecodeTiles call stopped at. */
export function riceLastStatus(): i32 {
  return lastStatus;
}

// Stores one decoded value (in the int32 domain) as T; `flip` is xor-ed in (0x8000 for uint16).
// @ts-ignore: decorator
@inline function put<T>(out: usize, i: i32, v: i32, flip: i32): void {
  store<T>(out + (<usize>i << alignof<T>()), <T>(v ^ flip));
}

/**
 * Decodes one tile of npix pixels from [inp, inp + len) into out (as T, value ^ flip).
 * `rev` is the tile's bytes reversed: load<u64>(rev - c) is the big-endian u64 at inp + c (c <= len - 8).
 * Returns OK, TRUNCATED or CORRUPT, exactly when the TypeScript codec succeeds or throws that code.
 */
function decodeOne<T>(inp: usize, rev: usize, len: i32, out: usize, npix: i32, bytepix: i32, blockSize: i32, flip: i32): i32 {
  if (npix <= 0) return OK;
  if (len < bytepix + 1) return TRUNCATED;
  let fsbits: i32;
  let fsmax: i32;
  let lastpix: i32;
  if (bytepix == 4) {
    fsbits = 5;
    fsmax = 25;
    lastpix = bswap<i32>(load<i32>(inp));
  } else if (bytepix == 2) {
    fsbits = 4;
    fsmax = 14;
    lastpix = <i32>(<i16>((<i32>load<u8>(inp) << 8) | <i32>load<u8>(inp, 1)));
  } else {
    fsbits = 3;
    fsmax = 6;
    lastpix = <i32>load<u8>(inp);
  }
  const bbits = bytepix << 3;
  const sh = 32 - bbits;
  const mask: i32 = bytepix == 1 ? 0xff : -1;
  // Bit window: the next nb unread bits are the top bits of buf; the bits below them are the
  // stream's next bits or zero. Stream bit position = c * 8 - nb. Bytes past the tile's end read
  // as zero. The refill (branch-free while c <= fastEnd) leaves 56..63 bits in the window.
  let c: i32 = bytepix;
  let buf: u64 = 0;
  let nb: i32 = 0;
  const fastEnd = len - 8;
  let i: i32 = 0;
  while (i < npix) {
    if (c <= fastEnd) {
      buf |= load<u64>(rev - <usize>c) >> <u64>nb;
      c += (63 - nb) >> 3;
      nb |= 56;
    } else {
      while (nb <= 56) {
        if (c < len) buf |= <u64>load<u8>(inp + <usize>c) << <u64>(56 - nb);
        c++;
        nb += 8;
      }
    }
    const fs = <i32>(buf >> <u64>(64 - fsbits)) - 1;
    buf <<= <u64>fsbits;
    nb -= fsbits;
    const left = npix - i;
    const imax = i + (blockSize < left ? blockSize : left);
    if (fs < 0) {
      for (; i < imax; i++) put<T>(out, i, lastpix, flip);
    } else if (fs == fsmax) {
      for (; i < imax; i++) {
        if (c <= fastEnd) {
          buf |= load<u64>(rev - <usize>c) >> <u64>nb;
          c += (63 - nb) >> 3;
          nb |= 56;
        } else if (nb < 32) {
          while (nb <= 56) {
            if (c < len) buf |= <u64>load<u8>(inp + <usize>c) << <u64>(56 - nb);
            c++;
            nb += 8;
          }
        }
        const diff = <u32>(buf >> <u64>(64 - bbits));
        buf <<= <u64>bbits;
        nb -= bbits;
        lastpix = (((lastpix + <i32>((diff >> 1) ^ -(diff & 1))) << sh) >> sh) & mask;
        put<T>(out, i, lastpix, flip);
      }
    } else if (fs > fsmax) {
      return CORRUPT;
    } else {
      const vshift = <u64>(63 - fs);
      for (; i < imax; i++) {
        if (c <= fastEnd) {
          buf |= load<u64>(rev - <usize>c) >> <u64>nb;
          c += (63 - nb) >> 3;
          nb |= 56;
        } else if (nb < 32) {
          while (nb <= 56) {
            if (c < len) buf |= <u64>load<u8>(inp + <usize>c) << <u64>(56 - nb);
            c++;
            nb += 8;
          }
        }
        let nzero: u32 = 0;
        let z = <i32>clz<u64>(buf);
        if (z + 1 + fs > nb) {
          // the code is longer than the window: zero runs beyond it, then refill for the low bits
          while (z >= nb) {
            nzero += <u32>nb;
            buf = 0;
            nb = 0;
            if (c >= len) return TRUNCATED;
            while (nb <= 56) {
              if (c < len) buf |= <u64>load<u8>(inp + <usize>c) << <u64>(56 - nb);
              c++;
              nb += 8;
            }
            z = <i32>clz<u64>(buf);
          }
          nzero += <u32>z;
          buf = (buf << <u64>z) << 1;
          nb -= z + 1;
          if (nb < fs) {
            while (nb <= 56) {
              if (c < len) buf |= <u64>load<u8>(inp + <usize>c) << <u64>(56 - nb);
              c++;
              nb += 8;
            }
          }
        } else {
          nzero = <u32>z;
          buf = (buf << <u64>z) << 1;
          nb -= z + 1;
        }
        const diff = (nzero << <u32>fs) | <u32>((buf >> 1) >> vshift);
        buf <<= <u64>fs;
        nb -= fs;
        lastpix = (((lastpix + <i32>((diff >> 1) ^ -(diff & 1))) << sh) >> sh) & mask;
        put<T>(out, i, lastpix, flip);
        // the next pixel without a refill when its whole code is already in the window
        if (i + 1 < imax) {
          const z2 = <i32>clz<u64>(buf);
          if (z2 + 1 + fs <= nb) {
            buf = (buf << <u64>z2) << 1;
            nb -= z2 + 1;
            const diff2 = (<u32>z2 << <u32>fs) | <u32>((buf >> 1) >> vshift);
            buf <<= <u64>fs;
            nb -= fs;
            lastpix = (((lastpix + <i32>((diff2 >> 1) ^ -(diff2 & 1))) << sh) >> sh) & mask;
            i++;
            put<T>(out, i, lastpix, flip);
            if (i + 1 < imax) {
              const z3 = <i32>clz<u64>(buf);
              if (z3 + 1 + fs <= nb) {
                buf = (buf << <u64>z3) << 1;
                nb -= z3 + 1;
                const diff3 = (<u32>z3 << <u32>fs) | <u32>((buf >> 1) >> vshift);
                buf <<= <u64>fs;
                nb -= fs;
                lastpix = (((lastpix + <i32>((diff3 >> 1) ^ -(diff3 & 1))) << sh) >> sh) & mask;
                i++;
                put<T>(out, i, lastpix, flip);
              }
            }
          }
        }
      }
    }
    if (<i64>c * 8 - <i64>nb > <i64>len * 8) return TRUNCATED;
  }
  return OK;
}

function decodeKind(kind: i32, inp: usize, rev: usize, len: i32, out: usize, npix: i32, bytepix: i32, blockSize: i32): i32 {
  if (kind == OUT_U16) return decodeOne<u16>(inp, rev, len, out, npix, bytepix, blockSize, 0x8000);
  if (kind == OUT_I16) return decodeOne<i16>(inp, rev, len, out, npix, bytepix, blockSize, 0);
  if (kind == OUT_U8) return decodeOne<u8>(inp, rev, len, out, npix, bytepix, blockSize, 0);
  return decodeOne<i32>(inp, rev, len, out, npix, bytepix, blockSize, 0);
}

/** dst[i] = src[n - 1 - i] for i < n (regions must not overlap). */
function reverseBytes(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + <usize>(n - 16 - i));
    v128.store(dst + <usize>i, i8x16.shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
  }
  for (; i < n; i++) store<u8>(dst + <usize>i, load<u8>(src + <usize>(n - 1 - i)));
}

// ---------------------------------------------------------------- dequantization
const N_RANDOM: i32 = 10000;
const ZERO_VALUE: i32 = -2147483646;

/**
 * FITS dequantization of n int32 at ints into float32 at out (as afw's dequantizeTile, in float64
 * arithmetic): method 0 NO_DITHER v·scale + zero; 1 SUBTRACTIVE_DITHER_1 (v − r[k] + 0.5)·scale +
 * zero over the random sequence r (f32, 10000) from start index iseed; 2 SUBTRACTIVE_DITHER_2, the
 * same with ZERO_VALUE giving 0. With hasNull, v == nullValue gives NaN.
 */
function dequantize(ints: usize, n: i32, out: usize, method: i32, scale: f64, zero: f64, iseed0: i32, rtab: usize, hasNull: i32, nullValue: i32): void {
  const sv = f64x2.splat(scale);
  const zv = f64x2.splat(zero);
  const half = f64x2.splat(0.5);
  const nv = i32x4.splat(nullValue);
  const nan = f32x4.splat(NaN);
  const zerov = i32x4.splat(ZERO_VALUE);
  let iseed = iseed0;
  let nextrand = method == 0 ? 0 : <i32>(<f64>load<f32>(rtab + (<usize>iseed << 2)) * 500.0);
  let i = 0;
  while (i < n) {
    // a run of pixels before the random index wraps
    const end = method == 0 ? n : i + min(n - i, N_RANDOM - nextrand);
    let j = nextrand;
    for (; i + 4 <= end; i += 4, j += 4) {
      const v = v128.load(ints + (<usize>i << 2));
      let lo = f64x2.convert_low_i32x4_s(v);
      let hi = f64x2.convert_low_i32x4_s(i32x4.shuffle(v, v, 2, 3, 0, 1));
      if (method != 0) {
        const r = v128.load(rtab + (<usize>j << 2));
        lo = f64x2.add(f64x2.sub(lo, f64x2.promote_low_f32x4(r)), half);
        hi = f64x2.add(f64x2.sub(hi, f64x2.promote_low_f32x4(i32x4.shuffle(r, r, 2, 3, 0, 1))), half);
      }
      lo = f64x2.add(f64x2.mul(lo, sv), zv);
      hi = f64x2.add(f64x2.mul(hi, sv), zv);
      const a = f32x4.demote_f64x2_zero(lo);
      const b = f32x4.demote_f64x2_zero(hi);
      let f = i32x4.shuffle(a, b, 0, 1, 4, 5);
      if (method == 2) f = v128.andnot(f, i32x4.eq(v, zerov));
      if (hasNull) f = v128.bitselect(nan, f, i32x4.eq(v, nv));
      v128.store(out + (<usize>i << 2), f);
    }
    for (; i < end; i++, j++) {
      const v = load<i32>(ints + (<usize>i << 2));
      let x: f32;
      if (hasNull && v == nullValue) x = NaN;
      else if (method == 2 && v == ZERO_VALUE) x = 0;
      else if (method == 0) x = <f32>(<f64>v * scale + zero);
      else x = <f32>((<f64>v - <f64>load<f32>(rtab + (<usize>j << 2)) + 0.5) * scale + zero);
      store<f32>(out + (<usize>i << 2), x);
    }
    if (method != 0) {
      nextrand = j;
      if (nextrand == N_RANDOM) {
        iseed++;
        if (iseed == N_RANDOM) iseed = 0;
        nextrand = <i32>(<f64>load<f32>(rtab + (<usize>iseed << 2)) * 500.0);
      }
    }
  }
}

/**
 * Decodes ntiles quantized-float RICE_1 tiles (see riceDecodeTiles for base, total, rev, desc,
 * rowStride) and dequantizes them into float32 out. qdesc k (24 bytes at qdesc + 24k): f64 zscale,
 * f64 zzero, i32 iseed (random start index (tile + ZDITHER0 − 1) mod 10000), i32 unused. scratch
 * holds npix int32 and scratchF npix float32 of the largest tile. Returns -1 or the failing tile.
 */
export function riceDecodeTilesF32(
  base: usize,
  total: i32,
  rev: usize,
  desc: usize,
  ntiles: i32,
  bytepix: i32,
  blockSize: i32,
  scratch: usize,
  scratchF: usize,
  out: usize,
  rowStride: i32,
  qdesc: usize,
  method: i32,
  rtab: usize,
  hasNull: i32,
  nullValue: i32,
): i32 {
  reverseBytes(base, rev, total);
  for (let k = 0; k < ntiles; k++) {
    const d = desc + (<usize>k << 5);
    const inOff = load<i32>(d);
    const inLen = load<i32>(d, 4);
    const npix = load<i32>(d, 8);
    const tw = load<i32>(d, 12);
    const srcStart = load<i32>(d, 16);
    const runLen = load<i32>(d, 20);
    const nrows = load<i32>(d, 24);
    const dstOff = load<i32>(d, 28);
    const st = decodeOne<i32>(base + <usize>inOff, rev + <usize>(total - 8 - inOff), inLen, scratch, npix, bytepix, blockSize, 0);
    if (st != OK) {
      lastStatus = st;
      return k;
    }
    const q = qdesc + <usize>k * 24;
    const scale = load<f64>(q);
    const zero = load<f64>(q, 8);
    const iseed = load<i32>(q, 16);
    if (srcStart == 0 && runLen == tw && <i64>nrows * <i64>tw == <i64>npix && (nrows == 1 || rowStride == tw)) {
      dequantize(scratch, npix, out + (<usize>dstOff << 2), method, scale, zero, iseed, rtab, hasNull, nullValue);
    } else {
      dequantize(scratch, npix, scratchF, method, scale, zero, iseed, rtab, hasNull, nullValue);
      for (let r = 0; r < nrows; r++) {
        memory.copy(out + ((<usize>dstOff + <usize>r * <usize>rowStride) << 2), scratchF + ((<usize>srcStart + <usize>r * <usize>tw) << 2), <usize>runLen << 2);
      }
    }
  }
  lastStatus = OK;
  return -1;
}

/**
 * Decodes ntiles RICE_1 tiles whose bytes are [base, base + total); rev receives them reversed
 * (total bytes, scratch for fast big-endian loads). Descriptor k (8 i32 at desc + 32k): inOff, inLen, npix, tileWidth,
 * srcStart, runLen, nrows, dstOff. Tile k's bytes are [base + inOff, + inLen); its pixels j =
 * srcStart + r * tileWidth + x (r < nrows, x < runLen) go to element dstOff + r * rowStride + x of
 * out (stored as `kind`: 0 int32, 1 int16, 2 uint16 = int16 + 32768, 3 uint8). A tile whose copied
 * pixels are all of it, in one output run, is decoded in place; others go through scratch (npix
 * int32). Returns -1, or the index of the first tile that fails (its status in riceLastStatus()).
 */
export function riceDecodeTiles(
  base: usize,
  total: i32,
  rev: usize,
  desc: usize,
  ntiles: i32,
  bytepix: i32,
  blockSize: i32,
  scratch: usize,
  out: usize,
  rowStride: i32,
  kind: i32,
): i32 {
  const esize: usize = kind == OUT_I32 ? 4 : kind == OUT_U8 ? 1 : 2;
  reverseBytes(base, rev, total);
  for (let k = 0; k < ntiles; k++) {
    const d = desc + (<usize>k << 5);
    const inOff = load<i32>(d);
    const inLen = load<i32>(d, 4);
    const npix = load<i32>(d, 8);
    const tw = load<i32>(d, 12);
    const srcStart = load<i32>(d, 16);
    const runLen = load<i32>(d, 20);
    const nrows = load<i32>(d, 24);
    const dstOff = load<i32>(d, 28);
    const inp = base + <usize>inOff;
    const trev = rev + <usize>(total - 8 - inOff);
    let st: i32;
    if (srcStart == 0 && runLen == tw && <i64>nrows * <i64>tw == <i64>npix && (nrows == 1 || rowStride == tw)) {
      st = decodeKind(kind, inp, trev, inLen, out + <usize>dstOff * esize, npix, bytepix, blockSize);
    } else {
      st = decodeOne<i32>(inp, trev, inLen, scratch, npix, bytepix, blockSize, 0);
      if (st == OK) {
        for (let r = 0; r < nrows; r++) {
          const s = scratch + ((<usize>srcStart + <usize>r * <usize>tw) << 2);
          const o = <usize>dstOff + <usize>r * <usize>rowStride;
          if (kind == OUT_U16) for (let x = 0; x < runLen; x++) put<u16>(out, <i32>o + x, load<i32>(s + (<usize>x << 2)), 0x8000);
          else if (kind == OUT_I16) for (let x = 0; x < runLen; x++) put<i16>(out, <i32>o + x, load<i32>(s + (<usize>x << 2)), 0);
          else if (kind == OUT_U8) for (let x = 0; x < runLen; x++) put<u8>(out, <i32>o + x, load<i32>(s + (<usize>x << 2)), 0);
          else memory.copy(out + (o << 2), s, <usize>runLen << 2);
        }
      }
    }
    if (st != OK) {
      lastStatus = st;
      return k;
    }
  }
  lastStatus = OK;
  return -1;
}

// ---------------------------------------------------------------- encoder

/** Input kinds of riceEncodeTiles and how a value becomes the stored integer (as fpack/afw do). */
const IN_I32: i32 = 0; // int32 as is
const IN_I16: i32 = 1; // int16 as is
const IN_U16: i32 = 2; // uint16 - 32768
const IN_U8: i32 = 3; // uint8 as is
const IN_I8: i32 = 4; // int8 + 128
const IN_U32: i32 = 5; // uint32 - 2^31

// Bit writer of the encoder. Bytes are written into a reversed buffer: forward byte p is at
// rend - p (rend = the buffer's last byte), so a little-endian u64 store at rend - p - 7 writes the
// big-endian bytes p..p+7, with no byte swap. Pending bits are the low nacc bits of acc; after a
// flush nacc < 8 (the whole bytes are stored, the partial one is stored again by the next flush).

// @ts-ignore: decorator
@inline function flushBits(rend: usize, pos: usize, acc: u64, nacc: i32): void {
  store<u64>(rend - pos - 7, (acc << <u64>(63 - nacc)) << 1);
}

/**
 * Encodes one tile of npix int32 values at vals, byte for byte as cfitsio's fits_rcomp*
 * (blockSize <= 2^21, so the block sums are exact); dbuf holds blockSize int32. The bytes go to
 * forward positions start.. of the reversed buffer ending at rend. Returns the byte count.
 */
function encodeOne(vals: usize, npix: i32, bytepix: i32, blockSize: i32, dbuf: usize, rend: usize, start: usize): i32 {
  if (npix <= 0) return 0;
  let fsbits: i32;
  let fsmax: i32;
  if (bytepix == 4) {
    fsbits = 5;
    fsmax = 25;
  } else if (bytepix == 2) {
    fsbits = 4;
    fsmax = 14;
  } else {
    fsbits = 3;
    fsmax = 6;
  }
  const bbits = bytepix << 3;
  const sh = 32 - bbits;
  let pos: usize = start;
  const first = load<i32>(vals);
  for (let k = bytepix - 1; k >= 0; k--) store<u8>(rend - pos++, <u8>(first >>> (k << 3)));
  let acc: u64 = 0;
  let nacc: i32 = 0;
  let lastpix = first;
  for (let i = 0; i < npix; i += blockSize) {
    const left = npix - i;
    const thisblock = blockSize < left ? blockSize : left;
    // Mapped differences d[j] of the block and their sum (first one scalar, then 4 at a time
    // against the previous pixel, which is in vals from j = 1 on).
    const src = vals + (<usize>i << 2);
    const d0 = ((load<i32>(src) - lastpix) << sh) >> sh;
    const m0 = (d0 << 1) ^ (d0 >> 31);
    store<i32>(dbuf, m0);
    let pixelsum: u64 = (<u64>m0) & 0xffffffff;
    let vmax: u32 = <u32>m0;
    let j = 1;
    let acc2 = i64x2.splat(0);
    let max4 = i32x4.splat(0);
    for (; j + 4 <= thisblock; j += 4) {
      const p = src + (<usize>j << 2);
      let dv = i32x4.sub(v128.load(p), v128.load(p - 4));
      dv = i32x4.shr_s(i32x4.shl(dv, sh), sh);
      dv = v128.xor(i32x4.shl(dv, 1), i32x4.shr_s(dv, 31));
      v128.store(dbuf + (<usize>j << 2), dv);
      acc2 = i64x2.add(acc2, i64x2.add(i64x2.extend_low_i32x4_u(dv), i64x2.extend_high_i32x4_u(dv)));
      max4 = i32x4.max_u(max4, dv);
    }
    pixelsum += <u64>i64x2.extract_lane(acc2, 0) + <u64>i64x2.extract_lane(acc2, 1);
    max4 = i32x4.max_u(max4, i32x4.shuffle(max4, max4, 2, 3, 0, 1));
    max4 = i32x4.max_u(max4, i32x4.shuffle(max4, max4, 1, 0, 3, 2));
    const m4 = <u32>i32x4.extract_lane(max4, 0);
    if (m4 > vmax) vmax = m4;
    for (; j < thisblock; j++) {
      const p = src + (<usize>j << 2);
      const pdiff = ((load<i32>(p) - load<i32>(p - 4)) << sh) >> sh;
      const d = (pdiff << 1) ^ (pdiff >> 31);
      store<i32>(dbuf + (<usize>j << 2), d);
      pixelsum += (<u64>d) & 0xffffffff;
      if (<u32>d > vmax) vmax = <u32>d;
    }
    lastpix = load<i32>(src + (<usize>(thisblock - 1) << 2));
    let dpsum = <f64>(<i64>pixelsum - <i64>(thisblock >>> 1) - 1) / <f64>thisblock;
    if (dpsum < 0) dpsum = 0;
    const psum = (<u32><u64>dpsum) >>> 1;
    const fs = 32 - <i32>clz<u32>(psum);
    if (fs >= fsmax) {
      // high-entropy block: FS code fsmax+1, then the mapped differences raw
      acc = (acc << <u64>fsbits) | <u64>(fsmax + 1);
      nacc += fsbits;
      flushBits(rend, pos, acc, nacc);
      pos += <usize>(nacc >> 3);
      nacc &= 7;
      for (let j = 0; j < thisblock; j++) {
        acc = (acc << <u64>bbits) | <u64>load<u32>(dbuf + (<usize>j << 2));
        nacc += bbits;
        flushBits(rend, pos, acc, nacc);
        pos += <usize>(nacc >> 3);
        nacc &= 7;
      }
    } else if (fs == 0 && pixelsum == 0) {
      // low-entropy block: FS code 0
      acc <<= <u64>fsbits;
      nacc += fsbits;
      flushBits(rend, pos, acc, nacc);
      pos += <usize>(nacc >> 3);
      nacc &= 7;
    } else {
      acc = (acc << <u64>fsbits) | <u64>(fs + 1);
      nacc += fsbits;
      flushBits(rend, pos, acc, nacc);
      pos += <usize>(nacc >> 3);
      nacc &= 7;
      const fsmask: u32 = (<u32>1 << <u32>fs) - 1;
      const longTop: u32 = <u32>(55 - fs);
      let j = 0;
      const maxCode = (vmax >>> <u32>fs) + 1 + <u32>fs;
      if (maxCode <= 14) {
        // every code of the block has at most 14 bits: four codes per flush
        for (; j + 4 <= thisblock; j += 4) {
          const p = dbuf + (<usize>j << 2);
          const v0 = load<u32>(p);
          const v1 = load<u32>(p, 4);
          const v2 = load<u32>(p, 8);
          const v3 = load<u32>(p, 12);
          const t0 = v0 >>> <u32>fs;
          const t1 = v1 >>> <u32>fs;
          const t2 = v2 >>> <u32>fs;
          const t3 = v3 >>> <u32>fs;
          acc = (((acc << <u64>(t0 + 1)) | 1) << <u64>fs) | <u64>(v0 & fsmask);
          acc = (((acc << <u64>(t1 + 1)) | 1) << <u64>fs) | <u64>(v1 & fsmask);
          acc = (((acc << <u64>(t2 + 1)) | 1) << <u64>fs) | <u64>(v2 & fsmask);
          acc = (((acc << <u64>(t3 + 1)) | 1) << <u64>fs) | <u64>(v3 & fsmask);
          nacc += <i32>(t0 + t1 + t2 + t3) + 4 + 4 * fs;
          flushBits(rend, pos, acc, nacc);
          pos += <usize>(nacc >> 3);
          nacc &= 7;
        }
      }
      if (maxCode <= 28) {
        // every code of the block has at most 28 bits: two codes per flush
        for (; j + 2 <= thisblock; j += 2) {
          const p = dbuf + (<usize>j << 2);
          const v0 = load<u32>(p);
          const v1 = load<u32>(p, 4);
          const t0 = v0 >>> <u32>fs;
          const t1 = v1 >>> <u32>fs;
          acc = (((acc << <u64>(t0 + 1)) | 1) << <u64>fs) | <u64>(v0 & fsmask);
          acc = (((acc << <u64>(t1 + 1)) | 1) << <u64>fs) | <u64>(v1 & fsmask);
          nacc += <i32>(t0 + t1) + 2 + 2 * fs;
          flushBits(rend, pos, acc, nacc);
          pos += <usize>(nacc >> 3);
          nacc &= 7;
        }
      }
      for (; j < thisblock; j++) {
        const v = load<u32>(dbuf + (<usize>j << 2));
        let top = v >>> <u32>fs;
        if (top <= longTop) {
          // top zeros, a one, the low fs bits: at most 56 bits on top of < 8 pending
          acc = (((acc << <u64>(top + 1)) | 1) << <u64>fs) | <u64>(v & fsmask);
          nacc += <i32>top + 1 + fs;
        } else {
          while (top >= 32) {
            acc <<= 32;
            nacc += 32;
            flushBits(rend, pos, acc, nacc);
            pos += <usize>(nacc >> 3);
            nacc &= 7;
            top -= 32;
          }
          acc = (acc << <u64>(top + 1)) | 1;
          nacc += <i32>top + 1;
          flushBits(rend, pos, acc, nacc);
          pos += <usize>(nacc >> 3);
          nacc &= 7;
          acc = (acc << <u64>fs) | <u64>(v & fsmask);
          nacc += fs;
        }
        flushBits(rend, pos, acc, nacc);
        pos += <usize>(nacc >> 3);
        nacc &= 7;
      }
    }
  }
  if (nacc > 0) store<u8>(rend - pos++, <u8>(acc << <u64>(8 - nacc)));
  return <i32>(pos - start);
}

/**
 * Encodes ntiles tiles. Descriptor k (4 i32 at desc + 16k): srcOff (element index into src),
 * tileWidth, nrows, and (written back) the tile's compressed byte count. Tile k's pixels are rows
 * r < nrows of tileWidth elements at src + srcOff + r * rowStride, of type `kind` (0 int32, 1 int16,
 * 2 uint16, 3 uint8, 4 int8, 5 uint32), converted to the stored integers; vals holds the largest
 * tile as int32, dbuf blockSize int32. The tiles' bytes are written one after another to out;
 * rbuf (outSize + 16 bytes) is the writer's scratch, and out has outSize bytes, which the caller
 * sizes for the worst case. Returns the total byte count.
 */
export function riceEncodeTiles(
  src: usize,
  kind: i32,
  rowStride: i32,
  desc: usize,
  ntiles: i32,
  bytepix: i32,
  blockSize: i32,
  vals: usize,
  dbuf: usize,
  rbuf: usize,
  out: usize,
  outSize: i32,
): i32 {
  let pos: usize = 0;
  const rend = rbuf + <usize>outSize + 15;
  for (let k = 0; k < ntiles; k++) {
    const d = desc + (<usize>k << 4);
    const srcOff = <usize>load<i32>(d);
    const tw = load<i32>(d, 4);
    const nrows = load<i32>(d, 8);
    let n: usize = 0;
    for (let r = 0; r < nrows; r++) {
      const row = srcOff + <usize>r * <usize>rowStride;
      const dst = vals + (n << 2);
      if (kind == IN_U16) {
        const p = src + (row << 1);
        const bias = i32x4.splat(32768);
        let x = 0;
        for (; x + 8 <= tw; x += 8) {
          const v = v128.load(p + (<usize>x << 1));
          v128.store(dst + (<usize>x << 2), i32x4.sub(i32x4.extend_low_i16x8_u(v), bias));
          v128.store(dst + (<usize>x << 2), i32x4.sub(i32x4.extend_high_i16x8_u(v), bias), 16);
        }
        for (; x < tw; x++) store<i32>(dst + (<usize>x << 2), <i32>load<u16>(p + (<usize>x << 1)) - 32768);
      } else if (kind == IN_I16) {
        const p = src + (row << 1);
        let x = 0;
        for (; x + 8 <= tw; x += 8) {
          const v = v128.load(p + (<usize>x << 1));
          v128.store(dst + (<usize>x << 2), i32x4.extend_low_i16x8_s(v));
          v128.store(dst + (<usize>x << 2), i32x4.extend_high_i16x8_s(v), 16);
        }
        for (; x < tw; x++) store<i32>(dst + (<usize>x << 2), <i32>load<i16>(p + (<usize>x << 1)));
      } else if (kind == IN_U8) {
        const p = src + row;
        for (let x = 0; x < tw; x++) store<i32>(dst + (<usize>x << 2), <i32>load<u8>(p + <usize>x));
      } else if (kind == IN_I8) {
        const p = src + row;
        for (let x = 0; x < tw; x++) store<i32>(dst + (<usize>x << 2), <i32>load<i8>(p + <usize>x) + 128);
      } else if (kind == IN_U32) {
        const p = src + (row << 2);
        for (let x = 0; x < tw; x++) store<i32>(dst + (<usize>x << 2), load<i32>(p + (<usize>x << 2)) ^ 0x80000000);
      } else {
        memory.copy(dst, src + (row << 2), <usize>tw << 2);
      }
      n += <usize>tw;
    }
    const len = encodeOne(vals, <i32>n, bytepix, blockSize, dbuf, rend, pos);
    store<i32>(d, len, 12);
    pos += <usize>len;
  }
  // forward bytes 0..pos-1 are rbuf[rend - 0 .. rend - pos + 1]
  reverseBytes(rend - pos + 1, out, <i32>pos);
  return <i32>pos;
}
