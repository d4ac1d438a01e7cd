/**
 * Noiseless truth images: sky + stars + galaxies + trails, in electrons per pixel of the
 * flat-fielded detector (what ISR should recover).
 */
import { addPointSource, fwhmAt, profile, type SimPsf } from "./psf.js";
import type { SimGalaxy, SimScene } from "./scene.js";

/** Three-Gaussian approximation of an exponential profile: [weight, σ / radius]. */
const EXP_MOG: readonly (readonly [number, number])[] = [
  [0.25, 0.3],
  [0.5, 0.7],
  [0.25, 1.3],
];

/** Options of {@link renderTruth}. */
export interface RenderOptions {
  /** The PSF. */
  readonly psf: SimPsf;
  /** Field radius of each pixel position (for the PSF variation), e.g. focal-plane mm; default 0. */
  readonly fieldRadius?: (x: number, y: number) => number;
}

function addGalaxy(img: Float32Array, W: number, H: number, g: SimGalaxy, psfSigma: number): number {
  const c = Math.cos(g.theta);
  const s = Math.sin(g.theta);
  const comps = EXP_MOG.map(([w, f]) => {
    const a2 = (f * g.radius) ** 2;
    const b2 = (f * g.radius * g.q) ** 2;
    const p2 = psfSigma * psfSigma;
    const cxx = c * c * a2 + s * s * b2 + p2;
    const cyy = s * s * a2 + c * c * b2 + p2;
    const cxy = c * s * (a2 - b2);
    const det = cxx * cyy - cxy * cxy;
    return {
      w: w / (2 * Math.PI * Math.sqrt(det)),
      ixx: cyy / det,
      iyy: cxx / det,
      ixy: -cxy / det,
      smax: Math.sqrt(Math.max(cxx, cyy)),
    };
  });
  const R = Math.ceil(5 * Math.max(...comps.map((k) => k.smax)));
  const ix = Math.round(g.x);
  const iy = Math.round(g.y);
  const n = 2 * R + 1;
  const stamp = new Float64Array(n * n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const dx = ix - R + i - g.x;
      const dy = iy - R + j - g.y;
      let v = 0;
      for (const k of comps) v += k.w * Math.exp(-0.5 * (k.ixx * dx * dx + 2 * k.ixy * dx * dy + k.iyy * dy * dy));
      stamp[j * n + i] = v;
      sum += v;
    }
  }
  let added = 0;
  for (let j = 0; j < n; j++) {
    const py = iy - R + j;
    if (py < 0 || py >= H) continue;
    for (let i = 0; i < n; i++) {
      const px = ix - R + i;
      if (px < 0 || px >= W) continue;
      const v = (stamp[j * n + i]! / sum) * g.flux;
      img[py * W + px]! += v;
      added += v;
    }
  }
  return added;
}

/**
 * The truth image of a scene (electrons, row-major width × height).
 * @returns the image and, per source id, the flux actually inside the CCD.
 */
export function renderTruth(scene: SimScene, options: RenderOptions): { image: Float32Array; fluxOnChip: Map<number, number> } {
  const W = scene.width;
  const H = scene.height;
  const img = new Float32Array(W * H).fill(scene.sky);
  const fr = options.fieldRadius ?? (() => 0);
  const fluxOnChip = new Map<number, number>();
  for (const st of scene.stars) {
    const fwhm = fwhmAt(options.psf, fr(st.x, st.y));
    // stamp radius: 5 FWHM, more for bright stars so the wings are there
    const radius = Math.ceil(fwhm * (st.flux > 1e6 ? 15 : 5));
    fluxOnChip.set(st.id, addPointSource(img, W, H, st.x, st.y, st.flux, profile(options.psf, fwhm), radius));
  }
  for (const g of scene.galaxies) {
    const fwhm = fwhmAt(options.psf, fr(g.x, g.y));
    fluxOnChip.set(g.id, addGalaxy(img, W, H, g, fwhm / 2.3548200450309493));
  }
  for (const t of scene.trails) {
    const norm = t.brightness / (Math.sqrt(2 * Math.PI) * t.sigma);
    const cosA = 1 / Math.sqrt(1 + t.slope * t.slope);
    const half = Math.ceil((6 * t.sigma) / cosA);
    for (let x = 0; x < W; x++) {
      const yc = t.y0 + t.slope * x;
      for (let y = Math.max(0, Math.floor(yc - half)); y <= Math.min(H - 1, Math.ceil(yc + half)); y++) {
        const d = (y - yc) * cosA; // perpendicular distance
        img[y * W + x]! += norm * Math.exp((-0.5 * d * d) / (t.sigma * t.sigma));
      }
    }
  }
  return { image: img, fluxOnChip };
}
