import { radToDeg } from "@skystack/afw";
import { describe, expect, it } from "vitest";
import { abstractBand, megacamFilterLabel, taiMinusUtc, translateMegacamHeader } from "../src/index.js";
import { ASTROPY, realHeaders } from "./helpers.js";

describe.each(["1257365o", "1257365p", "1927963o", "02AE10.bias.0.36.00"])("VisitInfo of %s", (file) => {
  const hs = realHeaders(file);
  const t = ASTROPY[file]!.primary;
  it("primary header", () => {
    const o = translateMegacamHeader(hs[0]!, null, file);
    const v = o.visitInfo;
    expect(v.exposureTime).toBe(t.EXPTIME);
    expect(v.darkTime).toBe(t.DARKTIME);
    expect(v.id).toBe(t.EXPNUM);
    expect(o.exposureId).toBe(t.EXPNUM);
    // mid-exposure in TAI, computed by astropy from MJD-OBS (ours from DATE-OBS+UTC-OBS): within 20 ms
    expect(Math.abs(v.date - (t.mid_tai_mjd as number)) * 86400).toBeLessThan(0.02);
    expect(taiMinusUtc(t["MJD-OBS"] as number)).toBeCloseTo(t.tai_minus_utc_s as number, 5);
    expect(radToDeg(v.boresightRaDec!.ra)).toBeCloseTo(t.RA_DEG as number, 9);
    expect(radToDeg(v.boresightRaDec!.dec)).toBeCloseTo(t.DEC_DEG as number, 9);
    expect(v.boresightAirmass).toBe(t.AIRMASS);
    expect(v.observationType).toBe(String(t.OBSTYPE).toLowerCase());
    expect(v.object).toBe(t.OBJECT);
    expect(v.scienceProgram).toBe(t.RUNID);
    expect(v.instrumentLabel).toBe("MegaPrime");
    expect(o.filter.physicalLabel).toBe(t.FILTER);
    if (t.TELALT !== null) expect(radToDeg(v.boresightAzAlt!.dec)).toBeCloseTo(t.TELALT as number, 9);
    if (t.PRESSURE !== null) expect(v.weather!.airPressure).toBeCloseTo((t.PRESSURE as number) * 100, 6);
    if (t.LATITUDE !== null) expect(radToDeg(v.observatory!.latitude)).toBeCloseTo(t.LATITUDE as number, 9);
  });
  it("every ccdNN extension header translates on its own (ids, detector, filter)", () => {
    ASTROPY[file]!.extensions.forEach((e, i) => {
      const o = translateMegacamHeader(null, hs[i + 1]!, `${file}[${i + 1}]`);
      expect(o.detectorName).toBe(e.EXTNAME_LAST);
      expect(o.detectorId).toBe(i);
      expect(o.exposureId).toBe(t.EXPNUM);
      expect(o.detectorExposureId).toBe((t.EXPNUM as number) * 36 + i);
      expect(o.visitInfo.exposureTime).toBe(t.EXPTIME);
      expect(o.dataId).toMatchObject({ instrument: "MegaPrime", exposure: t.EXPNUM, detector: i });
    });
  });
});

describe("filters", () => {
  it("maps the issue's filter names", () => {
    const m: Record<string, string> = {
      "u.MP9301": "u",
      "g.MP9401": "g",
      "r.MP9601": "r",
      "i.MP9701": "i",
      "i.MP9702": "i2",
      "z.MP9801": "z",
    };
    for (const [p, b] of Object.entries(m)) expect(megacamFilterLabel(p)).toEqual({ band: b, physicalLabel: p });
    expect(megacamFilterLabel("gri.MP9605").band).toBe("gri");
    expect(megacamFilterLabel("filter_name").band).toBeUndefined();
    expect(abstractBand("i2")).toBe("i");
    expect(translateMegacamHeader(realHeaders("1257365o")[0]!).dataId.band).toBe("i2");
  });
  it("missing EXPTIME is a typed error naming the file", () => {
    const h = realHeaders("1257365o")[0]!.clone();
    h.remove("EXPTIME");
    expect(() => translateMegacamHeader(h, null, "f.fits")).toThrow(/f\.fits: card EXPTIME is missing/);
  });
});
