/**
 * HEALPix projections (Paper "Mapping on the HEALPix grid", Calabretta & Roukema 2007, as in
 * wcslib): HPX with PV2_1 = H facets in longitude (default 4), PV2_2 = K facets in latitude
 * (default 3), fiducial point (0, 0); and XPH, the polar "butterfly" form, fiducial point (0, 90°).
 * Degree forms with wcslib's facet-boundary conventions.
 */
import { asind, badParams, checkParams, degreeProjection, type Projection, type ProjectionParams, sind } from "./common.js";

/** HEALPix HPX. */
export function makeHpx(pv: ProjectionParams): Projection {
  checkParams("HPX", pv, [1, 2]);
  const H = pv.get(1) ?? 4;
  const K = pv.get(2) ?? 3;
  if (!(H > 0 && K > 0)) badParams("HPX", `H = PV2_1 = ${H} and K = PV2_2 = ${K} must be positive`);
  const hOdd = Math.trunc(H + 0.5) % 2;
  const kOdd = Math.trunc(K + 0.5) % 2;
  const w2 = (K - 1) / K;
  const w3 = (90 * K) / H;
  const w4 = (K + 1) / 2;
  const w5 = (90 * (K - 1)) / H;
  const w6 = 180 / H;
  const w7 = H / 360;
  const w8 = w3;
  const w9 = w6;
  const slim = w6 + 1e-10; // wcslib: 1e-12 on degrees; widened for the radian ↔ degree conversions
  const ylim = w9 * w4;
  return degreeProjection(
    "HPX",
    0,
    0,
    {
      x2s(X, Y, out) {
        // x − x_c, the offset from the centre of the facet column
        const xc = -180 + (2 * Math.floor((X + 180) * w7) + 1) * w6;
        let dx = X - xc;
        const absy = Math.abs(Y);
        if (absy <= w5) {
          out[0] = X;
          out[1] = asind(Y / w3);
          return true;
        }
        if (absy > ylim) return false;
        // polar regime
        const offset = !(kOdd || Y > 0);
        const sigma = w4 - absy / w6;
        let s: number;
        let t: number;
        if (sigma === 0) {
          s = 1e9;
          t = 90;
        } else {
          t = 1 - (sigma * sigma) / K;
          if (t < -1) return false;
          s = 1 / sigma;
          t = asind(t);
        }
        if (Y < 0) t = -t;
        if (offset) {
          const h = Math.floor(X / w6) + hOdd;
          if (h % 2) dx -= w6;
          else dx += w6;
        }
        let r = s * dx;
        if (slim <= Math.abs(r)) return false;
        if (r !== 0) r -= dx;
        out[0] = X + r;
        out[1] = t;
        return true;
      },
      s2x(phi, theta, out) {
        const xi = phi;
        let t = -180 + (2 * Math.floor((phi + 180) * w7) + 1) * w6;
        t = phi - t;
        const st = sind(theta);
        const abssin = Math.abs(st);
        if (abssin <= w2) {
          out[0] = xi;
          out[1] = w8 * st;
          return true;
        }
        const offset = !(kOdd || theta > 0);
        const sigma = Math.sqrt(K * (1 - abssin));
        const xi1 = sigma - 1;
        let eta = w9 * (w4 - sigma);
        if (theta < 0) eta = -eta;
        if (offset) {
          const h = Math.floor(xi / w9) + hOdd;
          if (h % 2) t -= w9;
          else t += w9;
        }
        let x = xi + t * xi1;
        if (180 < x) x = 360 - x;
        out[0] = x;
        out[1] = eta;
        return true;
      },
    },
    1e-12,
  );
}

/** HEALPix polar ("butterfly") XPH. */
export function makeXph(pv: ProjectionParams): Projection {
  checkParams("XPH", pv);
  const w0 = 1 / Math.SQRT2;
  const w1 = 1 / Math.SQRT2;
  const w2 = 2 / 3;
  const w3 = 1e-4;
  const w4 = Math.sqrt(w2) * (180 / Math.PI);
  const w5 = 90 - w3 * w4;
  const w6 = Math.sqrt(1.5) * (Math.PI / 180);
  const tol = 1e-12;
  return degreeProjection(
    "XPH",
    0,
    90,
    {
      x2s(X, Y, out) {
        const xr = X * w1;
        const yr = Y * w1;
        let xi1: number;
        let eta1: number;
        let phi: number;
        if (xr <= 0 && 0 < yr) {
          xi1 = -xr - yr;
          eta1 = xr - yr;
          phi = -180;
        } else if (xr < 0 && yr <= 0) {
          xi1 = xr - yr;
          eta1 = xr + yr;
          phi = -90;
        } else if (0 <= xr && yr < 0) {
          xi1 = xr + yr;
          eta1 = -xr + yr;
          phi = 0;
        } else {
          xi1 = -xr + yr;
          eta1 = -xr - yr;
          phi = 90;
        }
        const xi = xi1 + 45;
        const eta = eta1 + 90;
        const abseta = Math.abs(eta);
        if (abseta > 90) return false;
        if (abseta <= 45) {
          // equatorial regime
          if (45 + tol < Math.abs(xi1)) return false;
          out[0] = phi + xi;
          out[1] = asind(eta / 67.5);
          return true;
        }
        // polar regime
        const sigma = (90 - abseta) / 45;
        if (xr === 0) phi = yr <= 0 ? 0 : 180;
        else if (yr === 0) phi = xr < 0 ? -90 : 90;
        else phi += 45 + xi1 / sigma;
        let theta = sigma < w3 ? 90 - sigma * w4 : asind(1 - (sigma * sigma) / 3);
        if (eta < 0) theta = -theta;
        if (eta < -45 && eta + 90 + tol < Math.abs(xi1)) return false;
        out[0] = phi;
        out[1] = theta;
        return true;
      },
      s2x(phi, theta, out) {
        let chi = phi;
        if (180 <= Math.abs(chi)) {
          chi = chi % 360;
          if (chi < -180) chi += 360;
          else if (180 <= chi) chi -= 360;
        }
        chi += 180;
        const psi = chi % 90;
        const p = chi - 180;
        const st = sind(theta);
        const abssin = Math.abs(st);
        let xi: number;
        let eta: number;
        if (abssin <= w2) {
          xi = psi;
          eta = 67.5 * st;
        } else {
          const sigma = theta < w5 ? Math.sqrt(3 * (1 - abssin)) : (90 - theta) * w6;
          xi = 45 + (psi - 45) * sigma;
          eta = 45 * (2 - sigma);
          if (theta < 0) eta = -eta;
        }
        xi -= 45;
        eta -= 90;
        if (p < -90) {
          out[0] = w0 * (-xi + eta);
          out[1] = w0 * (-xi - eta);
        } else if (p < 0) {
          out[0] = w0 * (xi + eta);
          out[1] = w0 * (-xi + eta);
        } else if (p < 90) {
          out[0] = w0 * (xi - eta);
          out[1] = w0 * (xi + eta);
        } else {
          out[0] = w0 * (-xi - eta);
          out[1] = w0 * (xi - eta);
        }
        return true;
      },
    },
    1e-12,
  );
}
