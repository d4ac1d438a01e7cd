/**
 * @skystack/obs-cfht — CFHT MegaCam: camera geometry, header translation, raw formatter,
 * Elixir defect masks and the MegaCam raw simulator.
 */

/** Header dumps are read by afw (re-exported here for convenience). */
export { parseHeaderText } from "@skystack/afw";
export * from "./camera.js";
export { CardSource } from "./cards.js";
export { MEGACAM_CCDS, type MegacamCcdRow } from "./ccdTable.js";
export { readElixirDefects, readElixirMaskRaw } from "./defects.js";
export { type DefectTable, parseEcsvDefects, readDefectTable, readMegacamDefects } from "./defectTable.js";
export { CfhtError, type CfhtErrorCode } from "./errors.js";
export { abstractBand, MEGACAM_FILTERS, megacamFilterLabel } from "./filters.js";
export { instrument } from "./instrument.js";
export { isElixirProcessed, MEGACAM_FRINGE_FILTERS, megacamIsrConfigOverrides, megacamIsrOptions } from "./isrConfig.js";
export {
  ELIXIR_P_BZERO,
  ELIXIR_P_MIN,
  ELIXIR_P_SATURATE,
  type ElixirCalibNames,
  type ElixirScaling,
  elixirScaling,
  megacamProcessedCcdHeader,
  megacamProcessedPrimaryHeader,
} from "./processedHeaders.js";
export { ccdExtname, type MegacamRawCcd, readMegacamCalib, readMegacamRaw } from "./rawFormatter.js";
export { type MegacamVisit, megacamCcdHeader, megacamPrimaryHeader } from "./rawHeaders.js";
export {
  MEGACAM_PLATE_SCALE,
  type MegacamCcdTruth,
  type MegacamMastersOptions,
  megacamSignature,
  type SimulateMegacamOptions,
  signatureDefects,
  simulateMegacamRaw,
  writeMegacamMasters,
} from "./simulate.js";
export { type SimulateMegacamProcessedOptions, simulateMegacamProcessed } from "./simulateProcessed.js";
export { taiMinusUtc, utcToTaiMjd } from "./time.js";
export * from "./translator.js";
