import { FitsError, type FitsErrorLocation } from "../errors.js";
import { Header } from "../header.js";
import { type BinTableCode, type BinTableFormat, formatBinTableFormat, parseBinTableFormat } from "../tform.js";
import { allocStoredComponents, columnConversion } from "./bintable-read.js";
import { bytesOf, columnLabel, LITTLE_ENDIAN, MAX_TFIELDS, product, scatterBigEndian } from "./common.js";
import type { NumericColumnArray } from "./types.js";

/**
 * A column to encode. `data` uses the representations the reader returns (see the package doc
 * comment), so a {@link FitsColumn} read from a file can be passed back as is (one read from an
 * ASCII table keeps only its name, data, unit, display format and doc; its binary format is
 * inferred from the data).
 */
export interface ColumnInput {
  /** TTYPEn. */
  name: string;
  /**
   * The values: a flat typed array (row-major, `itemsPerRow` entries per row), `string[]` for A
   * (and PA/QA with an explicit format), or one typed array per row for P/Q columns.
   */
  data: NumericColumnArray | readonly string[] | readonly NumericColumnArray[];
  /**
   * Explicit TFORMn ("1E", "13X", "C", "PJ", "QD", "10A", ...). Needed for L, X, C, M and PA/QA
   * columns, whose data look like other types; otherwise inferred: Float64Array -> D,
   * Float32Array -> E, Int32Array -> J, Int16Array -> I, Uint8Array -> B, BigInt64Array -> K,
   * Uint16Array -> I with TZERO=32768, Uint32Array -> J with TZERO=2^31, BigUint64Array -> K with
   * TZERO=2^63, Int8Array -> B with TZERO=-128 (signed bytes; logicals need format "L"),
   * string[] -> A as wide as the longest string (at least 1); an array of typed arrays -> a
   * variable-length column of the rows' element type (P, or Q when the heap passes 2^31 - 1
   * bytes; an explicit P is then also written as Q).
   */
  format?: string | undefined;
  /** Repeat count r (elements per row; characters for A, bits for X) when no format gives it. */
  repeat?: number | undefined;
  /** TUNITn. */
  unit?: string | undefined;
  /** TDISPn. */
  disp?: string | undefined;
  /** TDIMn, axis lengths in FITS order (its product must not exceed r). */
  dim?: readonly number[] | undefined;
  /** TNULLn for integer columns: the stored value written for NaN (scaled columns). */
  null?: number | bigint | string | undefined;
  /** TSCALn: data hold physical values, stored = (physical - zero) / scale. */
  scale?: number | undefined;
  /** TZEROn (see `scale`). */
  zero?: number | bigint | undefined;
  /** TDOCn, a description of the column (the LSST afw convention). */
  doc?: string | undefined;
}

/** Options for {@link encodeBinTable}. */
export interface EncodeBinTableOptions {
  /**
   * Extra cards (e.g. EXTNAME, comments) written in order after the structural and column
   * keywords; structural keywords, CHECKSUM/DATASUM and TTYPE/TFORM/TUNIT/TDISP/TDIM/TNULL/
   * TSCAL/TZERO/TDOC/TBCOLn in it are ignored, so a table's own header may be passed back.
   */
  header?: Header | undefined;
  /** EXTNAME to set. */
  extname?: string | undefined;
  /** Number of rows, needed only when no column determines it (no columns, or only r = 0). */
  nrows?: number | undefined;
}

/** A binary-table HDU ready to write: its header and its data (main table then heap, unpadded). */
export interface EncodedBinTable {
  /** XTENSION='BINTABLE' header with every structural and column keyword. */
  header: Header;
  /** NAXIS1*NAXIS2 bytes of rows followed by PCOUNT bytes of heap (pad to 2880 with zeros). */
  data: Uint8Array;
}

/** Keywords of an extra header that describe the old data and are never copied. */
const STRUCTURAL = new Set([
  "SIMPLE",
  "XTENSION",
  "BITPIX",
  "NAXIS",
  "PCOUNT",
  "GCOUNT",
  "TFIELDS",
  "THEAP",
  "EXTEND",
  "END",
  "CHECKSUM",
  "DATASUM",
]);
const COLUMN_KEY_RE = /^(NAXIS|TTYPE|TFORM|TUNIT|TDISP|TDIM|TNULL|TSCAL|TZERO|TDOC|TBCOL)\d+$/;

/** Largest heap offset a P descriptor (32-bit) is written with. */
const P_LIMIT = 2 ** 31 - 1;

type IntegerRange = { min: number; max: number };
const INT_RANGE: Partial<Record<BinTableCode, IntegerRange>> = {
  B: { min: 0, max: 255 },
  I: { min: -32768, max: 32767 },
  J: { min: -2147483648, max: 2147483647 },
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A column resolved to its format and its stored bytes. */
interface Resolved {
  n: number;
  input: ColumnInput;
  label: string;
  where: FitsErrorLocation;
  code: BinTableCode;
  varLength: "P" | "Q" | null;
  repeat: number;
  stringLength: number;
  itemsPerRow: number;
  scale: number | undefined;
  zero: number | bigint | undefined;
  nullValue: number | bigint | undefined;
  /** For variable-length columns: per-row heap bytes (big-endian) and element counts. */
  heapRows?: Uint8Array[];
  counts?: number[];
  heapOffset?: number;
  maxLength?: number;
}

function typeCode(a: NumericColumnArray): { code: BinTableCode; zero?: number | bigint } {
  if (a instanceof Float64Array) return { code: "D" };
  if (a instanceof Float32Array) return { code: "E" };
  if (a instanceof Int32Array) return { code: "J" };
  if (a instanceof Int16Array) return { code: "I" };
  if (a instanceof Uint8Array) return { code: "B" };
  if (a instanceof BigInt64Array) return { code: "K" };
  if (a instanceof Uint16Array) return { code: "I", zero: 32768 };
  if (a instanceof Uint32Array) return { code: "J", zero: 2147483648 };
  if (a instanceof BigUint64Array) return { code: "K", zero: 9223372036854775808n };
  return { code: "B", zero: -128 }; // Int8Array
}

function isTypedArray(x: unknown): x is NumericColumnArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/**
 * Encodes columns as a binary-table HDU: builds the header (XTENSION, BITPIX, NAXIS, NAXIS1,
 * NAXIS2, PCOUNT, GCOUNT, TFIELDS, then TTYPE/TFORM/TUNIT/TNULL/TSCAL/TZERO/TDISP/TDIM/TDOC per
 * column, then EXTNAME and the extra cards) and the data: rows big-endian, variable-length arrays
 * in a heap right after the rows (PCOUNT = heap bytes, THEAP left at its default). Values are
 * written bit for bit (NaN payloads kept) when the data already have the stored type; scaled
 * columns are converted with stored = round((physical - TZERO) / TSCAL), NaN -> TNULL.
 * Throws {@link FitsError} BAD_ARGUMENT/BAD_VALUE naming the column for inconsistent input.
 */
export function encodeBinTable(columns: readonly ColumnInput[], options: EncodeBinTableOptions = {}): EncodedBinTable {
  if (columns.length > MAX_TFIELDS)
    throw new FitsError("BAD_ARGUMENT", `a table holds at most ${MAX_TFIELDS} columns, not ${columns.length}`);
  const resolved = columns.map((c, i) => resolveColumn(fromAsciiTable(c), i + 1));
  const nrows = tableRows(resolved, options.nrows);

  // Variable-length columns: the heap, then P or Q.
  let heapSize = 0;
  for (const r of resolved) {
    if (!r.varLength) continue;
    encodeHeapRows(r, nrows);
    r.heapOffset = heapSize;
    for (const b of r.heapRows!) heapSize += b.length;
  }
  // 32-bit P descriptors cannot address a heap beyond 2^31 - 1 bytes: use Q (even when P was asked for).
  if (heapSize > P_LIMIT) for (const r of resolved) if (r.varLength) r.varLength = "Q";
  const formats: BinTableFormat[] = resolved.map((r) =>
    parseBinTableFormat(
      r.varLength
        ? formatBinTableFormat({ repeat: 1, code: r.code, varLength: r.varLength, maxLength: r.maxLength })
        : `${r.repeat}${r.code}`,
    ),
  );
  const rowBytes = formats.reduce((s, f) => s + f.width, 0);
  const mainBytes = rowBytes * nrows;
  if (!Number.isSafeInteger(mainBytes + heapSize))
    throw new FitsError("TOO_LARGE", `table of ${nrows} rows of ${rowBytes} bytes is too large`);
  const data = new Uint8Array(mainBytes + heapSize);

  let offset = 0;
  resolved.forEach((r, i) => {
    const f = formats[i]!;
    if (r.varLength) writeDescriptors(r, data, offset, rowBytes, nrows, mainBytes);
    else writeFixed(r, data, offset, rowBytes, nrows);
    offset += f.width;
  });

  const h = new Header();
  h.set("XTENSION", "BINTABLE", { comment: "binary table extension" });
  h.set("BITPIX", 8, { comment: "array data type" });
  h.set("NAXIS", 2, { comment: "number of array dimensions" });
  h.set("NAXIS1", rowBytes, { comment: "length of dimension 1" });
  h.set("NAXIS2", nrows, { comment: "length of dimension 2" });
  h.set("PCOUNT", heapSize, { comment: "number of group parameters" });
  h.set("GCOUNT", 1, { comment: "number of groups" });
  h.set("TFIELDS", resolved.length, { comment: "number of table fields" });
  resolved.forEach((r, i) => {
    const n = r.n;
    const c = r.input;
    h.set(`TTYPE${n}`, c.name);
    h.set(`TFORM${n}`, formatBinTableFormat(formats[i]!));
    if (c.unit !== undefined) h.set(`TUNIT${n}`, c.unit);
    if (r.nullValue !== undefined) h.set(`TNULL${n}`, r.nullValue);
    if (r.scale !== undefined) h.set(`TSCAL${n}`, r.scale, { isInteger: false });
    if (r.zero !== undefined) h.set(`TZERO${n}`, r.zero, { isInteger: typeof r.zero === "bigint" || Number.isInteger(r.zero) });
    if (c.disp !== undefined) h.set(`TDISP${n}`, c.disp);
    if (c.dim !== undefined) h.set(`TDIM${n}`, `(${c.dim.join(",")})`);
    if (c.doc !== undefined) h.set(`TDOC${n}`, c.doc);
  });
  const extra = (options.header?.clone().cards ?? []).filter(
    (card) => card.commentary || !(STRUCTURAL.has(card.keyword) || COLUMN_KEY_RE.test(card.keyword)),
  );
  if (options.extname !== undefined && !extra.some((card) => !card.commentary && card.keyword === "EXTNAME")) {
    h.set("EXTNAME", options.extname, { comment: "extension name" });
  }
  const header = new Header([...h.cards, ...extra]);
  if (options.extname !== undefined) header.set("EXTNAME", options.extname);
  return { header, data };
}

/**
 * A column read from an ASCII table (its `parsed.kind` is "ascii") keeps only its name, data,
 * unit, display format and doc: its TFORM, TNULL string and scaling describe the text, and the
 * data are already physical values (NaN for nulls), so the binary format is inferred.
 */
function fromAsciiTable(c: ColumnInput): ColumnInput {
  const parsed = (c as { parsed?: { kind?: unknown } }).parsed;
  if (parsed?.kind !== "ascii") return c;
  return { name: c.name, data: c.data, unit: c.unit, disp: c.disp, doc: c.doc };
}

function resolveColumn(c: ColumnInput, n: number): Resolved {
  const label = columnLabel(n, c.name);
  const where: FitsErrorLocation = { card: c.name === "" ? `TTYPE${n}` : c.name };
  const fail = (detail: string, card?: string): FitsError =>
    new FitsError("BAD_ARGUMENT", `${label}: ${detail}`, card ? { card } : where);
  if (typeof c.name !== "string") throw fail("the name must be a string");
  const data = c.data;
  const typed = isTypedArray(data);
  if (!typed && !Array.isArray(data)) throw fail("data must be a typed array, a string[] or an array of typed arrays");
  const rowsAreArrays = !typed && (data as readonly unknown[]).some((x) => isTypedArray(x));

  let parsed: BinTableFormat | undefined;
  if (c.format !== undefined) {
    try {
      parsed = parseBinTableFormat(c.format, { card: `TFORM${n}` });
    } catch (e) {
      throw new FitsError(
        "BAD_VALUE",
        `${label}: ${e instanceof FitsError ? e.detail : String(e)}`,
        { card: `TFORM${n}` },
        { cause: e },
      );
    }
  }
  const varLength: "P" | "Q" | null = parsed ? parsed.varLength : rowsAreArrays ? "P" : null;
  let code: BinTableCode;
  let impliedZero: number | bigint | undefined;
  let sample: NumericColumnArray | undefined;
  if (varLength) {
    if (typed) throw fail("a variable-length column needs one array (or string) per row");
    const rows = data as readonly unknown[];
    for (const row of rows) {
      if (isTypedArray(row)) {
        if (sample && row.constructor !== sample.constructor)
          throw fail("rows of a variable-length column must all have the same array type");
        sample ??= row;
      } else if (typeof row !== "string") {
        throw fail("each row of a variable-length column must be a typed array (or a string for PA/QA)");
      }
    }
    if (parsed) code = parsed.code;
    else code = sample ? typeCode(sample).code : "B";
    if (code === "A" ? sample !== undefined : rows.some((x) => typeof x === "string")) {
      throw fail(code === "A" ? "a PA/QA column takes one string per row" : `a P${code} column takes one typed array per row`);
    }
    if (sample && !parsed) impliedZero = typeCode(sample).zero;
    else if (sample && parsed) {
      const t = typeCode(sample);
      if (t.code === code) impliedZero = t.zero;
    }
  } else if (typed) {
    sample = data as NumericColumnArray;
    const t = typeCode(sample);
    code = parsed ? parsed.code : t.code;
    if (t.code === code) impliedZero = t.zero;
    if (code === "A") throw fail("an A column takes a string[]");
  } else {
    if (rowsAreArrays) throw fail("a fixed-width column takes a flat typed array");
    code = parsed ? parsed.code : "A";
    if (code !== "A") throw fail(`a ${code} column takes a typed array, not strings`);
    if ((data as readonly unknown[]).some((x) => typeof x !== "string")) throw fail("an A column takes a string[]");
  }

  const scale = c.scale;
  let zero = c.zero;
  if (scale === undefined && zero === undefined && impliedZero !== undefined) zero = impliedZero;
  if (scale !== undefined && (!Number.isFinite(scale) || scale === 0))
    throw fail(`TSCAL ${scale} must be finite and non-zero`, `TSCAL${n}`);
  if (typeof zero === "number" && !Number.isFinite(zero)) throw fail(`TZERO ${zero} must be finite`, `TZERO${n}`);
  if ((scale !== undefined || zero !== undefined) && (code === "A" || code === "L" || code === "X")) {
    throw fail(`TSCAL/TZERO cannot be used with a ${code} column`, `TSCAL${n}`);
  }
  let nullValue: number | bigint | undefined;
  if (c.null !== undefined) {
    if (code !== "B" && code !== "I" && code !== "J" && code !== "K")
      throw fail(`TNULL can only be given for integer (B, I, J, K) columns, not ${code}`, `TNULL${n}`);
    if (typeof c.null === "string" || (typeof c.null === "number" && !Number.isInteger(c.null)))
      throw fail("TNULL must be an integer", `TNULL${n}`);
    nullValue = c.null;
    if (code !== "K") {
      const range = INT_RANGE[code]!;
      const v = Number(nullValue);
      if (v < range.min || v > range.max) throw fail(`TNULL ${nullValue} does not fit a ${code} column`, `TNULL${n}`);
    } else {
      const v = BigInt(nullValue);
      if (v < INT64_MIN || v > INT64_MAX) throw fail(`TNULL ${nullValue} does not fit a K column`, `TNULL${n}`);
    }
  }
  if (c.dim !== undefined && (c.dim.length === 0 || c.dim.some((d) => !Number.isSafeInteger(d) || d < 0))) {
    throw fail(`TDIM (${c.dim.join(",")}) must be non-negative integers`, `TDIM${n}`);
  }

  let repeat = 1;
  let stringLength = 0;
  let itemsPerRow = 1;
  if (!varLength) {
    if (parsed) {
      repeat = parsed.repeat;
      if (c.repeat !== undefined && c.repeat !== repeat) throw fail(`repeat ${c.repeat} contradicts TFORM '${c.format}'`);
    } else if (c.repeat !== undefined) {
      repeat = c.repeat;
    } else if (c.dim !== undefined) {
      repeat = product(c.dim);
    } else if (code === "A") {
      let longest = 1;
      for (const s of data as readonly string[]) if (s.length > longest) longest = s.length;
      repeat = longest;
    }
    if (!Number.isSafeInteger(repeat) || repeat < 0) throw fail(`repeat ${repeat} must be a non-negative integer`);
    if (c.dim !== undefined && product(c.dim) > repeat)
      throw fail(`TDIM (${c.dim.join(",")}) holds more than the ${repeat} elements of a row`, `TDIM${n}`);
    if (code === "A") {
      if (c.dim !== undefined && c.dim.length > 1) {
        stringLength = c.dim[0]!;
        itemsPerRow = product(c.dim.slice(1));
      } else {
        stringLength = repeat;
        itemsPerRow = 1;
      }
    } else {
      itemsPerRow = code === "C" || code === "M" ? 2 * repeat : repeat;
    }
  }
  return {
    n,
    input: c,
    label,
    where,
    code,
    varLength,
    repeat,
    stringLength,
    itemsPerRow,
    scale,
    zero,
    nullValue,
  };
}

/** The number of rows all columns agree on. */
function tableRows(resolved: Resolved[], given: number | undefined): number {
  let nrows = given;
  let from = "options.nrows";
  if (nrows !== undefined && (!Number.isSafeInteger(nrows) || nrows < 0))
    throw new FitsError("BAD_ARGUMENT", `nrows ${nrows} must be a non-negative integer`);
  for (const r of resolved) {
    const len = r.input.data.length;
    let rows: number | undefined;
    if (r.varLength) rows = len;
    else if (r.itemsPerRow > 0) {
      rows = len / r.itemsPerRow;
      if (!Number.isInteger(rows)) {
        throw new FitsError(
          "BAD_ARGUMENT",
          `${r.label}: ${len} values is not a whole number of rows of ${r.itemsPerRow}`,
          r.where,
        );
      }
    } else if (len !== 0) {
      throw new FitsError("BAD_ARGUMENT", `${r.label}: a column of repeat 0 takes no values, got ${len}`, r.where);
    }
    if (rows === undefined) continue;
    if (nrows === undefined) {
      nrows = rows;
      from = r.label;
    } else if (rows !== nrows) {
      throw new FitsError("BAD_ARGUMENT", `${r.label} has ${rows} rows but ${from} has ${nrows}`, r.where);
    }
  }
  return nrows ?? 0;
}

/**
 * Converts physical values to the stored type of `code` (host byte order). Returns the input
 * itself when it already has the stored type and no scaling applies (bit-exact, NaN payloads
 * kept); flips the sign bit for the unsigned/signed conventions (also bit-exact).
 */
function toStored(r: Resolved, values: NumericColumnArray, rowForErrors: number | undefined): NumericColumnArray {
  const code = r.code;
  const conv = columnConversion(code, r.scale, r.zero);
  const components = values.length;
  const storedSample = allocStoredComponents(code, 0);
  if (conv === "raw" && values.constructor === storedSample.constructor) return values;
  if (conv !== "raw" && conv !== "float64") {
    const presented = { int8: Int8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array }[conv];
    if (values instanceof presented) {
      const out = allocStoredComponents(code, components);
      const ob = bytesOf(out);
      ob.set(bytesOf(values));
      const size = out.BYTES_PER_ELEMENT;
      const msb = LITTLE_ENDIAN ? size - 1 : 0;
      for (let k = msb; k < ob.length; k += size) ob[k]! ^= 0x80;
      return out;
    }
  }
  const scale = r.scale ?? 1;
  const zeroNum = Number(r.zero ?? 0);
  const out = allocStoredComponents(code, components);
  const where = (i: number): string => {
    const row = rowForErrors ?? Math.floor(i / Math.max(1, r.itemsPerRow));
    return `row ${row} (0-based)`;
  };
  if (code === "E" || code === "D" || code === "C" || code === "M") {
    const o = out as Float32Array | Float64Array;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      for (let i = 0; i < components; i++) o[i] = (Number(values[i]!) - zeroNum) / scale;
    } else {
      const v = values as Exclude<NumericColumnArray, BigInt64Array | BigUint64Array>;
      if (scale === 1 && zeroNum === 0) o.set(v);
      else for (let i = 0; i < components; i++) o[i] = (v[i]! - zeroNum) / scale;
    }
    return out;
  }
  if (code === "K") {
    const o = out as BigInt64Array;
    const exactZero = typeof r.zero === "bigint" ? r.zero : Number.isInteger(zeroNum) ? BigInt(zeroNum) : undefined;
    if ((values instanceof BigInt64Array || values instanceof BigUint64Array) && scale === 1 && exactZero !== undefined) {
      for (let i = 0; i < components; i++) {
        const s = values[i]! - exactZero;
        if (s < INT64_MIN || s > INT64_MAX)
          throw new FitsError(
            "BAD_VALUE",
            `${r.label}, ${where(i)}: ${values[i]} does not fit a K column with TZERO ${r.zero}`,
            r.where,
          );
        o[i] = s;
      }
      return out;
    }
    for (let i = 0; i < components; i++) {
      const x = Number(values[i]!);
      if (Number.isNaN(x)) {
        if (r.nullValue === undefined)
          throw new FitsError("BAD_VALUE", `${r.label}, ${where(i)}: NaN in an integer column without TNULL`, r.where);
        o[i] = BigInt(r.nullValue);
        continue;
      }
      const s = Math.round((x - zeroNum) / scale);
      if (!Number.isFinite(s) || s < -(2 ** 63) || s >= 2 ** 63) {
        throw new FitsError("BAD_VALUE", `${r.label}, ${where(i)}: ${x} does not fit a K column`, r.where);
      }
      o[i] = BigInt(s);
    }
    return out;
  }
  const range = INT_RANGE[code]!;
  const o = out as Uint8Array | Int16Array | Int32Array;
  const nullNum = r.nullValue === undefined ? undefined : Number(r.nullValue);
  for (let i = 0; i < components; i++) {
    const x = Number(values[i]!);
    if (Number.isNaN(x)) {
      if (nullNum === undefined)
        throw new FitsError("BAD_VALUE", `${r.label}, ${where(i)}: NaN in an integer column without TNULL`, r.where);
      o[i] = nullNum;
      continue;
    }
    const s = scale === 1 && zeroNum === 0 ? x : Math.round((x - zeroNum) / scale);
    if (!(s >= range.min && s <= range.max) || !Number.isInteger(s)) {
      throw new FitsError(
        "BAD_VALUE",
        `${r.label}, ${where(i)}: ${x} does not fit a ${code} column${r.scale !== undefined || r.zero !== undefined ? ` with TSCAL ${scale} and TZERO ${r.zero ?? 0}` : ""}`,
        r.where,
      );
    }
    o[i] = s;
  }
  return out;
}

function componentSize(code: BinTableCode): number {
  return code === "I"
    ? 2
    : code === "J" || code === "E" || code === "C"
      ? 4
      : code === "K" || code === "D" || code === "M"
        ? 8
        : 1;
}

function encodeString(r: Resolved, s: string, row: number, out: Uint8Array, at: number, width: number): void {
  if (s.length > width) {
    throw new FitsError(
      "BAD_VALUE",
      `${r.label}, row ${row} (0-based): string of ${s.length} characters is longer than the field (${width})`,
      r.where,
    );
  }
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c > 0x7e) {
      throw new FitsError("BAD_VALUE", `${r.label}, row ${row} (0-based): character code ${c} is not printable ASCII`, r.where);
    }
    out[at + k] = c;
  }
  out.fill(0x20, at + s.length, at + width);
}

function numericValues(r: Resolved, x: NumericColumnArray): Exclude<NumericColumnArray, BigInt64Array | BigUint64Array> {
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) {
    throw new FitsError("BAD_ARGUMENT", `${r.label}: a ${r.code} column cannot take 64-bit integer data`, r.where);
  }
  return x;
}

function writeFixed(r: Resolved, out: Uint8Array, offset: number, rowBytes: number, nrows: number): void {
  const data = r.input.data;
  const code = r.code;
  const repeat = r.repeat;
  if (code === "A") {
    const strings = data as readonly string[];
    const per = r.itemsPerRow;
    const len = r.stringLength;
    for (let row = 0, i = 0; row < nrows; row++) {
      const base = row * rowBytes + offset;
      for (let k = 0; k < per; k++, i++) encodeString(r, strings[i]!, row, out, base + k * len, len);
      out.fill(0x20, base + per * len, base + repeat);
    }
    return;
  }
  const values = data as NumericColumnArray;
  if (code === "L") {
    const v = numericValues(r, values);
    for (let row = 0, i = 0; row < nrows; row++) {
      const base = row * rowBytes + offset;
      for (let k = 0; k < repeat; k++, i++) {
        const x = v[i]!;
        out[base + k] = x > 0 ? 0x54 : x === 0 ? 0x46 : 0;
      }
    }
    return;
  }
  if (code === "X") {
    const v = numericValues(r, values);
    for (let row = 0, i = 0; row < nrows; row++) {
      const base = row * rowBytes + offset;
      for (let k = 0; k < repeat; k++, i++) if (v[i]) out[base + (k >> 3)]! |= 0x80 >> (k & 7);
    }
    return;
  }
  const stored = toStored(r, values, undefined);
  const size = componentSize(code);
  scatterBigEndian(bytesOf(stored), out, offset, rowBytes, nrows, r.itemsPerRow * size, size);
}

/** Builds the heap bytes of each row of a variable-length column. */
function encodeHeapRows(r: Resolved, nrows: number): void {
  const rows = r.input.data as readonly (NumericColumnArray | string)[];
  const heapRows: Uint8Array[] = new Array(nrows);
  const counts: number[] = new Array(nrows);
  let max = 0;
  const code = r.code;
  for (let row = 0; row < nrows; row++) {
    const x = rows[row]!;
    let bytes: Uint8Array;
    let count: number;
    if (typeof x === "string") {
      bytes = new Uint8Array(x.length);
      encodeString(r, x, row, bytes, 0, x.length);
      count = x.length;
    } else if (code === "L") {
      const v = numericValues(r, x);
      bytes = new Uint8Array(v.length);
      for (let k = 0; k < v.length; k++) bytes[k] = v[k]! > 0 ? 0x54 : v[k] === 0 ? 0x46 : 0;
      count = v.length;
    } else if (code === "X") {
      const v = numericValues(r, x);
      bytes = new Uint8Array(Math.ceil(v.length / 8));
      for (let k = 0; k < v.length; k++) if (v[k]) bytes[k >> 3]! |= 0x80 >> (k & 7);
      count = v.length;
    } else {
      if ((code === "C" || code === "M") && x.length % 2 !== 0) {
        throw new FitsError(
          "BAD_ARGUMENT",
          `${r.label}, row ${row} (0-based): complex values come in (re, im) pairs; got ${x.length} numbers`,
          r.where,
        );
      }
      const stored = toStored(r, x, row);
      const size = componentSize(code);
      bytes = new Uint8Array(stored.byteLength);
      scatterBigEndian(bytesOf(stored), bytes, 0, stored.byteLength, 1, stored.byteLength, size);
      count = code === "C" || code === "M" ? x.length / 2 : x.length;
    }
    heapRows[row] = bytes;
    counts[row] = count;
    if (count > max) max = count;
  }
  r.heapRows = heapRows;
  r.counts = counts;
  r.maxLength = max;
}

function writeDescriptors(
  r: Resolved,
  out: Uint8Array,
  offset: number,
  rowBytes: number,
  nrows: number,
  mainBytes: number,
): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let heapAt = r.heapOffset!;
  for (let row = 0; row < nrows; row++) {
    const bytes = r.heapRows![row]!;
    const count = r.counts![row]!;
    const at = row * rowBytes + offset;
    const off = count === 0 ? 0 : heapAt;
    if (r.varLength === "Q") {
      view.setBigUint64(at, BigInt(count));
      view.setBigUint64(at + 8, BigInt(off));
    } else {
      view.setUint32(at, count);
      view.setUint32(at + 4, off);
    }
    out.set(bytes, mainBytes + heapAt);
    heapAt += bytes.length;
  }
}
