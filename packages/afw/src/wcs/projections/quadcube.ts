/**
 * Quad-cube projections (Paper II §5.6): TSC (tangential), CSC (COBE; polynomial approximations
 * evaluated in single precision exactly as wcslib does, so results match it bit for bit in the
 * float steps — CSC's forward and inverse are only approximate inverses of each other, at the
 * 1e-5-of-a-face level), QSC (quadrilateralized). Six faces laid out in a cross; face coordinates
 * (ξ, η) ∈ [−1, 1]² scaled by 45°. Fiducial point (0, 0). Degree forms.
 */
import {
  asind,
  atan2d,
  atand,
  checkParams,
  cosd,
  D2R,
  degreeProjection,
  type Projection,
  type ProjectionParams,
  sind,
} from "./common.js";

const SQRT2INV = 1 / Math.SQRT2;

/** Face (0..5) of the direction (l, m, n) and its largest component ζ, into scratch. */
function faceOf(l: number, m: number, n: number, s: Float64Array): number {
  let face = 0;
  let zeta = n;
  if (l > zeta) {
    face = 1;
    zeta = l;
  }
  if (m > zeta) {
    face = 2;
    zeta = m;
  }
  if (-l > zeta) {
    face = 3;
    zeta = -l;
  }
  if (-m > zeta) {
    face = 4;
    zeta = -m;
  }
  if (-n > zeta) {
    face = 5;
    zeta = -n;
  }
  s[0] = zeta;
  return face;
}

/** Unfolds a plane point: returns the face (or −1 outside the cross) and the face-local (xf, yf) in s[0..1]. */
function unfold(xf: number, yf: number, s: Float64Array, rnd: (v: number) => number = same): number {
  if (Math.abs(xf) <= 1) {
    if (Math.abs(yf) > 3) return -1;
  } else if (Math.abs(xf) > 7 || Math.abs(yf) > 1) return -1;
  if (xf < -1) xf = rnd(xf + 8);
  let face: number;
  if (xf > 5) {
    face = 4;
    xf = rnd(xf - 6);
  } else if (xf > 3) {
    face = 3;
    xf = rnd(xf - 4);
  } else if (xf > 1) {
    face = 2;
    xf = rnd(xf - 2);
  } else if (yf > 1) {
    face = 0;
    yf = rnd(yf - 2);
  } else if (yf < -1) {
    face = 5;
    yf = rnd(yf + 2);
  } else face = 1;
  s[0] = xf;
  s[1] = yf;
  return face;
}

const same = (v: number): number => v;
/** 1/45: plane degrees → face units (wcslib multiplies by this constant). */
const W1 = 1 / 45;

/** Writes (φ, θ) of the direction (l, m, n) in degrees. */
function toNative(l: number, m: number, n: number, out: Float64Array): void {
  out[0] = l === 0 && m === 0 ? 0 : atan2d(m, l);
  out[1] = asind(n);
}

const FACE_X0 = [0, 0, 2, 4, 6, 0];
const FACE_Y0 = [2, 0, 0, 0, 0, -2];

/** Tangential spherical cube TSC. */
export function makeTsc(pv: ProjectionParams): Projection {
  checkParams("TSC", pv);
  const s = new Float64Array(2);
  const tol = 1e-12;
  return degreeProjection("TSC", 0, 0, {
    x2s(X, Y, out) {
      const face = unfold(X * W1, Y * W1, s);
      if (face < 0) return false;
      const xf = s[0]!;
      const yf = s[1]!;
      const q = 1 / Math.sqrt(1 + xf * xf + yf * yf);
      let l: number;
      let m: number;
      let n: number;
      switch (face) {
        case 4:
          m = -q;
          l = -m * xf;
          n = -m * yf;
          break;
        case 3:
          l = -q;
          m = l * xf;
          n = -l * yf;
          break;
        case 2:
          m = q;
          l = -m * xf;
          n = m * yf;
          break;
        case 0:
          n = q;
          l = -n * yf;
          m = n * xf;
          break;
        case 5:
          n = -q;
          l = -n * yf;
          m = -n * xf;
          break;
        default:
          l = q;
          m = l * xf;
          n = l * yf;
      }
      toNative(l, m, n, out);
      return true;
    },
    s2x(phi, theta, out) {
      const ct = cosd(theta);
      const l = ct * cosd(phi);
      const m = ct * sind(phi);
      const n = sind(theta);
      const face = faceOf(l, m, n, s);
      const zeta = s[0]!;
      let xf: number;
      let yf: number;
      switch (face) {
        case 1:
          xf = m / zeta;
          yf = n / zeta;
          break;
        case 2:
          xf = -l / zeta;
          yf = n / zeta;
          break;
        case 3:
          xf = -m / zeta;
          yf = n / zeta;
          break;
        case 4:
          xf = l / zeta;
          yf = n / zeta;
          break;
        case 5:
          xf = m / zeta;
          yf = l / zeta;
          break;
        default:
          xf = m / zeta;
          yf = -l / zeta;
      }
      if (Math.abs(xf) > 1) {
        if (Math.abs(xf) > 1 + tol) return false;
        xf = xf < 0 ? -1 : 1;
      }
      if (Math.abs(yf) > 1) {
        if (Math.abs(yf) > 1 + tol) return false;
        yf = yf < 0 ? -1 : 1;
      }
      out[0] = 45 * (xf + FACE_X0[face]!);
      out[1] = 45 * (yf + FACE_Y0[face]!);
      return true;
    },
  });
}

// --- CSC: single-precision polynomial approximations (Chan & O'Neill 1975; wcslib's coefficients) ---

const f = Math.fround;
/** Inverse coefficients P[i][j] of x^(2i) y^(2j), i + j ≤ 6 (float). */
const P: number[][] = [
  [-0.27292696, -0.02819452, 0.2705816, -0.6044156, 0.93412077, -0.63915306, 0.14381585],
  [-0.07629969, -0.01471565, -0.56800938, 1.50880086, -1.4160192, 0.52032238],
  [-0.22797056, 0.48051509, 0.30803317, -0.93678576, 0.33887446],
  [0.54852384, -1.74114454, 0.98938102, 0.08693841],
  [-0.62930065, 1.71547508, -0.83180469],
  [0.25795794, -0.53022337],
  [0.02584375],
].map((row) => row.map(f));
const GSTAR = f(1.37484847732);
const MM = f(0.004869491981);
const GAMMA = f(-0.13161671474);
const OMEGA1 = f(-0.159596235474);
const D0 = f(0.0759196200467);
const D1 = f(-0.0217762490699);
const C00 = f(0.141189631152);
const C10 = f(0.0809701286525);
const C01 = f(-0.281528535557);
const C11 = f(0.15384112876);
const C20 = f(-0.178251207466);
const C02 = f(0.106959469314);
const TINY = f(1e-16);

/** z_j(xx) = Σ_i P[i][j] xx^i in float Horner order. */
function zj(j: number, xx: number): number {
  const imax = 6 - j;
  let acc = P[imax]![j]!;
  for (let i = imax - 1; i >= 0; i--) acc = f(P[i]![j]! + f(xx * acc));
  return acc;
}

/** χ(x, y) of the CSC inverse (float). */
function cscChi(xf: number, xx: number, yy: number): number {
  let acc = zj(6, xx);
  for (let j = 5; j >= 0; j--) acc = f(zj(j, xx) + f(yy * acc));
  return f(xf + f(f(xf * f(1 - xx)) * acc));
}

/** Forward CSC face coordinate for (χ, ψ) squares (float, wcslib's evaluation order). */
function cscForward(
  chi: number,
  chi2: number,
  psi2: number,
  chi2co: number,
  psi2co: number,
  chi4: number,
  psi4: number,
  c2p2: number,
): number {
  let inner = f(C00 + f(C10 * chi2));
  inner = f(inner + f(C01 * psi2));
  inner = f(inner + f(C11 * c2p2));
  inner = f(inner + f(C20 * chi4));
  inner = f(inner + f(C02 * psi4));
  const a = f(f(f(GAMMA * chi2co) + f(MM * chi2)) + f(psi2co * inner));
  const b = f(f(GSTAR + f(psi2 * a)) + f(chi2 * f(OMEGA1 - f(chi2co * f(D0 + f(D1 * chi2))))));
  return f(chi * f(chi2 + f(chi2co * b)));
}

/** COBE quadrilateralized spherical cube CSC. */
export function makeCsc(pv: ProjectionParams): Projection {
  checkParams("CSC", pv);
  const s = new Float64Array(2);
  const tol = 1e-7;
  return degreeProjection("CSC", 0, 0, {
    x2s(X, Y, out) {
      // the face shifts by 2, 4, 6, 8 are float operations in wcslib
      const face = unfold(f(X * W1), f(Y * W1), s, f);
      if (face < 0) return false;
      const xf = s[0]!;
      const yf = s[1]!;
      const xx = f(xf * xf);
      const yy = f(yf * yf);
      const chi = cscChi(xf, xx, yy);
      const psi = cscChi(yf, yy, xx);
      const t = 1 / Math.sqrt(f(f(chi * chi) + f(psi * psi)) + 1);
      let l: number;
      let m: number;
      let n: number;
      switch (face) {
        case 1:
          l = t;
          m = chi * l;
          n = psi * l;
          break;
        case 2:
          m = t;
          l = -chi * m;
          n = psi * m;
          break;
        case 3:
          l = -t;
          m = chi * l;
          n = -psi * l;
          break;
        case 4:
          m = -t;
          l = -chi * m;
          n = -psi * m;
          break;
        case 5:
          n = -t;
          l = -psi * n;
          m = -chi * n;
          break;
        default:
          n = t;
          l = -psi * n;
          m = chi * n;
      }
      toNative(l, m, n, out);
      return true;
    },
    s2x(phi, theta, out) {
      const ct = cosd(theta);
      const l = ct * cosd(phi);
      const m = ct * sind(phi);
      const n = sind(theta);
      const face = faceOf(l, m, n, s);
      const zeta = s[0]!;
      let xi: number;
      let eta: number;
      switch (face) {
        case 1:
          xi = m;
          eta = n;
          break;
        case 2:
          xi = -l;
          eta = n;
          break;
        case 3:
          xi = -m;
          eta = n;
          break;
        case 4:
          xi = l;
          eta = n;
          break;
        case 5:
          xi = m;
          eta = l;
          break;
        default:
          xi = m;
          eta = -l;
      }
      const chi = f(xi / zeta);
      const psi = f(eta / zeta);
      const chi2 = f(chi * chi);
      const psi2 = f(psi * psi);
      const chi2co = f(1 - chi2);
      const psi2co = f(1 - psi2);
      const chipsi = f(Math.abs(f(chi * psi)));
      const chi4 = chi2 > TINY ? f(chi2 * chi2) : 0;
      const psi4 = psi2 > TINY ? f(psi2 * psi2) : 0;
      const c2p2 = chipsi > TINY ? f(chi2 * psi2) : 0;
      let xf = cscForward(chi, chi2, psi2, chi2co, psi2co, chi4, psi4, c2p2);
      let yf = cscForward(psi, psi2, chi2, psi2co, chi2co, psi4, chi4, c2p2);
      if (Math.abs(xf) > 1) {
        if (Math.abs(xf) > 1 + tol) return false;
        xf = xf < 0 ? -1 : 1;
      }
      if (Math.abs(yf) > 1) {
        if (Math.abs(yf) > 1 + tol) return false;
        yf = yf < 0 ? -1 : 1;
      }
      out[0] = 45 * f(xf + FACE_X0[face]!);
      out[1] = 45 * f(yf + FACE_Y0[face]!);
      return true;
    },
  });
}

/** Quadrilateralized spherical cube QSC (equal area). */
export function makeQsc(pv: ProjectionParams): Projection {
  checkParams("QSC", pv);
  const s = new Float64Array(2);
  const tol = 1e-12;
  return degreeProjection("QSC", 0, 0, {
    x2s(X, Y, out) {
      const face = unfold(X * W1, Y * W1, s);
      if (face < 0) return false;
      const xf = s[0]!;
      const yf = s[1]!;
      const direct = Math.abs(xf) > Math.abs(yf);
      let omega: number;
      let tau: number;
      let zeta: number;
      let zeco: number;
      const a = direct ? xf : yf;
      const b = direct ? yf : xf;
      if (a === 0) {
        omega = 0;
        tau = 1;
        zeta = 1;
        zeco = 0;
      } else {
        const w = (15 * b) / a;
        omega = sind(w) / (cosd(w) - SQRT2INV);
        tau = 1 + omega * omega;
        zeco = a * a * (1 - 1 / Math.sqrt(1 + tau));
        zeta = 1 - zeco;
      }
      let w: number;
      if (zeta < -1) {
        if (zeta < -1 - tol) return false;
        zeta = -1;
        zeco = 2;
        w = 0;
      } else w = Math.sqrt((zeco * (2 - zeco)) / tau);
      let l: number;
      let m: number;
      let n: number;
      switch (face) {
        case 1:
          l = zeta;
          if (direct) {
            m = xf < 0 ? -w : w;
            n = m * omega;
          } else {
            n = yf < 0 ? -w : w;
            m = n * omega;
          }
          break;
        case 2:
          m = zeta;
          if (direct) {
            l = xf > 0 ? -w : w;
            n = -l * omega;
          } else {
            n = yf < 0 ? -w : w;
            l = -n * omega;
          }
          break;
        case 3:
          l = -zeta;
          if (direct) {
            m = xf > 0 ? -w : w;
            n = -m * omega;
          } else {
            n = yf < 0 ? -w : w;
            m = -n * omega;
          }
          break;
        case 4:
          m = -zeta;
          if (direct) {
            l = xf < 0 ? -w : w;
            n = l * omega;
          } else {
            n = yf < 0 ? -w : w;
            l = n * omega;
          }
          break;
        case 5:
          n = -zeta;
          if (direct) {
            m = xf < 0 ? -w : w;
            l = m * omega;
          } else {
            l = yf < 0 ? -w : w;
            m = l * omega;
          }
          break;
        default:
          n = zeta;
          if (direct) {
            m = xf < 0 ? -w : w;
            l = -m * omega;
          } else {
            l = yf > 0 ? -w : w;
            m = -l * omega;
          }
      }
      toNative(l, m, n, out);
      return true;
    },
    s2x(phi, theta, out) {
      if (Math.abs(theta) === 90) {
        out[0] = 0;
        out[1] = theta < 0 ? -90 : 90;
        return true;
      }
      const ct = cosd(theta);
      const cp = cosd(phi);
      const sp = sind(phi);
      const l = ct * cp;
      const m = ct * sp;
      const n = sind(theta);
      const face = faceOf(l, m, n, s);
      const zeta = s[0]!;
      let zeco = 1 - zeta;
      let xi: number;
      let eta: number;
      const small = zeco < 1e-8;
      switch (face) {
        case 1:
          xi = m;
          eta = n;
          if (small) {
            const t = theta * D2R;
            const p = Math.atan2(sp, cp);
            zeco = (p * p + t * t) / 2;
          }
          break;
        case 2:
          xi = -l;
          eta = n;
          if (small) {
            const t = theta * D2R;
            const p = Math.atan2(sp, cp) - Math.PI / 2;
            zeco = (p * p + t * t) / 2;
          }
          break;
        case 3:
          xi = -m;
          eta = n;
          if (small) {
            const t = theta * D2R;
            let p = Math.atan2(sp, cp);
            p -= p < 0 ? -Math.PI : Math.PI;
            zeco = (p * p + t * t) / 2;
          }
          break;
        case 4:
          xi = l;
          eta = n;
          if (small) {
            const t = theta * D2R;
            const p = Math.atan2(sp, cp) + Math.PI / 2;
            zeco = (p * p + t * t) / 2;
          }
          break;
        case 5:
          xi = m;
          eta = l;
          if (small) {
            const t = (theta + 90) * D2R;
            zeco = (t * t) / 2;
          }
          break;
        default:
          xi = m;
          eta = -l;
          if (small) {
            const t = (90 - theta) * D2R;
            zeco = (t * t) / 2;
          }
      }
      let xf = 0;
      let yf = 0;
      if (xi !== 0 || eta !== 0) {
        if (-xi > Math.abs(eta) || xi > Math.abs(eta)) {
          const omega = eta / xi;
          const tau = 1 + omega * omega;
          xf = Math.sqrt(zeco / (1 - 1 / Math.sqrt(1 + tau)));
          if (xi < 0) xf = -xf;
          yf = (xf / 15) * (atand(omega) - asind(omega / Math.sqrt(tau + tau)));
        } else if (-eta >= Math.abs(xi) || eta >= Math.abs(xi)) {
          const omega = xi / eta;
          const tau = 1 + omega * omega;
          yf = Math.sqrt(zeco / (1 - 1 / Math.sqrt(1 + tau)));
          if (eta < 0) yf = -yf;
          xf = (yf / 15) * (atand(omega) - asind(omega / Math.sqrt(tau + tau)));
        }
      }
      if (Math.abs(xf) > 1) {
        if (Math.abs(xf) > 1 + tol) return false;
        xf = xf < 0 ? -1 : 1;
      }
      if (Math.abs(yf) > 1) {
        if (Math.abs(yf) > 1 + tol) return false;
        yf = yf < 0 ? -1 : 1;
      }
      out[0] = 45 * (xf + FACE_X0[face]!);
      out[1] = 45 * (yf + FACE_Y0[face]!);
      return true;
    },
  });
}
