/**
 * `ExposureInfo`: everything an exposure carries besides pixels (afw `ExposureInfo`): WCS, PSF,
 * photometric calibration, filter, visit info, detector, exposure id, summary statistics, other
 * named components, and the header-like `metadata`.
 *
 * Fields are mutable (like afw's setters); absent components are `null`. Component objects (WCS,
 * PSF, ...) are treated as immutable and shared between copies; `metadata` is shared by a shallow
 * copy and cloned by a deep one (afw's `ExposureInfo(other, deep)`).
 */
import type { DetectorLike, ExposureSummaryStats, FilterLabel, PhotoCalibLike, PsfLike, SkyWcsLike } from "./components.js";
import { OrderedPropertyList, type PropertyList } from "./propertyList.js";
import type { VisitInfo } from "./visitInfo.js";

/** Initial values for {@link ExposureInfo} (all optional). */
export interface ExposureInfoInit {
  /** Pixel ↔ sky mapping. */
  readonly wcs?: SkyWcsLike | null;
  /** Point-spread function. */
  readonly psf?: PsfLike | null;
  /** Photometric calibration. */
  readonly photoCalib?: PhotoCalibLike | null;
  /** Filter label. */
  readonly filter?: FilterLabel | null;
  /** Observation metadata. */
  readonly visitInfo?: VisitInfo | null;
  /** Detector. */
  readonly detector?: DetectorLike | null;
  /** Exposure id. */
  readonly id?: number | null;
  /** Summary statistics. */
  readonly summaryStats?: ExposureSummaryStats | null;
  /** Header-like metadata (default: a new empty list). */
  readonly metadata?: PropertyList;
  /** Other components by afw key (e.g. "VALID_POLYGON", "COADD_INPUTS", "AP_CORR_MAP"). */
  readonly components?: Iterable<readonly [string, unknown]>;
}

/** Non-pixel information about an exposure. */
export class ExposureInfo {
  /** Pixel ↔ sky mapping (PARENT pixels), or null. */
  wcs: SkyWcsLike | null;
  /** Point-spread function model, or null. */
  psf: PsfLike | null;
  /** Photometric calibration (counts → nJy), or null. */
  photoCalib: PhotoCalibLike | null;
  /** Filter label, or null. */
  filter: FilterLabel | null;
  /** Observation metadata, or null. */
  visitInfo: VisitInfo | null;
  /** Detector, or null. */
  detector: DetectorLike | null;
  /** Exposure id (FITS EXPID; exact up to 2^53), or null. */
  id: number | null;
  /** Summary statistics, or null. */
  summaryStats: ExposureSummaryStats | null;
  /** Header-like metadata (the primary-HDU cards that are not otherwise interpreted). */
  metadata: PropertyList;
  /**
   * Further components by afw ExposureInfo key ("VALID_POLYGON", "COADD_INPUTS", "AP_CORR_MAP",
   * "TRANSMISSION_CURVE", ...), for the packages that define them.
   */
  readonly components: Map<string, unknown>;

  constructor(init: ExposureInfoInit = {}) {
    this.wcs = init.wcs ?? null;
    this.psf = init.psf ?? null;
    this.photoCalib = init.photoCalib ?? null;
    this.filter = init.filter ?? null;
    this.visitInfo = init.visitInfo ?? null;
    this.detector = init.detector ?? null;
    this.id = init.id ?? null;
    this.summaryStats = init.summaryStats ?? null;
    this.metadata = init.metadata ?? new OrderedPropertyList();
    this.components = new Map(init.components ?? []);
  }

  /** True if a WCS is attached. */
  hasWcs(): boolean {
    return this.wcs !== null;
  }

  /** True if a PSF is attached. */
  hasPsf(): boolean {
    return this.psf !== null;
  }

  /** True if a photometric calibration is attached. */
  hasPhotoCalib(): boolean {
    return this.photoCalib !== null;
  }

  /**
   * A copy. Shallow (default): same component objects and the same `metadata` object. Deep:
   * `metadata` is cloned too (component objects are still shared; they are immutable).
   */
  copy(deep = false): ExposureInfo {
    return new ExposureInfo({
      wcs: this.wcs,
      psf: this.psf,
      photoCalib: this.photoCalib,
      filter: this.filter,
      visitInfo: this.visitInfo,
      detector: this.detector,
      id: this.id,
      summaryStats: this.summaryStats,
      metadata: deep ? this.metadata.clone() : this.metadata,
      components: this.components,
    });
  }
}
