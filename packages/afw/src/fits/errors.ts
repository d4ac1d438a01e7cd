/** What went wrong, as a stable machine-readable code. */
export type FitsErrorCode =
  | "NOT_FITS" // the bytes are not FITS (nor gzip/bzip2-wrapped FITS)
  | "TRUNCATED" // the file ends before a header or data unit does
  | "BAD_CARD" // a header card cannot be parsed or has the wrong type
  | "BAD_HEADER" // header structure is wrong (missing END, wrong mandatory keyword order)
  | "MISSING_KEYWORD" // a required keyword is absent
  | "BAD_VALUE" // a keyword value is out of range or inconsistent
  | "TOO_LARGE" // declared sizes exceed the configured limits
  | "CORRUPT_DATA" // data (e.g. a compressed tile) cannot be decoded
  | "UNSUPPORTED" // valid FITS that this library does not handle
  | "NO_SUCH_HDU" // an HDU index or name that is not in the file
  | "BAD_ARGUMENT" // a caller passed something invalid (bad section, bad column)
  | "IO"; // the operating system refused a read or write

/** Where in a FITS file an error happened. */
export interface FitsErrorLocation {
  /** File name or a label for in-memory data. */
  file?: string | undefined;
  /** 0-based HDU index. */
  hdu?: number | undefined;
  /** Keyword (or column name) concerned. */
  card?: string | undefined;
}

/**
 * Typed error raised for every problem with FITS input or output. Its message names the file,
 * the HDU (0-based) and the card or column, then says what is wrong.
 */
export class FitsError extends Error {
  readonly code: FitsErrorCode;
  readonly file: string | undefined;
  readonly hdu: number | undefined;
  readonly card: string | undefined;
  readonly detail: string;

  constructor(code: FitsErrorCode, detail: string, where: FitsErrorLocation = {}, options?: { cause?: unknown }) {
    const parts: string[] = [];
    if (where.file !== undefined) parts.push(where.file);
    if (where.hdu !== undefined) parts.push(`HDU ${where.hdu}`);
    if (where.card !== undefined) parts.push(`card ${where.card}`);
    super(parts.length > 0 ? `${parts.join(": ")}: ${detail}` : detail, options);
    this.name = "FitsError";
    this.code = code;
    this.file = where.file;
    this.hdu = where.hdu;
    this.card = where.card;
    this.detail = detail;
  }
}
