import type { Box2I } from "@skystack/afw";
import { describe, expect, it } from "vitest";
import {
  CfhtError,
  MEGACAM_PIXEL_SIZE_MM,
  megacamCamera,
  megacamCameraFromHeaders,
  megacamDetectorFromHeader,
} from "../src/index.js";
import { ASTROPY, box0, realHeaders } from "./helpers.js";

const arr = (b: Box2I) => [b.min.x, b.min.y, b.max.x, b.max.y];

describe.each(["1257365o", "1927963o", "02AE10.bias.0.36.00"])("camera geometry from every ccdNN of %s", (file) => {
  const hs = realHeaders(file);
  const truth = ASTROPY[file]!;
  it("has the right number of CCD extensions", () => {
    expect(hs.length - 1).toBe(truth.extensions.length);
    expect(hs.length - 1).toBe(truth.primary.NEXTEND);
  });
  const cam = megacamCameraFromHeaders(hs.slice(1), file);
  truth.extensions.forEach((e, i) => {
    it(`${e.EXTNAME_LAST}: amplifier boxes, gains, read noise, saturation`, () => {
      const d = cam.get(i);
      expect(d.name).toBe(e.EXTNAME_LAST);
      expect(d.serial).toBe(e.CCDNAME);
      if (e.EXTNAME_LAST === "ccd30" && file.includes("bias"))
        expect(e.CCDSIZE).toBe("[1:2048,1:4613]"); // real header quirk
      else expect(arr(d.bbox)).toEqual(box0(e.CCDSIZE as string));
      expect(arr(d.bbox)).toEqual([0, 0, 2047, 4611]);
      expect(d.amplifiers.map((a) => a.name)).toEqual(String(e.AMPLIST).split(/\s+/));
      for (const a of d.amplifiers) {
        expect(arr(a.rawDataBBox)).toEqual(box0(e[`DSEC${a.name}`] as string));
        expect(arr(a.rawDataBBox)).toEqual(box0(e[`TSEC${a.name}`] as string));
        expect(arr(a.bbox)).toEqual(box0(e[`CSEC${a.name}`] as string));
        const b = box0(e[`BSEC${a.name}`] as string);
        expect(arr(a.rawHorizontalOverscanBBox)).toEqual([b[0], 0, b[2], 4611]);
        expect(a.rawHorizontalOverscanBBox.width).toBe(32);
        expect(arr(a.rawVerticalOverscanBBox)).toEqual([a.rawDataBBox.min.x, 4612, a.rawDataBBox.max.x, 4643]);
        expect(a.rawBBox.width).toBe(1056);
        expect(a.rawBBox.height).toBe(e.ZNAXIS2);
        expect(a.gain).toBe(e[`GAIN${a.name}`]);
        expect(a.readNoise).toBe(e[`RDNOISE${a.name}`]);
        expect(a.saturation).toBe(e.SATURATE);
        expect(a.linearityMaximum).toBe(e[`MAXLIN${a.name}`]);
        expect(a.rawFlipX || a.rawFlipY).toBe(false);
      }
      // hand-read from the files: A has its serial overscan on the left, B on the right
      expect(arr(d.amplifier("A").rawHorizontalOverscanBBox)).toEqual([0, 0, 31, 4611]);
      expect(arr(d.amplifier("B").rawHorizontalOverscanBBox)).toEqual([2080, 0, 2111, 4611]);
      // focal-plane placement follows DETSEC: both corners land on the DETSEC corners (mosaic centre at 11609.5, 9676.5)
      const det = String(e.DETSEC).replace(/[[\]]/g, "").split(/[,:]/).map(Number);
      const p00 = d.pixelToFocalPlane(0, 0);
      expect(p00.x / MEGACAM_PIXEL_SIZE_MM + 11609 + 1).toBeCloseTo(det[0]!, 6);
      expect(p00.y / MEGACAM_PIXEL_SIZE_MM + 9676.5 + 1).toBeCloseTo(det[2]!, 6);
      const p11 = d.pixelToFocalPlane(Math.abs(det[1]! - det[0]!), Math.abs(det[3]! - det[2]!));
      expect(p11.x / MEGACAM_PIXEL_SIZE_MM + 11609 + 1).toBeCloseTo(det[1]!, 6);
      expect(p11.y / MEGACAM_PIXEL_SIZE_MM + 9676.5 + 1).toBeCloseTo(det[3]!, 6);
      // the two upper rows of CCDs (0-17, and ear 36/37) are rotated by 180 degrees
      expect(d.yawDeg).toBe(i <= 17 || i === 36 || i === 37 ? 180 : 0);
    });
  });
});

describe("Elixir p file (AMPLIST 'A': one amplifier over the whole DATASEC)", () => {
  it("reads every CCD as a single amplifier", () => {
    const hs = realHeaders("1257365p");
    const truth = ASTROPY["1257365p"]!;
    const cam = megacamCameraFromHeaders(hs.slice(1));
    expect(cam.size).toBe(36);
    for (const e of truth.extensions) {
      const d = cam.get(e.EXTNAME_LAST as string);
      expect(d.amplifiers.length).toBe(1);
      expect(arr(d.amplifiers[0]!.rawDataBBox)).toEqual(box0(e.DATASEC as string));
      expect(d.amplifiers[0]!.saturation).toBe(e.SATURATE);
    }
  });
});

describe("camera defaults", () => {
  it("the built-in 36/40-CCD cameras equal what the real headers say", () => {
    const c36 = megacamCamera(36);
    const c40 = megacamCamera(40);
    expect(c36.size).toBe(36);
    expect(c40.size).toBe(40);
    const fromHdr = megacamCameraFromHeaders(realHeaders("1927963o").slice(1));
    for (const d of c40.detectors) {
      const h = fromHdr.get(d.id);
      expect(d.serial).toBe(h.serial);
      for (const a of d.amplifiers) {
        const b = h.amplifier(a.name);
        expect([a.gain, a.readNoise, a.saturation]).toEqual([b.gain, b.readNoise, b.saturation]);
        expect(a.rawDataBBox.equals(b.rawDataBBox) && a.rawHorizontalOverscanBBox.equals(b.rawHorizontalOverscanBBox)).toBe(true);
      }
      expect(d.center.x).toBeCloseTo(h.center.x, 9);
      expect(d.center.y).toBeCloseTo(h.center.y, 9);
    }
    // anatomy: ccd17 B has the largest gain, 2.07; ccd13 A 1.66/3
    expect(c36.get("ccd17").amplifier("B").gain).toBe(2.07);
    expect([c36.get(13).amplifier("A").gain, c36.get(13).amplifier("A").readNoise]).toEqual([1.66, 3]);
  });
  it("bad inputs are typed errors naming the card", () => {
    const h = realHeaders("1257365o")[1]!.clone();
    h.set("DSECA", "[33:1056,1:46");
    expect(() => megacamDetectorFromHeader(h, { where: "x.fits[ccd00]" })).toThrow(/x\.fits\[ccd00\] card DSECA/);
    const g = realHeaders("1257365o")[1]!.clone();
    g.set("GAINA", "fast");
    expect(() => megacamDetectorFromHeader(g)).toThrow(CfhtError);
    expect(() => megacamCamera(37 as 36)).toThrow(/36 or 40/);
  });
});
