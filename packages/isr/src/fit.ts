/** 1-D least-squares fits used by overscan correction: polynomial / Chebyshev, natural cubic spline. */
import { IsrError } from "./errors.js";

/** Solves the symmetric positive system A x = b (n×n row-major) by Gaussian elimination with pivoting. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const a = A.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    if (a[p * n + c] === 0) throw new IsrError("NO_DATA", "singular least-squares system (too few points for the fit order)");
    if (p !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k]!, a[c * n + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / a[c * n + c]!;
      for (let k = c; k < n; k++) a[r * n + k]! -= f * a[c * n + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * x[k]!;
    x[r] = s / a[r * n + r]!;
  }
  return x;
}

/** Chebyshev polynomials T0..T_order at t ∈ [-1, 1], written into out. */
function chebBasis(t: number, order: number, out: Float64Array): void {
  out[0] = 1;
  if (order >= 1) out[1] = t;
  for (let k = 2; k <= order; k++) out[k] = 2 * t * out[k - 1]! - out[k - 2]!;
}

/**
 * Least-squares polynomial of degree `order` through (x_i, y_i), evaluated at x = 0..nOut-1.
 * Uses a Chebyshev basis on the x range (so POLY and CHEB give the same curve, well conditioned).
 * Points with non-finite y are skipped.
 */
export function polyFitEval(x: ArrayLike<number>, y: ArrayLike<number>, order: number, nOut: number): Float64Array {
  const m = order + 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++)
    if (Number.isFinite(y[i]!)) {
      lo = Math.min(lo, x[i]!);
      hi = Math.max(hi, x[i]!);
    }
  const span = hi > lo ? hi - lo : 1;
  const A = new Float64Array(m * m);
  const b = new Float64Array(m);
  const T = new Float64Array(m);
  let npts = 0;
  for (let i = 0; i < x.length; i++) {
    const yi = y[i]!;
    if (!Number.isFinite(yi)) continue;
    npts++;
    chebBasis((2 * (x[i]! - lo)) / span - 1, order, T);
    for (let r = 0; r < m; r++) {
      b[r]! += T[r]! * yi;
      for (let c = 0; c < m; c++) A[r * m + c]! += T[r]! * T[c]!;
    }
  }
  if (npts < m) throw new IsrError("NO_DATA", `polynomial fit of order ${order} needs ${m} good points, has ${npts}`);
  const coef = solve(A, b, m);
  const out = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) {
    chebBasis((2 * (i - lo)) / span - 1, order, T);
    let s = 0;
    for (let k = 0; k < m; k++) s += coef[k]! * T[k]!;
    out[i] = s;
  }
  return out;
}

/**
 * Natural cubic spline through knots (xs ascending, ys), evaluated at 0..nOut-1 (linear
 * extrapolation beyond the end knots, as a natural spline has zero curvature there).
 */
export function naturalSplineEval(xs: ArrayLike<number>, ys: ArrayLike<number>, nOut: number): Float64Array {
  const n = xs.length;
  if (n < 2) throw new IsrError("NO_DATA", `a spline needs at least 2 knots, has ${n}`);
  const m = new Float64Array(n); // second derivatives
  if (n > 2) {
    const c = new Float64Array(n);
    const d = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) {
      const h0 = xs[i]! - xs[i - 1]!;
      const h1 = xs[i + 1]! - xs[i]!;
      const rhs = 6 * ((ys[i + 1]! - ys[i]!) / h1 - (ys[i]! - ys[i - 1]!) / h0);
      const diag = 2 * (h0 + h1) - (i > 1 ? h0 * c[i - 1]! : 0);
      c[i] = h1 / diag;
      d[i] = (rhs - (i > 1 ? h0 * d[i - 1]! : 0)) / diag;
    }
    for (let i = n - 2; i >= 1; i--) m[i] = d[i]! - c[i]! * m[i + 1]!;
  }
  const out = new Float64Array(nOut);
  let k = 0;
  for (let i = 0; i < nOut; i++) {
    if (i <= xs[0]! || i >= xs[n - 1]!) {
      const j = i <= xs[0]! ? 0 : n - 2;
      const h = xs[j + 1]! - xs[j]!;
      const slope =
        (ys[j + 1]! - ys[j]!) / h + (i <= xs[0]! ? (-h * (2 * m[j]! + m[j + 1]!)) / 6 : (h * (m[j]! + 2 * m[j + 1]!)) / 6);
      const x0 = i <= xs[0]! ? xs[0]! : xs[n - 1]!;
      const y0 = i <= xs[0]! ? ys[0]! : ys[n - 1]!;
      out[i] = y0 + slope * (i - x0);
      continue;
    }
    while (k < n - 2 && i > xs[k + 1]!) k++;
    const h = xs[k + 1]! - xs[k]!;
    const a = (xs[k + 1]! - i) / h;
    const b = (i - xs[k]!) / h;
    out[i] = a * ys[k]! + b * ys[k + 1]! + (((a * a * a - a) * m[k]! + (b * b * b - b) * m[k + 1]!) * h * h) / 6;
  }
  return out;
}
