/**
 * Interpolation over bad pixels (meas_algorithms `interpolateOverDefects`, row-wise form): each run
 * of masked pixels in a row is replaced by the straight line between the means of up to `nGood`
 * good pixels on either side; a run touching the edge takes the one-sided mean, and a row with no
 * good pixel the fallback (median of the image's good pixels). Interpolated pixels get INTRP; their
 * variance is set to that of the neighbours used.
 */
import type { MaskedImage } from "@skystack/afw";
import { medianInPlace } from "./stats.js";

/** Options of {@link interpolateOverMask}. */
export interface InterpolateOptions {
  /** Good pixels averaged on each side, default 2. */
  readonly nGood?: number;
  /** Fallback value; default the median of all good pixels. */
  readonly fallback?: number;
}

/**
 * Interpolates over pixels with any of `badBits`, in place; ORs `intrpBits` into them.
 * @returns the number of pixels interpolated.
 */
export function interpolateOverMask(
  mi: MaskedImage<Float32Array>,
  badBits: number,
  intrpBits: number,
  options: InterpolateOptions = {},
): number {
  const nGood = options.nGood ?? 2;
  const { width, height } = mi;
  const img = mi.image.array;
  const is = mi.image.stride;
  const msk = mi.mask.array;
  const ms = mi.mask.stride;
  const vr = mi.variance.array;
  const vs = mi.variance.stride;
  let fallback = options.fallback;
  if (fallback === undefined) {
    const sample = new Float32Array(Math.min(width * height, 100_000));
    let k = 0;
    const step = Math.max(1, Math.floor((width * height) / sample.length));
    for (let p = 0; p < width * height && k < sample.length; p += step) {
      const y = Math.floor(p / width);
      const x = p - y * width;
      const v = img[y * is + x]!;
      if (!(msk[y * ms + x]! & badBits) && !Number.isNaN(v)) sample[k++] = v;
    }
    fallback = k ? medianInPlace(sample, k) : 0;
  }
  let count = 0;
  for (let y = 0; y < height; y++) {
    const io = y * is;
    const mo = y * ms;
    const vo = y * vs;
    let x = 0;
    while (x < width) {
      if (!(msk[mo + x]! & badBits)) {
        x++;
        continue;
      }
      const s = x;
      while (x < width && msk[mo + x]! & badBits) x++;
      const e = x - 1;
      let lsum = 0;
      let lvar = 0;
      let ln = 0;
      for (let k = s - 1; k >= 0 && ln < nGood; k--) {
        if (msk[mo + k]! & badBits) break;
        lsum += img[io + k]!;
        lvar += vr[vo + k]!;
        ln++;
      }
      let rsum = 0;
      let rvar = 0;
      let rn = 0;
      for (let k = e + 1; k < width && rn < nGood; k++) {
        if (msk[mo + k]! & badBits) break;
        rsum += img[io + k]!;
        rvar += vr[vo + k]!;
        rn++;
      }
      const L = ln ? lsum / ln : Number.NaN;
      const R = rn ? rsum / rn : Number.NaN;
      const LV = ln ? lvar / ln : Number.NaN;
      const RV = rn ? rvar / rn : Number.NaN;
      const span = e - s + 2;
      for (let k = s; k <= e; k++) {
        let v: number;
        let vv: number;
        if (ln && rn) {
          const t = (k - s + 1) / span;
          v = L + (R - L) * t;
          vv = LV + (RV - LV) * t;
        } else if (ln) {
          v = L;
          vv = LV;
        } else if (rn) {
          v = R;
          vv = RV;
        } else {
          v = fallback;
          vv = Number.NaN;
        }
        img[io + k] = v;
        if (!Number.isNaN(vv)) vr[vo + k] = vv;
        msk[mo + k]! |= intrpBits;
        count++;
      }
    }
  }
  return count;
}
