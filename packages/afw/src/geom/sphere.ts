/**
 * `SpherePoint`: a direction on the unit sphere (ICRS RA/Dec, or any longitude/latitude pair).
 *
 * Angles are radians; `raDeg`/`decDeg` give degrees. Separations use a haversine formulation
 * that is accurate to rounding error for every separation (coincident points, 1e-12 rad, quarter
 * circles and antipodes alike), unlike the plain cosine or haversine formulas.
 * Bearings follow lsst.geom: 0 = towards increasing longitude (east), π/2 = towards increasing
 * latitude (north).
 */
import { AfwError } from "../image/errors.js";
import { DEG_PER_RAD, HALF_PI, RAD_PER_DEG, wrapAngle } from "./angle.js";

/** 2π split into a double and the remainder, for precise longitude differences. */
const TWO_PI_HI = 2 * Math.PI;
const TWO_PI_LO = 2.4492935982947064e-16;

/**
 * to − from reduced to [−π, π], computed so that points close together across RA = 0 keep full
 * precision (both inputs are in [0, 2π)).
 */
function lonDiff(from: number, to: number): number {
  const d = to - from;
  if (d > Math.PI) return to - TWO_PI_HI - from - TWO_PI_LO; // to − HI is exact (to > π)
  if (d < -Math.PI) return to + (TWO_PI_HI - from) + TWO_PI_LO; // HI − from is exact (from > π)
  return d;
}

/** A 3-vector, e.g. the unit vector of a SpherePoint. */
export type Vector3 = readonly [number, number, number];

/** A point on the unit sphere: longitude (RA) in [0, 2π), latitude (Dec) in [−π/2, π/2]. */
export class SpherePoint {
  /** Longitude / right ascension in radians, wrapped into [0, 2π). */
  readonly ra: number;
  /** Latitude / declination in radians, in [−π/2, π/2]. */
  readonly dec: number;

  /**
   * @param ra longitude (radians); wrapped into [0, 2π)
   * @param dec latitude (radians); must be within [−π/2, π/2] (NaN is accepted as "unknown")
   * @throws AfwError INVALID_ARGUMENT if |dec| > π/2 or ra is ±Infinity.
   */
  constructor(ra: number, dec: number) {
    if (Math.abs(dec) > HALF_PI) {
      throw new AfwError(
        "INVALID_ARGUMENT",
        `SpherePoint latitude ${dec} rad (${dec * DEG_PER_RAD} deg) is outside [-pi/2, pi/2]`,
      );
    }
    if (!Number.isFinite(ra) && !Number.isNaN(ra)) {
      throw new AfwError("INVALID_ARGUMENT", `SpherePoint longitude must be finite, got ${ra}`);
    }
    this.ra = wrapAngle(ra);
    this.dec = dec;
  }

  /** Point from RA and Dec in degrees. */
  static fromDegrees(raDeg: number, decDeg: number): SpherePoint {
    return new SpherePoint(raDeg * RAD_PER_DEG, decDeg * RAD_PER_DEG);
  }

  /** Point from RA and Dec in radians (same as the constructor). */
  static fromRadians(ra: number, dec: number): SpherePoint {
    return new SpherePoint(ra, dec);
  }

  /**
   * Point in the direction of a (not necessarily unit) 3-vector (x towards ra = 0, z towards the
   * north pole). At the poles the longitude is 0.
   * @throws AfwError INVALID_ARGUMENT for the zero vector.
   */
  static fromVector(v: Vector3): SpherePoint {
    const [x, y, z] = v;
    const rxy = Math.hypot(x, y);
    if (rxy === 0 && z === 0) {
      throw new AfwError("INVALID_ARGUMENT", "cannot make a SpherePoint from the zero vector");
    }
    const dec = Math.atan2(z, rxy);
    const ra = rxy === 0 ? 0 : Math.atan2(y, x);
    return new SpherePoint(ra, dec);
  }

  /** Longitude in radians (synonym of `ra`). */
  get longitude(): number {
    return this.ra;
  }

  /** Latitude in radians (synonym of `dec`). */
  get latitude(): number {
    return this.dec;
  }

  /** Right ascension in degrees, [0, 360). */
  get raDeg(): number {
    return this.ra * DEG_PER_RAD;
  }

  /** Declination in degrees, [−90, 90]. */
  get decDeg(): number {
    return this.dec * DEG_PER_RAD;
  }

  /** Unit vector (cos δ cos α, cos δ sin α, sin δ). */
  toVector(): Vector3 {
    const cd = Math.cos(this.dec);
    return [cd * Math.cos(this.ra), cd * Math.sin(this.ra), Math.sin(this.dec)];
  }

  /** True if both coordinates are finite (not NaN). */
  isFinite(): boolean {
    return Number.isFinite(this.ra) && Number.isFinite(this.dec);
  }

  /** True at either pole (|dec| = π/2). */
  atPole(): boolean {
    return Math.abs(this.dec) >= HALF_PI;
  }

  /**
   * Great-circle distance to another point, radians in [0, π].
   *
   * Uses the haversine h = sin²(Δδ/2) + cos δ₁ cos δ₂ sin²(Δα/2) together with its complement
   * 1 − h = sin²((δ₁+δ₂)/2) + cos δ₁ cos δ₂ cos²(Δα/2), both sums of non-negative terms, and
   * returns 2·atan2(√h, √(1 − h)). This keeps full relative precision for tiny separations (where
   * the cosine formula fails) and near antipodes (where the plain haversine fails), like Vincenty's
   * formula, and is exact-ish across RA = 0 because Δα is reduced with a two-part 2π.
   */
  separation(other: SpherePoint): number {
    const dra = lonDiff(this.ra, other.ra);
    const c1c2 = Math.cos(this.dec) * Math.cos(other.dec);
    const sdd = Math.sin(0.5 * (other.dec - this.dec));
    const ssd = Math.sin(0.5 * (other.dec + this.dec));
    const sda = Math.sin(0.5 * dra);
    const cda = Math.cos(0.5 * dra);
    const h = sdd * sdd + c1c2 * sda * sda;
    const k = ssd * ssd + c1c2 * cda * cda;
    return 2 * Math.atan2(Math.sqrt(h), Math.sqrt(k));
  }

  /**
   * Direction at this point of the great-circle arc to `other`, radians in [0, 2π): 0 = east
   * (increasing longitude), π/2 = north (increasing latitude). At a pole, the directions are those
   * of the meridian through this point's longitude; for antipodes any value may be returned.
   */
  bearingTo(other: SpherePoint): number {
    const dra = lonDiff(this.ra, other.ra);
    const s1 = Math.sin(this.dec);
    const c1 = Math.cos(this.dec);
    const s2 = Math.sin(other.dec);
    const c2 = Math.cos(other.dec);
    const east = c2 * Math.sin(dra);
    const north = c1 * s2 - s1 * c2 * Math.cos(dra);
    return wrapAngle(Math.atan2(north, east));
  }

  /**
   * The point reached by moving `amount` radians along the great circle leaving this point in
   * direction `bearing` (radians, convention of {@link bearingTo}). Negative amounts move the other
   * way. If the result is at a pole its longitude is 0.
   */
  offset(bearing: number, amount: number): SpherePoint {
    const sa = Math.sin(this.ra);
    const ca = Math.cos(this.ra);
    const sd = Math.sin(this.dec);
    const cd = Math.cos(this.dec);
    // local east and north unit vectors at this point
    const ex = -sa;
    const ey = ca;
    const nx = -sd * ca;
    const ny = -sd * sa;
    const nz = cd;
    const cb = Math.cos(bearing);
    const sb = Math.sin(bearing);
    const ux = cb * ex + sb * nx;
    const uy = cb * ey + sb * ny;
    const uz = sb * nz;
    const cs = Math.cos(amount);
    const ss = Math.sin(amount);
    const x = cd * ca * cs + ux * ss;
    const y = cd * sa * cs + uy * ss;
    const z = sd * cs + uz * ss;
    return SpherePoint.fromVector([x, y, z]);
  }

  /**
   * Gnomonic (tangent-plane) offsets (ξ, η) of `other` from this point, radians: ξ towards east,
   * η towards north. Suitable for small separations; infinite when `other` is 90° away or more.
   */
  getTangentPlaneOffset(other: SpherePoint): [number, number] {
    const dra = lonDiff(this.ra, other.ra);
    const s1 = Math.sin(this.dec);
    const c1 = Math.cos(this.dec);
    const s2 = Math.sin(other.dec);
    const c2 = Math.cos(other.dec);
    const cdra = Math.cos(dra);
    const d = s1 * s2 + c1 * c2 * cdra;
    return [(c2 * Math.sin(dra)) / d, (c1 * s2 - s1 * c2 * cdra) / d];
  }

  /** Exact equality of RA and Dec (NaN points are never equal, as in lsst.geom). */
  equals(other: SpherePoint): boolean {
    return this.ra === other.ra && this.dec === other.dec;
  }

  /** e.g. `SpherePoint(10.543250, +32.830583)` (degrees). */
  toString(): string {
    const dec = this.decDeg;
    return `SpherePoint(${this.raDeg.toFixed(6)}, ${dec >= 0 ? "+" : ""}${dec.toFixed(6)})`;
  }
}
