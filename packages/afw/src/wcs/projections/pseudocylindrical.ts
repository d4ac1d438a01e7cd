/**
 * Pseudo-cylindrical and conventional projections (Paper II §5.3): SFL (= GLS), AIT, MOL, PAR.
 * Radians, R0 = 1. Fiducial point (φ0, θ0) = (0, 0).
 */
import { checkParams, checkPhi, HALF_PI, nan, type Projection, type ProjectionParams, wrapPi } from "./common.js";

const SQRT2 = Math.SQRT2;

/** Sanson-Flamsteed SFL (also read for the old GLS code). */
export function makeSfl(code: string, pv: ProjectionParams): Projection {
  checkParams(code, pv);
  return {
    code,
    phi0: 0,
    theta0: 0,
    x2s(x, y, out) {
      if (Math.abs(y) > HALF_PI) return nan(out);
      const c = Math.cos(y);
      const phi = checkPhi(c === 0 ? 0 : x / c, y);
      if (Number.isNaN(phi)) return nan(out);
      out[0] = phi;
      out[1] = y;
      return true;
    },
    s2x(phi, theta, out) {
      out[0] = wrapPi(phi) * Math.cos(theta);
      out[1] = theta;
      return true;
    },
  };
}

/** Hammer-Aitoff AIT. */
export function makeAit(pv: ProjectionParams): Projection {
  checkParams("AIT", pv);
  return {
    code: "AIT",
    phi0: 0,
    theta0: 0,
    x2s(x, y, out) {
      const u = 1 - (x * x) / 16 - (y * y) / 4;
      if (u < 0.5 - 1e-13) return nan(out);
      const z = Math.sqrt(Math.max(u, 0.5));
      let s = y * z;
      if (Math.abs(s) > 1) {
        if (Math.abs(s) > 1 + 1e-13) return nan(out);
        s = s < 0 ? -1 : 1;
      }
      const x0 = 2 * z * z - 1;
      const y0 = (z * x) / 2;
      out[0] = x0 === 0 && y0 === 0 ? 0 : 2 * Math.atan2(y0, x0);
      out[1] = Math.asin(s);
      return true;
    },
    s2x(phi, theta, out) {
      const p = wrapPi(phi) / 2;
      const ct = Math.cos(theta);
      const g = Math.sqrt(2 / (1 + ct * Math.cos(p)));
      out[0] = 2 * g * ct * Math.sin(p);
      out[1] = g * Math.sin(theta);
      return true;
    },
  };
}

/** Mollweide MOL. */
export function makeMol(pv: ProjectionParams): Projection {
  checkParams("MOL", pv);
  return {
    code: "MOL",
    phi0: 0,
    theta0: 0,
    x2s(x, y, out) {
      const s = y / SQRT2;
      if (Math.abs(s) > 1) return nan(out);
      const g = Math.asin(s);
      const cg = Math.cos(g);
      const st = (2 * g + Math.sin(2 * g)) / Math.PI;
      const theta = Math.asin(Math.max(-1, Math.min(1, st)));
      const phi = checkPhi(cg === 0 ? 0 : (Math.PI * x) / (2 * SQRT2 * cg), theta);
      if (Number.isNaN(phi)) return nan(out);
      out[0] = phi;
      out[1] = theta;
      return true;
    },
    s2x(phi, theta, out) {
      // Solve 2γ + sin 2γ = π sin θ for γ (Newton from γ = θ; monotone, converges quickly).
      const target = Math.PI * Math.sin(theta);
      let g = theta;
      if (Math.abs(theta) < HALF_PI) {
        for (let k = 0; k < 50; k++) {
          const f = 2 * g + Math.sin(2 * g) - target;
          const d = 2 + 2 * Math.cos(2 * g);
          if (d === 0) break;
          const step = f / d;
          g -= step;
          if (Math.abs(step) < 1e-16) break;
        }
      }
      out[0] = ((2 * SQRT2) / Math.PI) * wrapPi(phi) * Math.cos(g);
      out[1] = SQRT2 * Math.sin(g);
      return true;
    },
  };
}

/** Parabolic PAR. */
export function makePar(pv: ProjectionParams): Projection {
  checkParams("PAR", pv);
  return {
    code: "PAR",
    phi0: 0,
    theta0: 0,
    x2s(x, y, out) {
      const s = y / Math.PI;
      if (Math.abs(s) > 1) return nan(out);
      const d = 1 - 4 * s * s;
      const theta = 3 * Math.asin(s);
      const phi = checkPhi(d === 0 ? 0 : x / d, theta);
      if (Number.isNaN(phi)) return nan(out);
      out[0] = phi;
      out[1] = theta;
      return true;
    },
    s2x(phi, theta, out) {
      out[0] = wrapPi(phi) * (2 * Math.cos((2 * theta) / 3) - 1);
      out[1] = Math.PI * Math.sin(theta / 3);
      return true;
    },
  };
}
