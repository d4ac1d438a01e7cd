import { Box2I, Image } from "@skystack/afw";
import { describe, expect, it } from "vitest";
import { flatScale, runIsr } from "../src/index.js";
import { smallDetector } from "./helpers.js";

describe("flat normalisation", () => {
  it("leaves out defect pixels: a hot column in the master flat does not rescale the good pixels", () => {
    const det = smallDetector(40, 30, 8, 4);
    const flat = new Image(new Float32Array(80 * 30).fill(2), 80, 30);
    for (let y = 0; y < 30; y++) flat.array[y * 80 + 13] = 50; // hot column
    const raw = new Image(new Float32Array(96 * 34).fill(1000), 96, 34);
    const defects = [new Box2I(13, 0, 13, 29)];
    const r = runIsr(
      { image: raw, detector: det },
      { flat, defects },
      { doSaturation: false, doOverscan: false, doInterpolate: false },
    );
    // gain 1.5 (amp A), no overscan or bias: 1000 ADU × 1.5 / (flat 2 / scale 2); with the hot column in
    // the mean the scale would be 2.6 and every good pixel 1950 e
    const im = r.exposure.image;
    expect(im.get(5, 5)).toBeCloseTo(1500, 3);
    const withoutMask = flatScale(flat);
    expect(withoutMask).toBeCloseTo((79 * 2 + 50) / 80, 10);
    expect(flatScale(flat, r.exposure.mask, r.exposure.mask.getPlaneBitMask("BAD"))).toBe(2);
  });
});
