/**
 * @skystack/sim — deterministic simulation of raw CCD data: scenes (stars, galaxies, trails,
 * cosmic rays, bad columns), noiseless truth images, the instrument signature (flat, bias, dark,
 * fringes, saturation and bleeding, gain, read noise, overscans), raw MEF writing, truth and
 * reference catalogs.
 */

export { type RefcatOptions, type TruthRow, truthRows, writeReferenceCatalog, writeTruthCatalog } from "./catalogs.js";
export {
  ARTEFACT,
  biasLevelAt,
  type DetectorSignature,
  makeRawFrame,
  makeSignature,
  type RawFrame,
  type RawFrameOptions,
  type SignatureOptions,
} from "./instrument.js";
export { type MefExtension, type WriteMefOptions, writeMef } from "./mef.js";
export { addPointSource, fwhmAt, type PsfKind, profile, type SimPsf } from "./psf.js";
export { hashString, Rng } from "./random.js";
export { type RenderOptions, renderTruth } from "./render.js";
export {
  magToNanojansky,
  makeScene,
  type SceneOptions,
  type SimBadColumn,
  type SimCosmicRay,
  type SimGalaxy,
  type SimScene,
  type SimStar,
  type SimTrail,
} from "./scene.js";
export { SimTanWcs } from "./wcs.js";
