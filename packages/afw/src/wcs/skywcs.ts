/**
 * `SkyWcs`: the mapping between PARENT pixel positions (LSST convention: 0-based pixel centres)
 * and ICRS (or FK5 J2000) sky positions, like afw's SkyWcs. The model is a FITS celestial WCS:
 *
 *   (x, y) → (u, v) = (x, y) − crpix → [TAN-SIP: (u + A, v + B)] → (X, Y) = CD · (u, v) [deg]
 *          → [TPV/TNX: (ξ(X, Y), η(X, Y))] → projection⁻¹ → native (φ, θ) → rotation → (α, δ)
 *
 * The inverse runs the same chain backwards; the polynomial steps are solved by Newton's method
 * (started from AP/BP when present) and every point reports whether it converged (see
 * {@link SkyWcs.skyToPixelArrays}); nothing returns a silently wrong value.
 */
import { Point2D } from "../geom/point.js";
import { SpherePoint } from "../geom/sphere.js";
import type { SkyWcsLike } from "../image/components.js";
import { type CelestialRotation, makeCelestialRotation, RotationKernel } from "./celestial.js";
import { WcsError } from "./errors.js";
import type { PlaneDistortion, SipDistortion, SkyFrame, WcsModel } from "./parse.js";
import { PolyPair } from "./polypair.js";
import { makeProjection, type Projection } from "./projections.js";

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** Options of the inverse transform. */
export interface SkyToPixelOptions {
  /** Input/outputs in degrees instead of radians (sky side only). Default false. */
  degrees?: boolean;
  /** Convergence tolerance of the inverse, pixels. Default 1e-10. */
  tolerance?: number;
  /** Maximum Newton iterations per polynomial step. Default 50. */
  maxIterations?: number;
  /** Receives the final pixel residual |forward(x, y) − target| of every point (pixels). */
  residual?: Float64Array;
  /** Leave unconverged points at their last iterate instead of NaN. Default false. */
  keepUnconverged?: boolean;
}

/** What {@link SkyWcs.skyToPixelArrays} returns. */
export interface SkyToPixelResult {
  /** PARENT x (pixels). */
  x: Float64Array;
  /** PARENT y (pixels). */
  y: Float64Array;
  /** Points that did not converge (or fell outside the projection): NaN unless keepUnconverged. */
  nFailed: number;
  /** Largest residual among the converged points (pixels). */
  maxResidual: number;
}

/** A 2×2 matrix [m00, m01, m10, m11]. */
export type Matrix2 = [number, number, number, number];

/** A celestial WCS (pixel ↔ sky). Immutable. */
export class SkyWcs implements SkyWcsLike {
  /** The parameters this WCS was built from (LSST pixel convention). */
  readonly model: WcsModel;
  /** The projection. */
  readonly proj: Projection;
  /** The native ↔ celestial rotation. */
  readonly rotation: CelestialRotation;
  private readonly rk: RotationKernel;
  private readonly cdInv: Matrix2;
  private readonly sip: SipDistortion | null;
  private readonly plane: PlaneDistortion | null;
  private readonly isTan: boolean;
  /** Scratch buffers (no per-point allocation). */
  private readonly s2 = new Float64Array(2);
  private readonly d3a = new Float64Array(3);
  private readonly d6 = new Float64Array(6);
  /** SIP A/B and AP/BP compiled for joint evaluation (the inverse's inner loop). */
  private readonly sipPair: PolyPair | null;
  private readonly sipInvPair: PolyPair | null;
  /** TPV/TNX ξ/η compiled for joint evaluation. */
  private readonly planePair: PolyPair | null;
  /** 1 / pixel scale (pixels per degree) of the CD matrix, for residuals in pixels. */
  private readonly invPixelScaleDeg: number;

  constructor(model: WcsModel) {
    this.model = model;
    this.proj = makeProjection(model.projection, model.projParams);
    this.rotation = makeCelestialRotation(model.crval, this.proj.phi0, this.proj.theta0, model.lonpole, model.latpole);
    this.rk = new RotationKernel(this.rotation);
    const [a, b, c, d] = model.cd;
    const det = a * d - b * c;
    if (!(det !== 0 && Number.isFinite(det))) throw new WcsError("INVALID_ARGUMENT", "CD matrix is singular");
    this.cdInv = [d / det, -b / det, -c / det, a / det];
    this.sip = model.sip && !(model.sip.a.isZero() && model.sip.b.isZero()) ? model.sip : null;
    this.sipPair = this.sip ? new PolyPair(this.sip.a, this.sip.b) : null;
    this.sipInvPair = this.sip?.ap && this.sip.bp ? new PolyPair(this.sip.ap, this.sip.bp) : null;
    this.plane = model.plane;
    this.planePair = this.plane ? new PolyPair(this.plane.xi, this.plane.eta) : null;
    this.invPixelScaleDeg = 1 / Math.sqrt(Math.abs(det));
    this.isTan = this.proj.code === "TAN";
  }

  /** The sky frame (ICRS, or FK5 J2000 used as is). */
  get frame(): SkyFrame {
    return this.model.frame;
  }

  /** Reference pixel, LSST PARENT coordinates. */
  getPixelOrigin(): Point2D {
    return new Point2D(this.model.crpix[0], this.model.crpix[1]);
  }

  /** Reference sky position (CRVAL). */
  getSkyOrigin(): SpherePoint {
    return SpherePoint.fromDegrees(this.model.crval[0], this.model.crval[1]);
  }

  /** The CD matrix at the reference pixel (degrees per pixel), [CD1_1, CD1_2, CD2_1, CD2_2]. */
  getCdMatrixAtOrigin(): Matrix2 {
    return [...this.model.cd] as Matrix2;
  }

  /** True when the WCS has a distortion (SIP, TPV or TNX). */
  get hasDistortion(): boolean {
    return this.sip !== null || this.plane !== null;
  }

  /** Forward chain up to the projection plane: pixel → plane (x, y) in radians, into out. */
  private pixelToPlane(x: number, y: number, out: Float64Array): void {
    let u = x - this.model.crpix[0];
    let v = y - this.model.crpix[1];
    const sip = this.sip;
    if (sip) {
      const f = this.d6;
      this.sipPair!.eval(u, v, f);
      u += f[0]!;
      v += f[1]!;
    }
    const cd = this.model.cd;
    let X = cd[0] * u + cd[1] * v;
    let Y = cd[2] * u + cd[3] * v;
    const pp = this.planePair;
    if (pp) {
      const f = this.d6;
      pp.eval(X, Y, f);
      X = f[0]!;
      Y = f[1]!;
    }
    out[0] = X * D2R;
    out[1] = Y * D2R;
  }

  /** Sky (radians) of PARENT pixel (x, y) into out; NaN if outside the projection. */
  private pixelToSkyInto(x: number, y: number, out: Float64Array): void {
    this.pixelToPlane(x, y, out);
    if (this.isTan) {
      // TAN: the native direction is (x, −y, 1)/√(1 + x² + y²) — no trigonometry needed
      const px = out[0]!;
      const py = out[1]!;
      const inv = 1 / Math.sqrt(1 + px * px + py * py);
      this.rk.vecToCelestial(px * inv, -py * inv, inv, out);
      return;
    }
    if (!this.proj.x2s(out[0]!, out[1]!, out)) return;
    this.rk.toCelestial(out[0]!, out[1]!, out);
  }

  /** Sky position of PARENT pixel (x, y). @throws WcsError OUT_OF_DOMAIN outside the projection. */
  pixelToSky(x: number, y: number): SpherePoint {
    const o = this.s2;
    this.pixelToSkyInto(x, y, o);
    if (Number.isNaN(o[0]!))
      throw new WcsError("OUT_OF_DOMAIN", `pixel (${x}, ${y}) is outside the ${this.proj.code} projection`);
    return new SpherePoint(o[0]!, o[1]!);
  }

  /**
   * Vectorised pixel → sky. Writes into `out` (allocated when omitted); radians unless `degrees`.
   * Points outside the projection give NaN.
   */
  pixelToSkyArrays(
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    out?: { ra: Float64Array; dec: Float64Array },
    options: { degrees?: boolean } = {},
  ): { ra: Float64Array; dec: Float64Array } {
    const n = x.length;
    if (y.length !== n) throw new WcsError("INVALID_ARGUMENT", `x and y lengths differ (${n}, ${y.length})`);
    const ra = out?.ra ?? new Float64Array(n);
    const dec = out?.dec ?? new Float64Array(n);
    if (ra.length < n || dec.length < n) throw new WcsError("INVALID_ARGUMENT", "output arrays are shorter than the input");
    const o = this.s2;
    const f = options.degrees ? R2D : 1;
    for (let i = 0; i < n; i++) {
      this.pixelToSkyInto(x[i]!, y[i]!, o);
      ra[i] = o[0]! * f;
      dec[i] = o[1]! * f;
    }
    return { ra, dec };
  }

  /** Intermediate world coordinates (X, Y) = CD·(u', v') in degrees, after SIP, before TPV/TNX. */
  private solvePlane(xt: number, yt: number, out: Float64Array, tol: number, maxIter: number): number {
    // Solve (ξ(X, Y), η(X, Y)) = (xt, yt) [deg]; start from the inverse of the linear part.
    const pl = this.plane!;
    const pp = this.planePair!;
    const f = this.d6;
    const a = pl.xi.get(1, 0);
    const b = pl.xi.get(0, 1);
    const c = pl.eta.get(1, 0);
    const d = pl.eta.get(0, 1);
    const det = a * d - b * c;
    const x0 = xt - pl.xi.get(0, 0);
    const y0 = yt - pl.eta.get(0, 0);
    let X = det !== 0 ? (d * x0 - b * y0) / det : xt;
    let Y = det !== 0 ? (-c * x0 + a * y0) / det : yt;
    // residual in pixels: degrees divided by the pixel scale
    const invScale = this.invPixelScaleDeg;
    let res = Number.POSITIVE_INFINITY;
    for (let it = 0; it <= maxIter; it++) {
      pp.evalDeriv(X, Y, f);
      const rx = f[0]! - xt;
      const ry = f[3]! - yt;
      res = Math.sqrt(rx * rx + ry * ry) * invScale;
      const j = f[1]! * f[5]! - f[2]! * f[4]!;
      if (res <= tol) {
        // a fold-over solution (Jacobian sign flipped) is not the image of the data region
        if (j * det <= 0) res = Number.POSITIVE_INFINITY;
        break;
      }
      if (it === maxIter || !(j !== 0 && Number.isFinite(j))) break;
      X -= (f[5]! * rx - f[2]! * ry) / j;
      Y -= (-f[4]! * rx + f[1]! * ry) / j;
    }
    out[0] = X;
    out[1] = Y;
    return res;
  }

  /**
   * Solves u + A(u, v) = ut, v + B(u, v) = vt (pixels relative to CRPIX) by Newton's method with the
   * analytic Jacobian, started from AP/BP when present; stops as soon as the residual at the current
   * iterate is ≤ tol pixels, so the returned residual is the true one at the returned point.
   * Returns the residual (Infinity on a fold-over or a singular Jacobian).
   */
  private solveSip(ut: number, vt: number, out: Float64Array, tol: number, maxIter: number): number {
    const ab = this.sipPair!;
    const f = this.d6;
    let u = ut;
    let v = vt;
    const inv = this.sipInvPair;
    if (inv) {
      inv.eval(ut, vt, f);
      u = ut + f[0]!;
      v = vt + f[1]!;
    }
    let res = Number.POSITIVE_INFINITY;
    for (let it = 0; it <= maxIter; it++) {
      ab.evalDeriv(u, v, f);
      const rx = u + f[0]! - ut;
      const ry = v + f[3]! - vt;
      const j11 = 1 + f[1]!;
      const j12 = f[2]!;
      const j21 = f[4]!;
      const j22 = 1 + f[5]!;
      const j = j11 * j22 - j12 * j21;
      res = Math.sqrt(rx * rx + ry * ry);
      if (res <= tol) {
        // a fold-over solution (Jacobian sign flipped) is not the image of the data region
        if (j <= 0) res = Number.POSITIVE_INFINITY;
        break;
      }
      if (it === maxIter || !(j !== 0 && Number.isFinite(j))) break;
      u -= (j22 * rx - j12 * ry) / j;
      v -= (-j21 * rx + j11 * ry) / j;
    }
    out[0] = u;
    out[1] = v;
    return res;
  }

  /**
   * Sky (radians) → PARENT pixel into out; returns the residual in pixels (Infinity if the point
   * cannot be mapped or the inverse did not converge).
   */
  private skyToPixelInto(ra: number, dec: number, out: Float64Array, tol: number, maxIter: number): number {
    let X: number;
    let Y: number;
    if (this.isTan) {
      const v = this.d3a;
      this.rk.toNativeVec(ra, dec, v);
      if (!(v[2]! > 0)) {
        out[0] = Number.NaN;
        out[1] = Number.NaN;
        return Number.POSITIVE_INFINITY;
      }
      X = (v[0]! / v[2]!) * R2D;
      Y = (-v[1]! / v[2]!) * R2D;
    } else {
      this.rk.toNative(ra, dec, out);
      if (!this.proj.s2x(out[0]!, out[1]!, out)) return Number.POSITIVE_INFINITY;
      X = out[0]! * R2D;
      Y = out[1]! * R2D;
    }
    let res = 0;
    if (this.plane) {
      res = this.solvePlane(X, Y, out, tol, maxIter);
      X = out[0]!;
      Y = out[1]!;
    }
    const ci = this.cdInv;
    let u = ci[0] * X + ci[1] * Y;
    let v = ci[2] * X + ci[3] * Y;
    if (this.sip) {
      res = Math.max(res, this.solveSip(u, v, out, tol, maxIter));
      u = out[0]!;
      v = out[1]!;
    }
    out[0] = u + this.model.crpix[0];
    out[1] = v + this.model.crpix[1];
    return res;
  }

  /**
   * PARENT pixel position of a sky position.
   * @throws WcsError NO_CONVERGENCE (with the residual) or OUT_OF_DOMAIN.
   */
  skyToPixel(coord: SpherePoint, options: { tolerance?: number; maxIterations?: number } = {}): Point2D {
    const o = this.s2;
    const tol = options.tolerance ?? 1e-10;
    const res = this.skyToPixelInto(coord.ra, coord.dec, o, tol, options.maxIterations ?? 50);
    if (Number.isNaN(o[0]!) || (res === Number.POSITIVE_INFINITY && !this.hasDistortion)) {
      throw new WcsError("OUT_OF_DOMAIN", `${coord.toString()} cannot be projected with ${this.proj.code}`);
    }
    if (!(res <= tol)) {
      throw new WcsError(
        "NO_CONVERGENCE",
        `skyToPixel(${coord.toString()}) did not converge: residual ${res} pixels after the inverse of the distortion (position outside the distortion's valid region?)`,
        {},
        res,
      );
    }
    return new Point2D(o[0]!, o[1]!);
  }

  /**
   * Vectorised sky → pixel (radians unless `degrees`). Every point is checked: those whose inverse
   * does not reach `tolerance` are counted in `nFailed` and set to NaN (unless keepUnconverged);
   * `residual` receives each point's residual.
   */
  skyToPixelArrays(
    ra: ArrayLike<number>,
    dec: ArrayLike<number>,
    out?: { x: Float64Array; y: Float64Array },
    options: SkyToPixelOptions = {},
  ): SkyToPixelResult {
    const n = ra.length;
    if (dec.length !== n) throw new WcsError("INVALID_ARGUMENT", `ra and dec lengths differ (${n}, ${dec.length})`);
    const x = out?.x ?? new Float64Array(n);
    const y = out?.y ?? new Float64Array(n);
    if (x.length < n || y.length < n) throw new WcsError("INVALID_ARGUMENT", "output arrays are shorter than the input");
    const f = options.degrees ? D2R : 1;
    const tol = options.tolerance ?? 1e-10;
    const maxIter = options.maxIterations ?? 50;
    const o = this.s2;
    let nFailed = 0;
    let maxResidual = 0;
    for (let i = 0; i < n; i++) {
      const res = this.skyToPixelInto(ra[i]! * f, dec[i]! * f, o, tol, maxIter);
      if (options.residual) options.residual[i] = res;
      if (!(res <= tol) || Number.isNaN(o[0]!)) {
        nFailed++;
        x[i] = options.keepUnconverged ? o[0]! : Number.NaN;
        y[i] = options.keepUnconverged ? o[1]! : Number.NaN;
      } else {
        if (res > maxResidual) maxResidual = res;
        x[i] = o[0]!;
        y[i] = o[1]!;
      }
    }
    return { x, y, nFailed, maxResidual };
  }

  /**
   * Local linear approximation at a pixel: the Jacobian of the gnomonic offsets (ξ east, η north,
   * degrees) about the sky position of the pixel, per pixel: [dξ/dx, dξ/dy, dη/dx, dη/dy]
   * (afw `getCdMatrix(point)`). Central differences with a ±0.5 pixel step.
   */
  getCdMatrix(x: number, y: number): Matrix2 {
    const c = this.pixelToSky(x, y);
    const h = 0.5;
    const px = c.getTangentPlaneOffset(this.pixelToSky(x + h, y));
    const mx = c.getTangentPlaneOffset(this.pixelToSky(x - h, y));
    const py = c.getTangentPlaneOffset(this.pixelToSky(x, y + h));
    const my = c.getTangentPlaneOffset(this.pixelToSky(x, y - h));
    const s = R2D / (2 * h);
    return [(px[0] - mx[0]) * s, (py[0] - my[0]) * s, (px[1] - mx[1]) * s, (py[1] - my[1]) * s];
  }

  /** Pixel scale at a pixel, arcseconds per pixel (square root of the local pixel area). */
  getPixelScale(x: number, y: number): number {
    return Math.sqrt(this.getPixelArea(x, y));
  }

  /** Sky area of the pixel at (x, y), square arcseconds. */
  getPixelArea(x: number, y: number): number {
    const m = this.getCdMatrix(x, y);
    return Math.abs(m[0] * m[3] - m[1] * m[2]) * 3600 * 3600;
  }

  /**
   * Position angle of the pixel +y axis at (x, y), radians east of north, and whether the
   * pixel grid is flipped relative to the standard sky orientation (East left when North up).
   */
  getRotation(x: number, y: number): { angle: number; flipped: boolean } {
    const m = this.getCdMatrix(x, y);
    const det = m[0] * m[3] - m[1] * m[2];
    return { angle: Math.atan2(m[1], m[3]), flipped: det > 0 };
  }

  /** Pixel → sky → pixel residual of the inverse at a pixel (pixels); a self-check. */
  roundTripError(x: number, y: number): number {
    const p = this.skyToPixel(this.pixelToSky(x, y));
    return Math.hypot(p.x - x, p.y - y);
  }

  /** Same WCS for an image whose pixel origin moved by (dx, dy): pixel (x, y) here is (x + dx, y + dy) there. */
  shifted(dx: number, dy: number): SkyWcs {
    return new SkyWcs({ ...this.model, crpix: [this.model.crpix[0] - dx, this.model.crpix[1] - dy] });
  }
}
