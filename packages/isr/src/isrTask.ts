/**
 * `IsrTask`: the pipe Task wrapper of {@link runIsr}. Its config exposes runIsr's switches and
 * parameters with ip_isr's names and defaults (reference/lsst-anatomy.md §3) where they apply.
 * Deviations: `doApplyGains` defaults to true (skystack's ISR output is in electrons) and
 * `doCrosstalk` only acts when a crosstalk matrix is given.
 */
import { type ConfigOf, defineConfig, type Frozen, field, Task } from "@skystack/pipe";
import type { FringeOptions } from "./fringe.js";
import type { OverscanOptions } from "./overscan.js";
import { type IsrCalibs, type IsrOptions, type IsrResult, type RawCcd, runIsr } from "./runIsr.js";

/** Overscan correction parameters (ip_isr OverscanCorrectionTaskConfig). */
export const OverscanConfig = defineConfig("OverscanConfig", {
  fitType: field.choice({
    doc: "Overscan model",
    default: "MEDIAN",
    allowed: {
      MEAN: "one mean over the whole overscan",
      MEDIAN: "one median over the whole overscan",
      MEDIAN_PER_ROW: "clipped median of each row",
      POLY: "polynomial of `order` along the readout axis",
      CHEB: "Chebyshev series of `order` along the readout axis",
      NATURAL_SPLINE: "natural cubic spline through `order` bins",
    },
  }),
  order: field.int({ doc: "Polynomial degree (POLY/CHEB) or number of spline bins (NATURAL_SPLINE)", default: 1, min: 0 }),
  numSigmaClip: field.float({ doc: "Per-row clipping threshold", default: 3, units: "sigma", min: 0, inclusiveMin: false }),
  leadingColumnsToSkip: field.int({
    doc: "Serial overscan columns skipped nearest the data",
    default: 0,
    units: "pixel",
    min: 0,
  }),
  trailingColumnsToSkip: field.int({ doc: "Serial overscan columns skipped at the far end", default: 0, units: "pixel", min: 0 }),
});

/** Fringe fit parameters (ip_isr FringeTaskConfig). */
export const FringeConfig = defineConfig("FringeConfig", {
  num: field.int({ doc: "Number of measurement boxes", default: 30000, min: 1 }),
  small: field.int({ doc: "Measurement box half-size", default: 3, units: "pixel", min: 0 }),
  iterations: field.int({ doc: "Clipping rounds of the amplitude fit", default: 20, min: 1 }),
  clip: field.float({ doc: "Clipping threshold of the amplitude fit", default: 3, units: "sigma", min: 0, inclusiveMin: false }),
  pedestal: field.bool({ doc: "Fit a constant pedestal with the amplitude", default: true }),
  seed: field.int({ doc: "Seed of the measurement box positions", default: 1 }),
});

/** IsrTask configuration (ip_isr IsrTaskConfig names). */
export const IsrConfig = defineConfig("IsrConfig", {
  doSaturation: field.bool({ doc: "Flag SAT where the raw value reaches the saturation level", default: true }),
  saturation: field.float({
    doc: "Saturation level override; NaN = each amplifier's level from the camera",
    default: Number.NaN,
    units: "adu",
  }),
  growSaturationFootprintSize: field.int({ doc: "Box growth of SAT footprints", default: 1, units: "pixel", min: 0 }),
  doSuspect: field.bool({ doc: "Flag SUSPECT where the raw value reaches the amplifier's suspect level", default: false }),
  doOverscan: field.bool({ doc: "Subtract the overscan per amplifier", default: true }),
  overscan: field.config(OverscanConfig, { doc: "Overscan correction parameters" }),
  doBias: field.bool({ doc: "Subtract the master bias (when one is given)", default: true }),
  doLinearize: field.bool({ doc: "Correct non-linearity per amplifier type", default: true }),
  doCrosstalk: field.bool({ doc: "Correct crosstalk (when a coefficient matrix is given)", default: false }),
  doApplyGains: field.bool({
    doc: "Convert ADU to electrons per amplifier (ip_isr default F; skystack outputs electrons)",
    default: true,
  }),
  doVariance: field.bool({
    doc: "Compute the variance plane: signal/gain + readNoise^2 (electron^2 when gains are applied)",
    default: true,
  }),
  doDefect: field.bool({ doc: "Mask defects as BAD (when a defect list is given)", default: true }),
  doNanMasking: field.bool({ doc: "Mask NaN/inf pixels as BAD", default: true }),
  edgeMaskWidth: field.int({ doc: "Width of the EDGE border mask; 0 = none", default: 0, units: "pixel", min: 0 }),
  doWidenSaturationTrails: field.bool({ doc: "Fill short gaps in SAT runs along bleed trails", default: true }),
  doDark: field.bool({ doc: "Subtract the master dark scaled by dark time (when one is given)", default: true }),
  doFlat: field.bool({ doc: "Divide by the mean-normalised master flat (when one is given)", default: true }),
  doFringe: field.bool({ doc: "Fit and subtract the fringe frame (when one is given)", default: true }),
  fringe: field.config(FringeConfig, { doc: "Fringe fit parameters" }),
  doInterpolate: field.bool({ doc: "Interpolate over the planes of maskListToInterpolate (flags INTRP)", default: true }),
  maskListToInterpolate: field.list(field.string({ doc: "mask plane name", default: "" }), {
    doc: "Mask planes interpolated over",
    default: ["SAT", "BAD"],
  }),
});

/** The IsrTask config value. */
export type IsrConfigValue = ConfigOf<typeof IsrConfig>;

/** Translates an IsrTask config into {@link runIsr} options. */
export function isrOptionsFromConfig(c: IsrConfigValue | Frozen<IsrConfigValue>): IsrOptions {
  const overscan: OverscanOptions = {
    fitType: c.overscan.fitType,
    order: c.overscan.order,
    numSigmaClip: c.overscan.numSigmaClip,
    leadingColumnsToSkip: c.overscan.leadingColumnsToSkip,
    trailingColumnsToSkip: c.overscan.trailingColumnsToSkip,
  };
  const fringe: FringeOptions = {
    num: c.fringe.num,
    small: c.fringe.small,
    iterations: c.fringe.iterations,
    clip: c.fringe.clip,
    pedestal: c.fringe.pedestal,
    seed: c.fringe.seed,
  };
  return {
    doSaturation: c.doSaturation,
    ...(Number.isNaN(c.saturation) ? {} : { saturation: c.saturation }),
    growSaturationFootprintSize: c.growSaturationFootprintSize,
    doSuspect: c.doSuspect,
    doOverscan: c.doOverscan,
    overscan,
    doBias: c.doBias,
    doLinearize: c.doLinearize,
    doCrosstalk: c.doCrosstalk,
    doApplyGains: c.doApplyGains,
    doVariance: c.doVariance,
    doDefect: c.doDefect,
    doNanMasking: c.doNanMasking,
    edgeMaskWidth: c.edgeMaskWidth,
    doWidenSaturationTrails: c.doWidenSaturationTrails,
    doDark: c.doDark,
    doFlat: c.doFlat,
    doFringe: c.doFringe,
    fringe,
    doInterpolate: c.doInterpolate,
    maskListToInterpolate: [...c.maskListToInterpolate],
  };
}

/** Instrument signature removal of one raw CCD (ip_isr IsrTask); `run` calls {@link runIsr}. */
export class IsrTask extends Task<typeof IsrConfig> {
  static readonly ConfigSchema = IsrConfig;
  static readonly defaultName = "isr";

  /** Runs ISR on `raw` with `calibs`; records `runDuration` and the flagged-pixel counts in metadata. */
  run(raw: RawCcd, calibs: IsrCalibs = {}): Promise<IsrResult> {
    return this.timed("run", () => {
      const result = runIsr(raw, calibs, isrOptionsFromConfig(this.config));
      this.metadata["nSaturated"] = result.counts.sat;
      this.metadata["nBad"] = result.counts.bad;
      this.metadata["nInterpolated"] = result.counts.intrp;
      if (result.fringe) this.metadata["fringeAmplitude"] = result.fringe.amplitude;
      return result;
    });
  }
}
