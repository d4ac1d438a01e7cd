/**
 * @skystack/obs-cfht — CFHT MegaCam: camera geometry, header translation, raw formatter,
 * Elixir defect masks and the MegaCam raw simulator.
 */
export { CardSource } from "./cards.js";
export * from "./camera.js";
export { MEGACAM_CCDS, type MegacamCcdRow } from "./ccdTable.js";
export { CfhtError, type CfhtErrorCode } from "./errors.js";
export { abstractBand, MEGACAM_FILTERS, megacamFilterLabel } from "./filters.js";
export { parseHeaderText } from "./headerText.js";
export { taiMinusUtc, utcToTaiMjd } from "./time.js";
export * from "./translator.js";
export { readElixirDefects, readElixirMaskRaw } from "./defects.js";
export { isElixirProcessed, MEGACAM_FRINGE_FILTERS, megacamIsrOptions } from "./isrConfig.js";
export { ccdExtname, type MegacamRawCcd, readMegacamCalib, readMegacamRaw } from "./rawFormatter.js";
export { megacamCcdHeader, megacamPrimaryHeader, type MegacamVisit } from "./rawHeaders.js";
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
