import type { Header } from "./header.js";
import type { FitsPixelArray, StoredArray } from "./pixels.js";

/** How stored integers map to physical values (BSCALE/BZERO/BLANK). */
export interface PixelScaling {
  /** Stored BITPIX. */
  bitpix: number;
  /** BSCALE (1 when absent). */
  bscale: number;
  /** BZERO as a number (1 when absent is 0). */
  bzero: number;
  /** BZERO exactly, for the 64-bit unsigned convention. */
  bzeroBig: bigint | undefined;
  /** BLANK (integer images only), the stored value that means "no data". */
  blank: number | bigint | undefined;
  /** The decoded array kind: an unsigned/signed convention or float32/float64 scaling. */
  kind: "raw" | "int8" | "uint16" | "uint32" | "uint64" | "float32" | "float64";
}

/**
 * Decides how to present an image's pixels the way astropy does: the unsigned conventions
 * (BZERO = 2^(n-1), BSCALE = 1) give unsigned integer arrays, BZERO = -128 on BITPIX 8 gives
 * int8, any other scaling gives float32 (BITPIX 8/16) or float64 (32/64) with BLANK as NaN.
 */
export function pixelScaling(header: Header, bitpix: number): PixelScaling {
  const bscale = header.getNumber("BSCALE") ?? 1;
  const bzeroCard = header.get("BZERO");
  const bzeroBig = typeof bzeroCard === "bigint" ? bzeroCard : undefined;
  const bzero = header.getNumber("BZERO") ?? 0;
  const blankValue = bitpix > 0 ? header.get("BLANK") : undefined;
  const blank = typeof blankValue === "number" || typeof blankValue === "bigint" ? blankValue : undefined;
  let kind: PixelScaling["kind"] = "raw";
  if (bitpix > 0 && (bscale !== 1 || bzero !== 0)) {
    if (bscale === 1 && bitpix === 8 && bzero === -128) kind = "int8";
    else if (bscale === 1 && bitpix === 16 && bzero === 32768) kind = "uint16";
    else if (bscale === 1 && bitpix === 32 && bzero === 2147483648) kind = "uint32";
    else if (bscale === 1 && bitpix === 64 && bzeroBig === 9223372036854775808n) kind = "uint64";
    else kind = bitpix <= 16 ? "float32" : "float64";
  } else if (bitpix < 0 && (bscale !== 1 || bzero !== 0)) {
    kind = bitpix === -32 ? "float32" : "float64";
  }
  return { bitpix, bscale, bzero, bzeroBig, blank, kind };
}

/** Allocates the decoded (physical) array for `n` pixels. */
export function allocPhysical(s: PixelScaling, n: number): FitsPixelArray {
  switch (s.kind) {
    case "int8":
      return new Int8Array(n);
    case "uint16":
      return new Uint16Array(n);
    case "uint32":
      return new Uint32Array(n);
    case "uint64":
      return new BigUint64Array(n);
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    default:
      switch (s.bitpix) {
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
}

/**
 * Converts stored values to physical ones into `out` at `outIndex`. For "raw" this is a copy;
 * unsigned conventions flip the sign bit; float scalings apply BSCALE/BZERO and map BLANK to NaN.
 */
export function applyScaling(s: PixelScaling, stored: StoredArray, out: FitsPixelArray, outIndex: number): void {
  const n = stored.length;
  switch (s.kind) {
    case "raw":
      (out as Float64Array).set(stored as Float64Array, outIndex);
      return;
    case "int8": {
      const src = stored as Uint8Array;
      const dst = out as Int8Array;
      for (let i = 0; i < n; i++) dst[outIndex + i] = src[i]! ^ 0x80;
      return;
    }
    case "uint16": {
      const src = stored as Int16Array;
      const dst = out as Uint16Array;
      for (let i = 0; i < n; i++) dst[outIndex + i] = src[i]! ^ 0x8000;
      return;
    }
    case "uint32": {
      const src = stored as Int32Array;
      const dst = out as Uint32Array;
      for (let i = 0; i < n; i++) dst[outIndex + i] = (src[i]! ^ 0x80000000) >>> 0;
      return;
    }
    case "uint64": {
      const src = stored as BigInt64Array;
      const dst = out as BigUint64Array;
      for (let i = 0; i < n; i++) dst[outIndex + i] = BigInt.asUintN(64, src[i]! ^ -9223372036854775808n);
      return;
    }
    default: {
      const dst = out as Float32Array | Float64Array;
      const { bscale, bzero } = s;
      if (stored instanceof BigInt64Array) {
        const blank = s.blank === undefined ? undefined : BigInt(s.blank);
        for (let i = 0; i < n; i++) {
          const v = stored[i]!;
          dst[outIndex + i] = v === blank ? Number.NaN : Number(v) * bscale + bzero;
        }
        return;
      }
      const src = stored as Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;
      if (dst instanceof Float32Array) {
        // Single-precision arithmetic step by step, as astropy/numpy scale into float32 arrays,
        // so the decoded values are bit-identical to astropy's.
        const f = Math.fround;
        const bs = f(bscale);
        const bz = f(bzero);
        const blank = s.blank === undefined || s.bitpix < 0 ? undefined : Number(s.blank);
        for (let i = 0; i < n; i++) {
          const v = src[i]!;
          dst[outIndex + i] = v === blank ? Number.NaN : f(f(f(v) * bs) + bz);
        }
        return;
      }
      if (s.blank === undefined || s.bitpix < 0) {
        for (let i = 0; i < n; i++) dst[outIndex + i] = src[i]! * bscale + bzero;
      } else {
        const blank = Number(s.blank);
        for (let i = 0; i < n; i++) {
          const v = src[i]!;
          dst[outIndex + i] = v === blank ? Number.NaN : v * bscale + bzero;
        }
      }
    }
  }
}
