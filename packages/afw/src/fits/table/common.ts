/**
 * Helpers shared by the binary- and ASCII-table readers and the writer: column keywords, TDIM,
 * row ranges, byte-order conversion and string decoding.
 */
import { FitsError, type FitsErrorLocation } from "../errors.js";
import type { Header } from "../header.js";
import { findColumn, type ReadTableOptions } from "./types.js";

/** True on little-endian hosts (typed arrays use the host byte order, FITS is big-endian). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Most columns a table may declare (TFIELDS), per the FITS standard. */
export const MAX_TFIELDS = 999;

/** The keywords of one column other than TFORM/TBCOL, as read from a header. */
export interface ColumnKeywords {
  /** TTYPEn ("" when absent). */
  name: string;
  /** TUNITn. */
  unit: string | undefined;
  /** TDISPn. */
  disp: string | undefined;
  /** TDIMn parsed, FITS order. */
  dim: number[] | undefined;
  /** TNULLn as written (number, bigint or string). */
  null: number | bigint | string | undefined;
  /** TSCALn. */
  scale: number | undefined;
  /** TZEROn (bigint when beyond 2^53). */
  zero: number | bigint | undefined;
  /** TDOCn. */
  doc: string | undefined;
}

/** Describes column n for messages: `column 3 "FLUX"`. */
export function columnLabel(n: number, name: string): string {
  return name === "" ? `column ${n}` : `column ${n} ${JSON.stringify(name)}`;
}

/** The `card` to report for a data problem in column n: its name, or TTYPEn when unnamed. */
export function columnCard(n: number, name: string): string {
  return name === "" ? `TTYPE${n}` : name;
}

/** A string keyword, trailing blanks removed; undefined when absent. Non-strings are BAD_CARD. */
function optString(header: Header, key: string): string | undefined {
  const v = header.getString(key);
  return v === undefined ? undefined : v.replace(/\s+$/, "");
}

/**
 * Parses a TDIMn value "(l1,l2,...)" (blanks allowed) into axis lengths in FITS order.
 * Throws BAD_VALUE naming the card when malformed.
 */
export function parseTdim(text: string, where: FitsErrorLocation): number[] {
  const m = /^\s*\(([\s\d,]*)\)\s*$/.exec(text);
  const parts = m ? m[1]!.split(",").map((s) => s.trim()) : [];
  if (!m || parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new FitsError("BAD_VALUE", `cannot parse TDIM ${JSON.stringify(text)} (expected "(l1,l2,...)")`, where);
  }
  const dims = parts.map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d))) {
    throw new FitsError("BAD_VALUE", `TDIM ${JSON.stringify(text)} has an axis length that is too large`, where);
  }
  return dims;
}

/** Product of axis lengths. */
export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/** Reads TTYPE/TUNIT/TDISP/TDIM/TNULL/TSCAL/TZERO/TDOC of column n. */
export function readColumnKeywords(header: Header, n: number, where: FitsErrorLocation): ColumnKeywords {
  const name = optString(header, `TTYPE${n}`) ?? "";
  const tdim = header.getString(`TDIM${n}`);
  const dim = tdim === undefined ? undefined : parseTdim(tdim, { ...where, card: `TDIM${n}` });
  let nullValue: number | bigint | string | undefined;
  const nullCard = header.card(`TNULL${n}`);
  if (nullCard) {
    const v = nullCard.value;
    if (nullCard.unparsed !== undefined || !(typeof v === "number" || typeof v === "bigint" || typeof v === "string")) {
      throw new FitsError(
        "BAD_CARD",
        `${columnLabel(n, name)}: cannot use TNULL value ${JSON.stringify(nullCard.unparsed ?? String(v))}`,
        {
          ...where,
          card: `TNULL${n}`,
        },
      );
    }
    nullValue = v;
  }
  const scale = header.getNumber(`TSCAL${n}`);
  const zeroRaw = header.get(`TZERO${n}`);
  const zero = typeof zeroRaw === "bigint" ? zeroRaw : header.getNumber(`TZERO${n}`);
  return {
    name,
    unit: optString(header, `TUNIT${n}`),
    disp: optString(header, `TDISP${n}`),
    dim,
    null: nullValue,
    scale,
    zero,
    doc: optString(header, `TDOC${n}`),
  };
}

/** Validates and resolves the row range of read options against NAXIS2. */
export function resolveRows(
  options: ReadTableOptions,
  naxis2: number,
  where: FitsErrorLocation,
): { start: number; count: number } {
  const start = options.rowStart ?? 0;
  if (!Number.isSafeInteger(start) || start < 0 || start > naxis2) {
    throw new FitsError("BAD_ARGUMENT", `rowStart ${start} is outside the table's ${naxis2} rows`, where);
  }
  const count = options.rowCount ?? naxis2 - start;
  if (!Number.isSafeInteger(count) || count < 0 || start + count > naxis2) {
    throw new FitsError("BAD_ARGUMENT", `rows ${start}..${start + count} are outside the table's ${naxis2} rows`, where);
  }
  return { start, count };
}

/** Indices (into `columns`) of the columns asked for, in table order; all when `names` is undefined. */
export function selectColumns(
  columns: readonly { name: string }[],
  names: readonly string[] | undefined,
  where: FitsErrorLocation,
): Set<number> {
  if (names === undefined) return new Set(columns.map((_, i) => i));
  const chosen = new Set<number>();
  for (const name of names) {
    const c = findColumn(columns, name);
    if (!c) {
      throw new FitsError(
        "BAD_ARGUMENT",
        `no column named ${JSON.stringify(name)} (columns: ${columns.map((x) => JSON.stringify(x.name)).join(", ")})`,
        { ...where, card: name },
      );
    }
    chosen.add(columns.indexOf(c));
  }
  return chosen;
}

/**
 * Reads `length` bytes of an HDU's data, turning a TRUNCATED error into one that names the
 * keyword whose declared size the file does not hold.
 */
export async function readDataNaming(
  read: () => Promise<Uint8Array>,
  keyword: string,
  what: string,
  where: FitsErrorLocation,
): Promise<Uint8Array> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof FitsError && e.code === "TRUNCATED") {
      throw new FitsError(
        "TRUNCATED",
        `the file ends before the ${what} declared by ${keyword} (${e.detail})`,
        { ...where, card: keyword },
        { cause: e },
      );
    }
    throw e;
  }
}

/**
 * Copies `nrows` runs of `rowBytes` bytes, the first at `src[first]` and each `stride` bytes
 * after the previous, into `dst` (packed), converting big-endian elements of `size` bytes to the
 * host byte order.
 */
export function gatherBigEndian(
  src: Uint8Array,
  first: number,
  stride: number,
  nrows: number,
  rowBytes: number,
  size: number,
  dst: Uint8Array,
): void {
  if (rowBytes === 0 || nrows === 0) return;
  if (size === 1 || !LITTLE_ENDIAN) {
    if (stride === rowBytes) {
      dst.set(src.subarray(first, first + nrows * rowBytes));
      return;
    }
    for (let r = 0, s = first, d = 0; r < nrows; r++, s += stride, d += rowBytes) dst.set(src.subarray(s, s + rowBytes), d);
    return;
  }
  if (stride === rowBytes) {
    swapInto(src, first, dst, 0, nrows * rowBytes, size);
    return;
  }
  for (let r = 0, s = first, d = 0; r < nrows; r++, s += stride, d += rowBytes) swapInto(src, s, dst, d, rowBytes, size);
}

/** Copies `n` bytes reversing each `size`-byte group (size 2, 4 or 8). */
function swapInto(src: Uint8Array, s: number, dst: Uint8Array, d: number, n: number, size: number): void {
  const end = d + n;
  if (size === 2) {
    for (; d < end; d += 2, s += 2) {
      dst[d] = src[s + 1]!;
      dst[d + 1] = src[s]!;
    }
  } else if (size === 4) {
    for (; d < end; d += 4, s += 4) {
      dst[d] = src[s + 3]!;
      dst[d + 1] = src[s + 2]!;
      dst[d + 2] = src[s + 1]!;
      dst[d + 3] = src[s]!;
    }
  } else {
    for (; d < end; d += 8, s += 8) {
      dst[d] = src[s + 7]!;
      dst[d + 1] = src[s + 6]!;
      dst[d + 2] = src[s + 5]!;
      dst[d + 3] = src[s + 4]!;
      dst[d + 4] = src[s + 3]!;
      dst[d + 5] = src[s + 2]!;
      dst[d + 6] = src[s + 1]!;
      dst[d + 7] = src[s]!;
    }
  }
}

/**
 * The inverse of {@link gatherBigEndian}: writes packed host-order elements from `src` into
 * `nrows` runs of `rowBytes` bytes at `dst[first]`, `stride` apart, big-endian.
 */
export function scatterBigEndian(
  src: Uint8Array,
  dst: Uint8Array,
  first: number,
  stride: number,
  nrows: number,
  rowBytes: number,
  size: number,
): void {
  if (rowBytes === 0 || nrows === 0) return;
  if (size === 1 || !LITTLE_ENDIAN) {
    for (let r = 0, s = 0, d = first; r < nrows; r++, s += rowBytes, d += stride) dst.set(src.subarray(s, s + rowBytes), d);
    return;
  }
  if (stride === rowBytes) {
    swapInto(src, 0, dst, first, nrows * rowBytes, size);
    return;
  }
  for (let r = 0, s = 0, d = first; r < nrows; r++, s += rowBytes, d += stride) swapInto(src, s, dst, d, rowBytes, size);
}

/** The bytes of a typed array (a view, no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

const LATIN1 = new TextDecoder("latin1");

/**
 * Decodes a FITS character field: the string ends at the first NUL (as the standard says) and
 * trailing blanks are removed.
 */
export function decodeFitsString(bytes: Uint8Array, start: number, length: number): string {
  const lim = start + length;
  let end = start;
  while (end < lim && bytes[end] !== 0) end++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  if (end === start) return "";
  if (end - start <= 32) {
    let s = "";
    for (let k = start; k < end; k++) s += String.fromCharCode(bytes[k]!);
    return s;
  }
  return LATIN1.decode(bytes.subarray(start, end));
}
