/**
 * The spherical rotation between native (φ, θ) and celestial (α, δ) coordinates (Paper II §2.3),
 * with the native pole derived from CRVAL, LONPOLE and LATPOLE exactly as wcslib's `celset` does.
 * Angles in radians.
 */
import { WcsError } from "./errors.js";

const HALF_PI = Math.PI / 2;
const TWO_PI = 2 * Math.PI;
const D2R = Math.PI / 180;

/** The rotation from native to celestial coordinates. */
export interface CelestialRotation {
  /** Celestial longitude of the native pole αp (radians). */
  readonly alphaP: number;
  /** Celestial latitude of the native pole δp (radians). */
  readonly deltaP: number;
  /** Native longitude of the celestial pole φp = LONPOLE (radians). */
  readonly phiP: number;
  /** LONPOLE actually used (degrees). */
  readonly lonpoleDeg: number;
  /** LATPOLE actually used (degrees). */
  readonly latpoleDeg: number;
}

/**
 * Native pole from the fiducial point.
 * @param crvalDeg (α0, δ0) in degrees
 * @param phi0 native longitude of the fiducial point (radians)
 * @param theta0 native latitude of the fiducial point (radians)
 * @param lonpoleDeg LONPOLE (degrees) or undefined for the default
 * @param latpoleDeg LATPOLE (degrees) or undefined for the default (+90)
 */
export function makeCelestialRotation(
  crvalDeg: readonly [number, number],
  phi0: number,
  theta0: number,
  lonpoleDeg: number | undefined,
  latpoleDeg: number | undefined,
): CelestialRotation {
  const [lng0, lat0] = crvalDeg;
  const phi0Deg = phi0 / D2R;
  const theta0Deg = theta0 / D2R;
  const phip = lonpoleDeg ?? (lat0 < theta0Deg ? phi0Deg + 180 : phi0Deg);
  let latp = latpoleDeg ?? 90;
  let lngp: number;
  if (theta0Deg === 90) {
    lngp = lng0;
    latp = lat0;
  } else {
    const slat0 = Math.sin(lat0 * D2R);
    const clat0 = Math.cos(lat0 * D2R);
    const sthe0 = Math.sin(theta0);
    const cthe0 = Math.cos(theta0);
    const sphip = Math.sin((phip - phi0Deg) * D2R);
    const cphip = Math.cos((phip - phi0Deg) * D2R);
    const x = cthe0 * cphip;
    const y = sthe0;
    const z = Math.hypot(x, y);
    const tol = 1e-10;
    if (z === 0) {
      if (slat0 !== 0) throw new WcsError("BAD_CARD", `inconsistent CRVAL2 ${lat0} and LONPOLE ${phip}`, { card: "LONPOLE" });
    } else {
      if (Math.abs(slat0 / z) > 1 + tol)
        throw new WcsError("BAD_CARD", `CRVAL2 ${lat0} is inconsistent with LONPOLE ${phip}`, { card: "LONPOLE" });
      const u = Math.atan2(y, x) / D2R;
      const v = Math.acos(Math.max(-1, Math.min(1, slat0 / z))) / D2R;
      let latp1 = u + v;
      let latp2 = u - v;
      if (latp1 > 180) latp1 -= 360;
      else if (latp1 < -180) latp1 += 360;
      if (latp2 > 180) latp2 -= 360;
      else if (latp2 < -180) latp2 += 360;
      if (Math.abs(latp - latp1) < Math.abs(latp - latp2)) latp = Math.abs(latp1) < 90 + tol ? latp1 : latp2;
      else latp = Math.abs(latp2) < 90 + tol ? latp2 : latp1;
    }
    const zz = Math.cos(latp * D2R) * clat0;
    if (Math.abs(zz) < tol) {
      if (Math.abs(clat0) < tol) lngp = lng0;
      else if (latp > 0) lngp = lng0 + phip - phi0Deg - 180;
      else lngp = lng0 - phip + phi0Deg;
    } else {
      const xx = (sthe0 - Math.sin(latp * D2R) * slat0) / zz;
      const yy = (sphip * cthe0) / clat0;
      if (xx === 0 && yy === 0)
        throw new WcsError("BAD_CARD", "cannot determine the native pole from CRVAL/LONPOLE/LATPOLE", { card: "LATPOLE" });
      lngp = lng0 - Math.atan2(yy, xx) / D2R;
    }
    if (latp > 90) latp = 90;
    if (latp < -90) latp = -90;
  }
  return { alphaP: lngp * D2R, deltaP: latp * D2R, phiP: phip * D2R, lonpoleDeg: phip, latpoleDeg: latp };
}

/** Precomputed sines and cosines of a rotation for the vectorised loops. */
export class RotationKernel {
  private readonly ap: number;
  private readonly pp: number;
  private readonly sdp: number;
  private readonly cdp: number;
  private readonly cpp: number;
  private readonly spp: number;

  constructor(rot: CelestialRotation) {
    this.cpp = Math.cos(rot.phiP);
    this.spp = Math.sin(rot.phiP);
    this.ap = rot.alphaP;
    this.pp = rot.phiP;
    this.sdp = Math.sin(rot.deltaP);
    this.cdp = Math.cos(rot.deltaP);
  }

  /** Native (φ, θ) → celestial (α in [0, 2π), δ) into out. */
  toCelestial(phi: number, theta: number, out: Float64Array): void {
    const dphi = phi - this.pp;
    const st = Math.sin(theta);
    const ct = Math.cos(theta);
    const cdphi = Math.cos(dphi);
    const x = st * this.cdp - ct * this.sdp * cdphi;
    const y = -ct * Math.sin(dphi);
    const z = st * this.sdp + ct * this.cdp * cdphi;
    let a = this.ap + Math.atan2(y, x);
    a -= TWO_PI * Math.floor(a / TWO_PI);
    if (a >= TWO_PI) a = 0;
    out[0] = a;
    out[1] = Math.atan2(z, Math.sqrt(x * x + y * y));
  }

  /**
   * Native direction given as (cos θ sin φ, cos θ cos φ, sin θ) → celestial (α in [0, 2π), δ)
   * into out: the zenithal fast path (no trigonometry on φ, θ).
   */
  vecToCelestial(ctsp: number, ctcp: number, st: number, out: Float64Array): void {
    const cpp = this.cpp;
    const spp = this.spp;
    const ctcd = ctcp * cpp + ctsp * spp; // cos θ cos(φ − φp)
    const ctsd = ctsp * cpp - ctcp * spp; // cos θ sin(φ − φp)
    const x = st * this.cdp - ctcd * this.sdp;
    const y = -ctsd;
    const z = st * this.sdp + ctcd * this.cdp;
    let a = this.ap + Math.atan2(y, x);
    a -= TWO_PI * Math.floor(a / TWO_PI);
    if (a >= TWO_PI) a = 0;
    out[0] = a;
    out[1] = Math.atan2(z, Math.sqrt(x * x + y * y));
  }

  /**
   * Celestial (α, δ) → native direction (cos θ sin φ, cos θ cos φ, sin θ) into out[0..2]
   * (zenithal fast path).
   */
  toNativeVec(alpha: number, delta: number, out: Float64Array): void {
    const da = alpha - this.ap;
    const sd = Math.sin(delta);
    const cd = Math.cos(delta);
    const cda = Math.cos(da);
    const x = sd * this.cdp - cd * this.sdp * cda; // cos θ cos(φ − φp)
    const y = -cd * Math.sin(da); // cos θ sin(φ − φp)
    out[0] = y * this.cpp + x * this.spp;
    out[1] = x * this.cpp - y * this.spp;
    out[2] = sd * this.sdp + cd * this.cdp * cda;
  }

  /** Celestial (α, δ) → native (φ in [−π, π], θ) into out. */
  toNative(alpha: number, delta: number, out: Float64Array): void {
    const da = alpha - this.ap;
    const sd = Math.sin(delta);
    const cd = Math.cos(delta);
    const cda = Math.cos(da);
    const x = sd * this.cdp - cd * this.sdp * cda;
    const y = -cd * Math.sin(da);
    const z = sd * this.sdp + cd * this.cdp * cda;
    let p = this.pp + Math.atan2(y, x);
    if (p > Math.PI) p -= TWO_PI;
    else if (p < -Math.PI) p += TWO_PI;
    out[0] = p;
    out[1] = Math.atan2(z, Math.sqrt(x * x + y * y));
  }
}

export { HALF_PI as HALF_PI_RAD };
