// Fitting recovers known TAN-SIP (order 3) and TPV WCSs from 200 noisy matches with 10% planted
// outliers (simulation with known truth). Statistical floor: with p = 10 coefficients per axis and
// n = 180 inliers the fitted model's RMS position error over the field is σ·√(p/n) ≈ 0.24σ, so the
// test asserts the model error against that floor and the clipped residual RMS against σ (to 10%).
import { describe, expect, it } from "vitest";
import { SpherePoint } from "../../src/geom/sphere.js";
import { fitTanSipWcs, fitTpvWcs, makeCdMatrix, makeTanSipWcs, makeTpvWcs, Poly2D, type SkyWcs } from "../../src/wcs/index.js";
import { sepDeg } from "./helpers.js";

/** Deterministic PRNG (mulberry32) and Gaussian deviates. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

const W = 2048;
const H = 4096;
const SIGMA = 0.05; // arcsec

function truthSip(): SkyWcs {
  const a = new Poly2D(3);
  const b = new Poly2D(3);
  a.set(2, 0, 3e-6);
  a.set(1, 1, -2e-6);
  a.set(0, 2, 1.5e-6);
  a.set(3, 0, 4e-10);
  a.set(1, 2, -3e-10);
  b.set(0, 2, -2.5e-6);
  b.set(2, 0, 1e-6);
  b.set(2, 1, 5e-10);
  b.set(0, 3, -6e-10);
  return makeTanSipWcs(
    { crpix: [1000, 2100], crval: SpherePoint.fromDegrees(211.8, -11.8), cd: makeCdMatrix(0.187, 0.01) },
    a,
    b,
  );
}

function truthTpv(): SkyWcs {
  const xi = new Poly2D(3);
  const eta = new Poly2D(3);
  xi.set(1, 0, 1.0);
  xi.set(0, 1, 0.001);
  xi.set(2, 0, 0.02);
  xi.set(3, 0, -0.8);
  xi.set(1, 2, -0.7);
  eta.set(0, 1, 1.0);
  eta.set(1, 0, 0.0015);
  eta.set(0, 2, 0.015);
  eta.set(0, 3, -0.75);
  eta.set(2, 1, -0.8);
  return makeTpvWcs(
    { crpix: [-500, 3000], crval: SpherePoint.fromDegrees(121.5, 5.5), cd: makeCdMatrix(0.263, 1.5707) },
    xi,
    eta,
  );
}

function simulate(truth: SkyWcs, seed: number) {
  const r = rng(seed);
  const n = 200;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  const outlier = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = r() * W;
    y[i] = r() * H;
    const s = truth.pixelToSky(x[i]!, y[i]!);
    const dx = gauss(r) * SIGMA;
    const dy = gauss(r) * SIGMA;
    let p = s.offset(0, (dx / 3600) * (Math.PI / 180)).offset(Math.PI / 2, (dy / 3600) * (Math.PI / 180));
    if (i % 10 === 3) {
      // 10% planted outliers: 1-5 arcsec in a random direction
      outlier[i] = 1;
      p = p.offset(r() * 2 * Math.PI, ((1 + 4 * r()) / 3600) * (Math.PI / 180));
    }
    ra[i] = p.raDeg;
    dec[i] = p.decDeg;
  }
  return { x, y, ra, dec, outlier };
}

/** RMS and max of the position difference (arcsec) between two WCSs on a grid over the image. */
function modelError(a: SkyWcs, b: SkyWcs): { rms: number; max: number } {
  let ss = 0;
  let max = 0;
  let n = 0;
  for (let j = 0; j <= 20; j++)
    for (let i = 0; i <= 20; i++) {
      const x = (i * W) / 20;
      const y = (j * H) / 20;
      const p = a.pixelToSky(x, y);
      const q = b.pixelToSky(x, y);
      const d = sepDeg(p.raDeg, p.decDeg, q.raDeg, q.decDeg) * 3600;
      ss += d * d;
      max = Math.max(max, d);
      n++;
    }
  return { rms: Math.sqrt(ss / n), max };
}

describe.each([
  ["TAN-SIP order 3", truthSip, fitTanSipWcs],
  ["TPV order 3", truthTpv, fitTpvWcs],
] as const)("%s", (_name, truth, fit) => {
  it("recovers the exact WCS from noise-free matches", () => {
    const t = truth();
    const s = simulate(t, 7);
    const clean = { x: s.x, y: s.y, ra: new Float64Array(200), dec: new Float64Array(200) };
    for (let i = 0; i < 200; i++) {
      const p = t.pixelToSky(s.x[i]!, s.y[i]!);
      clean.ra[i] = p.raDeg;
      clean.dec[i] = p.decDeg;
    }
    const r = fit(clean, { order: 3, crpix: t.model.crpix, crval: t.getSkyOrigin() });
    expect(r.nRejected).toBeLessThanOrEqual(200); // clipping of exact data is irrelevant here
    expect(modelError(r.wcs, t).max).toBeLessThan(1e-6);
  });

  for (const seed of [11, 12, 13]) {
    it(`seed ${seed}: 200 noisy matches, 10% outliers rejected, model error at the statistical floor`, () => {
      const t = truth();
      const s = simulate(t, seed);
      const r = fit(s, { order: 3, rejSigma: 3 });
      // every planted outlier rejected, few inliers lost
      let lostInliers = 0;
      for (let i = 0; i < 200; i++) {
        if (s.outlier[i]) expect(r.used[i], `outlier ${i}`).toBe(0);
        else if (!r.used[i]) lostInliers++;
      }
      expect(lostInliers).toBeLessThanOrEqual(5);
      // residual scatter equals the noise to 10% (corrected for the fitted degrees of freedom)
      const p = 10;
      const dof = Math.sqrt(r.nUsed / (r.nUsed - p));
      expect(Math.abs((r.rmsX * dof) / SIGMA - 1)).toBeLessThan(0.15);
      expect(Math.abs((r.rmsY * dof) / SIGMA - 1)).toBeLessThan(0.15);
      // model error vs truth: RMS over the field within 1.6x the floor σ√(2p/n) (two axes)
      const err = modelError(r.wcs, t);
      const floor = SIGMA * Math.sqrt((2 * p) / r.nUsed);
      expect(err.rms).toBeLessThan(1.6 * floor);
      // the distortion itself (pixels) is recovered: truth minus linear part is many σ, fit error ≪ 1 px
      expect(err.max / 0.2).toBeLessThan(0.5);
      // and the inverse works across the field
      expect(r.wcs.roundTripError(0, 0)).toBeLessThan(1e-8);
      expect(r.wcs.roundTripError(W, H)).toBeLessThan(1e-8);
    });
  }

  it("rejects outliers of both signs (symmetric clipping)", () => {
    const t = truth();
    const s = simulate(t, 21);
    // push half the outliers far in +RA, half in -RA
    let k = 0;
    for (let i = 0; i < 200; i++) if (s.outlier[i]) s.ra[i] = s.ra[i]! + (k++ % 2 ? 1 : -1) * (3 / 3600);
    const r = fit(s, { order: 3 });
    for (let i = 0; i < 200; i++) if (s.outlier[i]) expect(r.used[i]).toBe(0);
  });
});

describe("fit input errors", () => {
  it("too few points names the problem", () => {
    expect(() => fitTanSipWcs({ x: [1, 2, 3], y: [1, 2, 3], ra: [1, 1, 1], dec: [1, 1, 1] }, { order: 3 })).toThrow(
      /at least 10 points/,
    );
  });
  it("mismatched lengths", () => {
    expect(() => fitTpvWcs({ x: [1, 2], y: [1], ra: [1, 1], dec: [1, 1] })).toThrow(/same length/);
  });
});
