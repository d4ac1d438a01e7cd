import { Image } from "@skystack/afw";
import { describe, expect, it } from "vitest";
import { fitOverscan, IsrError, naturalSplineEval, overscanCorrectAmplifier, polyFitEval } from "../src/index.js";
import { gaussian, smallDetector } from "./helpers.js";

const ROWS = 2000;
const COLS = 32;
function block(level: (r: number) => number, sigma: number, seed: number, outliers = 0): Float32Array {
  const g = gaussian(seed);
  const b = new Float32Array(ROWS * COLS);
  for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) b[r * COLS + c] = level(r) + sigma * g();
  // hot pixels in the overscan: a few huge values per row
  for (let k = 0; k < outliers; k++) b[(k * 7919) % (ROWS * COLS)] = 60000;
  return b;
}

describe("overscan models recover the planted bias", () => {
  const quad = (r: number) => 1000 + 8 * (r / ROWS) - 3 * (r / ROWS) ** 2;
  it("MEDIAN and MEAN give the constant level within its error", () => {
    const b = block(() => 1234.5, 3, 1, 500);
    const med = fitOverscan(b, ROWS, COLS, { fitType: "MEDIAN" });
    expect(Math.abs(med.level - 1234.5)).toBeLessThan(0.05);
    // MEAN is the mean of clipped per-row means: hot pixels rejected
    const mean = fitOverscan(b, ROWS, COLS, { fitType: "MEAN" });
    expect(Math.abs(mean.level - 1234.5)).toBeLessThan(0.05);
    expect(mean.nRejected).toBeGreaterThanOrEqual(500);
  });
  it("POLY and CHEB (order 2) follow a quadratic drift; residual σ ≈ σ/√32", () => {
    const b = block(quad, 3, 2, 300);
    for (const fitType of ["POLY", "CHEB"] as const) {
      const r = fitOverscan(b, ROWS, COLS, { fitType, order: 2 });
      let maxErr = 0;
      for (let i = 0; i < ROWS; i++) maxErr = Math.max(maxErr, Math.abs(r.model[i]! - quad(i)));
      expect(maxErr).toBeLessThan(0.1);
      expect(r.residualStdev).toBeGreaterThan(0.8 * (3 / Math.sqrt(COLS)));
      expect(r.residualStdev).toBeLessThan(1.2 * (3 / Math.sqrt(COLS)));
    }
  });
  it("MEDIAN_PER_ROW tracks row-to-row jumps a polynomial cannot", () => {
    const step = (r: number) => (r < 1000 ? 900 : 950);
    const r = fitOverscan(block(step, 1, 3), ROWS, COLS, { fitType: "MEDIAN_PER_ROW" });
    expect(Math.abs(r.model[999]! - 900)).toBeLessThan(1);
    expect(Math.abs(r.model[1000]! - 950)).toBeLessThan(1);
  });
  it("NATURAL_SPLINE through 20 bins follows a slow sine", () => {
    const s = (r: number) => 1000 + 5 * Math.sin((2 * Math.PI * r) / ROWS);
    const r = fitOverscan(block(s, 2, 4), ROWS, COLS, { fitType: "NATURAL_SPLINE", order: 20 });
    let maxErr = 0;
    for (let i = 50; i < ROWS - 50; i++) maxErr = Math.max(maxErr, Math.abs(r.model[i]! - s(i)));
    expect(maxErr).toBeLessThan(0.15);
  });
  it("bad options are typed errors naming the option", () => {
    const b = block(() => 1, 1, 5);
    expect(() => fitOverscan(b, ROWS, COLS, { fitType: "NATURAL_SPLINE", order: 1 })).toThrow(/overscan.order/);
    expect(() => fitOverscan(b, ROWS, COLS, { fitType: "LEG" as "MEAN" })).toThrow(IsrError);
    expect(() => fitOverscan(b, ROWS, COLS, { numSigmaClip: 0 })).toThrow(/numSigmaClip/);
  });
});

describe("fits used by overscan", () => {
  it("polyFitEval reproduces an exact cubic; naturalSplineEval interpolates its knots and is linear outside", () => {
    const x = Array.from({ length: 50 }, (_, i) => i * 2);
    const f = (t: number) => 2 - 0.5 * t + 0.01 * t * t - 1e-4 * t ** 3;
    const out = polyFitEval(x, x.map(f), 3, 100);
    for (let i = 0; i < 100; i++) expect(out[i]).toBeCloseTo(f(i), 8);
    const xs = [10, 30, 50, 70];
    const ys = [1, 4, 2, 5];
    const sp = naturalSplineEval(xs, ys, 100);
    for (const [k, xk] of xs.entries()) expect(sp[xk]).toBeCloseTo(ys[k]!, 10);
    // natural: zero curvature at the ends, so linear beyond
    expect(sp[2]! - 2 * sp[1]! + sp[0]!).toBeCloseTo(0, 10);
    expect(sp[99]! - 2 * sp[98]! + sp[97]!).toBeCloseTo(0, 10);
  });
});

describe("overscanCorrectAmplifier", () => {
  it("subtracts each amp's own per-row level from data and overscan", () => {
    const det = smallDetector(40, 30, 8, 4);
    const raw = Image.make(96, 34, "float32");
    for (let y = 0; y < 34; y++)
      for (let x = 0; x < 96; x++) raw.set(x, y, (x < 48 ? 1000 : 2000) + y + (x >= 8 && x < 88 && y < 30 ? 50 : 0));
    for (const a of det.amplifiers) overscanCorrectAmplifier(raw, a, { fitType: "MEDIAN_PER_ROW" });
    for (const [x, y] of [
      [10, 3],
      [60, 29],
      [47, 0],
    ] as const)
      expect(raw.get(x, y)).toBeCloseTo(50, 4);
    expect(raw.get(2, 7)).toBeCloseTo(0, 4);
    expect(raw.get(90, 7)).toBeCloseTo(0, 4);
  });
});
