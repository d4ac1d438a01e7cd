/**
 * Angle helpers. Angles are plain numbers in **radians** throughout skystack (like lsst.geom's
 * Angle, whose internal unit is radians); these functions convert to and from other units and wrap
 * angles into standard ranges.
 */

/** π. */
export const PI = Math.PI;
/** 2π. */
export const TWO_PI = 2 * Math.PI;
/** π/2. */
export const HALF_PI = 0.5 * Math.PI;
/** Radians per degree (π/180). */
export const RAD_PER_DEG = Math.PI / 180;
/** Degrees per radian (180/π). */
export const DEG_PER_RAD = 180 / Math.PI;
/** Arcseconds per radian (648000/π ≈ 206264.806). */
export const ARCSEC_PER_RAD = 648000 / Math.PI;

/** Degrees → radians. */
export function degToRad(deg: number): number {
  return deg * RAD_PER_DEG;
}

/** Radians → degrees. */
export function radToDeg(rad: number): number {
  return rad * DEG_PER_RAD;
}

/** Arcminutes → radians. */
export function arcminToRad(arcmin: number): number {
  return (arcmin / 60) * RAD_PER_DEG;
}

/** Radians → arcminutes. */
export function radToArcmin(rad: number): number {
  return rad * DEG_PER_RAD * 60;
}

/** Arcseconds → radians. */
export function arcsecToRad(arcsec: number): number {
  return arcsec / ARCSEC_PER_RAD;
}

/** Radians → arcseconds. */
export function radToArcsec(rad: number): number {
  return rad * ARCSEC_PER_RAD;
}

/** Milliarcseconds → radians. */
export function masToRad(mas: number): number {
  return mas / (1000 * ARCSEC_PER_RAD);
}

/** Radians → milliarcseconds. */
export function radToMas(rad: number): number {
  return rad * 1000 * ARCSEC_PER_RAD;
}

/** Hours of right ascension (24 h = 2π) → radians. */
export function hoursToRad(hours: number): number {
  return hours * (Math.PI / 12);
}

/** Radians → hours of right ascension. */
export function radToHours(rad: number): number {
  return rad * (12 / Math.PI);
}

/** Wrap an angle into [0, 2π) radians (NaN/±Infinity → NaN). */
export function wrapAngle(rad: number): number {
  let w = rad % TWO_PI;
  if (w < 0) {
    w += TWO_PI;
    // tiny negative inputs can round up to exactly 2π
    if (w >= TWO_PI) w = 0;
  }
  return w + 0;
}

/** Wrap an angle into [−π, π) radians (NaN/±Infinity → NaN). */
export function wrapAngleCtr(rad: number): number {
  let w = wrapAngle(rad);
  if (w >= PI) w -= TWO_PI;
  return w;
}

/** Wrap an angle into [ref − π, ref + π) radians, i.e. the representative nearest `ref`. */
export function wrapAngleNear(rad: number, ref: number): number {
  return ref + wrapAngleCtr(rad - ref);
}
