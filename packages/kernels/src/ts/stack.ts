/**
 * Reference stacking of N aligned images of identical geometry, pixel by pixel. An input pixel is
 * rejected when non-finite or (mask & andMask) != 0. "mean": Σw x / Σw with variance Σw² var /
 * (Σw)²; "median": unweighted median (linear interpolation) with variance (π/2) Σ var / n²;
 * "meanclip": the clipping of lsst-anatomy 1.7 on the N values (weighted), variance as for the
 * mean over the kept inputs. Output mask: OR of used inputs, plus bits of rejected inputs whose
 * weight fraction exceeds maskPropagationThresholds[bit]. Pixels with no usable input: image NaN,
 * variance +inf, mask NO_DATA, count 0. Memory is O(N) per pixel: stream by passing row bands
 * (see `rowBand`).
 */
import type { StackOptions, StackResult } from "../api.js";
import { checkPlanes, KernelError, makePlanes, type Planes } from "../types.js";
import { clipPasses, quantileSorted } from "./statistics.js";

const NO_DATA = 1 << 8;

/** Validates stack inputs and options; returns the resolved weights. */
export function checkStack(inputs: Planes[], opts: StackOptions): Float64Array {
  if (inputs.length === 0) throw new KernelError("inputs", "stack needs at least one image");
  const a = inputs[0]!;
  inputs.forEach((p, i) => {
    checkPlanes(p, `inputs[${i}]`);
    if (p.width !== a.width || p.height !== a.height)
      throw new KernelError(`inputs[${i}]`, `is ${p.width}x${p.height}, expected ${a.width}x${a.height}`);
  });
  const w = opts.weights ? Float64Array.from(opts.weights) : new Float64Array(inputs.length).fill(1);
  if (w.length !== inputs.length) throw new KernelError("weights", `has ${w.length} values for ${inputs.length} inputs`);
  for (const v of w) if (!(v > 0) || !Number.isFinite(v)) throw new KernelError("weights", `must be finite and > 0, got ${v}`);
  const st = opts.statistic ?? "mean";
  if (st !== "mean" && st !== "median" && st !== "meanclip")
    throw new KernelError("statistic", `unknown stack statistic "${st}"`);
  return w;
}

/** Makes the output of a stack (or checks a given one). */
export function stackOut(
  inputs: Planes[],
  out: StackResult | undefined,
  alloc?: (w: number, h: number, p: { mask: boolean; variance: boolean }) => Planes,
): StackResult {
  const a = inputs[0]!;
  const hasMask = inputs.every((p) => p.mask);
  const hasVar = inputs.every((p) => p.variance);
  if (out) {
    if (out.width !== a.width || out.height !== a.height)
      throw new KernelError("out", `is ${out.width}x${out.height}, expected ${a.width}x${a.height}`);
    return out;
  }
  const p = alloc
    ? alloc(a.width, a.height, { mask: hasMask, variance: hasVar })
    : makePlanes(a.width, a.height, hasMask, hasVar);
  return { ...p, count: new Int32Array((p.height - 1) * p.stride + p.width) };
}

/** Returns planes viewing rows [y0, y1) of `p` without copying (for streaming by row bands). */
export function rowBand(p: Planes, y0: number, y1: number): Planes {
  if (!(y0 >= 0 && y1 <= p.height && y1 > y0)) throw new KernelError("rows", `[${y0}, ${y1}) is not inside 0..${p.height}`);
  const a = y0 * p.stride;
  const b = (y1 - 1) * p.stride + p.width;
  return {
    width: p.width,
    height: y1 - y0,
    stride: p.stride,
    image: p.image.subarray(a, b),
    mask: p.mask?.subarray(a, b),
    variance: p.variance?.subarray(a, b),
  };
}

/** Stacks `inputs` (reference implementation). */
export function stackTs(
  inputs: Planes[],
  opts: StackOptions = {},
  out?: StackResult,
  alloc?: (w: number, h: number, p: { mask: boolean; variance: boolean }) => Planes,
): StackResult {
  const w = checkStack(inputs, opts);
  const o = stackOut(inputs, out, alloc);
  const N = inputs.length;
  const st = opts.statistic ?? "mean";
  const andMask = opts.andMask ?? 0;
  const k = opts.numSigmaClip ?? 3;
  const numIter = opts.numIter ?? 3;
  const thresholds = Object.entries(opts.maskPropagationThresholds ?? {}).map(([b, t]) => [1 << Number(b), t] as const);
  const useVar = !!o.variance && inputs.every((p) => p.variance);
  const vals = new Float64Array(N);
  const vars = new Float64Array(N);
  const ws = new Float64Array(N);
  let wAll = 0;
  for (const x of w) wAll += x;
  const { width: W, height: H } = o;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let n = 0;
      let orBits = 0;
      let rejBitsAny = 0;
      for (let i = 0; i < N; i++) {
        const p = inputs[i]!;
        const ii = y * p.stride + x;
        const v = p.image[ii]!;
        const m = p.mask ? p.mask[ii]! : 0;
        if (!Number.isFinite(v) || (m & andMask) !== 0) {
          rejBitsAny |= m;
          continue;
        }
        orBits |= m;
        vals[n] = v;
        vars[n] = useVar ? p.variance![ii]! : 0;
        ws[n] = w[i]!;
        n++;
      }
      let bits = orBits;
      if (rejBitsAny !== 0) {
        for (const [bit, t] of thresholds) {
          if ((rejBitsAny & bit) === 0) continue;
          let wr = 0;
          for (let i = 0; i < N; i++) {
            const p = inputs[i]!;
            const ii = y * p.stride + x;
            const v = p.image[ii]!;
            const m = p.mask ? p.mask[ii]! : 0;
            if ((!Number.isFinite(v) || (m & andMask) !== 0) && (m & bit) !== 0) wr += w[i]!;
          }
          if (wr / wAll > t) bits |= bit;
        }
      }
      const oi = y * o.stride + x;
      let value = Number.NaN;
      let variance = Number.POSITIVE_INFINITY;
      let count = 0;
      if (n > 0) {
        if (st === "median") {
          const s = vals.slice(0, n).sort();
          value = quantileSorted(s, 0.5);
          let sv = 0;
          for (let i = 0; i < n; i++) sv += vars[i]!;
          variance = ((Math.PI / 2) * sv) / (n * n);
          count = n;
        } else {
          let keep: (x: number) => boolean = () => true;
          if (st === "meanclip") {
            const s = vals.slice(0, n).sort();
            const med = quantileSorted(s, 0.5);
            const iqr = quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
            const r = clipPasses(vals, ws, n, med, iqr, k, numIter);
            const centre = r.centre;
            const hw = r.halfWidth;
            keep = (v) => Math.abs(v - centre) <= hw;
          }
          let sw = 0;
          let swx = 0;
          let sw2v = 0;
          for (let i = 0; i < n; i++) {
            if (!keep(vals[i]!)) continue;
            sw += ws[i]!;
            swx += ws[i]! * vals[i]!;
            sw2v += ws[i]! * ws[i]! * vars[i]!;
            count++;
          }
          if (count > 0) {
            value = swx / sw;
            variance = sw2v / (sw * sw);
          }
        }
      }
      if (count === 0) bits |= NO_DATA;
      o.image[oi] = value;
      if (o.variance) o.variance[oi] = useVar ? variance : Number.NaN;
      if (o.mask) o.mask[oi] = bits;
      o.count[oi] = count;
    }
  }
  return o;
}
