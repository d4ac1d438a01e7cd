// The wasm backend's large-box statistics (radix-histogram order statistics, core + tails clip
// passes; src/wasm/statistics.ts) against the ts oracle on edge-case images of more than 65536
// pixels: order statistics, min/max and counts exactly, moments within 1e-9 (relative), and
// bit-identical results across runs and thread counts (1, 2, 3; the last images are big enough to
// be split over the workers).
import {
  type Backend,
  createTsBackend,
  createWasmBackend,
  type Planes,
  type StatsControl,
  type StatsResult,
} from "@skystack/kernels";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { f32Interval } from "../src/wasm/statistics.js";
import { copyInto, rng, synth } from "./helpers.js";

const oracle = createTsBackend();
const wasm = await Promise.all([1, 2, 3].map((threads) => createWasmBackend({ threads })));

const EXACT: (keyof StatsResult)[] = [
  "npoint",
  "nMasked",
  "nNonFinite",
  "orMask",
  "nClipped",
  "median",
  "q1",
  "q3",
  "iqr",
  "min",
  "max",
];

function diff(ref: StatsResult, got: StatsResult): string | null {
  for (const k of Object.keys(ref) as (keyof StatsResult)[]) {
    const x = ref[k];
    const y = got[k];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const tol = EXACT.includes(k) ? 0 : 1e-9 * Math.max(1, Math.abs(x));
    if (!(Math.abs(x - y) <= tol)) return `${k}: oracle ${x}, wasm ${y}`;
  }
  return null;
}

/** An image of w x h (stride) whose pixel i is f(i, r) (r: a seeded uniform generator). */
function image(
  w: number,
  h: number,
  f: (i: number, r: () => number) => number,
  o: { stride?: number; mask?: (i: number, r: () => number) => number } = {},
): Planes {
  const stride = o.stride ?? w;
  const n = (h - 1) * stride + w;
  const r = rng(w * 7919 + h);
  const q: Planes = { width: w, height: h, stride, image: new Float32Array(n) };
  for (let i = 0; i < n; i++) q.image[i] = f(i, r);
  if (o.mask) {
    q.mask = new Int32Array(n);
    for (let i = 0; i < n; i++) q.mask[i] = o.mask(i, r);
  }
  return q;
}

const gauss = (r: () => number): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

const IMAGES: [string, Planes][] = [
  ["sky 400x300 with stars, NaN, masks", synth(400, 300, { seed: 31, nanFraction: 0.01, maskFraction: 0.05 })],
  ["sky 301x250 box-tail widths, stride 333", synth(301, 250, { seed: 32, stride: 333 })],
  ["gaussian sky 100 +- 10 with bright stars", image(512, 256, (_, r) => 100 + 10 * gauss(r) + (r() < 0.004 ? 5e4 * r() : 0))],
  ["negative sky -100 +- 3", image(300, 300, (_, r) => -100 + 3 * gauss(r))],
  ["constant 7.25", image(260, 260, () => 7.25)],
  ["constant plus one outlier", image(260, 260, (i) => (i === 777 ? 1e6 : 5))],
  ["near-constant 1e6 + 0.01 noise", image(300, 256, (_, r) => 1e6 + 0.01 * gauss(r))],
  ["ties: integers 0..20", image(300, 300, (_, r) => Math.floor(21 * r()))],
  ["+-0 and +-1 only", image(300, 256, (_, r) => [-0, 0, -1, 1][Math.floor(4 * r())]!)],
  ["huge values +-3e38", image(300, 256, (_, r) => (r() < 0.3 ? (r() < 0.5 ? -3e38 : 3e38) : 1e37 * gauss(r)))],
  ["bimodal 0 / 1000 (tails too big for the core)", image(300, 256, (_, r) => (r() < 0.5 ? 0 : 1000) + gauss(r))],
  ["uniform [0, 1)", image(256, 300, (_, r) => r())],
  [
    "infinities and NaN",
    image(300, 256, (_, r) =>
      r() < 0.05 ? Number.POSITIVE_INFINITY : r() < 0.05 ? Number.NEGATIVE_INFINITY : r() < 0.05 ? Number.NaN : 50 + gauss(r),
    ),
  ],
  ["all NaN", image(260, 260, () => Number.NaN)],
  ["single column 1 x 70000", image(1, 70000, (_, r) => 10 + gauss(r))],
  ["single row 70001 x 1", image(70001, 1, (_, r) => 10 + gauss(r))],
  [
    "mask bits everywhere",
    image(300, 256, (_, r) => 20 + 2 * gauss(r), { mask: (_, r) => (r() < 0.3 ? 1 << Math.floor(4 * r()) : 0) }),
  ],
  ["all masked", image(260, 260, (_, r) => r(), { mask: () => 1 })],
  // Over 3 x 2^18 pixels: split over 2 and 3 workers (smaller boxes stay on the calling thread).
  [
    "sky 1031x800 split over workers, NaN, masks, stride 1040",
    synth(1031, 800, { seed: 33, nanFraction: 0.01, maskFraction: 0.05, stride: 1040 }),
  ],
  ["bimodal 1024x800 split over workers (full passes)", image(1024, 800, (_, r) => (r() < 0.5 ? -50 : 950) + 3 * gauss(r))],
];

const CTRLS: [string, StatsControl][] = [
  ["defaults", {}],
  ["andMask 0b101, 2.5 sigma x 4", { andMask: 0b101, numSigmaClip: 2.5, numIter: 4 }],
  ["1 iteration", { numIter: 1 }],
  ["1.5 sigma x 6", { numSigmaClip: 1.5, numIter: 6 }],
];

/** Bit patterns of every field (distinguishes -0 / +0 and NaN payload-free). */
const bits = (s: StatsResult): string =>
  JSON.stringify(Object.entries(s).map(([k, v]) => [k, Object.is(v, -0) ? "-0" : String(v)]));

describe("wasm large-box statistics vs the ts oracle", () => {
  it("the wasm backend starts", () => {
    for (const w of wasm) expect(typeof w === "string" ? w : "ok").toBe("ok");
  });
  for (const [iname, img] of IMAGES) {
    it(iname, async () => {
      const bes = wasm.filter((w): w is Backend => typeof w !== "string");
      const failures: string[] = [];
      for (const [cname, ctrl] of CTRLS) {
        const ref = await oracle.statistics(img, undefined, ctrl);
        const seen = new Set<string>();
        for (const [t, be] of bes.entries()) {
          for (const inArena of [false, true]) {
            const src = inArena ? copyInto(img, be.alloc) : img;
            const got = await be.statistics(src, undefined, ctrl);
            if (inArena) be.free(src);
            const d = diff(ref, got);
            if (d) failures.push(`${cname}, ${t + 1} thread(s)${inArena ? ", arena" : ""}: ${d}`);
            seen.add(bits(got));
          }
        }
        if (seen.size !== 1) failures.push(`${cname}: results differ across runs / thread counts`);
      }
      expect(failures).toEqual([]);
    });
  }
  it("a box inside a larger image (offset, odd width) equals the oracle on the same box", async () => {
    const img = synth(420, 330, { seed: 40, nanFraction: 0.01 });
    const box = { x0: 13, y0: 7, width: 397, height: 301 };
    const ref = await oracle.statistics(img, { box }, { andMask: 0b11 });
    for (const be of wasm) {
      if (typeof be === "string") throw new Error(be);
      expect(diff(ref, await be.statistics(img, { box }, { andMask: 0b11 }))).toBeNull();
    }
  });
});

describe("f32Interval", () => {
  it("is exactly the set of float32 x with |x - c| <= hw (float64 test), checked around both ends", () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const step = (x: number, dir: number): number => {
      // next float32 towards +inf (dir 1) or -inf (dir -1)
      f[0] = x;
      if (x === 0) return dir * 1.401298464324817e-45;
      u[0] = u[0]! + (x > 0 === dir > 0 ? 1 : -1);
      return f[0]!;
    };
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.oneof(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.constant(0), fc.double({ min: 0, max: 1e-30, noNaN: true })),
        (c, hw) => {
          const pass = (x: number): boolean => Math.abs(x - c) <= hw;
          const iv = f32Interval(c, hw);
          if (!iv) {
            const m = Math.fround(c);
            return !pass(m) && !pass(step(m, 1)) && !pass(step(m, -1));
          }
          const [lo, hi] = iv;
          return lo <= hi && pass(lo) && pass(hi) && !pass(step(lo, -1)) && !pass(step(hi, 1));
        },
      ),
      { numRuns: 2000 },
    );
    expect(f32Interval(Number.NaN, 1)).toBeNull();
    expect(f32Interval(0, Number.NaN)).toBeNull();
    // float32(2e38) rounds below 2e38 and fails; the interval starts one float32 above it.
    const iv = f32Interval(3e38, 1e38)!;
    expect(iv[1]).toBe(3.4028234663852886e38);
    expect(iv[0]).toBe(step(Math.fround(2e38), 1));
  });
});
