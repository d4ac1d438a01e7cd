/** The `ts` backend: the readable reference implementation of every kernel (the test oracle). */
import type { Backend } from "../backend.js";
import { makePlanes, type Planes } from "../types.js";
import { binStatisticsWith, chebyshevEvalTs, chebyshevFitTs, interpolateGridTs } from "./background.js";
import { convolve2dTs, convolveSeparableTs } from "./convolve.js";
import { detectTs } from "./detect.js";
import { arithTs, clipTs, histogramTs, scaleTs } from "./elementwise.js";
import { resampleTs } from "./resample.js";
import { stackTs } from "./stack.js";
import { statisticsTs } from "./statistics.js";

/** Every kernel name of the Backend interface. */
export const KERNEL_NAMES = [
  "convolveSeparable",
  "convolve2d",
  "resample",
  "statistics",
  "stack",
  "binStatistics",
  "chebyshevFit",
  "chebyshevEval",
  "interpolateGrid",
  "detect",
  "arith",
  "scale",
  "clip",
  "histogram",
] as const;

/** Makes the reference backend. */
export function createTsBackend(): Backend {
  const alloc = (w: number, h: number, p: { mask?: boolean; variance?: boolean } = {}): Planes =>
    makePlanes(w, h, p.mask ?? true, p.variance ?? true);
  const b: Backend = {
    name: "ts",
    native: new Set(KERNEL_NAMES),
    threads: 1,
    alloc,
    free: () => {},
    convolveSeparable: async (src, kx, ky, opts, out) => convolveSeparableTs(src, kx, ky, opts, out),
    convolve2d: async (src, k, opts, out) => convolve2dTs(src, k, opts, out),
    resample: async (src, grid, opts, out) => resampleTs(src, grid, opts, out),
    statistics: async (src, region, ctrl) => statisticsTs(src, region, ctrl),
    stack: async (inputs, opts, out) => stackTs(inputs, opts, out),
    binStatistics: (src, nx, ny, st, ctrl) =>
      binStatisticsWith(async (s, box, c) => statisticsTs(s, { box }, c), src, nx, ny, st, ctrl),
    chebyshevFit: async (x, y, v, w, ox, oy, box) => chebyshevFitTs(x, y, v, w, ox, oy, box),
    chebyshevEval: async (c, w, h) => chebyshevEvalTs(c, w, h),
    interpolateGrid: async (g, w, h) => interpolateGridTs(g, w, h),
    detect: async (src, opts) => detectTs(src, opts),
    arith: async (a, bb, op, out) => arithTs(a, bb, op, out),
    scale: async (a, c, out) => scaleTs(a, c, out),
    clip: async (a, lo, hi, out) => clipTs(a, lo, hi, out),
    histogram: async (a, opts) => histogramTs(a, opts),
  };
  return b;
}
