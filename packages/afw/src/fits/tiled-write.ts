import { gzipSync } from "node:zlib";
import {
  gzip2Shuffle,
  hcompressEncode,
  NULL_VALUE,
  plioEncode,
  quantizeTile,
  riceEncode,
  riceEncodeTiles,
  riceWasmAvailable,
} from "./compress/index.js";
import { FitsError } from "./errors.js";
import { Header } from "./header.js";
import { bitpixFor, copyUserCards } from "./image-header.js";
import { copyToBigEndian, type FitsPixelArray } from "./pixels.js";
import { product } from "./section.js";
import type { QuantizeMethod } from "./tiled-header.js";
import type { RawHdu } from "./writer.js";

/** Algorithms skystack can write. */
export type WritableCompression = "RICE_1" | "GZIP_1" | "GZIP_2" | "PLIO_1" | "HCOMPRESS_1";

/** How to tile-compress an image. */
export interface CompressionOptions {
  /** Algorithm. */
  compression: WritableCompression;
  /** Tile shape in FITS axis order (default: whole rows, [naxis1, 1, ...]; HCOMPRESS: 16 rows). */
  tileShape?: readonly number[] | undefined;
  /**
   * Float quantization level q (ZQUANTIZ): q > 0 sets the step to (tile noise)/q; q < 0 sets the
   * step to |q| in data units. Default 4, as fpack. Ignored for integer images.
   */
  quantizeLevel?: number | undefined;
  /** Quantization method for floats; "NONE" stores floats losslessly (GZIP only). Default SUBTRACTIVE_DITHER_1. */
  quantizeMethod?: QuantizeMethod | undefined;
  /** ZDITHER0, the dither seed 1..10000 (default 1). */
  ditherSeed?: number | undefined;
  /** HCOMPRESS scale factor (0 = lossless; default 0). */
  hcompressScale?: number | undefined;
  /** RICE block size in pixels (default 32). */
  riceBlockSize?: number | undefined;
}

/** Options of {@link compressImageHdu}. */
export interface CompressImageOptions extends CompressionOptions {
  /** Cards of the image (WCS, metadata); structural keywords are generated. */
  header?: Header | undefined;
  /** EXTNAME of the HDU. */
  extname?: string | undefined;
}

function intsOf(data: FitsPixelArray, start: number, n: number, out: Int32Array, bzero: number | bigint | undefined): void {
  // Stored (signed) values: unsigned arrays are offset by BZERO, as FITS stores them. One loop per
  // array type keeps each loop monomorphic (this runs over every pixel of the image).
  if (data instanceof Uint16Array) {
    for (let k = 0; k < n; k++) out[k] = data[start + k]! - 32768;
  } else if (data instanceof Int16Array || data instanceof Int32Array || data instanceof Uint8Array) {
    out.set(data.subarray(start, start + n));
  } else if (data instanceof Int8Array) {
    for (let k = 0; k < n; k++) out[k] = data[start + k]! + 128;
  } else if (data instanceof Uint32Array) {
    for (let k = 0; k < n; k++) out[k] = (data[start + k]! - 2147483648) | 0;
  } else {
    const off = bzero === undefined ? 0 : Number(bzero);
    for (let k = 0; k < n; k++) out[k] = Number(data[start + k]) - off;
  }
}

/** Iterates tiles in table order, giving each tile's start and dims. */
function* tiles(shape: readonly number[], tileShape: readonly number[]): Generator<{ start: number[]; dims: number[] }> {
  const nd = shape.length;
  const counts = shape.map((n, a) => Math.ceil(n / tileShape[a]!));
  const t = new Array<number>(nd).fill(0);
  if (counts.some((c) => c === 0)) return;
  for (;;) {
    const start = t.map((ti, a) => ti * tileShape[a]!);
    const dims = start.map((s, a) => Math.min(tileShape[a]!, shape[a]! - s));
    yield { start, dims };
    let a = 0;
    while (a < nd) {
      t[a]!++;
      if (t[a]! < counts[a]!) break;
      t[a] = 0;
      a++;
    }
    if (a === nd) return;
  }
}

/** Gathers a tile's pixels (x fastest) from the full image into `dst` (element offset 0). */
function gatherTile(
  shape: readonly number[],
  start: number[],
  dims: number[],
  put: (dstIndex: number, srcIndex: number, n: number) => void,
): void {
  const nd = shape.length;
  const strides = [1];
  for (let a = 1; a < nd; a++) strides.push(strides[a - 1]! * shape[a - 1]!);
  const lineCount = product(dims.slice(1));
  const pos = new Array<number>(nd).fill(0);
  let dst = 0;
  for (let line = 0; line < lineCount; line++) {
    let s = start[0]!;
    for (let a = 1; a < nd; a++) s += (start[a]! + pos[a]!) * strides[a]!;
    put(dst, s, dims[0]!);
    dst += dims[0]!;
    for (let a = 1; a < nd; a++) {
      pos[a]!++;
      if (pos[a]! < dims[a]!) break;
      pos[a] = 0;
    }
  }
}

/**
 * Builds a tile-compressed image HDU (a BINTABLE following the FITS tiled-image convention)
 * from pixels in FITS order. Integers are compressed losslessly; floats are quantized with
 * dithering (or, with quantizeMethod "NONE", stored losslessly with GZIP).
 */
export function compressImageHdu(data: FitsPixelArray, shape: readonly number[], options: CompressImageOptions): RawHdu {
  const n = product(shape);
  if (n !== data.length)
    throw new FitsError("BAD_ARGUMENT", `shape ${JSON.stringify(shape)} has ${n} pixels but the array has ${data.length}`);
  const { bitpix, bzero } = bitpixFor(data);
  const cmp = options.compression;
  const isFloat = bitpix < 0;
  const method: QuantizeMethod = isFloat ? (options.quantizeMethod ?? "SUBTRACTIVE_DITHER_1") : "NONE";
  if (isFloat && method === "NONE" && cmp !== "GZIP_1" && cmp !== "GZIP_2") {
    throw new FitsError("BAD_ARGUMENT", `lossless floating-point compression needs GZIP_1 or GZIP_2, not ${cmp}`);
  }
  if (bitpix === 64 && cmp !== "GZIP_1" && cmp !== "GZIP_2") {
    throw new FitsError("BAD_ARGUMENT", `64-bit integers can only be compressed with GZIP_1 or GZIP_2, not ${cmp}`);
  }
  if (cmp === "HCOMPRESS_1" && shape.length !== 2) throw new FitsError("BAD_ARGUMENT", "HCOMPRESS_1 needs a 2-d image");
  const defaultTile = shape.map((s, a) => (a === 0 ? s : a === 1 && cmp === "HCOMPRESS_1" ? Math.min(16, s) : 1));
  const tileShape = options.tileShape ? shape.map((s, a) => Math.min(options.tileShape?.[a] ?? 1, s)) : defaultTile;
  if (cmp === "HCOMPRESS_1") {
    // cfitsio cannot decode HCOMPRESS tiles narrower or shorter than 4 pixels (funpack crashes),
    // so grow the tile until the last one along each axis has 0 or at least 4 pixels.
    for (let a = 0; a < 2; a++) {
      while (tileShape[a]! < shape[a]! && shape[a]! % tileShape[a]! !== 0 && shape[a]! % tileShape[a]! < 4) tileShape[a]!++;
    }
  }
  if (tileShape.some((t) => !Number.isInteger(t) || t < 1))
    throw new FitsError("BAD_ARGUMENT", `bad tile shape ${JSON.stringify(tileShape)}`);
  const level = options.quantizeLevel ?? 4;
  const ditherSeed = options.ditherSeed ?? 1;
  const blockSize = options.riceBlockSize ?? 32;
  const intBytes = isFloat ? 4 : Math.abs(bitpix) / 8;
  const maxTile = product(tileShape);
  const ints = new Int32Array(maxTile);
  const floats = bitpix === -64 ? new Float64Array(maxTile) : new Float32Array(maxTile);
  const heapParts: Uint8Array[] = [];
  let heapSize = 0;
  const rows: { cOff: number; cLen: number; gOff: number; gLen: number; zscale: number; zzero: number }[] = [];
  let anyNull = false;
  let maxLen = 0;
  let maxGzip = 0;
  const quantized = isFloat && method !== "NONE";
  let tileIndex = 0;
  // Integer images with RICE_1: all tiles in a few WebAssembly calls (same bytes as riceEncode).
  const batched =
    cmp === "RICE_1" &&
    !isFloat &&
    bitpix !== 64 &&
    (intBytes === 1 || intBytes === 2 || intBytes === 4) &&
    Number.isInteger(blockSize) &&
    blockSize >= 1 &&
    blockSize <= 65536 &&
    (data instanceof Uint16Array ||
      data instanceof Int16Array ||
      data instanceof Int32Array ||
      data instanceof Uint8Array ||
      data instanceof Int8Array ||
      data instanceof Uint32Array) &&
    tileShape.every((t, a) => a < 2 || t === 1) &&
    riceWasmAvailable();
  if (batched) {
    const strides = [1];
    for (let a = 1; a < shape.length; a++) strides.push(strides[a - 1]! * shape[a - 1]!);
    const list = [...tiles(shape, tileShape)];
    const place = new Int32Array(3 * list.length);
    list.forEach(({ start, dims }, k) => {
      let off = 0;
      for (let a = 0; a < shape.length; a++) off += start[a]! * strides[a]!;
      place[3 * k] = off;
      place[3 * k + 1] = dims[0]!;
      place[3 * k + 2] = dims[1] ?? 1;
    });
    const enc = riceEncodeTiles(data, place, shape[0]!, intBytes as 1 | 2 | 4, blockSize, "wasm");
    heapParts.push(...enc.chunks);
    for (let k = 0; k < list.length; k++) {
      const len = enc.lengths[k]!;
      rows.push({ cOff: heapSize, cLen: len, gOff: 0, gLen: 0, zscale: 1, zzero: 0 });
      heapSize += len;
      maxLen = Math.max(maxLen, len);
    }
  }
  for (const { start, dims } of batched ? [] : tiles(shape, tileShape)) {
    const tn = product(dims);
    let bytes: Uint8Array;
    let gz = false;
    let zscale = 1;
    let zzero = 0;
    if (isFloat) {
      gatherTile(shape, start, dims, (d, s, m) => floats.set((data as Float32Array).subarray(s, s + m), d));
      if (quantized) {
        const q = quantizeTile(floats.subarray(0, tn), tn, { level, method, tileIndex, ditherSeed, nx: dims[0]! });
        if (q) {
          zscale = q.zscale;
          zzero = q.zzero;
          anyNull ||= q.hasNull;
          bytes = encodeInts(cmp, q.ints, tn, 4, dims, blockSize, options.hcompressScale ?? 0);
        } else {
          // Tiles that cannot be quantized are stored losslessly, always with GZIP_1 (as cfitsio does).
          bytes = gzipRaw(floats, tn, bitpix, "GZIP_1");
          gz = true;
        }
      } else {
        bytes = gzipRaw(floats, tn, bitpix, cmp);
      }
    } else if (bitpix === 64) {
      const big = new BigInt64Array(tn);
      const src = bzero === undefined ? (data as BigInt64Array) : undefined;
      gatherTile(shape, start, dims, (d, s, m) => {
        for (let k = 0; k < m; k++) {
          big[d + k] = src ? src[s + k]! : BigInt.asIntN(64, (data as BigUint64Array)[s + k]! ^ 9223372036854775808n);
        }
      });
      bytes = gzipRaw(big, tn, 64, cmp);
    } else {
      gatherTile(shape, start, dims, (d, s, m) => intsOf(data, s, m, ints.subarray(d), bzero));
      if (cmp === "PLIO_1") {
        for (let k = 0; k < tn; k++) {
          if (ints[k]! < 0 || ints[k]! >= 1 << 24) {
            throw new FitsError("BAD_ARGUMENT", `PLIO_1 only holds values 0..16777215 (pixel value ${ints[k]})`);
          }
        }
      }
      bytes = encodeInts(cmp, ints, tn, intBytes, dims, blockSize, options.hcompressScale ?? 0);
    }
    const off = heapSize;
    heapParts.push(bytes);
    heapSize += bytes.length;
    const elemCount = cmp === "PLIO_1" && !gz ? bytes.length / 2 : bytes.length;
    if (gz) {
      rows.push({ cOff: 0, cLen: 0, gOff: off, gLen: bytes.length, zscale, zzero });
      maxGzip = Math.max(maxGzip, bytes.length);
    } else {
      rows.push({ cOff: off, cLen: elemCount, gOff: 0, gLen: 0, zscale, zzero });
      maxLen = Math.max(maxLen, elemCount);
    }
    tileIndex++;
  }
  if (heapSize > 0x7fffffff) throw new FitsError("TOO_LARGE", "compressed heap exceeds 2 GiB; use smaller images per HDU");

  // Table layout: COMPRESSED_DATA [, GZIP_COMPRESSED_DATA] [, ZSCALE, ZZERO].
  const cols: { name: string; form: string; width: number }[] = [
    { name: "COMPRESSED_DATA", form: `1P${cmp === "PLIO_1" ? "I" : "B"}(${maxLen})`, width: 8 },
  ];
  if (quantized) {
    cols.push({ name: "GZIP_COMPRESSED_DATA", form: `1PB(${maxGzip})`, width: 8 });
    cols.push({ name: "ZSCALE", form: "1D", width: 8 }, { name: "ZZERO", form: "1D", width: 8 });
  }
  const rowBytes = cols.reduce((s, c) => s + c.width, 0);
  const table = new Uint8Array(rowBytes * rows.length);
  const view = new DataView(table.buffer);
  rows.forEach((r, k) => {
    const o = k * rowBytes;
    view.setInt32(o, r.cLen);
    view.setInt32(o + 4, r.cOff);
    if (quantized) {
      view.setInt32(o + 8, r.gLen);
      view.setInt32(o + 12, r.gOff);
      view.setFloat64(o + 16, r.zscale);
      view.setFloat64(o + 24, r.zzero);
    }
  });

  const h = new Header();
  h.set("XTENSION", "BINTABLE", { comment: "binary table extension" });
  h.set("BITPIX", 8, { comment: "8-bit bytes" });
  h.set("NAXIS", 2, { comment: "2-dimensional binary table" });
  h.set("NAXIS1", rowBytes, { comment: "width of table in bytes" });
  h.set("NAXIS2", rows.length, { comment: "number of rows in table" });
  h.set("PCOUNT", heapSize, { comment: "size of special data area" });
  h.set("GCOUNT", 1, { comment: "one data group (required keyword)" });
  h.set("TFIELDS", cols.length, { comment: "number of fields in each row" });
  cols.forEach((c, i) => {
    h.set(`TTYPE${i + 1}`, c.name, { comment: i === 0 ? "label for field   1" : `label for field   ${i + 1}` });
    h.set(`TFORM${i + 1}`, c.form, { comment: "data format of field" });
  });
  h.set("ZIMAGE", true, { comment: "extension contains compressed image" });
  h.set("ZTENSION", "IMAGE", { comment: "image extension" });
  h.set("ZBITPIX", bitpix, { comment: "data type of original image" });
  h.set("ZNAXIS", shape.length, { comment: "dimension of original image" });
  shape.forEach((s, a) => {
    h.set(`ZNAXIS${a + 1}`, s, { comment: "length of original image axis" });
  });
  h.set("ZPCOUNT", 0, { comment: "number of parameters" });
  h.set("ZGCOUNT", 1, { comment: "number of groups" });
  tileShape.forEach((t, a) => {
    h.set(`ZTILE${a + 1}`, t, { comment: "size of tiles to be compressed" });
  });
  h.set("ZCMPTYPE", cmp, { comment: "compression algorithm" });
  let zi = 1;
  if (cmp === "RICE_1") {
    h.set(`ZNAME${zi}`, "BLOCKSIZE", { comment: "compression block size" });
    h.set(`ZVAL${zi++}`, blockSize, { comment: "pixels per block" });
    h.set(`ZNAME${zi}`, "BYTEPIX", { comment: "bytes per pixel (1, 2, 4, or 8)" });
    h.set(`ZVAL${zi++}`, intBytes, { comment: "bytes per pixel (1, 2, 4, or 8)" });
  } else if (cmp === "HCOMPRESS_1") {
    h.set(`ZNAME${zi}`, "SCALE", { comment: "HCOMPRESS scale factor" });
    h.set(`ZVAL${zi++}`, options.hcompressScale ?? 0, { comment: "HCOMPRESS scale factor" });
    h.set(`ZNAME${zi}`, "SMOOTH", { comment: "HCOMPRESS smooth option" });
    h.set(`ZVAL${zi++}`, 0, { comment: "HCOMPRESS smooth option" });
  }
  if (quantized) {
    h.set(`ZNAME${zi}`, "NOISEBIT", { comment: "floating point quantization level" });
    h.set(`ZVAL${zi++}`, level, { comment: "floating point quantization level" });
    h.set("ZQUANTIZ", method, { comment: "Pixel Quantization Algorithm" });
    if (method !== "NO_DITHER") h.set("ZDITHER0", ditherSeed, { comment: "dithering offset when quantizing floats" });
    if (anyNull) h.set("ZBLANK", NULL_VALUE, { comment: "null value in the compressed integer array" });
  } else if (isFloat) {
    h.set("ZQUANTIZ", "NONE", { comment: "Lossless compression without quantization" });
  }
  if (bzero !== undefined) {
    h.set("BZERO", bzero, { comment: "offset data range to that of unsigned integers" });
    h.set("BSCALE", 1, { comment: "default scaling factor" });
  }
  copyUserCards(
    h,
    options.header,
    (k) =>
      k === "BZERO" ||
      k === "BSCALE" ||
      (k.startsWith("Z") &&
        /^Z(IMAGE|CMPTYPE|BITPIX|NAXIS\d*|TILE\d+|NAME\d+|VAL\d+|QUANTIZ|DITHER0|BLANK|SCALE|ZERO|SIMPLE|TENSION|EXTEND|PCOUNT|GCOUNT)$/.test(
          k,
        )) ||
      /^(TTYPE|TFORM)\d+$/.test(k),
  );
  if (options.extname !== undefined) h.set("EXTNAME", options.extname);
  return { header: h, data: [table, ...heapParts] };
}

function encodeInts(
  cmp: WritableCompression,
  ints: Int32Array,
  n: number,
  bytepix: number,
  dims: number[],
  blockSize: number,
  hscale: number,
): Uint8Array {
  switch (cmp) {
    case "RICE_1":
      return riceEncode(ints, n, bytepix as 1 | 2 | 4, blockSize);
    case "PLIO_1": {
      const words = plioEncode(ints, n);
      const out = new Uint8Array(words.length * 2);
      copyToBigEndian(words, 0, words.length, 2, out, 0);
      return out;
    }
    case "HCOMPRESS_1":
      return hcompressEncode(ints.subarray(0, n), dims[0]!, dims[1] ?? 1, hscale);
    default: {
      const raw = new Uint8Array(n * bytepix);
      const view = new DataView(raw.buffer);
      if (bytepix === 1) for (let k = 0; k < n; k++) raw[k] = ints[k]!;
      else if (bytepix === 2) for (let k = 0; k < n; k++) view.setInt16(2 * k, ints[k]!);
      else for (let k = 0; k < n; k++) view.setInt32(4 * k, ints[k]!);
      return gzipSync(cmp === "GZIP_2" && bytepix > 1 ? gzip2Shuffle(raw, bytepix) : raw);
    }
  }
}

function gzipRaw(
  values: Float32Array | Float64Array | BigInt64Array,
  n: number,
  bitpix: number,
  cmp: WritableCompression,
): Uint8Array {
  const size = Math.abs(bitpix) / 8;
  const raw = new Uint8Array(n * size);
  copyToBigEndian(values, 0, n, size, raw, 0);
  return gzipSync(cmp === "GZIP_2" ? gzip2Shuffle(raw, size) : raw);
}
