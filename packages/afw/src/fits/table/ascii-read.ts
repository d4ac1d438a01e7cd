import { FitsError, type FitsErrorLocation } from "../errors.js";
import type { FitsFile } from "../file.js";
import type { HduInfo } from "../hdu.js";
import type { Header } from "../header.js";
import {
  type ColumnKeywords,
  columnCard,
  columnLabel,
  decodeFitsString,
  MAX_TFIELDS,
  readColumnKeywords,
  readDataNaming,
  resolveRows,
  selectColumns,
} from "./common.js";
import { type AsciiTableFormat, type ColumnData, type FitsColumn, FitsTable, type ReadTableOptions } from "./types.js";

const ASCII_TFORM_RE = /^\s*([AIFED])\s*(\d+)(?:\s*\.\s*(\d+))?(?:\s*E\s*\d+)?\s*$/;

/**
 * Parses an ASCII-table TFORMn: `Aw`, `Iw`, `Fw.d`, `Ew.d`, `Dw.d` (an `Ee` exponent-width
 * suffix, as in `E15.7E3`, is accepted and ignored). `start` is left 0 for the caller to set.
 */
export function parseAsciiTableFormat(tform: string, where: FitsErrorLocation = {}): AsciiTableFormat {
  const m = ASCII_TFORM_RE.exec(tform.toUpperCase());
  if (!m) throw new FitsError("BAD_VALUE", `cannot parse ASCII-table TFORM ${JSON.stringify(tform)}`, where);
  const code = m[1] as AsciiTableFormat["code"];
  const width = Number(m[2]);
  const decimals = m[3] === undefined ? 0 : Number(m[3]);
  if (!Number.isSafeInteger(width) || width < 1)
    throw new FitsError("BAD_VALUE", `TFORM ${JSON.stringify(tform)} has a bad width`, where);
  if ((code === "A" || code === "I") && m[3] !== undefined) {
    throw new FitsError("BAD_VALUE", `ASCII-table TFORM ${JSON.stringify(tform)}: ${code} fields take no decimals`, where);
  }
  if ((code === "F" || code === "E" || code === "D") && m[3] === undefined) {
    throw new FitsError(
      "BAD_VALUE",
      `ASCII-table TFORM ${JSON.stringify(tform)}: ${code} fields need a ".d" decimal count`,
      where,
    );
  }
  return { kind: "ascii", code, width, decimals, start: 0 };
}

/** One ASCII-table column's layout and keywords. */
interface AsciiColumnLayout extends ColumnKeywords {
  n: number;
  format: string;
  parsed: AsciiTableFormat;
}

/** Reads and validates the keywords of an ASCII table (TBCOLn, TFORMn, NAXIS1 covering every field). */
function asciiTableLayout(
  header: Header,
  where: FitsErrorLocation,
): { rowBytes: number; nrows: number; columns: AsciiColumnLayout[] } {
  const at = (card: string): FitsErrorLocation => ({ ...where, card });
  const bitpix = header.requireInt("BITPIX");
  if (bitpix !== 8) throw new FitsError("BAD_VALUE", `an ASCII table must have BITPIX = 8, not ${bitpix}`, at("BITPIX"));
  const naxis = header.requireInt("NAXIS");
  if (naxis !== 2) throw new FitsError("BAD_VALUE", `an ASCII table must have NAXIS = 2, not ${naxis}`, at("NAXIS"));
  const rowBytes = header.requireInt("NAXIS1");
  const nrows = header.requireInt("NAXIS2");
  if (rowBytes < 0) throw new FitsError("BAD_VALUE", `NAXIS1 = ${rowBytes} is negative`, at("NAXIS1"));
  if (nrows < 0) throw new FitsError("BAD_VALUE", `NAXIS2 = ${nrows} is negative`, at("NAXIS2"));
  const tfields = header.requireInt("TFIELDS");
  if (tfields < 0 || tfields > MAX_TFIELDS)
    throw new FitsError("BAD_VALUE", `TFIELDS = ${tfields} is outside 0..${MAX_TFIELDS}`, at("TFIELDS"));
  const columns: AsciiColumnLayout[] = [];
  for (let n = 1; n <= tfields; n++) {
    const kw = readColumnKeywords(header, n, where);
    const label = columnLabel(n, kw.name);
    const tform = header.getString(`TFORM${n}`);
    if (tform === undefined) throw new FitsError("MISSING_KEYWORD", `${label} has no TFORM${n}`, at(`TFORM${n}`));
    let parsed: AsciiTableFormat;
    try {
      parsed = parseAsciiTableFormat(tform, at(`TFORM${n}`));
    } catch (e) {
      const detail = e instanceof FitsError ? e.detail : String(e);
      throw new FitsError("BAD_VALUE", `${label}: ${detail}`, at(`TFORM${n}`), { cause: e });
    }
    const tbcol = header.getInt(`TBCOL${n}`);
    if (tbcol === undefined) throw new FitsError("MISSING_KEYWORD", `${label} has no TBCOL${n}`, at(`TBCOL${n}`));
    if (tbcol < 1 || tbcol - 1 + parsed.width > rowBytes) {
      throw new FitsError(
        "BAD_VALUE",
        `${label}: field at TBCOL${n} = ${tbcol} of width ${parsed.width} does not fit in rows of NAXIS1 = ${rowBytes} characters`,
        at(`TBCOL${n}`),
      );
    }
    parsed.start = tbcol - 1;
    columns.push({ ...kw, n, format: tform.trim(), parsed });
  }
  return { rowBytes, nrows, columns };
}

/** A parsed number field: NaN marks "undefined" (TNULL); `bad` when the text is not a number. */
const FLOAT_FIELD_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:(?:[EeDd]([+-]?\d+))|([+-]\d+))?$/;
const INT_FIELD_RE = /^[+-]?\d+$/;

/**
 * Parses the text of an F/E/D field the Fortran way: embedded blanks are ignored, a D (or no
 * letter before a signed exponent) marks the exponent, and with no decimal point the last
 * `decimals` digits are fractional (the implied decimal point). A blank field is 0.
 * Returns undefined when the text is not a number.
 */
export function parseAsciiReal(text: string, decimals: number): number | undefined {
  const s = text.replace(/ /g, "");
  if (s === "") return 0;
  const m = FLOAT_FIELD_RE.exec(s);
  if (!m || (m[2] === "" && (m[3] === undefined || m[3] === ""))) return undefined;
  const exp = Number(m[4] ?? m[5] ?? "0");
  if (m[3] === undefined) {
    // Implied decimal point: the digits are an integer scaled by 10^-decimals.
    return Number(`${m[1]}${m[2]}e${exp - decimals}`);
  }
  return Number(`${m[1]}${m[2] === "" ? "0" : m[2]}.${m[3] === "" ? "0" : m[3]}e${exp}`);
}

/**
 * Reads an ASCII table (XTENSION='TABLE'). Columns: A -> string[] (trailing blanks removed),
 * I -> Int32Array (Float64Array when a value overflows 32 bits, when TSCAL/TZERO are given, or
 * when a field equals TNULL, which becomes NaN), F/E/D -> Float64Array (TNULL -> NaN). A blank
 * numeric field reads as 0 (as astropy and CFITSIO do). TSCAL/TZERO apply to numeric columns.
 * Reads only the rows asked for, in one read.
 */
export async function readAsciiTable(file: FitsFile, hdu: HduInfo, options: ReadTableOptions = {}): Promise<FitsTable> {
  const where: FitsErrorLocation = { file: file.name, hdu: hdu.index };
  if (hdu.type !== "table") throw new FitsError("BAD_ARGUMENT", `HDU is a ${hdu.type}, not an ASCII table`, where);
  const layout = asciiTableLayout(hdu.header, where);
  const { start, count } = resolveRows(options, layout.nrows, where);
  const chosen = selectColumns(layout.columns, options.columns, where);
  const rowBytes = layout.rowBytes;
  const rows =
    count > 0 && rowBytes > 0
      ? await readDataNaming(
          () => file.readData(hdu, start * rowBytes, count * rowBytes),
          "NAXIS2",
          `${layout.nrows} rows of ${rowBytes} characters`,
          where,
        )
      : new Uint8Array(0);
  const columns: FitsColumn[] = [];
  layout.columns.forEach((col, i) => {
    if (!chosen.has(i)) return;
    columns.push({
      index: col.n,
      name: col.name,
      format: col.format,
      parsed: col.parsed,
      repeat: 1,
      itemsPerRow: 1,
      stringLength: col.parsed.code === "A" ? col.parsed.width : undefined,
      varLength: null,
      unit: col.unit,
      disp: col.disp,
      dim: col.dim,
      null: col.null,
      scale: col.scale,
      zero: col.zero,
      doc: col.doc,
      data: decodeAsciiColumn(rows, count, rowBytes, col, start, where),
    });
  });
  return new FitsTable(hdu.header, count, columns, "ascii", start, layout.nrows, where);
}

function fieldText(rows: Uint8Array, at: number, width: number): string {
  let s = "";
  for (let k = 0; k < width; k++) s += String.fromCharCode(rows[at + k]!);
  return s;
}

function decodeAsciiColumn(
  rows: Uint8Array,
  nrows: number,
  rowBytes: number,
  col: AsciiColumnLayout,
  rowStart: number,
  where: FitsErrorLocation,
): ColumnData {
  const { code, width, decimals, start } = col.parsed;
  if (code === "A") {
    const out = new Array<string>(nrows);
    for (let r = 0; r < nrows; r++) out[r] = decodeFitsString(rows, r * rowBytes + start, width);
    return out;
  }
  const nullText = col.null === undefined ? undefined : String(col.null).trim();
  const scale = col.scale ?? 1;
  const zero = Number(col.zero ?? 0);
  const scaled = scale !== 1 || zero !== 0;
  const bad = (r: number, text: string): FitsError =>
    new FitsError(
      "BAD_VALUE",
      `${columnLabel(col.n, col.name)} (TFORM${col.n} = '${col.format}'), row ${rowStart + r} (0-based): cannot read ${JSON.stringify(text)} as a number`,
      {
        ...where,
        card: columnCard(col.n, col.name),
      },
    );
  const values = new Float64Array(nrows);
  let isInt32 = code === "I" && !scaled;
  for (let r = 0; r < nrows; r++) {
    const text = fieldText(rows, r * rowBytes + start, width);
    const trimmed = text.trim();
    if (nullText !== undefined && trimmed === nullText) {
      values[r] = Number.NaN;
      isInt32 = false;
      continue;
    }
    let v: number | undefined;
    if (code === "I") {
      const t = trimmed.replace(/ /g, "");
      v = t === "" ? 0 : INT_FIELD_RE.test(t) ? Number(t) : undefined;
      if (v !== undefined && (v > 2147483647 || v < -2147483648)) isInt32 = false;
    } else {
      v = parseAsciiReal(text, decimals);
    }
    if (v === undefined) throw bad(r, text);
    values[r] = scaled ? v * scale + zero : v;
  }
  return isInt32 ? Int32Array.from(values) : values;
}
