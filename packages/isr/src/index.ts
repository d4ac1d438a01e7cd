/**
 * @skystack/isr — instrument signature removal as plain functions over afw images (overscan,
 * assembly, saturation, bias/dark/flat/fringe, linearity, crosstalk, defects, interpolation,
 * variance), `runIsr` composing them in ip_isr's order, and master-calibration combination.
 */
export { assembleImage, assembleMask, toDetectorFrame } from "./assemble.js";
export { calibCommand } from "./calibCli.js";
export { configTable, type IsrCliLog, isrCommand } from "./cli.js";
export {
  type CombineInput,
  type CombineOptions,
  type CombineResult,
  combineFrames,
  fitsBandInput,
  imageBandInput,
  medianIqrOfNormals,
} from "./combine.js";
export {
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
export { defectsFromMaskPixels, maskDefects, rawDefectsToDetector } from "./defects.js";
export { IsrError, type IsrErrorCode } from "./errors.js";
export { naturalSplineEval, polyFitEval } from "./fit.js";
export { type FringeFit, type FringeOptions, fitFringe, subtractFringe } from "./fringe.js";
export { type FusedCalibration, fusedCalibrate } from "./fused.js";
export { type InterpolateOptions, interpolateOverMask } from "./interpolate.js";
export {
  FringeConfig,
  IsrConfig,
  type IsrConfigValue,
  IsrTask,
  isrOptionsFromConfig,
  OverscanConfig,
} from "./isrTask.js";
export {
  collapseOverscanRows,
  fitOverscan,
  type OverscanFitType,
  type OverscanOptions,
  type OverscanResult,
  overscanCorrectAmplifier,
} from "./overscan.js";
export { type IsrCalibs, type IsrOptions, type IsrResult, type RawCcd, runIsr } from "./runIsr.js";
export { flagRawPositions, growBox, maskThreshold, thresholdPositions, widenSaturationTrails } from "./saturation.js";
export { clippedMean, IQR_TO_SIGMA, meanStd, medianInPlace, quantileSorted } from "./stats.js";
