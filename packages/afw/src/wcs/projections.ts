/**
 * FITS WCS spherical projections (Calabretta & Greisen 2002, "Paper II"): projection-plane
 * coordinates (x, y) ↔ native spherical coordinates (φ, θ).
 *
 * Everything here is in radians (the plane coordinates are wcslib's degrees divided by 180/π, i.e.
 * R0 = 1). Each function writes its two results into `out[0]`, `out[1]` and returns false when the
 * point is outside the projection's domain (then `out` holds NaN), so vectorised callers allocate
 * nothing per point.
 */
import { WcsError } from "./errors.js";

const HALF_PI = Math.PI / 2;
const SQRT2 = Math.SQRT2;

/** A spherical projection. */
export interface Projection {
  /** Three-letter FITS code, e.g. "TAN". */
  readonly code: string;
  /** Native longitude of the fiducial point φ0 (radians). */
  readonly phi0: number;
  /** Native latitude of the fiducial point θ0 (radians): π/2 for zenithal, 0 for (pseudo)cylindrical. */
  readonly theta0: number;
  /** Plane (x, y) → native (φ, θ) into out; false if (x, y) is outside the projection. */
  x2s(x: number, y: number, out: Float64Array): boolean;
  /** Native (φ, θ) → plane (x, y) into out; false if the point cannot be projected. */
  s2x(phi: number, theta: number, out: Float64Array): boolean;
}

function nan(out: Float64Array): false {
  out[0] = Number.NaN;
  out[1] = Number.NaN;
  return false;
}

/** Wraps a longitude difference into [−π, π]. */
export function wrapPi(a: number): number {
  if (a > Math.PI) return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  if (a < -Math.PI) return a + 2 * Math.PI * Math.floor((Math.PI - a) / (2 * Math.PI));
  return a;
}

/** A zenithal projection from R(θ) and its inverse θ(R). */
function zenithal(code: string, thetaOfR: (r: number) => number, rOfTheta: (theta: number) => number): Projection {
  return {
    code,
    phi0: 0,
    theta0: HALF_PI,
    x2s(x, y, out) {
      const r = Math.sqrt(x * x + y * y);
      const theta = thetaOfR(r);
      if (Number.isNaN(theta)) return nan(out);
      out[0] = r === 0 ? 0 : Math.atan2(x, -y);
      out[1] = theta;
      return true;
    },
    s2x(phi, theta, out) {
      const r = rOfTheta(theta);
      if (!Number.isFinite(r)) return nan(out);
      out[0] = r * Math.sin(phi);
      out[1] = -r * Math.cos(phi);
      return true;
    },
  };
}

/** Projection parameters PVi_m of the latitude axis (m → value), as read from the header. */
export type ProjectionParams = ReadonlyMap<number, number>;

function noParams(code: string, pv: ProjectionParams, allowed: number[] = []): void {
  for (const [m, v] of pv) {
    if (!allowed.includes(m) && v !== 0) {
      throw new WcsError("UNSUPPORTED", `projection ${code} with projection parameter PV2_${m} = ${v} is not implemented`);
    }
  }
}

/**
 * Projection for a FITS code. Implemented: zenithal TAN, SIN (orthographic, no slant), ARC, STG,
 * ZEA; cylindrical CAR, CEA (PV2_1 = λ), MER; pseudo-cylindrical SFL (= GLS), AIT, MOL, PAR.
 * @param pv projection parameters of the latitude axis (PV2_m)
 * @throws WcsError UNSUPPORTED for other codes or for parameters that are not implemented.
 */
export function makeProjection(code: string, pv: ProjectionParams = new Map()): Projection {
  switch (code) {
    case "TAN":
      noParams(code, pv);
      return zenithal(
        code,
        (r) => Math.atan2(1, r),
        (t) => (Math.sin(t) > 0 ? Math.cos(t) / Math.sin(t) : Number.NaN),
      );
    case "SIN":
      noParams(code, pv);
      return zenithal(
        code,
        (r) => (r <= 1 ? Math.acos(r) : Number.NaN),
        (t) => (t >= 0 ? Math.cos(t) : Number.NaN),
      );
    case "ARC":
      noParams(code, pv);
      return zenithal(
        code,
        (r) => (r <= Math.PI ? HALF_PI - r : Number.NaN),
        (t) => HALF_PI - t,
      );
    case "STG":
      noParams(code, pv);
      return zenithal(
        code,
        (r) => HALF_PI - 2 * Math.atan(r / 2),
        (t) => (1 + Math.sin(t) > 0 ? (2 * Math.cos(t)) / (1 + Math.sin(t)) : Number.NaN),
      );
    case "ZEA":
      noParams(code, pv);
      return zenithal(
        code,
        (r) => (r <= 2 ? HALF_PI - 2 * Math.asin(r / 2) : Number.NaN),
        (t) => 2 * Math.sin((HALF_PI - t) / 2),
      );
    case "CAR":
      noParams(code, pv);
      return {
        code,
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
    case "CEA": {
      noParams(code, pv, [1]);
      const lambda = pv.get(1) ?? 1;
      if (!(lambda > 0 && lambda <= 1))
        throw new WcsError("BAD_CARD", `CEA needs 0 < PV2_1 <= 1, got ${lambda}`, { card: "PV2_1" });
      return {
        code,
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
    case "MER":
      noParams(code, pv);
      return {
        code,
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
    case "SFL":
    case "GLS":
      noParams(code, pv);
      return {
        code,
        phi0: 0,
        theta0: 0,
        x2s(x, y, out) {
          if (Math.abs(y) > HALF_PI) return nan(out);
          const c = Math.cos(y);
          const phi = c === 0 ? 0 : x / c;
          if (Math.abs(phi) > Math.PI + 1e-13) return nan(out);
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
    case "AIT":
      noParams(code, pv);
      return {
        code,
        phi0: 0,
        theta0: 0,
        x2s(x, y, out) {
          const u = 1 - (x * x) / 16 - (y * y) / 4;
          if (u < 0.5 - 1e-13) return nan(out);
          const z = Math.sqrt(Math.max(u, 0.5));
          const s = y * z;
          if (Math.abs(s) > 1) return nan(out);
          out[0] = 2 * Math.atan2((z * x) / 2, 2 * z * z - 1);
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
    case "MOL":
      noParams(code, pv);
      return {
        code,
        phi0: 0,
        theta0: 0,
        x2s(x, y, out) {
          const s = y / SQRT2;
          if (Math.abs(s) > 1) return nan(out);
          const g = Math.asin(s);
          const cg = Math.cos(g);
          const phi = cg === 0 ? 0 : (Math.PI * x) / (2 * SQRT2 * cg);
          if (Math.abs(phi) > Math.PI + 1e-13) return nan(out);
          const st = (2 * g + Math.sin(2 * g)) / Math.PI;
          out[0] = phi;
          out[1] = Math.asin(Math.max(-1, Math.min(1, st)));
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
    case "PAR":
      noParams(code, pv);
      return {
        code,
        phi0: 0,
        theta0: 0,
        x2s(x, y, out) {
          const s = y / Math.PI;
          if (Math.abs(s) > 1) return nan(out);
          const d = 1 - 4 * s * s;
          const phi = d === 0 ? 0 : x / d;
          if (Math.abs(phi) > Math.PI + 1e-13) return nan(out);
          out[0] = phi;
          out[1] = 3 * Math.asin(s);
          return true;
        },
        s2x(phi, theta, out) {
          out[0] = wrapPi(phi) * (2 * Math.cos((2 * theta) / 3) - 1);
          out[1] = Math.PI * Math.sin(theta / 3);
          return true;
        },
      };
    default:
      throw new WcsError(
        "UNSUPPORTED",
        `projection code '${code}' is not implemented (TAN, SIN, ARC, STG, ZEA, CAR, CEA, MER, SFL, AIT, MOL, PAR are)`,
      );
  }
}

/** Codes {@link makeProjection} implements. */
export const PROJECTION_CODES: readonly string[] = [
  "TAN",
  "SIN",
  "ARC",
  "STG",
  "ZEA",
  "CAR",
  "CEA",
  "MER",
  "SFL",
  "GLS",
  "AIT",
  "MOL",
  "PAR",
];
