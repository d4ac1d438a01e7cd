import { Box2I, Image, Mask, MaskedImage } from "@skystack/afw";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assembleImage,
  crosstalkCorrect,
  defectsFromMaskPixels,
  divideFlat,
  fitFringe,
  growBox,
  interpolateOverMask,
  linearizeLookupTable,
  linearizePolynomial,
  maskThreshold,
  rawDefectsToDetector,
  setVarianceElectrons,
  subtractDark,
  widenSaturationTrails,
} from "../src/index.js";
import { gaussian, smallDetector } from "./helpers.js";

describe("assembly", () => {
  it("trims overscans and places amps; a flipped raw amp is reversed", () => {
    for (const flip of [false, true]) {
      const det = smallDetector(40, 30, 8, 4, flip);
      const raw = Image.make(96, 34, "float32");
      for (let y = 0; y < 34; y++) for (let x = 0; x < 96; x++) raw.set(x, y, y * 1000 + x);
      const out = assembleImage(raw, det);
      expect([out.width, out.height]).toEqual([80, 30]);
      expect(out.get(0, 5)).toBe(5 * 1000 + 8);
      expect(out.get(39, 5)).toBe(5 * 1000 + 47);
      expect(out.get(40, 7)).toBe(7 * 1000 + (flip ? 87 : 48));
      expect(out.get(79, 7)).toBe(7 * 1000 + (flip ? 48 : 87));
    }
  });
  it("defects in the raw frame map to the assembled frame (with flips), overscan parts dropped", () => {
    const det = smallDetector(40, 30, 8, 4, true);
    const boxes = rawDefectsToDetector([new Box2I(0, 0, 9, 0), new Box2I(50, 3, 50, 20)], det);
    expect(boxes.map((b) => b.toString())).toEqual([new Box2I(0, 0, 1, 0).toString(), new Box2I(77, 3, 77, 20).toString()]);
  });
});

describe("defectsFromMaskPixels", () => {
  it("covers exactly the bad pixels (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }),
        (w, h, bits) => {
          const px = Int16Array.from({ length: w * h }, (_, i) => (bits[i] ? 0 : 1));
          const boxes = defectsFromMaskPixels(px, w, h);
          const cover = new Uint8Array(w * h);
          for (const b of boxes)
            for (let y = b.min.y; y <= b.max.y; y++) for (let x = b.min.x; x <= b.max.x; x++) cover[y * w + x]! += 1;
          for (let i = 0; i < w * h; i++) expect(cover[i]).toBe(px[i] === 0 ? 1 : 0);
        },
      ),
    );
  });
  it("merges a bad column into one box", () => {
    const px = new Uint8Array(10 * 10).fill(1);
    for (let y = 2; y < 9; y++) px[y * 10 + 4] = 0;
    expect(defectsFromMaskPixels(px, 10, 10).map(String)).toEqual([new Box2I(4, 2, 4, 8).toString()]);
  });
});

describe("saturation", () => {
  it("flags pixels at/above the level and grows by a box", () => {
    const im = Image.make(20, 20, "float32");
    im.set(10, 10, 70000);
    const m = Mask.make(20, 20);
    const SAT = m.getPlaneBitMask("SAT");
    expect(maskThreshold(im, m, 65535, SAT, 1)).toBe(1);
    expect(m.countBits(SAT)).toBe(9);
    const g = growBox(Uint8Array.from([0, 0, 1, 0, 0]), 5, 1, 2);
    expect([...g]).toEqual([1, 1, 1, 1, 1]);
  });
  it("widens trails over small gaps", () => {
    const m = Mask.make(10, 1);
    const SAT = m.getPlaneBitMask("SAT");
    m.orBits(SAT, new Box2I(2, 0, 2, 0));
    m.orBits(SAT, new Box2I(5, 0, 5, 0));
    expect(widenSaturationTrails(m, SAT, 4)).toBe(2);
    expect(m.countBits(SAT)).toBe(4);
  });
});

describe("interpolation", () => {
  it("recovers a linear ramp across a masked run; edge runs take the one-sided value", () => {
    const mi = MaskedImage.make(30, 3);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 30; x++) mi.image.set(x, y, 3 * x + y);
    const BAD = mi.mask.getPlaneBitMask("BAD");
    const INTRP = mi.mask.getPlaneBitMask("INTRP");
    mi.mask.orBits(BAD, new Box2I(10, 0, 14, 2));
    mi.mask.orBits(BAD, new Box2I(0, 1, 3, 1));
    mi.image.set(12, 0, 1e6);
    const n = interpolateOverMask(mi, BAD, INTRP, { nGood: 1 });
    expect(n).toBe(19);
    for (let x = 10; x <= 14; x++) expect(mi.image.get(x, 0)).toBeCloseTo(3 * x, 4);
    expect(mi.image.get(0, 1)).toBeCloseTo(3 * 4 + 1, 4);
    expect(mi.mask.countBits(INTRP)).toBe(19);
  });
});

describe("calibration arithmetic", () => {
  it("dark scales by dark time; flat divides image and variance", () => {
    const im = Image.make(4, 4, "float32").fill(100);
    subtractDark(im, Image.make(4, 4, "float32").fill(2), 30, 10);
    expect(im.get(1, 1)).toBe(94);
    const mi = MaskedImage.make(4, 4);
    mi.image.fill(100);
    mi.variance.fill(100);
    const flat = Image.make(4, 4, "float32").fill(2);
    flat.set(0, 0, 4);
    const s = divideFlat(mi, flat);
    expect(s).toBeCloseTo(34 / 16, 12);
    expect(mi.image.get(1, 1)).toBeCloseTo(100 / (2 / s), 4);
    expect(mi.variance.get(0, 0)).toBeCloseTo(100 / (4 / s) ** 2, 3);
  });
  it("variance in electrons = signal + read noise² per amp", () => {
    const det = smallDetector();
    const mi = MaskedImage.make(80, 30);
    mi.image.fill(1000);
    mi.image.set(0, 0, -5);
    setVarianceElectrons(mi, det);
    expect(mi.variance.get(5, 5)).toBe(1000 + 16);
    expect(mi.variance.get(50, 5)).toBe(1000 + 36);
    expect(mi.variance.get(0, 0)).toBe(16);
  });
  it("linearity: polynomial and lookup table", () => {
    const im = Image.make(3, 1, "float32");
    im.array.set([0, 10, 100]);
    linearizePolynomial(im, im.bbox, [0, 1, 1e-3]);
    expect([...im.array]).toEqual([0, 10.1, 110].map(Math.fround));
    const t = Image.make(2, 1, "float32");
    t.array.set([2.5, 7.9]);
    linearizeLookupTable(t, t.bbox, [0, 0, 1, 0, 0, 0, 0, -1, 0]);
    expect([...t.array]).toEqual([3.5, 6.9].map(Math.fround));
  });
  it("crosstalk: removes c × the other amp at the same readout position", () => {
    const det = smallDetector(40, 30);
    const im = Image.make(80, 30, "float32");
    // a bright pixel in A at readout position (u=3, v=5) → ghost in B at x = 79-3 (B reads from the right)
    im.set(3, 5, 10000);
    im.set(76, 5, 10000 * 0.002 + 100);
    im.fill(100, new Box2I(40, 0, 75, 29));
    im.fill(100, new Box2I(77, 0, 79, 29));
    im.fill(100, new Box2I(76, 0, 76, 4));
    im.fill(100, new Box2I(76, 6, 76, 29));
    crosstalkCorrect(im, det, [
      [0, 0],
      [0.002, 0],
    ]);
    expect(im.get(76, 5)).toBeCloseTo(100, 3);
    expect(im.get(3, 5)).toBe(10000);
  });
});

describe("fringe fit", () => {
  it("recovers a planted amplitude and pedestal under noise", () => {
    const W = 400;
    const H = 300;
    const g = gaussian(9);
    const fr = Image.make(W, H, "float32");
    const im = Image.make(W, H, "float32");
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const f = Math.sin(0.05 * x + 0.03 * y) + 0.5 * Math.sin(0.02 * x - 0.04 * y);
        fr.set(x, y, f);
        im.set(x, y, 800 + 37 * f + 10 * g());
      }
    const r = fitFringe(im, fr, null, { num: 5000, small: 3 });
    expect(Math.abs(r.amplitude - 37)).toBeLessThan(0.5);
    expect(Math.abs(r.pedestal - 800)).toBeLessThan(0.5);
  });
});
