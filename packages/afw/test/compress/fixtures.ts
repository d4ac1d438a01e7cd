/**
 * Loader for the codec fixtures made by test/fixtures-gen/compress/gen.py (fpack/funpack 4.2,
 * astropy 5.2.1 and two real DECam files). See fixtures/manifest.json.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

export interface TileEntry {
  index: number;
  offset: number;
  length: number;
  ZSCALE?: number;
  ZZERO?: number;
  ZBLANK?: number;
  fallback?: string;
  fallbackLength?: number;
}

export interface CaseEntry {
  image?: string;
  tool: string;
  keywords: Record<string, string | number | boolean>;
  columns: Record<string, string>;
  shape?: [number, number];
  tiles: TileEntry[];
  tilesFile: string;
  pixelsFile: string;
  pixelsType: "int32" | "float32";
  funpackPixelsFile?: string;
  funpackVsAstropy: string;
  lossless?: boolean;
  rowLength?: number;
  note?: string;
}

export interface Manifest {
  cases: Record<string, CaseEntry>;
  crossCheck?: Record<string, unknown>;
  randomCheck: { seed10000: number };
}

export const manifest: Manifest = JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8"));

export function caseEntry(name: string): CaseEntry {
  const c = manifest.cases[name];
  if (c === undefined) throw new Error(`no fixture case ${name}`);
  return c;
}

export function readBytes(file: string): Uint8Array {
  const b = readFileSync(join(FIXTURES, file));
  return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readInt32(file: string): Int32Array {
  return new Int32Array(readBytes(file).buffer);
}

export function readFloat32(file: string): Float32Array {
  return new Float32Array(readBytes(file).buffer);
}

/** The stored bytes of one tile (a copy). */
export function tileBytes(c: CaseEntry, t: TileEntry): Uint8Array {
  return readBytes(c.tilesFile).slice(t.offset, t.offset + t.length);
}

/** Big-endian int16 heap words (a PLIO tile) to host Int16Array. */
export function beWords(bytes: Uint8Array): Int16Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < w.length; i++) w[i] = dv.getInt16(2 * i);
  return w;
}

/** Host Int16Array to big-endian bytes. */
export function wordsToBe(words: Int16Array): Uint8Array {
  const out = new Uint8Array(words.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) dv.setInt16(2 * i, words[i]!);
  return out;
}

export interface TileRegion {
  x0: number;
  y0: number;
  nx: number;
  ny: number;
}

/** Region of tile `index` (0-based, row-major over tiles) of an image with the case's tiling. */
export function tileRegion(c: CaseEntry, index: number): TileRegion {
  const [height, width] = c.shape!;
  const t1 = Number(c.keywords.ZTILE1);
  const t2 = Number(c.keywords.ZTILE2 ?? 1);
  const ntx = Math.ceil(width / t1);
  const x0 = (index % ntx) * t1;
  const y0 = Math.floor(index / ntx) * t2;
  return { x0, y0, nx: Math.min(t1, width - x0), ny: Math.min(t2, height - y0) };
}

/** Copy a tile's pixels out of a full image (row-major, `width` per row). */
export function cutTile<T extends Int32Array | Float32Array>(img: T, width: number, r: TileRegion): T {
  const out = (img instanceof Float32Array ? new Float32Array(r.nx * r.ny) : new Int32Array(r.nx * r.ny)) as T;
  for (let y = 0; y < r.ny; y++) {
    out.set(img.subarray((r.y0 + y) * width + r.x0, (r.y0 + y) * width + r.x0 + r.nx), y * r.nx);
  }
  return out;
}

/** Float32 bit patterns (NaN payloads collapsed), for bit-exact comparisons. */
export function bits(a: Float32Array): number[] {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  return Array.from(a, (v, i) => (Number.isNaN(v) ? 0x7fc00000 : u[i]!));
}
