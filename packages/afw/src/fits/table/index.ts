/**
 * FITS tables: binary tables (XTENSION='BINTABLE', every TFORM of the standard, variable-length
 * arrays) and ASCII tables (XTENSION='TABLE'), read into typed column arrays; binary tables
 * encoded back bit for bit.
 *
 * Column data representations ({@link ColumnData}), following astropy's choices:
 *
 * | TFORM | scaling | `data` |
 * |---|---|---|
 * | rB | none | Uint8Array, nrows*r |
 * | rB | TZERO=-128 | Int8Array |
 * | rI | none / TZERO=32768 | Int16Array / Uint16Array |
 * | rJ | none / TZERO=2^31 | Int32Array / Uint32Array |
 * | rK | none / TZERO=2^63 | BigInt64Array / BigUint64Array |
 * | rE, rD | none | Float32Array, Float64Array (bit for bit, NaN payloads kept) |
 * | B, I, J, K, E, D | any other TSCAL/TZERO | Float64Array of stored*TSCAL+TZERO, stored TNULL -> NaN |
 * | rL | - | Int8Array: 1 = T, 0 = F, -1 = undefined (a NUL byte) |
 * | rX | - | Uint8Array of unpacked bits (0/1), nrows*r, first bit = most significant |
 * | rA | - | string[], one per row (ends at the first NUL, trailing blanks removed); with TDIM=(w,d2,...) a string array: nrows*d2*... strings of w characters |
 * | rC, rM | - | Float32Array, Float64Array of interleaved (re, im), nrows*r*2 (TSCAL/TZERO apply to both parts, as in CFITSIO) |
 * | 1PT(e), 1QT(e) | as for T | one typed array per row (the element type as above), or string[] for PA/QA |
 *
 * Vector columns (r > 1) are one flat row-major array, `itemsPerRow` entries per row; TDIM
 * (`dim`, FITS order, fastest axis first) describes the row's shape. Unscaled integer columns
 * with TNULL keep their integers (`null` tells the undefined value). ASCII tables: A ->
 * string[], I -> Int32Array (Float64Array if a value overflows, TSCAL/TZERO apply, or a field is
 * null), F/E/D -> Float64Array; TNULL fields -> NaN.
 *
 * Every error is a {@link FitsError} naming the file, HDU and column or keyword (`card`).
 */
export * from "./ascii-read.js";
export * from "./bintable-read.js";
export * from "./bintable-write.js";
export { decodeFitsString, parseTdim } from "./common.js";
export * from "./read.js";
export * from "./types.js";
