/**
 * Interfaces for the objects an `ExposureInfo` carries: WCS, PSF, photometric calibration,
 * detector and filter label.
 *
 * SkyWcsLike, PsfLike, PhotoCalibLike and DetectorLike are **placeholders**: they list the few
 * methods the image model and the FITS layer need now; the issues that implement `afw/wcs`,
 * `afw/psf`, `afw/photoCalib` and `afw/cameraGeom` provide classes that satisfy (and extend) them.
 * All positions are PARENT pixel coordinates (LSST convention, 0-based pixel centres).
 */
import type { Point2D } from "../geom/point.js";
import type { SpherePoint } from "../geom/sphere.js";
import type { Image } from "./image.js";

/** A pixel ↔ sky mapping (afw `SkyWcs`). Placeholder interface. */
export interface SkyWcsLike {
  /** Sky position (ICRS) of PARENT pixel position (x, y). */
  pixelToSky(x: number, y: number): SpherePoint;
  /** PARENT pixel position of a sky position (ICRS). */
  skyToPixel(coord: SpherePoint): Point2D;
}

/** A point-spread function model (afw `Psf`). Placeholder interface. */
export interface PsfLike {
  /**
   * PSF image at a PARENT position, centred on that position (sub-pixel shifted), with xy0 in
   * PARENT coordinates, normalised to unit sum.
   */
  computeImage(position: Point2D): Image<Float64Array>;
  /**
   * PSF kernel image at a PARENT position, centred on its middle pixel (xy0 = −centre), not
   * shifted, normalised to unit sum.
   */
  computeKernelImage(position: Point2D): Image<Float64Array>;
}

/** Photometric calibration (afw `PhotoCalib`). Placeholder interface. */
export interface PhotoCalibLike {
  /** Mean calibration factor, nJy per instrumental count. */
  readonly calibrationMean: number;
  /** Uncertainty of `calibrationMean`, nJy per count. */
  readonly calibrationErr: number;
  /** Instrumental flux (counts) → flux in nJy, at an optional PARENT position. */
  instFluxToNanojansky(instFlux: number, position?: Point2D): number;
  /** Instrumental flux (counts) → AB magnitude, at an optional PARENT position. */
  instFluxToMagnitude(instFlux: number, position?: Point2D): number;
}

/** The detector (CCD) an exposure came from (afw `cameraGeom.Detector`). Placeholder interface. */
export interface DetectorLike {
  /** Detector name, e.g. "R22_S11" or "ccd03" (FITS DETNAME). */
  readonly name: string;
  /** Integer detector id within the camera. */
  readonly id: number;
  /** Manufacturer serial (FITS DETSER). */
  readonly serial: string;
}

/** Filter identification (afw `FilterLabel`): abstract band and/or physical filter name. */
export interface FilterLabel {
  /** Abstract band, e.g. "r". */
  readonly band?: string;
  /** Physical filter, e.g. "r.MP9601". */
  readonly physicalLabel?: string;
}

/** A frozen FilterLabel with only the given fields set. */
export function makeFilterLabel(fields: { band?: string; physicalLabel?: string }): FilterLabel {
  const out: { band?: string; physicalLabel?: string } = {};
  if (fields.band !== undefined) out.band = fields.band;
  if (fields.physicalLabel !== undefined) out.physicalLabel = fields.physicalLabel;
  return Object.freeze(out);
}

/** True if both labels have the same band and physical label. */
export function filterLabelEquals(a: FilterLabel, b: FilterLabel): boolean {
  return a.band === b.band && a.physicalLabel === b.physicalLabel;
}

/**
 * Per-exposure summary statistics (afw `ExposureSummaryStats`: psfSigma, psfArea, ra, dec,
 * zeroPoint, skyBg, skyNoise, meanVar, ...), by name; values are numbers with afw's units.
 */
export type ExposureSummaryStats = Readonly<Record<string, number>>;
