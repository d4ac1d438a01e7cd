/**
 * Reference statistics: exactly the afw algorithm of lsst-anatomy.md 1.7. Pixels are used when
 * (mask & andMask) == 0 and (nanSafe) the value is finite. Quartiles interpolate linearly at
 * f(n-1). MEANCLIP: numIter passes over all used pixels; pass 0 keeps |x - median| <=
 * k * 0.741301109252802 * IQR, later passes |x - mean| <= k * sqrt(var) of the previous pass;
 * mean/variance unbiased (weighted form when weights are given). No early stop.
 */
import type { StatsControl, StatsRegion, StatsResult } from "../api.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";

/** IQR to sigma for a Gaussian: 1 / (2 * 0.674489750196082). */
export const IQR_TO_SIGMA = 0.741301109252802;

/** Element indices selected by a region (box or explicit list). */
export function regionIndices(src: Planes, region: StatsRegion | undefined): Int32Array {
  if (region?.indices) {
    const n = (src.height - 1) * src.stride + src.width;
    for (const i of region.indices)
      if (i < 0 || i >= n) throw new KernelError("region.indices", `index ${i} is outside the image (0..${n - 1})`);
    return region.indices;
  }
  const b = region?.box ?? { x0: 0, y0: 0, width: src.width, height: src.height };
  if (b.x0 < 0 || b.y0 < 0 || b.width < 0 || b.height < 0 || b.x0 + b.width > src.width || b.y0 + b.height > src.height) {
    throw new KernelError(
      "region.box",
      `(${b.x0},${b.y0}) ${b.width}x${b.height} is not inside the ${src.width}x${src.height} image`,
    );
  }
  const idx = new Int32Array(b.width * b.height);
  let k = 0;
  for (let y = b.y0; y < b.y0 + b.height; y++) for (let x = b.x0; x < b.x0 + b.width; x++) idx[k++] = y * src.stride + x;
  return idx;
}

/** Value at fractional rank f(n-1) of a sorted array, linear interpolation. */
export function quantileSorted(sorted: ArrayLike<number>, f: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = f * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  return a + (pos - lo) * (sorted[hi]! - a);
}

/** Weighted mean and unbiased variance of values[0..n) with optional weights, keeping |x-c| <= hw. */
export function meanVar(
  values: Float64Array,
  weights: Float64Array | null,
  n: number,
  centre: number,
  halfWidth: number,
): { mean: number; variance: number; kept: number; sw: number; sw2: number } {
  let sw = 0;
  let swx = 0;
  let sw2 = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!(Math.abs(x - centre) <= halfWidth)) continue;
    const w = weights ? weights[i]! : 1;
    sw += w;
    swx += w * x;
    sw2 += w * w;
    kept++;
  }
  const mean = kept > 0 ? swx / sw : Number.NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!(Math.abs(x - centre) <= halfWidth)) continue;
    const w = weights ? weights[i]! : 1;
    ss += w * (x - mean) * (x - mean);
  }
  const denom = sw * sw - sw2;
  const variance = kept > 1 && denom > 0 ? (ss / sw) * ((sw * sw) / denom) : Number.NaN;
  return { mean, variance, kept, sw, sw2 };
}

/**
 * Clipped mean/variance passes (lsst-anatomy 1.7) over values whose median and IQR are given;
 * also returns the centre and half-width of the last pass (which decided `kept`).
 */
export function clipPasses(
  values: Float64Array,
  weights: Float64Array | null,
  n: number,
  median: number,
  iqr: number,
  k: number,
  numIter: number,
): { mean: number; variance: number; kept: number; centre: number; halfWidth: number } {
  let centre = median;
  let hw = k * IQR_TO_SIGMA * iqr;
  let r = { mean: Number.NaN, variance: Number.NaN, kept: 0, centre, halfWidth: hw };
  for (let it = 0; it < numIter; it++) {
    const m = meanVar(values, weights, n, centre, hw);
    r = { mean: m.mean, variance: m.variance, kept: m.kept, centre, halfWidth: hw };
    centre = m.mean;
    hw = k * Math.sqrt(m.variance);
  }
  return r;
}

/** Statistics of `src` over `region` (reference implementation). */
export function statisticsTs(src: Planes, region?: StatsRegion, ctrl: StatsControl = {}): StatsResult {
  checkPlanes(src, "src");
  const andMask = ctrl.andMask ?? 0;
  const k = ctrl.numSigmaClip ?? 3;
  const numIter = ctrl.numIter ?? 3;
  const nanSafe = ctrl.nanSafe ?? true;
  if (!(k > 0)) throw new KernelError("numSigmaClip", `must be > 0, got ${k}`);
  if (!Number.isInteger(numIter) || numIter < 1) throw new KernelError("numIter", `must be a positive integer, got ${numIter}`);
  const idx = regionIndices(src, region);
  const wts = region?.weights;
  if (wts && wts.length < (src.height - 1) * src.stride + src.width)
    throw new KernelError("region.weights", "is shorter than the image");
  const values = new Float64Array(idx.length);
  const weights = wts ? new Float64Array(idx.length) : null;
  let n = 0;
  let nMasked = 0;
  let nNonFinite = 0;
  let orMask = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const i of idx) {
    const m = src.mask ? src.mask[i]! : 0;
    if ((m & andMask) !== 0) {
      nMasked++;
      continue;
    }
    const v = src.image[i]!;
    if (nanSafe && !Number.isFinite(v)) {
      nNonFinite++;
      continue;
    }
    values[n] = v;
    if (weights) weights[n] = wts![i]!;
    n++;
    orMask |= m;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const all = meanVar(values, weights, n, 0, Number.POSITIVE_INFINITY);
  const sorted = values.slice(0, n).sort();
  const median = quantileSorted(sorted, 0.5);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const clip = clipPasses(values, weights, n, median, iqr, k, numIter);
  return {
    npoint: n,
    nMasked,
    nNonFinite,
    sum,
    mean: all.mean,
    variance: all.variance,
    stdev: Math.sqrt(all.variance),
    meanErr: Math.sqrt((all.variance * all.sw2) / (all.sw * all.sw)),
    meanSquare: ((n - 1) / n) * all.variance + all.mean * all.mean,
    min: n > 0 ? min : Number.NaN,
    max: n > 0 ? max : Number.NaN,
    median,
    q1,
    q3,
    iqr,
    meanClip: clip.mean,
    varianceClip: clip.variance,
    stdevClip: Math.sqrt(clip.variance),
    nClipped: n - clip.kept,
    orMask,
  };
}
