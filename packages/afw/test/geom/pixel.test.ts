import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexToPosition, PIXEL_ZERO_POS, positionToIndex } from "../../src/geom/index.js";

describe("LSST pixel convention", () => {
  it("centre of the first pixel is 0 and pixel i covers [i-0.5, i+0.5)", () => {
    expect(PIXEL_ZERO_POS).toBe(0);
    expect(positionToIndex(0)).toEqual({ index: 0, residual: 0 });
    expect(positionToIndex(-0.5)).toEqual({ index: 0, residual: -0.5 });
    expect(positionToIndex(0.5)).toEqual({ index: 1, residual: -0.5 });
    expect(positionToIndex(0.4999)).toEqual({ index: 0, residual: 0.4999 });
    expect(positionToIndex(-0.5000001).index).toBe(-1);
    expect(positionToIndex(-1.5)).toEqual({ index: -1, residual: -0.5 });
    expect(Object.is(positionToIndex(-0.25).index, 0)).toBe(true); // never -0
  });

  it("has no rounding error just below a half-integer", () => {
    // floor(x + 0.5) computed naively gives 1 here
    const x = 0.49999999999999994;
    expect(positionToIndex(x)).toEqual({ index: 0, residual: x });
  });

  it("round-trips index -> position -> index and keeps the residual in [-0.5, 0.5)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (i) => {
        expect(positionToIndex(indexToPosition(i))).toEqual({ index: i, residual: 0 });
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), (p) => {
        const { index, residual } = positionToIndex(p);
        expect(Number.isInteger(index)).toBe(true);
        expect(residual).toBeGreaterThanOrEqual(-0.5);
        expect(residual).toBeLessThan(0.5);
        expect(index + residual === p).toBe(true); // === so that -0 matches 0
      }),
    );
  });
});
