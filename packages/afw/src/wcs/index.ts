/** World coordinate systems: SkyWcs (FITS projections, TAN-SIP, TPV, TNX), fitting, pixel↔pixel transforms. */

export { type CelestialRotation, makeCelestialRotation } from "./celestial.js";
export * from "./errors.js";
export { fitTanSipWcs, fitTpvWcs, type WcsFitMatches, type WcsFitOptions, type WcsFitResult } from "./fit.js";
export { weightedLeastSquares } from "./lsq.js";
export {
  getFitsMetadata,
  makeCdMatrix,
  makeSkyWcs,
  makeTanSipWcs,
  makeTpvWcs,
  readSkyWcs,
  readSkyWcsFromFile,
  type SimpleWcsParams,
} from "./make.js";
export {
  hasCelestialWcs,
  type PlaneDistortion,
  type ReadWcsOptions,
  readWcsModel,
  type SipDistortion,
  type SkyFrame,
  TPV_TERMS,
  type WcsModel,
  xy0FromHeader,
} from "./parse.js";
export { Poly2D } from "./poly.js";
export { makeProjection, PROJECTION_CODES, type Projection, type ProjectionParams } from "./projections.js";
export { type Matrix2, type SkyToPixelOptions, type SkyToPixelResult, SkyWcs } from "./skywcs.js";
export { approximateOnGrid, type GridApproximation, type GridApproximationOptions, WcsPairTransform } from "./transform.js";
