// A full 40-CCD MegaCam raw MEF (the post-2015 layout with the four "ears" ccd36-39, as the real
// 1927963o.fits): the simulator writes primary + 40 RICE_1 extensions of full-size 2112×4644 CCDs,
// and every ccdNN reads back through readMegacamRaw with the geometry and electrical values the
// real header gives that CCD, its header cards equal to the real ones, its translated visit, and
// (noiseless bias frames, so exact) the simulated overscan and data levels at the right places.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Amplifier, FitsFile } from "@skystack/afw";
import {
  megacamCamera,
  megacamDetectorFromHeader,
  parseHeaderText,
  readMegacamRaw,
  simulateMegacamRaw,
} from "@skystack/obs-cfht";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "megacam-40-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RAW = join(dir, "2200000o.fits.fz");
const real = parseHeaderText(
  readFileSync(new URL("./data/real/cfht-megacam-headers/1927963o.fits.header", import.meta.url), "latin1"),
);
// no bias pattern and no noise: a raw pixel is round(overscan level of its amplifier at its row)
const INSTRUMENT = { fringes: false, biasPatternRms: 0, pixelFlatRms: 0, nBadColumns: 0 } as const;

beforeAll(async () => {
  await simulateMegacamRaw(RAW, {
    camera: megacamCamera(40),
    bias: true,
    noise: false,
    instrument: INSTRUMENT,
    visit: { expnum: 2200000, filter: "gri.MP9605", exptime: 0, darktime: 0, mjdObs: 57520.29, ra: 0, dec: 0, obstype: "BIAS" },
  });
}, 600_000);

const ampView = (a: Amplifier) => ({
  name: a.name,
  bbox: String(a.bbox),
  rawBBox: String(a.rawBBox),
  rawDataBBox: String(a.rawDataBBox),
  h: String(a.rawHorizontalOverscanBBox),
  v: String(a.rawVerticalOverscanBBox),
  flips: [a.rawFlipX, a.rawFlipY],
  gain: a.gain,
  readNoise: a.readNoise,
  saturation: a.saturation,
});

describe("40-CCD simulated raw MEF (1927963o layout)", () => {
  it("primary + 40 RICE_1 2112×4644 extensions ccd00…ccd39 in order; NEXTEND 40 as the real file", async () => {
    const f = await FitsFile.open(RAW);
    const hdus = await f.hdus();
    await f.close();
    expect(real.length).toBe(41);
    expect(hdus.length).toBe(41);
    expect(hdus[0]!.header.get("NEXTEND")).toBe(real[0]!.get("NEXTEND"));
    for (let i = 1; i <= 40; i++) {
      const h = hdus[i]!.header;
      expect([h.get("EXTNAME"), h.get("ZCMPTYPE"), h.get("ZNAXIS1"), h.get("ZNAXIS2"), h.get("ZTILE1"), h.get("ZTILE2")]).toEqual(
        [
          real[i]!.get("EXTNAME"),
          real[i]!.get("ZCMPTYPE"),
          real[i]!.get("ZNAXIS1"),
          real[i]!.get("ZNAXIS2"),
          real[i]!.get("ZTILE1"),
          real[i]!.get("ZTILE2"),
        ],
      );
    }
  });
  it("every ccdNN reads back with the real header's geometry, gains, read noise, saturation, cards and visit; pixels at the right places", async () => {
    for (let id = 0; id < 40; id++) {
      const raw = await readMegacamRaw(RAW, id);
      const r = real[id + 1]!;
      const want = megacamDetectorFromHeader(r, { primary: real[0]! });
      const d = raw.detector;
      expect([id, d.name, d.serial, d.physicalType, String(d.bbox)]).toEqual([
        id,
        want.name,
        want.serial,
        want.physicalType,
        String(want.bbox),
      ]);
      expect(d.amplifiers.map(ampView)).toEqual(want.amplifiers.map(ampView));
      expect(d.placement?.origin.x).toBeCloseTo(want.placement!.origin.x, 9);
      expect(d.placement?.origin.y).toBeCloseTo(want.placement!.origin.y, 9);
      for (const k of [
        "DETSEC",
        "DETSECA",
        "DETSECB",
        "DATASEC",
        "CCDSIZE",
        "BSECA",
        "BSECB",
        "DSECA",
        "DSECB",
        "CSECA",
        "CSECB",
        "GAINA",
        "GAINB",
        "RDNOISEA",
        "RDNOISEB",
        "SATURATE",
        "CCDNAME",
      ]) {
        const rv = r.get(k);
        expect([id, k, raw.headers.ccd.get(k)]).toEqual([id, k, typeof rv === "string" ? rv.trim() : rv]);
      }
      expect([raw.observation.dataId.detector, raw.observation.dataId.exposure, raw.visitInfo?.observationType]).toEqual([
        id,
        2200000,
        "bias",
      ]);
      expect([raw.image.width, raw.image.height]).toEqual([2112, 4644]);
      // each amplifier's serial overscan and data hold its own level (noiseless bias, no bias
      // pattern: away from the first rows a raw pixel is the amplifier's overscan level; the
      // simulated levels of A and B differ by over 100 ADU)
      const levels = d.amplifiers.map((a) => {
        const os = a.rawHorizontalOverscanBBox;
        const dat = a.rawDataBBox;
        const y = 2000;
        const v = [
          raw.image.get(os.min.x, y),
          raw.image.get(os.max.x, y),
          raw.image.get(dat.min.x, y),
          raw.image.get(dat.max.x, y),
        ];
        expect([id, a.name, ...v]).toEqual([id, a.name, v[0], v[0], v[0], v[0]]);
        return v[0]!;
      });
      expect(Math.abs(levels[1]! - levels[0]!)).toBeGreaterThan(100);
    }
  }, 120_000);
});
