/**
 * RICE_1 on many tiles at once: the WebAssembly codec of @skystack/kernels when it is available
 * (one call per band of tiles, decoding straight into the image's typed array), else the
 * TypeScript codec of ./rice.ts tile by tile. Both give the same pixels, the same bytes and the same
 * errors (test/compress/rice-batch.test.ts).
 */
import { type RiceDecodeTarget, type RiceEncodeSource, riceWasm } from "@skystack/kernels";
import { CodecError } from "./errors.js";
import { type DequantizeOptions, dequantizeTile, fitsRandomSequence, N_RANDOM, type QuantizeMethod } from "./quantize.js";
import { riceDecode, riceEncode } from "./rice.js";

/** Dequantization of a batch of quantized-float tiles (the per-tile parameters of dequantizeTile). */
export interface RiceBatchDequantize {
  /** ZQUANTIZ (not "NONE"). */
  method: Exclude<QuantizeMethod, "NONE">;
  /** ZSCALE of each tile (data units per integer step). */
  zscale: Float64Array;
  /** ZZERO of each tile (data units). */
  zzero: Float64Array;
  /** Tile index of each tile (0-based table row), which seeds its dither. */
  tileIndex: Int32Array;
  /** ZDITHER0, 1..10000. */
  ditherSeed: number;
  /** ZBLANK: the integer decoded as NaN, if any. */
  nullValue?: number | undefined;
}

let random: Float32Array | undefined;

function dequantizeOptions(d: RiceBatchDequantize, k: number): DequantizeOptions {
  return {
    method: d.method,
    zscale: d.zscale[k]!,
    zzero: d.zzero[k]!,
    tileIndex: d.tileIndex[k]!,
    ditherSeed: d.ditherSeed,
    ...(d.nullValue !== undefined ? { nullValue: d.nullValue } : {}),
  };
}

/** Which codec a batch call uses: "auto" (wasm when available), "wasm" (required) or "ts". */
export type RiceCodecChoice = "auto" | "wasm" | "ts";

/** True when the WebAssembly RICE codec is available (and not disabled by SKYSTACK_RICE_WASM=0). */
export function riceWasmAvailable(): boolean {
  return riceWasm() !== undefined;
}

function wasmFor(choice: RiceCodecChoice, blockSize: number) {
  if (choice === "ts" || !Number.isInteger(blockSize) || blockSize < 1 || blockSize > 65536) return undefined;
  const w = riceWasm();
  if (!w && choice === "wasm") throw new CodecError("UNSUPPORTED", "RICE: the WebAssembly codec is not available here");
  return w;
}

/** The first tile of a batch that failed, with the error the TypeScript codec raises for it. */
export interface RiceBatchFailure {
  /** Index of the tile in the batch. */
  tile: number;
  /** The error (code TRUNCATED or CORRUPT, or BAD_ARGUMENT). */
  error: CodecError;
}

/**
 * Decodes RICE_1 tiles into `out`.
 *
 * @param tiles compressed bytes of each tile.
 * @param place 6 integers per tile: npix, tileWidth, srcStart, runLen, nrows, dstOffset — tile
 *   pixels srcStart + r·tileWidth + x (r < nrows, x < runLen) go to out[dstOffset + r·rowStride + x].
 * @param rowStride elements between output rows.
 * @param out Int32Array, Int16Array (values narrowed to 16 bits), Uint16Array (value + 32768 mod
 *   2^16, the FITS unsigned convention) or Uint8Array (narrowed to 8 bits); a Float32Array with
 *   `dequantize` (quantized floating-point tiles, as {@link dequantizeTile}).
 * @param bytepix bytes per coded pixel (ZVAL "BYTEPIX").
 * @param blockSize block size in pixels (ZVAL "BLOCKSIZE").
 * @param choice codec: "auto" (wasm when available), "wasm" (required), "ts".
 * @param dequantize per-tile dequantization of quantized floats.
 * @returns null, or the first failing tile and the CodecError `riceDecode` throws for it (tiles
 *   after it are not decoded).
 * @throws CodecError BAD_ARGUMENT for placements outside the tile or the output.
 */
export function riceDecodeTiles(
  tiles: readonly Uint8Array[],
  place: Int32Array,
  rowStride: number,
  out: RiceDecodeTarget | Float32Array,
  bytepix: 1 | 2 | 4,
  blockSize: number,
  choice: RiceCodecChoice = "auto",
  dequantize?: RiceBatchDequantize,
): RiceBatchFailure | null {
  if (dequantize) {
    if (!(out instanceof Float32Array))
      throw new CodecError("BAD_ARGUMENT", "RICE: dequantized tiles need a Float32Array output");
    // the seeds are checked (and bad ones reported) as dequantizeTile does
    for (let k = 0; k < tiles.length; k++) {
      try {
        dequantizeTile(new Int32Array(0), 0, out, dequantizeOptions(dequantize, k));
      } catch (e) {
        if (e instanceof CodecError) return { tile: k, error: e };
        throw e;
      }
    }
  } else if (out instanceof Float32Array) {
    throw new CodecError("BAD_ARGUMENT", "RICE: a Float32Array output needs dequantization parameters");
  }
  const w = bytepix === 1 || bytepix === 2 || bytepix === 4 ? wasmFor(choice, blockSize) : undefined;
  if (w) {
    let f: ReturnType<typeof w.decodeTiles>;
    try {
      if (dequantize) {
        random ??= fitsRandomSequence();
        const iseed = Int32Array.from(dequantize.tileIndex, (t) =>
          dequantize.method === "NO_DITHER" ? 0 : (t + dequantize.ditherSeed - 1) % N_RANDOM,
        );
        f = w.decodeTiles({
          tiles,
          place,
          rowStride,
          out,
          bytepix,
          blockSize,
          dequantize: {
            method: dequantize.method,
            zscale: dequantize.zscale,
            zzero: dequantize.zzero,
            iseed,
            random,
            nullValue: dequantize.nullValue,
          },
        });
      } else {
        f = w.decodeTiles({ tiles, place, rowStride, out: out as RiceDecodeTarget, bytepix, blockSize });
      }
    } catch (e) {
      throw new CodecError("BAD_ARGUMENT", `RICE: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!f) return null;
    // The TypeScript codec gives the error its exact message (it fails on the same tile).
    const npix = place[6 * f.tile]!;
    try {
      riceDecode(tiles[f.tile]!, new Int32Array(npix), npix, bytepix, blockSize);
    } catch (e) {
      if (e instanceof CodecError) return { tile: f.tile, error: e };
      throw e;
    }
    return { tile: f.tile, error: new CodecError(f.code, `RICE: tile ${f.tile} cannot be decoded (${f.code})`) };
  }
  let scratch = new Int32Array(0);
  let floats = new Float32Array(0);
  for (let k = 0; k < tiles.length; k++) {
    const q = 6 * k;
    const npix = place[q]!;
    const tw = place[q + 1]!;
    const srcStart = place[q + 2]!;
    const runLen = place[q + 3]!;
    const nrows = place[q + 4]!;
    const dst = place[q + 5]!;
    if (
      nrows > 0 &&
      runLen > 0 &&
      (srcStart < 0 ||
        runLen > tw ||
        dst < 0 ||
        srcStart + (nrows - 1) * tw + runLen > npix ||
        dst + (nrows - 1) * rowStride + runLen > out.length)
    ) {
      throw new CodecError("BAD_ARGUMENT", `RICE: tile ${k}: placement does not fit the tile or the output`);
    }
    if (scratch.length < npix) scratch = new Int32Array(npix);
    try {
      riceDecode(tiles[k]!, scratch, npix, bytepix, blockSize);
    } catch (e) {
      if (e instanceof CodecError) return { tile: k, error: e };
      throw e;
    }
    if (dequantize) {
      if (floats.length < npix) floats = new Float32Array(npix);
      dequantizeTile(scratch, npix, floats, dequantizeOptions(dequantize, k));
    }
    for (let r = 0; r < nrows; r++) {
      const s = srcStart + r * tw;
      const o = dst + r * rowStride;
      if (dequantize) (out as Float32Array).set(floats.subarray(s, s + runLen), o);
      else if (out instanceof Uint16Array) for (let x = 0; x < runLen; x++) out[o + x] = scratch[s + x]! ^ 0x8000;
      else out.set(scratch.subarray(s, s + runLen), o);
    }
  }
  return null;
}

/** Result of {@link riceEncodeTiles}. */
export interface RiceEncodedTiles {
  /** The tiles' bytes one after another, in a few chunks (write them in order). */
  chunks: Uint8Array[];
  /** Compressed byte count of each tile. */
  lengths: Int32Array;
}

/**
 * Encodes tiles of an integer image with RICE_1, byte for byte as {@link riceEncode} (and fpack).
 *
 * @param src the pixels; the stored integers are Int32/Int16/Uint8 values as is, Uint16 − 32768,
 *   Int8 + 128, Uint32 − 2^31 (FITS BZERO convention).
 * @param place 3 integers per tile: srcOffset, tileWidth, nrows — tile k is rows r < nrows of
 *   tileWidth pixels at src[srcOffset + r·rowStride].
 * @param rowStride elements between source rows.
 * @param bytepix bytes per coded pixel (ZVAL "BYTEPIX").
 * @param blockSize block size in pixels (ZVAL "BLOCKSIZE").
 */
export function riceEncodeTiles(
  src: RiceEncodeSource,
  place: Int32Array,
  rowStride: number,
  bytepix: 1 | 2 | 4,
  blockSize: number,
  choice: RiceCodecChoice = "auto",
): RiceEncodedTiles {
  const w = bytepix === 1 || bytepix === 2 || bytepix === 4 ? wasmFor(choice, blockSize) : undefined;
  if (w) {
    try {
      return w.encodeTiles({ src, place, rowStride, bytepix, blockSize });
    } catch (e) {
      throw new CodecError("BAD_ARGUMENT", `RICE: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const n = Math.floor(place.length / 3);
  const lengths = new Int32Array(n);
  const chunks: Uint8Array[] = [];
  let vals = new Int32Array(0);
  for (let k = 0; k < n; k++) {
    const s0 = place[3 * k]!;
    const tw = place[3 * k + 1]!;
    const nrows = place[3 * k + 2]!;
    if (s0 < 0 || tw < 0 || nrows < 0 || (tw > 0 && nrows > 0 && s0 + (nrows - 1) * rowStride + tw > src.length)) {
      throw new CodecError("BAD_ARGUMENT", `RICE: tile ${k} does not fit the source`);
    }
    const npix = tw * nrows;
    if (vals.length < npix) vals = new Int32Array(npix);
    for (let r = 0; r < nrows; r++) {
      const s = s0 + r * rowStride;
      const d = r * tw;
      if (src instanceof Uint16Array) for (let x = 0; x < tw; x++) vals[d + x] = src[s + x]! - 32768;
      else if (src instanceof Int8Array) for (let x = 0; x < tw; x++) vals[d + x] = src[s + x]! + 128;
      else if (src instanceof Uint32Array) for (let x = 0; x < tw; x++) vals[d + x] = (src[s + x]! - 2147483648) | 0;
      else vals.set(src.subarray(s, s + tw), d);
    }
    const bytes = riceEncode(vals, npix, bytepix, blockSize);
    chunks.push(bytes);
    lengths[k] = bytes.length;
  }
  return { chunks, lengths };
}
