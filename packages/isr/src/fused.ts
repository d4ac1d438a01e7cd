/**
 * The per-pixel middle of ISR in one pass over the assembled image: bias → gain → variance →
 * dark → flat → NaN masking. Each of these is a cheap operation on a ~10-Mpixel image, so run one
 * after the other they cost a memory pass each; fused, the image, variance and calibration rows
 * are touched once. Every intermediate is rounded to float32 exactly where the step-by-step
 * functions of `corrections.ts` store it, so both paths give bit-identical images.
 */
import type { Detector, Image, Mask, MaskedImage } from "@skystack/afw";

/** What the fused pass applies (all optional; the order is fixed, as in ip_isr). */
export interface FusedCalibration {
  /** Master bias (ADU), same size as the image. */
  readonly bias?: Image<Float32Array> | undefined;
  /** Multiply each amplifier by its gain (ADU → e⁻). */
  readonly applyGains: boolean;
  /** Set the variance plane to max(image, 0) + readNoise² (e⁻²) after the gain. */
  readonly setVariance: boolean;
  /** Master dark and its factor: image −= factor × dark (factor = exposure / dark dark time). */
  readonly dark?: { readonly image: Image<Float32Array>; readonly factor: number } | undefined;
  /** Master flat and its normalisation: image /= flat/scale, variance /= (flat/scale)²; flat ≤ 0 → NaN. */
  readonly flat?: { readonly image: Image<Float32Array>; readonly scale: number } | undefined;
  /** Mask bits ORed where the final image is NaN or ±∞ (0: no NaN masking). */
  readonly nanBits: number;
}

/**
 * Applies {@link FusedCalibration} to `mi` (detector frame; calibrations the same size).
 * @returns non-finite pixels after the gain step (before dark/flat), as ip_isr's NaN masking counts them.
 */
export function fusedCalibrate(mi: MaskedImage<Float32Array>, detector: Detector, cal: FusedCalibration): number {
  const im = mi.image;
  const a = im.array;
  const v = mi.variance.array;
  const m: Mask["array"] = mi.mask.array;
  const b = cal.bias?.array;
  const d = cal.dark?.image.array;
  const f = cal.flat?.image.array;
  const darkC = cal.dark ? -cal.dark.factor : 0;
  const flatInv = cal.flat ? 1 / cal.flat.scale : 0;
  const bits = cal.nanBits;
  const useGain = cal.applyGains;
  const setVar = cal.setVariance;
  const fr = Math.fround;
  // every step on (the usual full ISR): a branch-free row loop the JIT compiles tighter
  const full = b !== undefined && d !== undefined && f !== undefined && useGain && setVar;
  let nonFinite = 0;
  for (const amp of detector.amplifiers) {
    const g = useGain ? amp.gain : 1;
    const rn2 = amp.readNoise * amp.readNoise;
    const bx = amp.bbox.min.x - im.x0;
    for (let y = amp.bbox.min.y; y <= amp.bbox.max.y; y++) {
      const row = y - im.y0;
      const io = row * im.stride + bx;
      const vo = row * mi.variance.stride + bx;
      const mo = row * mi.mask.stride + bx;
      const bo = cal.bias ? row * cal.bias.stride + bx : 0;
      const dOff = cal.dark ? row * cal.dark.image.stride + bx : 0;
      const fo = cal.flat ? row * cal.flat.image.stride + bx : 0;
      if (full) {
        nonFinite += fullRow(a, io, v, vo, m, mo, b!, bo, d!, dOff, f!, fo, amp.bbox.width, g, rn2, darkC, flatInv, bits);
        continue;
      }
      for (let x = 0, W = amp.bbox.width; x < W; x++) {
        let p = a[io + x]!;
        if (b !== undefined) p = fr(p - b[bo + x]!);
        if (useGain) p = fr(p * g);
        let q = setVar ? fr(Math.max(p, 0) + rn2) : v[vo + x]!;
        if (p - p !== 0) nonFinite++;
        if (d !== undefined) p = fr(p + darkC * d[dOff + x]!);
        if (f !== undefined) {
          const gf = f[fo + x]! * flatInv;
          if (gf > 0) {
            const r = 1 / gf;
            p = fr(p * r);
            q = fr(q * (r * r));
          } else {
            p = Number.NaN;
            q = Number.NaN;
          }
        }
        a[io + x] = p;
        v[vo + x] = q;
        if (bits !== 0 && p - p !== 0) m[mo + x]! |= bits;
      }
    }
  }
  return nonFinite;
}

/** One amplifier row with bias, gain, variance, dark and flat all applied (same rounding as above). */
function fullRow(
  a: Float32Array,
  io: number,
  v: Float32Array,
  vo: number,
  m: Int32Array,
  mo: number,
  b: Float32Array,
  bo: number,
  d: Float32Array,
  dOff: number,
  f: Float32Array,
  fo: number,
  W: number,
  g: number,
  rn2: number,
  darkC: number,
  flatInv: number,
  bits: number,
): number {
  const fr = Math.fround;
  let nonFinite = 0;
  for (let x = 0; x < W; x++) {
    let p = fr(fr(a[io + x]! - b[bo + x]!) * g);
    let q = fr(Math.max(p, 0) + rn2);
    if (p - p !== 0) nonFinite++;
    p = fr(p + darkC * d[dOff + x]!);
    const gf = f[fo + x]! * flatInv;
    if (gf > 0) {
      const r = 1 / gf;
      p = fr(p * r);
      q = fr(q * (r * r));
    } else {
      p = Number.NaN;
      q = Number.NaN;
    }
    a[io + x] = p;
    v[vo + x] = q;
    if (bits !== 0 && p - p !== 0) m[mo + x]! |= bits;
  }
  return nonFinite;
}
