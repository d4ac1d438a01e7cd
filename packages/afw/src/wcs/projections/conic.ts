/**
 * Conic projections (Paper II §5.4): COP, COE, COD, COO. PV2_1 = θa = (θ1 + θ2)/2 (required),
 * PV2_2 = η = |θ1 − θ2|/2 (default 0), degrees. The fiducial point is (φ0, θ0) = (0, θa), so the
 * celestial rotation uses a non-zero θ0 (LONPOLE default 180° when CRVAL2 < θa). Degree forms.
 */
import { WcsError } from "../errors.js";
import {
  asind,
  atan2d,
  atand,
  badParams,
  checkParams,
  cosd,
  D2R,
  degreeProjection,
  type Projection,
  type ProjectionParams,
  R2D,
  sind,
  tand,
} from "./common.js";

function conicParams(code: string, pv: ProjectionParams): [number, number] {
  checkParams(code, pv, [1, 2]);
  const sigma = pv.get(1);
  if (sigma === undefined)
    throw new WcsError("BAD_CARD", `the ${code} projection needs PV2_1 (θa, the mean of the standard parallels)`, {
      card: "PV2_1",
    });
  return [sigma, pv.get(2) ?? 0];
}

/** (α, R) of a plane point relative to the cone apex at (0, Y0); R is signed like θa. */
function apex(X: number, Y: number, y0: number, sigma: number, out: Float64Array): number {
  const dy = y0 - Y;
  let r = Math.sqrt(X * X + dy * dy);
  if (sigma < 0) r = -r;
  out[0] = r === 0 ? 0 : atan2d(X / r, dy / r);
  return r;
}

/** Conic perspective COP. */
export function makeCop(pv: ProjectionParams): Projection {
  const [sigma, delta] = conicParams("COP", pv);
  const w0 = sind(sigma);
  if (w0 === 0) badParams("COP", "θa = PV2_1 = 0");
  const w1 = 1 / w0;
  const w3 = R2D * cosd(delta);
  if (w3 === 0) badParams("COP", "η = PV2_2 = ±90°", "PV2_2");
  const w4 = 1 / w3;
  const w5 = 1 / tand(sigma);
  const w2 = w3 * w5;
  return degreeProjection("COP", 0, sigma, {
    x2s(X, Y, out) {
      const r = apex(X, Y, w2, sigma, out);
      out[0] = out[0]! * w1;
      out[1] = sigma + atand(w5 - r * w4);
      return true;
    },
    s2x(phi, theta, out) {
      const a = w0 * phi;
      const t = theta - sigma;
      const s = cosd(t);
      let r: number;
      if (s === 0) return false; // latitude of divergence
      if (Math.abs(theta) === 90) {
        r = 0;
        if (theta < 0 !== sigma < 0) return false;
      } else {
        r = w2 - (w3 * sind(t)) / s;
        if (r * w0 < 0) return false;
      }
      out[0] = r * sind(a);
      out[1] = -r * cosd(a) + w2;
      return true;
    },
  });
}

/** Conic equal area COE. */
export function makeCoe(pv: ProjectionParams): Projection {
  const [sigma, delta] = conicParams("COE", pv);
  const t1 = sigma - delta;
  const t2 = sigma + delta;
  const w0 = (sind(t1) + sind(t2)) / 2;
  if (w0 === 0) badParams("COE", "sin θ1 + sin θ2 = 0");
  const w1 = 1 / w0;
  const w3 = R2D / w0;
  const w4 = 1 + sind(t1) * sind(t2);
  const w5 = 2 * w0;
  const w6 = w3 * w3 * w4;
  const w7 = 1 / (2 * R2D * w3);
  const w8 = w3 * Math.sqrt(w4 + w5);
  const w2 = w3 * Math.sqrt(w4 - w5 * sind(sigma));
  const tol = 1e-12;
  return degreeProjection("COE", 0, sigma, {
    x2s(X, Y, out) {
      const r = apex(X, Y, w2, sigma, out);
      out[0] = out[0]! * w1;
      if (Math.abs(r - w8) < tol) {
        out[1] = -90;
        return true;
      }
      const w = (w6 - r * r) * w7;
      if (Math.abs(w) > 1) {
        if (Math.abs(w - 1) < tol) out[1] = 90;
        else if (Math.abs(w + 1) < tol) out[1] = -90;
        else return false;
      } else out[1] = asind(w);
      return true;
    },
    s2x(phi, theta, out) {
      const a = w0 * phi;
      const r = theta === -90 ? w8 : w3 * Math.sqrt(w4 - w5 * sind(theta));
      out[0] = r * sind(a);
      out[1] = -r * cosd(a) + w2;
      return true;
    },
  });
}

/** Conic equidistant COD. */
export function makeCod(pv: ProjectionParams): Projection {
  const [sigma, delta] = conicParams("COD", pv);
  const w0 = delta === 0 ? R2D * sind(sigma) * D2R : (R2D * sind(sigma) * sind(delta)) / delta;
  if (w0 === 0) badParams("COD", "θa = PV2_1 = 0");
  const w1 = 1 / w0;
  const w2 = (R2D * cosd(delta) * cosd(sigma)) / w0;
  const w3 = w2 + sigma;
  return degreeProjection("COD", 0, sigma, {
    x2s(X, Y, out) {
      const r = apex(X, Y, w2, sigma, out);
      out[0] = out[0]! * w1;
      out[1] = w3 - r;
      return true;
    },
    s2x(phi, theta, out) {
      const a = w0 * phi;
      const r = w3 - theta;
      out[0] = r * sind(a);
      out[1] = -r * cosd(a) + w2;
      return true;
    },
  });
}

/** Conic orthomorphic COO. */
export function makeCoo(pv: ProjectionParams): Projection {
  const [sigma, delta] = conicParams("COO", pv);
  const t1 = sigma - delta;
  const t2 = sigma + delta;
  const tan1 = tand((90 - t1) / 2);
  const cos1 = cosd(t1);
  const w0 = t1 === t2 ? sind(t1) : Math.log(cosd(t2) / cos1) / Math.log(tand((90 - t2) / 2) / tan1);
  if (w0 === 0 || !Number.isFinite(w0)) badParams("COO", "the cone constant is zero or undefined");
  const w1 = 1 / w0;
  const w3 = (R2D * (cos1 / w0)) / tan1 ** w0;
  if (w3 === 0 || !Number.isFinite(w3)) badParams("COO", "the cone scale is zero or undefined");
  const w2 = w3 * tand((90 - sigma) / 2) ** w0;
  const w4 = 1 / w3;
  return degreeProjection("COO", 0, sigma, {
    x2s(X, Y, out) {
      const r = apex(X, Y, w2, sigma, out);
      out[0] = out[0]! * w1;
      if (r === 0) {
        if (w0 < 0) out[1] = -90;
        else return false;
      } else out[1] = 90 - 2 * atand((r * w4) ** w1);
      return true;
    },
    s2x(phi, theta, out) {
      const a = w0 * phi;
      let r: number;
      if (theta === -90) {
        if (w0 >= 0) return false;
        r = 0;
      } else r = w3 * tand((90 - theta) / 2) ** w0;
      out[0] = r * sind(a);
      out[1] = -r * cosd(a) + w2;
      return true;
    },
  });
}
