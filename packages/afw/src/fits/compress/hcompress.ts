/**
 * HCOMPRESS_1 tile codec (FITS standard 4.0 §10.4.5; R. White's H-transform coder as in cfitsio's
 * fits_hcompress.c / fits_hdecompress.c).
 *
 * Stream layout: magic 0xDD 0x99; int32 BE number of rows (the slow axis, FITS NAXIS2 of the
 * tile) and of columns (the fast axis); int32 BE scale; int64 BE sum (the H-transform's first
 * coefficient); 3 bytes with the number of bit planes of the three quadrant classes; the four
 * quadrants' bit planes, each either quadtree coded (nybble 0xF, then Huffman-coded 4-bit codes
 * from the coarsest level down) or written directly (nybble 0, then the 2x2 codes as nybbles); an
 * end nybble 0; then, byte aligned, one sign bit per non-zero coefficient.
 *
 * Arithmetic: cfitsio uses 32-bit integers for 8/16-bit images and 64-bit integers for 32-bit
 * images. This implementation works in float64 with only exact operations (sums, differences,
 * floor divisions by powers of two), which equals the 64-bit path for every coefficient below
 * 2^53 in magnitude — always the case for 32-bit pixels in tiles up to 2^20 pixels on a side.
 */
import { CodecError } from "./errors.js";

/** Result of {@link hcompressDecode}. */
export interface HcompressDecoded {
  /** Number of columns (fast axis; ZTILE1 of a 2-D tile). */
  nx: number;
  /** Number of rows (slow axis; ZTILE2). */
  ny: number;
  /** Scale factor stored in the stream (0 or 1 = lossless). */
  scale: number;
  /** The pixels, row-major (nx per row), as the int32 values cfitsio returns. */
  values: Int32Array;
}

/**
 * Test hook (not exported from the package): force the float64 inverse transform even when the
 * int32 one is safe, so that tests can check that both give the same pixels.
 * @internal
 */
export const hcompressInternals = { forceFloat64: false };

/** Default limit on the number of pixels a stream may declare when no expected size is given. */
const DEFAULT_MAX_PIXELS = 1 << 26;

/** Smallest k with 2^k >= n (0 for n <= 1); cfitsio's "log2n rounded up". */
function ceilLog2(n: number): number {
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Bit input over the compressed bytes; every byte fetch is bounds checked. */
class BitReader {
  readonly data: Uint8Array;
  pos: number;
  buf = 0;
  nbits = 0; // number of valid (unread) low bits in buf

  constructor(data: Uint8Array, pos: number) {
    this.data = data;
    this.pos = pos;
  }

  nextByte(): number {
    if (this.pos >= this.data.length) {
      throw new CodecError("TRUNCATED", `HCOMPRESS: stream ended after ${this.data.length} bytes`);
    }
    return this.data[this.pos++]!;
  }

  /** Read n <= 8 bits. */
  bits(n: number): number {
    if (this.nbits < n) {
      this.buf = ((this.buf << 8) | this.nextByte()) & 0xffff;
      this.nbits += 8;
    }
    this.nbits -= n;
    return (this.buf >>> this.nbits) & ((1 << n) - 1);
  }

  /** Read one Huffman-coded 4-bit quadtree code. */
  huffman(): number {
    if (this.nbits < 6) {
      // top up so that at least 6 bits are buffered (possibly fewer at the end of the stream)
      if (this.pos < this.data.length) {
        this.buf = ((this.buf << 8) | this.data[this.pos++]!) & 0xffff;
        this.nbits += 8;
      }
    }
    if (this.nbits >= 6) {
      const e = HUFF_DECODE[(this.buf >>> (this.nbits - 6)) & 63]!;
      this.nbits -= e >>> 4;
      return e & 15;
    }
    // fewer than 6 bits left in the whole stream: decode bit by bit
    let c = this.bits(3);
    if (c < 4) return 1 << c;
    c = (c << 1) | this.bits(1);
    if (c < 13) return HUFF4[c - 8]!;
    c = (c << 1) | this.bits(1);
    if (c < 31) return HUFF5[c - 26]!;
    c = (c << 1) | this.bits(1);
    return c === 62 ? 0 : 14;
  }

  /** Drop buffered bits (cfitsio's start_inputing_bits): continue at the next whole byte. */
  align(): void {
    this.nbits = 0;
    this.buf = 0;
  }
}

/** Huffman code (value, length) for each 4-bit quadtree code. */
const HUFF_CODE = [0x3e, 0x00, 0x01, 0x08, 0x02, 0x09, 0x1a, 0x1b, 0x03, 0x1c, 0x0a, 0x1d, 0x0b, 0x1e, 0x3f, 0x0c];
const HUFF_LEN = [6, 3, 3, 4, 3, 4, 5, 5, 3, 5, 4, 5, 4, 5, 6, 4];
const HUFF4 = [3, 5, 10, 12, 15];
const HUFF5 = [6, 7, 9, 11, 13];
/** 6-bit lookahead table: (code length << 4) | value. */
const HUFF_DECODE = (() => {
  const t = new Uint8Array(64);
  for (let v = 0; v < 16; v++) {
    const len = HUFF_LEN[v]!;
    const base = HUFF_CODE[v]! << (6 - len);
    for (let k = 0; k < 1 << (6 - len); k++) t[base + k] = (len << 4) | v;
  }
  return t;
})();

/**
 * Expand the 4-bit codes of the previous quadtree level (at the start of `s`, dimensions
 * ceil(nx/2) x ceil(ny/2)) into nx x ny one-bit flags, then read a new code for every set flag,
 * last element first (cfitsio's qtree_expand / qtree_copy).
 */
function qtreeExpand(r: BitReader, s: Uint8Array, nx: number, ny: number): void {
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  if (nx * ny > s.length) throw new CodecError("CORRUPT", "HCOMPRESS: inconsistent quadtree size");
  // place a[i,j] at b[2i,2j], backwards because a and b share storage
  let k = ny2 * (nx2 - 1) + ny2 - 1;
  for (let i = nx2 - 1; i >= 0; i--) {
    let s00 = 2 * (ny * i + ny2 - 1);
    for (let j = ny2 - 1; j >= 0; j--) {
      s[s00] = s[k]!;
      k--;
      s00 -= 2;
    }
  }
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = ny * i;
    let s10 = s00 + ny;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const c = s[s00]!;
      s[s10 + 1] = c & 1;
      s[s10] = (c >> 1) & 1;
      s[s00 + 1] = (c >> 2) & 1;
      s[s00] = (c >> 3) & 1;
      s00 += 2;
      s10 += 2;
    }
    if (j < ny) {
      const c = s[s00]!;
      s[s10] = (c >> 1) & 1;
      s[s00] = (c >> 3) & 1;
    }
  }
  if (i < nx) {
    let s00 = ny * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const c = s[s00]!;
      s[s00 + 1] = (c >> 2) & 1;
      s[s00] = (c >> 3) & 1;
      s00 += 2;
    }
    if (j < ny) s[s00] = (s[s00]! >> 3) & 1;
  }
  for (let m = nx * ny - 1; m >= 0; m--) {
    if (s[m] !== 0) s[m] = r.huffman();
  }
}

/**
 * Insert the 2x2 codes in `s` (ceil(nqx/2) x ceil(nqy/2)) into bit plane `bit` of the quadrant
 * of `a` that starts at `off` (row stride n) — cfitsio's qtree_bitins.
 */
function qtreeBitins(s: Uint8Array, nqx: number, nqy: number, a: Float64Array, off: number, n: number, bit: number): void {
  const pv = 2 ** bit;
  let k = 0;
  let i = 0;
  for (; i < nqx - 1; i += 2) {
    let s00 = off + n * i;
    let j = 0;
    for (; j < nqy - 1; j += 2) {
      const c = s[k++]!;
      if (c !== 0) {
        if (c & 8) a[s00] = a[s00]! + pv;
        if (c & 4) a[s00 + 1] = a[s00 + 1]! + pv;
        if (c & 2) a[s00 + n] = a[s00 + n]! + pv;
        if (c & 1) a[s00 + n + 1] = a[s00 + n + 1]! + pv;
      }
      s00 += 2;
    }
    if (j < nqy) {
      const c = s[k++]!;
      if (c & 8) a[s00] = a[s00]! + pv;
      if (c & 2) a[s00 + n] = a[s00 + n]! + pv;
    }
  }
  if (i < nqx) {
    let s00 = off + n * i;
    let j = 0;
    for (; j < nqy - 1; j += 2) {
      const c = s[k++]!;
      if (c & 8) a[s00] = a[s00]! + pv;
      if (c & 4) a[s00 + 1] = a[s00 + 1]! + pv;
      s00 += 2;
    }
    if (j < nqy) {
      const c = s[k++]!;
      if (c & 8) a[s00] = a[s00]! + pv;
    }
  }
}

/** Decode the bit planes of one quadrant (nqx rows x nqy columns at `off`, row stride n). */
function qtreeDecode(
  r: BitReader,
  a: Float64Array,
  off: number,
  n: number,
  nqx: number,
  nqy: number,
  nbitplanes: number,
  s: Uint8Array,
): void {
  const log2n = ceilLog2(Math.max(nqx, nqy));
  const ncodes = ((nqx + 1) >> 1) * ((nqy + 1) >> 1);
  for (let bit = nbitplanes - 1; bit >= 0; bit--) {
    const b = r.bits(4);
    if (b === 0) {
      // bit plane written directly, 4 bits (one 2x2 block) per nybble
      for (let m = 0; m < ncodes; m++) s[m] = r.bits(4);
      qtreeBitins(s, nqx, nqy, a, off, n, bit);
    } else if (b !== 0xf) {
      throw new CodecError("CORRUPT", `HCOMPRESS: bad bit-plane format code ${b}`);
    } else {
      s[0] = r.huffman();
      let nx = 1;
      let ny = 1;
      let nfx = nqx;
      let nfy = nqy;
      let c = 2 ** log2n;
      for (let k = 1; k < log2n; k++) {
        c /= 2;
        nx *= 2;
        ny *= 2;
        if (nfx <= c) nx -= 1;
        else nfx -= c;
        if (nfy <= c) ny -= 1;
        else nfy -= c;
        qtreeExpand(r, s, nx, ny);
      }
      qtreeBitins(s, nqx, nqy, a, off, n, bit);
    }
  }
}

/** Inverse of the shuffle: first half to even positions, second half to odd ones. */
function unshuffle(a: Float64Array, off: number, n: number, stride: number, tmp: Float64Array): void {
  const nhalf = (n + 1) >> 1;
  let t = 0;
  for (let i = nhalf, p = off + stride * nhalf; i < n; i++, p += stride) tmp[t++] = a[p]!;
  for (let i = nhalf - 1; i >= 0; i--) a[off + 2 * i * stride] = a[off + i * stride]!;
  t = 0;
  for (let i = 1, p = off + stride; i < n; i += 2, p += 2 * stride) a[p] = tmp[t++]!;
}

/** cfitsio's hsmooth: interpolate coefficients, changes limited to +-scale/2. */
function hsmooth(a: Float64Array, nxtop: number, nytop: number, ny: number, scale: number): void {
  const smax = scale >> 1;
  if (smax <= 0) return;
  const ny2 = ny * 2;
  // x differences hx
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i;
    let s10 = s00 + ny;
    for (let j = 0; j < nytop; j += 2) {
      const hm = a[s00 - ny2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + ny2]!;
      let diff = hp - hm;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        let s = Math.trunc((diff - a[s10]! * 8) / 8);
        s = Math.max(Math.min(s, smax), -smax);
        a[s10] = a[s10]! + s;
      }
      s00 += 2;
      s10 += 2;
    }
  }
  // y differences hy
  for (let i = 0; i < nxtop; i += 2) {
    let s00 = ny * i + 2;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hm = a[s00 - 2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + 2]!;
      let diff = hp - hm;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        let s = Math.trunc((diff - a[s00 + 1]! * 8) / 8);
        s = Math.max(Math.min(s, smax), -smax);
        a[s00 + 1] = a[s00 + 1]! + s;
      }
      s00 += 2;
    }
  }
  // curvature hc
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i + 2;
    let s10 = s00 + ny;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hmm = a[s00 - ny2 - 2]!;
      const hpm = a[s00 + ny2 - 2]!;
      const hmp = a[s00 - ny2 + 2]!;
      const hpp = a[s00 + ny2 + 2]!;
      const h0 = a[s00]!;
      let diff = hpp + hmm - hmp - hpm;
      const hx2 = a[s10]! * 2;
      const hy2 = a[s00 + 1]! * 2;
      let m1 = Math.min(Math.max(hpp - h0, 0) - hx2 - hy2, Math.max(h0 - hpm, 0) + hx2 - hy2);
      let m2 = Math.min(Math.max(h0 - hmp, 0) - hx2 + hy2, Math.max(hmm - h0, 0) + hx2 + hy2);
      const dmax = Math.min(m1, m2) * 16;
      m1 = Math.max(Math.min(hpp - h0, 0) - hx2 - hy2, Math.min(h0 - hpm, 0) + hx2 - hy2);
      m2 = Math.max(Math.min(h0 - hmp, 0) - hx2 + hy2, Math.min(hmm - h0, 0) + hx2 + hy2);
      const dmin = Math.max(m1, m2) * 16;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        let s = Math.trunc((diff - a[s10 + 1]! * 64) / 64);
        s = Math.max(Math.min(s, smax), -smax);
        a[s10 + 1] = a[s10 + 1]! + s;
      }
      s00 += 2;
      s10 += 2;
    }
  }
}

/** Inverse H-transform in place (nx rows, ny columns; cfitsio's hinv64). */
function hinv(a: Float64Array, nx: number, ny: number, smooth: boolean, scale: number): void {
  const nmax = Math.max(nx, ny);
  const log2n = ceilLog2(nmax);
  // A 1x1 image has no transform. (cfitsio's hinv shifts by -1 here, which rounds the value away.)
  if (log2n === 0) return;
  const tmp = new Float64Array((nmax + 1) >> 1);
  let bit0 = 2 ** (log2n - 1);
  let bit1 = 2 * bit0;
  const bit2 = 4 * bit0;
  let prnd0 = Math.floor(bit0 / 2);
  let prnd1 = bit0;
  const prnd2 = 2 * bit0;
  let nrnd0 = prnd0 - 1;
  let nrnd1 = prnd1 - 1;
  const nrnd2 = prnd2 - 1;
  const a0 = a[0]!;
  a[0] = Math.floor((a0 + (a0 >= 0 ? prnd2 : nrnd2)) / bit2) * bit2;
  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 2 ** log2n;
  for (let k = log2n - 1; k >= 0; k--) {
    c /= 2;
    nxtop *= 2;
    nytop *= 2;
    if (nxf <= c) nxtop -= 1;
    else nxf -= c;
    if (nyf <= c) nytop -= 1;
    else nyf -= c;
    let invdiv = 0.5;
    if (k === 0) {
      nrnd0 = 0;
      invdiv = 0.25;
    }
    for (let i = 0; i < nxtop; i++) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle(a, j, nxtop, ny, tmp);
    if (smooth) hsmooth(a, nxtop, nytop, ny, scale);
    const oddx = nxtop % 2;
    const oddy = nytop % 2;
    const inv0 = 1 / bit0;
    const inv1 = 1 / bit1;
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = ny * i;
      let s10 = s00 + ny;
      for (let j = 0; j < nytop - oddy; j += 2) {
        let h0 = a[s00]!;
        let hx = a[s10]!;
        let hy = a[s00 + 1]!;
        let hc = a[s10 + 1]!;
        // round hx, hy to multiples of bit1 and hc to a multiple of bit0
        hx = Math.floor((hx + (hx >= 0 ? prnd1 : nrnd1)) * inv1) * bit1;
        hy = Math.floor((hy + (hy >= 0 ? prnd1 : nrnd1)) * inv1) * bit1;
        hc = Math.floor((hc + (hc >= 0 ? prnd0 : nrnd0)) * inv0) * bit0;
        // propagate bit0 of hc to hx, hy
        const lowbit0 = ((hc * inv0) | 0) & 1 ? bit0 : 0;
        hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
        hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
        // propagate bits 0 and 1 of hc, hx, hy to h0
        // (x | 0) keeps the parity of any integer-valued double (ToInt32 is x mod 2^32)
        const p = (Math.floor(hc * inv1) ^ Math.floor(hx * inv1) ^ Math.floor(hy * inv1)) & 1;
        const lowbit1 = p !== 0 ? bit1 : 0;
        h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
        a[s10 + 1] = Math.floor((h0 + hx + hy + hc) * invdiv);
        a[s10] = Math.floor((h0 + hx - hy - hc) * invdiv);
        a[s00 + 1] = Math.floor((h0 - hx + hy - hc) * invdiv);
        a[s00] = Math.floor((h0 - hx - hy + hc) * invdiv);
        s00 += 2;
        s10 += 2;
      }
      if (oddy) {
        let h0 = a[s00]!;
        let hx = a[s10]!;
        hx = Math.floor((hx + (hx >= 0 ? prnd1 : nrnd1)) * inv1) * bit1;
        const lowbit1 = ((hx * inv1) | 0) & 1 ? bit1 : 0;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = Math.floor((h0 + hx) * invdiv);
        a[s00] = Math.floor((h0 - hx) * invdiv);
      }
    }
    if (oddx) {
      let s00 = ny * i;
      for (let j = 0; j < nytop - oddy; j += 2) {
        let h0 = a[s00]!;
        let hy = a[s00 + 1]!;
        hy = Math.floor((hy + (hy >= 0 ? prnd1 : nrnd1)) * inv1) * bit1;
        const lowbit1 = ((hy * inv1) | 0) & 1 ? bit1 : 0;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = Math.floor((h0 + hy) * invdiv);
        a[s00] = Math.floor((h0 - hy) * invdiv);
        s00 += 2;
      }
      if (oddy) a[s00] = Math.floor(a[s00]! * invdiv);
    }
    bit1 = bit0;
    bit0 = Math.floor(bit0 / 2);
    prnd1 = prnd0;
    prnd0 = Math.floor(prnd0 / 2);
    nrnd1 = nrnd0;
    nrnd0 = prnd0 - 1;
  }
}

// Int32 variants of the inverse transform (cfitsio's 32-bit hinv/hsmooth), used when every
// intermediate value provably fits in 32 bits; same results as the float64 versions, faster.

function unshuffle32(a: Int32Array, off: number, n: number, stride: number, tmp: Int32Array): void {
  const nhalf = (n + 1) >> 1;
  let t = 0;
  for (let i = nhalf, p = off + stride * nhalf; i < n; i++, p += stride) tmp[t++] = a[p]!;
  for (let i = nhalf - 1; i >= 0; i--) a[off + 2 * i * stride] = a[off + i * stride]!;
  t = 0;
  for (let i = 1, p = off + stride; i < n; i += 2, p += 2 * stride) a[p] = tmp[t++]!;
}

function hsmooth32(a: Int32Array, nxtop: number, nytop: number, ny: number, scale: number): void {
  const smax = scale >> 1;
  if (smax <= 0) return;
  const ny2 = ny << 1;
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i;
    let s10 = s00 + ny;
    for (let j = 0; j < nytop; j += 2) {
      const hm = a[s00 - ny2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + ny2]!;
      let diff = hp - hm;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) << 2;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) << 2;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        let s = diff - (a[s10]! << 3);
        s = s >= 0 ? s >> 3 : (s + 7) >> 3;
        s = Math.max(Math.min(s, smax), -smax);
        a[s10] = a[s10]! + s;
      }
      s00 += 2;
      s10 += 2;
    }
  }
  for (let i = 0; i < nxtop; i += 2) {
    let s00 = ny * i + 2;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hm = a[s00 - 2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + 2]!;
      let diff = hp - hm;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) << 2;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) << 2;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        let s = diff - (a[s00 + 1]! << 3);
        s = s >= 0 ? s >> 3 : (s + 7) >> 3;
        s = Math.max(Math.min(s, smax), -smax);
        a[s00 + 1] = a[s00 + 1]! + s;
      }
      s00 += 2;
    }
  }
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i + 2;
    let s10 = s00 + ny;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hmm = a[s00 - ny2 - 2]!;
      const hpm = a[s00 + ny2 - 2]!;
      const hmp = a[s00 - ny2 + 2]!;
      const hpp = a[s00 + ny2 + 2]!;
      const h0 = a[s00]!;
      let diff = hpp + hmm - hmp - hpm;
      const hx2 = a[s10]! << 1;
      const hy2 = a[s00 + 1]! << 1;
      let m1 = Math.min(Math.max(hpp - h0, 0) - hx2 - hy2, Math.max(h0 - hpm, 0) + hx2 - hy2);
      let m2 = Math.min(Math.max(h0 - hmp, 0) - hx2 + hy2, Math.max(hmm - h0, 0) + hx2 + hy2);
      const dmax = Math.min(m1, m2) << 4;
      m1 = Math.max(Math.min(hpp - h0, 0) - hx2 - hy2, Math.min(h0 - hpm, 0) + hx2 - hy2);
      m2 = Math.max(Math.min(h0 - hmp, 0) - hx2 + hy2, Math.min(hmm - h0, 0) + hx2 + hy2);
      const dmin = Math.max(m1, m2) << 4;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        let s = diff - (a[s10 + 1]! << 6);
        s = s >= 0 ? s >> 6 : (s + 63) >> 6;
        s = Math.max(Math.min(s, smax), -smax);
        a[s10 + 1] = a[s10 + 1]! + s;
      }
      s00 += 2;
      s10 += 2;
    }
  }
}

function hinv32(a: Int32Array, nx: number, ny: number, smooth: boolean, scale: number): void {
  const nmax = Math.max(nx, ny);
  const log2n = ceilLog2(nmax);
  if (log2n === 0) return;
  const tmp = new Int32Array((nmax + 1) >> 1);
  let shift = 1;
  let bit0 = 1 << (log2n - 1);
  let bit1 = bit0 << 1;
  let mask0 = -bit0;
  let mask1 = mask0 << 1;
  const mask2 = mask0 << 2;
  let prnd0 = bit0 >> 1;
  let prnd1 = bit1 >> 1;
  const prnd2 = (bit0 << 2) >> 1;
  let nrnd0 = prnd0 - 1;
  let nrnd1 = prnd1 - 1;
  const nrnd2 = prnd2 - 1;
  a[0] = (a[0]! + (a[0]! >= 0 ? prnd2 : nrnd2)) & mask2;
  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 1 << log2n;
  for (let k = log2n - 1; k >= 0; k--) {
    c >>= 1;
    nxtop <<= 1;
    nytop <<= 1;
    if (nxf <= c) nxtop -= 1;
    else nxf -= c;
    if (nyf <= c) nytop -= 1;
    else nyf -= c;
    if (k === 0) {
      nrnd0 = 0;
      shift = 2;
    }
    for (let i = 0; i < nxtop; i++) unshuffle32(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle32(a, j, nxtop, ny, tmp);
    if (smooth) hsmooth32(a, nxtop, nytop, ny, scale);
    const oddx = nxtop % 2;
    const oddy = nytop % 2;
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = ny * i;
      let s10 = s00 + ny;
      for (let j = 0; j < nytop - oddy; j += 2) {
        let h0 = a[s00]!;
        let hx = a[s10]!;
        let hy = a[s00 + 1]!;
        let hc = a[s10 + 1]!;
        hx = (hx + (hx >= 0 ? prnd1 : nrnd1)) & mask1;
        hy = (hy + (hy >= 0 ? prnd1 : nrnd1)) & mask1;
        hc = (hc + (hc >= 0 ? prnd0 : nrnd0)) & mask0;
        const lowbit0 = hc & bit0;
        hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
        hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
        const lowbit1 = (hc ^ hx ^ hy) & bit1;
        h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
        a[s10 + 1] = (h0 + hx + hy + hc) >> shift;
        a[s10] = (h0 + hx - hy - hc) >> shift;
        a[s00 + 1] = (h0 - hx + hy - hc) >> shift;
        a[s00] = (h0 - hx - hy + hc) >> shift;
        s00 += 2;
        s10 += 2;
      }
      if (oddy) {
        let h0 = a[s00]!;
        let hx = a[s10]!;
        hx = (hx + (hx >= 0 ? prnd1 : nrnd1)) & mask1;
        const lowbit1 = hx & bit1;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = (h0 + hx) >> shift;
        a[s00] = (h0 - hx) >> shift;
      }
    }
    if (oddx) {
      let s00 = ny * i;
      for (let j = 0; j < nytop - oddy; j += 2) {
        let h0 = a[s00]!;
        let hy = a[s00 + 1]!;
        hy = (hy + (hy >= 0 ? prnd1 : nrnd1)) & mask1;
        const lowbit1 = hy & bit1;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = (h0 + hy) >> shift;
        a[s00] = (h0 - hy) >> shift;
        s00 += 2;
      }
      if (oddy) a[s00] = a[s00]! >> shift;
    }
    bit1 = bit0;
    bit0 >>= 1;
    mask1 = mask0;
    mask0 >>= 1;
    prnd1 = prnd0;
    prnd0 >>= 1;
    nrnd1 = nrnd0;
    nrnd0 = prnd0 - 1;
  }
}

/**
 * Decode one HCOMPRESS_1 tile.
 *
 * @param input the tile's bytes (one COMPRESSED_DATA row).
 * @param smooth apply cfitsio's smoothing during the inverse transform (ZVAL2 "SMOOTH" != 0);
 *   it only has an effect for lossy streams (scale > 1).
 * @param expected the tile's size (nx columns, ny rows) if known; the stream must declare exactly
 *   this size. Without it, streams declaring more than 2^26 pixels are refused.
 * @returns the size and scale found in the stream and the decoded int32 pixels (row-major).
 * @throws CodecError on a bad magic code, an impossible size, a bad bit-plane code, a truncated
 *   stream, or values beyond 2^53 (`UNSUPPORTED`).
 *
 * @example
 * ```ts
 * const { values } = hcompressDecode(tileBytes, false, { nx: 2048, ny: 16 });
 * ```
 */
export function hcompressDecode(input: Uint8Array, smooth: boolean, expected?: { nx: number; ny: number }): HcompressDecoded {
  if (input.length < 25) {
    throw new CodecError("TRUNCATED", `HCOMPRESS: tile has ${input.length} bytes, the header needs 25`);
  }
  if (input[0] !== 0xdd || input[1] !== 0x99) {
    throw new CodecError("CORRUPT", "HCOMPRESS: bad magic code (expected 0xDD 0x99)");
  }
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const rows = dv.getInt32(2);
  const cols = dv.getInt32(6);
  const scale = dv.getInt32(10);
  const sumHi = dv.getInt32(14);
  const sumLo = dv.getUint32(18);
  const nbitplanes = [input[22]!, input[23]!, input[24]!];
  if (rows < 1 || cols < 1) {
    throw new CodecError("CORRUPT", `HCOMPRESS: bad image size ${cols} x ${rows}`);
  }
  if (expected !== undefined) {
    if (cols !== expected.nx || rows !== expected.ny) {
      throw new CodecError(
        "CORRUPT",
        `HCOMPRESS: stream is ${cols} x ${rows} pixels, the tile is ${expected.nx} x ${expected.ny}`,
      );
    }
  } else if (rows * cols > DEFAULT_MAX_PIXELS) {
    throw new CodecError("UNSUPPORTED", `HCOMPRESS: stream declares ${cols} x ${rows} pixels`);
  }
  const sum = sumHi * 4294967296 + sumLo;
  if (!Number.isSafeInteger(sum)) {
    throw new CodecError("UNSUPPORTED", "HCOMPRESS: pixel sum beyond 2^53");
  }
  for (const nb of nbitplanes) {
    if (nb > 52) throw new CodecError("UNSUPPORTED", `HCOMPRESS: ${nb} bit planes (more than 52)`);
  }
  const nel = rows * cols;
  const a = new Float64Array(nel);
  const nx2 = (rows + 1) >> 1;
  const ny2 = (cols + 1) >> 1;
  const scratch = new Uint8Array(Math.max(1, (nx2 + 1) >> 1) * Math.max(1, (ny2 + 1) >> 1));
  const r = new BitReader(input, 25);
  qtreeDecode(r, a, 0, cols, nx2, ny2, nbitplanes[0]!, scratch);
  qtreeDecode(r, a, ny2, cols, nx2, cols >> 1, nbitplanes[1]!, scratch);
  qtreeDecode(r, a, cols * nx2, cols, rows >> 1, ny2, nbitplanes[1]!, scratch);
  qtreeDecode(r, a, cols * nx2 + ny2, cols, rows >> 1, cols >> 1, nbitplanes[2]!, scratch);
  if (r.bits(4) !== 0) throw new CodecError("CORRUPT", "HCOMPRESS: missing end-of-planes code");
  // sign bits, byte aligned, one per non-zero coefficient
  let pos = r.pos;
  const len = input.length;
  let byte = 0;
  let nb = 0;
  for (let i = 0; i < nel; i++) {
    if (a[i] !== 0) {
      if (nb === 0) {
        if (pos >= len) throw new CodecError("TRUNCATED", "HCOMPRESS: stream ended in the sign bits");
        byte = input[pos++]!;
        nb = 8;
      }
      nb--;
      if ((byte >> nb) & 1) a[i] = -a[i]!;
    }
  }
  a[0] = sum;
  if (scale > 1) {
    for (let i = 0; i < nel; i++) a[i] = a[i]! * scale;
  }
  // Bound B on the magnitude of the coefficients (plus rounding terms). Every intermediate value
  // of the inverse transform is below 8B, and below 256B with smoothing: if that fits in 32 bits,
  // use the int32 transform.
  const sc = Math.max(scale, 1);
  const maxPlanes = Math.max(nbitplanes[0]!, nbitplanes[1]!, nbitplanes[2]!);
  const bound = Math.max(Math.abs(sum) * sc, 2 ** maxPlanes * sc) + 2 ** (ceilLog2(Math.max(rows, cols)) + 3);
  if (!hcompressInternals.forceFloat64 && bound * (smooth ? 256 : 8) < 2147483648) {
    const values = new Int32Array(nel);
    for (let i = 0; i < nel; i++) values[i] = a[i]!;
    hinv32(values, rows, cols, smooth, scale);
    return { nx: cols, ny: rows, scale, values };
  }
  hinv(a, rows, cols, smooth, scale);
  const values = new Int32Array(nel);
  for (let i = 0; i < nel; i++) values[i] = a[i]!; // ToInt32, as cfitsio's (int) cast of the I*8 result
  return { nx: cols, ny: rows, scale, values };
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Reorder a line so that even elements come first, then odd ones (cfitsio's shuffle). */
function shuffle(a: Float64Array, off: number, n: number, stride: number, tmp: Float64Array): void {
  let t = 0;
  for (let i = 1, p = off + stride; i < n; i += 2, p += 2 * stride) tmp[t++] = a[p]!;
  let p1 = off + stride;
  for (let i = 2, p2 = off + 2 * stride; i < n; i += 2, p2 += 2 * stride) {
    a[p1] = a[p2]!;
    p1 += stride;
  }
  t = 0;
  for (let i = 1; i < n; i += 2) {
    a[p1] = tmp[t++]!;
    p1 += stride;
  }
}

/** Forward H-transform in place (nx rows, ny columns; cfitsio's htrans/htrans64). */
function htrans(a: Float64Array, nx: number, ny: number): void {
  const nmax = Math.max(nx, ny);
  const log2n = ceilLog2(nmax);
  const tmp = new Float64Array((nmax + 1) >> 1);
  let div = 1; // 2^shift
  let step = 2; // -mask
  let step2 = 4; // -mask2
  let prnd = 1;
  let prnd2 = 2;
  let nrnd2 = 1;
  let nxtop = nx;
  let nytop = ny;
  for (let k = 0; k < log2n; k++) {
    const oddx = nxtop % 2;
    const oddy = nytop % 2;
    const invdiv = 1 / div;
    const inv = 1 / step;
    const inv2 = 1 / step2;
    const up = div === 1 ? 2 : 1; // << (1 - shift)
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = i * ny;
      let s10 = s00 + ny;
      for (let j = 0; j < nytop - oddy; j += 2) {
        const p11 = a[s10 + 1]!;
        const p10 = a[s10]!;
        const p01 = a[s00 + 1]!;
        const p00 = a[s00]!;
        const h0 = Math.floor((p11 + p10 + p01 + p00) * invdiv);
        const hx = Math.floor((p11 + p10 - p01 - p00) * invdiv);
        const hy = Math.floor((p11 - p10 + p01 - p00) * invdiv);
        const hc = Math.floor((p11 - p10 - p01 + p00) * invdiv);
        a[s10 + 1] = hc;
        a[s10] = Math.floor((hx >= 0 ? hx + prnd : hx) * inv) * step;
        a[s00 + 1] = Math.floor((hy >= 0 ? hy + prnd : hy) * inv) * step;
        a[s00] = Math.floor((h0 >= 0 ? h0 + prnd2 : h0 + nrnd2) * inv2) * step2;
        s00 += 2;
        s10 += 2;
      }
      if (oddy) {
        const h0 = (a[s10]! + a[s00]!) * up;
        const hx = (a[s10]! - a[s00]!) * up;
        a[s10] = Math.floor((hx >= 0 ? hx + prnd : hx) * inv) * step;
        a[s00] = Math.floor((h0 >= 0 ? h0 + prnd2 : h0 + nrnd2) * inv2) * step2;
      }
    }
    if (oddx) {
      let s00 = i * ny;
      for (let j = 0; j < nytop - oddy; j += 2) {
        const h0 = (a[s00 + 1]! + a[s00]!) * up;
        const hy = (a[s00 + 1]! - a[s00]!) * up;
        a[s00 + 1] = Math.floor((hy >= 0 ? hy + prnd : hy) * inv) * step;
        a[s00] = Math.floor((h0 >= 0 ? h0 + prnd2 : h0 + nrnd2) * inv2) * step2;
        s00 += 2;
      }
      if (oddy) {
        const h0 = a[s00]! * 2 * up; // << (2 - shift)
        a[s00] = Math.floor((h0 >= 0 ? h0 + prnd2 : h0 + nrnd2) * inv2) * step2;
      }
    }
    for (let r = 0; r < nxtop; r++) shuffle(a, ny * r, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) shuffle(a, j, nxtop, ny, tmp);
    nxtop = (nxtop + 1) >> 1;
    nytop = (nytop + 1) >> 1;
    div = 2;
    step = step2;
    prnd = prnd2;
    step2 *= 2;
    prnd2 *= 2;
    nrnd2 = prnd2 - 1;
  }
}

/** Bit output (MSB first) into a preallocated buffer. */
class BitWriter {
  readonly out: Uint8Array;
  pos = 0;
  private acc = 0;
  private nacc = 0;

  constructor(size: number) {
    this.out = new Uint8Array(size);
  }

  /** Write the low n <= 24 bits of v. */
  bits(v: number, n: number): void {
    this.acc = (this.acc << n) | (v & ((1 << n) - 1));
    this.nacc += n;
    while (this.nacc >= 8) {
      this.nacc -= 8;
      this.out[this.pos++] = this.acc >>> this.nacc;
    }
  }

  /** Pad the last partial byte with zeros. */
  flush(): void {
    if (this.nacc > 0) this.out[this.pos++] = this.acc << (8 - this.nacc);
    this.acc = 0;
    this.nacc = 0;
  }

  byte(v: number): void {
    this.out[this.pos++] = v;
  }
}

/** First quadtree level of bit `bit`: one 4-bit code per 2x2 block (cfitsio's qtree_onebit). */
function qtreeOnebit(
  lo: Int32Array,
  hi: Int32Array,
  off: number,
  n: number,
  nx: number,
  ny: number,
  b: Uint8Array,
  bit: number,
): void {
  const src = bit < 32 ? lo : hi;
  const sh = bit & 31;
  let k = 0;
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = off + n * i;
    let s10 = s00 + n;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      b[k++] =
        ((src[s10 + 1]! >>> sh) & 1) |
        (((src[s10]! >>> sh) & 1) << 1) |
        (((src[s00 + 1]! >>> sh) & 1) << 2) |
        (((src[s00]! >>> sh) & 1) << 3);
      s00 += 2;
      s10 += 2;
    }
    if (j < ny) b[k++] = (((src[s10]! >>> sh) & 1) << 1) | (((src[s00]! >>> sh) & 1) << 3);
  }
  if (i < nx) {
    let s00 = off + n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      b[k++] = (((src[s00 + 1]! >>> sh) & 1) << 2) | (((src[s00]! >>> sh) & 1) << 3);
      s00 += 2;
    }
    if (j < ny) b[k++] = ((src[s00]! >>> sh) & 1) << 3;
  }
}

/** One quadtree reduction in place (cfitsio's qtree_reduce). */
function qtreeReduce(s: Uint8Array, n: number, nx: number, ny: number): void {
  let k = 0;
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = n * i;
    let s10 = s00 + n;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      s[k++] = (s[s10 + 1] !== 0 ? 1 : 0) | (s[s10] !== 0 ? 2 : 0) | (s[s00 + 1] !== 0 ? 4 : 0) | (s[s00] !== 0 ? 8 : 0);
      s00 += 2;
      s10 += 2;
    }
    if (j < ny) s[k++] = (s[s10] !== 0 ? 2 : 0) | (s[s00] !== 0 ? 8 : 0);
  }
  if (i < nx) {
    let s00 = n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      s[k++] = (s[s00 + 1] !== 0 ? 4 : 0) | (s[s00] !== 0 ? 8 : 0);
      s00 += 2;
    }
    if (j < ny) s[k++] = s[s00] !== 0 ? 8 : 0;
  }
}

/** Encode the bit planes of one quadrant (cfitsio's qtree_encode), byte-identical to cfitsio. */
function qtreeEncode(
  w: BitWriter,
  lo: Int32Array,
  hi: Int32Array,
  off: number,
  n: number,
  nqx: number,
  nqy: number,
  nbitplanes: number,
): void {
  const log2n = ceilLog2(Math.max(nqx, nqy));
  const nqx2 = (nqx + 1) >> 1;
  const nqy2 = (nqy + 1) >> 1;
  const ncodes = nqx2 * nqy2;
  const bmax = (ncodes + 1) >> 1;
  const scratch = new Uint8Array(Math.max(1, ncodes));
  const buffer = new Uint8Array(Math.max(1, bmax));
  for (let bit = nbitplanes - 1; bit >= 0; bit--) {
    // Huffman codes go LSB first into `buffer`, which is then written backwards.
    let b = 0;
    let bitbuffer = 0;
    let bitsToGo = 0;
    /** Append the codes of the current level; false when the buffer fills (go direct). */
    const copyCodes = (m: number): boolean => {
      for (let i = 0; i < m; i++) {
        const v = scratch[i]!;
        if (v !== 0) {
          bitbuffer |= HUFF_CODE[v]! << bitsToGo;
          bitsToGo += HUFF_LEN[v]!;
          if (bitsToGo >= 8) {
            buffer[b++] = bitbuffer & 0xff;
            if (b >= bmax) return false; // the quadtree would expand the data
            bitbuffer >>>= 8;
            bitsToGo -= 8;
          }
        }
      }
      return true;
    };
    qtreeOnebit(lo, hi, off, n, nqx, nqy, scratch, bit);
    let nx = nqx2;
    let ny = nqy2;
    let direct = !copyCodes(nx * ny);
    for (let k = 1; k < log2n && !direct; k++) {
      qtreeReduce(scratch, ny, nx, ny);
      nx = (nx + 1) >> 1;
      ny = (ny + 1) >> 1;
      direct = !copyCodes(nx * ny);
    }
    if (direct) {
      w.bits(0, 4);
      qtreeOnebit(lo, hi, off, n, nqx, nqy, scratch, bit);
      for (let i = 0; i < ncodes; i++) w.bits(scratch[i]!, 4);
      continue;
    }
    w.bits(0xf, 4);
    if (b === 0) {
      if (bitsToGo > 0) w.bits(bitbuffer & ((1 << bitsToGo) - 1), bitsToGo);
      else w.bits(HUFF_CODE[0]!, HUFF_LEN[0]!);
    } else {
      if (bitsToGo > 0) w.bits(bitbuffer & ((1 << bitsToGo) - 1), bitsToGo);
      for (let i = b - 1; i >= 0; i--) w.bits(buffer[i]!, 8);
    }
  }
}

/**
 * Encode one tile with HCOMPRESS_1, byte-for-byte as cfitsio's `fits_hcompress64` (and, for
 * 8/16-bit pixels, its 32-bit `fits_hcompress`) does.
 *
 * @param values the tile's pixels, row-major (nx per row).
 * @param nx number of columns (fast axis, ZTILE1); cfitsio requires >= 4 for HCOMPRESS tiles.
 * @param ny number of rows (slow axis, ZTILE2); cfitsio requires >= 4.
 * @param scale integer quantization scale of the coefficients: 0 or 1 = lossless, larger =
 *   lossy (the ZVAL1 "SCALE" of fpack's `-s`, converted to an absolute integer).
 * @returns the compressed bytes.
 * @throws CodecError `UNSUPPORTED` if coefficients could exceed 2^53 (int32 pixels in tiles with
 *   a side above 2^20), `BAD_ARGUMENT` on bad sizes or scale.
 *
 * @example
 * ```ts
 * const bytes = hcompressEncode(pixels, 64, 16, 0);
 * ```
 */
export function hcompressEncode(values: Int32Array, nx: number, ny: number, scale: number): Uint8Array {
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 1 || ny < 1) {
    throw new CodecError("BAD_ARGUMENT", `HCOMPRESS: bad tile size ${nx} x ${ny}`);
  }
  if (!Number.isInteger(scale) || scale < 0 || scale > 2147483647) {
    throw new CodecError("BAD_ARGUMENT", `HCOMPRESS: scale must be a non-negative integer, got ${scale}`);
  }
  const nel = nx * ny;
  if (values.length < nel) {
    throw new CodecError("BAD_ARGUMENT", `HCOMPRESS: ${values.length} values given, need ${nel}`);
  }
  const rows = ny;
  const cols = nx;
  const log2n = ceilLog2(Math.max(rows, cols));
  const a = new Float64Array(nel);
  let vmaxabs = 0;
  for (let i = 0; i < nel; i++) {
    const v = values[i]!;
    a[i] = v;
    const av = v < 0 ? -v : v;
    if (av > vmaxabs) vmaxabs = av;
  }
  if (vmaxabs * 2 ** (log2n + 2) > 2 ** 53) {
    throw new CodecError("UNSUPPORTED", `HCOMPRESS: ${nx} x ${ny} tile of values up to ${vmaxabs} exceeds 2^53`);
  }
  htrans(a, rows, cols);
  if (scale > 1) {
    const d = Math.floor((scale + 1) / 2) - 1;
    for (let i = 0; i < nel; i++) {
      const p = a[i]!;
      a[i] = Math.trunc((p > 0 ? p + d : p - d) / scale);
    }
  }

  // signs (a[0], the sum, is written separately) and absolute values
  const sum = a[0]!;
  a[0] = 0;
  const signs = new Uint8Array((nel + 7) >> 3);
  let nsign = 0;
  let sbyte = 0;
  let sbits = 0;
  for (let i = 0; i < nel; i++) {
    const v = a[i]!;
    if (v !== 0) {
      sbyte = (sbyte << 1) | (v < 0 ? 1 : 0);
      if (v < 0) a[i] = -v;
      if (++sbits === 8) {
        signs[nsign++] = sbyte;
        sbyte = 0;
        sbits = 0;
      }
    }
  }
  if (sbits > 0) signs[nsign++] = sbyte << (8 - sbits);

  // number of bit planes per quadrant class (0: low-low, 1: mixed, 2: high-high)
  const nx2 = (rows + 1) >> 1;
  const ny2 = (cols + 1) >> 1;
  const vmax = [0, 0, 0];
  for (let k = 0, i = 0; k < rows; k++) {
    for (let j = 0; j < cols; j++, i++) {
      const q = (j >= ny2 ? 1 : 0) + (k >= nx2 ? 1 : 0);
      if (a[i]! > vmax[q]!) vmax[q] = a[i]!;
    }
  }
  const nbitplanes = vmax.map((v) => {
    let nb = 0;
    while (v > 0) {
      v = Math.floor(v / 2);
      nb++;
    }
    return nb;
  });

  // 32-bit halves of the magnitudes, for bit-plane extraction
  const lo = new Int32Array(nel);
  const hi = new Int32Array(nel);
  for (let i = 0; i < nel; i++) {
    const v = a[i]!;
    lo[i] = v; // ToInt32: the low 32 bits
    hi[i] = Math.floor(v / 4294967296);
  }

  // output size bound: header, per plane and quadrant at most the direct size + 3 bytes, signs
  const quads: [number, number, number, number][] = [
    [0, nx2, ny2, nbitplanes[0]!],
    [ny2, nx2, cols >> 1, nbitplanes[1]!],
    [cols * nx2, rows >> 1, ny2, nbitplanes[1]!],
    [cols * nx2 + ny2, rows >> 1, cols >> 1, nbitplanes[2]!],
  ];
  let size = 25 + 2 + nsign;
  for (const [, qx, qy, nb] of quads) size += nb * ((((qx + 1) >> 1) * ((qy + 1) >> 1) + 1) / 2 + 4);
  const w = new BitWriter(Math.ceil(size) + 8);
  w.byte(0xdd);
  w.byte(0x99);
  for (const v of [rows, cols, scale]) {
    w.byte(v >>> 24);
    w.byte(v >>> 16);
    w.byte(v >>> 8);
    w.byte(v);
  }
  const sumHi = Math.floor(sum / 4294967296);
  const sumLo = sum - sumHi * 4294967296;
  for (const v of [sumHi, sumLo]) {
    w.byte(v >>> 24);
    w.byte(v >>> 16);
    w.byte(v >>> 8);
    w.byte(v);
  }
  w.byte(nbitplanes[0]!);
  w.byte(nbitplanes[1]!);
  w.byte(nbitplanes[2]!);
  for (const [off, qx, qy, nb] of quads) qtreeEncode(w, lo, hi, off, cols, qx, qy, nb);
  w.bits(0, 4); // end of bit planes
  w.flush();
  for (let i = 0; i < nsign; i++) w.byte(signs[i]!);
  return w.out.slice(0, w.pos);
}
