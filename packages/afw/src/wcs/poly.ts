/**
 * Dense bivariate polynomials f(x, y) = Σ c[i][j] xⁱ yʲ (i + j ≤ order), with value and partial
 * derivatives evaluated by Horner's scheme, plus the optional odd radial terms r, r³, r⁵, r⁷ that
 * TPV uses (r = √(x² + y²)). Used for SIP, TPV and TNX distortions and by the fitters.
 */
import { WcsError } from "./errors.js";

/** A bivariate polynomial of total degree ≤ `order`, optionally with TPV radial terms. */
export class Poly2D {
  /** Total degree. */
  readonly order: number;
  /** Coefficients, c[i * (order + 1) + j] multiplies xⁱ yʲ (entries with i + j > order are 0). */
  readonly coeffs: Float64Array;
  /** Coefficients of r¹, r³, r⁵, r⁷ (TPV radial terms), or null. */
  readonly radial: Float64Array | null;

  constructor(order: number, coeffs?: Float64Array, radial?: Float64Array | null) {
    if (!Number.isInteger(order) || order < 0 || order > 20)
      throw new WcsError("INVALID_ARGUMENT", `polynomial order must be an integer in [0, 20], got ${order}`);
    this.order = order;
    const n = (order + 1) * (order + 1);
    if (coeffs && coeffs.length !== n)
      throw new WcsError("INVALID_ARGUMENT", `polynomial of order ${order} needs ${n} coefficients, got ${coeffs.length}`);
    this.coeffs = coeffs ?? new Float64Array(n);
    this.radial = radial?.some((v) => v !== 0) ? radial : null;
  }

  /** Coefficient of xⁱ yʲ. */
  get(i: number, j: number): number {
    return i + j <= this.order ? this.coeffs[i * (this.order + 1) + j]! : 0;
  }

  /** Sets the coefficient of xⁱ yʲ (i + j ≤ order). */
  set(i: number, j: number, v: number): void {
    if (i + j > this.order) throw new WcsError("INVALID_ARGUMENT", `term x^${i} y^${j} exceeds order ${this.order}`);
    this.coeffs[i * (this.order + 1) + j] = v;
  }

  /** True when every coefficient is zero. */
  isZero(): boolean {
    return this.radial === null && this.coeffs.every((v) => v === 0);
  }

  /** f(x, y). */
  eval(x: number, y: number): number {
    const n = this.order;
    const c = this.coeffs;
    let s = 0;
    for (let i = n; i >= 0; i--) {
      const row = i * (n + 1);
      let t = 0;
      for (let j = n - i; j >= 0; j--) t = t * y + c[row + j]!;
      s = s * x + t;
    }
    if (this.radial) {
      const r2 = x * x + y * y;
      const r = Math.sqrt(r2);
      const rc = this.radial;
      s += r * (rc[0]! + r2 * (rc[1]! + r2 * (rc[2]! + r2 * rc[3]!)));
    }
    return s;
  }

  /** Value and partial derivatives (f, ∂f/∂x, ∂f/∂y) into out[0..2]. */
  evalDeriv(x: number, y: number, out: Float64Array): void {
    const n = this.order;
    const c = this.coeffs;
    // f = Σ_i xⁱ t_i(y), with t_i and t_i' by Horner in y; then Horner in x for f and ∂f/∂y, and
    // the derivative of the outer Horner for ∂f/∂x.
    let f = 0;
    let fx = 0;
    let fy = 0;
    for (let i = n; i >= 0; i--) {
      const row = i * (n + 1);
      let t = 0;
      let dt = 0;
      for (let j = n - i; j >= 0; j--) {
        dt = dt * y + t;
        t = t * y + c[row + j]!;
      }
      fx = fx * x + f;
      f = f * x + t;
      fy = fy * x + dt;
    }
    if (this.radial) {
      const r2 = x * x + y * y;
      const r = Math.sqrt(r2);
      const rc = this.radial;
      f += r * (rc[0]! + r2 * (rc[1]! + r2 * (rc[2]! + r2 * rc[3]!)));
      if (r > 0) {
        // d(r^k)/dx = k r^(k-2) x
        const g = (rc[0]! + r2 * (3 * rc[1]! + r2 * (5 * rc[2]! + r2 * 7 * rc[3]!))) / r;
        fx += g * x;
        fy += g * y;
      }
    }
    out[0] = f;
    out[1] = fx;
    out[2] = fy;
  }

  /** A copy with x and y exchanged (g(x, y) = f(y, x)). */
  transposed(): Poly2D {
    const n = this.order;
    const out = new Poly2D(n, undefined, this.radial ? Float64Array.from(this.radial) : null);
    for (let i = 0; i <= n; i++) for (let j = 0; i + j <= n; j++) out.set(j, i, this.get(i, j));
    return out;
  }

  /**
   * This polynomial composed with a linear map: g(x, y) = f(a·x + b·y, c·x + d·y). Exact up to
   * rounding; radial terms are not allowed (they are not polynomial).
   */
  composeLinear(a: number, b: number, c: number, d: number): Poly2D {
    if (this.radial) throw new WcsError("INVALID_ARGUMENT", "cannot compose radial TPV terms with a linear map");
    const n = this.order;
    const out = new Poly2D(n);
    // powers of (a x + b y) and (c x + d y) as dense coefficient arrays p[k][i] (coefficient of xⁱ y^(k−i))
    const pu: Float64Array[] = [Float64Array.of(1)];
    const pv: Float64Array[] = [Float64Array.of(1)];
    for (let k = 1; k <= n; k++) {
      pu.push(mulLinear(pu[k - 1]!, a, b));
      pv.push(mulLinear(pv[k - 1]!, c, d));
    }
    for (let p = 0; p <= n; p++) {
      for (let q = 0; p + q <= n; q++) {
        const coef = this.get(p, q);
        if (coef === 0) continue;
        const u = pu[p]!;
        const v = pv[q]!;
        // product of homogeneous polynomials of degrees p and q
        for (let i = 0; i <= p; i++) {
          for (let k = 0; k <= q; k++) {
            const xi = i + k;
            const yj = p + q - xi;
            out.coeffs[xi * (n + 1) + yj]! += coef * u[i]! * v[k]!;
          }
        }
      }
    }
    return out;
  }
}

/** Multiplies a homogeneous polynomial (coefficients by power of x) by (a x + b y). */
function mulLinear(p: Float64Array, a: number, b: number): Float64Array {
  const out = new Float64Array(p.length + 1);
  for (let i = 0; i < p.length; i++) {
    out[i + 1]! += a * p[i]!;
    out[i]! += b * p[i]!;
  }
  return out;
}
