/**
 * `runIsr`: the ISR steps of ip_isr `IsrTask.run` composed in its order, as one plain function
 * (the Task/Config wrapper comes with the pipe framework). Input: one raw CCD frame (ADU, with
 * overscan) and its Detector; output: the assembled, trimmed Exposure in electrons with mask and
 * variance (e⁻²).
 *
 * Order: saturation (raw, per amp) → overscan (per amp) → assembly → crosstalk → bias →
 * linearity → gains (ADU → e⁻) → variance (signal + read noise², e⁻²) → defects (BAD) →
 * NaN / edge masking → widen saturation trails → dark → flat → fringe → interpolation (INTRP).
 */
import {
  type Box2I,
  type Detector,
  Exposure,
  ExposureInfo,
  type FilterLabel,
  Image,
  Mask,
  MaskedImage,
  OrderedPropertyList,
  type PropertyList,
  type VisitInfo,
} from "@skystack/afw";
import { assembleImage, toDetectorFrame } from "./assemble.js";
import {
  applyGains,
  checkDarkTimes,
  crosstalkCorrect,
  divideFlat,
  flatScale,
  linearizeLookupTable,
  linearizePolynomial,
  maskEdges,
  maskNans,
  setVarianceElectrons,
  subtractBias,
  subtractDark,
} from "./corrections.js";
import { maskDefects } from "./defects.js";
import { IsrError } from "./errors.js";
import { type FringeFit, type FringeOptions, fitFringe, subtractFringe } from "./fringe.js";
import { fusedCalibrate } from "./fused.js";
import { interpolateOverMask } from "./interpolate.js";
import { type OverscanOptions, type OverscanResult, overscanCorrectAmplifier } from "./overscan.js";
import { flagRawPositions, thresholdPositions, widenSaturationTrails } from "./saturation.js";

/** One raw CCD as a formatter returns it. */
export interface RawCcd {
  /** Raw frame in ADU (with overscans), PARENT = raw pixel coordinates. */
  readonly image: Image<Float32Array>;
  /** The detector (amplifier geometry, gains, read noise, saturation). */
  readonly detector: Detector;
  /** Observation metadata (dark time used to scale the dark). */
  readonly visitInfo?: VisitInfo | null;
  /** Filter. */
  readonly filter?: FilterLabel | null;
  /** Header metadata carried to the output. */
  readonly metadata?: PropertyList;
}

/** Master calibrations, each in the detector frame (or raw-frame size: then trimmed/assembled). */
export interface IsrCalibs {
  /** Master bias, ADU (overscan-subtracted). */
  readonly bias?: Image<Float32Array> | null;
  /** Master dark, e⁻ per `darkTime` seconds. */
  readonly dark?: { readonly image: Image<Float32Array>; readonly darkTime: number } | null;
  /** Master flat (any normalisation; divided by its mean over the pixels that are not defects). */
  readonly flat?: Image<Float32Array> | null;
  /** Fringe frame (e⁻ per unit amplitude; fitted). */
  readonly fringe?: Image<Float32Array> | null;
  /** Defect boxes in the assembled detector frame. */
  readonly defects?: readonly Box2I[] | null;
  /** Crosstalk coefficient matrix (amps × amps). */
  readonly crosstalk?: readonly (readonly number[])[] | null;
  /** Linearity lookup tables by amplifier name (ADU correction per integer level). */
  readonly linearityTables?: Readonly<Record<string, ArrayLike<number>>> | null;
}

/** ISR switches and parameters (ip_isr IsrTaskConfig names and defaults where they apply). */
export interface IsrOptions {
  /**
   * Bias → gain → variance → dark → flat → NaN masking in one pass over the image (default true;
   * bit-identical to the step-by-step path, which `false` selects; linearity forces it).
   */
  readonly fuseCalibration?: boolean;
  /** Work in the caller's float32 raw image instead of a copy (saves a copy; the raw is overwritten). */
  readonly mutateRaw?: boolean;
  /** Flag SAT where raw ≥ saturation (default true). */
  readonly doSaturation?: boolean;
  /** Saturation level override, ADU (default: each amplifier's). */
  readonly saturation?: number;
  /** SAT growth, px (default 1). */
  readonly growSaturationFootprintSize?: number;
  /** Flag SUSPECT where raw ≥ amplifier suspect level (default false). */
  readonly doSuspect?: boolean;
  /** Overscan correction (default true). */
  readonly doOverscan?: boolean;
  /** Overscan options. */
  readonly overscan?: OverscanOptions;
  /** Bias subtraction when a bias is given (default true). */
  readonly doBias?: boolean;
  /** Linearity per amplifier type (default true; "NONE" amplifiers untouched). */
  readonly doLinearize?: boolean;
  /** Crosstalk when a matrix is given (default true). */
  readonly doCrosstalk?: boolean;
  /** ADU → electrons (default true). */
  readonly doApplyGains?: boolean;
  /** Variance plane (default true). */
  readonly doVariance?: boolean;
  /** Defects → BAD when given (default true). */
  readonly doDefect?: boolean;
  /** NaN/inf → BAD (default true). */
  readonly doNanMasking?: boolean;
  /** EDGE border width, px (default 0 = none). */
  readonly edgeMaskWidth?: number;
  /** Widen saturation trails (default true). */
  readonly doWidenSaturationTrails?: boolean;
  /** Dark when given (default true). */
  readonly doDark?: boolean;
  /** Flat when given (default true). */
  readonly doFlat?: boolean;
  /** Fringe when given (default true; obs-cfht turns it on only for i/z). */
  readonly doFringe?: boolean;
  /** Fringe fit options. */
  readonly fringe?: FringeOptions;
  /** Interpolate over `maskListToInterpolate` (default true). */
  readonly doInterpolate?: boolean;
  /** Planes interpolated over (default ["SAT", "BAD"]). */
  readonly maskListToInterpolate?: readonly string[];
}

/** What `runIsr` returns. */
export interface IsrResult {
  /** The ISR-corrected exposure (electrons unless doApplyGains is false). */
  readonly exposure: Exposure<Float32Array>;
  /** Overscan fit per amplifier. */
  readonly overscan: Readonly<Record<string, OverscanResult>>;
  /** Fringe fit, if done. */
  readonly fringe: FringeFit | null;
  /** Pixels flagged per plane. */
  readonly counts: { readonly sat: number; readonly bad: number; readonly intrp: number; readonly nan: number };
  /** Wall time of each step, ms. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Runs ISR on one raw CCD (see the module doc for the order). */
export function runIsr(raw: RawCcd, calibs: IsrCalibs = {}, options: IsrOptions = {}): IsrResult {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = (timings[name] ?? 0) + (t - t0);
    t0 = t;
  };
  const det = raw.detector;
  const rawImg =
    raw.image.dtype === "float32"
      ? options.mutateRaw
        ? raw.image
        : raw.image.clone()
      : (raw.image as Image).convertTo("float32");
  const rawW = rawImg.width;
  const rawH = rawImg.height;
  const mask = Mask.fromBBox(det.bbox);
  const SAT = mask.getPlaneBitMask("SAT");
  const BAD = mask.getPlaneBitMask("BAD");
  const SUSPECT = mask.getPlaneBitMask("SUSPECT");
  const INTRP = mask.getPlaneBitMask("INTRP");
  const EDGE = mask.getPlaneBitMask("EDGE");
  let nSat = 0;
  // 1-2. saturation / suspect on raw counts, per amp data box (flagged in the assembled mask)
  for (const amp of det.amplifiers) {
    if (options.doSaturation ?? true) {
      const level = options.saturation ?? amp.saturation;
      if (Number.isFinite(level)) {
        const pos = thresholdPositions(rawImg, level, amp.rawDataBBox);
        nSat += pos.length / 2;
        flagRawPositions(mask, amp, pos, SAT, options.growSaturationFootprintSize ?? 1);
      }
    }
    if ((options.doSuspect ?? false) && Number.isFinite(amp.suspectLevel)) {
      flagRawPositions(mask, amp, thresholdPositions(rawImg, amp.suspectLevel, amp.rawDataBBox), SUSPECT, 0);
    }
  }
  lap("saturation");
  const overscan: Record<string, OverscanResult> = {};
  if (options.doOverscan ?? true)
    for (const amp of det.amplifiers) overscan[amp.name] = overscanCorrectAmplifier(rawImg, amp, options.overscan);
  lap("overscan");
  // 4. assembly
  const image = assembleImage(rawImg, det);
  const variance = Image.fromBBox(det.bbox, "float32");
  const mi = new MaskedImage(image, mask, variance);
  const calib = (img: Image<Float32Array>, what: string) => toDetectorFrame(img, det, rawW, rawH, what);
  lap("assembly");
  if ((options.doCrosstalk ?? true) && calibs.crosstalk) crosstalkCorrect(image, det, calibs.crosstalk);
  const bias = (options.doBias ?? true) && calibs.bias ? calib(calibs.bias, "bias") : undefined;
  const linearize = (options.doLinearize ?? true) && det.amplifiers.some((a) => a.linearityType !== "NONE");
  const gains = options.doApplyGains ?? true;
  const doVariance = options.doVariance ?? true;
  const doNanMasking = options.doNanMasking ?? true;
  const darkDarkTime = calibs.dark?.darkTime ?? 1;
  const expDarkTime = raw.visitInfo?.darkTime ?? Number.NaN;
  const dark = (options.doDark ?? true) && calibs.dark ? calib(calibs.dark.image, "dark") : undefined;
  const flat = (options.doFlat ?? true) && calibs.flat ? calib(calibs.flat, "flat") : undefined;
  let nBad = 0;
  const maskDefectsEdgesTrails = (): void => {
    if ((options.doDefect ?? true) && calibs.defects) nBad += maskDefects(mask, calibs.defects, BAD);
    maskEdges(mask, options.edgeMaskWidth ?? 0, EDGE);
    if (options.doWidenSaturationTrails ?? true) widenSaturationTrails(mask, SAT);
  };
  let nNan = 0;
  if ((options.fuseCalibration ?? true) && !linearize && (gains || !doVariance)) {
    // The common case in one pass (fused.ts): same arithmetic and results as the steps below.
    maskDefectsEdgesTrails();
    if (dark) checkDarkTimes(expDarkTime, darkDarkTime);
    nNan = fusedCalibrate(mi, det, {
      bias,
      applyGains: gains,
      setVariance: doVariance,
      dark: dark ? { image: dark, factor: expDarkTime / darkDarkTime } : undefined,
      flat: flat ? { image: flat, scale: flatScale(flat, mask, BAD) } : undefined,
      nanBits: doNanMasking || flat ? BAD : 0,
    });
    if (!doNanMasking) nNan = 0;
    lap("bias+gain+variance+dark+flat (fused)");
  } else {
    if (bias) subtractBias(image, bias);
    lap("crosstalk+bias");
    if (linearize) {
      for (const amp of det.amplifiers) {
        if (amp.linearityType === "POLYNOMIAL") linearizePolynomial(image, amp.bbox, amp.linearityCoeffs);
        else if (amp.linearityType === "LOOKUP") {
          const t = calibs.linearityTables?.[amp.name];
          if (!t)
            throw new IsrError("BAD_CALIB", `amplifier ${amp.name} of ${det.name} has LOOKUP linearity but no table was given`);
          linearizeLookupTable(image, amp.bbox, t, amp.linearityCoeffs[0] ?? 0);
        }
      }
    }
    if (gains) applyGains(image, det);
    if (doVariance) {
      if (gains) setVarianceElectrons(mi, det);
      else {
        // ADU: var = image/gain + (rn/gain)²
        applyGains(image, det);
        setVarianceElectrons(mi, det);
        for (const amp of det.amplifiers) {
          const g = amp.gain;
          image.subimage(amp.bbox).div(g);
          variance.subimage(amp.bbox).div(g * g);
        }
      }
    }
    lap("linearity+gain+variance");
    maskDefectsEdgesTrails();
    // normalised over the non-defect pixels, before NaN masking (as the fused path)
    const flatNorm = flat ? flatScale(flat, mask, BAD) : undefined;
    nNan = doNanMasking ? maskNans(image, mask, BAD) : 0;
    lap("defects+nan+edge+widen");
    if (dark) subtractDark(image, dark, expDarkTime, darkDarkTime);
    if (flat) {
      divideFlat(mi, flat, flatNorm);
      maskNans(image, mask, BAD);
    }
    lap("dark+flat");
  }
  let fringe: FringeFit | null = null;
  if ((options.doFringe ?? true) && calibs.fringe) {
    const f = calib(calibs.fringe, "fringe");
    fringe = fitFringe(image, f, mask, { badBits: SAT | BAD, ...options.fringe });
    subtractFringe(image, f, fringe.amplitude);
  }
  lap("fringe");
  let nIntrp = 0;
  if (options.doInterpolate ?? true) {
    const bits = mask.getPlaneBitMask(options.maskListToInterpolate ?? ["SAT", "BAD"]);
    nIntrp = interpolateOverMask(mi, bits, INTRP);
  }
  lap("interpolate");
  const metadata: PropertyList = raw.metadata ? raw.metadata.clone() : new OrderedPropertyList();
  for (const [name, r] of Object.entries(overscan)) {
    metadata.set(`LSST ISR OVERSCAN LEVEL ${name}`, r.level, `overscan model median, ADU`);
    metadata.set(`LSST ISR OVERSCAN RESIDUAL STDEV ${name}`, r.residualStdev, `overscan fit residual, ADU`);
  }
  if (fringe) metadata.set("LSST ISR FRINGE AMPLITUDE", fringe.amplitude);
  metadata.set("LSST ISR UNITS", gains ? "electron" : "adu");
  const exposure = new Exposure(
    mi,
    new ExposureInfo({ visitInfo: raw.visitInfo ?? null, filter: raw.filter ?? null, detector: det, metadata }),
  );
  return { exposure, overscan, fringe, counts: { sat: nSat, bad: nBad, intrp: nIntrp, nan: nNan }, timings };
}
