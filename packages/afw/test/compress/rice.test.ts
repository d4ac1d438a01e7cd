import { describe, expect, it } from "vitest";
import { CodecError, riceDecode, riceEncode } from "../../src/fits/compress/index.js";
import { caseEntry, cutTile, manifest, readInt32, tileBytes, tileRegion } from "./fixtures.js";

const riceCases = Object.entries(manifest.cases)
  .filter(([, c]) => String(c.keywords.ZCMPTYPE).startsWith("RICE") && c.pixelsType === "int32" && c.shape !== undefined)
  .map(([name]) => name);

describe("RICE_1 against fpack/astropy fixtures", () => {
  it("has the integer fixture cases", () => {
    expect(riceCases.sort()).toEqual(["rice_i16", "rice_i16_astropy", "rice_i16_t", "rice_i32", "rice_u8"]);
  });

  for (const name of riceCases) {
    const c = caseEntry(name);
    const bytepix = Number(c.keywords.ZVAL2 ?? 4) as 1 | 2 | 4;
    const blockSize = Number(c.keywords.ZVAL1 ?? 32);
    const img = readInt32(c.pixelsFile);
    const orig = readInt32(`${c.image}.orig.bin`);
    const width = c.shape![1];

    it(`${name}: decodes every tile to the reference pixels (${c.tool})`, () => {
      expect(c.lossless).toBe(true);
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const n = r.nx * r.ny;
        const out = new Int32Array(n + 3).fill(12345);
        riceDecode(tileBytes(c, t), out, n, bytepix, blockSize);
        expect(Array.from(out.subarray(0, n)), `tile ${t.index}`).toEqual(Array.from(cutTile(img, width, r)));
        expect(Array.from(out.subarray(n)), "writes nothing past npix").toEqual([12345, 12345, 12345]);
      }
    });

    it(`${name}: riceEncode reproduces the stored tile bytes exactly`, () => {
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const enc = riceEncode(cutTile(orig, width, r), r.nx * r.ny, bytepix, blockSize);
        expect(Buffer.from(enc).toString("hex"), `tile ${t.index}`).toBe(Buffer.from(tileBytes(c, t)).toString("hex"));
      }
    });
  }

  it("the fixtures exercise low-entropy, high-entropy and Rice-coded blocks", () => {
    // FS code of the first block of some tiles of rice_i16: row 5 is constant, row 7 has random
    // 16-bit values in pixels 10..39, row 6 alternates -32768/32767 (differences wrap to -1/+1)
    const c = caseEntry("rice_i16");
    const firstCode = (t: number) => tileBytes(c, c.tiles[t]!)[2]! >> 4;
    expect(firstCode(5)).toBe(0); // low entropy
    expect(firstCode(7)).toBe(15); // high entropy: raw 16-bit differences
    expect(firstCode(6)).toBe(1); // FS = 0: mapped differences 1 and 2 average below 2
    expect(firstCode(0)).toBeGreaterThan(1); // normal Rice coding
    expect(firstCode(0)).toBeLessThan(15);
  });
});

describe("RICE_1 hand-made streams", () => {
  it("decodes a constant int16 tile (first value raw, then low-entropy blocks)", () => {
    const out = new Int32Array(5);
    riceDecode(Uint8Array.of(0xff, 0xfd, 0x00), out, 5, 2, 32);
    expect(Array.from(out)).toEqual([-3, -3, -3, -3, -3]);
    expect(Array.from(riceEncode(Int32Array.of(-3, -3, -3, -3, -3), 5, 2, 32))).toEqual([0xff, 0xfd, 0x00]);
  });

  it("decodes unsigned bytes and int32 extremes", () => {
    const bytes = riceEncode(Int32Array.of(255, 0, 128, 255, 1), 5, 1, 16);
    const out = new Int32Array(5);
    riceDecode(bytes, out, 5, 1, 16);
    expect(Array.from(out)).toEqual([255, 0, 128, 255, 1]);
    const big = Int32Array.of(-2147483648, 2147483647, 0, -1, 2147483647, -2147483648);
    const o32 = new Int32Array(6);
    riceDecode(riceEncode(big, 6, 4, 32), o32, 6, 4, 32);
    expect(Array.from(o32)).toEqual(Array.from(big));
  });

  it("codes a one-pixel tile as the raw value plus one FS byte", () => {
    expect(Array.from(riceEncode(Int32Array.of(0x01020304), 1, 4, 32))).toEqual([1, 2, 3, 4, 0]);
    const out = new Int32Array(1);
    riceDecode(Uint8Array.of(1, 2, 3, 4, 0), out, 1, 4, 32);
    expect(out[0]).toBe(0x01020304);
  });

  it("throws TRUNCATED on a cut stream and never writes past npix", () => {
    const vals = Int32Array.from({ length: 300 }, (_, i) => (i * 7919) % 1000);
    const bytes = riceEncode(vals, 300, 2, 32);
    for (const cut of [0, 1, 2, 3, bytes.length >> 1, bytes.length - 1]) {
      const out = new Int32Array(301);
      let err: unknown;
      try {
        riceDecode(bytes.subarray(0, cut), out, 300, 2, 32);
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(CodecError);
      expect((err as CodecError).code).toBe("TRUNCATED");
      expect(out[300]).toBe(0);
    }
  });

  it("throws CORRUPT on an FS code above the maximum (bytepix 4)", () => {
    // first value 0, then FS code 31 (5 bits 11111)
    expect(() => riceDecode(Uint8Array.of(0, 0, 0, 0, 0xf8, 0, 0, 0), new Int32Array(4), 4, 4, 32)).toThrow(
      expect.objectContaining({ name: "CodecError", code: "CORRUPT" }),
    );
  });

  it("rejects bad arguments with BAD_ARGUMENT", () => {
    const bytes = riceEncode(Int32Array.of(1, 2, 3), 3, 2, 32);
    expect(() => riceDecode(bytes, new Int32Array(2), 3, 2, 32)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    expect(() => riceDecode(bytes, new Int32Array(3), 3, 3 as 2, 32)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    expect(() => riceDecode(bytes, new Int32Array(3), 3, 2, 0)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    expect(() => riceEncode(Int32Array.of(1), 2, 2, 32)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
  });
});
