import { FitsError } from "../errors.js";
import type { FitsFile } from "../file.js";
import { readAsciiTable } from "./ascii-read.js";
import { readBinTable } from "./bintable-read.js";
import type { FitsTable, ReadTableOptions } from "./types.js";

/**
 * Reads the table in HDU `which` (0-based index or EXTNAME): binary tables (and, when asked for
 * explicitly, the table of a tile-compressed image) with {@link readBinTable}, ASCII tables
 * with {@link readAsciiTable}. Any other HDU gives a {@link FitsError} BAD_ARGUMENT.
 */
export async function readTable(file: FitsFile, which: number | string, options: ReadTableOptions = {}): Promise<FitsTable> {
  const hdu = await file.hdu(which);
  switch (hdu.type) {
    case "bintable":
    case "compressed-image":
      return readBinTable(file, hdu, options);
    case "table":
      return readAsciiTable(file, hdu, options);
    default:
      throw new FitsError("BAD_ARGUMENT", `HDU is a ${hdu.type}, not a table`, { file: file.name, hdu: hdu.index });
  }
}
