/**
 * Shared pieces of the FITS spherical projections (Calabretta & Greisen 2002, "Paper II"): the
 * {@link Projection} interface, domain helpers, and wcslib-compatible degree trigonometry.
 *
 * Two conventions coexist. The {@link Projection} interface works in radians with R0 = 1 (plane
 * coordinates are wcslib's degrees divided by 180/π). The families added for the full Paper II set
 * are written in degrees with R0 = 180/π, exactly the units in which Paper II and wcslib state
 * their formulas, thresholds and tolerances, and adapted by {@link degreeProjection}.
 */
import { WcsError } from "../errors.js";

/** π/2. */
export const HALF_PI = Math.PI / 2;
/** Degrees → radians factor. */
export const D2R = Math.PI / 180;
/** Radians → degrees factor. */
export const R2D = 180 / Math.PI;

/** A spherical projection. */
export interface Projection {
  /** Three-letter FITS code, e.g. "TAN". */
  readonly code: string;
  /** Native longitude of the fiducial point φ0 (radians). */
  readonly phi0: number;
  /** Native latitude of the fiducial point θ0 (radians): π/2 for zenithal, 0 for (pseudo)cylindrical, θa for conics. */
  readonly theta0: number;
  /** Plane (x, y) → native (φ, θ) into out; false if (x, y) is outside the projection (out = NaN). */
  x2s(x: number, y: number, out: Float64Array): boolean;
  /** Native (φ, θ) → plane (x, y) into out; false if the point cannot be projected (out = NaN). */
  s2x(phi: number, theta: number, out: Float64Array): boolean;
}

/** Projection parameters PVi_m of the latitude axis (m → value), as read from the header. */
export type ProjectionParams = ReadonlyMap<number, number>;

/** Sets out to NaN and returns false. */
export function nan(out: Float64Array): false {
  out[0] = Number.NaN;
  out[1] = Number.NaN;
  return false;
}

/** Wraps a longitude difference into [−π, π]. */
export function wrapPi(a: number): number {
  if (a > Math.PI) return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  if (a < -Math.PI) return a + 2 * Math.PI * Math.floor((Math.PI - a) / (2 * Math.PI));
  return a;
}

/**
 * Rejects non-zero parameters a projection does not define (m not in `allowed`).
 * @throws WcsError UNSUPPORTED naming the card.
 */
export function checkParams(code: string, pv: ProjectionParams, allowed: readonly number[] = []): void {
  for (const [m, v] of pv) {
    if (!allowed.includes(m) && v !== 0) {
      throw new WcsError("UNSUPPORTED", `projection ${code} with projection parameter PV2_${m} = ${v} is not implemented`, {
        card: `PV2_${m}`,
      });
    }
  }
}

/** A projection parameter or its default. */
export function param(pv: ProjectionParams, m: number, def: number): number {
  return pv.get(m) ?? def;
}

/** @throws WcsError BAD_CARD for an invalid projection parameter set. */
export function badParams(code: string, why: string, card = "PV2_1"): never {
  throw new WcsError("BAD_CARD", `invalid parameters for the ${code} projection: ${why}`, { card });
}

// --- degree trigonometry with wcslib's exact values at multiples of 90° (wcstrig.c semantics) ---

const TRIG_TOL = 1e-10;

/** cos of degrees; exact at multiples of 90°. */
export function cosd(a: number): number {
  if (a % 90 === 0) {
    const i = Math.abs(Math.floor(a / 90 + 0.5)) % 4;
    return i === 0 ? 1 : i === 2 ? -1 : 0;
  }
  return Math.cos(a * D2R);
}

/** sin of degrees; exact at multiples of 90°. */
export function sind(a: number): number {
  if (a % 90 === 0) {
    const i = Math.abs(Math.floor(a / 90 + 0.5)) % 4;
    if (i === 1) return a > 0 ? 1 : -1;
    if (i === 3) return a > 0 ? -1 : 1;
    return 0;
  }
  return Math.sin(a * D2R);
}

/** tan of degrees; exact at multiples of 45° where finite. */
export function tand(a: number): number {
  const r = a % 360;
  if (r === 0 || Math.abs(r) === 180) return 0;
  if (r === 45 || r === -135 || r === 225 || r === -315) return 1;
  if (r === -45 || r === 135 || r === -225 || r === 315) return -1;
  return Math.tan(a * D2R);
}

/** asin in degrees, tolerating |v| ≤ 1 + 1e-10 like wcslib. */
export function asind(v: number): number {
  if (v <= -1) {
    if (v > -1 - TRIG_TOL) return -90;
  } else if (v === 0) {
    return 0;
  } else if (v >= 1) {
    if (v < 1 + TRIG_TOL) return 90;
  }
  return Math.asin(v) * R2D;
}

/** acos in degrees, tolerating |v| ≤ 1 + 1e-10 like wcslib. */
export function acosd(v: number): number {
  if (v >= 1) {
    if (v < 1 + TRIG_TOL) return 0;
  } else if (v === 0) {
    return 90;
  } else if (v <= -1) {
    if (v > -1 - TRIG_TOL) return 180;
  }
  return Math.acos(v) * R2D;
}

/** atan in degrees; exact at 0 and ±1. */
export function atand(v: number): number {
  if (v === -1) return -45;
  if (v === 0) return 0;
  if (v === 1) return 45;
  return Math.atan(v) * R2D;
}

/** atan2 in degrees; exact on the axes. */
export function atan2d(y: number, x: number): number {
  if (y === 0) return x >= 0 ? 0 : 180;
  if (x === 0) return y > 0 ? 90 : -90;
  return Math.atan2(y, x) * R2D;
}

/** Tolerance (degrees) of {@link boundsCheck}: wcslib uses 1e-13..1e-11 on its degree values; 1e-10
 * also absorbs the radian ↔ degree conversions of this implementation. */
export const BOUNDS_TOL_DEG = 1e-10;

/** How close to a pole (degrees) φ is treated as degenerate by {@link boundsCheck}. */
const POLE_DEG = 1e-6;

/**
 * wcslib's `prjbchk`: native (φ, θ) in degrees must lie in [−180, 180] × [−90, 90] within `tol`;
 * values within the tolerance are clamped. Returns false when out of range. Within 1e-6° of a pole,
 * where φ is degenerate and the inverse formulas amplify rounding in it, an overshooting φ is
 * wrapped into range instead of rejected (the position is then off by < 1e-14° on the sky).
 */
export function boundsCheck(out: Float64Array, tol: number): boolean {
  const theta = out[1]!;
  if (theta < -90) {
    if (theta < -90 - tol) return false;
    out[1] = -90;
  } else if (theta > 90) {
    if (theta > 90 + tol) return false;
    out[1] = 90;
  }
  const phi = out[0]!;
  if (phi < -180 || phi > 180) {
    if (90 - Math.abs(out[1]!) < POLE_DEG) out[0] = phi - 360 * Math.round(phi / 360);
    else if (phi < -180 - tol || phi > 180 + tol) return false;
    else out[0] = phi < 0 ? -180 : 180;
  }
  return true;
}

/** Radian form of the pole rule of {@link boundsCheck}: φ if in range, wrapped at a pole, else NaN. */
export function checkPhi(phi: number, theta: number): number {
  if (Math.abs(phi) <= Math.PI) return phi;
  if (HALF_PI - Math.abs(theta) < POLE_DEG * D2R) return wrapPi(phi);
  if (Math.abs(phi) <= Math.PI + BOUNDS_TOL_DEG * D2R) return phi < 0 ? -Math.PI : Math.PI;
  return Number.NaN;
}

/**
 * Snaps an angle within 1e-12° of a whole degree onto it. The native angles reach the degree forms
 * through a radian rotation, so a point on a facet or face boundary (φ = 0°, ±45°, ±90°...) can
 * arrive as ±1e-15° and land on the wrong side of a `floor`; wcslib, working in degrees, sees the
 * exact value. The change is below 1e-12°.
 */
export function snapDeg(a: number): number {
  const r = Math.round(a);
  return Math.abs(a - r) < 1e-12 ? r : a;
}

/** A projection written in degrees (plane coordinates with R0 = 180/π, native angles in degrees). */
export interface DegreeForms {
  /** Plane (X, Y) [deg] → (φ, θ) [deg] into out; false when outside the domain. */
  x2s(X: number, Y: number, out: Float64Array): boolean;
  /** (φ, θ) [deg] → plane (X, Y) [deg] into out; false when not projectable. */
  s2x(phi: number, theta: number, out: Float64Array): boolean;
}

/**
 * Adapts degree forms to the radian {@link Projection} interface.
 * @param phi0Deg native longitude of the fiducial point (degrees)
 * @param theta0Deg native latitude of the fiducial point (degrees)
 * @param bchkTol tolerance of wcslib's native bounds check applied after x2s (degrees), or null for none
 */
export function degreeProjection(
  code: string,
  phi0Deg: number,
  theta0Deg: number,
  f: DegreeForms,
  bchkTol: number | null = 1e-13,
): Projection {
  return {
    code,
    phi0: phi0Deg * D2R,
    theta0: theta0Deg * D2R,
    x2s(x, y, out) {
      if (!f.x2s(x * R2D, y * R2D, out)) return nan(out);
      if (bchkTol !== null && !boundsCheck(out, Math.max(bchkTol, BOUNDS_TOL_DEG))) return nan(out);
      const p = out[0]! * D2R;
      const t = out[1]! * D2R;
      if (Number.isNaN(p) || Number.isNaN(t)) return nan(out);
      out[0] = p;
      out[1] = t;
      return true;
    },
    s2x(phi, theta, out) {
      if (!f.s2x(snapDeg(phi * R2D), snapDeg(theta * R2D), out)) return nan(out);
      const X = out[0]! * D2R;
      const Y = out[1]! * D2R;
      if (!Number.isFinite(X) || !Number.isFinite(Y)) return nan(out);
      out[0] = X;
      out[1] = Y;
      return true;
    },
  };
}
