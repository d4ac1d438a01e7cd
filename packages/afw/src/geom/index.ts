/**
 * Geometry: points, extents, boxes, the pixel convention, angles and sphere points
 * (lsst.geom equivalents).
 */
export {
  ARCSEC_PER_RAD,
  arcminToRad,
  arcsecToRad,
  DEG_PER_RAD,
  degToRad,
  HALF_PI,
  hoursToRad,
  masToRad,
  PI,
  RAD_PER_DEG,
  radToArcmin,
  radToArcsec,
  radToDeg,
  radToHours,
  radToMas,
  TWO_PI,
  wrapAngle,
  wrapAngleCtr,
  wrapAngleNear,
} from "./angle.js";
export { Box2D, Box2I, type EdgeHandling, nextUp } from "./box.js";
export {
  indexToPosition,
  PIXEL_ZERO_POS,
  type PixelIndex,
  positionToIndex,
  positionToIndexOnly,
} from "./pixel.js";
export { checkInt32, Extent2D, Extent2I, INT32_MAX, INT32_MIN, Point2D, Point2I } from "./point.js";
export { SpherePoint, type Vector3 } from "./sphere.js";
