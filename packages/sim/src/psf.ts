/**
 * PSF models for simulation: Moffat and double Gaussian, with a FWHM that varies over the field
 * (quadratically with focal-plane radius), rendered into pixel stamps normalised to unit sum.
 */

/** PSF family. */
export type PsfKind = "MOFFAT" | "DOUBLE_GAUSSIAN";

/** A spatially varying PSF. */
export interface SimPsf {
  /** Family. */
  readonly kind: PsfKind;
  /** FWHM at the field centre, pixels. */
  readonly fwhm: number;
  /** Fractional FWHM increase at `edgeRadius` (FWHM(r) = fwhm·(1 + variation·(r/edgeRadius)²)). */
  readonly variation?: number;
  /** Radius at which `variation` applies, in the same units as the positions passed to `fwhmAt`. */
  readonly edgeRadius?: number;
  /** Moffat β (default 3). */
  readonly beta?: number;
  /** Double Gaussian: wing/core σ ratio (default 2) and wing flux fraction (default 0.1). */
  readonly wingRatio?: number;
  readonly wingFraction?: number;
}

/** FWHM (pixels) at field radius r (units of `edgeRadius`). */
export function fwhmAt(psf: SimPsf, r: number): number {
  const e = psf.edgeRadius ?? 1;
  return psf.fwhm * (1 + (psf.variation ?? 0) * (r / e) ** 2);
}

/** Unnormalised profile value at squared distance r2 (pixels²) for a given FWHM. */
export function profile(psf: SimPsf, fwhm: number): (r2: number) => number {
  if (psf.kind === "MOFFAT") {
    const beta = psf.beta ?? 3;
    const alpha = fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
    const inv = 1 / (alpha * alpha);
    return (r2) => (1 + r2 * inv) ** -beta;
  }
  const s1 = fwhm / 2.3548200450309493;
  const s2 = s1 * (psf.wingRatio ?? 2);
  const f = psf.wingFraction ?? 0.1;
  const a1 = (1 - f) / (s1 * s1);
  const a2 = f / (s2 * s2);
  const i1 = -0.5 / (s1 * s1);
  const i2 = -0.5 / (s2 * s2);
  return (r2) => a1 * Math.exp(r2 * i1) + a2 * Math.exp(r2 * i2);
}

/**
 * Adds `flux` (any unit) of a point source centred at (x, y) (LSST pixel coordinates of `img`,
 * whose first pixel is (x0, y0)) to a row-major image, with the profile sampled at 3×3 points per
 * pixel inside a stamp of half-size `radius` px, normalised so the stamp sums to `flux`.
 * @returns the flux actually added (less than `flux` if the stamp falls off the image).
 */
export function addPointSource(
  img: Float32Array,
  width: number,
  height: number,
  x: number,
  y: number,
  flux: number,
  prof: (r2: number) => number,
  radius: number,
): number {
  const ix = Math.round(x);
  const iy = Math.round(y);
  const n = 2 * radius + 1;
  const stamp = new Float64Array(n * n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const px = ix - radius + i;
      const py = iy - radius + j;
      let v = 0;
      for (let sy = -1; sy <= 1; sy++) {
        const dy = py + sy / 3 - y;
        for (let sx = -1; sx <= 1; sx++) {
          const dx = px + sx / 3 - x;
          v += prof(dx * dx + dy * dy);
        }
      }
      stamp[j * n + i] = v;
      sum += v;
    }
  }
  const scale = flux / sum;
  let added = 0;
  for (let j = 0; j < n; j++) {
    const py = iy - radius + j;
    if (py < 0 || py >= height) continue;
    for (let i = 0; i < n; i++) {
      const px = ix - radius + i;
      if (px < 0 || px >= width) continue;
      const v = stamp[j * n + i]! * scale;
      img[py * width + px]! += v;
      added += v;
    }
  }
  return added;
}
