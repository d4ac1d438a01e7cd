// One conformance suite, run against every backend: each kernel x edge cases (NaN, masked pixels,
// 1x1 and odd sizes, strides, borders, single rows, huge kernels, empty masks) must match the `ts`
// oracle within FLOAT_TOL (float32 rounding: the oracle accumulates in float64), masks and counts
// exactly; wasm results must be bit-identical across runs and thread counts.
import {
  type Backend,
  createTsBackend,
  type Footprint,
  gaussianKernel1d,
  type Planes,
  type ResampleGrid,
  type StackResult,
  type StatsResult,
} from "@skystack/kernels";
import { copyInto, planesDiff, synth } from "./helpers.js";

/** Relative tolerance (of max |oracle|) for float outputs. */
export const FLOAT_TOL = 2e-5;

export const oracle = createTsBackend();

/** One kernel call on one input, compared to the oracle. */
export interface Case {
  kernel: string;
  name: string;
  run: (b: Backend, inArena: boolean) => Promise<unknown>;
  compare: (ref: unknown, got: unknown) => string | null;
  /** Bitwise-deterministic output planes (for the thread check). */
  planes?: (r: unknown) => Planes;
}

const place = (b: Backend, p: Planes, inArena: boolean): Planes => (inArena ? copyInto(p, b.alloc) : p);
const pd = (a: unknown, b: unknown): string | null => planesDiff(a as Planes, b as Planes, FLOAT_TOL);

const IMAGES: [string, Planes][] = [
  ["1x1", synth(1, 1, { seed: 1 })],
  ["1x9 single column", synth(1, 9, { seed: 2 })],
  ["17x1 single row", synth(17, 1, { seed: 3 })],
  ["37x23 odd", synth(37, 23, { seed: 4, nanFraction: 0.02, maskFraction: 0.05 })],
  ["64x48 stride 70", synth(64, 48, { seed: 5, stride: 70 })],
  ["33x20 no mask/variance", synth(33, 20, { seed: 6, mask: false, variance: false })],
  ["40x30 empty mask, no NaN", synth(40, 30, { seed: 7, maskFraction: 0, nanFraction: 0 })],
];

/** Every conformance case. */
export const cases: Case[] = [];

const SEP_KERNELS: [string, number[], number[]][] = [
  ["gauss sigma 1.5", Array.from(gaussianKernel1d(1.5)), Array.from(gaussianKernel1d(1.5))],
  ["asymmetric with zero taps", [1, 2, 3, 0, 5], [0, 1, 4, 2]],
  ["huge 81 taps", Array.from(gaussianKernel1d(10, 40)), Array.from(gaussianKernel1d(10, 40))],
  ["delta", [1], [1]],
];
for (const [iname, img] of IMAGES) {
  for (const [kname, kx, ky] of SEP_KERNELS) {
    for (const edge of ["nodata", "copy"] as const) {
      cases.push({
        kernel: "convolveSeparable",
        name: `${iname}, ${kname}, edge ${edge}`,
        run: (b, a) => b.convolveSeparable(place(b, img, a), kx, ky, { edge }),
        compare: pd,
        planes: (r) => r as Planes,
      });
    }
  }
  cases.push({
    kernel: "convolveSeparable",
    name: `${iname}, unnormalised`,
    run: (b, a) => b.convolveSeparable(place(b, img, a), [0.5, 1, 0.5], [1, 1, 1], { normalize: false }),
    compare: pd,
  });
  for (const [kname, k] of [
    ["5x3 asymmetric", { width: 5, height: 3, data: [1, 0, 2, 3, 1, 0.5, 4, 1, 0, 2, 1, 1, 0, 3, 1] }],
    ["41x41 huge", { width: 41, height: 41, data: Array.from({ length: 41 * 41 }, (_, i) => 1 + (i % 7)) }],
    ["2x2 even", { width: 2, height: 2, data: [1, 2, 3, 4] }],
  ] as const) {
    cases.push({
      kernel: "convolve2d",
      name: `${iname}, ${kname}`,
      run: (b, a) => b.convolve2d(place(b, img, a), { width: k.width, height: k.height, data: [...k.data] }, { edge: "copy" }),
      compare: pd,
      planes: (r) => r as Planes,
    });
  }
}

// Resampling.
function rotGrid(w: number, h: number, deg: number, dx: number, dy: number, scale = 1): ResampleGrid {
  const c = Math.cos((deg * Math.PI) / 180) * scale;
  const s = Math.sin((deg * Math.PI) / 180) * scale;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  return {
    kind: "affine",
    width: w,
    height: h,
    a: c,
    b: -s,
    c: cx - c * cx + s * cy + dx,
    d: s,
    e: c,
    f: cy - s * cx - c * cy + dy,
  };
}
function coordsGrid(g: ResampleGrid & { kind: "affine" }): ResampleGrid {
  const x = new Float64Array(g.width * g.height);
  const y = new Float64Array(g.width * g.height);
  for (let j = 0; j < g.height; j++)
    for (let i = 0; i < g.width; i++) {
      x[j * g.width + i] = g.a * i + g.b * j + g.c + 0.01 * Math.sin(i);
      y[j * g.width + i] = g.d * i + g.e * j + g.f;
    }
  x[0] = Number.NaN;
  return { kind: "coords", width: g.width, height: g.height, x, y };
}
for (const [iname, img] of IMAGES) {
  for (const kernel of ["lanczos3", "lanczos4", "lanczos5", "bilinear", "nearest"] as const) {
    const g = rotGrid(img.width, img.height, 2, 0.37, -0.21) as ResampleGrid & { kind: "affine" };
    cases.push({
      kernel: "resample",
      name: `${iname}, ${kernel}, rotated 2 deg`,
      run: (b, a) => b.resample(place(b, img, a), g, { kernel }),
      compare: pd,
      planes: (r) => r as Planes,
    });
    cases.push({
      kernel: "resample",
      name: `${iname}, ${kernel}, integer shift`,
      run: (b, a) => b.resample(place(b, img, a), rotGrid(img.width, img.height, 0, 1, -2), { kernel }),
      compare: pd,
    });
    cases.push({
      kernel: "resample",
      name: `${iname}, ${kernel}, coords grid + flux`,
      run: (b, a) =>
        b.resample(
          place(b, img, a),
          coordsGrid(rotGrid(img.width + 3, img.height + 1, 10, 0.3, 0.2, 0.7) as ResampleGrid & { kind: "affine" }),
          { kernel, conserveFlux: true },
        ),
      compare: pd,
    });
  }
}

// Statistics.
const statsDiff = (r: unknown, g: unknown): string | null => {
  const a = r as StatsResult;
  const b = g as StatsResult;
  for (const k of Object.keys(a) as (keyof StatsResult)[]) {
    const x = a[k];
    const y = b[k];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const tol = ["npoint", "nMasked", "nNonFinite", "orMask", "nClipped"].includes(k) ? 0 : 1e-9 * Math.max(1, Math.abs(x));
    if (!(Math.abs(x - y) <= tol)) return `${k}: ref ${x}, got ${y}`;
  }
  return null;
};
for (const [iname, img] of IMAGES) {
  const weights = Float32Array.from({ length: img.image.length }, (_, i) => 0.5 + (i % 5) * 0.25);
  for (const [cname, region, ctrl] of [
    ["defaults", undefined, {}],
    ["andMask BAD|SAT|NO_DATA", undefined, { andMask: 0b100000011 }],
    ["andMask -1 (only unmasked pixels)", undefined, { andMask: -1 }],
    [
      "box",
      { box: { x0: 0, y0: 0, width: Math.ceil(img.width / 2), height: Math.ceil(img.height / 2) } },
      { numSigmaClip: 2, numIter: 5 },
    ],
    ["weights", { weights }, { numIter: 1 }],
    ["indices", { indices: Int32Array.from({ length: Math.min(7, img.width) }, (_, i) => i) }, {}],
  ] as const) {
    cases.push({
      kernel: "statistics",
      name: `${iname}, ${cname}`,
      run: (b, a) => b.statistics(place(b, img, a), region as never, ctrl),
      compare: statsDiff,
    });
  }
  cases.push({
    kernel: "binStatistics",
    name: `${iname}, meanclip cells`,
    run: (b, a) => b.binStatistics(place(b, img, a), Math.min(3, img.width), Math.min(2, img.height), "meanclip"),
    compare: (r, g) => {
      const x = r as { values: Float64Array };
      const y = g as { values: Float64Array };
      for (let i = 0; i < x.values.length; i++)
        if (!(Object.is(x.values[i], y.values[i]) || Math.abs(x.values[i]! - y.values[i]!) <= 1e-9 * Math.abs(x.values[i]!)))
          return `cell ${i}: ${x.values[i]} vs ${y.values[i]}`;
      return null;
    },
  });
}

// Large regions (> 65536 pixels: the wasm backend's histogram quantiles), with outliers and NaN.
for (const [iname, img] of [
  ["300x250 with stars", synth(300, 250, { seed: 21, nanFraction: 0.01 })],
  [
    "260x260 constant plus one outlier",
    (() => {
      const p = synth(260, 260, { seed: 22, nanFraction: 0, maskFraction: 0 });
      p.image.fill(5);
      p.image[777] = 1e6;
      return p;
    })(),
  ],
] as const) {
  for (const ctrl of [{}, { andMask: 0b11, numSigmaClip: 2.5, numIter: 4 }]) {
    cases.push({
      kernel: "statistics",
      name: `${iname}, ${JSON.stringify(ctrl)}`,
      run: (b, a) => b.statistics(place(b, img, a), undefined, ctrl),
      compare: statsDiff,
    });
  }
}

// Stacking.
const stackImgs = (w: number, h: number, n: number, stride?: number): Planes[] =>
  Array.from({ length: n }, (_, i) =>
    synth(w, h, { seed: 100 + i, nanFraction: 0.05, maskFraction: 0.1, ...(stride ? { stride } : {}) }),
  );
const stackDiff = (r: unknown, g: unknown): string | null => {
  const d = pd(r, g);
  if (d) return d;
  const a = r as StackResult;
  const b = g as StackResult;
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) if (a.count[y * a.stride + x] !== b.count[y * b.stride + x]) return `count(${x},${y})`;
  return null;
};
for (const [sname, imgs] of [
  ["10 x 37x23", stackImgs(37, 23, 10)],
  ["1 x 5x4", stackImgs(5, 4, 1)],
  ["4 x 1x1", stackImgs(1, 1, 4)],
  ["6 x 20x3 stride 25", stackImgs(20, 3, 6, 25)],
] as const) {
  for (const statistic of ["mean", "median", "meanclip"] as const) {
    cases.push({
      kernel: "stack",
      name: `${sname}, ${statistic}`,
      run: (b, a) =>
        b.stack(
          imgs.map((p) => place(b, p, a)),
          { statistic, andMask: 0b11, maskPropagationThresholds: { 0: 0.3, 1: 0.0 } },
        ),
      compare: stackDiff,
      planes: (r) => r as Planes,
    });
    cases.push({
      kernel: "stack",
      name: `${sname}, ${statistic}, weighted`,
      run: (b, a) =>
        b.stack(
          imgs.map((p) => place(b, p, a)),
          { statistic, weights: imgs.map((_, i) => 1 + i), numSigmaClip: 1.5 },
        ),
      compare: stackDiff,
    });
  }
}

// Detection.
const fpDiff = (r: unknown, g: unknown): string | null => {
  const a = r as Footprint[];
  const b = g as Footprint[];
  if (a.length !== b.length) return `${b.length} footprints, oracle ${a.length}`;
  for (let i = 0; i < a.length; i++) {
    if (JSON.stringify({ ...a[i], spans: [...a[i]!.spans] }) !== JSON.stringify({ ...b[i], spans: [...b[i]!.spans] }))
      return `footprint ${i} differs`;
  }
  return null;
};
for (const [iname, img] of IMAGES) {
  for (const [oname, opts] of [
    ["threshold 11", { threshold: 11 }],
    ["negative 8, npixMin 2", { threshold: -8, polarity: "negative", npixMin: 2 }],
    ["andMask, includeMultiplier 1.5", { threshold: 12, andMask: 0b11, includeMultiplier: 1.5 }],
    ["threshold above everything", { threshold: 1e9 }],
  ] as const) {
    cases.push({
      kernel: "detect",
      name: `${iname}, ${oname}`,
      run: (b, a) => b.detect(place(b, img, a), opts),
      compare: fpDiff,
    });
  }
}

// Elementwise, histogram and background fits.
for (const [iname, img] of IMAGES) {
  const other = synth(img.width, img.height, { seed: 77, stride: img.stride, mask: !!img.mask, variance: !!img.variance });
  for (const op of ["add", "sub", "mul", "div"] as const)
    cases.push({
      kernel: "arith",
      name: `${iname}, ${op}`,
      run: (b, a) => b.arith(place(b, img, a), place(b, other, a), op),
      compare: pd,
    });
  cases.push({
    kernel: "scale",
    name: `${iname}, x -2.5`,
    run: (b, a) => b.scale(place(b, img, a), -2.5),
    compare: pd,
    planes: (r) => r as Planes,
  });
  cases.push({ kernel: "clip", name: `${iname}, [9, 11]`, run: (b, a) => b.clip(place(b, img, a), 9, 11), compare: pd });
  cases.push({
    kernel: "histogram",
    name: `${iname}, 16 bins`,
    run: (b, a) => b.histogram(place(b, img, a), { nbins: 16, min: 5, max: 15, andMask: 1 }),
    compare: (r, g) =>
      JSON.stringify([...(r as Uint32Array)]) === JSON.stringify([...(g as Uint32Array)]) ? null : "histogram differs",
  });
}
const cheb = {
  orderX: 2,
  orderY: 1,
  coeffs: Float64Array.from([1, 0.5, -0.25, 0.1, 0.2, 0.05]),
  xmin: -0.5,
  xmax: 30.5,
  ymin: -0.5,
  ymax: 20.5,
};
cases.push({
  kernel: "chebyshevEval",
  name: "order (2,1) on 31x21",
  run: (b) => b.chebyshevEval(cheb, 31, 21),
  compare: (r, g) =>
    planesDiff(
      { width: 31, height: 21, stride: 31, image: r as Float32Array },
      { width: 31, height: 21, stride: 31, image: g as Float32Array },
      FLOAT_TOL,
    ),
});
cases.push({
  kernel: "chebyshevFit",
  name: "recovers an order (2,1) polynomial",
  run: async (b) => {
    const xs: number[] = [];
    const ys: number[] = [];
    const vs: number[] = [];
    const img = await oracle.chebyshevEval(cheb, 31, 21);
    for (let y = 0; y < 21; y += 4)
      for (let x = 0; x < 31; x += 5) {
        xs.push(x);
        ys.push(y);
        vs.push(img[y * 31 + x]!);
      }
    return (await b.chebyshevFit(xs, ys, vs, null, 2, 1, cheb)).coeffs;
  },
  compare: (r, g) =>
    (g as Float64Array).every((v, i) => Math.abs(v - (r as Float64Array)[i]!) < 1e-9) ? null : "coefficients differ",
});
cases.push({
  kernel: "interpolateGrid",
  name: "6x5 cells with a NaN cell to 60x50",
  run: async (b) => {
    const values = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i) * 3 + i * 0.1);
    values[7] = Number.NaN;
    return b.interpolateGrid(
      {
        nx: 6,
        ny: 5,
        values,
        variances: new Float64Array(30).fill(1),
        centreX: Float64Array.from({ length: 6 }, (_, i) => 4.5 + 10 * i),
        centreY: Float64Array.from({ length: 5 }, (_, i) => 4.5 + 10 * i),
      },
      60,
      50,
    );
  },
  compare: (r, g) =>
    planesDiff(
      { width: 60, height: 50, stride: 60, image: r as Float32Array },
      { width: 60, height: 50, stride: 60, image: g as Float32Array },
      FLOAT_TOL,
    ),
});

/** Runs every case of `backend` against the oracle; returns failures per kernel. */
export async function runCases(backend: Backend, filter?: (c: Case) => boolean): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [k, c] of cases.entries()) {
    if (filter && !filter(c)) continue;
    const list = out.get(c.kernel) ?? [];
    out.set(c.kernel, list);
    const ref = await c.run(oracle, false);
    const inArena = k % 2 === 0;
    let got: unknown;
    try {
      got = await c.run(backend, inArena);
    } catch (e) {
      list.push(`${c.name}: threw ${String(e)}`);
      continue;
    }
    const d = c.compare(ref, got);
    if (d) list.push(`${c.name}${inArena ? " (arena input)" : ""}: ${d}`);
  }
  return out;
}
