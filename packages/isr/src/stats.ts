/** Small robust-statistics helpers on typed arrays (NaN is skipped everywhere). */

/** Median of the first `n` values of `a` (sorts `a` in place; NaN must not be present). Interpolated for even n. */
export function medianInPlace(a: Float64Array | Float32Array, n = a.length): number {
  if (n === 0) return Number.NaN;
  const s = a.subarray(0, n).sort();
  const h = n >> 1;
  return n % 2 ? (s[h] as number) : 0.5 * ((s[h - 1] as number) + (s[h] as number));
}

/** Quantile (0..1, linear interpolation) of a sorted array's first n values. */
export function quantileSorted(s: Float64Array | Float32Array, n: number, q: number): number {
  if (n === 0) return Number.NaN;
  const pos = q * (n - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? (s[i] as number) * (1 - f) + (s[i + 1] as number) * f : (s[i] as number);
}

/** IQR → Gaussian σ factor (1 / 1.34898). */
export const IQR_TO_SIGMA = 0.741301109252802;

/**
 * Clipped statistics of the first `n` values of `a` (sorted in place), afw MEANCLIP-style: start
 * at median ± nSigma·0.7413·IQR, then `nIter` passes of mean ± nSigma·σ.
 * @returns mean, σ (sample) and the number kept.
 */
export function clippedMean(
  a: Float64Array | Float32Array,
  n: number,
  nSigma = 3,
  nIter = 3,
): { mean: number; stdev: number; n: number } {
  if (n === 0) return { mean: Number.NaN, stdev: Number.NaN, n: 0 };
  const s = a.subarray(0, n).sort();
  let center = quantileSorted(s, n, 0.5);
  let sigma = IQR_TO_SIGMA * (quantileSorted(s, n, 0.75) - quantileSorted(s, n, 0.25));
  let mean = center;
  let sd = sigma;
  let kept = n;
  for (let it = 0; it < nIter; it++) {
    const lo = center - nSigma * sigma;
    const hi = center + nSigma * sigma;
    let sum = 0;
    let sum2 = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const v = s[i] as number;
      if (v >= lo && v <= hi) {
        sum += v;
        sum2 += v * v;
        k++;
      }
    }
    if (k === 0) break;
    mean = sum / k;
    sd = k > 1 ? Math.sqrt(Math.max(0, (sum2 - k * mean * mean) / (k - 1))) : 0;
    kept = k;
    center = mean;
    sigma = sd;
    if (!(sigma > 0)) break;
  }
  return { mean, stdev: sd, n: kept };
}

/** Mean and σ of the finite values among the first n of `a`. */
export function meanStd(a: ArrayLike<number>, n = a.length): { mean: number; stdev: number; n: number } {
  let s = 0;
  let s2 = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    if (Number.isFinite(v)) {
      s += v;
      s2 += v * v;
      k++;
    }
  }
  const m = s / k;
  return { mean: m, stdev: k > 1 ? Math.sqrt(Math.max(0, (s2 - k * m * m) / (k - 1))) : Number.NaN, n: k };
}
