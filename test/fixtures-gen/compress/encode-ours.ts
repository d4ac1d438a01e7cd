/**
 * Encode the fixture images tile by tile with OUR encoders (riceEncode, plioEncode,
 * hcompressEncode, quantizeTile) and write the tiles to a JSON file, for crosscheck.py to put into
 * FITS files that funpack and astropy then decode.
 *
 *   npx tsx test/fixtures-gen/compress/encode-ours.ts [OUT.json]   # default /tmp/skystack-compress-ours.json
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  hcompressEncode,
  plioEncode,
  type QuantizeMethod,
  quantizeTile,
  riceEncode,
} from "../../../packages/afw/src/fits/compress/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "..", "..", "packages", "afw", "test", "compress", "fixtures");
const outPath = process.argv[2] ?? "/tmp/skystack-compress-ours.json";

interface Tile {
  index: number;
  fallback?: string;
  ZSCALE?: number;
  ZZERO?: number;
}
interface Case {
  image: string;
  tool: string;
  keywords: Record<string, string | number>;
  shape: [number, number];
  tiles: Tile[];
}
const manifest = JSON.parse(readFileSync(join(fixtures, "manifest.json"), "utf8")) as { cases: Record<string, Case> };

function load(file: string, float: boolean): Int32Array | Float32Array {
  const b = readFileSync(join(fixtures, file));
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  return float ? new Float32Array(ab) : new Int32Array(ab);
}

function cut<T extends Int32Array | Float32Array>(img: T, width: number, x0: number, y0: number, nx: number, ny: number): T {
  const out = (img instanceof Float32Array ? new Float32Array(nx * ny) : new Int32Array(nx * ny)) as T;
  for (let y = 0; y < ny; y++) out.set(img.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + nx), y * nx);
  return out;
}

const CASES = [
  "rice_i16",
  "rice_i16_t",
  "rice_i32",
  "rice_u8",
  "plio_mask",
  "plio_long",
  "plio32",
  "hcomp_i16",
  "hcomp_i32",
  "hcomp_u8",
  "hcomp_mask_whole",
  "rice_f32_d1",
  "rice_f32_d2",
  "hcomp_f32",
];

const result: Record<string, { tiles: { index: number; hex: string; ZSCALE?: number; ZZERO?: number; fallback?: boolean }[] }> =
  {};
for (const name of CASES) {
  const c = manifest.cases[name]!;
  const cmp = String(c.keywords.ZCMPTYPE);
  const float = Number(c.keywords.ZBITPIX) < 0;
  const img = load(`${c.image}.orig.bin`, float);
  const [height, width] = c.shape;
  const t1 = Number(c.keywords.ZTILE1);
  const t2 = Number(c.keywords.ZTILE2 ?? 1);
  const ntx = Math.ceil(width / t1);
  const bytepix = Number(c.keywords.ZVAL2 ?? 4) as 1 | 2 | 4;
  const tiles: (typeof result)[string]["tiles"] = [];
  for (const t of c.tiles) {
    const x0 = (t.index % ntx) * t1;
    const y0 = Math.floor(t.index / ntx) * t2;
    const nx = Math.min(t1, width - x0);
    const ny = Math.min(t2, height - y0);
    const n = nx * ny;
    let ints: Int32Array;
    let zscale: number | undefined;
    let zzero: number | undefined;
    if (float) {
      const level = Number(/-q\S*\s+(\S+)/.exec(c.tool)![1]);
      const q = quantizeTile(cut(img as Float32Array, width, x0, y0, nx, ny), n, {
        level,
        method: String(c.keywords.ZQUANTIZ) as QuantizeMethod,
        tileIndex: t.index,
        ditherSeed: Number(c.keywords.ZDITHER0),
        nx,
      });
      if (q === null) {
        tiles.push({ index: t.index, hex: "", fallback: true }); // crosscheck.py copies fpack's gzip tile
        continue;
      }
      ints = q.ints;
      zscale = q.zscale;
      zzero = q.zzero;
    } else {
      ints = cut(img as Int32Array, width, x0, y0, nx, ny);
    }
    let bytes: Uint8Array;
    if (cmp.startsWith("RICE")) {
      bytes = riceEncode(ints, n, float ? 4 : bytepix, Number(c.keywords.ZVAL1 ?? 32));
    } else if (cmp === "PLIO_1") {
      const w = plioEncode(ints, n);
      bytes = new Uint8Array(w.length * 2);
      const dv = new DataView(bytes.buffer);
      for (let i = 0; i < w.length; i++) dv.setInt16(2 * i, w[i]!);
    } else {
      // lossless for integer images, like fpack -h without -s; floats: the quantized integers
      bytes = hcompressEncode(ints, nx, ny, 0);
    }
    const e: (typeof tiles)[number] = { index: t.index, hex: Buffer.from(bytes).toString("hex") };
    if (zscale !== undefined) e.ZSCALE = zscale;
    if (zzero !== undefined) e.ZZERO = zzero;
    tiles.push(e);
  }
  result[name] = { tiles };
}
writeFileSync(outPath, JSON.stringify(result));
console.log(`wrote ${Object.keys(result).length} cases to ${outPath}`);
