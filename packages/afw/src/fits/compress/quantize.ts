/**
 * Quantization of floating-point tiles to scaled integers (FITS standard 4.0 §10.2), following
 * cfitsio's `fits_quantize_float` / `fits_quantize_double` (quantize.c) and the decoding in
 * imcompress.c (`unquantize_i4r4` and friends), including their noise estimator, so that step
 * sizes, zero points and quantized integers equal fpack's for the same pixels and dither seed.
 *
 * Nulls: NaN (and, as cfitsio does when reading with null checking, ±Infinity) are null pixels and
 * quantize to {@link NULL_VALUE}; subnormal values are treated as 0.
 */
import { CodecError } from "./errors.js";

/** Quantized value that marks a null (NaN) pixel; written as ZBLANK. */
export const NULL_VALUE = -2147483647;
/** Quantized value that marks an exact 0.0 pixel under SUBTRACTIVE_DITHER_2. */
export const ZERO_VALUE = -2147483646;
/** Number of reserved integer values starting at NULL_VALUE (cfitsio's N_RESERVED_VALUES). */
const N_RESERVED_VALUES = 10;
/** Length of the standard's pseudo-random sequence. */
export const N_RANDOM = 10000;

/** ZQUANTIZ methods. */
export type QuantizeMethod = "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2";

let randoms: Float32Array | undefined;
let randomStarts: Int32Array | undefined;

function randomTable(): Float32Array {
  if (randoms === undefined) {
    const a = 16807.0;
    const m = 2147483647.0;
    const r = new Float32Array(N_RANDOM);
    let seed = 1.0;
    for (let i = 0; i < N_RANDOM; i++) {
      const temp = a * seed;
      seed = temp - m * Math.trunc(temp / m);
      r[i] = seed / m;
    }
    if (seed !== 1043618065) {
      throw new Error(`FITS random sequence self-check failed: seed ${seed} != 1043618065`);
    }
    randoms = r;
    // Start offset of each run of the sequence: (int)(r[iseed] * 500). cfitsio computes this in
    // single precision in some places and double in others; for these 10000 values both agree.
    const starts = new Int32Array(N_RANDOM);
    for (let i = 0; i < N_RANDOM; i++) starts[i] = Math.trunc(r[i]! * 500);
    randomStarts = starts;
  }
  return randoms;
}

/**
 * The FITS standard's 10000-element uniform random sequence used for subtractive dithering
 * (Park & Miller generator a = 16807, m = 2^31 - 1, seed 1; each value stored as float32 in
 * [0, 1)). The 10000th seed is checked to be 1043618065, as the standard requires.
 *
 * @returns a new copy of the sequence.
 *
 * @example
 * ```ts
 * const r = fitsRandomSequence(); // r[0] === Math.fround(16807 / 2147483647)
 * ```
 */
export function fitsRandomSequence(): Float32Array {
  return randomTable().slice();
}

/** Options of {@link quantizeTile}. */
export interface QuantizeOptions {
  /**
   * ZQUANTIZ level q (fpack `-q`): > 0 => step = noise / q, where noise is cfitsio's MAD noise
   * estimate of the tile; 0 => step = noise / 4; < 0 => step = -q (absolute, in pixel units).
   * Used in single precision, as cfitsio does.
   */
  level: number;
  /** Dithering method (ZQUANTIZ). */
  method: QuantizeMethod;
  /** 0-based index of the tile (row of the compressed table); selects the dither offset. */
  tileIndex: number;
  /** ZDITHER0, 1..10000 (ignored for NO_DITHER). */
  ditherSeed: number;
  /**
   * Pixels per row of the tile (its first dimension, e.g. ZTILE1), used by the noise estimator,
   * which works row by row as cfitsio's does. Default: `n` (the whole tile is one row).
   */
  nx?: number;
}

/** Result of {@link quantizeTile}. */
export interface QuantizedTile {
  /** The quantized integers (NULL_VALUE for nulls, ZERO_VALUE for zeros under DITHER_2). */
  ints: Int32Array;
  /** ZSCALE: the quantization step, in pixel units. */
  zscale: number;
  /** ZZERO: the zero point, in pixel units. */
  zzero: number;
  /** True if some pixel was null (NaN/Inf), so the HDU needs ZBLANK = NULL_VALUE. */
  hasNull: boolean;
}

/** Options of {@link dequantizeTile}. */
export interface DequantizeOptions {
  /** ZSCALE of the tile. */
  zscale: number;
  /** ZZERO of the tile. */
  zzero: number;
  /** Dithering method (ZQUANTIZ; "NO_DITHER" also covers files without ZQUANTIZ). */
  method: QuantizeMethod;
  /** 0-based index of the tile (row of the compressed table). */
  tileIndex: number;
  /** ZDITHER0, 1..10000 (ignored for NO_DITHER). */
  ditherSeed: number;
  /** ZBLANK (header keyword or column); integers equal to it become NaN. */
  nullValue?: number;
}

function checkSeed(method: QuantizeMethod, tileIndex: number, ditherSeed: number): void {
  if (method !== "NO_DITHER" && method !== "SUBTRACTIVE_DITHER_1" && method !== "SUBTRACTIVE_DITHER_2") {
    throw new CodecError("BAD_ARGUMENT", `quantize: unknown method ${String(method)}`);
  }
  if (method === "NO_DITHER") return;
  if (!Number.isInteger(tileIndex) || tileIndex < 0) {
    throw new CodecError("BAD_ARGUMENT", `quantize: tile index must be a non-negative integer, got ${tileIndex}`);
  }
  if (!Number.isInteger(ditherSeed) || ditherSeed < 1 || ditherSeed > N_RANDOM) {
    throw new CodecError("BAD_ARGUMENT", `quantize: ZDITHER0 must be an integer in 1..10000, got ${ditherSeed}`);
  }
}

/**
 * Quickselect median (lower median for even n) of arr[0..n-1], partially reordering arr in
 * place exactly as cfitsio's quick_select_* does (the reordering matters: cfitsio reuses the
 * buffer across rows).
 */
function quickSelect(arr: Float32Array | Float64Array, n: number): number {
  let low = 0;
  let high = n - 1;
  const median = (low + high) >> 1;
  let t: number;
  for (;;) {
    if (high <= low) return arr[median]!;
    if (high === low + 1) {
      if (arr[low]! > arr[high]!) {
        t = arr[low]!;
        arr[low] = arr[high]!;
        arr[high] = t;
      }
      return arr[median]!;
    }
    const middle = (low + high) >> 1;
    if (arr[middle]! > arr[high]!) {
      t = arr[middle]!;
      arr[middle] = arr[high]!;
      arr[high] = t;
    }
    if (arr[low]! > arr[high]!) {
      t = arr[low]!;
      arr[low] = arr[high]!;
      arr[high] = t;
    }
    if (arr[middle]! > arr[low]!) {
      t = arr[middle]!;
      arr[middle] = arr[low]!;
      arr[low] = t;
    }
    t = arr[middle]!;
    arr[middle] = arr[low + 1]!;
    arr[low + 1] = t;
    let ll = low + 1;
    let hh = high;
    for (;;) {
      do ll++;
      while (arr[low]! > arr[ll]!);
      do hh--;
      while (arr[hh]! > arr[low]!);
      if (hh < ll) break;
      t = arr[ll]!;
      arr[ll] = arr[hh]!;
      arr[hh] = t;
    }
    t = arr[low]!;
    arr[low] = arr[hh]!;
    arr[hh] = t;
    if (hh <= median) low = ll;
    if (hh >= median) high = hh - 1;
  }
}

function medianOfSorted(v: Float64Array, n: number): number {
  if (n === 0) return 0;
  if (n === 1) return v[0]!;
  const s = v.subarray(0, n).sort();
  return (s[(n - 1) >> 1]! + s[n >> 1]!) / 2;
}

interface TileStats {
  ngood: number;
  minval: number;
  maxval: number;
  noise2: number;
  noise3: number;
  noise5: number;
}

/**
 * cfitsio's FnNoise5_float / FnNoise5_double: min, max, number of non-null pixels and the 2nd,
 * 3rd and 5th order MAD noise estimates (median over rows of the per-row median absolute
 * differences). `f32` selects single-precision arithmetic for the differences.
 */
function noise5(a: Float32Array | Float64Array, nxIn: number, nyIn: number, f32: boolean): TileStats {
  let nx = nxIn;
  let ny = nyIn;
  if (nx < 9) {
    nx = nx * ny;
    ny = 1;
  }
  let xmin = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  let xmax = -xmin;
  let ngoodpix = 0;
  if (nx < 9) {
    for (let i = 0; i < nx; i++) {
      const v = a[i]!;
      if (Number.isNaN(v)) continue;
      if (v < xmin) xmin = v;
      if (v > xmax) xmax = v;
      ngoodpix++;
    }
    return { ngood: ngoodpix, minval: xmin, maxval: xmax, noise2: 0, noise3: 0, noise5: 0 };
  }
  const d2: Float32Array | Float64Array = f32 ? new Float32Array(nx) : new Float64Array(nx);
  const d3: Float32Array | Float64Array = f32 ? new Float32Array(nx) : new Float64Array(nx);
  const d5: Float32Array | Float64Array = f32 ? new Float32Array(nx) : new Float64Array(nx);
  const diffs2 = new Float64Array(ny);
  const diffs3 = new Float64Array(ny);
  const diffs5 = new Float64Array(ny);
  const fr = Math.fround;
  let nrows = 0;
  let nrows2 = 0;
  const v = new Float64Array(10); // v[1..9] are cfitsio's v1..v9
  for (let jj = 0; jj < ny; jj++) {
    const row = jj * nx;
    let ii = 0;
    let complete = true;
    // the first 8 valid pixels of the row
    for (let k = 1; k <= 8; k++) {
      if (k > 1) ii++;
      while (ii < nx && Number.isNaN(a[row + ii]!)) ii++;
      if (ii === nx) {
        complete = false;
        break;
      }
      const x = a[row + ii]!;
      v[k] = x;
      ngoodpix++;
      if (x < xmin) xmin = x;
      if (x > xmax) xmax = x;
    }
    if (!complete) continue;
    let nvals = 0;
    let nvals2 = 0;
    let v1 = v[1]!;
    let v2 = v[2]!;
    let v3 = v[3]!;
    let v4 = v[4]!;
    let v5 = v[5]!;
    let v6 = v[6]!;
    let v7 = v[7]!;
    let v8 = v[8]!;
    for (ii++; ii < nx; ii++) {
      while (ii < nx && Number.isNaN(a[row + ii]!)) ii++;
      if (ii === nx) break;
      const v9 = a[row + ii]!;
      if (v9 < xmin) xmin = v9;
      if (v9 > xmax) xmax = v9;
      if (!(v5 === v6 && v6 === v7)) {
        d2[nvals2] = f32 ? Math.abs(fr(v5 - v7)) : Math.abs(v5 - v7);
        nvals2++;
      }
      if (!(v3 === v4 && v4 === v5 && v5 === v6 && v6 === v7)) {
        if (f32) {
          d3[nvals] = Math.abs(fr(fr(fr(2 * v5) - v3) - v7));
          d5[nvals] = Math.abs(fr(fr(fr(fr(fr(6 * v5) - fr(4 * v3)) - fr(4 * v7)) + v1) + v9));
        } else {
          d3[nvals] = Math.abs(2 * v5 - v3 - v7);
          d5[nvals] = Math.abs(6 * v5 - 4 * v3 - 4 * v7 + v1 + v9);
        }
        nvals++;
      } else {
        ngoodpix++; // constant background region: counted, not used
      }
      v1 = v2;
      v2 = v3;
      v3 = v4;
      v4 = v5;
      v5 = v6;
      v6 = v7;
      v7 = v8;
      v8 = v9;
    }
    ngoodpix += nvals;
    if (nvals === 0) continue;
    if (nvals === 1) {
      if (nvals2 === 1) diffs2[nrows2++] = d2[0]!;
      diffs3[nrows] = d3[0]!;
      diffs5[nrows] = d5[0]!;
    } else {
      // cfitsio selects over nvals (not nvals2) elements of the 2nd-order buffer; kept as is.
      if (nvals2 > 1) diffs2[nrows2++] = quickSelect(d2, nvals);
      diffs3[nrows] = quickSelect(d3, nvals);
      diffs5[nrows] = quickSelect(d5, nvals);
    }
    nrows++;
  }
  const xnoise3 = medianOfSorted(diffs3, nrows);
  const xnoise5 = medianOfSorted(diffs5, nrows);
  const xnoise2 = medianOfSorted(diffs2, nrows2);
  return {
    ngood: ngoodpix,
    minval: xmin,
    maxval: xmax,
    noise2: 1.0483579 * xnoise2,
    noise3: 0.6052697 * xnoise3,
    noise5: 0.1772048 * xnoise5,
  };
}

/**
 * cfitsio's FnNoise3_* called without a noise output: min, max and the (cfitsio-counted) number
 * of non-null pixels. Rows with fewer than 5 valid pixels are not counted, as in cfitsio.
 */
function range3(a: Float32Array | Float64Array, nxIn: number, nyIn: number, f32: boolean): TileStats {
  let nx = nxIn;
  let ny = nyIn;
  if (nx < 5) {
    nx = nx * ny;
    ny = 1;
  }
  let xmin = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  let xmax = -xmin;
  let ngoodpix = 0;
  if (nx < 5) {
    for (let i = 0; i < nx; i++) {
      const v = a[i]!;
      if (Number.isNaN(v)) continue;
      if (v < xmin) xmin = v;
      if (v > xmax) xmax = v;
      ngoodpix++;
    }
    return { ngood: ngoodpix, minval: xmin, maxval: xmax, noise2: 0, noise3: 0, noise5: 0 };
  }
  for (let jj = 0; jj < ny; jj++) {
    const row = jj * nx;
    let good = 0;
    for (let ii = 0; ii < nx; ii++) {
      const v = a[row + ii]!;
      if (Number.isNaN(v)) continue;
      if (v < xmin) xmin = v;
      if (v > xmax) xmax = v;
      good++;
    }
    if (good >= 5) ngoodpix += good;
  }
  return { ngood: ngoodpix, minval: xmin, maxval: xmax, noise2: 0, noise3: 0, noise5: 0 };
}

/**
 * Quantize one floating-point tile to integers as fpack/cfitsio do (`fits_quantize_float` for a
 * Float32Array, `fits_quantize_double` for a Float64Array): step (ZSCALE) from the MAD noise
 * estimate or the absolute level, zero point (ZZERO) from the tile minimum, optional subtractive
 * dithering with the standard random sequence.
 *
 * @param values the tile's pixels (row-major, `opts.nx` per row).
 * @param n number of pixels in the tile.
 * @param opts level, method, tile index, ZDITHER0 and row length.
 * @returns the integers with ZSCALE/ZZERO, or `null` when cfitsio would not quantize the tile
 *   (fewer than 2 pixels, zero noise with level >= 0 — e.g. a constant tile —, or a value range
 *   that does not fit in 32-bit integers); the caller then stores the tile losslessly.
 *
 * @example
 * ```ts
 * const q = quantizeTile(row, row.length, { level: 4, method: "SUBTRACTIVE_DITHER_1", tileIndex: 0, ditherSeed: 42 });
 * ```
 */
export function quantizeTile(values: Float32Array | Float64Array, n: number, opts: QuantizeOptions): QuantizedTile | null {
  if (!Number.isInteger(n) || n < 0 || n > values.length) {
    throw new CodecError("BAD_ARGUMENT", `quantize: pixel count ${n} is invalid for ${values.length} values`);
  }
  const method = opts.method;
  checkSeed(method, opts.tileIndex, opts.ditherSeed);
  const nxRow = opts.nx ?? n;
  if (!Number.isInteger(nxRow) || nxRow < 1 || (n > 0 && n % nxRow !== 0)) {
    throw new CodecError("BAD_ARGUMENT", `quantize: row length ${nxRow} does not divide the tile size ${n}`);
  }
  if (n <= 1) return null;
  const nyRows = n / nxRow;
  const f32 = values instanceof Float32Array;

  // Working copy with cfitsio's reading conventions: non-finite -> null (NaN), subnormal -> 0.
  const a: Float32Array | Float64Array = f32 ? new Float32Array(n) : new Float64Array(n);
  const minNormal = f32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
  let anyNull = false;
  for (let i = 0; i < n; i++) {
    let v = values[i]!;
    if (v - v !== 0) {
      v = Number.NaN;
      anyNull = true;
    } else if (v !== 0 && v < minNormal && v > -minNormal) {
      v = 0;
    }
    a[i] = v;
  }

  const qlevel = Math.fround(opts.level);
  let stats: TileStats;
  let delta: number;
  if (qlevel >= 0) {
    stats = noise5(a, nxRow, nyRows, f32);
    let stdev: number;
    if (anyNull && stats.ngood === 0) {
      stats.minval = 0;
      stats.maxval = 1;
      stdev = 1;
    } else {
      stdev = stats.noise3;
      if (stats.noise2 !== 0 && stats.noise2 < stdev) stdev = stats.noise2;
      if (stats.noise5 !== 0 && stats.noise5 < stdev) stdev = stats.noise5;
    }
    delta = qlevel === 0 ? stdev / 4 : stdev / qlevel;
    if (delta === 0) return null;
  } else {
    delta = -qlevel;
    stats = range3(a, nxRow, nyRows, f32);
  }
  const minval = stats.minval;
  const maxval = stats.maxval;
  const range = f32 ? Math.fround(maxval - minval) : maxval - minval;
  if (range / delta > 2 * 2147483647 - N_RESERVED_VALUES) return null;

  const dither = method !== "NO_DITHER";
  const dither2 = method === "SUBTRACTIVE_DITHER_2";
  const r = randomTable();
  const starts = randomStarts!;
  let iseed = 0;
  let nextrand = 0;
  if (dither) {
    iseed = (opts.tileIndex + opts.ditherSeed - 1) % N_RANDOM;
    nextrand = starts[iseed]!;
  }
  const ints = new Int32Array(n);
  let zeropt: number;
  const allGood = stats.ngood === n;
  if (allGood) {
    if (dither2) {
      zeropt = minval - delta * (NULL_VALUE + N_RESERVED_VALUES);
    } else if (range / delta < 2147483647 - N_RESERVED_VALUES) {
      // zero point: an integer multiple of delta (stable under repeated fpack/funpack)
      const iqfactor = Math.trunc(minval / delta + 0.5);
      zeropt = iqfactor * delta;
    } else {
      zeropt = (f32 ? Math.fround(minval + maxval) : minval + maxval) / 2;
    }
  } else {
    zeropt = minval - delta * (NULL_VALUE + N_RESERVED_VALUES);
  }

  if (dither) {
    for (let i = 0; i < n; i++) {
      const f = a[i]!;
      if (Number.isNaN(f)) {
        ints[i] = NULL_VALUE;
      } else if (dither2 && f === 0) {
        ints[i] = ZERO_VALUE;
      } else {
        const x = (f - zeropt) / delta + r[nextrand]! - 0.5;
        ints[i] = x >= 0 ? x + 0.5 : x - 0.5; // NINT; Int32Array store truncates
      }
      nextrand++;
      if (nextrand === N_RANDOM) {
        iseed++;
        if (iseed === N_RANDOM) iseed = 0;
        nextrand = starts[iseed]!;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const f = a[i]!;
      if (Number.isNaN(f)) {
        ints[i] = NULL_VALUE;
      } else {
        const x = (f - zeropt) / delta;
        ints[i] = x >= 0 ? x + 0.5 : x - 0.5;
      }
    }
  }
  return { ints, zscale: delta, zzero: zeropt, hasNull: anyNull };
}

/**
 * Restore floating-point pixels from quantized integers, exactly as cfitsio (and so funpack and
 * astropy) do: `i * ZSCALE + ZZERO` for NO_DITHER, `(i - r + 0.5) * ZSCALE + ZZERO` with r from
 * the random sequence for SUBTRACTIVE_DITHER_1/2 (starting at index (tileIndex + ZDITHER0 - 1) %
 * 10000), ZERO_VALUE -> 0.0 under DITHER_2, ZBLANK -> NaN. Computed in double precision and
 * rounded once when stored into a Float32Array.
 *
 * @param ints the decoded integers of the tile.
 * @param n number of pixels.
 * @param out receives `n` values (Float32Array for ZBITPIX -32, Float64Array for -64).
 * @param opts ZSCALE, ZZERO, method, tile index, ZDITHER0 and ZBLANK.
 *
 * @example
 * ```ts
 * dequantizeTile(ints, 280, out, { zscale, zzero, method: "SUBTRACTIVE_DITHER_1", tileIndex: 3, ditherSeed: 3358, nullValue: NULL_VALUE });
 * ```
 */
export function dequantizeTile(ints: Int32Array, n: number, out: Float32Array | Float64Array, opts: DequantizeOptions): void {
  if (!Number.isInteger(n) || n < 0 || n > ints.length || n > out.length) {
    throw new CodecError("BAD_ARGUMENT", `dequantize: pixel count ${n} is invalid for the arrays given`);
  }
  const method = opts.method;
  checkSeed(method, opts.tileIndex, opts.ditherSeed);
  const scale = opts.zscale;
  const zero = opts.zzero;
  const hasNull = opts.nullValue !== undefined;
  const nullValue = opts.nullValue ?? 0;
  if (method === "NO_DITHER") {
    for (let i = 0; i < n; i++) {
      const v = ints[i]!;
      out[i] = hasNull && v === nullValue ? Number.NaN : v * scale + zero;
    }
    return;
  }
  const dither2 = method === "SUBTRACTIVE_DITHER_2";
  const r = randomTable();
  const starts = randomStarts!;
  let iseed = (opts.tileIndex + opts.ditherSeed - 1) % N_RANDOM;
  let nextrand = starts[iseed]!;
  if (!dither2 && out instanceof Float32Array) {
    dequantizeDither1F32(ints, n, out, scale, zero, hasNull, nullValue, r, starts, iseed);
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = ints[i]!;
    if (hasNull && v === nullValue) {
      out[i] = Number.NaN;
    } else if (dither2 && v === ZERO_VALUE) {
      out[i] = 0;
    } else {
      out[i] = (v - r[nextrand]! + 0.5) * scale + zero;
    }
    nextrand++;
    if (nextrand === N_RANDOM) {
      iseed++;
      if (iseed === N_RANDOM) iseed = 0;
      nextrand = starts[iseed]!;
    }
  }
}

/**
 * SUBTRACTIVE_DITHER_1 into float32, the common case of {@link dequantizeTile}, with the same
 * arithmetic: monomorphic, and in runs between wraps of the random index (no per-pixel wrap test).
 */
function dequantizeDither1F32(
  ints: Int32Array,
  n: number,
  out: Float32Array,
  scale: number,
  zero: number,
  hasNull: boolean,
  nullValue: number,
  r: Float32Array,
  starts: Int32Array,
  iseed0: number,
): void {
  let iseed = iseed0;
  let nextrand = starts[iseed]!;
  let i = 0;
  while (i < n) {
    const end = i + Math.min(n - i, N_RANDOM - nextrand);
    let j = nextrand;
    if (hasNull) {
      for (; i < end; i++, j++) {
        const v = ints[i]!;
        out[i] = v === nullValue ? Number.NaN : (v - r[j]! + 0.5) * scale + zero;
      }
    } else {
      for (; i < end; i++, j++) out[i] = (ints[i]! - r[j]! + 0.5) * scale + zero;
    }
    nextrand = j;
    if (nextrand === N_RANDOM) {
      iseed++;
      if (iseed === N_RANDOM) iseed = 0;
      nextrand = starts[iseed]!;
    }
  }
}
