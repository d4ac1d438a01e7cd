/** Helpers shared by the reference kernels. */
import type { Planes } from "../types.js";
import { KernelError, makePlanes } from "../types.js";

/** Returns `out` after checking its size, or fresh planes shaped like the request. */
export function outPlanes(
  out: Planes | undefined,
  width: number,
  height: number,
  mask: boolean,
  variance: boolean,
  alloc?: (w: number, h: number, p: { mask: boolean; variance: boolean }) => Planes,
): Planes {
  if (out) {
    if (out.width !== width || out.height !== height)
      throw new KernelError("out", `is ${out.width}x${out.height}, expected ${width}x${height}`);
    if (mask && !out.mask) throw new KernelError("out.mask", "is missing but the input has a mask");
    if (variance && !out.variance) throw new KernelError("out.variance", "is missing but the input has a variance");
    return out;
  }
  return alloc ? alloc(width, height, { mask, variance }) : makePlanes(width, height, mask, variance);
}

/** Kernel values as a Float64Array, optionally normalised to unit sum. */
export function kernelArray(k: ArrayLike<number>, normalize: boolean, field: string): Float64Array {
  if (k.length < 1) throw new KernelError(field, "kernel is empty");
  const a = Float64Array.from(k as ArrayLike<number>);
  for (const v of a) if (!Number.isFinite(v)) throw new KernelError(field, "kernel has a non-finite value");
  if (normalize) {
    let s = 0;
    for (const v of a) s += v;
    if (s === 0) throw new KernelError(field, "kernel sums to 0 and cannot be normalised");
    for (let i = 0; i < a.length; i++) a[i]! /= s;
  }
  return a;
}

/** A normalised 1-D Gaussian of standard deviation `sigma` pixels over [-radius, radius] (default ceil(3.5 sigma)). */
export function gaussianKernel1d(sigma: number, radius?: number): Float64Array {
  if (!(sigma > 0)) throw new KernelError("sigma", `must be > 0, got ${sigma}`);
  const r = radius ?? Math.ceil(3.5 * sigma);
  if (!Number.isInteger(r) || r < 0) throw new KernelError("radius", `must be a non-negative integer, got ${r}`);
  const k = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp((-i * i) / (2 * sigma * sigma));
    k[i + r] = v;
    s += v;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  return k;
}

/** Fills the border (outside the good box [gx0,gx1) x [gy0,gy1)) per the afw edge policy. */
export function fillBorder(src: Planes, out: Planes, gx0: number, gx1: number, gy0: number, gy1: number, copy: boolean): void {
  const { width: W, height: H } = src;
  const NO_DATA = 1 << 8;
  const EDGE = 1 << 4;
  const put = (x: number, y: number): void => {
    const o = y * out.stride + x;
    const i = y * src.stride + x;
    if (copy) {
      out.image[o] = src.image[i]!;
      if (out.variance) out.variance[o] = src.variance ? src.variance[i]! : 0;
      if (out.mask) out.mask[o] = (src.mask ? src.mask[i]! : 0) | EDGE;
    } else {
      out.image[o] = Number.NaN;
      if (out.variance) out.variance[o] = Number.POSITIVE_INFINITY;
      if (out.mask) out.mask[o] = NO_DATA;
    }
  };
  const x0 = Math.min(Math.max(gx0, 0), W);
  const x1 = Math.min(Math.max(gx1, x0), W);
  for (let y = 0; y < H; y++) {
    if (y >= gy0 && y < gy1 && x1 > x0) {
      for (let x = 0; x < x0; x++) put(x, y);
      for (let x = x1; x < W; x++) put(x, y);
    } else {
      for (let x = 0; x < W; x++) put(x, y);
    }
  }
}
