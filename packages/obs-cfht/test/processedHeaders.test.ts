// Elixir `p` headers: the storage scaling (BSCALE, BZERO, SATURATE, MAXLIN) and the gains of every
// CCD of the real 1257365p follow from its IMRED_SF and the raw 1257365o's cards; the simulated
// `p` headers reproduce the real ones' section/electrical/IMRED cards and read back as one
// amplifier over DATASEC (AMPLIST 'A') with GAIN, RDNOISE and SATURATE.
import { describe, expect, it } from "vitest";
import {
  elixirScaling,
  isElixirProcessed,
  megacamDetectorFromHeader,
  megacamProcessedCcdHeader,
  megacamProcessedPrimaryHeader,
} from "../src/index.js";
import { realHeaders } from "./helpers.js";

const p = realHeaders("1257365p");
const o = realHeaders("1257365o");
const visit = {
  expnum: 1257365,
  filter: "i.MP9702",
  exptime: 20.194,
  darktime: 20,
  mjdObs: 55503.1929897,
  ra: 280.572958,
  dec: 59.516694,
};
const names = {
  crunid: "10Bm03",
  mask: "2003A.mask.0.36.02",
  bias: "10Bm03.bias.0.36.00",
  flat: "10Bm03.flat.i2.36.01",
  fringe: "10Bm03.fringe.i2.36.00",
};

describe("real 1257365p: scaling and gains from IMRED_SF", () => {
  it.each(Array.from({ length: 36 }, (_, i) => i))("ccd%i", (id) => {
    const h = p[id + 1]!;
    const sc = elixirScaling(h.getNumber("IMRED_SF")!);
    expect([sc.bscale, sc.bzero, sc.saturate, sc.saturate]).toEqual([
      h.get("BSCALE"),
      h.get("BZERO"),
      h.get("SATURATE"),
      h.get("MAXLIN"),
    ]);
    // the simulated p header from the raw CCD's detector: gains divided by IMRED_SF, cards as real
    const raw = megacamDetectorFromHeader(o[id + 1]!, { primary: o[0]! });
    const sim = megacamProcessedCcdHeader(raw, visit, names, sc);
    for (const k of [
      "GAIN",
      "GAINA",
      "GAINB",
      "RDNOISEA",
      "RDNOISEB",
      "AMPLIST",
      "DATASEC",
      "DETSEC",
      "BSECA",
      "BSECB",
      "DSECA",
      "DSECB",
      "CSECA",
      "CSECB",
      "CCDNAME",
      "SATURATE",
      "MAXLINA",
      "MAXLINB",
      "IMRED_SF",
      "IMRED_OP",
      "IMRED_OV",
      "IMRED_NF",
    ]) {
      const rv = h.get(k);
      expect([id, k, sim.get(k)]).toEqual([id, k, typeof rv === "string" ? rv.trim() : rv]);
    }
    for (const k of ["IMRED_IF", "IMRED_MK", "IMRED_BS", "IMRED_FF"])
      expect([k, sim.get(k)]).toEqual([k, String(h.get(k)).trim()]);
    // read back: one amplifier over DATASEC, with GAIN / RDNOISE / SATURATE of the header (the
    // simulated RDNOISE is the rounded mean of RDNOISEA/B; the real one is not always that)
    const det = megacamDetectorFromHeader(sim, { id, primary: megacamProcessedPrimaryHeader(visit, 36, names) });
    expect(det.amplifiers.map((a) => [a.name, String(a.rawDataBBox), a.gain, a.readNoise, a.saturation])).toEqual([
      ["A", "Box2I(minimum=(32, 0), maximum=(2079, 4611))", h.get("GAIN"), sim.get("RDNOISE"), h.get("SATURATE")],
    ]);
    expect(isElixirProcessed(sim)).toBe(true);
  });
  it("the real p CCD headers read the same way (one amplifier, GAIN, RDNOISE, SATURATE)", () => {
    for (let id = 0; id < 36; id++) {
      const h = p[id + 1]!;
      const det = megacamDetectorFromHeader(h, { primary: p[0]! });
      expect(det.amplifiers.map((a) => [a.name, a.gain, a.readNoise, a.saturation])).toEqual([
        ["A", h.get("GAIN"), h.get("RDNOISE"), h.get("SATURATE")],
      ]);
      expect(isElixirProcessed(h)).toBe(true);
    }
    expect(isElixirProcessed(o[1]!)).toBe(false);
  });
});
