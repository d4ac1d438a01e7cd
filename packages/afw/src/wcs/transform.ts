/**
 * Pixel → pixel transforms between two WCSs (destination pixel → source pixel, as a warper needs
 * them), exactly or through a grid approximation whose error is measured and bounded.
 */
import type { Box2I } from "../geom/box.js";
import { WcsError } from "./errors.js";
import type { SkyWcs } from "./skywcs.js";

/** Maps destination pixels to source pixels (PARENT coordinates of each WCS). */
export class WcsPairTransform {
  /**
   * @param destination WCS of the pixels we iterate over (e.g. the coadd patch)
   * @param source WCS of the image being resampled (e.g. a calexp)
   */
  constructor(
    readonly destination: SkyWcs,
    readonly source: SkyWcs,
  ) {}

  /**
   * Exact transform of many points: destination (x, y) → source (x, y), PARENT pixels. Points
   * whose inverse does not converge in the source WCS become NaN (and are counted).
   */
  apply(
    x: Float64Array,
    y: Float64Array,
    out: { x: Float64Array; y: Float64Array } = { x: new Float64Array(x.length), y: new Float64Array(x.length) },
  ): { x: Float64Array; y: Float64Array; nFailed: number } {
    const sky = this.destination.pixelToSkyArrays(x, y);
    const r = this.source.skyToPixelArrays(sky.ra, sky.dec, out);
    return { x: r.x, y: r.y, nFailed: r.nFailed };
  }
}

/** Options for {@link approximateOnGrid}. */
export interface GridApproximationOptions {
  /** Largest allowed difference between the approximation and the exact transform, source pixels. Default 0.01. */
  maxError?: number;
  /** Starting spacing of the exact grid, destination pixels (halved until `maxError` holds). Default 64. */
  initialSpacing?: number;
  /** Smallest spacing tried before giving up with an error, pixels. Default 2. */
  minSpacing?: number;
}

/** Source coordinates for every destination pixel of a box, with the error achieved. */
export interface GridApproximation {
  /** Source x (PARENT pixels) for each destination pixel, row-major over the box. */
  x: Float64Array;
  /** Source y (PARENT pixels) for each destination pixel. */
  y: Float64Array;
  /** Grid spacing used, destination pixels. */
  spacing: number;
  /** Largest difference from the exact transform found at the check points (cell centres and edge midpoints), source pixels. */
  maxError: number;
  /** Exact evaluations made (grid nodes plus check points). */
  exactEvaluations: number;
}

/**
 * Fills source coordinates for every pixel of `box` (destination PARENT pixels) by evaluating the
 * transform exactly on a grid and interpolating bilinearly inside each cell. The grid is refined
 * until the interpolation error — measured against the exact transform at every cell centre and
 * edge midpoint, where bilinear interpolation errs most — is below `maxError`.
 */
export function approximateOnGrid(
  transform: WcsPairTransform,
  box: Box2I,
  options: GridApproximationOptions = {},
): GridApproximation {
  const maxError = options.maxError ?? 0.01;
  const minSpacing = options.minSpacing ?? 2;
  let spacing = Math.max(1, Math.floor(options.initialSpacing ?? 64));
  const w = box.width;
  const h = box.height;
  if (w <= 0 || h <= 0) throw new WcsError("INVALID_ARGUMENT", `empty box ${box.toString()}`);
  let evaluations = 0;
  for (;;) {
    const xs = gridCoordinates(box.minX, w, spacing);
    const ys = gridCoordinates(box.minY, h, spacing);
    const nodes = evaluateGrid(transform, xs, ys);
    evaluations += xs.length * ys.length;
    // Check points: centres of cells and midpoints of their edges.
    const cx: number[] = [];
    const cy: number[] = [];
    for (let j = 0; j < ys.length; j++) {
      for (let i = 0; i < xs.length; i++) {
        const x0 = xs[i]!;
        const y0 = ys[j]!;
        const x1 = xs[i + 1];
        const y1 = ys[j + 1];
        if (x1 !== undefined) {
          cx.push((x0 + x1) / 2);
          cy.push(y0);
        }
        if (y1 !== undefined) {
          cx.push(x0);
          cy.push((y0 + y1) / 2);
        }
        if (x1 !== undefined && y1 !== undefined) {
          cx.push((x0 + x1) / 2);
          cy.push((y0 + y1) / 2);
        }
      }
    }
    const px = Float64Array.from(cx);
    const py = Float64Array.from(cy);
    const exact = transform.apply(px, py);
    evaluations += px.length;
    let worst = 0;
    for (let k = 0; k < px.length; k++) {
      const [ax, ay] = interpolate(nodes, xs, ys, px[k]!, py[k]!);
      const d = Math.hypot(ax - exact.x[k]!, ay - exact.y[k]!);
      if (!(d <= worst)) worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    }
    if (worst <= maxError || (xs.length === w && ys.length === h)) {
      const out = fillBox(nodes, xs, ys, box);
      return { ...out, spacing, maxError: worst, exactEvaluations: evaluations };
    }
    if (spacing <= minSpacing) {
      throw new WcsError(
        "NO_CONVERGENCE",
        `grid approximation error ${worst.toPrecision(3)} px exceeds ${maxError} px even at spacing ${spacing} px (box ${box.toString()})`,
      );
    }
    spacing = Math.max(minSpacing, Math.floor(spacing / 2));
  }
}

/** Grid node coordinates along one axis: every `spacing` pixels plus the last pixel. */
function gridCoordinates(start: number, n: number, spacing: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n - 1; k += spacing) out.push(start + k);
  out.push(start + n - 1);
  return out;
}

interface Nodes {
  x: Float64Array;
  y: Float64Array;
}

function evaluateGrid(t: WcsPairTransform, xs: number[], ys: number[]): Nodes {
  const n = xs.length * ys.length;
  const gx = new Float64Array(n);
  const gy = new Float64Array(n);
  for (let j = 0; j < ys.length; j++) {
    for (let i = 0; i < xs.length; i++) {
      gx[j * xs.length + i] = xs[i]!;
      gy[j * xs.length + i] = ys[j]!;
    }
  }
  const r = t.apply(gx, gy);
  return { x: r.x, y: r.y };
}

/** Cell index containing coordinate v (grid nodes sorted ascending). */
function cellOf(nodes: number[], v: number): number {
  let lo = 0;
  let hi = nodes.length - 1;
  if (hi === 0) return 0;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid]! <= v) lo = mid;
    else hi = mid;
  }
  return Math.min(lo, nodes.length - 2);
}

function interpolate(g: Nodes, xs: number[], ys: number[], x: number, y: number): [number, number] {
  const i = cellOf(xs, x);
  const j = cellOf(ys, y);
  const nx = xs.length;
  const i1 = Math.min(i + 1, nx - 1);
  const j1 = Math.min(j + 1, ys.length - 1);
  const fx = i1 === i ? 0 : (x - xs[i]!) / (xs[i1]! - xs[i]!);
  const fy = j1 === j ? 0 : (y - ys[j]!) / (ys[j1]! - ys[j]!);
  const k00 = j * nx + i;
  const k10 = j * nx + i1;
  const k01 = j1 * nx + i;
  const k11 = j1 * nx + i1;
  const bl = (a: Float64Array): number =>
    (1 - fy) * ((1 - fx) * a[k00]! + fx * a[k10]!) + fy * ((1 - fx) * a[k01]! + fx * a[k11]!);
  return [bl(g.x), bl(g.y)];
}

/** Bilinear fill of every pixel of the box from the grid nodes, cell by cell. */
function fillBox(g: Nodes, xs: number[], ys: number[], box: Box2I): { x: Float64Array; y: Float64Array } {
  const w = box.width;
  const outX = new Float64Array(w * box.height);
  const outY = new Float64Array(w * box.height);
  const nx = xs.length;
  for (let j = 0; j < ys.length; j++) {
    const yStart = ys[j]!;
    const yEnd = j + 1 < ys.length ? ys[j + 1]! : yStart + 1;
    const j1 = Math.min(j + 1, ys.length - 1);
    const hy = ys[j1]! - yStart;
    for (let y = yStart; y < yEnd; y++) {
      const fy = hy === 0 ? 0 : (y - yStart) / hy;
      const row = (y - box.minY) * w;
      for (let i = 0; i < nx; i++) {
        const xStart = xs[i]!;
        const xEnd = i + 1 < nx ? xs[i + 1]! : xStart + 1;
        const i1 = Math.min(i + 1, nx - 1);
        const hx = xs[i1]! - xStart;
        const k00 = j * nx + i;
        const k10 = j * nx + i1;
        const k01 = j1 * nx + i;
        const k11 = j1 * nx + i1;
        // Interpolate down the cell's left and right edges, then across.
        const lx = g.x[k00]! + fy * (g.x[k01]! - g.x[k00]!);
        const rx = g.x[k10]! + fy * (g.x[k11]! - g.x[k10]!);
        const ly = g.y[k00]! + fy * (g.y[k01]! - g.y[k00]!);
        const ry = g.y[k10]! + fy * (g.y[k11]! - g.y[k10]!);
        for (let x = xStart; x < xEnd; x++) {
          const fx = hx === 0 ? 0 : (x - xStart) / hx;
          const o = row + (x - box.minX);
          outX[o] = lx + fx * (rx - lx);
          outY[o] = ly + fx * (ry - ly);
        }
      }
    }
  }
  return { x: outX, y: outY };
}
