import { describe, expect, it } from "vitest";
import { CodecError, hcompressDecode, hcompressEncode } from "../../src/fits/compress/index.js";
import { caseEntry, cutTile, readInt32, tileBytes, tileRegion } from "./fixtures.js";

/** cfitsio clips decoded HCOMPRESS values to the output type's range (fffi4i2 / fffi4i1). */
function clip(v: Int32Array, zbitpix: number): number[] {
  const [lo, hi] = zbitpix === 16 ? [-32768, 32767] : zbitpix === 8 ? [0, 255] : [-2147483648, 2147483647];
  return Array.from(v, (x) => Math.min(hi, Math.max(lo, x)));
}

const cases = ["hcomp_i16", "hcomp_i16_lossy", "hcomp_i16_smooth", "hcomp_i32", "hcomp_u8", "hcomp_mask_whole"];

describe("HCOMPRESS_1 against fpack/astropy fixtures", () => {
  for (const name of cases) {
    const c = caseEntry(name);
    const img = readInt32(c.pixelsFile);
    const orig = readInt32(`${c.image}.orig.bin`);
    const width = c.shape![1];
    const zbitpix = Number(c.keywords.ZBITPIX);
    const smooth = Number(c.keywords.ZVAL2 ?? 0) !== 0;

    it(`${name}: decodes every tile as funpack/astropy do (${c.tool})`, () => {
      expect(c.keywords.ZCMPTYPE).toBe("HCOMPRESS_1");
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const d = hcompressDecode(tileBytes(c, t), smooth, { nx: r.nx, ny: r.ny });
        expect([d.nx, d.ny]).toEqual([r.nx, r.ny]);
        expect(clip(d.values, zbitpix), `tile ${t.index}`).toEqual(Array.from(cutTile(img, width, r)));
      }
    });

    it(`${name}: hcompressEncode of the original pixels reproduces the stored bytes`, () => {
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const stored = tileBytes(c, t);
        const scale = new DataView(stored.buffer, stored.byteOffset).getInt32(10);
        const enc = hcompressEncode(cutTile(orig, width, r), r.nx, r.ny, scale);
        expect(Buffer.from(enc).toString("hex"), `tile ${t.index}`).toBe(Buffer.from(stored).toString("hex"));
      }
    });
  }

  it("lossless cases are lossless; the lossy case really is lossy with scale > 1", () => {
    for (const name of ["hcomp_i16", "hcomp_i32", "hcomp_u8", "hcomp_mask_whole"]) expect(caseEntry(name).lossless).toBe(true);
    const c = caseEntry("hcomp_i16_lossy");
    expect(c.lossless).toBe(false);
    const stored = tileBytes(c, c.tiles[1]!);
    expect(new DataView(stored.buffer, stored.byteOffset).getInt32(10)).toBeGreaterThan(1);
  });

  it("smoothing changes the decoded pixels of a lossy stream (same bytes, ZVAL2 SMOOTH = 1)", () => {
    const a = caseEntry("hcomp_i16_lossy");
    const s = caseEntry("hcomp_i16_smooth");
    expect(s.keywords.ZNAME2).toBe("SMOOTH");
    expect(s.keywords.ZVAL2).toBe(1);
    const t = 1;
    expect(Buffer.from(tileBytes(s, s.tiles[t]!)).equals(Buffer.from(tileBytes(a, a.tiles[t]!)))).toBe(true);
    const plain = hcompressDecode(tileBytes(a, a.tiles[t]!), false).values;
    const smoothed = hcompressDecode(tileBytes(a, a.tiles[t]!), true).values;
    expect(Array.from(plain)).not.toEqual(Array.from(smoothed));
  });
});

describe("HCOMPRESS_1 streams", () => {
  it("round-trips odd and tiny sizes, including int32 extremes (64-bit path)", () => {
    for (const [nx, ny] of [
      [1, 1],
      [1, 7],
      [5, 1],
      [3, 3],
      [4, 4],
      [17, 9],
      [64, 5],
    ] as const) {
      const v = Int32Array.from({ length: nx * ny }, (_, i) => ((i * 2654435761) | 0) >> (i % 3 === 0 ? 0 : 8));
      v[0] = -2147483648;
      v[v.length - 1] = 2147483647;
      const d = hcompressDecode(hcompressEncode(v, nx, ny, 0), false);
      expect([d.nx, d.ny, d.scale]).toEqual([nx, ny, 0]);
      expect(Array.from(d.values), `${nx}x${ny}`).toEqual(Array.from(v));
    }
  });

  it("writes the header: magic, rows, columns, scale, 64-bit sum, bit-plane counts", () => {
    const enc = hcompressEncode(Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 4, 2, 0);
    const dv = new DataView(enc.buffer, enc.byteOffset);
    expect([enc[0], enc[1]]).toEqual([0xdd, 0x99]);
    expect([dv.getInt32(2), dv.getInt32(6), dv.getInt32(10)]).toEqual([2, 4, 0]);
    // first H-transform coefficient, worked by hand: level 1 gives h0 = 14 -> 16 and 22 -> 24
    // (rounded to multiples of 4), level 2 gives (16 + 24) rounded to a multiple of 8 = 40
    expect(dv.getBigInt64(14)).toBe(40n);
  });

  it("rejects bad magic, wrong size, truncation and absurd headers", () => {
    const enc = hcompressEncode(
      Int32Array.from({ length: 64 }, (_, i) => i * i),
      8,
      8,
      0,
    );
    const bad = enc.slice();
    bad[0] = 0;
    expect(() => hcompressDecode(bad, false)).toThrow(expect.objectContaining({ code: "CORRUPT" }));
    expect(() => hcompressDecode(enc, false, { nx: 8, ny: 4 })).toThrow(expect.objectContaining({ code: "CORRUPT" }));
    expect(() => hcompressDecode(enc.subarray(0, 20), false)).toThrow(expect.objectContaining({ code: "TRUNCATED" }));
    expect(() => hcompressDecode(enc.subarray(0, enc.length - 1), false)).toThrow(CodecError);
    const huge = enc.slice();
    new DataView(huge.buffer).setInt32(2, 1 << 20);
    new DataView(huge.buffer).setInt32(6, 1 << 20);
    expect(() => hcompressDecode(huge, false)).toThrow(expect.objectContaining({ code: "UNSUPPORTED" }));
    const zero = enc.slice();
    new DataView(zero.buffer).setInt32(2, 0);
    expect(() => hcompressDecode(zero, false)).toThrow(expect.objectContaining({ code: "CORRUPT" }));
  });

  it("refuses int32 tiles whose coefficients could exceed 2^53", () => {
    expect(() => hcompressEncode(new Int32Array(1 << 22).fill(2147483647), 1 << 22, 1, 0)).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED" }),
    );
  });
});
