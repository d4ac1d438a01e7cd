// pixel -> sky against wcslib (astropy 5.2.1 / wcslib 7.12) on every real file with a WCS and on
// synthetic headers of every projection; sky -> pixel -> sky round trips inside the images.
// Expected values: test/fixtures-gen/wcs/gen_wcs_fixtures.py -> fixtures/wcs-*.json.
import { describe, expect, it } from "vitest";
import { readSkyWcs } from "../../src/wcs/index.js";
import { headerFrom, loadFixture, type RealCase, realHeader, type SynthCase, sepDeg } from "./helpers.js";

const TOL_DEG = 1e-10;

function check(wcs: ReturnType<typeof readSkyWcs>, c: { x: number[]; y: number[]; ra: number[]; dec: number[] }): number {
  const { ra, dec } = wcs.pixelToSkyArrays(c.x, c.y, undefined, { degrees: true });
  let worst = 0;
  for (let i = 0; i < c.x.length; i++) {
    // scalar path must equal the vectorised one exactly
    const sp = wcs.pixelToSky(c.x[i]!, c.y[i]!);
    expect(sp.raDeg).toBe(ra[i]);
    worst = Math.max(worst, sepDeg(ra[i]!, dec[i]!, c.ra[i]!, c.dec[i]!));
  }
  return worst;
}

describe("real files: pixel -> sky agrees with wcslib to 1e-10 deg", () => {
  const real = loadFixture<RealCase>("wcs-real.json");
  for (const c of real.cases) {
    it(`${c.name}${c.ctype ? ` (TAN+PV read as ${c.ctype})` : ""}`, async () => {
      const h = await realHeader(c.file, c.hdu);
      const wcs = readSkyWcs(h);
      expect(check(wcs, c)).toBeLessThan(TOL_DEG);
      // sky -> pixel on a dense grid inside the image, round trip to 1e-8 pixel
      const n = 25;
      const xs = new Float64Array(n * n);
      const ys = new Float64Array(n * n);
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++) {
          xs[j * n + i] = -0.5 + (i * c.naxis[0]) / (n - 1);
          ys[j * n + i] = -0.5 + (j * c.naxis[1]) / (n - 1);
        }
      const sky = wcs.pixelToSkyArrays(xs, ys);
      const back = wcs.skyToPixelArrays(sky.ra, sky.dec);
      expect(back.nFailed).toBe(0);
      let worst = 0;
      for (let k = 0; k < xs.length; k++) worst = Math.max(worst, Math.hypot(back.x[k]! - xs[k]!, back.y[k]! - ys[k]!));
      expect(worst).toBeLessThan(1e-8);
    });
  }
});

describe("synthetic headers of every projection agree with wcslib", () => {
  const synth = loadFixture<SynthCase>("wcs-synthetic.json");
  for (const c of synth.cases) {
    it(c.name, () => {
      const wcs = readSkyWcs(headerFrom(c.header));
      expect(check(wcs, c)).toBeLessThan(TOL_DEG);
      const back = wcs.skyToPixelArrays(c.ra, c.dec, undefined, { degrees: true });
      expect(back.nFailed).toBe(0);
      for (let k = 0; k < c.x.length; k++) {
        expect(Math.abs(back.x[k]! - c.x[k]!)).toBeLessThan(1e-8);
        expect(Math.abs(back.y[k]! - c.y[k]!)).toBeLessThan(1e-8);
      }
    });
  }
});
