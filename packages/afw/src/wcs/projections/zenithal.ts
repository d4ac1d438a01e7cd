/**
 * Zenithal projections (Paper II §5.1): TAN, SIN (orthographic and slant/NCP), ARC, STG, ZEA
 * (radian closed forms) and AZP, SZP, ZPN, AIR (degree forms with wcslib's parameter defaults,
 * domain checks and inverse iterations). Fiducial point (φ0, θ0) = (0, 90°).
 */
import {
  asind,
  atan2d,
  atand,
  badParams,
  checkParams,
  cosd,
  D2R,
  degreeProjection,
  HALF_PI,
  nan,
  type Projection,
  type ProjectionParams,
  param,
  R2D,
  sind,
} from "./common.js";

/** A zenithal projection from R(θ) and its inverse θ(R) (radians, R0 = 1). */
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

/** Gnomonic TAN. */
export function makeTan(pv: ProjectionParams): Projection {
  checkParams("TAN", pv);
  return zenithal(
    "TAN",
    (r) => Math.atan2(1, r),
    (t) => (Math.sin(t) > 0 ? Math.cos(t) / Math.sin(t) : Number.NaN),
  );
}

/** Orthographic SIN, or the slant ("synthesis", NCP-like) form when PV2_1 = ξ or PV2_2 = η is non-zero. */
export function makeSin(pv: ProjectionParams): Projection {
  checkParams("SIN", pv, [1, 2]);
  const xi = param(pv, 1, 0);
  const eta = param(pv, 2, 0);
  if (xi === 0 && eta === 0) {
    return zenithal(
      "SIN",
      (r) => (r <= 1 ? Math.acos(r) : Number.NaN),
      (t) => (t >= 0 ? Math.cos(t) : Number.NaN),
    );
  }
  const w1 = xi * xi + eta * eta;
  const w2 = w1 + 1;
  const w3 = w1 - 1;
  const tol = 1e-13;
  return degreeProjection("SIN", 0, 90, {
    x2s(X, Y, out) {
      const x0 = X * D2R;
      const y0 = Y * D2R;
      const r2 = x0 * x0 + y0 * y0;
      const xy = x0 * xi + y0 * eta;
      let z: number;
      if (r2 < 1e-10) {
        z = r2 / 2;
        out[1] = 90 - R2D * Math.sqrt(r2 / (1 + xy));
      } else {
        const b = xy - w1;
        const c = r2 - xy - xy + w3;
        let d = b * b - w2 * c;
        if (d < 0) return false;
        d = Math.sqrt(d);
        const s1 = (-b + d) / w2;
        const s2 = (-b - d) / w2;
        let st = Math.max(s1, s2);
        if (st > 1) st = st - 1 < tol ? 1 : Math.min(s1, s2);
        if (st < -1 && st + 1 > -tol) st = -1;
        if (st > 1 || st < -1) return false;
        out[1] = asind(st);
        z = 1 - st;
      }
      const x1 = -y0 + eta * z;
      const y1 = x0 - xi * z;
      out[0] = x1 === 0 && y1 === 0 ? 0 : atan2d(y1, x1);
      return true;
    },
    s2x(phi, theta, out) {
      const t = (90 - Math.abs(theta)) * D2R;
      let z: number;
      let ct: number;
      if (t < 1e-5) {
        z = theta > 0 ? (t * t) / 2 : 2 - (t * t) / 2;
        ct = t;
      } else {
        z = 1 - sind(theta);
        ct = cosd(theta);
      }
      const r = R2D * ct;
      z *= R2D;
      const sp = sind(phi);
      const cp = cosd(phi);
      if (theta < -atand(xi * sp - eta * cp)) return false;
      out[0] = r * sp + xi * z;
      out[1] = -r * cp + eta * z;
      return true;
    },
  });
}

/** Zenithal equidistant ARC. */
export function makeArc(pv: ProjectionParams): Projection {
  checkParams("ARC", pv);
  return zenithal(
    "ARC",
    (r) => (r <= Math.PI ? HALF_PI - r : Number.NaN),
    (t) => HALF_PI - t,
  );
}

/** Stereographic STG. */
export function makeStg(pv: ProjectionParams): Projection {
  checkParams("STG", pv);
  return zenithal(
    "STG",
    (r) => HALF_PI - 2 * Math.atan(r / 2),
    (t) => (1 + Math.sin(t) > 0 ? (2 * Math.cos(t)) / (1 + Math.sin(t)) : Number.NaN),
  );
}

/** Zenithal equal-area ZEA. */
export function makeZea(pv: ProjectionParams): Projection {
  checkParams("ZEA", pv);
  return zenithal(
    "ZEA",
    (r) => (r <= 2 ? HALF_PI - 2 * Math.asin(r / 2) : Number.NaN),
    (t) => 2 * Math.sin((HALF_PI - t) / 2),
  );
}

/** Picks the solution of the perspective equations closest to the pole (wcslib's a/b choice). */
function closestToPole(s: number, t: number): number {
  let a = s - t;
  let b = s + t + 180;
  if (a > 90) a -= 360;
  if (b > 90) b -= 360;
  return Math.max(a, b);
}

/** Zenithal perspective AZP: PV2_1 = μ (default 0), PV2_2 = γ tilt in degrees (default 0). */
export function makeAzp(pv: ProjectionParams): Projection {
  checkParams("AZP", pv, [1, 2]);
  const mu = param(pv, 1, 0);
  const gamma = param(pv, 2, 0);
  const w0 = R2D * (mu + 1);
  if (w0 === 0) badParams("AZP", "μ = PV2_1 = −1");
  const w3 = cosd(gamma);
  if (w3 === 0) badParams("AZP", "γ = PV2_2 = ±90°", "PV2_2");
  const w2 = 1 / w3;
  const w4 = sind(gamma);
  const w1 = w4 / w3;
  const w5 = Math.abs(mu) > 1 ? asind(-1 / mu) : -90;
  const w7 = Math.abs(mu * w3) < 1;
  const tol = 1e-13;
  return degreeProjection("AZP", 0, 90, {
    x2s(X, Y, out) {
      const yc = Y * w3;
      const q = w0 + Y * w4;
      const r = Math.sqrt(X * X + yc * yc);
      if (r === 0) {
        out[0] = 0;
        out[1] = 90;
        return true;
      }
      out[0] = atan2d(X, -yc);
      let s = r / q;
      let t = (s * mu) / Math.sqrt(s * s + 1);
      s = atan2d(1, s);
      if (Math.abs(t) > 1) {
        if (Math.abs(t) > 1 + tol) return false;
        t = t < 0 ? -90 : 90;
      } else {
        t = asind(t);
      }
      out[1] = closestToPole(s, t);
      return true;
    },
    s2x(phi, theta, out) {
      const sp = sind(phi);
      const cp = cosd(phi);
      const st = sind(theta);
      const ct = cosd(theta);
      const s = w1 * cp;
      const t = mu + st + ct * s;
      if (t === 0) return false;
      const r = (w0 * ct) / t;
      if (theta < w5) return false; // overlap
      if (w7) {
        // divergence
        const u = mu / Math.sqrt(1 + s * s);
        if (Math.abs(u) <= 1 && theta < closestToPole(atand(-s), asind(u))) return false;
      }
      out[0] = r * sp;
      out[1] = -r * cp * w2;
      return true;
    },
  });
}

/** Slant zenithal perspective SZP: PV2_1 = μ (0), PV2_2 = φc (0°), PV2_3 = θc (90°). */
export function makeSzp(pv: ProjectionParams): Projection {
  checkParams("SZP", pv, [1, 2, 3]);
  const mu = param(pv, 1, 0);
  const phic = param(pv, 2, 0);
  const thetac = param(pv, 3, 90);
  const w3 = mu * sind(thetac) + 1;
  if (w3 === 0) badParams("SZP", "μ sin θc = −1");
  const w1 = -mu * cosd(thetac) * sind(phic);
  const w2 = mu * cosd(thetac) * cosd(phic);
  const w4 = R2D * w1;
  const w5 = R2D * w2;
  const w6 = R2D * w3;
  const w7 = (w3 - 1) * w3 - 1;
  const w8 = Math.abs(w3 - 1) < 1 ? asind(1 - w3) : -90;
  const tol = 1e-13;
  return degreeProjection("SZP", 0, 90, {
    x2s(X, Y, out) {
      const xr = X * D2R;
      const yr = Y * D2R;
      const r2 = xr * xr + yr * yr;
      const x1 = (xr - w1) / w3;
      const y1 = (yr - w2) / w3;
      const xy = xr * x1 + yr * y1;
      let z: number;
      if (r2 < 1e-10) {
        z = r2 / 2;
        out[1] = 90 - R2D * Math.sqrt(r2 / (1 + xy));
      } else {
        const t = x1 * x1 + y1 * y1;
        const a = t + 1;
        const b = xy - t;
        const c = r2 - xy - xy + t - 1;
        let d = b * b - a * c;
        if (d < 0) return false;
        d = Math.sqrt(d);
        const s1 = (-b + d) / a;
        const s2 = (-b - d) / a;
        let st = Math.max(s1, s2);
        if (st > 1) st = st - 1 < tol ? 1 : Math.min(s1, s2);
        if (st < -1 && st + 1 > -tol) st = -1;
        if (st > 1 || st < -1) return false;
        out[1] = asind(st);
        z = 1 - st;
      }
      out[0] = atan2d(xr - x1 * z, -(yr - y1 * z));
      return true;
    },
    s2x(phi, theta, out) {
      const s = 1 - sind(theta);
      const t = w3 - s;
      if (t === 0) return false;
      const r = (w6 * cosd(theta)) / t;
      const u = (w4 * s) / t;
      const v = (w5 * s) / t;
      const sp = sind(phi);
      const cp = cosd(phi);
      if (theta < w8) return false; // divergence
      if (Math.abs(mu) > 1) {
        // overlap
        const s2 = w1 * sp - w2 * cp;
        const t2 = 1 / Math.sqrt(w7 + s2 * s2);
        if (Math.abs(t2) <= 1 && theta < closestToPole(atan2d(s2, w3 - 1), asind(t2))) return false;
      }
      out[0] = r * sp - u;
      out[1] = -r * cp - v;
      return true;
    },
  });
}

/**
 * Zenithal polynomial ZPN: R(ζ) = Σ PV2_m ζ^m (m = 0..29, ζ = 90° − θ in radians, R in radians).
 * The inverse brackets the root between the pole and the first point of inflection (as wcslib
 * does) by weighted interval division, then polishes it with Newton steps.
 */
export function makeZpn(pv: ProjectionParams): Projection {
  const c = new Float64Array(30);
  for (const [m, v] of pv) {
    if (m < 0 || m > 29) badParams("ZPN", `ZPN defines PV2_0..PV2_29, found PV2_${m}`, `PV2_${m}`);
    c[m] = v;
  }
  let k = 29;
  while (k >= 0 && c[k] === 0) k--;
  if (k < 1) badParams("ZPN", "the polynomial must have a non-zero coefficient of degree >= 1");
  const n = k;
  const poly = (z: number): number => {
    let r = 0;
    for (let m = n; m >= 0; m--) r = r * z + c[m]!;
    return r;
  };
  const dpoly = (z: number): number => {
    let d = 0;
    for (let m = n; m > 0; m--) d = d * z + m * c[m]!;
    return d;
  };
  const tol = 1e-13;
  let zdMax = Math.PI; // colatitude of the first point of inflection (radians)
  let rMax = Number.NaN;
  if (n >= 2) {
    let zd1 = 0;
    let d1 = c[1]!;
    if (d1 <= 0) badParams("ZPN", "PV2_1 must be positive for a polynomial of degree >= 2");
    let zd2 = 0;
    let d2 = 0;
    let j = 0;
    for (; j < 180; j++) {
      zd2 = j * D2R;
      d2 = dpoly(zd2);
      if (d2 <= 0) break;
      zd1 = zd2;
      d1 = d2;
    }
    let zd = Math.PI;
    if (j < 180) {
      for (let i = 1; i <= 10; i++) {
        zd = zd1 - (d1 * (zd2 - zd1)) / (d2 - d1);
        const d = dpoly(zd);
        if (Math.abs(d) < tol) break;
        if (d < 0) {
          zd2 = zd;
          d2 = d;
        } else {
          zd1 = zd;
          d1 = d;
        }
      }
    }
    zdMax = zd;
    rMax = poly(zd);
  }
  const p0 = c[0]!;
  return degreeProjection("ZPN", 0, 90, {
    x2s(X, Y, out) {
      const r = Math.sqrt(X * X + Y * Y) * D2R;
      out[0] = r === 0 ? 0 : atan2d(X, -Y);
      let zd: number;
      if (n === 1) {
        zd = (r - p0) / c[1]!;
      } else if (n === 2) {
        const a = c[2]!;
        const b = c[1]!;
        let d = b * b - 4 * a * (p0 - r);
        if (d < 0) return false;
        d = Math.sqrt(d);
        const z1 = (-b + d) / (2 * a);
        const z2 = (-b - d) / (2 * a);
        zd = Math.min(z1, z2);
        if (zd < -tol) zd = Math.max(z1, z2);
        if (zd < 0) {
          if (zd < -tol) return false;
          zd = 0;
        } else if (zd > Math.PI) {
          if (zd > Math.PI + tol) return false;
          zd = Math.PI;
        }
      } else {
        let zd1 = 0;
        let r1 = p0;
        let zd2 = zdMax;
        let r2 = rMax;
        if (r < r1) {
          if (r < r1 - tol) return false;
          zd = zd1;
        } else if (r > r2) {
          if (r > r2 + tol) return false;
          zd = zd2;
        } else {
          zd = zd1;
          for (let j = 0; j < 100; j++) {
            let lambda = (r2 - r) / (r2 - r1);
            if (lambda < 0.1) lambda = 0.1;
            else if (lambda > 0.9) lambda = 0.9;
            zd = zd2 - lambda * (zd2 - zd1);
            const rt = poly(zd);
            if (rt < r) {
              if (r - rt < tol) break;
              r1 = rt;
              zd1 = zd;
            } else {
              if (rt - r < tol) break;
              r2 = rt;
              zd2 = zd;
            }
            if (Math.abs(zd2 - zd1) < tol) break;
          }
          // Newton polish inside the bracket (the bracket stops at |ΔR| < 1e-13 only)
          for (let j = 0; j < 4; j++) {
            const d = dpoly(zd);
            if (!(d > 0)) break;
            const step = (poly(zd) - r) / d;
            const z = zd - step;
            if (!(z >= 0 && z <= zdMax)) break;
            zd = z;
            if (Math.abs(step) < 1e-16) break;
          }
        }
      }
      out[1] = 90 - zd * R2D;
      return true;
    },
    s2x(phi, theta, out) {
      const s = (90 - theta) * D2R;
      if (s > zdMax) return false;
      const r = poly(s) * R2D;
      out[0] = r * sind(phi);
      out[1] = -r * cosd(phi);
      return true;
    },
  });
}

/** Airy's zenithal AIR: PV2_1 = θb in degrees (default 90). Inverse by wcslib's bracketing, then Newton. */
export function makeAir(pv: ProjectionParams): Projection {
  checkParams("AIR", pv, [1]);
  const thetab = param(pv, 1, 90);
  const w0 = 2 * R2D;
  let w1: number;
  let w2: number;
  if (thetab === 90) {
    w1 = -0.5;
    w2 = 1;
  } else if (thetab > -90) {
    const cx = cosd((90 - thetab) / 2);
    w1 = (Math.log(cx) * (cx * cx)) / (1 - cx * cx);
    w2 = 0.5 - w1;
  } else {
    badParams("AIR", `θb = PV2_1 = ${thetab} must be > −90`);
  }
  const w3 = w0 * w2;
  const w4 = 1e-4;
  const w5 = w2 * w4;
  const w6 = R2D / w2;
  const tol = 1e-12;
  // R/(2 r0) as a function of cos ξ and its derivative with respect to ξ
  const rOf = (cx: number): number => {
    const tx = Math.sqrt(1 - cx * cx) / cx;
    return -(Math.log(cx) / tx + w1 * tx);
  };
  // ln cos ξ without the cancellation of log(cos ξ) near ξ = 0
  const lnCos = (xi: number): number => {
    const h = Math.sin(xi / 2);
    return Math.log1p(-2 * h * h);
  };
  // R/(2 r0) as a function of ξ (radians), accurate to rounding for small ξ (wcslib's form via
  // cos ξ loses ~1e-11 relative precision there)
  const rXi = (xi: number): number => {
    const tx = Math.tan(xi);
    return -(lnCos(xi) / tx + w1 * tx);
  };
  return degreeProjection("AIR", 0, 90, {
    x2s(X, Y, out) {
      const r = Math.sqrt(X * X + Y * Y) / w0;
      out[0] = r === 0 ? 0 : atan2d(X, -Y);
      let xi: number;
      if (r === 0) xi = 0;
      else if (r < w5) xi = r * w6;
      else {
        let x1 = 1;
        let x2 = 1;
        let r1 = 0;
        let r2 = 0;
        let k = 0;
        for (; k < 30; k++) {
          x2 = x1 / 2;
          r2 = rOf(x2);
          if (r2 >= r) break;
          x1 = x2;
          r1 = r2;
        }
        if (k === 30) return false;
        let cx = x2;
        for (k = 0; k < 100; k++) {
          let lambda = (r2 - r) / (r2 - r1);
          if (lambda < 0.1) lambda = 0.1;
          else if (lambda > 0.9) lambda = 0.9;
          cx = x2 - lambda * (x2 - x1);
          const rt = rOf(cx);
          if (rt < r) {
            if (r - rt < tol) break;
            r1 = rt;
            x1 = cx;
          } else {
            if (rt - r < tol) break;
            r2 = rt;
            x2 = cx;
          }
        }
        if (k === 100) return false;
        // Newton polish on ξ (radians), with the cancellation-free R(ξ) below
        let x = Math.acos(cx);
        for (let j = 0; j < 4; j++) {
          const s = Math.sin(x);
          const co = Math.cos(x);
          const f = rXi(x) - r;
          // d/dξ [−ln cos ξ · cot ξ − w1 tan ξ] = 1 + ln cos ξ / sin² ξ − w1 / cos² ξ
          const d = 1 + lnCos(x) / (s * s) - w1 / (co * co);
          if (!(d > 0)) break;
          const step = f / d;
          x -= step;
          if (Math.abs(step) < 1e-17) break;
        }
        xi = x * R2D;
      }
      out[1] = 90 - 2 * xi;
      return true;
    },
    s2x(phi, theta, out) {
      let r: number;
      if (theta === 90) r = 0;
      else if (theta > -90) {
        const xi = (D2R * (90 - theta)) / 2;
        if (xi < w4) r = xi * w3;
        else {
          r = w0 * rXi(xi);
        }
      } else return false;
      out[0] = r * sind(phi);
      out[1] = -r * cosd(phi);
      return true;
    },
  });
}
