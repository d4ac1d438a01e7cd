/**
 * RICE_1 tile codec in WebAssembly (asm/rice.ts), batched: one call decodes or encodes many tiles
 * of an image, straight into / out of the image's own typed array. It is an accelerator only — the
 * reference codec is afw's TypeScript one (`@skystack/afw` compress/rice.ts), which callers use when
 * {@link riceWasm} returns undefined; both give identical pixels and identical bytes.
 *
 * The module gets its own small shared memory (not the wasm backend's arena, no worker pool). Tiles
 * are processed in bands of about {@link BAND_BYTES} so the memory stays small; it is reused by
 * later calls and never shrinks.
 */
import { KernelError } from "./types.js";
import { WASM_URL } from "./wasm/load.js";
import type { WasmMemory, WasmModule } from "./wasm/wasm-types.js";

/** Integer arrays the decoder writes; a Uint16Array receives value + 32768 mod 2^16 (FITS BZERO 32768). */
export type RiceDecodeTarget = Int32Array | Int16Array | Uint16Array | Uint8Array;

/**
 * Integer arrays the encoder reads, and the stored integer each element becomes (FITS BZERO
 * convention): Int32Array, Int16Array, Uint8Array as is; Uint16Array value − 32768; Int8Array
 * value + 128; Uint32Array value − 2^31.
 */
export type RiceEncodeSource = Int32Array | Int16Array | Uint16Array | Uint8Array | Int8Array | Uint32Array;

/** Why a tile could not be decoded (the codes of afw's CodecError). */
export type RiceFailureCode = "TRUNCATED" | "CORRUPT";

/** The first tile of a {@link RiceWasm.decodeTiles} call that could not be decoded. */
export interface RiceFailure {
  /** Index of the tile in the call's `tiles`. */
  tile: number;
  /** TRUNCATED: the stream ends before the tile's last pixel; CORRUPT: an impossible FS code. */
  code: RiceFailureCode;
}

/** Common parameters of a batch. */
export interface RiceParams {
  /** Bytes per pixel of the coded integers (FITS ZVAL "BYTEPIX"): 1, 2 or 4. */
  bytepix: 1 | 2 | 4;
  /** Coding block size in pixels (FITS ZVAL "BLOCKSIZE", usually 32); 1..65536 here. */
  blockSize: number;
}

/**
 * FITS dequantization of decoded tiles (tiled-image convention §10.2, as cfitsio and afw's
 * dequantizeTile): the output is then a Float32Array of v·zscale + zzero (NO_DITHER) or
 * (v − r + 0.5)·zscale + zzero over the standard's random sequence r (SUBTRACTIVE_DITHER_1/2),
 * computed in float64 and rounded to float32.
 */
export interface RiceDequantize {
  /** Quantization method (ZQUANTIZ). */
  method: "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2";
  /** Scale of each tile (ZSCALE, data units per integer step). */
  zscale: Float64Array;
  /** Offset of each tile (ZZERO, data units). */
  zzero: Float64Array;
  /** Start of each tile in the random sequence: (tile row + ZDITHER0 − 1) mod 10000. */
  iseed: Int32Array;
  /** The FITS random sequence (10000 float32 values; afw's fitsRandomSequence()). */
  random: Float32Array;
  /** Integer that marks a null pixel (ZBLANK), decoded as NaN; none if undefined. */
  nullValue?: number | undefined;
}

/** A batch of tiles to decode. */
export interface RiceDecodeJob extends RiceParams {
  /** Compressed bytes of each tile. */
  tiles: readonly Uint8Array[];
  /**
   * Where each tile goes, 6 integers per tile: npix (pixels in the tile), tileWidth (pixels per tile
   * row), srcStart, runLen, nrows, dstOffset. Tile pixels srcStart + r·tileWidth + x (r < nrows,
   * x < runLen) are written to out[dstOffset + r·rowStride + x]. Placements must not overlap.
   */
  place: Int32Array;
  /** Elements between output rows. */
  rowStride: number;
  /** The output (a Float32Array when `dequantize` is given). */
  out: RiceDecodeTarget | Float32Array;
  /** Dequantize the decoded integers into the float32 output. */
  dequantize?: RiceDequantize | undefined;
}

/** A batch of tiles to encode. */
export interface RiceEncodeJob extends RiceParams {
  /** The pixels. */
  src: RiceEncodeSource;
  /**
   * Each tile, 3 integers per tile: srcOffset, tileWidth, nrows. Tile k is rows r < nrows of
   * tileWidth elements starting at src[srcOffset + r·rowStride], x fastest.
   */
  place: Int32Array;
  /** Elements between source rows. */
  rowStride: number;
}

/** Result of {@link RiceWasm.encodeTiles}. */
export interface RiceEncoded {
  /** The tiles' bytes, one after another, in a few chunks (concatenate them in order). */
  chunks: Uint8Array[];
  /** Compressed byte count of each tile. */
  lengths: Int32Array;
}

/** The wasm RICE_1 codec. */
export interface RiceWasm {
  /**
   * Decodes the tiles into `job.out`. Returns null, or the first tile that fails (tiles after it are
   * not decoded; `out` is then partly written). Same pixels, and the same failures, as afw's
   * `riceDecode` run tile by tile.
   */
  decodeTiles(job: RiceDecodeJob): RiceFailure | null;
  /** Encodes the tiles, byte for byte as afw's `riceEncode` (and cfitsio's fpack). */
  encodeTiles(job: RiceEncodeJob): RiceEncoded;
  /** A copy of the module's whole memory (for tests that check nothing outside a call's buffers is written). */
  memorySnapshot(): Uint8Array;
  /** The byte range [start, end) of the memory the last call used for its buffers. */
  lastExtent(): { start: number; end: number };
}

/** Bytes of pixels (in or out) and of compressed data handled per wasm call. */
export const BAND_BYTES = 2 << 20;

const PAGE = 65536;
/** Left to the module's static data (as the arena does). */
const RESERVE = 1 << 20;
/** The random sequence of dequantization lives at RESERVE; the call buffers start after it. */
const N_RANDOM = 10000;
const LAYOUT = RESERVE + N_RANDOM * 4 + 64;

interface WasmSync {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

interface Exports {
  riceDecodeTiles(...a: number[]): number;
  riceDecodeTilesF32(...a: number[]): number;
  riceEncodeTiles(...a: number[]): number;
  riceLastStatus(): number;
}

let cached: RiceWasm | string | undefined;

/**
 * The wasm codec, or undefined when it is unavailable here (no WebAssembly or SharedArrayBuffer,
 * build/kernels.wasm missing, not in Node before {@link loadRiceWasm} resolved) or disabled with
 * `SKYSTACK_RICE_WASM=0`. In Node the module is loaded synchronously on the first call (about a
 * millisecond).
 */
export function riceWasm(): RiceWasm | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  if (g.process?.env?.SKYSTACK_RICE_WASM === "0") return undefined;
  if (cached === undefined) cached = loadSync();
  return typeof cached === "string" ? undefined : cached;
}

/** Why {@link riceWasm} returns undefined, or null when it does not. */
export function riceWasmUnavailableReason(): string | null {
  riceWasm();
  return typeof cached === "string" ? cached : null;
}

/** Loads the codec asynchronously (browsers); resolves to it or to the reason it is unavailable. */
export async function loadRiceWasm(): Promise<RiceWasm | string> {
  if (cached !== undefined) return cached;
  try {
    const r = await fetch(WASM_URL);
    if (!r.ok) throw new Error(`${WASM_URL.href}: HTTP ${r.status}`);
    cached = instantiate(new Uint8Array(await r.arrayBuffer()));
  } catch (e) {
    cached = `kernels.wasm could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
  }
  return cached;
}

function wasmSync(): WasmSync | undefined {
  return (globalThis as { WebAssembly?: WasmSync }).WebAssembly;
}

function loadSync(): RiceWasm | string {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } };
  };
  const getBuiltin = g.process?.getBuiltinModule;
  if (!getBuiltin || WASM_URL.protocol !== "file:") return "synchronous loading needs Node >= 20.16 (use loadRiceWasm)";
  try {
    const fs = getBuiltin("node:fs") as { readFileSync(u: URL): Uint8Array };
    return instantiate(fs.readFileSync(WASM_URL));
  } catch (e) {
    return `kernels.wasm could not be loaded (run \`npm run build:wasm -w @skystack/kernels\`): ${e instanceof Error ? e.message : String(e)}`;
  }
}

function instantiate(bytes: Uint8Array): RiceWasm {
  const WA = wasmSync();
  if (!WA) throw new Error("WebAssembly is not available");
  if (typeof SharedArrayBuffer === "undefined") throw new Error("SharedArrayBuffer is not available");
  const memory = new WA.Memory({ initial: Math.ceil((RESERVE + BAND_BYTES * 3) / PAGE), maximum: 65536, shared: true });
  const inst = new WA.Instance(new WA.Module(bytes), { env: { memory } });
  const X = inst.exports as unknown as Exports;
  if (typeof X.riceDecodeTiles !== "function") throw new Error("kernels.wasm predates the RICE codec (rebuild it)");
  return makeCodec(memory, X);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function checkParams(p: RiceParams): void {
  if (p.bytepix !== 1 && p.bytepix !== 2 && p.bytepix !== 4)
    throw new KernelError("bytepix", `must be 1, 2 or 4, got ${p.bytepix}`);
  if (!Number.isInteger(p.blockSize) || p.blockSize < 1 || p.blockSize > 65536)
    throw new KernelError("blockSize", `must be an integer in 1..65536, got ${p.blockSize}`);
}

function makeCodec(memory: WasmMemory, X: Exports): RiceWasm {
  /** Makes the memory at least `bytes` long. */
  let extentEnd = LAYOUT;
  const ensure = (bytes: number): void => {
    extentEnd = Math.max(extentEnd, bytes);
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
  };

  const decodeTiles = (job: RiceDecodeJob): RiceFailure | null => {
    checkParams(job);
    extentEnd = LAYOUT;
    const { tiles, place, rowStride, out } = job;
    const n = tiles.length;
    if (place.length < 6 * n) throw new KernelError("place", `needs 6 integers per tile (${6 * n}), got ${place.length}`);
    if (!Number.isInteger(rowStride) || rowStride < 0)
      throw new KernelError("rowStride", `must be a non-negative integer, got ${rowStride}`);
    const dq = job.dequantize;
    const kind = dq
      ? out instanceof Float32Array
        ? 4
        : -1
      : out instanceof Int32Array
        ? 0
        : out instanceof Int16Array
          ? 1
          : out instanceof Uint16Array
            ? 2
            : out instanceof Uint8Array
              ? 3
              : -1;
    if (kind < 0)
      throw new KernelError(
        "out",
        dq ? "must be a Float32Array to dequantize into" : "must be an Int32Array, Int16Array, Uint16Array or Uint8Array",
      );
    if (dq) {
      if (dq.zscale.length < n || dq.zzero.length < n || dq.iseed.length < n)
        throw new KernelError("dequantize", `zscale, zzero and iseed need one value per tile (${n})`);
      if (dq.random.length !== N_RANDOM)
        throw new KernelError("dequantize.random", `must hold ${N_RANDOM} values, got ${dq.random.length}`);
      for (let k = 0; k < n; k++) {
        const s0 = dq.iseed[k]!;
        if (!(s0 >= 0 && s0 < N_RANDOM)) throw new KernelError("dequantize.iseed", `tile ${k}: ${s0} is outside 0..9999`);
      }
      // every random value is in [0, 1), so the run starts (trunc(r * 500)) stay in 0..499
      for (let i = 0; i < N_RANDOM; i++) {
        const r = dq.random[i]!;
        if (!(r >= 0 && r < 1)) throw new KernelError("dequantize.random", `value ${i} (${r}) is outside [0, 1)`);
      }
      ensure(LAYOUT);
      new Float32Array(memory.buffer, RESERVE, N_RANDOM).set(dq.random);
    }
    const method = dq ? (dq.method === "NO_DITHER" ? 0 : dq.method === "SUBTRACTIVE_DITHER_1" ? 1 : 2) : -1;
    const esize = out.BYTES_PER_ELEMENT;
    // Validate every placement (the wasm side trusts them).
    for (let k = 0; k < n; k++) {
      const q = 6 * k;
      const npix = place[q]!;
      const tw = place[q + 1]!;
      const srcStart = place[q + 2]!;
      const runLen = place[q + 3]!;
      const nrows = place[q + 4]!;
      const dst = place[q + 5]!;
      const bad =
        npix < 0 ||
        tw < 1 ||
        srcStart < 0 ||
        runLen < 0 ||
        runLen > tw ||
        nrows < 0 ||
        dst < 0 ||
        (nrows > 0 &&
          runLen > 0 &&
          (srcStart + (nrows - 1) * tw + runLen > npix || dst + (nrows - 1) * rowStride + runLen > out.length));
      if (bad)
        throw new KernelError(
          "place",
          `tile ${k}: placement [${place.subarray(q, q + 6).join(", ")}] does not fit the tile or the output`,
        );
    }
    let k0 = 0;
    while (k0 < n) {
      // A band: consecutive tiles whose bytes and output span fit the budget (at least one tile).
      let inBytes = 0;
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      let covered = 0;
      let maxNpix = 0;
      let k1 = k0;
      while (k1 < n) {
        const q = 6 * k1;
        const nrows = place[q + 4]!;
        const runLen = place[q + 3]!;
        const a = place[q + 5]!;
        const b = nrows > 0 && runLen > 0 ? a + (nrows - 1) * rowStride + runLen : a;
        const nlo = Math.min(lo, a);
        const nhi = Math.max(hi, b);
        const nIn = inBytes + tiles[k1]!.length;
        if (k1 > k0 && (nIn > BAND_BYTES || (nhi - nlo) * esize > BAND_BYTES)) break;
        lo = nlo;
        hi = nhi;
        inBytes = nIn;
        covered += nrows * runLen;
        maxNpix = Math.max(maxNpix, place[q]!);
        k1++;
      }
      if (hi < lo) hi = lo;
      const m = k1 - k0;
      const descPtr = LAYOUT;
      const qPtr = align8(descPtr + m * 32);
      const scratchPtr = align8(qPtr + (dq ? m * 24 : 0));
      const scratchFPtr = align8(scratchPtr + maxNpix * 4);
      const inPtr = align8(scratchFPtr + (dq ? maxNpix * 4 : 0));
      const revPtr = align8(inPtr + inBytes);
      const outPtr = align8(revPtr + inBytes);
      ensure(outPtr + (hi - lo) * esize);
      const buf = memory.buffer;
      const u8 = new Uint8Array(buf);
      const desc = new Int32Array(buf, descPtr, m * 8);
      let off = 0;
      // Tiles that follow each other in one buffer (a heap read in one piece) are copied in one go.
      let runStart = 0;
      let runBuf: ArrayBufferLike | undefined;
      let runOff = 0;
      let runLen = 0;
      for (let k = k0; k < k1; k++) {
        const t = tiles[k]!;
        if (t.buffer === runBuf && t.byteOffset === runOff + runLen) {
          runLen += t.length;
        } else {
          if (runBuf) u8.set(new Uint8Array(runBuf, runOff, runLen), inPtr + runStart);
          runBuf = t.buffer;
          runOff = t.byteOffset;
          runLen = t.length;
          runStart = off;
        }
        const q = 6 * k;
        const d = 8 * (k - k0);
        desc[d] = off;
        desc[d + 1] = t.length;
        desc[d + 2] = place[q]!;
        desc[d + 3] = place[q + 1]!;
        desc[d + 4] = place[q + 2]!;
        desc[d + 5] = place[q + 3]!;
        desc[d + 6] = place[q + 4]!;
        desc[d + 7] = place[q + 5]! - lo;
        off += t.length;
      }
      if (runBuf) u8.set(new Uint8Array(runBuf, runOff, runLen), inPtr + runStart);
      let failed: number;
      if (dq) {
        const qv = new DataView(buf, qPtr, m * 24);
        for (let k = k0; k < k1; k++) {
          const o = (k - k0) * 24;
          qv.setFloat64(o, dq.zscale[k]!, true);
          qv.setFloat64(o + 8, dq.zzero[k]!, true);
          qv.setInt32(o + 16, dq.iseed[k]!, true);
        }
        const hasNull = dq.nullValue !== undefined;
        failed = X.riceDecodeTilesF32(
          inPtr,
          inBytes,
          revPtr,
          descPtr,
          m,
          job.bytepix,
          job.blockSize,
          scratchPtr,
          scratchFPtr,
          outPtr,
          rowStride,
          qPtr,
          method,
          RESERVE,
          hasNull ? 1 : 0,
          hasNull ? dq.nullValue! | 0 : 0,
        );
      } else {
        failed = X.riceDecodeTiles(
          inPtr,
          inBytes,
          revPtr,
          descPtr,
          m,
          job.bytepix,
          job.blockSize,
          scratchPtr,
          outPtr,
          rowStride,
          kind,
        );
      }
      if (failed >= 0) return { tile: k0 + failed, code: X.riceLastStatus() === 2 ? "CORRUPT" : "TRUNCATED" };
      const C = out.constructor as new (b: ArrayBufferLike, o: number, n: number) => RiceDecodeTarget | Float32Array;
      const band = new C(buf, outPtr, hi - lo);
      if (covered === hi - lo) {
        // the placements tile [lo, hi) exactly: one copy
        out.set(band as never, lo);
      } else {
        for (let k = k0; k < k1; k++) {
          const q = 6 * k;
          const runLen = place[q + 3]!;
          const a = place[q + 5]! - lo;
          for (let r = 0; r < place[q + 4]!; r++) {
            const s = a + r * rowStride;
            out.set(band.subarray(s, s + runLen) as never, s + lo);
          }
        }
      }
      k0 = k1;
    }
    return null;
  };

  const encodeTiles = (job: RiceEncodeJob): RiceEncoded => {
    checkParams(job);
    extentEnd = LAYOUT;
    const { src, place, rowStride } = job;
    const n = Math.floor(place.length / 3);
    if (place.length !== 3 * n) throw new KernelError("place", `needs 3 integers per tile, got ${place.length}`);
    const kind =
      src instanceof Int32Array
        ? 0
        : src instanceof Int16Array
          ? 1
          : src instanceof Uint16Array
            ? 2
            : src instanceof Uint8Array
              ? 3
              : src instanceof Int8Array
                ? 4
                : src instanceof Uint32Array
                  ? 5
                  : -1;
    if (kind < 0)
      throw new KernelError("src", "must be an Int32Array, Int16Array, Uint16Array, Uint8Array, Int8Array or Uint32Array");
    const esize = src.BYTES_PER_ELEMENT;
    const bytepix = job.bytepix;
    const fsbits = bytepix === 4 ? 5 : bytepix === 2 ? 4 : 3;
    /** Worst-case compressed size of a tile of `npix` pixels (as afw's riceEncode sizes it). */
    const bound = (npix: number): number =>
      bytepix + Math.ceil((Math.ceil(npix / job.blockSize) * fsbits + npix * (8 * bytepix + 4)) / 8) + 8;
    for (let k = 0; k < n; k++) {
      const [s, tw, nr] = [place[3 * k]!, place[3 * k + 1]!, place[3 * k + 2]!];
      if (s < 0 || tw < 0 || nr < 0 || (tw > 0 && nr > 0 && s + (nr - 1) * rowStride + tw > src.length))
        throw new KernelError("place", `tile ${k}: [${s}, ${tw}, ${nr}] does not fit the source (${src.length} elements)`);
    }
    const lengths = new Int32Array(n);
    const chunks: Uint8Array[] = [];
    let k0 = 0;
    while (k0 < n) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      let outBound = 0;
      let maxNpix = 0;
      let k1 = k0;
      while (k1 < n) {
        const [s, tw, nr] = [place[3 * k1]!, place[3 * k1 + 1]!, place[3 * k1 + 2]!];
        const e = tw > 0 && nr > 0 ? s + (nr - 1) * rowStride + tw : s;
        const nlo = Math.min(lo, s);
        const nhi = Math.max(hi, e);
        const nb = outBound + bound(tw * nr);
        if (k1 > k0 && (nb > BAND_BYTES || (nhi - nlo) * esize > BAND_BYTES)) break;
        lo = nlo;
        hi = Math.max(nhi, nlo);
        outBound = nb;
        maxNpix = Math.max(maxNpix, tw * nr);
        k1++;
      }
      const m = k1 - k0;
      const descPtr = LAYOUT;
      const valsPtr = align8(descPtr + m * 16);
      const dbufPtr = align8(valsPtr + maxNpix * 4);
      const srcPtr = align8(dbufPtr + job.blockSize * 4);
      const rbufPtr = align8(srcPtr + (hi - lo) * esize);
      const outPtr = align8(rbufPtr + outBound + 16);
      ensure(outPtr + outBound);
      const buf = memory.buffer;
      const C = src.constructor as new (b: ArrayBufferLike, o: number, n: number) => RiceEncodeSource;
      new C(buf, srcPtr, hi - lo).set(src.subarray(lo, hi) as never);
      const desc = new Int32Array(buf, descPtr, m * 4);
      for (let k = k0; k < k1; k++) {
        const d = 4 * (k - k0);
        desc[d] = place[3 * k]! - lo;
        desc[d + 1] = place[3 * k + 1]!;
        desc[d + 2] = place[3 * k + 2]!;
      }
      const total = X.riceEncodeTiles(
        srcPtr,
        kind,
        rowStride,
        descPtr,
        m,
        bytepix,
        job.blockSize,
        valsPtr,
        dbufPtr,
        rbufPtr,
        outPtr,
        outBound,
      );
      for (let k = k0; k < k1; k++) lengths[k] = desc[4 * (k - k0) + 3]!;
      chunks.push(new Uint8Array(buf, outPtr, total).slice());
      k0 = k1;
    }
    return { chunks, lengths };
  };

  return {
    decodeTiles,
    encodeTiles,
    memorySnapshot: () => new Uint8Array(memory.buffer).slice(),
    lastExtent: () => ({ start: RESERVE, end: extentEnd }),
  };
}
