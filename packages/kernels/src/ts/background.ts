/**
 * Background helpers (lsst-anatomy 1.8): cell statistics on a grid, 2-D Chebyshev least-squares
 * fit/evaluation, and interpolation of a cell grid to full resolution (Akima spline as GSL/afw,
 * with REDUCE_INTERP_ORDER fallbacks and linear extrapolation beyond the outer cell centres).
 */
import type { CellGrid, CellStatistic, Chebyshev2D, StatsControl, StatsResult } from "../api.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";

/** Cell edges along one axis: [orig_i, end_i) with end_i = min(((i+1)·n + nc/2) div nc, n). */
export function cellEdges(n: number, nc: number): Int32Array {
  const e = new Int32Array(nc + 1);
  for (let i = 0; i < nc; i++) e[i + 1] = Math.min(Math.floor(((i + 1) * n + Math.floor(nc / 2)) / nc), n);
  return e;
}

/** Cell statistics using a statistics function (any backend's). */
export async function binStatisticsWith(
  stats: (
    src: Planes,
    box: { x0: number; y0: number; width: number; height: number },
    ctrl: StatsControl,
  ) => Promise<StatsResult>,
  src: Planes,
  nx: number,
  ny: number,
  statistic: CellStatistic,
  ctrl: StatsControl = {},
): Promise<CellGrid> {
  checkPlanes(src, "src");
  if (!Number.isInteger(nx) || nx < 1 || nx > src.width)
    throw new KernelError("nx", `must be an integer in 1..${src.width}, got ${nx}`);
  if (!Number.isInteger(ny) || ny < 1 || ny > src.height)
    throw new KernelError("ny", `must be an integer in 1..${src.height}, got ${ny}`);
  const ex = cellEdges(src.width, nx);
  const ey = cellEdges(src.height, ny);
  const g: CellGrid = {
    nx,
    ny,
    values: new Float64Array(nx * ny),
    variances: new Float64Array(nx * ny),
    centreX: new Float64Array(nx),
    centreY: new Float64Array(ny),
  };
  for (let i = 0; i < nx; i++) g.centreX[i] = ex[i]! + (ex[i + 1]! - ex[i]!) / 2 - 0.5;
  for (let j = 0; j < ny; j++) g.centreY[j] = ey[j]! + (ey[j + 1]! - ey[j]!) / 2 - 0.5;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const box = { x0: ex[i]!, y0: ey[j]!, width: ex[i + 1]! - ex[i]!, height: ey[j + 1]! - ey[j]! };
      const s = await stats(src, box, ctrl);
      let v: number;
      let e: number;
      if (statistic === "mean") {
        v = s.mean;
        e = s.variance / s.npoint;
      } else if (statistic === "median") {
        v = s.median;
        e = ((Math.PI / 2) * s.variance) / s.npoint;
      } else {
        v = s.meanClip;
        e = s.varianceClip / (s.npoint - s.nClipped);
      }
      g.values[j * nx + i] = v;
      g.variances[j * nx + i] = e;
    }
  }
  return g;
}

/** Chebyshev polynomials T_0..T_order at t. */
function cheb(t: number, order: number, out: Float64Array): void {
  out[0] = 1;
  if (order >= 1) out[1] = t;
  for (let k = 2; k <= order; k++) out[k] = 2 * t * out[k - 1]! - out[k - 2]!;
}

/** Solves the symmetric system A x = b in place (Gaussian elimination with partial pivoting). */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]!) > Math.abs(A[p * n + c]!)) p = r;
    if (A[p * n + c] === 0) throw new KernelError("chebyshevFit", "the fit is singular (too few points for the orders)");
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = A[c * n + k]!;
        A[c * n + k] = A[p * n + k]!;
        A[p * n + k] = t;
      }
      const t = b[c]!;
      b[c] = b[p]!;
      b[p] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c]! / A[c * n + c]!;
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k]! -= f * A[c * n + k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= A[r * n + k]! * x[k]!;
    x[r] = s / A[r * n + r]!;
  }
  return x;
}

/** Weighted least-squares fit of a 2-D Chebyshev series (non-finite points and zero weights skipped). */
export function chebyshevFitTs(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  v: ArrayLike<number>,
  w: ArrayLike<number> | null,
  orderX: number,
  orderY: number,
  box: { xmin: number; xmax: number; ymin: number; ymax: number },
): Chebyshev2D {
  if (!Number.isInteger(orderX) || orderX < 0 || !Number.isInteger(orderY) || orderY < 0)
    throw new KernelError("order", `orders must be non-negative integers, got ${orderX}, ${orderY}`);
  if (!(box.xmax > box.xmin) || !(box.ymax > box.ymin)) throw new KernelError("box", "must have xmax > xmin and ymax > ymin");
  if (y.length !== x.length || v.length !== x.length || (w && w.length !== x.length))
    throw new KernelError("x/y/v/w", "must have equal lengths");
  const nx = orderX + 1;
  const nt = nx * (orderY + 1);
  const A = new Float64Array(nt * nt);
  const b = new Float64Array(nt);
  const tx = new Float64Array(nx);
  const ty = new Float64Array(orderY + 1);
  const basis = new Float64Array(nt);
  for (let p = 0; p < x.length; p++) {
    const wt = w ? w[p]! : 1;
    const val = v[p]!;
    if (!(wt > 0) || !Number.isFinite(val) || !Number.isFinite(wt)) continue;
    cheb((2 * x[p]! - (box.xmin + box.xmax)) / (box.xmax - box.xmin), orderX, tx);
    cheb((2 * y[p]! - (box.ymin + box.ymax)) / (box.ymax - box.ymin), orderY, ty);
    for (let j = 0; j <= orderY; j++) for (let i = 0; i < nx; i++) basis[j * nx + i] = tx[i]! * ty[j]!;
    for (let r = 0; r < nt; r++) {
      b[r]! += wt * basis[r]! * val;
      for (let c = 0; c < nt; c++) A[r * nt + c]! += wt * basis[r]! * basis[c]!;
    }
  }
  return { orderX, orderY, coeffs: solve(A, b, nt), ...box };
}

/** Evaluates a Chebyshev2D at pixel centres (0..width-1, 0..height-1); separable per row. */
export function chebyshevEvalTs(c: Chebyshev2D, width: number, height: number): Float32Array {
  const nx = c.orderX + 1;
  const txAll = new Float64Array(width * nx);
  const t = new Float64Array(Math.max(nx, c.orderY + 1));
  for (let x = 0; x < width; x++) {
    cheb((2 * x - (c.xmin + c.xmax)) / (c.xmax - c.xmin), c.orderX, t);
    for (let i = 0; i < nx; i++) txAll[x * nx + i] = t[i]!;
  }
  const out = new Float32Array(width * height);
  const rowC = new Float64Array(nx);
  for (let y = 0; y < height; y++) {
    cheb((2 * y - (c.ymin + c.ymax)) / (c.ymax - c.ymin), c.orderY, t);
    rowC.fill(0);
    for (let j = 0; j <= c.orderY; j++) for (let i = 0; i < nx; i++) rowC[i]! += c.coeffs[j * nx + i]! * t[j]!;
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let i = 0; i < nx; i++) s += rowC[i]! * txAll[x * nx + i]!;
      out[y * width + x] = s;
    }
  }
  return out;
}

/**
 * A 1-D interpolant through (xs, ys) (xs increasing): the style REDUCE_INTERP_ORDER picks from the
 * point count (1 constant, 2 linear, 3-4 natural cubic spline, >= 5 Akima as GSL). Outside
 * [xs[0], xs[n-1]] it extrapolates linearly from the two outer points.
 */
export function interpolant(xs: Float64Array, ys: Float64Array): (x: number) => number {
  const n = xs.length;
  if (n === 0) return () => Number.NaN;
  if (n === 1) return () => ys[0]!;
  const lin = (i: number, x: number): number => ys[i]! + ((ys[i + 1]! - ys[i]!) * (x - xs[i]!)) / (xs[i + 1]! - xs[i]!);
  // Hermite slopes per knot (natural cubic spline or Akima).
  let d: Float64Array | null = null;
  let m2: Float64Array | null = null;
  const m = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) m[i] = (ys[i + 1]! - ys[i]!) / (xs[i + 1]! - xs[i]!);
  if (n >= 5) {
    const mm = (i: number): number => {
      if (i >= 0 && i < n - 1) return m[i]!;
      if (i === -1) return 2 * m[0]! - m[1]!;
      if (i === -2) return 3 * m[0]! - 2 * m[1]!;
      if (i === n - 1) return 2 * m[n - 2]! - m[n - 3]!;
      return 3 * m[n - 2]! - 2 * m[n - 3]!;
    };
    d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w1 = Math.abs(mm(i + 1) - mm(i));
      const w2 = Math.abs(mm(i - 1) - mm(i - 2));
      d[i] = w1 + w2 === 0 ? 0.5 * (mm(i - 1) + mm(i)) : (w1 * mm(i - 1) + w2 * mm(i)) / (w1 + w2);
    }
  } else if (n >= 3) {
    // Natural cubic spline second derivatives (tridiagonal solve).
    m2 = new Float64Array(n);
    const c = new Float64Array(n);
    const r = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) {
      const h0 = xs[i]! - xs[i - 1]!;
      const h1 = xs[i + 1]! - xs[i]!;
      const diag = 2 * (h0 + h1) - h0 * c[i - 1]!;
      c[i] = h1 / diag;
      r[i] = (6 * (m[i]! - m[i - 1]!) - h0 * r[i - 1]!) / diag;
    }
    for (let i = n - 2; i >= 1; i--) m2[i] = r[i]! - c[i]! * m2[i + 1]!;
  }
  return (x: number): number => {
    if (x <= xs[0]!) return lin(0, x);
    if (x >= xs[n - 1]!) return lin(n - 2, x);
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= x) lo = mid;
      else hi = mid;
    }
    const h = xs[lo + 1]! - xs[lo]!;
    const t = (x - xs[lo]!) / h;
    if (d) {
      const t2 = t * t;
      const t3 = t2 * t;
      return (
        (2 * t3 - 3 * t2 + 1) * ys[lo]! +
        (t3 - 2 * t2 + t) * h * d[lo]! +
        (-2 * t3 + 3 * t2) * ys[lo + 1]! +
        (t3 - t2) * h * d[lo + 1]!
      );
    }
    if (m2) {
      const a = 1 - t;
      return a * ys[lo]! + t * ys[lo + 1]! + ((a * a * a - a) * m2[lo]! + (t * t * t - t) * m2[lo + 1]!) * ((h * h) / 6);
    }
    return lin(lo, x);
  };
}

/** Interpolates a cell grid to width x height: each cell column in y, then each row in x; NaN cells culled. */
export function interpolateGridTs(grid: CellGrid, width: number, height: number): Float32Array {
  const { nx, ny } = grid;
  const cols = new Float64Array(nx * height);
  for (let i = 0; i < nx; i++) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let j = 0; j < ny; j++) {
      const v = grid.values[j * nx + i]!;
      if (Number.isFinite(v)) {
        xs.push(grid.centreY[j]!);
        ys.push(v);
      }
    }
    const f = interpolant(Float64Array.from(xs), Float64Array.from(ys));
    for (let y = 0; y < height; y++) cols[i * height + y] = f(y);
  }
  const out = new Float32Array(width * height);
  const xs = new Float64Array(nx);
  const ys = new Float64Array(nx);
  for (let y = 0; y < height; y++) {
    let n = 0;
    for (let i = 0; i < nx; i++) {
      const v = cols[i * height + y]!;
      if (Number.isFinite(v)) {
        xs[n] = grid.centreX[i]!;
        ys[n] = v;
        n++;
      }
    }
    const f = interpolant(xs.slice(0, n), ys.slice(0, n));
    for (let x = 0; x < width; x++) out[y * width + x] = f(x);
  }
  return out;
}
