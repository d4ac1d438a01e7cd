import { gunzipSync } from "node:zlib";
import {
  CodecError,
  dequantizeTile,
  gzip2Unshuffle,
  hcompressDecode,
  plioDecode,
  riceDecode,
  riceDecodeTiles,
  riceWasmAvailable,
} from "./compress/index.js";
import { FitsError, type FitsErrorLocation } from "./errors.js";
import type { FitsFile, FitsImageData, ReadImageOptions } from "./file.js";
import type { HduInfo } from "./hdu.js";
import { copyFromBigEndian, type FitsPixelArray, type StoredArray } from "./pixels.js";
import { allocPhysical, applyScaling, pixelScaling } from "./scaling.js";
import { product, resolveSection } from "./section.js";
import { imageHeaderFromTiled, parseTiledLayout, type TiledColumn, type TiledLayout } from "./tiled-header.js";

/** Where one tile's bytes are, from its table row. */
interface TileRef {
  row: number;
  /** Heap span of the compressed bytes, or undefined when the tile is in another column. */
  heapOffset: number;
  length: number;
  /** Which column holds the bytes. */
  column: "compressed" | "gzip" | "uncompressed";
  zscale: number;
  zzero: number;
  zblank: number | undefined;
}

/** Gap (bytes) below which neighbouring tiles are fetched in one read. */
const MERGE_GAP = 1 << 16;

function readDescriptor(view: DataView, at: number, col: TiledColumn): { count: number; offset: number } {
  if (col.format.varLength === "Q") {
    const count = Number(view.getBigInt64(at + col.offset));
    const offset = Number(view.getBigInt64(at + col.offset + 8));
    return { count, offset };
  }
  return { count: view.getInt32(at + col.offset), offset: view.getInt32(at + col.offset + 4) };
}

function readScalar(view: DataView, at: number, col: TiledColumn): number {
  const o = at + col.offset;
  switch (col.format.code) {
    case "D":
      return view.getFloat64(o);
    case "E":
      return view.getFloat32(o);
    case "J":
      return view.getInt32(o);
    case "K":
      return Number(view.getBigInt64(o));
    case "I":
      return view.getInt16(o);
    default:
      return view.getUint8(o);
  }
}

/** Byte size of one element of a heap column. */
function heapElementSize(col: TiledColumn): number {
  return col.format.elementSize;
}

/**
 * Reads a tile-compressed image HDU, whole or a section: only the table rows and heap bytes of
 * the tiles the section touches are read, and only those tiles are decoded.
 */
export async function readCompressedImage(file: FitsFile, hdu: HduInfo, options: ReadImageOptions): Promise<FitsImageData> {
  const where: FitsErrorLocation = { file: file.name, hdu: hdu.index };
  const layout = parseTiledLayout(hdu.header);
  const header = imageHeaderFromTiled(hdu.header, layout, false);
  const sec = resolveSection(layout.shape, options.section, where);
  const scaling = pixelScaling(header, layout.zbitpix);
  if (options.scale === false) scaling.kind = "raw";
  const total = layout.shape.length === 0 ? 0 : product(sec.shape);
  if (total === 0) return { data: allocPhysical(scaling, 0), shape: sec.shape, bitpix: layout.zbitpix, header };
  if (hdu.truncated) throw new FitsError("TRUNCATED", "file ends inside the compressed image data", where);
  file.checkAllocation(total * 8 + product(layout.tileShape) * 8, where);
  const out = allocPhysical(scaling, total);

  // Tiles touched by the section, per axis.
  const nd = layout.shape.length;
  const firstTile: number[] = [];
  const lastTile: number[] = [];
  for (let a = 0; a < nd; a++) {
    firstTile.push(Math.floor(sec.start[a]! / layout.tileShape[a]!));
    lastTile.push(Math.floor((sec.start[a]! + sec.shape[a]! - 1) / layout.tileShape[a]!));
  }
  const tileIndices: number[][] = [];
  const cur = [...firstTile];
  for (;;) {
    tileIndices.push([...cur]);
    let a = 0;
    while (a < nd) {
      cur[a]!++;
      if (cur[a]! <= lastTile[a]!) break;
      cur[a] = firstTile[a]!;
      a++;
    }
    if (a === nd) break;
  }
  const rowOf = (t: number[]): number => {
    let r = 0;
    for (let a = nd - 1; a >= 0; a--) r = r * layout.tileCounts[a]! + t[a]!;
    return r;
  };
  const rowsNeeded = tileIndices.map(rowOf);
  let rmin = Number.POSITIVE_INFINITY;
  let rmax = -1;
  for (const r of rowsNeeded) {
    if (r < rmin) rmin = r;
    if (r > rmax) rmax = r;
  }
  const tableBytes = await file.readData(hdu, rmin * layout.rowBytes, (rmax - rmin + 1) * layout.rowBytes);
  const heapSize = hdu.dataSize - layout.heapOffset;
  const tableView = new DataView(tableBytes.buffer, tableBytes.byteOffset, tableBytes.byteLength);
  const refs = rowsNeeded.map((r) => tileRef(tableView, (r - rmin) * layout.rowBytes, r, layout, heapSize, where));

  // Fetch heap bytes in merged spans.
  const order = refs.map((_, i) => i).sort((x, y) => refs[x]!.heapOffset - refs[y]!.heapOffset);
  const tileBytes = new Array<Uint8Array>(refs.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    const start = refs[order[i]!]!.heapOffset;
    let end = start + refs[order[i]!]!.length;
    while (j + 1 < order.length) {
      const next = refs[order[j + 1]!]!;
      if (next.heapOffset > end + MERGE_GAP) break;
      end = Math.max(end, next.heapOffset + next.length);
      j++;
    }
    const span = end > start ? await file.readData(hdu, layout.heapOffset + start, end - start) : new Uint8Array(0);
    for (let k = i; k <= j; k++) {
      const ref = refs[order[k]!]!;
      tileBytes[order[k]!] = span.subarray(ref.heapOffset - start, ref.heapOffset - start + ref.length);
    }
    i = j + 1;
  }

  const decoder = new TileDecoder(layout, where);
  // Unsigned 16-bit images: copy the signed values with native typed-array copies into an int16
  // view of the output, then flip the sign bits of the whole image in one pass (2 pixels a step).
  const flipUint16 = scaling.kind === "uint16" && layout.zbitpix === 16;
  const target: FitsPixelArray = flipUint16 ? new Int16Array(out.buffer, out.byteOffset, out.length) : out;
  const targetScaling = flipUint16 ? { ...scaling, kind: "raw" as const } : scaling;
  const outStrides: number[] = [1];
  for (let a = 1; a < nd; a++) outStrides.push(outStrides[a - 1]! * sec.shape[a - 1]!);
  const dims2 = [0, 0];
  const batched =
    nd <= 2
      ? riceBatch(
          layout,
          decoder,
          refs,
          tileBytes,
          tileIndices,
          sec,
          target,
          targetScaling,
          flipUint16 ? (out as Uint16Array) : undefined,
        )
      : "no";
  if (batched === "done") return { data: out, shape: sec.shape, bitpix: layout.zbitpix, header };
  const preDecoded = typeof batched === "function" ? batched : undefined;
  const handled = batched instanceof Uint8Array ? batched : undefined;
  for (let k = 0; k < refs.length; k++) {
    if (handled?.[k]) continue;
    const t = tileIndices[k]!;
    if (nd === 2) {
      // The common case, without per-tile arrays: 2-d tiles copied row by row.
      const x0 = t[0]! * layout.tileShape[0]!;
      const y0 = t[1]! * layout.tileShape[1]!;
      dims2[0] = Math.min(layout.tileShape[0]!, layout.shape[0]! - x0);
      dims2[1] = Math.min(layout.tileShape[1]!, layout.shape[1]! - y0);
      // Quantized float tiles covering whole output rows are dequantized straight into the output.
      const dst = (y0 - sec.start[1]!) * sec.shape[0]! + (x0 - sec.start[0]!);
      const inside =
        x0 === sec.start[0] &&
        dims2[0] === sec.shape[0] &&
        y0 >= sec.start[1]! &&
        y0 + dims2[1]! <= sec.start[1]! + sec.shape[1]!;
      const direct =
        inside &&
        decoder.isFloat &&
        targetScaling.kind === "raw" &&
        (target instanceof Float32Array || target instanceof Float64Array)
          ? target.subarray(dst, dst + dims2[0]! * dims2[1]!)
          : undefined;
      const pre = preDecoded?.(k, direct);
      const values = pre ?? decoder.decode(refs[k]!, tileBytes[k]!, dims2, direct);
      if (direct && values.buffer === direct.buffer && values.byteOffset === direct.byteOffset) continue;
      scatter2d(
        values,
        x0,
        y0,
        dims2[0]!,
        dims2[1]!,
        sec.start[0]!,
        sec.start[1]!,
        sec.shape[0]!,
        sec.shape[1]!,
        target,
        targetScaling,
        decoder.isFloat,
      );
      continue;
    }
    const tileStart = t.map((ti, a) => ti * layout.tileShape[a]!);
    const tileDims = t.map((_, a) => Math.min(layout.tileShape[a]!, layout.shape[a]! - tileStart[a]!));
    const values = preDecoded?.(k) ?? decoder.decode(refs[k]!, tileBytes[k]!, tileDims);
    scatter(values, tileStart, tileDims, sec.start, sec.shape, outStrides, target, targetScaling, decoder.isFloat);
  }
  if (flipUint16) flipSignBits16(out as Uint16Array);
  return { data: out, shape: sec.shape, bitpix: layout.zbitpix, header };
}

/** Pixels decoded per wasm call on the chunked path (quantized floats, scaled integers). */
const RICE_CHUNK_PIXELS = 1 << 18;

/**
 * The batched RICE_1 path (WebAssembly codec, 1-d and 2-d images). "no": not applicable, decode tile
 * by tile. "done": every tile was decoded straight into the output (integers without scaling;
 * unsigned 16-bit ones with the sign flip, so `uint16` is the caller's Uint16Array output). Else a
 * function giving tile k's decoded values (groups of tiles are decoded into an int32 chunk as k
 * advances; tiles are asked for in order), or undefined for tiles stored in another column.
 */
function riceBatch(
  layout: TiledLayout,
  decoder: TileDecoder,
  refs: TileRef[],
  tileBytes: Uint8Array[],
  tileIndices: number[][],
  sec: { start: number[]; shape: number[] },
  target: FitsPixelArray,
  targetScaling: ReturnType<typeof pixelScaling>,
  uint16: Uint16Array | undefined,
):
  | "no"
  | "done"
  | Uint8Array
  | ((k: number, direct?: Float32Array | Float64Array) => Int32Array | Float32Array | Float64Array | undefined) {
  if (layout.compression !== "RICE_1" && layout.compression !== "RICE_ONE") return "no";
  if (layout.zbitpix === 64 || (decoder.isFloat && layout.quantize === "NONE")) return "no";
  if (!riceWasmAvailable()) return "no";
  const quantized = decoder.isFloat;
  const blockSize = Number(layout.params.get("BLOCKSIZE") ?? 32);
  const bytepix = Number(layout.params.get("BYTEPIX") ?? (quantized ? 4 : Math.abs(layout.zbitpix) / 8));
  // Bad parameters: the tile-by-tile path raises the errors.
  if ((bytepix !== 1 && bytepix !== 2 && bytepix !== 4) || !Number.isInteger(blockSize) || blockSize < 1 || blockSize > 65536)
    return "no";
  const nd = layout.shape.length;
  const W = layout.shape[0]!;
  const H = nd === 2 ? layout.shape[1]! : 1;
  const tsx = layout.tileShape[0]!;
  const tsy = nd === 2 ? layout.tileShape[1]! : 1;
  const sx0 = sec.start[0]!;
  const sy0 = nd === 2 ? sec.start[1]! : 0;
  const sw = sec.shape[0]!;
  const sh = nd === 2 ? sec.shape[1]! : 1;
  const n = refs.length;
  const allCompressed = refs.every((r) => r.column === "compressed");
  const out = uint16 ?? target;
  // Integers straight into the output. Unsigned 16-bit ones get the sign flip in wasm, so every
  // tile must go through it (the tile-by-tile loop leaves the flip to a final pass).
  const directOut =
    !quantized &&
    (uint16 !== undefined
      ? allCompressed
      : targetScaling.kind === "raw" &&
        (target instanceof Int16Array || target instanceof Int32Array || target instanceof Uint8Array));
  // Quantized float32 tiles are decoded and dequantized in wasm straight into the output; tiles
  // stored in another column (GZIP_COMPRESSED_DATA) are left to the tile-by-tile loop.
  const directFloat =
    quantized &&
    targetScaling.kind === "raw" &&
    target instanceof Float32Array &&
    layout.zblankColumn === undefined &&
    (layout.quantize === "NO_DITHER" || layout.quantize === "SUBTRACTIVE_DITHER_1" || layout.quantize === "SUBTRACTIVE_DITHER_2");
  if (directOut || directFloat) {
    const sel: number[] = [];
    for (let k = 0; k < n; k++) if (refs[k]!.column === "compressed") sel.push(k);
    const m = sel.length;
    const place = new Int32Array(6 * m);
    const tiles = new Array<Uint8Array>(m);
    for (let i = 0; i < m; i++) {
      const k = sel[i]!;
      tiles[i] = tileBytes[k]!;
      const t = tileIndices[k]!;
      const x0 = t[0]! * tsx;
      const y0 = nd === 2 ? t[1]! * tsy : 0;
      const tw = Math.min(tsx, W - x0);
      const th = Math.min(tsy, H - y0);
      const xlo = Math.max(x0, sx0);
      const xhi = Math.min(x0 + tw, sx0 + sw);
      const ylo = Math.max(y0, sy0);
      const yhi = Math.min(y0 + th, sy0 + sh);
      const q = 6 * i;
      place[q] = tw * th;
      place[q + 1] = tw;
      place[q + 2] = (ylo - y0) * tw + (xlo - x0);
      place[q + 3] = Math.max(0, xhi - xlo);
      place[q + 4] = Math.max(0, yhi - ylo);
      place[q + 5] = (ylo - sy0) * sw + (xlo - sx0);
    }
    const dq = directFloat
      ? {
          method: layout.quantize as "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2",
          zscale: Float64Array.from(sel, (k) => refs[k]!.zscale),
          zzero: Float64Array.from(sel, (k) => refs[k]!.zzero),
          tileIndex: Int32Array.from(sel, (k) => refs[k]!.row),
          ditherSeed: layout.ditherSeed,
          nullValue: layout.zblank,
        }
      : undefined;
    const f = riceDecodeTiles(
      tiles,
      place,
      sw,
      out as Int32Array | Int16Array | Uint16Array | Uint8Array | Float32Array,
      bytepix,
      blockSize,
      "wasm",
      dq,
    );
    if (f) decoder.failTile(refs[sel[f.tile]!]!, f.error);
    if (m === n) return "done";
    const handled = new Uint8Array(n);
    for (const k of sel) handled[k] = 1;
    return handled;
  }
  // Chunked: groups of whole tiles decoded into an int32 chunk, then finished per tile.
  let chunk = new Int32Array(0);
  const offs = new Int32Array(n);
  let groupEnd = 0;
  return (k, direct) => {
    const ref = refs[k]!;
    if (ref.column !== "compressed") return undefined;
    if (k >= groupEnd) {
      const tiles: Uint8Array[] = [];
      const places: number[] = [];
      const members: number[] = [];
      let total = 0;
      let j = k;
      for (; j < n && (j === k || total < RICE_CHUNK_PIXELS); j++) {
        if (refs[j]!.column !== "compressed") continue;
        const t = tileIndices[j]!;
        const tw = Math.min(tsx, W - t[0]! * tsx);
        const th = nd === 2 ? Math.min(tsy, H - t[1]! * tsy) : 1;
        const npix = tw * th;
        places.push(npix, npix, 0, npix, 1, total);
        tiles.push(tileBytes[j]!);
        members.push(j);
        offs[j] = total;
        total += npix;
      }
      groupEnd = j;
      if (chunk.length < total) chunk = new Int32Array(total);
      const f = riceDecodeTiles(tiles, Int32Array.from(places), total, chunk, bytepix, blockSize, "wasm");
      if (f) decoder.failTile(refs[members[f.tile]!]!, f.error);
    }
    const t = tileIndices[k]!;
    const npix = Math.min(tsx, W - t[0]! * tsx) * (nd === 2 ? Math.min(tsy, H - t[1]! * tsy) : 1);
    return decoder.fromInts(ref, chunk.subarray(offs[k]!, offs[k]! + npix), npix, direct);
  };
}

const TILE_COLUMNS = ["compressed", "gzip", "uncompressed"] as const;

function tileRef(
  view: DataView,
  rowOffset: number,
  row: number,
  layout: TiledLayout,
  heapSize: number,
  where: FitsErrorLocation,
): TileRef {
  const zscale = layout.zscaleColumn ? readScalar(view, rowOffset, layout.zscaleColumn) : (layout.zscale ?? 1);
  const zzero = layout.zzeroColumn ? readScalar(view, rowOffset, layout.zzeroColumn) : (layout.zzero ?? 0);
  const zblank = layout.zblankColumn ? readScalar(view, rowOffset, layout.zblankColumn) : layout.zblank;
  for (const column of TILE_COLUMNS) {
    const col = column === "compressed" ? layout.compressed : column === "gzip" ? layout.gzipCompressed : layout.uncompressed;
    if (!col) continue;
    const d = readDescriptor(view, rowOffset, col);
    if (d.count === 0) continue;
    const length = d.count * heapElementSize(col);
    if (d.count < 0 || d.offset < 0 || d.offset + length > heapSize) {
      throw new FitsError(
        "CORRUPT_DATA",
        `tile ${row}: descriptor (${d.count} elements at heap offset ${d.offset}) points outside the heap (${heapSize} bytes)`,
        {
          ...where,
          card: column === "compressed" ? "COMPRESSED_DATA" : column === "gzip" ? "GZIP_COMPRESSED_DATA" : "UNCOMPRESSED_DATA",
        },
      );
    }
    return { row, heapOffset: d.offset, length, column, zscale, zzero, zblank };
  }
  throw new FitsError("CORRUPT_DATA", `tile ${row} has no data in any column`, { ...where, card: "COMPRESSED_DATA" });
}

/** Decodes tiles into a reusable buffer (int32 for integer data, float for floating point). */
class TileDecoder {
  readonly isFloat: boolean;
  private ints = new Int32Array(0);
  private floats: Float32Array | Float64Array;
  private bigs = new BigInt64Array(0);

  constructor(
    private readonly layout: TiledLayout,
    private readonly where: FitsErrorLocation,
  ) {
    this.isFloat = layout.zbitpix < 0;
    this.floats = layout.zbitpix === -64 ? new Float64Array(0) : new Float32Array(0);
  }

  /** Throws the FitsError for tile `ref` failing with `e` (as {@link decode} does). */
  failTile(ref: TileRef, e: unknown): never {
    return this.fail(ref, e);
  }

  /**
   * Finishes a tile whose integers were decoded elsewhere (the batched RICE path): dequantizes
   * quantized floats (into `direct` when given and of the tile's size), returns integers as they are.
   */
  fromInts(
    ref: TileRef,
    ints: Int32Array,
    n: number,
    direct?: Float32Array | Float64Array,
  ): Int32Array | Float32Array | Float64Array {
    if (!this.isFloat) return ints;
    try {
      return this.dequantize(ref, ints, n, direct);
    } catch (e) {
      return this.fail(ref, e);
    }
  }

  private dequantize(
    ref: TileRef,
    ints: Int32Array,
    n: number,
    direct?: Float32Array | Float64Array,
  ): Float32Array | Float64Array {
    const floats = direct && direct.length === n ? direct : this.floatBuffer(n);
    dequantizeTile(ints, n, floats, {
      zscale: ref.zscale,
      zzero: ref.zzero,
      method: this.layout.quantize as "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2",
      tileIndex: ref.row,
      ditherSeed: this.layout.ditherSeed,
      ...(ref.zblank !== undefined ? { nullValue: ref.zblank } : {}),
    });
    return floats.subarray(0, n);
  }

  private fail(ref: TileRef, e: unknown): never {
    if (e instanceof FitsError) throw e;
    const msg = e instanceof CodecError || e instanceof Error ? e.message : String(e);
    throw new FitsError("CORRUPT_DATA", `tile ${ref.row} (${this.layout.compression}) cannot be decoded: ${msg}`, this.where, {
      cause: e,
    });
  }

  /** Returns the tile's pixels (length = product of dims) as int32, float or bigint values. */
  decode(
    ref: TileRef,
    bytes: Uint8Array,
    dims: number[],
    /** Where quantized floats may be written directly (the tile's place in the output), if contiguous there. */
    direct?: Float32Array | Float64Array,
  ): Int32Array | Float32Array | Float64Array | BigInt64Array {
    const n = product(dims);
    try {
      if (ref.column === "uncompressed") return this.decodeRaw(bytes, n, ref);
      if (ref.column === "gzip") return this.decodeRaw(this.gunzip(bytes, (n * Math.abs(this.layout.zbitpix)) / 8), n, ref);
      const L = this.layout;
      if (L.zbitpix === 64) {
        if (L.compression !== "GZIP_1" && L.compression !== "GZIP_2") {
          throw new FitsError("UNSUPPORTED", `${L.compression} cannot hold 64-bit integers`, this.where);
        }
        return this.decodeRaw(this.gzipBytes(bytes, n, 8), n, ref);
      }
      const quantized = this.isFloat && L.quantize !== "NONE";
      if (this.isFloat && !quantized) {
        if (L.compression !== "GZIP_1" && L.compression !== "GZIP_2" && L.compression !== "NOCOMPRESS") {
          throw new FitsError("UNSUPPORTED", `unquantized floating-point tiles with ${L.compression}`, this.where);
        }
        return this.decodeRaw(L.compression === "NOCOMPRESS" ? bytes : this.gzipBytes(bytes, n, Math.abs(L.zbitpix) / 8), n, ref);
      }
      const ints = this.intBuffer(n);
      const intBytes = quantized ? 4 : Math.abs(L.zbitpix) / 8;
      switch (L.compression) {
        case "RICE_1":
        case "RICE_ONE": {
          const blockSize = Number(L.params.get("BLOCKSIZE") ?? 32);
          const bytepix = Number(L.params.get("BYTEPIX") ?? (quantized ? 4 : intBytes));
          if (bytepix !== 1 && bytepix !== 2 && bytepix !== 4) {
            throw new FitsError("BAD_VALUE", `RICE BYTEPIX ${bytepix} must be 1, 2 or 4`, { ...this.where, card: "ZVAL" });
          }
          riceDecode(bytes, ints, n, bytepix, blockSize);
          break;
        }
        case "GZIP_1":
        case "GZIP_2": {
          const raw = this.gzipBytes(bytes, n, intBytes);
          const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
          if (intBytes === 1) for (let k = 0; k < n; k++) ints[k] = raw[k]!;
          else if (intBytes === 2) for (let k = 0; k < n; k++) ints[k] = view.getInt16(2 * k);
          else for (let k = 0; k < n; k++) ints[k] = view.getInt32(4 * k);
          break;
        }
        case "PLIO_1": {
          const words = new Int16Array(bytes.length >> 1);
          copyFromBigEndian(bytes, 0, words, 0, words.length, 2);
          plioDecode(words, ints, n);
          break;
        }
        case "HCOMPRESS_1": {
          const smooth = Number(L.params.get("SMOOTH") ?? 0) !== 0;
          const r = hcompressDecode(bytes, smooth, { nx: dims[0]!, ny: dims[1] ?? 1 });
          if (r.values.length !== n || r.nx !== dims[0]) {
            throw new FitsError(
              "CORRUPT_DATA",
              `tile ${ref.row}: HCOMPRESS tile is ${r.nx}x${r.ny}, expected ${dims.join("x")}`,
              this.where,
            );
          }
          ints.set(r.values);
          // Lossy HCOMPRESS can overshoot the stored type's range; clip as cfitsio does.
          if (!quantized && intBytes < 4) {
            const lo = intBytes === 1 ? 0 : -32768;
            const hi = intBytes === 1 ? 255 : 32767;
            for (let k = 0; k < n; k++) ints[k] = Math.min(hi, Math.max(lo, ints[k]!));
          }
          break;
        }
        case "NOCOMPRESS": {
          const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          for (let k = 0; k < n; k++)
            ints[k] = intBytes === 1 ? bytes[k]! : intBytes === 2 ? view.getInt16(2 * k) : view.getInt32(4 * k);
          break;
        }
      }
      if (!quantized) return ints.subarray(0, n);
      return this.dequantize(ref, ints, n, direct);
    } catch (e) {
      return this.fail(ref, e);
    }
  }

  private intBuffer(n: number): Int32Array {
    if (this.ints.length < n) this.ints = new Int32Array(n);
    return this.ints;
  }

  private floatBuffer(n: number): Float32Array | Float64Array {
    if (this.floats.length < n) this.floats = this.layout.zbitpix === -64 ? new Float64Array(n) : new Float32Array(n);
    return this.floats;
  }

  private gunzip(bytes: Uint8Array, expected: number): Uint8Array {
    const out = gunzipSync(bytes, { maxOutputLength: Math.max(expected, 1) });
    if (out.length !== expected) throw new CodecError("LENGTH", `gzip tile holds ${out.length} bytes, expected ${expected}`);
    return out;
  }

  private gzipBytes(bytes: Uint8Array, n: number, size: number): Uint8Array {
    const raw = this.gunzip(bytes, n * size);
    return this.layout.compression === "GZIP_2" && size > 1 ? gzip2Unshuffle(raw, size) : raw;
  }

  /** Big-endian raw values of the image's own type (lossless float tiles, 64-bit ints, UNCOMPRESSED_DATA). */
  private decodeRaw(bytes: Uint8Array, n: number, ref: TileRef): Int32Array | Float32Array | Float64Array | BigInt64Array {
    const size = Math.abs(this.layout.zbitpix) / 8;
    if (bytes.length < n * size)
      throw new CodecError("LENGTH", `tile ${ref.row} holds ${bytes.length} bytes, expected ${n * size}`);
    if (this.layout.zbitpix === 64) {
      if (this.bigs.length < n) this.bigs = new BigInt64Array(n);
      copyFromBigEndian(bytes, 0, this.bigs, 0, n, 8);
      return this.bigs.subarray(0, n);
    }
    if (this.isFloat) {
      const f = this.floatBuffer(n);
      copyFromBigEndian(bytes, 0, f, 0, n, size);
      return f.subarray(0, n);
    }
    const ints = this.intBuffer(n);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k < n; k++) ints[k] = size === 1 ? bytes[k]! : size === 2 ? view.getInt16(2 * k) : view.getInt32(4 * k);
    return ints.subarray(0, n);
  }
}

/** Copies the part of a decoded tile inside the section into the output, applying scaling. */
function scatter(
  values: Int32Array | Float32Array | Float64Array | BigInt64Array,
  tileStart: number[],
  tileDims: number[],
  secStart: number[],
  secShape: number[],
  outStrides: number[],
  out: FitsPixelArray,
  scaling: ReturnType<typeof pixelScaling>,
  isFloat: boolean,
): void {
  const nd = tileDims.length;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let a = 0; a < nd; a++) {
    lo.push(Math.max(tileStart[a]!, secStart[a]!));
    hi.push(Math.min(tileStart[a]! + tileDims[a]!, secStart[a]! + secShape[a]!));
    if (hi[a]! <= lo[a]!) return;
  }
  const runLen = hi[0]! - lo[0]!;
  const pos = [...lo];
  const floatOut = isFloat && scaling.kind === "raw";
  for (;;) {
    let src = 0;
    let stride = 1;
    let dst = 0;
    for (let a = 0; a < nd; a++) {
      src += (pos[a]! - tileStart[a]!) * stride;
      stride *= tileDims[a]!;
      dst += (pos[a]! - secStart[a]!) * outStrides[a]!;
    }
    if (values instanceof Int32Array && copyInts(values, src, runLen, out, dst, scaling)) {
      // done by the monomorphic fast path
    } else {
      const run = values.subarray(src, src + runLen);
      if (floatOut) (out as Float32Array).set(run as Float32Array, dst);
      else applyScaling(scaling, run as unknown as StoredArray, out, dst);
    }
    let a = 1;
    while (a < nd) {
      pos[a]!++;
      if (pos[a]! < hi[a]!) break;
      pos[a] = lo[a]!;
      a++;
    }
    if (a >= nd) break;
  }
}

/** {@link scatter} for 2-d images, with scalar arguments (called once per tile). */
function scatter2d(
  values: Int32Array | Float32Array | Float64Array | BigInt64Array,
  tx0: number,
  ty0: number,
  tw: number,
  th: number,
  sx0: number,
  sy0: number,
  sw: number,
  sh: number,
  out: FitsPixelArray,
  scaling: ReturnType<typeof pixelScaling>,
  isFloat: boolean,
): void {
  const xlo = Math.max(tx0, sx0);
  const xhi = Math.min(tx0 + tw, sx0 + sw);
  const ylo = Math.max(ty0, sy0);
  const yhi = Math.min(ty0 + th, sy0 + sh);
  if (xhi <= xlo || yhi <= ylo) return;
  const runLen = xhi - xlo;
  for (let y = ylo; y < yhi; y++) {
    const src = (y - ty0) * tw + (xlo - tx0);
    const dst = (y - sy0) * sw + (xlo - sx0);
    if (values instanceof Int32Array && copyInts(values, src, runLen, out, dst, scaling)) continue;
    const run = values.subarray(src, src + runLen);
    if (isFloat && scaling.kind === "raw") (out as Float32Array).set(run as Float32Array, dst);
    else applyScaling(scaling, run as unknown as StoredArray, out, dst);
  }
}

/**
 * Copies decoded integer tile values into the output for the common layout (raw integers) in loops that only ever see an Int32Array source, which V8 keeps
 * monomorphic and fast. Returns false for layouts it does not handle.
 */
function copyInts(
  values: Int32Array,
  src: number,
  n: number,
  out: FitsPixelArray,
  dst: number,
  scaling: ReturnType<typeof pixelScaling>,
): boolean {
  // (Unsigned 16-bit images arrive here as raw int16 views; the sign flip is one final pass.)
  if (scaling.kind === "raw" && (out instanceof Int16Array || out instanceof Int32Array || out instanceof Uint8Array)) {
    out.set(values.subarray(src, src + n), dst);
    return true;
  }
  return false;
}

/** Adds 32768 modulo 2^16 to every element (int16 -> uint16 by the BZERO convention). */
function flipSignBits16(a: Uint16Array): void {
  const pairs = a.byteOffset % 4 === 0 ? a.length >> 1 : 0;
  if (pairs > 0) {
    const words = new Uint32Array(a.buffer, a.byteOffset, pairs);
    for (let i = 0; i < pairs; i++) words[i] = words[i]! ^ 0x80008000;
  }
  for (let i = pairs * 2; i < a.length; i++) a[i] = a[i]! ^ 0x8000;
}
