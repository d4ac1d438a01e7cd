import { FitsError, type FitsErrorLocation } from "../errors.js";
import type { Header } from "../header.js";
import type { FitsPixelArray } from "../pixels.js";
import type { BinTableFormat } from "../tform.js";

/** Typed arrays a table column decodes to: the same set as image pixels (see the package doc comment in `index.ts`). */
export type NumericColumnArray = FitsPixelArray;

/**
 * The values of one column:
 * - fixed-width numeric, logical (L), bit (X) and complex (C/M) columns: one flat typed array,
 *   row-major, `itemsPerRow` entries per row;
 * - character (A) columns and variable-length character columns (PA/QA): one string per item;
 * - other variable-length columns (P/Q): one typed array per row.
 */
export type ColumnData = NumericColumnArray | string[] | NumericColumnArray[];

/** A parsed ASCII-table (XTENSION='TABLE') TFORMn: `Aw`, `Iw`, `Fw.d`, `Ew.d`, `Dw.d`. */
export interface AsciiTableFormat {
  /** Discriminates from a binary-table format. */
  kind: "ascii";
  /** Field type letter. */
  code: "A" | "I" | "F" | "E" | "D";
  /** Field width w, characters. */
  width: number;
  /** Digits after the (possibly implied) decimal point d (0 for A and I). */
  decimals: number;
  /** Byte offset of the field in the row, 0-based (TBCOLn - 1). */
  start: number;
}

/** One column of a {@link FitsTable}, with its keywords and decoded values. */
export interface FitsColumn {
  /** Column number n, 1-based, as in `TTYPEn`. */
  index: number;
  /** TTYPEn, trailing blanks removed ("" when the column has no TTYPE). */
  name: string;
  /** TFORMn exactly as written (trimmed). */
  format: string;
  /** The parsed TFORMn: a binary-table format, or an ASCII-table format (`kind: "ascii"`). */
  parsed: BinTableFormat | AsciiTableFormat;
  /**
   * The TFORM repeat count r: elements per row (characters for A, bits for X, complex numbers
   * for C/M; 1 for variable-length descriptors and ASCII-table fields).
   */
  repeat: number;
  /**
   * Entries per row in a fixed-width column's flat `data`: r for numeric, L and X columns, 2r for
   * C/M (re, im interleaved), the number of strings per row for A (1, or product(TDIM[1..]) when
   * TDIM makes a string array); 1 for variable-length and ASCII columns.
   */
  itemsPerRow: number;
  /** For A columns, characters per string (TDIM[0] when TDIM is given, else r). */
  stringLength: number | undefined;
  /** "P" or "Q" for variable-length array columns, null otherwise. */
  varLength: "P" | "Q" | null;
  /** TUNITn (physical unit string), if given. */
  unit: string | undefined;
  /** TDISPn (display format), if given. */
  disp: string | undefined;
  /** TDIMn as axis lengths in FITS order (fastest-varying first), if given. */
  dim: number[] | undefined;
  /** TNULLn: the stored integer (binary tables) or the string (ASCII tables) meaning "undefined". */
  null: number | bigint | string | undefined;
  /** TSCALn, if given (physical = stored * scale + zero). */
  scale: number | undefined;
  /** TZEROn, if given (a bigint when the card holds an integer beyond 2^53, e.g. 2^63). */
  zero: number | bigint | undefined;
  /** TDOCn (a column description, the LSST afw convention), if given. */
  doc: string | undefined;
  /** The decoded values (see {@link ColumnData}). */
  data: ColumnData;
}

/**
 * A FITS table (binary or ASCII) as read: its header, the rows read and the columns asked for.
 * `nrows` is the number of rows in the column data (the rows asked for, not NAXIS2).
 */
export class FitsTable {
  constructor(
    /** The table HDU's header, as stored. */
    readonly header: Header,
    /** Number of rows in the column data. */
    readonly nrows: number,
    /** The columns read, in table order. */
    readonly columns: FitsColumn[],
    /** "binary" for XTENSION='BINTABLE' (and tile-compressed images), "ascii" for 'TABLE'. */
    readonly kind: "binary" | "ascii",
    /** 0-based index in the HDU of the first row read. */
    readonly rowStart: number,
    /** NAXIS2: rows in the whole table. */
    readonly totalRows: number,
    /** Where the table came from (file and HDU), for error messages. */
    readonly location: FitsErrorLocation = {},
  ) {}

  /** Column names (TTYPE) in order. */
  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  /** True when a column of this name (case-insensitive) was read. */
  has(name: string): boolean {
    return findColumn(this.columns, name) !== undefined;
  }

  /**
   * The column called `name` (TTYPE, case-insensitive, surrounding blanks ignored; the first one
   * when several share the name). Throws a {@link FitsError} BAD_ARGUMENT when there is none.
   */
  column(name: string): FitsColumn {
    const c = findColumn(this.columns, name);
    if (!c) {
      throw new FitsError(
        "BAD_ARGUMENT",
        `no column named ${JSON.stringify(name)} (columns: ${this.columns.map((x) => JSON.stringify(x.name)).join(", ")})`,
        { ...this.location, card: name },
      );
    }
    return c;
  }
}

/** Case-insensitive lookup of a column by name. */
export function findColumn<T extends { name: string }>(columns: readonly T[], name: string): T | undefined {
  const want = name.trim().toUpperCase();
  return columns.find((c) => c.name.trim().toUpperCase() === want);
}

/** Options for the table readers. */
export interface ReadTableOptions {
  /** Read only these columns (names, case-insensitive); default all. They keep table order. */
  columns?: string[];
  /** First row to read, 0-based (default 0). */
  rowStart?: number;
  /** Number of rows to read (default: to the end of the table). */
  rowCount?: number;
}
