/**
 * Reference resampling. Each destination pixel takes the source value at (sx, sy) interpolated
 * with a separable kernel whose per-axis weights sum to 1 (Lanczos from the normalised phase table
 * of lanczos.ts). On a pixel centre only the centre tap is used; every used tap must
 * lie inside the source, otherwise the pixel is an edge pixel (image NaN, variance +inf, mask
 * NO_DATA), as afw does for warps. NaN in a used tap propagates (and sets NO_DATA). Variance =
 * Σ w² var. Mask: EDGE ORed over every used tap, other bits over the taps of the bilinear kernel at
 * the same position.
 */
import type { ResampleGrid, ResampleKernel, ResampleOptions } from "../api.js";
import { lanczosPhaseTable, lanczosPhaseWeights } from "../lanczos.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";
import { outPlanes } from "./common.js";

type Alloc = (w: number, h: number, p: { mask: boolean; variance: boolean }) => Planes;
const NO_DATA = 1 << 8;
const EDGE = 1 << 4;

/** Half-width (taps per side) of a resampling kernel. */
export function kernelHalfWidth(k: ResampleKernel): number {
  switch (k) {
    case "lanczos3":
      return 3;
    case "lanczos4":
      return 4;
    case "lanczos5":
      return 5;
    case "bilinear":
      return 1;
    case "nearest":
      return 0;
  }
}

/** Per-axis taps: first index and normalised weights; returns false when some used tap is outside [0, n). */
export function axisWeights(
  kernel: ResampleKernel,
  s: number,
  n: number,
  w: Float64Array,
  out: { first: number; count: number },
): boolean {
  if (kernel === "nearest") {
    const i = Math.floor(s + 0.5);
    w[0] = 1;
    out.first = i;
    out.count = 1;
    return i >= 0 && i < n;
  }
  const base = Math.floor(s);
  let first: number;
  let count: number;
  if (kernel === "bilinear") {
    const f = Math.fround(s - base);
    w[0] = Math.fround(1 - f);
    w[1] = f;
    first = base;
    count = 2;
  } else {
    const N = kernelHalfWidth(kernel);
    const f = Math.fround(s - base);
    if (f === 0) {
      // On a pixel centre only the centre tap has weight.
      w[0] = 1;
      out.first = base;
      out.count = 1;
      return base >= 0 && base < n;
    }
    lanczosPhaseWeights(lanczosPhaseTable(N), N, f, w);
    first = base - N + 1;
    count = 2 * N;
    out.first = first;
    out.count = count;
    return first >= 0 && first + count <= n;
  }
  // Bilinear: drop a zero-weight tap (on a pixel centre).
  if (w[1] === 0) count = 1;
  out.first = first;
  out.count = count;
  return first >= 0 && first + count <= n;
}

/** Source position of destination pixel (x, y). */
export function gridPoint(g: ResampleGrid, x: number, y: number): [number, number] {
  if (g.kind === "affine") return [g.a * x + g.b * y + g.c, g.d * x + g.e * y + g.f];
  const i = y * g.width + x;
  return [g.x[i]!, g.y[i]!];
}

/** Local area ratio |det d(sx,sy)/d(x,y)| at destination pixel (x, y) (central differences on a coords grid). */
export function gridArea(g: ResampleGrid, x: number, y: number): number {
  if (g.kind === "affine") return Math.abs(g.a * g.e - g.b * g.d);
  const { width: W, height: H } = g;
  const xl = Math.max(0, x - 1);
  const xr = Math.min(W - 1, x + 1);
  const yl = Math.max(0, y - 1);
  const yr = Math.min(H - 1, y + 1);
  const dxs = xr - xl || 1;
  const dys = yr - yl || 1;
  const i = (yy: number, xx: number): number => yy * W + xx;
  const a = (g.x[i(y, xr)]! - g.x[i(y, xl)]!) / dxs;
  const d = (g.y[i(y, xr)]! - g.y[i(y, xl)]!) / dxs;
  const b = (g.x[i(yr, x)]! - g.x[i(yl, x)]!) / dys;
  const e = (g.y[i(yr, x)]! - g.y[i(yl, x)]!) / dys;
  return Math.abs(a * e - b * d);
}

/** Checks a grid's shape. */
export function checkGrid(g: ResampleGrid): void {
  if (!Number.isInteger(g.width) || g.width < 1 || !Number.isInteger(g.height) || g.height < 1)
    throw new KernelError("grid", `size must be positive integers, got ${g.width}x${g.height}`);
  if (g.kind === "coords" && (g.x.length !== g.width * g.height || g.y.length !== g.width * g.height)) {
    throw new KernelError("grid.x/y", `must have width*height = ${g.width * g.height} values`);
  }
}

/** Resamples `src` onto `grid`. */
export function resampleTs(src: Planes, grid: ResampleGrid, opts: ResampleOptions = {}, out?: Planes, alloc?: Alloc): Planes {
  checkPlanes(src, "src");
  checkGrid(grid);
  const kernel = opts.kernel ?? "lanczos3";
  if (kernelHalfWidth(kernel) === undefined) throw new KernelError("kernel", `unknown resampling kernel "${kernel}"`);
  const { width: W, height: H, stride: S } = src;
  const o = outPlanes(out, grid.width, grid.height, !!src.mask, !!src.variance, alloc);
  const wx = new Float64Array(10);
  const wy = new Float64Array(10);
  const bx = new Float64Array(2);
  const by = new Float64Array(2);
  const ax = { first: 0, count: 0 };
  const ay = { first: 0, count: 0 };
  const bax = { first: 0, count: 0 };
  const bay = { first: 0, count: 0 };
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      const oi = y * o.stride + x;
      const [sx, sy] = gridPoint(grid, x, y);
      const ok =
        Number.isFinite(sx) && Number.isFinite(sy) && axisWeights(kernel, sx, W, wx, ax) && axisWeights(kernel, sy, H, wy, ay);
      if (!ok) {
        o.image[oi] = Number.NaN;
        if (o.variance) o.variance[oi] = Number.POSITIVE_INFINITY;
        if (o.mask) o.mask[oi] = NO_DATA;
        continue;
      }
      let s = 0;
      let v = 0;
      let edge = 0;
      for (let j = 0; j < ay.count; j++) {
        const row = (ay.first + j) * S + ax.first;
        let rs = 0;
        let rv = 0;
        for (let i = 0; i < ax.count; i++) {
          rs += wx[i]! * src.image[row + i]!;
          if (src.variance) rv += wx[i]! * wx[i]! * src.variance[row + i]!;
          if (src.mask) edge |= src.mask[row + i]! & EDGE;
        }
        s += wy[j]! * rs;
        v += wy[j]! * wy[j]! * rv;
      }
      let area = 1;
      if (opts.conserveFlux) area = gridArea(grid, x, y);
      o.image[oi] = s * area;
      if (o.variance) o.variance[oi] = v * area * area;
      if (o.mask) {
        let bits = edge;
        if (src.mask) {
          axisWeights("bilinear", sx, W, bx, bax);
          axisWeights("bilinear", sy, H, by, bay);
          for (let j = 0; j < bay.count; j++) {
            const yy = bay.first + j;
            if (yy < 0 || yy >= H) continue;
            for (let i = 0; i < bax.count; i++) {
              const xx = bax.first + i;
              if (xx >= 0 && xx < W) bits |= src.mask[yy * S + xx]! & ~EDGE;
            }
          }
        }
        if (Number.isNaN(o.image[oi]!)) bits |= NO_DATA;
        o.mask[oi] = bits;
      }
    }
  }
  return o;
}
