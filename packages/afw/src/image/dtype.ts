/**
 * Pixel types of images: the dtype names, their typed-array classes and conversions.
 *
 * Images hold float32 (afw `F`), float64 (`D`), int32 (`I`) or uint16 (`U`) pixels. FITS int16 and
 * uint8 data are widened to int32/uint16 by the FITS layer; 64-bit integer images are not supported.
 */
import { AfwError } from "./errors.js";

/** Name of a pixel type. */
export type PixelDtype = "float32" | "float64" | "int32" | "uint16";

/** Typed-array class for each dtype. */
export interface PixelArrayByDtype {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint16: Uint16Array;
}

/** Any pixel array an image can hold. */
export type PixelArray = PixelArrayByDtype[PixelDtype];

/** The dtype name of a typed-array type, e.g. `DtypeOf<Float32Array>` = "float32". */
export type DtypeOf<T extends PixelArray> = T extends Float32Array
  ? "float32"
  : T extends Float64Array
    ? "float64"
    : T extends Int32Array
      ? "int32"
      : "uint16";

/** The typed-array type of a dtype name, e.g. `ArrayOf<"int32">` = Int32Array. */
export type ArrayOf<D extends PixelDtype> = PixelArrayByDtype[D];

/** All supported dtypes. */
export const PIXEL_DTYPES: readonly PixelDtype[] = ["float32", "float64", "int32", "uint16"];

/** Bytes per pixel of each dtype. */
export const BYTES_PER_PIXEL: Readonly<Record<PixelDtype, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  uint16: 2,
};

/** True for the floating-point dtypes (which can hold NaN). */
export function isFloatDtype(dtype: PixelDtype): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** Inclusive value range of the integer dtypes ([−∞, ∞] for floats). */
export function dtypeRange(dtype: PixelDtype): readonly [number, number] {
  switch (dtype) {
    case "int32":
      return [-2147483648, 2147483647];
    case "uint16":
      return [0, 65535];
    default:
      return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  }
}

/**
 * A zero-filled pixel array of `length` elements.
 * @param shared allocate on a SharedArrayBuffer (for worker threads)
 */
export function makePixelArray<D extends PixelDtype>(dtype: D, length: number, shared = false): ArrayOf<D> {
  const bytes = BYTES_PER_PIXEL[dtype];
  if (bytes === undefined) {
    throw new AfwError("DTYPE_MISMATCH", `unsupported pixel dtype "${String(dtype)}"`);
  }
  const buffer = shared ? new SharedArrayBuffer(length * bytes) : new ArrayBuffer(length * bytes);
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer) as ArrayOf<D>;
    case "float64":
      return new Float64Array(buffer) as ArrayOf<D>;
    case "int32":
      return new Int32Array(buffer) as ArrayOf<D>;
    default:
      return new Uint16Array(buffer) as ArrayOf<D>;
  }
}

/**
 * The dtype of a typed array.
 * @throws AfwError DTYPE_MISMATCH for any other array type.
 */
export function dtypeOfArray<T extends PixelArray>(array: T): DtypeOf<T> {
  let d: PixelDtype;
  if (array instanceof Float32Array) d = "float32";
  else if (array instanceof Float64Array) d = "float64";
  else if (array instanceof Int32Array) d = "int32";
  else if (array instanceof Uint16Array) d = "uint16";
  else {
    const name = (array as { constructor?: { name?: string } }).constructor?.name ?? typeof array;
    throw new AfwError(
      "DTYPE_MISMATCH",
      `unsupported pixel array type ${name}; expected Float32Array, Float64Array, Int32Array or Uint16Array`,
    );
  }
  return d as DtypeOf<T>;
}
