/**
 * FITS WCS spherical projections (Calabretta & Greisen 2002, "Paper II"; HEALPix from Calabretta &
 * Roukema 2007): projection-plane coordinates (x, y) ↔ native spherical coordinates (φ, θ).
 *
 * Everything at this interface is in radians (the plane coordinates are wcslib's degrees divided by
 * 180/π, i.e. R0 = 1). Each function writes its two results into `out[0]`, `out[1]` and returns
 * false when the point is outside the projection's domain (then `out` holds NaN), so vectorised
 * callers allocate nothing per point. The families live in `projections/*.ts`; parameters,
 * defaults, domain checks and inverse iterations follow wcslib 7.x (prj.c).
 */
import { WcsError } from "./errors.js";
import type { Projection, ProjectionParams } from "./projections/common.js";
import { makeCod, makeCoe, makeCoo, makeCop } from "./projections/conic.js";
import { makeCar, makeCea, makeCyp, makeMer } from "./projections/cylindrical.js";
import { makeHpx, makeXph } from "./projections/healpix.js";
import { makeBon, makePco } from "./projections/polyconic.js";
import { makeAit, makeMol, makePar, makeSfl } from "./projections/pseudocylindrical.js";
import { makeCsc, makeQsc, makeTsc } from "./projections/quadcube.js";
import { makeAir, makeArc, makeAzp, makeSin, makeStg, makeSzp, makeTan, makeZea, makeZpn } from "./projections/zenithal.js";

export { type Projection, type ProjectionParams, wrapPi } from "./projections/common.js";

const FACTORIES: Readonly<Record<string, (pv: ProjectionParams) => Projection>> = {
  // zenithal
  AZP: makeAzp,
  SZP: makeSzp,
  TAN: makeTan,
  STG: makeStg,
  SIN: makeSin,
  ARC: makeArc,
  ZPN: makeZpn,
  ZEA: makeZea,
  AIR: makeAir,
  // cylindrical
  CYP: makeCyp,
  CEA: makeCea,
  CAR: makeCar,
  MER: makeMer,
  // pseudo-cylindrical and conventional
  SFL: (pv) => makeSfl("SFL", pv),
  GLS: (pv) => makeSfl("GLS", pv),
  PAR: makePar,
  MOL: makeMol,
  AIT: makeAit,
  // conic
  COP: makeCop,
  COE: makeCoe,
  COD: makeCod,
  COO: makeCoo,
  // polyconic
  BON: makeBon,
  PCO: makePco,
  // quad-cube
  TSC: makeTsc,
  CSC: makeCsc,
  QSC: makeQsc,
  // HEALPix
  HPX: makeHpx,
  XPH: makeXph,
};

/** Codes {@link makeProjection} implements: every projection of Paper II that wcslib supports, plus GLS (= SFL). */
export const PROJECTION_CODES: readonly string[] = Object.keys(FACTORIES);

/**
 * Projection for a FITS code.
 * @param pv projection parameters of the latitude axis (PV2_m), e.g. AZP's μ and γ, ZPN's
 *   polynomial, the conics' θa and η, BON's θ1, HPX's H and K; wcslib's defaults when absent
 * @throws WcsError UNSUPPORTED for other codes or for parameters a projection does not define;
 *   BAD_CARD for invalid parameter values (and for a conic or BON without PV2_1).
 */
export function makeProjection(code: string, pv: ProjectionParams = new Map()): Projection {
  const make = FACTORIES[code];
  if (!make)
    throw new WcsError("UNSUPPORTED", `projection code '${code}' is not implemented (${PROJECTION_CODES.join(", ")} are)`);
  return make(pv);
}
