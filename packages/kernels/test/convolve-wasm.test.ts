// The wasm separable convolution (asm/conv.ts: fused row pass into a ring of rows, mirrored-pair
// form for symmetric kernels, two output rows per vertical step, dense OR smear) on images large
// enough to reach every SIMD path and tail (widths not a multiple of 16, odd row counts, row splits
// across 1-3 workers), against the ts oracle (float64 accumulation) and analytic truth.
import { createTsBackend, createWasmBackend, gaussianKernel1d, type Planes } from "@skystack/kernels";
import { describe, expect, it } from "vitest";
import { FLOAT_TOL } from "./cases.js";
import { copyInto, planesDiff, planesIdentical, synth } from "./helpers.js";

const ts = createTsBackend();
const started = await Promise.all([1, 2, 3].map((threads) => createWasmBackend({ threads })));
const wasm = started.map((b) => {
  if (typeof b === "string") throw new Error(`wasm backend unavailable: ${b}`);
  return b;
});
const w1 = wasm[0]!;

const KERNELS: [string, number[], number[]][] = [
  ["gauss sigma 2 radius 7 (the benchmark kernel)", [...gaussianKernel1d(2, 7)], [...gaussianKernel1d(2, 7)]],
  ["gauss sigma 1.5 x, sigma 3 y", [...gaussianKernel1d(1.5)], [...gaussianKernel1d(3)]],
  ["asymmetric 7 x 4", [1, 2, 3, 0.5, -1, 2, 0.25], [0.5, 1, 4, 2]],
  ["even symmetric 6", [1, 2, 3, 3, 2, 1], [1, 2, 3, 3, 2, 1]],
  ["symmetric with a zero tap", [1, 0, 1], [2, 0, 1, 0, 2]],
  ["single tap", [2], [1]],
  ["huge 41 taps", [...gaussianKernel1d(6, 20)], [...gaussianKernel1d(6, 20)]],
];

const IMAGES: [string, Planes][] = [
  ["203x157 NaN + mask", synth(203, 157, { seed: 11, nanFraction: 0.003, maskFraction: 0.02 })],
  ["130x61 stride 141", synth(130, 61, { seed: 12, stride: 141 })],
  ["96x40 no mask/variance", synth(96, 40, { seed: 13, mask: false, variance: false })],
  ["77x33 variance, no mask", synth(77, 33, { seed: 14, mask: false })],
  ["50x18 mask, no NaN", synth(50, 18, { seed: 15, nanFraction: 0, maskFraction: 0.1 })],
];

describe("wasm separable convolution on SIMD-sized images", () => {
  for (const [iname, img] of IMAGES) {
    it(`${iname}: every kernel matches the oracle, bit-identical on 1/2/3 workers and arena/JS inputs`, async () => {
      const failures: string[] = [];
      for (const [kname, kx, ky] of KERNELS) {
        for (const edge of ["nodata", "copy"] as const) {
          const ref = await ts.convolveSeparable(img, kx, ky, { edge });
          const outs: Planes[] = [];
          for (const [i, be] of wasm.entries()) {
            const src = i === 1 ? copyInto(img, be.alloc) : img;
            outs.push(await be.convolveSeparable(src, kx, ky, { edge }));
          }
          const d = planesDiff(ref, outs[0]!, FLOAT_TOL);
          if (d) failures.push(`${kname}, edge ${edge}: ${d}`);
          for (let i = 1; i < outs.length; i++)
            if (!planesIdentical(outs[0]!, outs[i]!)) failures.push(`${kname}, edge ${edge}: 1 vs ${i + 1} workers differ`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it("an output in the arena is written in place and matches a fresh output", async () => {
    const img = copyInto(synth(150, 90, { seed: 21 }), w1.alloc);
    const k = [...gaussianKernel1d(2, 7)];
    const out = w1.alloc(150, 90);
    const r = await w1.convolveSeparable(img, k, k, {}, out);
    expect(r).toBe(out);
    expect(planesIdentical(r, await w1.convolveSeparable(img, k, k))).toBe(true);
  });
});

describe("analytic truth", () => {
  it("a delta image gives the kernel outer product at the right place (correlation, centre (n-1)>>1)", async () => {
    const W = 61;
    const H = 47;
    const kx = [0.1, 0.2, 0.4, 0.2, 0.1]; // symmetric: mirrored-pair path
    const ky = [0.5, 0.3, 0.2]; // asymmetric: general path
    const p: Planes = { width: W, height: H, stride: W, image: new Float32Array(W * H) };
    const X0 = 30;
    const Y0 = 20;
    p.image[Y0 * W + X0] = 1;
    for (const be of [...wasm, ts]) {
      const o = await be.convolveSeparable(p, kx, ky, { normalize: false });
      let worst = 0;
      for (let y = 1; y < H - 1; y++)
        for (let x = 2; x < W - 2; x++) {
          // out(x, y) = sum_ij kx[i] ky[j] in(x - 2 + i, y - 1 + j), so the delta lands at i = X0 - x + 2.
          const i = X0 - x + 2;
          const j = Y0 - y + 1;
          const want = i >= 0 && i < 5 && j >= 0 && j < 3 ? kx[i]! * ky[j]! : 0;
          worst = Math.max(worst, Math.abs(o.image[y * W + x]! - want));
        }
      expect(worst).toBeLessThan(1e-7);
    }
  });

  it("a constant image stays constant in the good region; variance scales by sum(k^2) per axis", async () => {
    const W = 260;
    const H = 75;
    const k = [...gaussianKernel1d(2, 7)];
    const s2 = k.reduce((a, v) => a + v * v, 0);
    const p: Planes = {
      width: W,
      height: H,
      stride: W,
      image: new Float32Array(W * H).fill(42.5),
      variance: new Float32Array(W * H).fill(3),
      mask: new Int32Array(W * H),
    };
    for (const be of wasm) {
      const o = await be.convolveSeparable(p, k, k);
      let di = 0;
      let dv = 0;
      let orMask = 0;
      for (let y = 7; y < H - 7; y++)
        for (let x = 7; x < W - 7; x++) {
          di = Math.max(di, Math.abs(o.image[y * W + x]! - 42.5) / 42.5);
          dv = Math.max(dv, Math.abs(o.variance![y * W + x]! - 3 * s2 * s2) / (3 * s2 * s2));
          orMask |= o.mask![y * W + x]!;
        }
      expect(di).toBeLessThan(4e-7);
      expect(dv).toBeLessThan(4e-7);
      expect(orMask).toBe(0);
    }
  });

  it("mask bits spread over exactly the kernel box of non-zero taps; NaN marks NO_DATA over the box", async () => {
    const W = 90;
    const H = 70;
    const p: Planes = {
      width: W,
      height: H,
      stride: W,
      image: new Float32Array(W * H).fill(1),
      mask: new Int32Array(W * H),
    };
    p.mask![30 * W + 40] = 1 << 3;
    p.image[50 * W + 20] = Number.NaN;
    const kx = [1, 0, 1, 1, 1]; // zero tap at i = 1: that column is not smeared (general OR path)
    const ky = [...gaussianKernel1d(1, 3)]; // 7 taps, all non-zero (dense OR path)
    for (const be of wasm) {
      const o = await be.convolveSeparable(p, kx, ky);
      const bad: string[] = [];
      for (let y = 3; y < H - 3; y++)
        for (let x = 2; x < W - 2; x++) {
          const i = 40 - x + 2;
          const j = 30 - y + 3;
          const bit = i >= 0 && i < 5 && i !== 1 && j >= 0 && j < 7 ? 1 << 3 : 0;
          const ni = 20 - x + 2;
          const nj = 50 - y + 3;
          // A zero tap still multiplies the NaN (0 * NaN = NaN), so NO_DATA covers the whole box.
          const nanBox = ni >= 0 && ni < 5 && nj >= 0 && nj < 7;
          const want = bit | (nanBox ? 1 << 8 : 0);
          if (o.mask![y * W + x] !== want || Number.isNaN(o.image[y * W + x]!) !== nanBox)
            bad.push(`(${x},${y}): mask ${o.mask![y * W + x]} want ${want}, image ${o.image[y * W + x]}`);
        }
      expect(bad).toEqual([]);
    }
  });
});
