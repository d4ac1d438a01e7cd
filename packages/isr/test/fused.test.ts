import { Image } from "@skystack/afw";
import { describe, expect, it } from "vitest";
import { runIsr } from "../src/index.js";
import { gaussian, smallDetector } from "./helpers.js";

// A raw frame with bias structure, signal, a few saturated and NaN pixels, and calibrations with
// bad (≤ 0 / NaN) flat pixels: the fused pass must reproduce the step-by-step ISR bit for bit.
function scenario(seed: number) {
  const det = smallDetector(40, 30, 8, 4, true);
  const rawW = 2 * (40 + 8);
  const rawH = 30 + 4;
  const g = gaussian(seed);
  const raw = new Image(new Float32Array(rawW * rawH), rawW, rawH);
  for (let i = 0; i < raw.array.length; i++) raw.array[i] = Math.round(1000 + 300 * Math.abs(g()) + 5 * g());
  raw.array[5 * rawW + 20] = 65535;
  raw.array[7 * rawW + 70] = Number.NaN;
  const cal = (f: (i: number) => number) => {
    const im = new Image(new Float32Array(80 * 30), 80, 30);
    for (let i = 0; i < im.array.length; i++) im.array[i] = f(i);
    return im;
  };
  const bias = cal(() => 3 + g());
  const dark = cal(() => 0.01 * Math.abs(g()));
  const flat = cal(() => 1 + 0.05 * g());
  flat.array[100] = 0;
  flat.array[200] = -1;
  flat.array[300] = Number.NaN;
  return { det, raw, calibs: { bias, dark: { image: dark, darkTime: 1 }, flat } };
}

describe("fused calibration pass", () => {
  for (const variant of [
    { name: "all steps", opts: {} },
    { name: "no NaN masking", opts: { doNanMasking: false } },
    { name: "no variance, no gains", opts: { doApplyGains: false, doVariance: false } },
    { name: "no flat", opts: { doFlat: false } },
  ]) {
    it(`equals the step-by-step ISR bit for bit (${variant.name})`, () => {
      const s = scenario(7);
      const run = (fuse: boolean) =>
        runIsr({ image: s.raw.clone(), detector: s.det, visitInfo: null }, s.calibs, {
          ...variant.opts,
          fuseCalibration: fuse,
          doInterpolate: false,
          overscan: { fitType: "MEDIAN_PER_ROW" },
        });
      // visitInfo is null: the dark needs a dark time, so give it through a minimal VisitInfo-like object
      const withDark = (fuse: boolean) =>
        runIsr({ image: s.raw.clone(), detector: s.det, visitInfo: { darkTime: 30 } as never }, s.calibs, {
          ...variant.opts,
          fuseCalibration: fuse,
          doInterpolate: false,
          overscan: { fitType: "MEDIAN_PER_ROW" },
        });
      expect(() => run(true)).toThrow(/dark time/);
      const a = withDark(true);
      const b = withDark(false);
      const ea = a.exposure.maskedImage;
      const eb = b.exposure.maskedImage;
      expect(Buffer.from(ea.image.array.buffer).equals(Buffer.from(eb.image.array.buffer))).toBe(true);
      expect(Buffer.from(ea.variance.array.buffer).equals(Buffer.from(eb.variance.array.buffer))).toBe(true);
      expect(Array.from(ea.mask.array)).toEqual(Array.from(eb.mask.array));
      expect(a.counts).toEqual(b.counts);
      expect(Object.keys(a.timings)).toContain("bias+gain+variance+dark+flat (fused)");
      expect(Object.keys(b.timings)).not.toContain("bias+gain+variance+dark+flat (fused)");
      // the bad flat pixels are NaN and BAD in both (when the flat is applied)
      const BAD = ea.mask.getPlaneBitMask("BAD");
      if (!("doFlat" in variant.opts)) {
        for (const i of [100, 200, 300]) {
          expect(Number.isNaN(ea.image.array[i]!)).toBe(true);
          expect(ea.mask.array[i]! & BAD).toBe(BAD);
        }
      }
    });
  }
});
