/**
 * Polyconic and pseudoconic projections (Paper II §5.5): Bonne's BON (PV2_1 = θ1, required;
 * θ1 = 0 is Sanson-Flamsteed) and the American polyconic PCO (inverse solved for θ by wcslib's
 * weighted interval division, then polished). Fiducial point (0, 0). Degree forms.
 */
import { WcsError } from "../errors.js";
import {
  atan2d,
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
import { makeSfl } from "./pseudocylindrical.js";

/** Bonne's equal area BON. */
export function makeBon(pv: ProjectionParams): Projection {
  checkParams("BON", pv, [1]);
  const t1 = pv.get(1);
  if (t1 === undefined) throw new WcsError("BAD_CARD", "the BON projection needs PV2_1 (θ1)", { card: "PV2_1" });
  if (t1 === 0) return makeSfl("BON", new Map());
  const w1 = 1;
  const w2 = (R2D * cosd(t1)) / sind(t1) + t1;
  return degreeProjection(
    "BON",
    0,
    0,
    {
      x2s(X, Y, out) {
        const dy = w2 - Y;
        let r = Math.sqrt(X * X + dy * dy);
        if (t1 < 0) r = -r;
        const alpha = r === 0 ? 0 : atan2d(X / r, dy / r);
        const t = (w2 - r) / w1;
        const ct = cosd(t);
        out[0] = ct === 0 ? 0 : (alpha * (r / R2D)) / ct;
        out[1] = t;
        return true;
      },
      s2x(phi, theta, out) {
        const r = w2 - w1 * theta;
        const alpha = (R2D * phi * cosd(theta)) / r;
        out[0] = r * sind(alpha);
        out[1] = -r * cosd(alpha) + w2;
        return true;
      },
    },
    1e-11,
  );
}

/** PCO's θ equation residual f(θ) = x² + (y − θ)(y − θ − 2R0 cot θ), all in degrees (R0 = 180/π). */
function pcoResidual(X: number, Y: number, the: number): number {
  const ym = Y - the;
  return X * X + ym * (ym - (2 * R2D) / tand(the));
}

/** Polyconic PCO. */
export function makePco(pv: ProjectionParams): Projection {
  checkParams("PCO", pv);
  const w0 = 1;
  const w2 = 2 * R2D;
  const w3 = D2R / w2;
  const tol = 1e-12;
  return degreeProjection(
    "PCO",
    0,
    0,
    {
      x2s(X, Y, out) {
        const w = Math.abs(Y);
        if (w < tol) {
          out[0] = X;
          out[1] = 0;
          return true;
        }
        if (X === 0) {
          // the central meridian is equidistant: θ = y
          if (w > 90 + tol) return false;
          out[0] = 0;
          out[1] = w > 90 ? (Y < 0 ? -90 : 90) : Y;
          return true;
        }
        if (Math.abs(w - 90) < tol) {
          out[0] = 0;
          out[1] = Y < 0 ? -90 : 90;
          return true;
        }
        let the: number;
        let ymthe: number;
        let tanthe: number;
        if (w < 1e-4) {
          // small |y|: first-order solution (wcslib), avoids cot θ blowing up
          the = Y / (w0 + w3 * X * X);
          ymthe = Y - w0 * the;
          tanthe = tand(the);
        } else {
          let thepos = Y / w0;
          let theneg = 0;
          const xx = X * X;
          let fpos = xx;
          let fneg = -xx;
          the = thepos;
          for (let k = 0; k < 64; k++) {
            let lambda = fpos / (fpos - fneg);
            if (lambda < 0.1) lambda = 0.1;
            else if (lambda > 0.9) lambda = 0.9;
            the = thepos - lambda * (thepos - theneg);
            const f = pcoResidual(X, Y, the);
            if (Math.abs(f) < tol) break;
            if (Math.abs(thepos - theneg) < tol) break;
            if (f > 0) {
              thepos = the;
              fpos = f;
            } else {
              theneg = the;
              fneg = f;
            }
          }
          // secant polish (the bracket stops at |f| < 1e-12 deg²)
          for (let k = 0; k < 3; k++) {
            const h = Math.max(Math.abs(the) * 1e-7, 1e-9);
            const f0 = pcoResidual(X, Y, the);
            const d = (pcoResidual(X, Y, the + h) - pcoResidual(X, Y, the - h)) / (2 * h);
            if (!(d !== 0 && Number.isFinite(d))) break;
            const step = f0 / d;
            if (!(Math.abs(step) < 1e-6)) break;
            the -= step;
            if (Math.abs(step) < 1e-15) break;
          }
          ymthe = Y - w0 * the;
          tanthe = tand(the);
        }
        const x1 = R2D - ymthe * tanthe;
        const y1 = X * tanthe;
        out[0] = x1 === 0 && y1 === 0 ? 0 : atan2d(y1, x1) / sind(the);
        out[1] = the;
        return true;
      },
      s2x(phi, theta, out) {
        if (theta === 0) {
          out[0] = w0 * phi;
          out[1] = 0;
        } else if (Math.abs(theta) < 1e-4) {
          const x = w0 * phi * cosd(theta);
          out[0] = x;
          out[1] = (w0 + w3 * x * x) * theta;
        } else {
          const st = sind(theta);
          const cot = cosd(theta) / st;
          const psi = phi * st;
          out[0] = R2D * cot * sind(psi);
          out[1] = R2D * (cot * (1 - cosd(psi)) + theta * D2R);
        }
        return true;
      },
    },
    1e-12,
  );
}
