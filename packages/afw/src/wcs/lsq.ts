/**
 * Small dense weighted linear least squares by Householder QR (stable for the polynomial design
 * matrices of WCS fitting, which are badly conditioned in the normal-equation form).
 */
import { WcsError } from "./errors.js";

/**
 * Solves min Σ_i w_i (A_i·c − b_i)² for several right-hand sides sharing A.
 * @param a design matrix, row-major n × p
 * @param rhs right-hand sides, each of length n
 * @param w weights (≥ 0), length n
 * @returns the coefficient vectors, one per right-hand side
 * @throws WcsError INVALID_ARGUMENT when the weighted system is rank deficient.
 */
export function weightedLeastSquares(
  a: Float64Array,
  n: number,
  p: number,
  rhs: Float64Array[],
  w: ArrayLike<number>,
): Float64Array[] {
  if (n < p) throw new WcsError("INVALID_ARGUMENT", `need at least ${p} points with non-zero weight, have ${n}`);
  const m = new Float64Array(n * p);
  const bs = rhs.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const sw = Math.sqrt(w[i]!);
    for (let j = 0; j < p; j++) m[i * p + j] = a[i * p + j]! * sw;
    rhs.forEach((b, r) => {
      bs[r]![i] = b[i]! * sw;
    });
  }
  const diag = new Float64Array(p);
  let maxDiag = 0;
  for (let k = 0; k < p; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += m[i * p + k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0)
      throw new WcsError("INVALID_ARGUMENT", "least-squares system is rank deficient (too few or degenerate points)");
    const alpha = m[k * p + k]! > 0 ? -norm : norm;
    // v = x − alpha e1, stored in place
    m[k * p + k] = m[k * p + k]! - alpha;
    let vnorm2 = 0;
    for (let i = k; i < n; i++) vnorm2 += m[i * p + k]! ** 2;
    if (vnorm2 > 0) {
      for (let j = k + 1; j < p; j++) {
        let s = 0;
        for (let i = k; i < n; i++) s += m[i * p + k]! * m[i * p + j]!;
        const f = (2 * s) / vnorm2;
        for (let i = k; i < n; i++) m[i * p + j] = m[i * p + j]! - f * m[i * p + k]!;
      }
      for (const b of bs) {
        let s = 0;
        for (let i = k; i < n; i++) s += m[i * p + k]! * b[i]!;
        const f = (2 * s) / vnorm2;
        for (let i = k; i < n; i++) b[i] = b[i]! - f * m[i * p + k]!;
      }
    }
    diag[k] = alpha;
    maxDiag = Math.max(maxDiag, Math.abs(alpha));
  }
  for (let k = 0; k < p; k++) {
    if (Math.abs(diag[k]!) <= 1e-13 * maxDiag)
      throw new WcsError("INVALID_ARGUMENT", "least-squares system is rank deficient (too few or degenerate points)");
  }
  return bs.map((b) => {
    const c = new Float64Array(p);
    for (let k = p - 1; k >= 0; k--) {
      let s = b[k]!;
      for (let j = k + 1; j < p; j++) s -= m[k * p + j]! * c[j]!;
      c[k] = s / diag[k]!;
    }
    return c;
  });
}
