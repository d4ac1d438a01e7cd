// Header reading details: TNX against GalSim's published reference coordinates (wcstools/PyAst),
// the TAN+PV rule and its override, getFitsMetadata round trips, and typed errors naming the card.
import { describe, expect, it } from "vitest";
import { Header } from "../../src/fits/header.js";
import { SpherePoint } from "../../src/geom/sphere.js";
import { getFitsMetadata, makeCdMatrix, makeSkyWcs, readSkyWcs, WcsError } from "../../src/wcs/index.js";
import { headerFrom, loadFixture, type RealCase, realHeader, sepDeg } from "./helpers.js";

function hms(h: string, d: string): [number, number] {
  const [hh, mm, ss] = h.split(":").map(Number) as [number, number, number];
  const [dd, dm, ds] = d.replace("-", "").split(":").map(Number) as [number, number, number];
  return [15 * (hh + mm / 60 + ss / 3600), (d.startsWith("-") ? -1 : 1) * (dd + dm / 60 + ds / 3600)];
}

describe("TNX (wcs-galsim/tnx.fits)", () => {
  // GalSim tests/test_wcs.py 'TNX' references (FITS 1-based pixels; values from PyAst and wcstools).
  const refs: [string, string, number, number][] = [
    ["17:46:53.214511", "-30:08:47.895372", 32, 91],
    ["17:46:58.100741", "-30:07:50.121787", 246, 326],
  ];
  it("matches GalSim's reference coordinates to 1e-5 arcsec", async () => {
    const wcs = readSkyWcs(await realHeader("wcs-galsim/tnx.fits", 0));
    for (const [h, d, x, y] of refs) {
      const [ra, dec] = hms(h, d);
      const p = wcs.pixelToSky(x - 1, y - 1);
      expect(sepDeg(p.raDeg, p.decDeg, ra, dec) * 3600).toBeLessThan(1e-5);
    }
  });
  it("is written exactly as TPV", async () => {
    const wcs = readSkyWcs(await realHeader("wcs-galsim/tnx.fits", 0));
    const again = readSkyWcs(getFitsMetadata(wcs));
    expect(again.model.plane?.kind).toBe("TPV");
    for (const [x, y] of [
      [0, 0],
      [399, 399],
      [200, 17],
    ] as const) {
      const a = wcs.pixelToSky(x, y);
      const b = again.pixelToSky(x, y);
      expect(sepDeg(a.raDeg, a.decDeg, b.raDeg, b.decDeg)).toBeLessThan(1e-13);
    }
  });
});

describe("TAN+PV (MegaCam Elixir headers)", () => {
  it("auto reads PV as TPV; 'ignore' reads wcslib's plain TAN; 'tpv' forces", async () => {
    const h = await realHeader("cfht-megacam-ossos/cutout-1616687p.fits", 0);
    const auto = readSkyWcs(h);
    const forced = readSkyWcs(h, { tanPv: "tpv" });
    const plain = readSkyWcs(h, { tanPv: "ignore" });
    expect(auto.model.plane?.kind).toBe("TPV");
    expect(plain.model.plane).toBeNull();
    const a = auto.pixelToSky(125, 125);
    const f = forced.pixelToSky(125, 125);
    const p = plain.pixelToSky(125, 125);
    expect(a.equals(f)).toBe(true);
    expect(sepDeg(a.raDeg, a.decDeg, p.raDeg, p.decDeg)).toBeGreaterThan(1e-5);
  });
  it("only PV1_0..4 under TAN is not SCAMP: read as wcslib does", () => {
    const cards = {
      CTYPE1: "RA---TAN",
      CTYPE2: "DEC--TAN",
      CRPIX1: 1,
      CRPIX2: 1,
      CRVAL1: 10,
      CRVAL2: 20,
      CD1_1: -1e-4,
      CD1_2: 0,
      CD2_1: 0,
      CD2_2: 1e-4,
      PV1_3: 180,
    };
    expect(readSkyWcs(headerFrom(cards)).model.plane).toBeNull();
  });
});

describe("getFitsMetadata round trips every real file exactly", () => {
  const real = loadFixture<RealCase>("wcs-real.json");
  for (const c of real.cases) {
    it(c.name, async () => {
      const wcs = readSkyWcs(await realHeader(c.file, c.hdu));
      for (const xy0 of [
        [0, 0],
        [-7, 1200],
      ] as const) {
        const h = getFitsMetadata(wcs, xy0);
        // read back with that xy0: same transform in PARENT pixels
        const back = readSkyWcs(h, { xy0 });
        for (let i = 0; i < c.x.length; i += 7) {
          const a = wcs.pixelToSky(c.x[i]!, c.y[i]!);
          const b = back.pixelToSky(c.x[i]!, c.y[i]!);
          expect(sepDeg(a.raDeg, a.decDeg, b.raDeg, b.decDeg)).toBeLessThan(1e-13);
        }
      }
    });
  }
});

describe("typed errors name the card", () => {
  const base = {
    CTYPE1: "RA---TAN",
    CTYPE2: "DEC--TAN",
    CRPIX1: 1,
    CRPIX2: 1,
    CRVAL1: 10,
    CRVAL2: 20,
    CD1_1: -1e-4,
    CD1_2: 0,
    CD2_1: 0,
    CD2_2: 1e-4,
  };
  const err = (cards: Record<string, number | string>): WcsError => {
    try {
      readSkyWcs(headerFrom(cards));
    } catch (e) {
      return e as WcsError;
    }
    throw new Error("no error");
  };
  it("no WCS", () => expect(err({ NAXIS: 2 }).code).toBe("NO_WCS"));
  it("singular CD", () => expect(err({ ...base, CD2_2: 0 }).message).toMatch(/singular/));
  it("FK4 is refused with a clear message", () => {
    const e = err({ ...base, RADESYS: "FK4", EQUINOX: 1950 });
    expect(e.code).toBe("UNSUPPORTED");
    expect(e.message).toMatch(/RADESYS.*FK4/);
  });
  it("unknown projection", () => expect(err({ ...base, CTYPE1: "RA---ZPX", CTYPE2: "DEC--ZPX" }).message).toMatch(/ZPX/));
  it("conic without its PV2_1", () => expect(err({ ...base, CTYPE1: "RA---COE", CTYPE2: "DEC--COE" }).message).toMatch(/PV2_1/));
  it("SIP without A_ORDER", () =>
    expect(err({ ...base, CTYPE1: "RA---TAN-SIP", CTYPE2: "DEC--TAN-SIP" }).message).toMatch(/A_ORDER/));
  it("file and HDU appear in the message", async () => {
    const h = new Header();
    h.set("CTYPE1", "RA---TAN");
    h.set("CTYPE2", "DEC--XYZ");
    h.location = { file: "x.fits", hdu: 3 };
    expect(() => readSkyWcs(h)).toThrow(/x\.fits: HDU 3: card CTYPE2/);
  });
});

describe("inverse never returns silently wrong values", () => {
  it("points far outside a TPV field report NO_CONVERGENCE / OUT_OF_DOMAIN, with residuals", async () => {
    const wcs = readSkyWcs(await realHeader("wcs-galsim/tpv.fits", 0));
    const far = wcs.pixelToSky(256, 256).offset(0.3, (40 * Math.PI) / 180);
    expect(() => wcs.skyToPixel(far)).toThrow(WcsError);
    const residual = new Float64Array(2);
    const c = wcs.pixelToSky(10, 500);
    const r = wcs.skyToPixelArrays([c.ra, far.ra], [c.dec, far.dec], undefined, { residual });
    expect(r.nFailed).toBe(1);
    expect(Number.isNaN(r.x[1]!)).toBe(true);
    expect(residual[0]!).toBeLessThan(1e-10);
    expect(Math.abs(r.x[0]! - 10)).toBeLessThan(1e-8);
  });
  it("local linear approximation: pixel scale of a plain TAN equals the CD scale at the centre", () => {
    const wcs = makeSkyWcs({ crpix: [100, 100], crval: SpherePoint.fromDegrees(10, 20), cd: makeCdMatrix(0.2, 0.4) });
    expect(wcs.getPixelScale(100, 100)).toBeCloseTo(0.2, 9);
    expect(wcs.getRotation(100, 100).angle).toBeCloseTo(0.4, 6);
  });
});
