/** Reference elementwise kernels with afw MaskedImage variance/mask rules. */
import type { BinaryOp, HistogramOptions } from "../api.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";
import { outPlanes } from "./common.js";

type Alloc = (w: number, h: number, p: { mask: boolean; variance: boolean }) => Planes;

/** a op b: add/sub add variances; mul: b²va + a²vb; div: (va b² + vb a²)/b⁴; masks OR. */
export function arithTs(a: Planes, b: Planes, op: BinaryOp, out?: Planes, alloc?: Alloc): Planes {
  checkPlanes(a, "a");
  checkPlanes(b, "b");
  if (a.width !== b.width || a.height !== b.height)
    throw new KernelError("b", `is ${b.width}x${b.height}, expected ${a.width}x${a.height}`);
  if (op !== "add" && op !== "sub" && op !== "mul" && op !== "div")
    throw new KernelError("op", `unknown operation "${String(op)}"`);
  const hasVar = !!(a.variance && b.variance);
  const o = outPlanes(out, a.width, a.height, !!(a.mask || b.mask), hasVar, alloc);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const ia = y * a.stride + x;
      const ib = y * b.stride + x;
      const oi = y * o.stride + x;
      const av = a.image[ia]!;
      const bv = b.image[ib]!;
      let r: number;
      let v = 0;
      const va = hasVar ? a.variance![ia]! : 0;
      const vb = hasVar ? b.variance![ib]! : 0;
      if (op === "add") {
        r = av + bv;
        v = va + vb;
      } else if (op === "sub") {
        r = av - bv;
        v = va + vb;
      } else if (op === "mul") {
        r = av * bv;
        v = bv * bv * va + av * av * vb;
      } else {
        r = av / bv;
        v = (va * bv * bv + vb * av * av) / (bv * bv * bv * bv);
      }
      o.image[oi] = r;
      if (o.variance && hasVar) o.variance[oi] = v;
      if (o.mask) o.mask[oi] = (a.mask ? a.mask[ia]! : 0) | (b.mask ? b.mask[ib]! : 0);
    }
  }
  return o;
}

/** a * c; variance * c²; mask copied. */
export function scaleTs(a: Planes, c: number, out?: Planes, alloc?: Alloc): Planes {
  checkPlanes(a, "a");
  const o = outPlanes(out, a.width, a.height, !!a.mask, !!a.variance, alloc);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * a.stride + x;
      const oi = y * o.stride + x;
      o.image[oi] = a.image[i]! * c;
      if (a.variance && o.variance) o.variance[oi] = a.variance[i]! * c * c;
      if (a.mask && o.mask) o.mask[oi] = a.mask[i]!;
    }
  }
  return o;
}

/** Clamps image values into [lo, hi]; NaN stays NaN; variance and mask copied. */
export function clipTs(a: Planes, lo: number, hi: number, out?: Planes, alloc?: Alloc): Planes {
  checkPlanes(a, "a");
  if (!(lo <= hi)) throw new KernelError("lo/hi", `need lo <= hi, got ${lo}, ${hi}`);
  const o = outPlanes(out, a.width, a.height, !!a.mask, !!a.variance, alloc);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * a.stride + x;
      const oi = y * o.stride + x;
      const v = a.image[i]!;
      o.image[oi] = Number.isNaN(v) ? v : Math.min(hi, Math.max(lo, v));
      if (a.variance && o.variance) o.variance[oi] = a.variance[i]!;
      if (a.mask && o.mask) o.mask[oi] = a.mask[i]!;
    }
  }
  return o;
}

/** Histogram of finite, unmasked values in nbins equal bins over [min, max]. */
export function histogramTs(a: Planes, opts: HistogramOptions): Uint32Array {
  checkPlanes(a, "a");
  const { nbins, min, max } = opts;
  if (!Number.isInteger(nbins) || nbins < 1) throw new KernelError("nbins", `must be a positive integer, got ${nbins}`);
  if (!(max > min)) throw new KernelError("max", `must be > min (${min}), got ${max}`);
  const andMask = opts.andMask ?? 0;
  const h = new Uint32Array(nbins);
  const scale = nbins / (max - min);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * a.stride + x;
      const v = a.image[i]!;
      if (!(v >= min && v <= max)) continue;
      if (a.mask && (a.mask[i]! & andMask) !== 0) continue;
      h[Math.min(nbins - 1, Math.floor((v - min) * scale))]!++;
    }
  }
  return h;
}
