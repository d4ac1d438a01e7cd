// Property tests: random TAN-SIP and TPV WCSs round-trip through their FITS cards and through
// pixel -> sky -> pixel.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getFitsMetadata, Header, makeTanSipWcs, makeTpvWcs, Poly2D, readSkyWcs, SpherePoint } from "../../src/index.js";

const arbWcsParams = fc.record({
  ra: fc.double({ min: 0, max: 359.999, noNaN: true }),
  dec: fc.double({ min: -80, max: 80, noNaN: true }),
  scale: fc.double({ min: 0.1, max: 1.5, noNaN: true }), // arcsec per pixel
  rot: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
  flip: fc.boolean(),
  crpix: fc.tuple(fc.double({ min: -500, max: 2500, noNaN: true }), fc.double({ min: -500, max: 4500, noNaN: true })),
  dist: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }),
});

function cd(p: { scale: number; rot: number; flip: boolean }): [number, number, number, number] {
  const s = p.scale / 3600;
  const f = p.flip ? -1 : 1;
  return [-s * Math.cos(p.rot) * f, s * Math.sin(p.rot), s * Math.sin(p.rot) * f, s * Math.cos(p.rot)];
}

/** Small realistic SIP terms: up to ~2 pixels of distortion over a 2048-pixel field. */
function sip(coeffs: number[]): [Poly2D, Poly2D] {
  const a = new Poly2D(3);
  const b = new Poly2D(3);
  a.set(2, 0, coeffs[0]! * 1e-6);
  a.set(1, 1, coeffs[1]! * 1e-6);
  a.set(0, 2, coeffs[2]! * 1e-6);
  a.set(3, 0, coeffs[3]! * 1e-9);
  a.set(1, 2, coeffs[4]! * 1e-9);
  b.set(2, 0, coeffs[5]! * 1e-6);
  b.set(0, 2, coeffs[6]! * 1e-6);
  b.set(2, 1, coeffs[7]! * 1e-9);
  b.set(0, 3, coeffs[8]! * 1e-9);
  return [a, b];
}

const points = [
  [0, 0],
  [1023.5, 2047.25],
  [2047, 4095],
  [-10.5, 300],
] as const;

describe("WCS properties", () => {
  it("TAN-SIP: FITS cards round trip and pixel -> sky -> pixel to 1e-8 px", () => {
    fc.assert(
      fc.property(arbWcsParams, (p) => {
        const [a, b] = sip(p.dist);
        const wcs = makeTanSipWcs({ crpix: p.crpix, crval: SpherePoint.fromDegrees(p.ra, p.dec), cd: cd(p) }, a, b);
        const header = getFitsMetadata(wcs, [5, 7]);
        const back = readSkyWcs(Header.parse(header.toBytes()).header);
        for (const [x, y] of points) {
          const s1 = wcs.pixelToSky(x, y);
          // Written for an image whose first pixel is at xy0 = (5, 7); read back without the "A"
          // WCS, the file's pixels are LOCAL ones.
          const s2 = back.pixelToSky(x - 5, y - 7);
          expect(s1.separation(s2)).toBeLessThan(1e-12);
          const q = wcs.skyToPixel(s1);
          expect(Math.hypot(q.x - x, q.y - y)).toBeLessThan(1e-8);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("TPV: FITS cards round trip exactly", () => {
    fc.assert(
      fc.property(arbWcsParams, (p) => {
        const xi = new Poly2D(3);
        const eta = new Poly2D(3);
        xi.set(1, 0, 1);
        eta.set(0, 1, 1);
        xi.set(2, 0, p.dist[0]! * 1e-3);
        xi.set(0, 2, p.dist[1]! * 1e-3);
        eta.set(1, 1, p.dist[2]! * 1e-3);
        xi.set(3, 0, p.dist[3]! * 1e-2);
        eta.set(0, 3, p.dist[4]! * 1e-2);
        const wcs = makeTpvWcs({ crpix: p.crpix, crval: SpherePoint.fromDegrees(p.ra, p.dec), cd: cd(p) }, xi, eta);
        const back = readSkyWcs(Header.parse(getFitsMetadata(wcs).toBytes()).header);
        for (const [x, y] of points) {
          const s1 = wcs.pixelToSky(x, y);
          const s2 = back.pixelToSky(x, y);
          expect(s1.separation(s2)).toBeLessThan(1e-12);
          const q = back.skyToPixel(s1);
          expect(Math.hypot(q.x - x, q.y - y)).toBeLessThan(1e-8);
        }
      }),
      { numRuns: 60 },
    );
  });
});
