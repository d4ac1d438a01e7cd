/**
 * Serial-overscan correction per amplifier (ip_isr `OverscanCorrectionTask`).
 *
 * The overscan box of the raw frame is collapsed along the serial direction into one value per row
 * (after per-row clipping: median ± nSigma·σ with σ = 0.7413·IQR, capped at the median σ when
 * above twice it), masked rows are filled from neighbours, and a model is fitted along the rows:
 * MEAN / MEDIAN (one constant over the whole overscan), MEDIAN_PER_ROW (the clipped per-row
 * median), POLY / CHEB (least-squares polynomial of `order`), NATURAL_SPLINE (natural cubic spline
 * through `order` bins of rows). The model is subtracted row by row from the whole amplifier
 * (data and overscan) in place.
 */
import type { Amplifier, Image } from "@skystack/afw";
import { IsrError } from "./errors.js";
import { naturalSplineEval, polyFitEval } from "./fit.js";
import { IQR_TO_SIGMA, medianInPlace, quantileSorted } from "./stats.js";

/** Overscan model. */
export type OverscanFitType = "MEAN" | "MEDIAN" | "MEDIAN_PER_ROW" | "POLY" | "CHEB" | "NATURAL_SPLINE";

/** Overscan options (ip_isr defaults). */
export interface OverscanOptions {
  /** Model (default "MEDIAN"). */
  readonly fitType?: OverscanFitType;
  /** POLY/CHEB polynomial degree, or NATURAL_SPLINE number of bins (default 1; splines need ≥ 2). */
  readonly order?: number;
  /** Per-row clipping threshold, σ (default 3). */
  readonly numSigmaClip?: number;
  /** Serial columns to skip at the start of the overscan (nearest the data), default 0. */
  readonly leadingColumnsToSkip?: number;
  /** Serial columns to skip at the end, default 0. */
  readonly trailingColumnsToSkip?: number;
}

/** What an overscan fit did. */
export interface OverscanResult {
  /** Model value per data row (ADU), index = row − rawDataBBox.min.y. */
  readonly model: Float64Array;
  /** Median of the model, ADU. */
  readonly level: number;
  /** σ of (collapsed overscan − model), ADU. */
  readonly residualStdev: number;
  /** Overscan pixels rejected by clipping. */
  readonly nRejected: number;
}

/**
 * Collapses a rows × cols block (row-major) into one clipped mean per row; NaN for rows with no
 * good value. Also returns the clipped per-row medians.
 */
export function collapseOverscanRows(
  block: Float32Array,
  rows: number,
  cols: number,
  nSigma: number,
): { mean: Float64Array; median: Float64Array; nRejected: number } {
  const med = new Float64Array(rows);
  const sig = new Float64Array(rows);
  const tmp = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    let k = 0;
    for (let c = 0; c < cols; c++) {
      const v = block[r * cols + c]!;
      if (!Number.isNaN(v)) tmp[k++] = v;
    }
    if (k === 0) {
      med[r] = Number.NaN;
      sig[r] = Number.NaN;
      continue;
    }
    const s = tmp.subarray(0, k).sort();
    med[r] = quantileSorted(s, k, 0.5);
    sig[r] = IQR_TO_SIGMA * (quantileSorted(s, k, 0.75) - quantileSorted(s, k, 0.25));
  }
  const sigCopy = Float64Array.from(sig.filter((v) => Number.isFinite(v)));
  const medSig = medianInPlace(sigCopy);
  const mean = new Float64Array(rows);
  const median = new Float64Array(rows);
  let nRejected = 0;
  for (let r = 0; r < rows; r++) {
    let s = sig[r]!;
    if (s > 2 * medSig) s = medSig;
    const lo = med[r]! - nSigma * s;
    const hi = med[r]! + nSigma * s;
    let sum = 0;
    let k = 0;
    for (let c = 0; c < cols; c++) {
      const v = block[r * cols + c]!;
      if (v >= lo && v <= hi) {
        sum += v;
        tmp[k++] = v;
      } else nRejected++;
    }
    mean[r] = k ? sum / k : Number.NaN;
    median[r] = k ? medianInPlace(tmp, k) : Number.NaN;
  }
  return { mean, median, nRejected };
}

/** Fills NaN entries with the nearest finite neighbour (previous, else next). */
function fillGaps(v: Float64Array): void {
  let last = Number.NaN;
  for (let i = 0; i < v.length; i++) {
    if (Number.isFinite(v[i]!)) last = v[i]!;
    else v[i] = last;
  }
  last = Number.NaN;
  for (let i = v.length - 1; i >= 0; i--) {
    if (Number.isFinite(v[i]!)) last = v[i]!;
    else v[i] = last;
  }
}

/**
 * Fits the overscan model of a block of overscan pixels (rows × cols, row-major).
 * @param what names the amplifier in errors.
 */
export function fitOverscan(
  block: Float32Array,
  rows: number,
  cols: number,
  options: OverscanOptions = {},
  what = "amplifier",
): OverscanResult {
  const fitType = options.fitType ?? "MEDIAN";
  const order = options.order ?? 1;
  const nSigma = options.numSigmaClip ?? 3;
  if (!(nSigma > 0)) throw new IsrError("BAD_OPTION", `overscan.numSigmaClip must be > 0 (got ${nSigma})`);
  if (!Number.isInteger(order) || order < 0)
    throw new IsrError("BAD_OPTION", `overscan.order must be an integer >= 0 (got ${order})`);
  const col = collapseOverscanRows(block, rows, cols, nSigma);
  let model: Float64Array;
  if (fitType === "MEAN" || fitType === "MEDIAN") {
    const vals = new Float32Array(rows * cols);
    let k = 0;
    for (let i = 0; i < rows * cols; i++) if (!Number.isNaN(block[i]!)) vals[k++] = block[i]!;
    if (k === 0) throw new IsrError("NO_DATA", `${what}: the overscan has no finite pixel`);
    let level: number;
    if (fitType === "MEDIAN") level = medianInPlace(vals, k);
    else {
      let s = 0;
      let n = 0;
      for (let r = 0; r < rows; r++)
        if (Number.isFinite(col.mean[r]!)) {
          s += col.mean[r]!;
          n++;
        }
      level = s / n;
    }
    model = new Float64Array(rows).fill(level);
  } else if (fitType === "MEDIAN_PER_ROW") {
    model = col.median.slice();
    fillGaps(model);
  } else if (fitType === "POLY" || fitType === "CHEB") {
    const x = new Float64Array(rows);
    for (let i = 0; i < rows; i++) x[i] = i;
    model = polyFitEval(x, col.mean, order, rows);
  } else if (fitType === "NATURAL_SPLINE") {
    if (order < 2)
      throw new IsrError("BAD_OPTION", `overscan.order (number of spline bins) must be >= 2 for NATURAL_SPLINE (got ${order})`);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let b = 0; b < order; b++) {
      const r0 = Math.floor((b * rows) / order);
      const r1 = Math.floor(((b + 1) * rows) / order);
      let s = 0;
      let sx = 0;
      let n = 0;
      for (let r = r0; r < r1; r++)
        if (Number.isFinite(col.mean[r]!)) {
          s += col.mean[r]!;
          sx += r;
          n++;
        }
      if (n > 0) {
        xs.push(sx / n);
        ys.push(s / n);
      }
    }
    if (xs.length < 2)
      throw new IsrError("NO_DATA", `${what}: NATURAL_SPLINE overscan has ${xs.length} non-empty bins (needs >= 2)`);
    model = naturalSplineEval(xs, ys, rows);
  } else {
    throw new IsrError(
      "BAD_OPTION",
      `overscan.fitType ${JSON.stringify(fitType)} is not one of MEAN, MEDIAN, MEDIAN_PER_ROW, POLY, CHEB, NATURAL_SPLINE`,
    );
  }
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const d = col.mean[r]! - model[r]!;
    if (Number.isFinite(d)) {
      s += d;
      s2 += d * d;
      n++;
    }
  }
  const m = s / n;
  return {
    model,
    level: medianInPlace(model.slice()),
    residualStdev: n > 1 ? Math.sqrt(Math.max(0, (s2 - n * m * m) / (n - 1))) : 0,
    nRejected: col.nRejected,
  };
}

/**
 * Overscan-corrects one amplifier of a raw frame in place: fits its serial overscan over the data
 * rows and subtracts the per-row model from every pixel of the amplifier's raw box in those rows
 * (data and overscan).
 * @param raw the raw frame (PARENT coordinates = raw pixel coordinates).
 */
export function overscanCorrectAmplifier(
  raw: Image<Float32Array>,
  amp: Amplifier,
  options: OverscanOptions = {},
): OverscanResult {
  const os = amp.rawHorizontalOverscanBBox;
  if (os.isEmpty()) throw new IsrError("BAD_CALIB", `amplifier ${amp.name} has no serial overscan box`);
  const lead = options.leadingColumnsToSkip ?? 0;
  const trail = options.trailingColumnsToSkip ?? 0;
  // "leading" = nearest the data
  const dataLeft = amp.rawDataBBox.min.x < os.min.x;
  const x0 = os.min.x + (dataLeft ? lead : trail);
  const x1 = os.max.x - (dataLeft ? trail : lead);
  if (x1 < x0)
    throw new IsrError(
      "BAD_OPTION",
      `overscan leading/trailing columns to skip (${lead}+${trail}) leave no column of amplifier ${amp.name}`,
    );
  const y0 = amp.rawDataBBox.min.y;
  const rows = amp.rawDataBBox.height;
  const cols = x1 - x0 + 1;
  const block = new Float32Array(rows * cols);
  const a = raw.array;
  const st = raw.stride;
  const ox = raw.x0;
  const oy = raw.y0;
  for (let r = 0; r < rows; r++) {
    const base = (y0 + r - oy) * st - ox;
    block.set(a.subarray(base + x0, base + x1 + 1), r * cols);
  }
  const res = fitOverscan(block, rows, cols, options, `amplifier ${amp.name}`);
  const bx0 = amp.rawBBox.min.x;
  const bx1 = amp.rawBBox.max.x;
  for (let r = 0; r < rows; r++) {
    const base = (y0 + r - oy) * st - ox;
    const v = res.model[r]!;
    for (let x = base + bx0, e = base + bx1; x <= e; x++) a[x] = a[x]! - v;
  }
  return res;
}
