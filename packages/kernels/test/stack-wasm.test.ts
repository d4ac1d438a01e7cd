// The wasm stack (4-pixel SIMD path for mean/meanclip with N <= 16, scalar path otherwise) against
// the `ts` oracle over N = 1..20 inputs: NaN and masked inputs, weights, ties, constant stacks, pixels
// with every input rejected or everything clipped away, widths that leave a scalar tail, strides, and
// clip settings. The wasm side does the oracle's f64 operations in the oracle's order, so image and
// variance must equal the oracle's float32 values exactly (not just within FLOAT_TOL), masks and
// counts too; 1 and 3 threads must agree bit for bit.
import {
  type Backend,
  createTsBackend,
  createWasmBackend,
  MaskBits,
  type Planes,
  type StackOptions,
  type StackResult,
} from "@skystack/kernels";
import { describe, expect, it } from "vitest";
import { planesIdentical, rng, synth } from "./helpers.js";

const ts = createTsBackend();
const started = await Promise.all([1, 3].map((threads) => createWasmBackend({ threads })));
const [w1, w3] = started.map((b) => {
  if (typeof b === "string") throw new Error(`wasm backend unavailable: ${b}`);
  return b;
}) as [Backend, Backend];

/** First differing output (image, variance, mask, count) of two stacks, exact comparison; null if none. */
function exactDiff(a: StackResult, b: StackResult): string | null {
  const same = (x: number, y: number): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const i = y * a.stride + x;
      const j = y * b.stride + x;
      if (!same(a.image[i]!, b.image[j]!)) return `image(${x},${y}): ${a.image[i]} vs ${b.image[j]}`;
      if (a.variance && !same(a.variance[i]!, b.variance![j]!))
        return `variance(${x},${y}): ${a.variance[i]} vs ${b.variance![j]}`;
      if (a.mask && a.mask[i] !== b.mask![j]) return `mask(${x},${y}): ${a.mask[i]} vs ${b.mask![j]}`;
      if (a.count[i] !== b.count[j]) return `count(${x},${y}): ${a.count[i]} vs ${b.count[j]}`;
    }
  if (!!a.variance !== !!b.variance || !!a.mask !== !!b.mask) return "planes present differ";
  return null;
}

/** Small integers (many ties), a few outliers, NaNs and masked pixels; every 7th pixel all-NaN. */
function tied(w: number, h: number, n: number, seed: number): Planes[] {
  const r = rng(seed);
  const ins = Array.from({ length: n }, () => synth(w, h, { seed: seed + 1, maskFraction: 0, nanFraction: 0 }));
  for (const p of ins)
    for (let i = 0; i < p.image.length; i++) {
      p.image[i] = Math.floor(r() * 4) + (r() < 0.05 ? 50 : 0);
      if (r() < 0.05) p.image[i] = Number.NaN;
      p.mask![i] = r() < 0.1 ? 1 << Math.floor(r() * 3) : 0;
      if (i % 7 === 3) p.image[i] = Number.NaN;
    }
  return ins;
}

const OPTS: [string, StackOptions][] = [
  ["meanclip", { statistic: "meanclip" }],
  [
    "meanclip andMask + thresholds",
    { statistic: "meanclip", andMask: 0b11, maskPropagationThresholds: { 0: 0.2, 1: 0, 2: 0.5 } },
  ],
  ["meanclip weighted k=1.5", { statistic: "meanclip", numSigmaClip: 1.5, andMask: 0b1 }],
  ["meanclip numIter 1", { statistic: "meanclip", numIter: 1 }],
  ["meanclip numIter 5 k=2", { statistic: "meanclip", numIter: 5, numSigmaClip: 2 }],
  ["mean andMask + thresholds", { statistic: "mean", andMask: 0b11, maskPropagationThresholds: { 0: 0.2, 1: 0 } }],
  ["median", { statistic: "median", andMask: 0b1 }],
];

async function check(label: string, ins: Planes[], o: StackOptions): Promise<string[]> {
  const fails: string[] = [];
  const ref = await ts.stack(ins, o);
  const a = await w1.stack(ins, o);
  const b = await w3.stack(ins, o);
  const d = exactDiff(ref, a);
  if (d) fails.push(`${label}: wasm/1 vs oracle: ${d}`);
  if (!planesIdentical(a, b) || exactDiff(a, b)) fails.push(`${label}: 1 vs 3 threads differ`);
  return fails;
}

describe("wasm stack equals the ts oracle exactly", () => {
  it("N = 1..20, noise + NaN + masks, 13x9 (scalar tail) and stride 17", async () => {
    const fails: string[] = [];
    for (let n = 1; n <= 20; n++) {
      const ins = Array.from({ length: n }, (_, i) =>
        synth(13, 9, { seed: 500 + 31 * n + i, nanFraction: 0.08, maskFraction: 0.15, stride: 17 }),
      );
      for (const [name, o] of OPTS) {
        const opts = name.includes("weighted") ? { ...o, weights: ins.map((_, i) => 0.5 + ((i * 7) % 5)) } : o;
        fails.push(...(await check(`N=${n} ${name}`, ins, opts)));
      }
    }
    expect(fails).toEqual([]);
  });

  it("ties, constant stacks, all-rejected and all-clipped pixels", async () => {
    const fails: string[] = [];
    for (const n of [1, 2, 3, 4, 5, 8, 10, 11, 16, 17]) {
      const ins = tied(9, 6, n, 900 + n);
      for (const [name, o] of OPTS) fails.push(...(await check(`tied N=${n} ${name}`, ins, o)));
      // constant stack: IQR 0, so pass 0 keeps exactly the values equal to the median
      const flat = Array.from({ length: n }, () => synth(8, 3, { seed: 7, nanFraction: 0, maskFraction: 0 }));
      for (const p of flat) p.image.fill(42);
      fails.push(...(await check(`constant N=${n}`, flat, { statistic: "meanclip" })));
    }
    expect(fails).toEqual([]);
    // The oracle's semantics these cases exercise: one usable input has no variance after pass 0,
    // so the later passes keep nothing (count 0, NO_DATA), and an all-NaN pixel is NO_DATA.
    const one = await w1.stack(tied(9, 6, 1, 901), { statistic: "meanclip" });
    expect(Array.from(one.count).every((c) => c === 0)).toBe(true);
    expect(one.mask![3]! & MaskBits.NO_DATA).toBe(MaskBits.NO_DATA);
    const ten = await w1.stack(tied(9, 6, 10, 910), { statistic: "meanclip" });
    expect(ten.count[3]).toBe(0);
    expect(Number.isNaN(ten.image[3]!)).toBe(true);
    expect(ten.variance![3]).toBe(Number.POSITIVE_INFINITY);
  });

  it("every 0/1 combination of N = 2..16 inputs (the 0-1 principle for the sorting networks)", async () => {
    // A comparator network sorts everything iff it sorts all 0/1 inputs; a missorted rank moves the
    // median or a quartile, hence the clip window and the kept count, which must equal the oracle's.
    const fails: string[] = [];
    for (let n = 2; n <= 16; n++) {
      const W = 1 << n;
      const ins = Array.from({ length: n }, (_, i) => {
        const image = new Float32Array(W);
        for (let p = 0; p < W; p++) image[p] = (p >> i) & 1;
        return { width: W, height: 1, stride: W, image };
      });
      fails.push(...(await check(`0/1 N=${n}`, ins, { statistic: "meanclip", numIter: 1, numSigmaClip: 0.5 })));
    }
    expect(fails).toEqual([]);
  });

  it("inputs without mask and variance planes, and a 1-pixel-wide image", async () => {
    const fails: string[] = [];
    for (const n of [3, 10, 16]) {
      const ins = Array.from({ length: n }, (_, i) =>
        synth(21, 5, { seed: 70 + i, mask: false, variance: false, nanFraction: 0.05 }),
      );
      fails.push(...(await check(`plain N=${n}`, ins, { statistic: "meanclip" })));
      fails.push(...(await check(`plain N=${n} mean`, ins, { statistic: "mean" })));
      const col = Array.from({ length: n }, (_, i) => synth(1, 7, { seed: 90 + i }));
      fails.push(...(await check(`column N=${n}`, col, { statistic: "meanclip" })));
    }
    expect(fails).toEqual([]);
  });

  it("a clipped pixel: 9 values near 10 and one outlier at 1000 are clipped to the mean of the 9", async () => {
    const vals = [9, 10, 11, 10, 9.5, 10.5, 10, 9.8, 10.2, 1000];
    const ins = vals.map((v) => ({ width: 4, height: 1, stride: 4, image: new Float32Array(4).fill(v) }));
    const r = await w1.stack(ins, { statistic: "meanclip" });
    for (let x = 0; x < 4; x++) {
      expect(r.count[x]).toBe(9);
      expect(r.image[x]).toBeCloseTo(90 / 9, 5);
    }
  });
});
