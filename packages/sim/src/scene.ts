/**
 * Scenes: what the sky and the detector put on one CCD — stars, galaxies, satellite trails (in the
 * truth), and cosmic rays (detector artefacts, not in the truth; bad columns belong to the
 * instrument signature). Positions are LSST
 * pixel coordinates of the assembled detector (centre of the first pixel = (0, 0)); fluxes are
 * electrons in the flat-fielded image.
 */
import type { Rng } from "./random.js";

/** A star. */
export interface SimStar {
  /** Id, unique within the scene. */
  readonly id: number;
  /** Position, pixels. */
  readonly x: number;
  readonly y: number;
  /** Total flux, electrons. */
  readonly flux: number;
  /** AB magnitude. */
  readonly mag: number;
}

/** A galaxy: a mixture of three elliptical Gaussians approximating an exponential profile. */
export interface SimGalaxy extends SimStar {
  /** Half-light-like radius scale, pixels. */
  readonly radius: number;
  /** Axis ratio b/a. */
  readonly q: number;
  /** Position angle, radians from +x. */
  readonly theta: number;
}

/** A cosmic-ray track: pixels and electrons deposited in each. */
export interface SimCosmicRay {
  readonly pixels: readonly (readonly [number, number, number])[];
}

/** A satellite trail: y = y0 + slope·x, Gaussian cross-section. */
export interface SimTrail {
  readonly y0: number;
  readonly slope: number;
  /** Electrons per pixel of length. */
  readonly brightness: number;
  /** Gaussian σ of the cross-section, pixels. */
  readonly sigma: number;
}

/** A bad column segment (x, y0..y1, detector frame): dead (response × 0.05) or hot (+3000 e⁻). */
export interface SimBadColumn {
  readonly x: number;
  readonly y0: number;
  readonly y1: number;
  readonly kind: "dead" | "hot";
}

/** Everything on one CCD. */
export interface SimScene {
  readonly width: number;
  readonly height: number;
  readonly stars: readonly SimStar[];
  readonly galaxies: readonly SimGalaxy[];
  readonly trails: readonly SimTrail[];
  readonly cosmicRays: readonly SimCosmicRay[];
  /** Sky level, electrons per pixel. */
  readonly sky: number;
}

/** Scene options (defaults give a typical 60 s MegaCam i-band CCD). */
export interface SceneOptions {
  /** Stars (default 800). */
  readonly nStars?: number;
  /** Saturated stars, in addition (default 3). */
  readonly nSaturatedStars?: number;
  /** Galaxies (default 400). */
  readonly nGalaxies?: number;
  /** Cosmic rays (default 80). */
  readonly nCosmicRays?: number;
  /** Satellite trails (default 1). */
  readonly nTrails?: number;
  /** Star magnitude range, AB (default [17, 24]). */
  readonly starMags?: readonly [number, number];
  /** Galaxy magnitude range (default [19, 24]). */
  readonly galaxyMags?: readonly [number, number];
  /** AB magnitude of a source giving 1 electron in this exposure (default 26.5 + 2.5 log10(60)). */
  readonly zeroPoint?: number;
  /** Sky, electrons per pixel (default 1500). */
  readonly sky?: number;
  /** Saturated-star flux, electrons (default 1e8). */
  readonly saturatedFlux?: number;
}

/** AB magnitude → flux in nJy. */
export function magToNanojansky(mag: number): number {
  return 10 ** (-0.4 * (mag - 31.4));
}

/** Draws a scene for a width × height CCD. */
export function makeScene(width: number, height: number, rng: Rng, options: SceneOptions = {}): SimScene {
  const zp = options.zeroPoint ?? 26.5 + 2.5 * Math.log10(60);
  const [s0, s1] = options.starMags ?? [17, 24];
  const [g0, g1] = options.galaxyMags ?? [19, 24];
  const margin = 5;
  let id = 1;
  const stars: SimStar[] = [];
  // magnitudes with N(m) ∝ 10^(0.3 m) (faint stars more numerous)
  const drawMag = (lo: number, hi: number): number => {
    const a = 10 ** (0.3 * lo);
    const b = 10 ** (0.3 * hi);
    return Math.log10(a + (b - a) * rng.uniform()) / 0.3;
  };
  for (let i = 0; i < (options.nStars ?? 800); i++) {
    const mag = drawMag(s0, s1);
    stars.push({
      id: id++,
      x: rng.range(margin, width - margin),
      y: rng.range(margin, height - margin),
      mag,
      flux: 10 ** (-0.4 * (mag - zp)),
    });
  }
  for (let i = 0; i < (options.nSaturatedStars ?? 3); i++) {
    const flux = (options.saturatedFlux ?? 1e8) * rng.range(0.5, 1.5);
    // keep bleed trails well inside the CCD
    stars.push({
      id: id++,
      x: rng.range(100, width - 100),
      y: rng.range(800, height - 800),
      flux,
      mag: zp - 2.5 * Math.log10(flux),
    });
  }
  const galaxies: SimGalaxy[] = [];
  for (let i = 0; i < (options.nGalaxies ?? 400); i++) {
    const mag = drawMag(g0, g1);
    galaxies.push({
      id: id++,
      x: rng.range(margin + 10, width - margin - 10),
      y: rng.range(margin + 10, height - margin - 10),
      mag,
      flux: 10 ** (-0.4 * (mag - zp)),
      radius: rng.range(1, 4),
      q: rng.range(0.3, 1),
      theta: rng.range(0, Math.PI),
    });
  }
  const trails: SimTrail[] = [];
  for (let i = 0; i < (options.nTrails ?? 1); i++) {
    trails.push({ y0: rng.range(0.2, 0.8) * height, slope: rng.range(-0.5, 0.5), brightness: rng.range(300, 1500), sigma: 1.5 });
  }
  const cosmicRays: SimCosmicRay[] = [];
  for (let i = 0; i < (options.nCosmicRays ?? 80); i++) {
    const len = rng.int(1, 15);
    const ang = rng.range(0, 2 * Math.PI);
    const x0 = rng.range(2, width - 2);
    const y0 = rng.range(2, height - 2);
    const seen = new Set<number>();
    const pixels: [number, number, number][] = [];
    for (let s = 0; s <= len * 2; s++) {
      const px = Math.round(x0 + (Math.cos(ang) * s) / 2);
      const py = Math.round(y0 + (Math.sin(ang) * s) / 2);
      if (px < 0 || py < 0 || px >= width || py >= height || seen.has(py * width + px)) continue;
      seen.add(py * width + px);
      pixels.push([px, py, rng.range(300, 3000)]);
    }
    cosmicRays.push({ pixels });
  }
  return { width, height, stars, galaxies, trails, cosmicRays, sky: options.sky ?? 1500 };
}
