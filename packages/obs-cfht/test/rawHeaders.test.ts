import { describe, expect, it } from "vitest";
import { megacamCamera, megacamCcdHeader, megacamPrimaryHeader, translateMegacamHeader } from "../src/index.js";
import { realHeaders } from "./helpers.js";

const SECTION_KEYS = [
  "EXTNAME",
  "AMPLIST",
  "CCDSIZE",
  "DETSEC",
  "DETSECA",
  "DETSECB",
  "DATASEC",
  "ASECA",
  "ASECB",
  "DSECA",
  "DSECB",
  "TSECA",
  "TSECB",
  "BSECA",
  "BSECB",
  "CSECA",
  "CSECB",
  "CCDNAME",
  "GAINA",
  "GAINB",
  "RDNOISEA",
  "RDNOISEB",
  "SATURATE",
  "MAXLINA",
  "MAXLINB",
  "BIASSEC",
  "EXTVER",
];

describe("simulated raw headers reproduce the real ones", () => {
  it.each([
    ["1257365o", 36],
    ["1927963o", 40],
  ] as const)("every ccdNN of %s: section/electrical cards from the camera defaults", (file, n) => {
    const real = realHeaders(file);
    const cam = megacamCamera(n);
    const visit = { expnum: 1, filter: "i.MP9702", exptime: 20.194, mjdObs: 55503.1929897, ra: 280.572958, dec: 59.516694 };
    for (const d of cam.detectors) {
      const h = megacamCcdHeader(d, visit);
      h.set("EXTNAME", d.name);
      const r = real[d.id + 1]!;
      for (const k of SECTION_KEYS)
        expect([d.name, k, h.get(k)]).toEqual([d.name, k, typeof r.get(k) === "string" ? String(r.get(k)).trim() : r.get(k)]);
    }
  });
  it("the primary header translates back to the visit", () => {
    const v = {
      expnum: 1257365,
      filter: "i.MP9702",
      exptime: 20.194,
      darktime: 20,
      mjdObs: 55503.1929897,
      ra: 280.572958,
      dec: 59.516694,
      airmass: 1.471,
    };
    const o = translateMegacamHeader(megacamPrimaryHeader(v, 36));
    const real = translateMegacamHeader(realHeaders("1257365o")[0]!);
    expect(o.visitInfo.exposureTime).toBe(real.visitInfo.exposureTime);
    expect(o.visitInfo.darkTime).toBe(real.visitInfo.darkTime);
    expect(Math.abs(o.visitInfo.date - real.visitInfo.date) * 86400).toBeLessThan(0.01);
    expect(o.visitInfo.boresightRaDec!.ra).toBeCloseTo(real.visitInfo.boresightRaDec!.ra, 9);
    expect(o.filter).toEqual(real.filter);
    const rh = realHeaders("1257365o")[0]!;
    const ph = megacamPrimaryHeader(v, 36);
    // (UTCEND is the end of readout, ~48 s after the shutter closes: not derivable, not compared)
    for (const k of ["RA", "DEC", "DATE-OBS", "UTC-OBS"]) expect([k, ph.get(k)]).toEqual([k, String(rh.get(k)).trim()]);
  });
});
