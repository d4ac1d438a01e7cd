/**
 * Cylindrical projections (Paper II §5.2): CAR, CEA, MER (radian closed forms) and CYP (degree
 * form with wcslib's defaults μ = λ = 1). Fiducial point (φ0, θ0) = (0, 0).
 */
import { WcsError } from "../errors.js";
import {
  asind,
  atan2d,
  badParams,
  checkParams,
  cosd,
  degreeProjection,
  HALF_PI,
  nan,
  type Projection,
  type ProjectionParams,
  param,
  R2D,
  sind,
  wrapPi,
} from "./common.js";

/** Plate carrée CAR. */
export function makeCar(pv: ProjectionParams): Projection {
  checkParams("CAR", pv);
  return {
    code: "CAR",
    phi0: 0,
    theta0: 0,
    x2s(x, y, out) {
      if (Math.abs(y) > HALF_PI) return nan(out);
      out[0] = x;
      out[1] = y;
      return true;
    },
    s2x(phi, theta, out) {
      out[0] = wrapPi(phi);
      out[1] = theta;
      return true;
    },
  };
}

/** Cylindrical equal area CEA: PV2_1 = λ in (0, 1] (default 1). */
export function makeCea(pv: ProjectionParams): Projection {
  checkParams("CEA", pv, [1]);
  const lambda = param(pv, 1, 1);
  if (!(lambda > 0 && lambda <= 1)) throw new WcsError("BAD_CARD", `CEA needs 0 < PV2_1 <= 1, got ${lambda}`, { card: "PV2_1" });
  return {
    code: "CEA",
    phi0: 0,
    theta0: 0,
    x2s(x, y, out) {
      const s = lambda * y;
      if (Math.abs(s) > 1) return nan(out);
      out[0] = x;
      out[1] = Math.asin(s);
      return true;
    },
    s2x(phi, theta, out) {
      out[0] = wrapPi(phi);
      out[1] = Math.sin(theta) / lambda;
      return true;
    },
  };
}

/** Mercator MER. */
export function makeMer(pv: ProjectionParams): Projection {
  checkParams("MER", pv);
  return {
    code: "MER",
    phi0: 0,
    theta0: 0,
    x2s(x, y, out) {
      out[0] = x;
      out[1] = 2 * Math.atan(Math.exp(y)) - HALF_PI;
      return true;
    },
    s2x(phi, theta, out) {
      if (Math.abs(theta) >= HALF_PI) return nan(out);
      out[0] = wrapPi(phi);
      out[1] = Math.log(Math.tan((HALF_PI + theta) / 2));
      return true;
    },
  };
}

/** Cylindrical perspective CYP: PV2_1 = μ (default 1), PV2_2 = λ (default 1). */
export function makeCyp(pv: ProjectionParams): Projection {
  checkParams("CYP", pv, [1, 2]);
  const mu = param(pv, 1, 1);
  const lambda = param(pv, 2, 1);
  if (lambda === 0) badParams("CYP", "λ = PV2_2 = 0", "PV2_2");
  if (mu + lambda === 0) badParams("CYP", "μ + λ = 0");
  const w0 = lambda;
  const w1 = 1 / w0;
  const w2 = R2D * (mu + lambda);
  const w3 = 1 / w2;
  return degreeProjection("CYP", 0, 0, {
    x2s(X, Y, out) {
      const eta = w3 * Y;
      out[0] = w1 * X;
      out[1] = atan2d(eta, 1) + asind((eta * mu) / Math.sqrt(eta * eta + 1));
      return true;
    },
    s2x(phi, theta, out) {
      const e = mu + cosd(theta);
      if (e === 0) return false;
      out[0] = w0 * phi;
      out[1] = (w2 * sind(theta)) / e;
      return true;
    },
  });
}
