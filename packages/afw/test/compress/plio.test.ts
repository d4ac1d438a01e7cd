import { describe, expect, it } from "vitest";
import { CodecError, plioDecode, plioEncode } from "../../src/fits/compress/index.js";
import { beWords, caseEntry, cutTile, manifest, readInt32, tileBytes, tileRegion } from "./fixtures.js";

describe("PLIO_1 against fpack fixtures", () => {
  for (const name of ["plio_mask", "plio32", "plio_long"]) {
    const c = caseEntry(name);
    const img = readInt32(c.pixelsFile);
    const orig = readInt32(`${c.image}.orig.bin`);
    const width = c.shape![1];

    it(`${name}: decodes every tile as funpack/astropy do (${c.tool})`, () => {
      expect(c.columns.COMPRESSED_DATA).toMatch(/^1PI/);
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const n = r.nx * r.ny;
        const out = new Int32Array(n + 1).fill(-1);
        plioDecode(beWords(tileBytes(c, t)), out, n);
        expect(Array.from(out.subarray(0, n)), `tile ${t.index}`).toEqual(Array.from(cutTile(img, width, r)));
        expect(out[n]).toBe(-1);
      }
    });

    it(`${name}: our line lists decode (by plioDecode) to the original pixels`, () => {
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const n = r.nx * r.ny;
        const px = cutTile(orig, width, r);
        const out = new Int32Array(n);
        plioDecode(plioEncode(px, n), out, n);
        expect(Array.from(out), `tile ${t.index}`).toEqual(Array.from(px));
      }
    });
  }

  it("plio_mask and plio32: plioEncode emits cfitsio's words exactly", () => {
    for (const name of ["plio_mask", "plio32"]) {
      const c = caseEntry(name);
      const orig = readInt32(`${c.image}.orig.bin`);
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const words = plioEncode(cutTile(orig, c.shape![1], r), r.nx * r.ny);
        expect(Array.from(words), `${name} tile ${t.index}`).toEqual(Array.from(beWords(tileBytes(c, t))));
      }
    }
  });

  it("plio_long: cfitsio's stream for 4095 zeros + one pixel decodes wrongly, ours does not", () => {
    const c = caseEntry("plio_long");
    // funpack's output of fpack's file differs from the original image (cfitsio PN overflow)
    expect(c.lossless).toBe(false);
    const orig = readInt32(`${c.image}.orig.bin`);
    const t = c.tiles[0]!;
    const fpackWords = beWords(tileBytes(c, t));
    const ours = plioEncode(orig.subarray(0, 9000), 9000);
    expect(Array.from(ours)).not.toEqual(Array.from(fpackWords));
    const fromFpack = new Int32Array(9000);
    plioDecode(fpackWords, fromFpack, 9000);
    expect(fromFpack[3 + 4095]).not.toBe(6);
    const fromOurs = new Int32Array(9000);
    plioDecode(ours, fromOurs, 9000);
    expect(fromOurs[3 + 4095]).toBe(6);
    expect(Array.from(fromOurs)).toEqual(Array.from(orig.subarray(0, 9000)));
  });
});

describe("PLIO_1 hand-made line lists", () => {
  it("encodes zeros, a raised high value and a run", () => {
    // header [0, 7, -100, len, 0, 0, 0]; IH 4 (0x2004), ZN 2, HN 3 (0x4003), ZN 1
    const words = plioEncode(Int32Array.of(0, 0, 5, 5, 5, 0), 6);
    expect(Array.from(words)).toEqual([0, 7, -100, 11, 0, 0, 0, 0x2004, 2, 0x4003, 1]);
    const out = new Int32Array(6);
    plioDecode(words, out, 6);
    expect(Array.from(out)).toEqual([0, 0, 5, 5, 5, 0]);
  });

  it("uses set-high (two words) for jumps above 4095 and IS/DS/PN single-pixel forms", () => {
    const px = Int32Array.of(10000, 10001, 0, 0, 10001, 9000, 9000);
    const words = plioEncode(px, px.length);
    expect(Array.from(words.subarray(7))).toEqual([
      0x1000 | (10000 & 4095), // SH low 12 bits
      10000 >> 12, // SH high part
      0x4001, // HN 1
      0x6001, // IS +1 (one pixel)
      0x5003, // PN: 2 zeros then one pixel of 10001
      0x3000 | 1001, // DH 1001
      0x4002, // HN 2
    ]);
    const out = new Int32Array(px.length);
    plioDecode(words, out, px.length);
    expect(Array.from(out)).toEqual(Array.from(px));
  });

  it("decodes the old-style header (length in word 3, instructions from word 4)", () => {
    const out = new Int32Array(5);
    plioDecode(Int16Array.of(0, 0, 5, 0x4003, 2), out, 5);
    expect(Array.from(out)).toEqual([1, 1, 1, 0, 0]);
  });

  it("refuses values outside 0..2^24-1 and truncated lists", () => {
    expect(() => plioEncode(Int32Array.of(1, -1), 2)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    expect(() => plioEncode(Int32Array.of(16777216), 1)).toThrow(CodecError);
    const words = plioEncode(Int32Array.of(3, 3, 3, 9, 9), 5);
    expect(() => plioDecode(words.subarray(0, words.length - 1), new Int32Array(5), 5)).toThrow(
      expect.objectContaining({ code: "TRUNCATED" }),
    );
    // set-high as the last word has no operand
    expect(() => plioDecode(Int16Array.of(0, 7, -100, 8, 0, 0, 0, 0x1005), new Int32Array(3), 3)).toThrow(
      expect.objectContaining({ code: "TRUNCATED" }),
    );
  });
});

describe("file-level cross-check of our encoders (recorded by test/fixtures-gen/compress/crosscheck.py)", () => {
  it("funpack and astropy decoded files holding our RICE/PLIO/HCOMPRESS/quantized tiles to the right pixels", () => {
    const cc = manifest.crossCheck as { results: Record<string, Record<string, boolean | number>> } | undefined;
    expect(cc, "run encode-ours.ts + crosscheck.py after gen.py").toBeDefined();
    const results = cc!.results;
    expect(Object.keys(results).sort()).toEqual(
      [
        "hcomp_f32",
        "hcomp_i16",
        "hcomp_i32",
        "hcomp_mask_whole",
        "hcomp_u8",
        "plio32",
        "plio_long",
        "plio_mask",
        "rice_f32_d1",
        "rice_f32_d2",
        "rice_i16",
        "rice_i16_t",
        "rice_i32",
        "rice_u8",
      ].sort(),
    );
    for (const [name, r] of Object.entries(results)) {
      expect(r.funpackRc, name).toBe(0);
      for (const [k, v] of Object.entries(r)) if (k !== "funpackRc") expect(v, `${name}.${k}`).toBe(true);
    }
    // plio_long proves the file held our tiles: fpack's own file of that image is not lossless
    expect(caseEntry("plio_long").lossless).toBe(false);
    expect(results.plio_long!.funpackLossless).toBe(true);
  });
});
