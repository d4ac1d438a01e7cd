import { FitsError } from "./errors.js";
import { Header } from "./header.js";
import { type BinTableFormat, parseBinTableFormat } from "./tform.js";

/** Compression algorithms of the tiled-image convention. */
export type TileCompression = "RICE_1" | "RICE_ONE" | "GZIP_1" | "GZIP_2" | "PLIO_1" | "HCOMPRESS_1" | "NOCOMPRESS";

/** Quantization methods for floating-point tiles ("NONE" = stored losslessly). */
export type QuantizeMethod = "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2" | "NONE";

/** A column of the compressed table: where it is in the row and how it is stored. */
export interface TiledColumn {
  /** Byte offset in the row. */
  offset: number;
  /** Parsed TFORM. */
  format: BinTableFormat;
}

/** Everything needed to decode a tile-compressed image HDU, parsed from its table header. */
export interface TiledLayout {
  compression: TileCompression;
  /** BITPIX of the uncompressed image. */
  zbitpix: number;
  /** Image shape in FITS axis order. */
  shape: number[];
  /** Tile shape in FITS axis order. */
  tileShape: number[];
  /** Tiles along each axis. */
  tileCounts: number[];
  /** Row length of the table in bytes (NAXIS1). */
  rowBytes: number;
  /** Number of rows (tiles). */
  rows: number;
  /** Byte offset of the heap from the start of the data (THEAP, default NAXIS1*NAXIS2). */
  heapOffset: number;
  compressed: TiledColumn | undefined;
  gzipCompressed: TiledColumn | undefined;
  uncompressed: TiledColumn | undefined;
  zscaleColumn: TiledColumn | undefined;
  zzeroColumn: TiledColumn | undefined;
  zblankColumn: TiledColumn | undefined;
  /** ZSCALE/ZZERO/ZBLANK given as keywords (constant for all tiles). */
  zscale: number | undefined;
  zzero: number | undefined;
  zblank: number | undefined;
  quantize: QuantizeMethod;
  /** ZDITHER0 (1..10000). */
  ditherSeed: number;
  /** Algorithm parameters from ZNAMEi/ZVALi (BLOCKSIZE, BYTEPIX, SMOOTH, SCALE, NOISEBIT...). */
  params: Map<string, number | string | boolean>;
}

const COMPRESSIONS = new Set<TileCompression>(["RICE_1", "RICE_ONE", "GZIP_1", "GZIP_2", "PLIO_1", "HCOMPRESS_1", "NOCOMPRESS"]);

/** Parses the table header of a tile-compressed image HDU. */
export function parseTiledLayout(h: Header): TiledLayout {
  const where = h.location;
  const compression = h.requireString("ZCMPTYPE").trim().toUpperCase() as TileCompression;
  if (!COMPRESSIONS.has(compression)) {
    throw new FitsError("UNSUPPORTED", `unknown compression ZCMPTYPE = ${compression}`, { ...where, card: "ZCMPTYPE" });
  }
  const zbitpix = h.requireInt("ZBITPIX");
  if (![8, 16, 32, 64, -32, -64].includes(zbitpix)) {
    throw new FitsError("BAD_VALUE", `ZBITPIX ${zbitpix} is not valid`, { ...where, card: "ZBITPIX" });
  }
  const znaxis = h.requireInt("ZNAXIS");
  if (znaxis < 0 || znaxis > 999)
    throw new FitsError("BAD_VALUE", `ZNAXIS ${znaxis} is outside 0..999`, { ...where, card: "ZNAXIS" });
  const shape: number[] = [];
  const tileShape: number[] = [];
  const tileCounts: number[] = [];
  let ntiles = 1;
  for (let a = 1; a <= znaxis; a++) {
    const n = h.requireInt(`ZNAXIS${a}`);
    if (n < 0) throw new FitsError("BAD_VALUE", `ZNAXIS${a} = ${n} is negative`, { ...where, card: `ZNAXIS${a}` });
    const t = h.getInt(`ZTILE${a}`) ?? (a === 1 ? n : 1);
    if (t < 1 && n > 0) throw new FitsError("BAD_VALUE", `ZTILE${a} = ${t} must be positive`, { ...where, card: `ZTILE${a}` });
    shape.push(n);
    tileShape.push(Math.min(Math.max(t, 1), Math.max(n, 1)));
    const c = n === 0 ? 0 : Math.ceil(n / Math.max(t, 1));
    tileCounts.push(c);
    ntiles *= c;
  }
  const rowBytes = h.requireInt("NAXIS1");
  const rows = h.requireInt("NAXIS2");
  if (znaxis > 0 && rows !== ntiles) {
    throw new FitsError("BAD_VALUE", `table has ${rows} rows but the tiling needs ${ntiles}`, { ...where, card: "NAXIS2" });
  }
  const tfields = h.requireInt("TFIELDS");
  const cols = new Map<string, TiledColumn>();
  let offset = 0;
  for (let i = 1; i <= tfields; i++) {
    const format = parseBinTableFormat(h.requireString(`TFORM${i}`), { ...where, card: `TFORM${i}` });
    const name = (h.getString(`TTYPE${i}`) ?? "").trim().toUpperCase();
    cols.set(name, { offset, format });
    offset += format.width;
  }
  if (offset !== rowBytes) {
    throw new FitsError("BAD_VALUE", `columns take ${offset} bytes but NAXIS1 = ${rowBytes}`, { ...where, card: "NAXIS1" });
  }
  const params = new Map<string, number | string | boolean>();
  for (let i = 1; h.has(`ZNAME${i}`); i++) {
    const v = h.get(`ZVAL${i}`);
    if (typeof v === "number" || typeof v === "string" || typeof v === "boolean")
      params.set(h.requireString(`ZNAME${i}`).trim().toUpperCase(), v);
  }
  const zq = h.getString("ZQUANTIZ")?.trim().toUpperCase();
  let quantize: QuantizeMethod;
  if (zbitpix > 0) quantize = "NONE";
  else if (zq === undefined) quantize = cols.has("ZSCALE") || h.has("ZSCALE") ? "NO_DITHER" : "NONE";
  else if (zq === "NO_DITHER" || zq === "SUBTRACTIVE_DITHER_1" || zq === "SUBTRACTIVE_DITHER_2") quantize = zq;
  else if (zq === "NONE") quantize = "NONE";
  else throw new FitsError("UNSUPPORTED", `unknown ZQUANTIZ = ${zq}`, { ...where, card: "ZQUANTIZ" });
  const ditherSeed = h.getInt("ZDITHER0") ?? 1;
  const num = (k: string): number | undefined => (h.has(k) ? h.getNumber(k) : undefined);
  const layout: TiledLayout = {
    compression,
    zbitpix,
    shape,
    tileShape,
    tileCounts,
    rowBytes,
    rows,
    heapOffset: h.getInt("THEAP") ?? rowBytes * rows,
    compressed: cols.get("COMPRESSED_DATA"),
    gzipCompressed: cols.get("GZIP_COMPRESSED_DATA"),
    uncompressed: cols.get("UNCOMPRESSED_DATA"),
    zscaleColumn: cols.get("ZSCALE"),
    zzeroColumn: cols.get("ZZERO"),
    zblankColumn: cols.get("ZBLANK"),
    zscale: num("ZSCALE"),
    zzero: num("ZZERO"),
    zblank: num("ZBLANK"),
    quantize,
    ditherSeed,
    params,
  };
  if (!layout.compressed && !layout.gzipCompressed && !layout.uncompressed) {
    throw new FitsError("BAD_VALUE", "compressed image table has no COMPRESSED_DATA column", { ...where, card: "TTYPE1" });
  }
  return layout;
}

/** Table keywords of the compression convention that are not part of the image header. */
const TABLE_ONLY =
  /^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|THEAP|TTYPE\d+|TFORM\d+|TUNIT\d+|TDIM\d+|TSCAL\d+|TZERO\d+|TNULL\d+|TDISP\d+|ZIMAGE|ZCMPTYPE|ZTILE\d+|ZNAME\d+|ZVAL\d+|ZQUANTIZ|ZDITHER0|ZSCALE|ZZERO|ZBLANK|ZMASKCMP|ZSIMPLE|ZTENSION|ZEXTEND|ZBITPIX|ZNAXIS\d*|ZPCOUNT|ZGCOUNT|ZHECKSUM|ZDATASUM|CHECKSUM|DATASUM)$/;

/**
 * Rebuilds the header of the uncompressed image from the compressed table header, as cfitsio
 * and astropy present it: Z-keywords become the image's structural keywords, table keywords go.
 */
export function imageHeaderFromTiled(h: Header, layout: TiledLayout, primaryStyle: boolean): Header {
  const out = new Header([], h.location);
  const zsimple = h.get("ZSIMPLE");
  if (primaryStyle || zsimple === true) out.set("SIMPLE", true, { comment: "conforms to FITS standard" });
  else out.set("XTENSION", (h.getString("ZTENSION") ?? "IMAGE").trim(), { comment: "image extension" });
  out.set("BITPIX", layout.zbitpix, { comment: "array data type" });
  out.set("NAXIS", layout.shape.length, { comment: "number of array dimensions" });
  layout.shape.forEach((n, i) => {
    out.set(`NAXIS${i + 1}`, n);
  });
  if (out.has("SIMPLE")) out.set("EXTEND", h.getBool("ZEXTEND") ?? true);
  else {
    out.set("PCOUNT", h.getInt("ZPCOUNT") ?? 0);
    out.set("GCOUNT", h.getInt("ZGCOUNT") ?? 1);
  }
  for (const c of h.cards) {
    if (!c.commentary && TABLE_ONLY.test(c.keyword)) continue;
    out.appendCard(c);
  }
  if (layout.zbitpix > 0) {
    if (layout.zblank !== undefined && !out.has("BLANK")) out.set("BLANK", layout.zblank);
  }
  return out;
}
