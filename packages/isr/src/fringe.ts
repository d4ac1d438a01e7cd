/**
 * Fringe correction (ip_isr `FringeTask`): the fringe frame's amplitude in the exposure is fitted
 * from the medians of both images in `num` small boxes at random (seeded) positions,
 * image = amplitude × fringe + pedestal, with `iterations` rounds of `clip`-σ rejection; then
 * amplitude × fringe is subtracted.
 */
import type { Image, Mask } from "@skystack/afw";
import { IsrError } from "./errors.js";
import { medianInPlace } from "./stats.js";

/** Fringe fit options (obs_cfht defaults: small 1, large 50 → here `small` is the box half-size). */
export interface FringeOptions {
  /** Number of measurement boxes (default 30000, as FringeTask). */
  readonly num?: number;
  /** Box half-size, px (default 3). */
  readonly small?: number;
  /** Clipping rounds (default 20). */
  readonly iterations?: number;
  /** Clipping threshold, σ (default 3). */
  readonly clip?: number;
  /** Fit a pedestal (default true). */
  readonly pedestal?: boolean;
  /** Mask bits whose pixels are ignored (e.g. SAT|BAD). */
  readonly badBits?: number;
  /** Seed of the measurement positions (default 1). */
  readonly seed?: number;
}

/** Fitted fringe amplitude. */
export interface FringeFit {
  /** Amplitude (exposure units per fringe unit). */
  readonly amplitude: number;
  /** Pedestal (exposure units). */
  readonly pedestal: number;
  /** Measurements kept in the last round. */
  readonly nUsed: number;
}

/** Fits the fringe amplitude (see module doc). */
export function fitFringe(
  image: Image<Float32Array>,
  fringe: Image<Float32Array>,
  mask: Mask | null,
  options: FringeOptions = {},
): FringeFit {
  if (image.width !== fringe.width || image.height !== fringe.height) {
    throw new IsrError(
      "SIZE_MISMATCH",
      `fringe is ${fringe.width}x${fringe.height}, the exposure ${image.width}x${image.height}`,
    );
  }
  const num = options.num ?? 30000;
  const r = options.small ?? 3;
  const iterations = options.iterations ?? 20;
  const clip = options.clip ?? 3;
  const bad = options.badBits ?? 0;
  const W = image.width;
  const H = image.height;
  if (W <= 2 * r || H <= 2 * r) throw new IsrError("BAD_OPTION", `fringe.small = ${r} is too large for a ${W}x${H} image`);
  let seed = (options.seed ?? 1) >>> 0 || 1;
  const rnd = (): number => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 4294967296;
  };
  const xs = new Float64Array(num);
  const ys = new Float64Array(num);
  const bi = new Float32Array((2 * r + 1) ** 2);
  const bf = new Float32Array((2 * r + 1) ** 2);
  let n = 0;
  for (let k = 0; k < num; k++) {
    const cx = r + Math.floor(rnd() * (W - 2 * r));
    const cy = r + Math.floor(rnd() * (H - 2 * r));
    let m = 0;
    for (let y = cy - r; y <= cy + r; y++) {
      for (let x = cx - r; x <= cx + r; x++) {
        if (mask && mask.array[y * mask.stride + x]! & bad) continue;
        const v = image.array[y * image.stride + x]!;
        const f = fringe.array[y * fringe.stride + x]!;
        if (Number.isNaN(v) || Number.isNaN(f)) continue;
        bi[m] = v;
        bf[m] = f;
        m++;
      }
    }
    if (m < 3) continue;
    xs[n] = medianInPlace(bf, m);
    ys[n] = medianInPlace(bi, m);
    n++;
  }
  if (n < 3) throw new IsrError("NO_DATA", `fringe fit has only ${n} usable measurements`);
  const use = new Uint8Array(n).fill(1);
  const pedestal = options.pedestal ?? true;
  let a = 0;
  let b = 0;
  let used = n;
  for (let it = 0; it <= iterations; it++) {
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (!use[i]) continue;
      sx += xs[i]!;
      sy += ys[i]!;
      sxx += xs[i]! * xs[i]!;
      sxy += xs[i]! * ys[i]!;
      k++;
    }
    if (pedestal) {
      const den = k * sxx - sx * sx;
      if (!(den > 0)) throw new IsrError("NO_DATA", "fringe frame has no contrast at the measurement positions");
      a = (k * sxy - sx * sy) / den;
      b = (sy - a * sx) / k;
    } else {
      a = sxy / sxx;
      b = 0;
    }
    used = k;
    // robust σ of the residuals (of the kept points)
    const res = new Float64Array(k);
    let j = 0;
    for (let i = 0; i < n; i++) if (use[i]) res[j++] = Math.abs(ys[i]! - a * xs[i]! - b);
    const sigma = 1.4826 * medianInPlace(res, k);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const keep = Math.abs(ys[i]! - a * xs[i]! - b) <= clip * sigma ? 1 : 0;
      if (keep !== use[i]) changed++;
      use[i] = keep;
    }
    if (changed === 0) break;
  }
  return { amplitude: a, pedestal: b, nUsed: used };
}

/** image −= amplitude × fringe. */
export function subtractFringe(image: Image<Float32Array>, fringe: Image<Float32Array>, amplitude: number): void {
  image.scaledMinus(amplitude, fringe);
}
