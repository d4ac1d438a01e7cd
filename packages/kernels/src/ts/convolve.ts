/**
 * Reference convolution (afw BasicConvolve semantics): correlation without kernel flip, kernel
 * centre ((w-1)>>1, (h-1)>>1), variance convolved with the squared kernel, mask OR-smeared over
 * taps with non-zero weight, border per EdgePolicy. NaN propagates through every tap of the
 * kernel box (nothing becomes 0); computed pixels that are NaN get NO_DATA.
 */
import type { ConvolveOptions, Kernel2D } from "../api.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";
import { fillBorder, kernelArray, outPlanes } from "./common.js";

type Alloc = (w: number, h: number, p: { mask: boolean; variance: boolean }) => Planes;
const NO_DATA = 1 << 8;

/** Separable convolution: rows with kx then columns with ky (f64 accumulation). */
export function convolveSeparableTs(
  src: Planes,
  kxIn: ArrayLike<number>,
  kyIn: ArrayLike<number>,
  opts: ConvolveOptions = {},
  out?: Planes,
  alloc?: Alloc,
): Planes {
  checkPlanes(src, "src");
  const normalize = opts.normalize ?? true;
  const kx = kernelArray(kxIn, normalize, "kx");
  const ky = kernelArray(kyIn, normalize, "ky");
  const { width: W, height: H, stride: S } = src;
  const o = outPlanes(out, W, H, !!src.mask, !!src.variance, alloc);
  const cx = (kx.length - 1) >> 1;
  const cy = (ky.length - 1) >> 1;
  const gx0 = cx;
  const gx1 = W - (kx.length - 1 - cx);
  const gy0 = cy;
  const gy1 = H - (ky.length - 1 - cy);
  if (gx1 > gx0 && gy1 > gy0) {
    const gw = gx1 - gx0;
    const pass = (inp: Float32Array, dst: Float32Array, wx: Float64Array, wy: Float64Array): void => {
      const tmp = new Float64Array(gw * H);
      for (let y = 0; y < H; y++) {
        for (let x = gx0; x < gx1; x++) {
          let s = 0;
          const base = y * S + x - cx;
          for (let i = 0; i < wx.length; i++) s += wx[i]! * inp[base + i]!;
          tmp[y * gw + x - gx0] = s;
        }
      }
      for (let y = gy0; y < gy1; y++) {
        for (let x = 0; x < gw; x++) {
          let s = 0;
          for (let j = 0; j < wy.length; j++) s += wy[j]! * tmp[(y - cy + j) * gw + x]!;
          dst[y * o.stride + x + gx0] = s;
        }
      }
    };
    pass(src.image, o.image, kx, ky);
    if (src.variance && o.variance)
      pass(
        src.variance,
        o.variance,
        kx.map((v) => v * v),
        ky.map((v) => v * v),
      );
    if (o.mask) {
      const m = src.mask;
      for (let y = gy0; y < gy1; y++) {
        for (let x = gx0; x < gx1; x++) {
          let bits = 0;
          if (m) {
            for (let j = 0; j < ky.length; j++) {
              if (ky[j] === 0) continue;
              const row = (y - cy + j) * S + x - cx;
              for (let i = 0; i < kx.length; i++) if (kx[i] !== 0) bits |= m[row + i]!;
            }
          }
          const oi = y * o.stride + x;
          if (Number.isNaN(o.image[oi]!)) bits |= NO_DATA;
          o.mask[oi] = bits;
        }
      }
    }
  }
  fillBorder(src, o, gx0, Math.max(gx0, gx1), gy0, Math.max(gy0, gy1), opts.edge === "copy");
  return o;
}

/** General 2-D convolution (correlation) with a kernel image (f64 accumulation). */
export function convolve2dTs(src: Planes, kernel: Kernel2D, opts: ConvolveOptions = {}, out?: Planes, alloc?: Alloc): Planes {
  checkPlanes(src, "src");
  const { width: kw, height: kh } = kernel;
  if (!Number.isInteger(kw) || kw < 1 || !Number.isInteger(kh) || kh < 1 || kernel.data.length !== kw * kh) {
    throw new KernelError("kernel", `must be width x height values, got ${kw}x${kh} with ${kernel.data.length}`);
  }
  const k = kernelArray(kernel.data, opts.normalize ?? true, "kernel");
  const { width: W, height: H, stride: S } = src;
  const o = outPlanes(out, W, H, !!src.mask, !!src.variance, alloc);
  const cx = (kw - 1) >> 1;
  const cy = (kh - 1) >> 1;
  const gx0 = cx;
  const gx1 = W - (kw - 1 - cx);
  const gy0 = cy;
  const gy1 = H - (kh - 1 - cy);
  for (let y = gy0; y < gy1; y++) {
    for (let x = gx0; x < gx1; x++) {
      let s = 0;
      let v = 0;
      let bits = 0;
      for (let j = 0; j < kh; j++) {
        const row = (y - cy + j) * S + x - cx;
        for (let i = 0; i < kw; i++) {
          const w = k[j * kw + i]!;
          s += w * src.image[row + i]!;
          if (src.variance) v += w * w * src.variance[row + i]!;
          if (src.mask && w !== 0) bits |= src.mask[row + i]!;
        }
      }
      const oi = y * o.stride + x;
      o.image[oi] = s;
      if (o.variance) o.variance[oi] = v;
      if (o.mask) o.mask[oi] = Number.isNaN(o.image[oi]!) ? bits | NO_DATA : bits;
    }
  }
  fillBorder(src, o, gx0, Math.max(gx0, gx1), gy0, Math.max(gy0, gy1), opts.edge === "copy");
  return o;
}
