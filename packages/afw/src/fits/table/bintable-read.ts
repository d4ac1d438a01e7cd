import { FitsError, type FitsErrorLocation } from "../errors.js";
import type { FitsFile } from "../file.js";
import type { HduInfo } from "../hdu.js";
import type { Header } from "../header.js";
import { type BinTableCode, type BinTableFormat, parseBinTableFormat } from "../tform.js";
import {
  bytesOf,
  type ColumnKeywords,
  columnCard,
  columnLabel,
  decodeFitsString,
  gatherBigEndian,
  LITTLE_ENDIAN,
  MAX_TFIELDS,
  product,
  readColumnKeywords,
  readDataNaming,
  resolveRows,
  selectColumns,
} from "./common.js";
import { type ColumnData, type FitsColumn, FitsTable, type NumericColumnArray, type ReadTableOptions } from "./types.js";

/**
 * How a numeric column's stored values become the values it presents (astropy's rules):
 * "raw" (no scaling), the unsigned/signed conventions ("int8": B with TZERO=-128, "uint16": I
 * with TZERO=32768, "uint32": J with TZERO=2^31, "uint64": K with TZERO=2^63, all with TSCAL
 * absent or 1), or "float64" (any other TSCAL/TZERO: Float64Array, TNULL -> NaN).
 */
export type ColumnConversion = "raw" | "int8" | "uint16" | "uint32" | "uint64" | "float64";

/** Chooses the {@link ColumnConversion} for a column of element type `code`. */
export function columnConversion(
  code: BinTableCode,
  scale: number | undefined,
  zero: number | bigint | undefined,
): ColumnConversion {
  if (code === "A" || code === "L" || code === "X") return "raw";
  const s = scale ?? 1;
  const z = zero ?? 0;
  if (s === 1 && (z === 0 || z === 0n)) return "raw";
  if (s === 1) {
    if (code === "B" && Number(z) === -128) return "int8";
    if (code === "I" && Number(z) === 32768) return "uint16";
    if (code === "J" && Number(z) === 2147483648) return "uint32";
    if (code === "K" && (typeof z === "bigint" ? z === 9223372036854775808n : z === 2 ** 63)) return "uint64";
  }
  return "float64";
}

/** The layout and keywords of one binary-table column. */
export interface BinTableColumnLayout extends ColumnKeywords {
  /** Column number, 1-based. */
  n: number;
  /** TFORMn as written (trimmed). */
  format: string;
  /** Parsed TFORMn. */
  parsed: BinTableFormat;
  /** Byte offset of the field within a row. */
  offset: number;
  /** How stored values are converted. */
  conversion: ColumnConversion;
  /** For A columns, characters per string (TDIM[0] or r). */
  stringLength: number | undefined;
  /** Entries per row in the flat data of a fixed-width column (see {@link FitsColumn.itemsPerRow}). */
  itemsPerRow: number;
  /** TNULL as a stored integer, for integer columns (B, I, J, K and their P/Q forms). */
  nullStored: number | bigint | undefined;
}

/** The structure of a binary table as declared by its header, validated. */
export interface BinTableLayout {
  /** Bytes per row (NAXIS1). */
  rowBytes: number;
  /** Rows (NAXIS2). */
  nrows: number;
  /** Bytes after the main table (PCOUNT): the gap before the heap plus the heap. */
  pcount: number;
  /** Byte offset of the heap from the start of the data (THEAP, default NAXIS1*NAXIS2). */
  theap: number;
  /** Bytes from the heap start to the end of the data (descriptors must stay inside). */
  heapSize: number;
  /** The columns, in order. */
  columns: BinTableColumnLayout[];
}

const INTEGER_CODES: ReadonlySet<BinTableCode> = new Set(["B", "I", "J", "K"]);

/**
 * Reads and validates the structural and column keywords of a binary-table header: BITPIX=8,
 * NAXIS=2, GCOUNT=1, TFIELDS, every TFORMn, NAXIS1 = the sum of the column widths, THEAP inside
 * the data, TDIMn consistent with the repeat counts, TNULLn integers for integer columns.
 */
export function binTableLayout(header: Header, where: FitsErrorLocation = header.location): BinTableLayout {
  const at = (card: string): FitsErrorLocation => ({ ...where, card });
  const bitpix = header.requireInt("BITPIX");
  if (bitpix !== 8) throw new FitsError("BAD_VALUE", `a binary table must have BITPIX = 8, not ${bitpix}`, at("BITPIX"));
  const naxis = header.requireInt("NAXIS");
  if (naxis !== 2) throw new FitsError("BAD_VALUE", `a binary table must have NAXIS = 2, not ${naxis}`, at("NAXIS"));
  const rowBytes = header.requireInt("NAXIS1");
  const nrows = header.requireInt("NAXIS2");
  if (rowBytes < 0) throw new FitsError("BAD_VALUE", `NAXIS1 = ${rowBytes} is negative`, at("NAXIS1"));
  if (nrows < 0) throw new FitsError("BAD_VALUE", `NAXIS2 = ${nrows} is negative`, at("NAXIS2"));
  const pcount = header.getInt("PCOUNT") ?? 0;
  if (pcount < 0) throw new FitsError("BAD_VALUE", `PCOUNT = ${pcount} is negative`, at("PCOUNT"));
  const gcount = header.getInt("GCOUNT") ?? 1;
  if (gcount !== 1) throw new FitsError("BAD_VALUE", `a binary table must have GCOUNT = 1, not ${gcount}`, at("GCOUNT"));
  const tfields = header.requireInt("TFIELDS");
  if (tfields < 0 || tfields > MAX_TFIELDS) {
    throw new FitsError("BAD_VALUE", `TFIELDS = ${tfields} is outside 0..${MAX_TFIELDS}`, at("TFIELDS"));
  }
  const mainBytes = rowBytes * nrows;
  const dataBytes = mainBytes + pcount;
  if (!Number.isSafeInteger(dataBytes)) throw new FitsError("TOO_LARGE", `NAXIS1 * NAXIS2 + PCOUNT overflows`, at("NAXIS2"));
  const theap = header.getInt("THEAP") ?? mainBytes;
  if (theap < mainBytes || theap > dataBytes) {
    throw new FitsError(
      "BAD_VALUE",
      `THEAP = ${theap} must lie between the end of the main table (NAXIS1*NAXIS2 = ${mainBytes}) and the end of the data (${dataBytes})`,
      at("THEAP"),
    );
  }
  const columns: BinTableColumnLayout[] = [];
  let offset = 0;
  for (let n = 1; n <= tfields; n++) {
    const kw = readColumnKeywords(header, n, where);
    const label = columnLabel(n, kw.name);
    const tformCard = header.card(`TFORM${n}`);
    if (!tformCard) throw new FitsError("MISSING_KEYWORD", `${label} has no TFORM${n}`, at(`TFORM${n}`));
    if (typeof tformCard.value !== "string" || tformCard.unparsed !== undefined) {
      throw new FitsError("BAD_CARD", `${label}: TFORM${n} must be a string`, at(`TFORM${n}`));
    }
    const format = tformCard.value.trim();
    let parsed: BinTableFormat;
    try {
      parsed = parseBinTableFormat(format, at(`TFORM${n}`));
    } catch (e) {
      const detail = e instanceof FitsError ? e.detail : String(e);
      throw new FitsError("BAD_VALUE", `${label}: ${detail}`, at(`TFORM${n}`), { cause: e });
    }
    const { code, repeat } = parsed;
    let stringLength: number | undefined;
    let itemsPerRow = parsed.varLength ? 1 : code === "C" || code === "M" ? 2 * repeat : repeat;
    if (kw.dim && !parsed.varLength) {
      const p = product(kw.dim);
      if (p > repeat) {
        throw new FitsError(
          "BAD_VALUE",
          `${label}: TDIM${n} (${kw.dim.join(",")}) holds ${p} elements but TFORM${n} = '${format}' only ${repeat}`,
          at(`TDIM${n}`),
        );
      }
    }
    if (code === "A" && !parsed.varLength) {
      if (kw.dim && kw.dim.length > 1) {
        stringLength = kw.dim[0]!;
        itemsPerRow = product(kw.dim.slice(1));
      } else {
        stringLength = repeat;
        itemsPerRow = 1;
      }
    }
    let nullStored: number | bigint | undefined;
    if (kw.null !== undefined && INTEGER_CODES.has(code)) {
      if (typeof kw.null === "string" || (typeof kw.null === "number" && !Number.isInteger(kw.null))) {
        throw new FitsError("BAD_VALUE", `${label}: TNULL${n} must be an integer for an integer column`, at(`TNULL${n}`));
      }
      nullStored = kw.null;
    }
    columns.push({
      ...kw,
      n,
      format,
      parsed,
      offset,
      conversion: columnConversion(code, kw.scale, kw.zero),
      stringLength,
      itemsPerRow,
      nullStored,
    });
    offset += parsed.width;
    if (!Number.isSafeInteger(offset)) throw new FitsError("BAD_VALUE", `${label}: the row width overflows`, at(`TFORM${n}`));
  }
  if (offset !== rowBytes) {
    const widths = columns.map((c) => `TFORM${c.n}='${c.format}' ${c.parsed.width}`).join(", ");
    throw new FitsError(
      "BAD_VALUE",
      `NAXIS1 = ${rowBytes} but the columns' widths add up to ${offset} bytes (${widths || "no columns"})`,
      at("NAXIS1"),
    );
  }
  return { rowBytes, nrows, pcount, theap, heapSize: dataBytes - theap, columns };
}

/** Bytes per stored component (complex numbers count as two components). */
function componentSize(code: BinTableCode): number {
  switch (code) {
    case "I":
      return 2;
    case "J":
    case "E":
    case "C":
      return 4;
    case "K":
    case "D":
    case "M":
      return 8;
    default:
      return 1;
  }
}

/** Allocates the array a column of `code` with conversion `conv` presents, `n` components long. */
function allocPresented(code: BinTableCode, conv: ColumnConversion, n: number): NumericColumnArray {
  switch (conv) {
    case "int8":
      return new Int8Array(n);
    case "uint16":
      return new Uint16Array(n);
    case "uint32":
      return new Uint32Array(n);
    case "uint64":
      return new BigUint64Array(n);
    default:
      return allocStoredComponents(code, n);
  }
}

/** Allocates the stored-type array for `n` components of a numeric code. */
export function allocStoredComponents(code: BinTableCode, n: number): NumericColumnArray {
  switch (code) {
    case "I":
      return new Int16Array(n);
    case "J":
      return new Int32Array(n);
    case "K":
      return new BigInt64Array(n);
    case "E":
    case "C":
      return new Float32Array(n);
    case "D":
    case "M":
      return new Float64Array(n);
    default:
      return new Uint8Array(n);
  }
}

/**
 * Decodes `nrows` runs of `perRow` big-endian components (the first at `src[first]`, `stride`
 * bytes apart) of a numeric column into the presented array type.
 */
function decodeNumeric(
  src: Uint8Array,
  first: number,
  stride: number,
  nrows: number,
  perRow: number,
  col: BinTableColumnLayout,
): NumericColumnArray {
  const code = col.parsed.code;
  const size = componentSize(code);
  const n = nrows * perRow;
  const conv = col.conversion;
  if (conv === "float64") {
    const stored = allocStoredComponents(code, n);
    gatherBigEndian(src, first, stride, nrows, perRow * size, size, bytesOf(stored));
    return toFloat64(stored, col.scale ?? 1, Number(col.zero ?? 0), col.nullStored);
  }
  const out = allocPresented(code, conv, n);
  const bytes = bytesOf(out);
  gatherBigEndian(src, first, stride, nrows, perRow * size, size, bytes);
  if (conv !== "raw") {
    // The unsigned/signed conventions add 2^(bits-1): flip the sign bit of every element.
    const msb = LITTLE_ENDIAN ? size - 1 : 0;
    for (let k = msb; k < bytes.length; k += size) bytes[k]! ^= 0x80;
  }
  return out;
}

/** physical = stored * scale + zero, with the stored TNULL value (integers only) -> NaN. */
function toFloat64(
  stored: NumericColumnArray,
  scale: number,
  zero: number,
  nullStored: number | bigint | undefined,
): Float64Array {
  const n = stored.length;
  const out = new Float64Array(n);
  if (stored instanceof BigInt64Array) {
    const nb = nullStored === undefined ? undefined : BigInt(nullStored);
    for (let i = 0; i < n; i++) {
      const v = stored[i]!;
      out[i] = v === nb ? Number.NaN : Number(v) * scale + zero;
    }
    return out;
  }
  const src = stored as Exclude<NumericColumnArray, BigInt64Array | BigUint64Array>;
  if (nullStored !== undefined && !(src instanceof Float32Array || src instanceof Float64Array)) {
    const nv = Number(nullStored);
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      out[i] = v === nv ? Number.NaN : v * scale + zero;
    }
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = src[i]! * scale + zero;
  return out;
}

/** Logical bytes: 'T' -> 1, 'F' -> 0, anything else (NUL: undefined) -> -1. */
function decodeLogical(src: Uint8Array, first: number, stride: number, nrows: number, perRow: number): Int8Array {
  const out = new Int8Array(nrows * perRow);
  for (let r = 0, i = 0; r < nrows; r++) {
    const base = first + r * stride;
    for (let k = 0; k < perRow; k++, i++) {
      const b = src[base + k];
      out[i] = b === 0x54 ? 1 : b === 0x46 ? 0 : -1;
    }
  }
  return out;
}

/** Bits, most significant first, unpacked to one byte (0/1) per bit. */
function decodeBits(src: Uint8Array, first: number, stride: number, nrows: number, nbits: number): Uint8Array {
  const out = new Uint8Array(nrows * nbits);
  for (let r = 0, i = 0; r < nrows; r++) {
    const base = first + r * stride;
    for (let k = 0; k < nbits; k++, i++) out[i] = (src[base + (k >> 3)]! >> (7 - (k & 7))) & 1;
  }
  return out;
}

/** Decodes one fixed-width column from the bytes of `nrows` rows. */
function decodeFixed(rows: Uint8Array, nrows: number, rowBytes: number, col: BinTableColumnLayout): ColumnData {
  const { code, repeat } = col.parsed;
  const first = col.offset;
  switch (code) {
    case "L":
      return decodeLogical(rows, first, rowBytes, nrows, repeat);
    case "X":
      return decodeBits(rows, first, rowBytes, nrows, repeat);
    case "A": {
      const len = col.stringLength ?? repeat;
      const per = col.itemsPerRow;
      const out = new Array<string>(nrows * per);
      for (let r = 0, i = 0; r < nrows; r++) {
        const base = first + r * rowBytes;
        for (let k = 0; k < per; k++, i++) out[i] = decodeFitsString(rows, base + k * len, len);
      }
      return out;
    }
    default:
      return decodeNumeric(rows, first, rowBytes, nrows, col.itemsPerRow, col);
  }
}

/** Heap bytes taken by `count` elements of a variable-length column of `code`. */
function heapBytes(code: BinTableCode, count: number): number {
  if (code === "X") return Math.ceil(count / 8);
  return count * (code === "C" ? 8 : code === "M" ? 16 : componentSize(code));
}

interface Descriptors {
  counts: Float64Array;
  offsets: Float64Array;
}

/** Reads and validates the P/Q descriptors of a column for the rows read. */
function readDescriptors(
  rows: Uint8Array,
  nrows: number,
  rowBytes: number,
  col: BinTableColumnLayout,
  layout: BinTableLayout,
  rowStart: number,
  where: FitsErrorLocation,
): Descriptors {
  const view = new DataView(rows.buffer, rows.byteOffset, rows.byteLength);
  const counts = new Float64Array(nrows);
  const offsets = new Float64Array(nrows);
  const q = col.parsed.varLength === "Q";
  const code = col.parsed.code;
  for (let r = 0; r < nrows; r++) {
    const at = r * rowBytes + col.offset;
    let count: number;
    let off: number;
    if (q) {
      const c = view.getBigUint64(at);
      const o = view.getBigUint64(at + 8);
      if (c > BigInt(Number.MAX_SAFE_INTEGER) || o > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw corrupt(
          col,
          rowStart + r,
          `descriptor (count ${c}, offset ${o}) is beyond the heap of ${layout.heapSize} bytes`,
          where,
        );
      }
      count = Number(c);
      off = Number(o);
    } else {
      count = view.getUint32(at);
      off = view.getUint32(at + 4);
    }
    const nb = heapBytes(code, count);
    if (off + nb > layout.heapSize) {
      throw corrupt(
        col,
        rowStart + r,
        `descriptor (count ${count}, offset ${off}: heap bytes ${off}..${off + nb}) is beyond the heap of ${layout.heapSize} bytes`,
        where,
      );
    }
    counts[r] = count;
    offsets[r] = off;
  }
  return { counts, offsets };
}

function corrupt(col: BinTableColumnLayout, row: number, detail: string, where: FitsErrorLocation): FitsError {
  return new FitsError(
    "CORRUPT_DATA",
    `${columnLabel(col.n, col.name)} (TFORM${col.n} = '${col.format}'), row ${row} (0-based): ${detail}`,
    {
      ...where,
      card: columnCard(col.n, col.name),
    },
  );
}

/** Decodes the variable-length arrays of one column from the heap bytes read. */
function decodeVarLength(heap: Uint8Array, heapStart: number, d: Descriptors, col: BinTableColumnLayout): ColumnData {
  const code = col.parsed.code;
  const n = d.counts.length;
  if (code === "A") {
    const out = new Array<string>(n);
    for (let r = 0; r < n; r++) out[r] = decodeFitsString(heap, d.offsets[r]! - heapStart, d.counts[r]!);
    return out;
  }
  const out = new Array<NumericColumnArray>(n);
  for (let r = 0; r < n; r++) {
    const count = d.counts[r]!;
    const at = count === 0 ? 0 : d.offsets[r]! - heapStart;
    if (code === "L") out[r] = decodeLogical(heap, at, 0, 1, count);
    else if (code === "X") out[r] = decodeBits(heap, at, 0, 1, count);
    else {
      const per = code === "C" || code === "M" ? 2 * count : count;
      out[r] = decodeNumeric(heap, at, 0, 1, per, col);
    }
  }
  return out;
}

/**
 * Reads a binary table (XTENSION='BINTABLE'; also the table of a tile-compressed image when
 * asked for explicitly). Reads only the rows asked for, in one read, and the span of heap bytes
 * their variable-length arrays use, in one more. Numeric columns are decoded with byte swaps
 * into typed arrays (no per-cell objects); see the package doc comment for the representations.
 *
 * Throws {@link FitsError}: BAD_VALUE/MISSING_KEYWORD/BAD_CARD for inconsistent keywords (named
 * in `card`), CORRUPT_DATA for heap descriptors outside the heap (naming the column and row),
 * TRUNCATED when the file ends before the rows or heap, BAD_ARGUMENT for bad options.
 */
export async function readBinTable(file: FitsFile, hdu: HduInfo, options: ReadTableOptions = {}): Promise<FitsTable> {
  const where: FitsErrorLocation = { file: file.name, hdu: hdu.index };
  if (hdu.type !== "bintable" && hdu.type !== "compressed-image") {
    throw new FitsError("BAD_ARGUMENT", `HDU is a ${hdu.type}, not a binary table`, where);
  }
  const layout = binTableLayout(hdu.header, where);
  const { start, count } = resolveRows(options, layout.nrows, where);
  const chosen = selectColumns(layout.columns, options.columns, where);
  const rowBytes = layout.rowBytes;
  const rows =
    count > 0 && rowBytes > 0
      ? await readDataNaming(
          () => file.readData(hdu, start * rowBytes, count * rowBytes),
          "NAXIS2",
          `${layout.nrows} rows of ${rowBytes} bytes`,
          where,
        )
      : new Uint8Array(0);

  // Descriptors of the variable-length columns asked for, and the heap span they use.
  const descriptors = new Map<number, Descriptors>();
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  layout.columns.forEach((col, i) => {
    if (!chosen.has(i) || !col.parsed.varLength) return;
    const d = readDescriptors(rows, count, rowBytes, col, layout, start, where);
    descriptors.set(i, d);
    for (let r = 0; r < count; r++) {
      const c = d.counts[r]!;
      if (c === 0) continue;
      const off = d.offsets[r]!;
      if (off < lo) lo = off;
      const end = off + heapBytes(col.parsed.code, c);
      if (end > hi) hi = end;
    }
  });
  let heap: Uint8Array = new Uint8Array(0);
  let heapStart = 0;
  if (hi > 0 && hi > lo) {
    heapStart = lo;
    heap = await readDataNaming(
      () => file.readData(hdu, layout.theap + lo, hi - lo),
      "PCOUNT",
      `heap of ${layout.heapSize} bytes`,
      where,
    );
  }

  const columns: FitsColumn[] = [];
  layout.columns.forEach((col, i) => {
    if (!chosen.has(i)) return;
    const d = descriptors.get(i);
    const data = d ? decodeVarLength(heap, heapStart, d, col) : decodeFixed(rows, count, rowBytes, col);
    columns.push({
      index: col.n,
      name: col.name,
      format: col.format,
      parsed: col.parsed,
      repeat: col.parsed.repeat,
      itemsPerRow: col.itemsPerRow,
      stringLength: col.stringLength,
      varLength: col.parsed.varLength,
      unit: col.unit,
      disp: col.disp,
      dim: col.dim,
      null: col.null,
      scale: col.scale,
      zero: col.zero,
      doc: col.doc,
      data,
    });
  });
  return new FitsTable(hdu.header, count, columns, "binary", start, layout.nrows, where);
}
