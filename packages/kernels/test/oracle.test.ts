// The `ts` oracle against independent truth: hand-computed values, analytic results, numpy/scipy,
// and an independent flood-fill labelling.
import {
  cellEdges,
  createTsBackend,
  gaussianKernel1d,
  interpolant,
  LANCZOS_SAMPLES,
  lanczosExact,
  lanczosTable,
  MaskBits,
  makePlanes,
  type Planes,
} from "@skystack/kernels";
import { describe, expect, it } from "vitest";
import { rng, synth } from "./helpers.js";
import { findPython, runPython } from "./python.js";

const ts = createTsBackend();
const numpyPy = findPython("numpy");
const scipyPy = findPython("numpy, scipy.ndimage, scipy.interpolate");

function fromValues(values: number[], width = values.length, height = 1): Planes {
  return { width, height, stride: width, image: Float32Array.from(values), mask: new Int32Array(values.length) };
}

describe("statistics (lsst-anatomy 1.7)", () => {
  it("matches hand-computed values on 1..9 plus an outlier", async () => {
    const s = await ts.statistics(fromValues([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]));
    // sorted; median at 0.5*9 = 4.5 -> 5.5; q1 at 2.25 -> 3.25; q3 at 6.75 -> 7.75; IQR 4.5
    expect(s.median).toBe(5.5);
    expect(s.q1).toBe(3.25);
    expect(s.q3).toBe(7.75);
    expect(s.iqr).toBe(4.5);
    // mean 14.5; Σ(x-14.5)² = 10285 - 10*14.5² = 8182.5; /9
    expect(s.mean).toBe(14.5);
    expect(s.variance).toBeCloseTo(8182.5 / 9, 10);
    // pass 0: |x-5.5| <= 3*0.741301109252802*4.5 = 10.0076 keeps 1..9 -> mean 5, var 60/8 = 7.5;
    // passes 1, 2: |x-5| <= 3*sqrt(7.5) = 8.2158 keep 1..9 again.
    expect(s.meanClip).toBe(5);
    expect(s.varianceClip).toBe(7.5);
    expect(s.nClipped).toBe(1);
    expect(s.min).toBe(1);
    expect(s.max).toBe(100);
    expect(s.sum).toBe(145);
    expect(s.meanSquare).toBeCloseTo((9 / 10) * (8182.5 / 9) + 14.5 * 14.5, 9);
  });

  it("pass 0 uses the IQR, later passes the previous mean/sigma (hand-computed)", async () => {
    // 1..20 plus 30: n=21, median 11, q1 at 5 -> 6, q3 at 15 -> 16, IQR 10.
    // pass 0: |x-11| <= 1*0.7413*10 = 7.413 keeps 4..18 (15 values): mean 11, var = Σ(k²,k=-7..7)/14 = 280/14 = 20
    // pass 1: |x-11| <= sqrt(20) = 4.472 keeps 7..15: mean 11, var = 60/8 = 7.5
    const v = [...Array.from({ length: 20 }, (_, i) => i + 1), 30];
    const s2 = await ts.statistics(fromValues(v), undefined, { numSigmaClip: 1, numIter: 2 });
    expect(s2.meanClip).toBe(11);
    expect(s2.varianceClip).toBe(7.5);
    expect(s2.nClipped).toBe(21 - 9);
    const s1 = await ts.statistics(fromValues(v), undefined, { numSigmaClip: 1, numIter: 1 });
    expect(s1.varianceClip).toBe(20);
    expect(s1.nClipped).toBe(21 - 15);
  });

  it("honours andMask and NaN, counts them, ORs used mask bits", async () => {
    const p = fromValues([1, Number.NaN, 3, 1000, 5]);
    p.mask![3] = MaskBits.SAT;
    p.mask![4] = MaskBits.CR;
    const s = await ts.statistics(p, undefined, { andMask: MaskBits.SAT });
    expect([s.npoint, s.nMasked, s.nNonFinite, s.orMask]).toEqual([3, 1, 1, MaskBits.CR]);
    expect(s.mean).toBe(3);
    p.mask!.fill(MaskBits.BAD);
    const none = await ts.statistics(p, undefined, { andMask: MaskBits.BAD });
    expect(none.npoint).toBe(0);
    expect(Number.isNaN(none.mean) && Number.isNaN(none.median) && Number.isNaN(none.meanClip)).toBe(true);
  });

  it.skipIf(!numpyPy)(
    `mean, variance, median, quartiles and weighted mean agree with numpy${numpyPy ? "" : " (skipped: no python with numpy)"}`,
    async () => {
      const p = synth(50, 40, { seed: 9, nanFraction: 0.03, maskFraction: 0.1 });
      const w = Float32Array.from({ length: p.image.length }, (_, i) => 0.5 + ((i * 7) % 11) / 10);
      const andMask = MaskBits.BAD | MaskBits.SAT | MaskBits.CR;
      const s = await ts.statistics(p, { weights: w }, { andMask });
      const su = await ts.statistics(p, undefined, { andMask });
      const r = runPython(
        numpyPy!,
        `
x = np.array(inp["x"], dtype=np.float32).astype(np.float64); m = np.array(inp["m"]); w = np.array(inp["w"], dtype=np.float32).astype(np.float64)
keep = ((m & inp["andMask"]) == 0) & np.isfinite(x)
v = x[keep]; ww = w[keep]
mw = np.average(v, weights=ww)
sw = ww.sum(); sw2 = (ww*ww).sum()
varw = (ww*(v-mw)**2).sum()/sw * sw*sw/(sw*sw - sw2)
out = dict(n=int(keep.sum()), mean=float(v.mean()), var=float(v.var(ddof=1)), med=float(np.median(v)),
  q1=float(np.percentile(v, 25)), q3=float(np.percentile(v, 75)), mw=float(mw), varw=float(varw))
`,
        { x: Array.from(p.image, (v) => (Number.isNaN(v) ? null : v)), m: Array.from(p.mask!), w: Array.from(w), andMask },
      ) as Record<string, number>;
      // numpy json gives null for NaN inputs -> np.array of None would fail; we pass null and cast via float32 below
      expect(su.npoint).toBe(r.n);
      expect(su.mean).toBeCloseTo(r.mean!, 10);
      expect(su.variance).toBeCloseTo(r.var!, 9);
      expect(su.median).toBe(r.med);
      expect(su.q1).toBeCloseTo(r.q1!, 12);
      expect(su.q3).toBeCloseTo(r.q3!, 12);
      expect(s.mean).toBeCloseTo(r.mw!, 10);
      expect(s.variance).toBeCloseTo(r.varw!, 9);
    },
  );
});

describe("convolution", () => {
  it("correlates without flipping the kernel (delta response) and smears masks over non-zero taps", async () => {
    const p = makePlanes(11, 9);
    p.image[4 * 11 + 5] = 1;
    p.variance!.fill(2);
    p.mask![4 * 11 + 5] = MaskBits.CR;
    const kx = [1, 2, 0, 4, 5];
    const ky = [1, 3, 1];
    const o = await ts.convolveSeparable(p, kx, ky, { normalize: false });
    // out(x, y) = Σ kx[i] ky[j] in(x - 2 + i, y - 1 + j): the delta at (5,4) appears at x = 7 - i, y = 5 - j.
    for (let j = 0; j < 3; j++) for (let i = 0; i < 5; i++) expect(o.image[(5 - j) * 11 + 7 - i]).toBe(kx[i]! * ky[j]!);
    // the zero tap (i = 2) does not smear the mask: pixel x = 5 keeps no CR, x = 4 does
    expect(o.mask![4 * 11 + 5]).toBe(0);
    expect(o.mask![4 * 11 + 4]).toBe(MaskBits.CR);
    // variance convolved with the squared kernel: 2 * Σkx² * Σky²
    expect(o.variance![4 * 11 + 5]).toBe(2 * (1 + 4 + 16 + 25) * (1 + 9 + 1));
    // border: 2 columns left and right, 1 row top and bottom are NO_DATA edge pixels
    expect(Number.isNaN(o.image[0]!) && o.variance![0] === Infinity && o.mask![0] === MaskBits.NO_DATA).toBe(true);
    expect(Number.isNaN(o.image[4 * 11 + 9]!)).toBe(true);
    expect(Number.isNaN(o.image[4 * 11 + 8]!)).toBe(false);
  });

  it("keeps a constant and propagates NaN as NO_DATA; copy edge sets EDGE", async () => {
    const p = makePlanes(20, 15);
    p.image.fill(7);
    p.image[7 * 20 + 10] = Number.NaN;
    const k = gaussianKernel1d(1.2);
    const o = await ts.convolveSeparable(p, k, k, { edge: "copy" });
    expect(Math.abs(o.image[2 * 20 + 15]! - 7)).toBeLessThan(1e-5);
    expect(Number.isNaN(o.image[7 * 20 + 12]!)).toBe(true);
    expect(o.mask![7 * 20 + 12]! & MaskBits.NO_DATA).toBeTruthy();
    expect(o.image[0]).toBe(7);
    expect(o.mask![0]).toBe(MaskBits.EDGE);
  });

  it.skipIf(!scipyPy)(
    `Gaussian matches scipy.ndimage.correlate1d in the interior${scipyPy ? "" : " (skipped: no python with scipy)"}`,
    async () => {
      const p = synth(60, 45, { seed: 3, nanFraction: 0, mask: false, variance: false });
      const k = gaussianKernel1d(2);
      const o = await ts.convolveSeparable(p, k, k);
      const r = runPython(
        scipyPy!,
        `
from scipy.ndimage import correlate1d
a = np.array(inp["a"], dtype=np.float32).reshape(45, 60).astype(np.float64)
k = np.array(inp["k"])
b = correlate1d(correlate1d(a, k, axis=1), k, axis=0)
out = b[7:-7, 7:-7].ravel().tolist()
`,
        { a: Array.from(p.image), k: Array.from(k) },
      ) as number[];
      let maxd = 0;
      let i = 0;
      for (let y = 7; y < 38; y++) for (let x = 7; x < 53; x++) maxd = Math.max(maxd, Math.abs(o.image[y * 60 + x]! - r[i++]!));
      expect(maxd).toBeLessThan(1e-4);
    },
  );
});

describe("resampling", () => {
  it("tabulated Lanczos is within 2e-6 of the analytic kernel", () => {
    for (const n of [3, 4, 5]) {
      const t = lanczosTable(n);
      let maxd = 0;
      for (let x = 0; x < n; x += 0.0137) {
        const u = x * LANCZOS_SAMPLES;
        const i = Math.floor(u);
        maxd = Math.max(maxd, Math.abs(t[i]! + (u - i) * (t[i + 1]! - t[i]!) - lanczosExact(x, n)));
      }
      expect(maxd).toBeLessThan(2e-6);
    }
  });

  it("an integer shift is an exact copy; pixels whose kernel leaves the image are NO_DATA", async () => {
    const p = synth(30, 20, { seed: 11, nanFraction: 0 });
    const o = await ts.resample(
      p,
      { kind: "affine", width: 30, height: 20, a: 1, b: 0, c: 2, d: 0, e: 1, f: -1 },
      { kernel: "lanczos3" },
    );
    expect(o.image[5 * 30 + 4]).toBe(p.image[4 * 30 + 6]);
    expect(o.variance![5 * 30 + 4]).toBe(p.variance![4 * 30 + 6]);
    expect(o.mask![0]).toBe(MaskBits.NO_DATA);
    expect(Number.isNaN(o.image[29]!)).toBe(true);
  });

  it("equals Lanczos-3 with analytic weights to 2e-5 and a smooth function to 4e-3 under a 2-degree rotation", async () => {
    const W = 80;
    const H = 60;
    const f = (x: number, y: number): number => Math.sin(x / 9) * Math.cos(y / 7) + 0.01 * x;
    const p = makePlanes(W, H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) p.image[y * W + x] = f(x, y);
    const c = Math.cos(0.035);
    const s = Math.sin(0.035);
    const g = { kind: "affine" as const, width: W, height: H, a: c, b: -s, c: 1.3, d: s, e: c, f: -0.4 };
    const o = await ts.resample(p, g, { kernel: "lanczos3" });
    let maxd = 0;
    let maxExact = 0;
    for (let y = 10; y < 50; y++)
      for (let x = 10; x < 70; x++) {
        const sx = g.a * x + g.b * y + g.c;
        const sy = g.d * x + g.e * y + g.f;
        maxd = Math.max(maxd, Math.abs(o.image[y * W + x]! - f(sx, sy)));
        const bx = Math.floor(sx);
        const by = Math.floor(sy);
        const wx = [-2, -1, 0, 1, 2, 3].map((k) => lanczosExact(sx - bx - k, 3));
        const wy = [-2, -1, 0, 1, 2, 3].map((k) => lanczosExact(sy - by - k, 3));
        const nx = wx.reduce((a, b) => a + b);
        const ny = wy.reduce((a, b) => a + b);
        let e = 0;
        for (let j = 0; j < 6; j++)
          for (let i = 0; i < 6; i++) e += (wx[i]! / nx) * (wy[j]! / ny) * p.image[(by - 2 + j) * W + bx - 2 + i]!;
        maxExact = Math.max(maxExact, Math.abs(o.image[y * W + x]! - e));
      }
    expect(maxExact).toBeLessThan(2e-5);
    expect(maxd).toBeLessThan(4e-3); // Lanczos-3's own interpolation error on this function is 2.9e-3
    // bilinear reproduces a linear ramp exactly (up to float32)
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) p.image[y * W + x] = 0.5 * x - 0.25 * y;
    const ob = await ts.resample(p, g, { kernel: "bilinear" });
    expect(
      Math.abs(ob.image[20 * W + 30]! - (0.5 * (g.a * 30 + g.b * 20 + g.c) - 0.25 * (g.d * 30 + g.e * 20 + g.f))),
    ).toBeLessThan(1e-5);
  });

  it("conserves flux when asked (2x magnification: area ratio 1/4)", async () => {
    const p = makePlanes(40, 40);
    p.image.fill(8);
    p.variance!.fill(4);
    const o = await ts.resample(
      p,
      { kind: "affine", width: 40, height: 40, a: 0.5, b: 0, c: 5.25, d: 0, e: 0.5, f: 5.25 },
      { kernel: "lanczos4", conserveFlux: true },
    );
    expect(o.image[20 * 40 + 20]).toBeCloseTo(2, 5);
    expect(o.variance![20 * 40 + 20]!).toBeLessThan(4 / 16 + 1e-9);
  });
});

describe("stacking", () => {
  it("hand-computed mean, median, clipped mean, variance, count and mask propagation", async () => {
    const mk = (v: number, m = 0, variance = 1): Planes => ({
      width: 1,
      height: 1,
      stride: 1,
      image: Float32Array.of(v),
      mask: Int32Array.of(m),
      variance: Float32Array.of(variance),
    });
    const ins = [mk(1), mk(2), mk(3), mk(4), mk(100), mk(50, MaskBits.BAD), mk(Number.NaN)];
    const mean = await ts.stack(ins, { statistic: "mean", andMask: MaskBits.BAD, maskPropagationThresholds: { 0: 0.1 } });
    expect(mean.image[0]).toBe(22); // (1+2+3+4+100)/5
    expect(mean.variance![0]).toBeCloseTo(5 / 25, 7);
    expect(mean.count[0]).toBe(5);
    expect(mean.mask![0]).toBe(MaskBits.BAD); // BAD on 1/7 > 0.1 of the weight
    const med = await ts.stack(ins, { statistic: "median", andMask: MaskBits.BAD });
    expect(med.image[0]).toBe(3);
    expect(med.mask![0]).toBe(0);
    // clip: median 3, IQR = 4 - 2 = 2, pass 0 keeps |x-3| <= 3*0.7413*2 = 4.45 -> 1..4 mean 2.5, var 5/3
    const clip = await ts.stack(ins, { statistic: "meanclip", andMask: MaskBits.BAD });
    expect(clip.image[0]).toBe(2.5);
    expect(clip.count[0]).toBe(4);
    const w = await ts.stack([mk(1), mk(3)], { weights: [3, 1] });
    expect(w.image[0]).toBe(1.5);
    expect(w.variance![0]).toBeCloseTo((9 + 1) / 16, 7);
    const none = await ts.stack([mk(Number.NaN)]);
    expect(Number.isNaN(none.image[0]!) && none.count[0] === 0 && none.mask![0] === MaskBits.NO_DATA).toBe(true);
  });

  it.skipIf(!numpyPy)(`median stack agrees with numpy.median${numpyPy ? "" : " (skipped: no numpy)"}`, async () => {
    const ins = Array.from({ length: 7 }, (_, i) => synth(12, 9, { seed: 40 + i, nanFraction: 0, mask: false, variance: false }));
    const o = await ts.stack(ins, { statistic: "median" });
    const r = runPython(
      numpyPy!,
      `out = np.median(np.array(inp, dtype=np.float32).astype(np.float64), axis=0).ravel().tolist()`,
      ins.map((p) => Array.from(p.image)),
    ) as number[];
    for (let i = 0; i < r.length; i++) expect(o.image[i]).toBeCloseTo(r[i]!, 5);
  });
});

describe("detection", () => {
  function floodFill(p: Planes, t: number): number[][] {
    const { width: W, height: H } = p;
    const lab = new Int32Array(W * H).fill(-1);
    const comps: number[][] = [];
    for (let s = 0; s < W * H; s++) {
      if (lab[s] !== -1 || !(p.image[s]! >= t)) continue;
      const id = comps.length;
      const comp: number[] = [];
      const q = [s];
      lab[s] = id;
      while (q.length) {
        const c = q.pop()!;
        comp.push(c);
        const cx = c % W;
        const cy = (c - cx) / W;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const x = cx + dx;
            const y = cy + dy;
            if (x < 0 || y < 0 || x >= W || y >= H) continue;
            const n = y * W + x;
            if (lab[n] === -1 && p.image[n]! >= t) {
              lab[n] = id;
              q.push(n);
            }
          }
      }
      comps.push(comp.sort((a, b) => a - b));
    }
    return comps;
  }

  it("8-connected components equal an independent flood fill", async () => {
    const r = rng(5);
    const p = makePlanes(90, 70);
    for (let i = 0; i < p.image.length; i++) p.image[i] = r() < 0.3 ? 10 + r() : r();
    const fps = await ts.detect(p, { threshold: 5 });
    const mine = fps.map((f) => {
      const px: number[] = [];
      for (let k = 0; k < f.spans.length; k += 3)
        for (let x = f.spans[k + 1]!; x <= f.spans[k + 2]!; x++) px.push(f.spans[k]! * 90 + x);
      return px.sort((a, b) => a - b);
    });
    const truth = floodFill(p, 5);
    expect(mine.map((c) => c.join(",")).sort()).toEqual(truth.map((c) => c.join(",")).sort());
    expect(fps.reduce((s, f) => s + f.npix, 0)).toBe(truth.reduce((s, c) => s + c.length, 0));
  });

  it("finds the local maxima of two touching blobs, one peak per plateau, and sets DETECTED", async () => {
    const p = makePlanes(30, 20);
    const blob = (cx: number, cy: number, a: number): void => {
      for (let y = 0; y < 20; y++)
        for (let x = 0; x < 30; x++) p.image[y * 30 + x]! += a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 8);
    };
    blob(10, 10, 100);
    blob(17, 10, 60);
    p.image[2 * 30 + 2] = 50;
    p.image[2 * 30 + 3] = 50; // a plateau of two equal pixels: one peak
    const fps = await ts.detect(p, { threshold: 5, setMask: MaskBits.DETECTED });
    expect(fps.length).toBe(2);
    const big = fps.find((f) => f.npix > 10)!;
    expect(big.peaks.map((q) => [q.x, q.y])).toEqual([
      [10, 10],
      [17, 10],
    ]);
    const plateau = fps.find((f) => f.npix === 2)!;
    expect(plateau.peaks.length).toBe(1);
    expect(p.mask![10 * 30 + 10]).toBe(MaskBits.DETECTED);
    expect(p.mask![0]).toBe(0);
  });
});

describe("background helpers", () => {
  it("cell edges follow end_i = min(((i+1) W + nx/2) div nx, W)", () => {
    expect([...cellEdges(10, 3)]).toEqual([0, 3, 7, 10]);
    expect([...cellEdges(4096, 32)].slice(0, 3)).toEqual([0, 128, 256]);
  });

  it.skipIf(!scipyPy)(`Akima and natural cubic interpolants agree with scipy${scipyPy ? "" : " (skipped: no scipy)"}`, () => {
    const xs = Float64Array.from([0, 1, 2.5, 3, 4.2, 6, 7.5]);
    const ys = Float64Array.from([1, 3, 2, 2, 5, 4.5, 0]);
    const at = Array.from({ length: 60 }, (_, i) => 0.05 + i * 0.12);
    const fa = interpolant(xs, ys);
    const fc = interpolant(xs.slice(0, 4), ys.slice(0, 4));
    const r = runPython(
      scipyPy!,
      `
from scipy.interpolate import Akima1DInterpolator, CubicSpline
xs = np.array(inp["xs"]); ys = np.array(inp["ys"]); at = np.array(inp["at"])
a = Akima1DInterpolator(xs, ys)(at[at <= xs[-1]])
c = CubicSpline(xs[:4], ys[:4], bc_type="natural")(at[at <= xs[3]])
out = dict(a=a.tolist(), c=c.tolist())
`,
      { xs: [...xs], ys: [...ys], at },
    ) as { a: number[]; c: number[] };
    for (const [i, v] of r.a.entries()) expect(fa(at[i]!)).toBeCloseTo(v, 10);
    for (const [i, v] of r.c.entries()) expect(fc(at[i]!)).toBeCloseTo(v, 10);
  });

  it("a cell grid of a plane is reproduced exactly (linear data, linear extrapolation)", async () => {
    const g = await ts.binStatistics(
      (() => {
        const p = makePlanes(64, 48);
        for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) p.image[y * 64 + x] = 3 + 0.5 * x - 0.25 * y;
        return p;
      })(),
      8,
      6,
      "mean",
    );
    const img = await ts.interpolateGrid(g, 64, 48);
    for (const [x, y] of [
      [0, 0],
      [63, 47],
      [31, 20],
    ] as const)
      expect(img[y * 64 + x]).toBeCloseTo(3 + 0.5 * x - 0.25 * y, 4);
  });
});
