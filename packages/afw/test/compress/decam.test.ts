/**
 * Real DECam Community Pipeline tiles (legacysurvey/legacypipe test data, NOIRLab DECam CCD N15,
 * 2013-01-05): the image (float32, RICE_1 + SUBTRACTIVE_DITHER_1, ZDITHER0 = 3358) and the
 * data-quality mask (int32, RICE_1). Reference pixels: astropy 5.2.1 (= funpack).
 */
import { describe, expect, it } from "vitest";
import { dequantizeTile, riceDecode, riceEncode } from "../../src/fits/compress/index.js";
import { bits, caseEntry, readFloat32, readInt32, tileBytes } from "./fixtures.js";

describe("real DECam tiles", () => {
  it("ooi (float32, dithered): decode + dequantize equals astropy bit for bit", () => {
    const c = caseEntry("decam_ooi");
    expect(c.keywords).toMatchObject({
      ZCMPTYPE: "RICE_1",
      ZBITPIX: -32,
      ZQUANTIZ: "SUBTRACTIVE_DITHER_1",
      ZDITHER0: 3358,
      ZVAL1: 32,
      ZVAL2: 4,
      ZTILE1: 280,
      ZTILE2: 1,
    });
    expect(c.funpackVsAstropy).toBe("identical");
    const nx = c.rowLength!;
    const ref = readFloat32(c.pixelsFile);
    expect(c.tiles.map((t) => t.index)).toEqual([0, 1, 2, 57, 186, 300, 373, 374]);
    c.tiles.forEach((t, k) => {
      const ints = new Int32Array(nx);
      riceDecode(tileBytes(c, t), ints, nx, 4, 32);
      const out = new Float32Array(nx);
      dequantizeTile(ints, nx, out, {
        zscale: t.ZSCALE!,
        zzero: t.ZZERO!,
        method: "SUBTRACTIVE_DITHER_1",
        tileIndex: t.index,
        ditherSeed: 3358,
      });
      expect(bits(out), `row ${t.index}`).toEqual(bits(ref.subarray(k * nx, (k + 1) * nx)));
      // and the integers re-encode to the archive's bytes
      expect(Buffer.from(riceEncode(ints, nx, 4, 32)).equals(Buffer.from(tileBytes(c, t)))).toBe(true);
    });
    // a dithered decode with the wrong tile index is not the same image
    const t = c.tiles[3]!;
    const ints = new Int32Array(nx);
    riceDecode(tileBytes(c, t), ints, nx, 4, 32);
    const wrong = new Float32Array(nx);
    dequantizeTile(ints, nx, wrong, {
      zscale: t.ZSCALE!,
      zzero: t.ZZERO!,
      method: "SUBTRACTIVE_DITHER_1",
      tileIndex: 4,
      ditherSeed: 3358,
    });
    expect(bits(wrong)).not.toEqual(bits(ref.subarray(3 * nx, 4 * nx)));
  });

  it("ood (int32 mask): decodes to astropy's values and re-encodes byte for byte", () => {
    const c = caseEntry("decam_ood");
    expect(c.keywords).toMatchObject({ ZCMPTYPE: "RICE_1", ZBITPIX: 32, ZVAL2: 4, ZTILE1: 280 });
    const nx = c.rowLength!;
    const ref = readInt32(c.pixelsFile);
    c.tiles.forEach((t, k) => {
      const out = new Int32Array(nx);
      riceDecode(tileBytes(c, t), out, nx, 4, 32);
      expect(Array.from(out), `row ${t.index}`).toEqual(Array.from(ref.subarray(k * nx, (k + 1) * nx)));
      expect(Buffer.from(riceEncode(out, nx, 4, 32)).equals(Buffer.from(tileBytes(c, t)))).toBe(true);
    });
  });
});
