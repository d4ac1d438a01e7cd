import { parseArgs } from "node:util";
import {
  FitsFile,
  FitsWriter,
  type HduInfo,
  imageHeaderFromTiled,
  parseTiledLayout,
  type QuantizeMethod,
  type WritableCompression,
} from "@skystack/afw";
import { UsageError } from "./errors.js";
import type { CliLog } from "./log.js";

/** One HDU as `skystack fits info --json` reports it. */
export interface HduSummary {
  /** 0-based HDU index. */
  index: number;
  /** "image" | "bintable" | "table" | "compressed-image" (others as "unknown"). */
  type: string;
  /** EXTNAME, or null. */
  extname: string | null;
  /** BITPIX of the image as decoded (ZBITPIX for compressed images; 8 for tables). */
  bitpix: number;
  /** Axis lengths in FITS order ([naxis1, naxis2, ...]); the image's for compressed images. */
  shape: number[];
  /** ZCMPTYPE, or null. */
  compression: string | null;
  /** Number of rows, for tables (compressed images report their tile rows as null). */
  rows: number | null;
}

/** Summarises one HDU (no data are read). */
export function summarizeHdu(h: HduInfo): HduSummary {
  const hdr = h.header;
  if (h.type === "compressed-image") {
    const layout = parseTiledLayout(hdr);
    return {
      index: h.index,
      type: h.type,
      extname: h.extname ?? null,
      bitpix: layout.zbitpix,
      shape: layout.shape,
      compression: layout.compression,
      rows: null,
    };
  }
  const naxis = hdr.getInt("NAXIS") ?? 0;
  const shape: number[] = [];
  for (let a = 1; a <= naxis; a++) shape.push(hdr.getInt(`NAXIS${a}`) ?? 0);
  const isTable = h.type === "bintable" || h.type === "table";
  return {
    index: h.index,
    type: h.type === "random-groups" ? "unknown" : h.type,
    extname: h.extname ?? null,
    bitpix: hdr.getInt("BITPIX") ?? 0,
    shape,
    compression: null,
    rows: isTable ? (shape[1] ?? 0) : null,
  };
}

const HELP_INFO = `usage: skystack fits info FILE [--json]

Lists the HDUs of a FITS file (plain, .gz, .bz2 or tile-compressed) without reading pixel data.
  --json   one JSON array, an object per HDU: index, type, extname, bitpix, shape, compression, rows`;

const HELP_HEADER = `usage: skystack fits header FILE [--hdu N] [--raw]

Prints the header of HDU N (default 0), one 80-character card per line.
For a tile-compressed image the image header is printed; --raw prints the table header as stored.`;

const HELP_CONVERT = `usage: skystack fits convert IN OUT [--hdu N] [--compress none|rice|gzip1|gzip2|hcompress|plio]
                              [--quantize Q] [--dither none|1|2] [--seed S] [--checksum]

Copies IN to OUT (atomically), every HDU or only HDU N. Images are written with the chosen tile
compression (default none: decompressed); tables are copied byte for byte.
  --quantize Q  float quantization: Q > 0 step = noise/Q (default 4); Q < 0 step = |Q|; 0 = lossless (gzip only)
  --dither      none = NO_DITHER, 1 = SUBTRACTIVE_DITHER_1 (default), 2 = SUBTRACTIVE_DITHER_2
  --seed S      dither seed ZDITHER0, 1..10000 (default 1)
  --checksum    write DATASUM and CHECKSUM cards in every HDU`;

/** `skystack fits info`. */
export async function fitsInfo(argv: string[], log: CliLog): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP_INFO}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("fits info needs exactly one FILE");
  const file = await FitsFile.open(positionals[0]!);
  try {
    const summaries = (await file.hdus()).map(summarizeHdu);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summaries)}\n`);
    } else {
      process.stdout.write(`Filename: ${file.name}\n`);
      process.stdout.write(
        `${"No.".padEnd(5)}${"Name".padEnd(12)}${"Type".padEnd(18)}${"BITPIX".padEnd(8)}${"Dimensions".padEnd(18)}Compression\n`,
      );
      for (const s of summaries) {
        const dims = s.rows !== null ? `${s.rows} rows x ${s.shape[0]} B` : `(${s.shape.join(", ")})`;
        process.stdout.write(
          `${String(s.index).padEnd(5)}${(s.extname ?? (s.index === 0 ? "PRIMARY" : "")).padEnd(12)}${s.type.padEnd(18)}${String(s.bitpix).padEnd(8)}${dims.padEnd(18)}${s.compression ?? ""}\n`,
        );
      }
    }
    log.debug(`read ${summaries.length} HDU headers`);
  } finally {
    await file.close();
  }
  return 0;
}

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, not ${JSON.stringify(value)}`);
  return n;
}

/** `skystack fits header`. */
export async function fitsHeader(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { hdu: { type: "string" }, raw: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP_HEADER}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("fits header needs exactly one FILE");
  const file = await FitsFile.open(positionals[0]!);
  try {
    const h = await file.hdu(intOption(values.hdu, "hdu", 0));
    const header =
      h.type === "compressed-image" && !values.raw ? imageHeaderFromTiled(h.header, parseTiledLayout(h.header), false) : h.header;
    process.stdout.write(`${header.toString()}\n`);
  } finally {
    await file.close();
  }
  return 0;
}

const COMPRESS_NAMES: Record<string, WritableCompression | "none"> = {
  none: "none",
  rice: "RICE_1",
  gzip1: "GZIP_1",
  gzip2: "GZIP_2",
  hcompress: "HCOMPRESS_1",
  plio: "PLIO_1",
};

const DITHER_NAMES: Record<string, QuantizeMethod> = {
  none: "NO_DITHER",
  "1": "SUBTRACTIVE_DITHER_1",
  "2": "SUBTRACTIVE_DITHER_2",
};

/** `skystack fits convert`. */
export async function fitsConvert(argv: string[], log: CliLog): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      hdu: { type: "string" },
      compress: { type: "string" },
      quantize: { type: "string" },
      dither: { type: "string" },
      seed: { type: "string" },
      checksum: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP_CONVERT}\n`);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError("fits convert needs IN and OUT");
  const compression = COMPRESS_NAMES[values.compress ?? "none"];
  if (!compression) throw new UsageError(`--compress must be one of ${Object.keys(COMPRESS_NAMES).join(", ")}`);
  const dither = DITHER_NAMES[values.dither ?? "1"];
  if (!dither) throw new UsageError("--dither must be none, 1 or 2");
  const quantize = values.quantize === undefined ? 4 : Number(values.quantize);
  if (!Number.isFinite(quantize)) throw new UsageError(`--quantize must be a number, not ${JSON.stringify(values.quantize)}`);
  const seed = intOption(values.seed, "seed", 1);
  if (seed < 1 || seed > 10000) throw new UsageError("--seed must be between 1 and 10000");
  const [inPath, outPath] = positionals as [string, string];
  const input = await FitsFile.open(inPath);
  let writer: FitsWriter | undefined;
  try {
    const all = await input.hdus();
    const chosen = values.hdu === undefined ? all : [await input.hdu(intOption(values.hdu, "hdu", 0))];
    writer = await FitsWriter.create(outPath, { checksum: values.checksum === true });
    const tick = log.progress("convert", chosen.length);
    let done = 0;
    for (const h of chosen) {
      if (h.type === "image" || h.type === "compressed-image") {
        const img = await input.readImage(h.index);
        const header = img.header;
        if (img.shape.length === 0) {
          await writer.writeImage(img.data, [], { header });
        } else if (compression === "none") {
          await writer.writeImage(img.data, img.shape, { header });
        } else {
          const isFloat = img.data instanceof Float32Array || img.data instanceof Float64Array;
          await writer.writeCompressedImage(img.data, img.shape, {
            compression,
            header,
            quantizeMethod: isFloat && quantize === 0 ? "NONE" : dither,
            quantizeLevel: quantize === 0 ? 4 : quantize,
            ditherSeed: seed,
          });
        }
      } else {
        const data = await input.readData(h, 0, h.dataSize);
        await writer.writeRaw({ header: h.header, data, padByte: h.type === "table" ? 0x20 : 0 });
      }
      tick(++done);
    }
    await writer.close();
    log.info(`wrote ${outPath} (${chosen.length} HDU${chosen.length === 1 ? "" : "s"} from ${inPath})`);
  } catch (e) {
    await writer?.abort();
    throw e;
  } finally {
    await input.close();
  }
  return 0;
}
