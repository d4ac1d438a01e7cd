/**
 * The afw image model: Image, Mask (+ plane dictionaries), MaskedImage, Exposure and
 * ExposureInfo (with VisitInfo, PropertyList metadata and component interfaces), and AfwError.
 */
export {
  type DetectorLike,
  type ExposureSummaryStats,
  type FilterLabel,
  filterLabelEquals,
  makeFilterLabel,
  type PhotoCalibLike,
  type PsfLike,
  type SkyWcsLike,
} from "./components.js";
export {
  type ArrayOf,
  BYTES_PER_PIXEL,
  type DtypeOf,
  dtypeOfArray,
  dtypeRange,
  isFloatDtype,
  makePixelArray,
  PIXEL_DTYPES,
  type PixelArray,
  type PixelArrayByDtype,
  type PixelDtype,
} from "./dtype.js";
export { AfwError, type AfwErrorCode } from "./errors.js";
export { Exposure, type NewExposureOptions } from "./exposure.js";
export { ExposureInfo, type ExposureInfoInit } from "./exposureInfo.js";
export { Image, type NewImageOptions, type PixelSource } from "./image.js";
export {
  checkSameSize,
  copyRegion,
  ImageBase,
  type ImageLayout,
  type ImageOrigin,
  type NumericArray,
  spanLength,
} from "./imageBase.js";
export { type ConformResult, Mask, type MaskOptions, type MaskPixels, type NewMaskOptions } from "./mask.js";
export { MaskedImage, type MaskedPixel, type NewMaskedImageOptions } from "./maskedImage.js";
export {
  bitMaskOf,
  DEFAULT_MASK_PLANES,
  MAX_MASK_PLANES,
  type MaskPlane,
  MaskPlaneDict,
} from "./maskPlaneDict.js";
export { isoStringToMjd, MJD_UNIX_EPOCH, mjdToIsoString } from "./mjd.js";
export {
  OrderedPropertyList,
  type PropertyEntry,
  type PropertyList,
  type PropertyValue,
} from "./propertyList.js";
export {
  EMPTY_VISIT_INFO,
  makeVisitInfo,
  type Observatory,
  type RotType,
  type VisitInfo,
  type Weather,
} from "./visitInfo.js";
