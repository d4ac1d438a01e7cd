/**
 * Fitting a TAN-SIP or TPV WCS to matched (pixel, sky) pairs: weighted linear least squares of the
 * tangent-plane coordinates as polynomials of the pixel offsets, with **symmetric** sigma clipping
 * (a match is rejected when |residual| > k·σ on either axis, whatever its sign; σ from the median
 * absolute deviation, so planted outliers do not inflate it; rejected points are re-tested every
 * pass and may come back). Unlike LSST's FitTanSipWcsTask, which only rejects positive residuals.
 *
 * The polynomial of order N in (u, v) = pixel − CRPIX is split exactly into CD (linear part) and
 * SIP A/B = CD⁻¹·(higher terms), or TPV = (the polynomial composed with CD⁻¹). CRVAL is re-centred
 * until the constant term vanishes. For TAN-SIP the inverse AP/BP is fitted on a grid.
 */
import { SpherePoint } from "../geom/sphere.js";
import { WcsError } from "./errors.js";
import { weightedLeastSquares } from "./lsq.js";
import { makeTanSipWcs, makeTpvWcs } from "./make.js";
import { Poly2D } from "./poly.js";
import type { Matrix2, SkyWcs } from "./skywcs.js";

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** Matched positions for a fit. */
export interface WcsFitMatches {
  /** PARENT pixel x of each source (pixels). */
  x: ArrayLike<number>;
  /** PARENT pixel y (pixels). */
  y: ArrayLike<number>;
  /** Reference RA (degrees). */
  ra: ArrayLike<number>;
  /** Reference Dec (degrees). */
  dec: ArrayLike<number>;
  /** Per-match position uncertainty (arcsec); weights are 1/σ². Default: equal weights. */
  sigma?: ArrayLike<number>;
}

/** Options of {@link fitTanSipWcs} and {@link fitTpvWcs}. */
export interface WcsFitOptions {
  /** Polynomial order (SIP: 2..9, TPV: 1..7). Default 3. */
  order?: number;
  /** Clipping threshold k in units of the robust σ (symmetric). Default 3. */
  rejSigma?: number;
  /** Maximum clipping passes. Default 10. */
  maxRejIter?: number;
  /** Reference pixel (PARENT); default the mean pixel of the matches. */
  crpix?: readonly [number, number];
  /**
   * Tangent point (CRVAL); default: re-centred on the fitted sky position of CRPIX. When given it
   * is kept and the constant terms go into SIP A_0_0/B_0_0 or TPV PVi_0.
   */
  crval?: SpherePoint;
  /** Order of the fitted inverse AP/BP (TAN-SIP only). Default order + 1. */
  inverseOrder?: number;
  /** Pixel box [xmin, ymin, xmax, ymax] over which AP/BP are fitted; default the matches' extent. */
  bbox?: readonly [number, number, number, number];
}

/** Result of a fit. */
export interface WcsFitResult {
  /** The fitted WCS. */
  wcs: SkyWcs;
  /** 1 for the matches used in the final fit, 0 for rejected ones. */
  used: Uint8Array;
  /** Number of matches used. */
  nUsed: number;
  /** Number rejected by clipping. */
  nRejected: number;
  /** Residuals (fit − reference) along RA·cos δ and Dec, arcsec, for every match. */
  residualX: Float64Array;
  /** Residuals along Dec, arcsec. */
  residualY: Float64Array;
  /** RMS of the used residuals per axis (arcsec). */
  rmsX: number;
  /** RMS along Dec (arcsec). */
  rmsY: number;
  /** Robust σ (1.4826·MAD) per axis at the last pass (arcsec). */
  sigmaX: number;
  /** Robust σ along Dec (arcsec). */
  sigmaY: number;
  /** Clipping passes done. */
  iterations: number;
  /** TAN-SIP: largest error of the fitted AP/BP on its grid (pixels); 0 for TPV. */
  inverseMaxError: number;
}

function median(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

function robustSigma(r: Float64Array, used: Uint8Array): number {
  const v: number[] = [];
  for (let i = 0; i < r.length; i++) if (used[i]) v.push(r[i]!);
  const a = Float64Array.from(v);
  const med = median(a);
  for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i]! - med);
  return 1.4826 * median(a);
}

/** Gnomonic (TAN) projection of the matches about `center`: degrees, x east, y north. */
function tangentPlane(m: WcsFitMatches, center: SpherePoint, X: Float64Array, Y: Float64Array): void {
  const a0 = center.ra;
  const s0 = Math.sin(center.dec);
  const c0 = Math.cos(center.dec);
  for (let i = 0; i < X.length; i++) {
    const a = m.ra[i]! * D2R;
    const d = m.dec[i]! * D2R;
    const sd = Math.sin(d);
    const cd = Math.cos(d);
    const da = a - a0;
    const cda = Math.cos(da);
    const den = sd * s0 + cd * c0 * cda;
    if (!(den > 0)) throw new WcsError("INVALID_ARGUMENT", `match ${i} is 90 degrees or more from the field centre`);
    X[i] = ((cd * Math.sin(da)) / den) * R2D;
    Y[i] = ((sd * c0 - cd * s0 * cda) / den) * R2D;
  }
}

/** Terms (p, q) with p + q ≤ order, in a fixed order. */
function terms(order: number): [number, number][] {
  const t: [number, number][] = [];
  for (let d = 0; d <= order; d++) for (let q = 0; q <= d; q++) t.push([d - q, q]);
  return t;
}

function designRow(u: number, v: number, tt: [number, number][], s: number, out: Float64Array, off: number): void {
  const us = u / s;
  const vs = v / s;
  for (let k = 0; k < tt.length; k++) out[off + k] = us ** tt[k]![0] * vs ** tt[k]![1];
}

interface PolyFit {
  px: Poly2D;
  py: Poly2D;
}

/** Fits X ≈ Px(u, v), Y ≈ Py(u, v) (degrees) with weights on the used points. */
function polyFit(
  u: Float64Array,
  v: Float64Array,
  X: Float64Array,
  Y: Float64Array,
  w: Float64Array,
  used: Uint8Array,
  order: number,
): PolyFit {
  const tt = terms(order);
  const p = tt.length;
  let s = 1;
  for (let i = 0; i < u.length; i++) s = Math.max(s, Math.abs(u[i]!), Math.abs(v[i]!));
  const idx: number[] = [];
  for (let i = 0; i < u.length; i++) if (used[i] && w[i]! > 0) idx.push(i);
  const n = idx.length;
  const a = new Float64Array(n * p);
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  const ww = new Float64Array(n);
  idx.forEach((i, r) => {
    designRow(u[i]!, v[i]!, tt, s, a, r * p);
    bx[r] = X[i]!;
    by[r] = Y[i]!;
    ww[r] = w[i]!;
  });
  const [cx, cy] = weightedLeastSquares(a, n, p, [bx, by], ww);
  const px = new Poly2D(order);
  const py = new Poly2D(order);
  tt.forEach(([i, j], k) => {
    const f = s ** (i + j);
    px.set(i, j, cx![k]! / f);
    py.set(i, j, cy![k]! / f);
  });
  return { px, py };
}

interface Prepared {
  n: number;
  u: Float64Array;
  v: Float64Array;
  w: Float64Array;
  crpix: [number, number];
}

function prepare(m: WcsFitMatches, opts: WcsFitOptions, minOrder: number, maxOrder: number): Prepared & { order: number } {
  const n = m.x.length;
  if (m.y.length !== n || m.ra.length !== n || m.dec.length !== n || (m.sigma && m.sigma.length !== n)) {
    throw new WcsError("INVALID_ARGUMENT", "x, y, ra, dec (and sigma) must have the same length");
  }
  const order = opts.order ?? 3;
  if (!Number.isInteger(order) || order < minOrder || order > maxOrder)
    throw new WcsError("INVALID_ARGUMENT", `order must be an integer in [${minOrder}, ${maxOrder}], got ${order}`);
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += m.x[i]!;
    cy += m.y[i]!;
  }
  const crpix: [number, number] = opts.crpix ? [opts.crpix[0], opts.crpix[1]] : [cx / n, cy / n];
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = m.x[i]! - crpix[0];
    v[i] = m.y[i]! - crpix[1];
    const s = m.sigma ? m.sigma[i]! : 1;
    w[i] = s > 0 && Number.isFinite(s) ? 1 / (s * s) : 0;
  }
  return { n, u, v, w, crpix, order };
}

function meanCenter(m: WcsFitMatches): SpherePoint {
  let x = 0;
  let y = 0;
  let z = 0;
  for (let i = 0; i < m.ra.length; i++) {
    const [a, b, c] = SpherePoint.fromDegrees(m.ra[i]!, m.dec[i]!).toVector();
    x += a;
    y += b;
    z += c;
  }
  return SpherePoint.fromVector([x, y, z]);
}

/** The clipped polynomial fit shared by both models; returns the final polynomials and state. */
function clippedFit(m: WcsFitMatches, prep: Prepared & { order: number }, opts: WcsFitOptions) {
  const { n, u, v, w, order } = prep;
  const k = opts.rejSigma ?? 3;
  const maxRej = opts.maxRejIter ?? 10;
  let center = opts.crval ?? meanCenter(m);
  const X = new Float64Array(n);
  const Y = new Float64Array(n);
  const used = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) if (w[i] === 0) used[i] = 0;
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  let fit: PolyFit | undefined;
  let iterations = 0;
  let sx = 0;
  let sy = 0;
  for (let pass = 0; pass < maxRej; pass++) {
    iterations = pass + 1;
    // re-centre CRVAL until the fitted constant vanishes
    for (let c = 0; c < 6; c++) {
      tangentPlane(m, center, X, Y);
      fit = polyFit(u, v, X, Y, w, used, order);
      const c0x = fit.px.get(0, 0);
      const c0y = fit.py.get(0, 0);
      if (opts.crval || Math.hypot(c0x, c0y) < 1e-13) break;
      // sky position of tangent-plane point (c0x, c0y) about the current centre
      const r = Math.hypot(c0x, c0y) * D2R;
      center = center.offset(Math.atan2(c0y, c0x), Math.atan(r));
    }
    const f = fit!;
    for (let i = 0; i < n; i++) {
      rx[i] = (f.px.eval(u[i]!, v[i]!) - X[i]!) * 3600;
      ry[i] = (f.py.eval(u[i]!, v[i]!) - Y[i]!) * 3600;
    }
    sx = robustSigma(rx, used);
    sy = robustSigma(ry, used);
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      const ok = Math.abs(rx[i]!) <= k * sx && Math.abs(ry[i]!) <= k * sy ? 1 : 0;
      if (ok !== used[i]) {
        used[i] = ok;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // final fit on the final set
  tangentPlane(m, center, X, Y);
  fit = polyFit(u, v, X, Y, w, used, order);
  let nUsed = 0;
  let ssx = 0;
  let ssy = 0;
  for (let i = 0; i < n; i++) {
    rx[i] = (fit.px.eval(u[i]!, v[i]!) - X[i]!) * 3600;
    ry[i] = (fit.py.eval(u[i]!, v[i]!) - Y[i]!) * 3600;
    if (used[i]) {
      nUsed++;
      ssx += rx[i]! ** 2;
      ssy += ry[i]! ** 2;
    }
  }
  return { fit, center, used, nUsed, rx, ry, rmsX: Math.sqrt(ssx / nUsed), rmsY: Math.sqrt(ssy / nUsed), sx, sy, iterations };
}

function linearPart(f: PolyFit): Matrix2 {
  return [f.px.get(1, 0), f.px.get(0, 1), f.py.get(1, 0), f.py.get(0, 1)];
}

/**
 * Fits a TAN-SIP WCS of the given order (with its inverse AP/BP) to matches.
 * @example const r = fitTanSipWcs({ x, y, ra, dec }, { order: 3 }); r.wcs.pixelToSky(100, 200)
 */
export function fitTanSipWcs(m: WcsFitMatches, options: WcsFitOptions = {}): WcsFitResult {
  const prep = prepare(m, options, 1, 9);
  const r = clippedFit(m, prep, options);
  const cd = linearPart(r.fit);
  const det = cd[0] * cd[3] - cd[1] * cd[2];
  const inv: Matrix2 = [cd[3] / det, -cd[1] / det, -cd[2] / det, cd[0] / det];
  const order = prep.order;
  const a = new Poly2D(order);
  const b = new Poly2D(order);
  for (let i = 0; i <= order; i++)
    for (let j = 0; i + j <= order; j++) {
      if (i + j === 1) continue;
      const hx = r.fit.px.get(i, j);
      const hy = r.fit.py.get(i, j);
      a.set(i, j, inv[0] * hx + inv[1] * hy);
      b.set(i, j, inv[2] * hx + inv[3] * hy);
    }
  // inverse on a grid over the matches' extent
  let [x0, y0, x1, y1] = options.bbox ?? [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  if (!options.bbox) {
    for (let i = 0; i < prep.n; i++) {
      x0 = Math.min(x0, m.x[i]!);
      x1 = Math.max(x1, m.x[i]!);
      y0 = Math.min(y0, m.y[i]!);
      y1 = Math.max(y1, m.y[i]!);
    }
  }
  const inverseOrder = options.inverseOrder ?? order + 1;
  const g = 25;
  const gu = new Float64Array(g * g);
  const gv = new Float64Array(g * g);
  const gU = new Float64Array(g * g);
  const gV = new Float64Array(g * g);
  for (let j = 0; j < g; j++)
    for (let i = 0; i < g; i++) {
      const k = j * g + i;
      const uu = x0 + ((x1 - x0) * i) / (g - 1) - prep.crpix[0];
      const vv = y0 + ((y1 - y0) * j) / (g - 1) - prep.crpix[1];
      gu[k] = uu;
      gv[k] = vv;
      gU[k] = uu + a.eval(uu, vv);
      gV[k] = vv + b.eval(uu, vv);
    }
  const du = gu.map((q, k) => q - gU[k]!);
  const dv = gv.map((q, k) => q - gV[k]!);
  const inversePoly = polyFit(gU, gV, du, dv, new Float64Array(g * g).fill(1), new Uint8Array(g * g).fill(1), inverseOrder);
  let invErr = 0;
  for (let k = 0; k < g * g; k++) {
    const eu = gU[k]! + inversePoly.px.eval(gU[k]!, gV[k]!) - gu[k]!;
    const ev = gV[k]! + inversePoly.py.eval(gU[k]!, gV[k]!) - gv[k]!;
    invErr = Math.max(invErr, Math.hypot(eu, ev));
  }
  const wcs = makeTanSipWcs({ crpix: prep.crpix, crval: r.center, cd }, a, b, inversePoly.px, inversePoly.py);
  return result(wcs, r, prep.n, invErr);
}

function result(wcs: SkyWcs, r: ReturnType<typeof clippedFit>, n: number, invErr: number): WcsFitResult {
  return {
    wcs,
    used: r.used,
    nUsed: r.nUsed,
    nRejected: n - r.nUsed,
    residualX: r.rx,
    residualY: r.ry,
    rmsX: r.rmsX,
    rmsY: r.rmsY,
    sigmaX: r.sx,
    sigmaY: r.sy,
    iterations: r.iterations,
    inverseMaxError: invErr,
  };
}

/** Fits a TPV WCS (polynomial order 1..7, no radial terms) to matches. */
export function fitTpvWcs(m: WcsFitMatches, options: WcsFitOptions = {}): WcsFitResult {
  const prep = prepare(m, options, 1, 7);
  const r = clippedFit(m, prep, options);
  const cd = linearPart(r.fit);
  const det = cd[0] * cd[3] - cd[1] * cd[2];
  // ξ(X, Y) = Px(CD⁻¹ (X, Y)), η likewise
  const xi = r.fit.px.composeLinear(cd[3] / det, -cd[1] / det, -cd[2] / det, cd[0] / det);
  const eta = r.fit.py.composeLinear(cd[3] / det, -cd[1] / det, -cd[2] / det, cd[0] / det);
  const wcs = makeTpvWcs({ crpix: prep.crpix, crval: r.center, cd }, xi, eta);
  return result(wcs, r, prep.n, 0);
}
