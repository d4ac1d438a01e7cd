// Comparisons of an ISR output with the simulator's truth, shared by the ISR end-to-end tests
// (issue 6 acceptance: mean residual and amplifier step < 0.1 e, variance within 2%, SAT/BAD/INTRP
// covering the planted artefacts).
import type { Exposure } from "@skystack/afw";
import { ARTEFACT } from "@skystack/sim";

/** The parts of a simulator truth these comparisons use (detector frame, e⁻). */
export interface IsrTruth {
  readonly image: Float32Array;
  readonly variance: Float32Array;
  readonly artefacts: Uint8Array;
}

/** Residual statistics over the pixels neither masked nor planted artefacts. */
export interface TruthResiduals {
  /** Pixels compared. */
  readonly n: number;
  /** Mean of image − truth, e⁻. */
  readonly mean: number;
  /** Mean residual per amplifier column range, e⁻ (x < splitX, x ≥ splitX). */
  readonly amps: readonly [number, number];
  /** Σ variance plane / Σ true variance. */
  readonly varianceRatio: number;
}

/**
 * Residuals of `out` against `truth`; `perPixel` (optional) sees each compared pixel's index and
 * residual, for test-specific regressions.
 */
export function truthResiduals(
  out: Exposure,
  truth: IsrTruth,
  splitX = 1024,
  perPixel?: (i: number, r: number) => void,
): TruthResiduals {
  const im = out.image.array as Float32Array;
  const m = out.mask.array;
  const v = out.variance.array as Float32Array;
  const W = out.width;
  const amp = [
    { s: 0, n: 0 },
    { s: 0, n: 0 },
  ];
  let s = 0;
  let n = 0;
  let vs = 0;
  let tv = 0;
  for (let i = 0; i < im.length; i++) {
    if (m[i] || truth.artefacts[i]) continue;
    const r = im[i]! - truth.image[i]!;
    s += r;
    n++;
    vs += v[i]!;
    tv += truth.variance[i]!;
    const a = amp[i % W < splitX ? 0 : 1]!;
    a.s += r;
    a.n++;
    perPixel?.(i, r);
  }
  return { n, mean: s / n, amps: [amp[0]!.s / amp[0]!.n, amp[1]!.s / amp[1]!.n], varianceRatio: vs / tv };
}

/** Planted saturated pixels and bad-column pixels, and how many lack SAT|INTRP / BAD|INTRP. */
export function artefactCoverage(out: Exposure, truth: IsrTruth): { nSat: number; nBad: number; missed: number } {
  const SAT = out.mask.getPlaneBitMask("SAT");
  const BAD = out.mask.getPlaneBitMask("BAD");
  const INTRP = out.mask.getPlaneBitMask("INTRP");
  let nSat = 0;
  let nBad = 0;
  let missed = 0;
  for (let i = 0; i < truth.artefacts.length; i++) {
    const a = truth.artefacts[i]!;
    const mk = out.mask.array[i]!;
    if (a & ARTEFACT.SATURATED) {
      nSat++;
      if ((mk & (SAT | INTRP)) !== (SAT | INTRP)) missed++;
    }
    if (a & ARTEFACT.BAD_COLUMN) {
      nBad++;
      if ((mk & (BAD | INTRP)) !== (BAD | INTRP)) missed++;
    }
  }
  return { nSat, nBad, missed };
}
