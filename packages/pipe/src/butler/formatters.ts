/**
 * Storage classes: how a dataset of each kind is written to and read from a file. Built in:
 * Exposure (FITS, LSST layout, via afw writeExposure/readExposure), Catalog (FITS binary table via
 * afw encodeBinTable/readTable), StructuredData (JSON) and RawExposure (one image HDU of a raw
 * file, read-only). Other packages register more with {@link registerStorageClass}.
 */
import { readFile, writeFile } from "node:fs/promises";
import {
  type ColumnInput,
  Exposure,
  encodeBinTable,
  type FitsColumn,
  FitsFile,
  FitsTable,
  FitsWriter,
  type PixelArray,
  readExposure,
  writeExposure,
} from "@skystack/afw";
import { ButlerError } from "./errors.js";

/** Where a dataset lives in a file: for multi-HDU raws, the HDU. */
export interface ReadLocation {
  /** HDU index holding the dataset (raws), if not the whole file. */
  hdu?: number | undefined;
}

/** Writes and reads one storage class. */
export interface Formatter<T = unknown> {
  /** File extension with the dot, e.g. ".fits". */
  readonly extension: string;
  /** Writes `value` completely to `path` (a temporary name the butler renames afterwards). */
  write(path: string, value: T): Promise<void>;
  /** Reads the dataset at `path`. */
  read(path: string, location: ReadLocation): Promise<T>;
}

const formatters = new Map<string, Formatter>();

/** Registers (or replaces) the formatter of a storage class. */
export function registerStorageClass<T>(name: string, formatter: Formatter<T>): void {
  formatters.set(name, formatter as Formatter);
}

/** The formatter of a storage class; throws {@link ButlerError} STORAGE_CLASS naming it if unknown. */
export function getFormatter(name: string): Formatter {
  const f = formatters.get(name);
  if (!f) throw new ButlerError("STORAGE_CLASS", `unknown storage class ${name} (known: ${[...formatters.keys()].join(", ")})`);
  return f;
}

/** Names of the registered storage classes. */
export function storageClassNames(): string[] {
  return [...formatters.keys()];
}

registerStorageClass<Exposure<PixelArray>>("Exposure", {
  extension: ".fits",
  async write(path, value) {
    if (!(value instanceof Exposure))
      throw new ButlerError("STORAGE_CLASS", `storage class Exposure needs an afw Exposure, got ${typeof value}`);
    await writeExposure(path, value);
  },
  async read(path) {
    return readExposure(path);
  },
});

function columnsOf(value: unknown): readonly ColumnInput[] {
  if (value instanceof FitsTable) return value.columns.map((c: FitsColumn) => c as unknown as ColumnInput);
  const v = value as { columns?: unknown };
  if (v && Array.isArray(v.columns)) return v.columns as ColumnInput[];
  throw new ButlerError("STORAGE_CLASS", "storage class Catalog needs { columns: ColumnInput[] } or a FitsTable");
}

registerStorageClass<unknown>("Catalog", {
  extension: ".fits",
  async write(path, value) {
    const table = encodeBinTable(columnsOf(value), { extname: "CATALOG" });
    const w = await FitsWriter.create(path);
    try {
      await w.writeImage(new Uint8Array(0), [], {});
      await w.writeRaw(table);
      await w.close();
    } catch (e) {
      await w.abort();
      throw e;
    }
  },
  async read(path) {
    const f = await FitsFile.open(path);
    try {
      return await f.readTable(1);
    } finally {
      await f.close();
    }
  },
});

registerStorageClass<unknown>("StructuredData", {
  extension: ".json",
  async write(path, value) {
    await writeFile(path, `${JSON.stringify(value, null, 1)}\n`, { flag: "wx" });
  },
  async read(path) {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  },
});

registerStorageClass<Exposure<PixelArray>>("RawExposure", {
  extension: ".fits",
  async write() {
    throw new ButlerError("STORAGE_CLASS", "RawExposure datasets are ingested (skystack butler ingest-raws), not written");
  },
  async read(path, location) {
    const f = await FitsFile.open(path);
    try {
      const hdu = location.hdu ?? 0;
      const img = await f.readImage(hdu);
      const [w = 0, h = 1] = img.shape;
      const exp = Exposure.make(w, h, "float32");
      const dst = exp.image.array;
      for (let i = 0; i < dst.length; i++) dst[i] = Number(img.data[i]);
      const primary = hdu === 0 ? img.header : f.imageHeader(await f.hdu(0));
      for (const hdr of hdu === 0 ? [img.header] : [primary, img.header]) {
        for (const k of hdr.keys()) {
          if (
            /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|BSCALE|BZERO|BLANK|END|COMMENT|HISTORY|CHECKSUM|DATASUM)$/.test(
              k,
            ) ||
            k === ""
          )
            continue;
          const v = hdr.get(k);
          if (v !== undefined && v !== null && (typeof v === "string" || typeof v === "number" || typeof v === "boolean"))
            exp.info.metadata.set(k, v);
        }
      }
      return exp;
    } finally {
      await f.close();
    }
  },
});
