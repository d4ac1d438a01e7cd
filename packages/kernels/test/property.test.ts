// Property checks (fast-check): on random geometry, kernels and thresholds, the wasm backend equals
// the ts oracle, and analytic invariants hold on the oracle.
import { createTsBackend, createWasmBackend } from "@skystack/kernels";
import fc from "fast-check";
import { expect, it } from "vitest";
import { planesDiff, synth } from "./helpers.js";

const ts = createTsBackend();
const wasm = await createWasmBackend({ threads: 2 });

it("wasm convolution and resampling equal the oracle on random shapes and kernels", async () => {
  if (typeof wasm === "string") throw new Error(wasm);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 7 }),
      fc.array(fc.float({ min: -2, max: 5, noNaN: true }), { minLength: 1, maxLength: 9 }),
      fc.array(fc.float({ min: Math.fround(0.1), max: 5, noNaN: true }), { minLength: 1, maxLength: 9 }),
      fc.double({ min: -3, max: 3, noNaN: true }),
      fc.integer({ min: 1, max: 1000 }),
      async (w, h, pad, kx, ky, shift, seed) => {
        const p = synth(w, h, { seed, stride: w + pad });
        const sx = kx.reduce((a, b) => a + b, 0);
        const opts = { normalize: Math.abs(sx) > 1e-3 };
        const a = await ts.convolveSeparable(p, kx, ky, opts);
        const b = await wasm.convolveSeparable(p, kx, ky, opts);
        expect(planesDiff(a, b, 2e-4)).toBeNull();
        const g = { kind: "affine" as const, width: w, height: h, a: 0.9, b: 0.1, c: shift, d: -0.05, e: 1.1, f: -shift / 2 };
        expect(planesDiff(await ts.resample(p, g), await wasm.resample(p, g), 2e-5)).toBeNull();
      },
    ),
    { numRuns: 60, seed: 42 },
  );
});

it("statistics are invariant under permutation and shift by a constant (oracle)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.float({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 200 }),
      fc.integer({ min: -100, max: 100 }),
      async (vals, c) => {
        const mk = (v: number[]) => ({ width: v.length, height: 1, stride: v.length, image: Float32Array.from(v) });
        const a = await ts.statistics(mk(vals));
        const b = await ts.statistics(mk([...vals].reverse()));
        const s = await ts.statistics(mk(vals.map((v) => Math.fround(v) + c)));
        expect(b.median).toBe(a.median);
        expect(b.meanClip).toBeCloseTo(a.meanClip, 6);
        // shifting by an integer is exact in float32 for these magnitudes only when no rounding occurs; compare loosely
        expect(Math.abs(s.median - (a.median + c))).toBeLessThan(1e-3 * Math.max(1, Math.abs(a.median) + Math.abs(c)));
      },
    ),
    { numRuns: 80, seed: 7 },
  );
});
