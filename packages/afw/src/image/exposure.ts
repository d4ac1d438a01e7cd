/**
 * `Exposure<T>`: a MaskedImage plus its {@link ExposureInfo} (afw `Exposure`).
 *
 * @example
 * const exp = Exposure.fromBBox(Box2I.fromXYWH(0, 0, 2048, 4096));     // float32
 * exp.info.visitInfo = makeVisitInfo({ exposureTime: 30 });
 * const cutout = exp.subimage(Box2I.fromXYWH(100, 100, 64, 64));       // view, same WCS/PSF/...
 */
import type { Box2I } from "../geom/box.js";
import type { Point2I } from "../geom/point.js";
import type { DetectorLike, FilterLabel, PhotoCalibLike, PsfLike, SkyWcsLike } from "./components.js";
import type { ArrayOf, PixelArray, PixelDtype } from "./dtype.js";
import { ExposureInfo } from "./exposureInfo.js";
import type { Image } from "./image.js";
import type { ImageOrigin } from "./imageBase.js";
import type { Mask } from "./mask.js";
import { MaskedImage, type NewMaskedImageOptions } from "./maskedImage.js";
import type { PropertyList } from "./propertyList.js";
import type { VisitInfo } from "./visitInfo.js";

/** Options for allocating an exposure. */
export interface NewExposureOptions extends NewMaskedImageOptions {
  /** Exposure info (default: a new, empty one). */
  readonly info?: ExposureInfo;
}

/** A masked image with WCS, PSF, calibration and observation metadata. */
export class Exposure<T extends PixelArray = Float32Array> {
  /** The pixels: image, mask and variance. */
  readonly maskedImage: MaskedImage<T>;
  /** Everything else. */
  readonly info: ExposureInfo;

  /** Wrap a masked image (no copy) with optional info (default: empty). */
  constructor(maskedImage: MaskedImage<T>, info: ExposureInfo = new ExposureInfo()) {
    this.maskedImage = maskedImage;
    this.info = info;
  }

  /**
   * A zero-filled exposure of `width` × `height` pixels.
   * @param dtype image pixel type (default "float32")
   */
  static make<D extends PixelDtype = "float32">(
    width: number,
    height: number,
    dtype?: D,
    options: NewExposureOptions = {},
  ): Exposure<ArrayOf<D>> {
    const { info, ...miOptions } = options;
    return new Exposure(MaskedImage.make(width, height, dtype, miOptions), info);
  }

  /** A zero-filled exposure covering `bbox` (PARENT coordinates; xy0 = bbox.min). */
  static fromBBox<D extends PixelDtype = "float32">(
    bbox: Box2I,
    dtype?: D,
    options: Omit<NewExposureOptions, "xy0"> = {},
  ): Exposure<ArrayOf<D>> {
    return Exposure.make(bbox.width, bbox.height, dtype, { ...options, xy0: bbox.min });
  }

  /** Image plane. */
  get image(): Image<T> {
    return this.maskedImage.image;
  }

  /** Mask plane. */
  get mask(): Mask {
    return this.maskedImage.mask;
  }

  /** Variance plane (float32, image units squared). */
  get variance(): Image<Float32Array> {
    return this.maskedImage.variance;
  }

  /** Number of columns. */
  get width(): number {
    return this.maskedImage.width;
  }

  /** Number of rows. */
  get height(): number {
    return this.maskedImage.height;
  }

  /** PARENT coordinates of the first pixel. */
  get xy0(): Point2I {
    return this.maskedImage.xy0;
  }

  /** Bounding box in PARENT coordinates. */
  get bbox(): Box2I {
    return this.maskedImage.bbox;
  }

  /** Bounding box in PARENT (default) or LOCAL coordinates. */
  getBBox(origin: ImageOrigin = "PARENT"): Box2I {
    return this.maskedImage.getBBox(origin);
  }

  /** Image pixel type. */
  get dtype(): MaskedImage<T>["dtype"] {
    return this.maskedImage.dtype;
  }

  /** `info.wcs` (PARENT pixels ↔ sky), or null. */
  get wcs(): SkyWcsLike | null {
    return this.info.wcs;
  }
  set wcs(value: SkyWcsLike | null) {
    this.info.wcs = value;
  }

  /** `info.psf`, or null. */
  get psf(): PsfLike | null {
    return this.info.psf;
  }
  set psf(value: PsfLike | null) {
    this.info.psf = value;
  }

  /** `info.photoCalib`, or null. */
  get photoCalib(): PhotoCalibLike | null {
    return this.info.photoCalib;
  }
  set photoCalib(value: PhotoCalibLike | null) {
    this.info.photoCalib = value;
  }

  /** `info.filter`, or null. */
  get filter(): FilterLabel | null {
    return this.info.filter;
  }
  set filter(value: FilterLabel | null) {
    this.info.filter = value;
  }

  /** `info.visitInfo`, or null. */
  get visitInfo(): VisitInfo | null {
    return this.info.visitInfo;
  }
  set visitInfo(value: VisitInfo | null) {
    this.info.visitInfo = value;
  }

  /** `info.detector`, or null. */
  get detector(): DetectorLike | null {
    return this.info.detector;
  }
  set detector(value: DetectorLike | null) {
    this.info.detector = value;
  }

  /** `info.metadata`. */
  get metadata(): PropertyList {
    return this.info.metadata;
  }
  set metadata(value: PropertyList) {
    this.info.metadata = value;
  }

  /**
   * A view of the pixels in `bbox` (PARENT coordinates by default) with a shallow copy of the info
   * (same WCS, PSF, ... and the same metadata object), as afw does. WCS/PSF keep working because
   * they are defined in PARENT coordinates.
   * @throws AfwError OUT_OF_BOUNDS if the box is not inside.
   */
  subimage(bbox: Box2I, origin: ImageOrigin = "PARENT"): Exposure<T> {
    return new Exposure(this.maskedImage.subimage(bbox, origin), this.info.copy(false));
  }

  /** Deep copy: pixels copied, metadata cloned (component objects shared; they are immutable). */
  clone(): Exposure<T> {
    return new Exposure(this.maskedImage.clone(), this.info.copy(true));
  }

  /** e.g. `Exposure<float32>(2048x4096, xy0=(0, 0))`. */
  toString(): string {
    return `Exposure<${this.dtype}>(${this.width}x${this.height}, xy0=(${this.xy0.x}, ${this.xy0.y}))`;
  }
}
