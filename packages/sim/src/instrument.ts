/**
 * The instrument signature added to a truth image to make a raw CCD frame: flat field (per-amp
 * response × vignetting × pixel response), fringes, dark current, Poisson noise, cosmic rays, bad
 * columns, full-well saturation with bleed trails along columns, per-amplifier gain, bias level
 * varying along the rows (so the overscan model matters), fixed bias pattern, read noise, 16-bit
 * ADC clipping — laid out in the raw frame by the Detector's amplifier geometry (data boxes with
 * flips, serial and parallel overscans).
 *
 * The signature of one detector depends only on (detector id, `seed`), so master calibrations
 * written once match every exposure simulated with the same seed.
 */
import type { Detector } from "@skystack/afw";
import { Rng } from "./random.js";
import type { SimBadColumn, SimScene } from "./scene.js";

/** Options of {@link makeSignature}. */
export interface SignatureOptions {
  /** Seed of the instrument (default 1). */
  readonly seed?: number;
  /** Pixel-to-pixel flat rms (default 0.005). */
  readonly pixelFlatRms?: number;
  /** Vignetting depth at the detector corners (default 0.04). */
  readonly vignetting?: number;
  /** Bias level of amplifier k, ADU (default 1000 + 137·k + 11·(id mod 7)). */
  readonly biasLevel?: (ampIndex: number) => number;
  /** Bias change from first to last row, ADU (default 6). */
  readonly biasSlope?: number;
  /** Fixed-pattern bias rms in the data area, ADU (default 1.5). */
  readonly biasPatternRms?: number;
  /** Dark current, e⁻/s/pixel (default 0.001 ≈ 3.6 e⁻/h as in the MegaCam headers). */
  readonly darkRate?: number;
  /**
   * Full well, e⁻ (default 2% above the largest gain × 65535, so the 16-bit ADC saturates before
   * or at the full well on every amplifier and saturated pixels read 65535, as on MegaCam).
   */
  readonly fullWell?: number;
  /** Make a fringe pattern (default true). */
  readonly fringes?: boolean;
  /** Bad column segments (default 4: dead and hot alternately). */
  readonly nBadColumns?: number;
}

/** The fixed signature of one detector (detector frame unless noted). */
export interface DetectorSignature {
  readonly detector: Detector;
  readonly width: number;
  readonly height: number;
  /** Flat field, mean 1. */
  readonly flat: Float32Array;
  /** Fixed bias pattern in the data area, ADU (what a master bias holds after overscan). */
  readonly biasPattern: Float32Array;
  /** Overscan-level model per amplifier: level(y) = a + b·y/H + c·(y/H)², ADU. */
  readonly biasLevels: readonly (readonly [number, number, number])[];
  /** Dark, e⁻/s per pixel. */
  readonly darkRate: number;
  /** Fringe pattern (unit amplitude, mean 0) or null. */
  readonly fringe: Float32Array | null;
  /** Full well, e⁻. */
  readonly fullWell: number;
  /** Bad column segments (the detector's defects). */
  readonly badColumns: readonly SimBadColumn[];
}

/** Builds the signature of a detector. */
export function makeSignature(detector: Detector, options: SignatureOptions = {}): DetectorSignature {
  const W = detector.bbox.width;
  const H = detector.bbox.height;
  const x0 = detector.bbox.min.x;
  const y0 = detector.bbox.min.y;
  const rng = new Rng(((options.seed ?? 1) * 7919 + detector.id * 104729) >>> 0);
  const flat = new Float32Array(W * H);
  const rms = options.pixelFlatRms ?? 0.005;
  const vig = options.vignetting ?? 0.04;
  const ampResp = detector.amplifiers.map((_, k) => 1 + 0.03 * (k % 2 ? -1 : 1) + rng.range(-0.01, 0.01));
  let sum = 0;
  for (const [k, amp] of detector.amplifiers.entries()) {
    const { x: ax0, y: ay0 } = amp.bbox.min;
    const { x: ax1, y: ay1 } = amp.bbox.max;
    for (let y = ay0; y <= ay1; y++) {
      for (let x = ax0; x <= ax1; x++) {
        const u = (x - x0) / W - 0.5;
        const v = (y - y0) / H - 0.5;
        // no draw when the pixel flat is off (a 10-Mpixel CCD spends ~0.4 s drawing zeros)
        const f = ampResp[k]! * (1 - 2 * vig * (u * u + v * v)) * (rms === 0 ? 1 : 1 + rms * rng.normal());
        flat[(y - y0) * W + (x - x0)] = f;
        sum += f;
      }
    }
  }
  const mean = sum / (W * H);
  for (let i = 0; i < flat.length; i++) flat[i] = flat[i]! / mean;
  const patRms = options.biasPatternRms ?? 1.5;
  const biasPattern = new Float32Array(W * H);
  const colPat = new Float32Array(W);
  for (let x = 0; x < W; x++) colPat[x] = patRms * 0.8 * rng.normal();
  for (let y = 0; y < H; y++) {
    const edge = 3 * Math.exp(-y / 30); // start-of-readout transient
    for (let x = 0; x < W; x++) biasPattern[y * W + x] = colPat[x]! + edge + (patRms === 0 ? 0 : patRms * 0.6 * rng.normal());
  }
  const levels = detector.amplifiers.map((_, k) => {
    const a = options.biasLevel ? options.biasLevel(k) : 1000 + 137 * k + 11 * (detector.id % 7);
    return [a, options.biasSlope ?? 6, -2] as const;
  });
  let fringe: Float32Array | null = null;
  if (options.fringes ?? true) {
    fringe = new Float32Array(W * H);
    const waves = [0, 1, 2].map(() => ({
      kx: rng.range(0.01, 0.05),
      ky: rng.range(0.01, 0.05),
      ph: rng.range(0, 2 * Math.PI),
      a: rng.range(0.5, 1),
    }));
    // sin(kx·x + ky·y + φ) = sin(kx·x)·cos(ky·y + φ) + cos(kx·x)·sin(ky·y + φ), tabulated per axis
    const sx = waves.map((w) => Float64Array.from({ length: W }, (_, x) => Math.sin(w.kx * x)));
    const cx = waves.map((w) => Float64Array.from({ length: W }, (_, x) => Math.cos(w.kx * x)));
    for (let y = 0; y < H; y++) {
      const cy = waves.map((w) => w.a * Math.cos(w.ky * y + w.ph));
      const sy = waves.map((w) => w.a * Math.sin(w.ky * y + w.ph));
      const o = y * W;
      for (let x = 0; x < W; x++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += sx[k]![x]! * cy[k]! + cx[k]![x]! * sy[k]!;
        fringe[o + x] = v / 2;
      }
    }
  }
  const badColumns: SimBadColumn[] = [];
  for (let i = 0; i < (options.nBadColumns ?? 4); i++) {
    const by0 = rng.int(0, Math.floor(H / 2));
    badColumns.push({ x: rng.int(20, W - 21), y0: by0, y1: rng.int(by0 + 100, H - 1), kind: i % 2 ? "hot" : "dead" });
  }
  return {
    detector,
    width: W,
    height: H,
    flat,
    biasPattern,
    biasLevels: levels,
    darkRate: options.darkRate ?? 0.001,
    fringe,
    fullWell: options.fullWell ?? 1.02 * 65535 * Math.max(...detector.amplifiers.map((a) => a.gain)),
    badColumns,
  };
}

/** Bias overscan level of amplifier k at raw row y (0..H-1 of the raw frame height `rawH`). */
export function biasLevelAt(sig: DetectorSignature, k: number, y: number, rawH: number): number {
  const [a, b, c] = sig.biasLevels[k]!;
  const t = y / rawH;
  return a + b * t + c * t * t;
}

/** Options of {@link makeRawFrame}. */
export interface RawFrameOptions {
  /** Exposure time, s (for nothing but bookkeeping; fluxes are in the truth). */
  readonly exposureTime: number;
  /** Dark time, s. */
  readonly darkTime: number;
  /** Fringe amplitude, e⁻ (0 = none). */
  readonly fringeAmplitude?: number;
  /** Add Poisson and read noise (default true). */
  readonly noise?: boolean;
  /** Raw frame size (default: the union of the amplifiers' raw boxes). */
  readonly rawWidth?: number;
  readonly rawHeight?: number;
}

/**
 * Bits of the artefact map returned with a raw frame: SATURATED at full well, COSMIC_RAY hit,
 * BAD_COLUMN (hot or dead), BLEED received charge bled along its column from a saturated pixel.
 */
export const ARTEFACT = Object.freeze({ SATURATED: 1, COSMIC_RAY: 2, BAD_COLUMN: 4, BLEED: 8 });

/** A simulated raw frame. */
export interface RawFrame {
  /** Raw ADU, rawWidth × rawHeight, row-major. */
  readonly raw: Uint16Array;
  readonly rawWidth: number;
  readonly rawHeight: number;
  /** Detector-frame map of planted artefacts ({@link ARTEFACT} bits). */
  readonly artefacts: Uint8Array;
  /** Expected variance of the ISR output (e⁻², detector frame): (signal·flat + fringe + dark + rn²)/flat². */
  readonly truthVariance: Float32Array;
}

/**
 * Makes the raw frame of a detector from a truth image (electrons, detector frame; null = zero
 * signal, e.g. a bias) and the scene's artefacts.
 */
export function makeRawFrame(
  sig: DetectorSignature,
  truth: Float32Array | null,
  scene: SimScene | null,
  rng: Rng,
  options: RawFrameOptions,
): RawFrame {
  const det = sig.detector;
  const W = sig.width;
  const H = sig.height;
  const noise = options.noise ?? true;
  const dark = sig.darkRate * options.darkTime;
  const fa = options.fringeAmplitude ?? 0;
  const e = new Float64Array(W * H);
  const truthVariance = new Float32Array(W * H);
  const rn2 = new Float64Array(W * H);
  const bx0Det = det.bbox.min.x;
  const by0Det = det.bbox.min.y;
  for (const amp of det.amplifiers) {
    const { x: bx0, y: by0 } = amp.bbox.min;
    const { x: bx1, y: by1 } = amp.bbox.max;
    for (let y = by0; y <= by1; y++) {
      for (let x = bx0; x <= bx1; x++) rn2[(y - by0Det) * W + x - bx0Det] = amp.readNoise * amp.readNoise;
    }
  }
  for (let i = 0; i < W * H; i++) {
    const f = sig.flat[i]!;
    const signal = (truth ? truth[i]! : 0) * f + (fa && sig.fringe ? fa * sig.fringe[i]! * f : 0);
    const mean = signal + dark;
    truthVariance[i] = (mean + rn2[i]!) / (f * f);
    e[i] = noise ? rng.poisson(mean) : mean;
  }
  const art = new Uint8Array(W * H);
  if (scene) {
    for (const cr of scene.cosmicRays)
      for (const [x, y, q] of cr.pixels) {
        e[y * W + x]! += q;
        art[y * W + x]! |= ARTEFACT.COSMIC_RAY;
      }
  }
  for (const bc of sig.badColumns) {
    for (let y = bc.y0; y <= bc.y1; y++) {
      const i = y * W + bc.x;
      e[i] = bc.kind === "dead" ? e[i]! * 0.05 : e[i]! + 3000;
      art[i]! |= ARTEFACT.BAD_COLUMN;
    }
  }
  // full well and bleeding along columns (half the excess up, half down)
  const fw = sig.fullWell;
  for (let x = 0; x < W; x++) {
    let any = false;
    for (let y = 0; y < H; y++)
      if (e[y * W + x]! > fw) {
        any = true;
        break;
      }
    if (!any) continue;
    const ex = new Float64Array(H);
    for (let y = 0; y < H; y++) {
      const v = e[y * W + x]!;
      if (v > fw) {
        ex[y] = (v - fw) / 2;
        e[y * W + x] = fw;
      }
    }
    let carry = 0;
    for (let y = 0; y < H; y++) {
      const i = y * W + x;
      if (carry > 0) art[i]! |= ARTEFACT.BLEED;
      const v = e[i]! + carry;
      carry = ex[y]!;
      if (v > fw) {
        carry += v - fw;
        e[i] = fw;
      } else e[i] = v;
    }
    carry = 0;
    for (let y = H - 1; y >= 0; y--) {
      const i = y * W + x;
      if (carry > 0) art[i]! |= ARTEFACT.BLEED;
      const v = e[i]! + carry;
      carry = ex[y]!;
      if (v > fw) {
        carry += v - fw;
        e[i] = fw;
      } else e[i] = v;
    }
  }
  for (let i = 0; i < W * H; i++) if (e[i]! >= fw) art[i]! |= ARTEFACT.SATURATED;
  // raw frame
  let rawW = options.rawWidth ?? 0;
  let rawH = options.rawHeight ?? 0;
  if (!rawW || !rawH)
    for (const a of det.amplifiers) {
      rawW = Math.max(rawW, a.rawBBox.max.x + 1);
      rawH = Math.max(rawH, a.rawBBox.max.y + 1);
    }
  const raw = new Uint16Array(rawW * rawH);
  const put = (i: number, v: number, flagIndex: number): void => {
    const r = Math.round(v);
    if (r >= 65535) {
      raw[i] = 65535;
      if (flagIndex >= 0) art[flagIndex]! |= ARTEFACT.SATURATED;
    } else raw[i] = Math.max(r, 0);
  };
  det.amplifiers.forEach((amp, k) => {
    const g = amp.gain;
    const sigAdu = noise ? amp.readNoise / g : 0;
    const rd = amp.rawDataBBox;
    const b = amp.bbox;
    const { x: bMinX, y: bMinY } = b.min;
    const { x: bMaxX, y: bMaxY } = b.max;
    const rdx0 = rd.min.x;
    const rdy0 = rd.min.y;
    for (let j = 0, rh = rd.height; j < rh; j++) {
      const ry = rdy0 + j;
      const level = biasLevelAt(sig, k, ry, rawH);
      const ay = amp.rawFlipY ? bMaxY - j : bMinY + j;
      for (let i = 0, rw = rd.width; i < rw; i++) {
        const ax = amp.rawFlipX ? bMaxX - i : bMinX + i;
        const di = (ay - by0Det) * W + (ax - bx0Det);
        put(ry * rawW + rdx0 + i, e[di]! / g + level + sig.biasPattern[di]! + sigAdu * (noise ? rng.normal() : 0), di);
      }
    }
    for (const os of [amp.rawHorizontalOverscanBBox, amp.rawVerticalOverscanBBox]) {
      if (os.isEmpty()) continue;
      const { x: ox0, y: oy0 } = os.min;
      const { x: ox1, y: oy1 } = os.max;
      for (let ry = oy0; ry <= oy1; ry++) {
        const level = biasLevelAt(sig, k, ry, rawH);
        for (let rx = ox0; rx <= ox1; rx++) put(ry * rawW + rx, level + sigAdu * (noise ? rng.normal() : 0), -1);
      }
    }
  });
  return { raw, rawWidth: rawW, rawHeight: rawH, artefacts: art, truthVariance };
}
