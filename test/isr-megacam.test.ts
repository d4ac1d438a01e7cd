// Acceptance of issue 6 on simulated full-size MegaCam raws: the simulator writes the real raw
// format (checked against the real 1257365o header, fitsverify and astropy), the formatter reads
// one CCD without touching the others, and ISR recovers the simulator's noiseless truth.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Camera, FitsFile, openByteSource } from "@skystack/afw";
import { type IsrResult, runIsr } from "@skystack/isr";
import {
  type MegacamCcdTruth,
  megacamCamera,
  megacamIsrOptions,
  parseHeaderText,
  readElixirDefects,
  readMegacamCalib,
  readMegacamRaw,
  simulateMegacamRaw,
  writeMegacamMasters,
} from "@skystack/obs-cfht";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artefactCoverage, truthResiduals } from "./helpers/isr-truth.js";
import { astropyDigest, fitsverify, HAVE_ASTROPY, HAVE_FITSVERIFY, sha256 } from "./helpers/tools.js";

const dir = mkdtempSync(join(tmpdir(), "isr-megacam-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cam36 = megacamCamera(36);
// ccd00 (upper row, rotated 180°) and ccd27 (lower row): both amplifiers, both orientations
const camera = new Camera("MegaCam", [cam36.get(0), cam36.get(27)]);
const RAW = join(dir, "2000001o.fits.fz");
const P = (n: string) => join(dir, n);
const visit = {
  expnum: 2000001,
  filter: "i.MP9702",
  exptime: 60,
  darktime: 61,
  mjdObs: 55503.25,
  ra: 214.88,
  dec: 52.66,
  airmass: 1.2,
};
let truths: Map<number, MegacamCcdTruth>;
const results = new Map<number, IsrResult>();

beforeAll(async () => {
  truths = await simulateMegacamRaw(RAW, { camera, visit, seed: 7, keepTruth: [0, 27] });
  await writeMegacamMasters({
    camera,
    biasPath: P("bias.fits"),
    flatPath: P("flat.fits"),
    darkPath: P("dark.fits"),
    fringePath: P("fringe.fits"),
    maskPath: P("mask.fits"),
  });
  for (const id of [0, 27]) {
    const raw = await readMegacamRaw(RAW, id);
    const [bias, flat, dark, fringe] = await Promise.all(
      ["bias", "flat", "dark", "fringe"].map((n) => readMegacamCalib(P(`${n}.fits`), id)),
    );
    const defects = await readElixirDefects(P("mask.fits"), raw.detector);
    results.set(
      id,
      runIsr(
        raw,
        { bias: bias!, flat: flat!, fringe: fringe!, dark: { image: dark!, darkTime: 1 }, defects },
        megacamIsrOptions(raw.filter ?? null, false),
      ),
    );
  }
}, 300_000);

describe("simulated raw MegaCam file format", () => {
  const real = parseHeaderText(
    readFileSync(new URL("./data/real/cfht-megacam-headers/1257365o.fits.header", import.meta.url), "latin1"),
  );
  it("extension headers: RICE_1, 2112x1 tiles, uint16 (BZERO 32768), section cards as the real raw", async () => {
    const f = await FitsFile.open(RAW);
    const hdus = await f.hdus();
    await f.close();
    expect(hdus.length).toBe(3);
    for (const [k, id] of [
      [1, 0],
      [2, 27],
    ] as const) {
      const h = hdus[k]!.header;
      expect(h.get("ZCMPTYPE")).toBe("RICE_1");
      expect([h.get("ZNAXIS1"), h.get("ZNAXIS2"), h.get("ZTILE1"), h.get("ZTILE2"), h.get("ZBITPIX")]).toEqual([
        2112, 4644, 2112, 1, 16,
      ]);
      expect(h.get("BZERO")).toBe(32768);
      const r = real[id + 1]!;
      for (const key of [
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
      ]) {
        expect([key, h.get(key)]).toEqual([key, r.get(key)]);
      }
    }
  });
  it.skipIf(!HAVE_FITSVERIFY)("passes fitsverify", () => {
    const v = fitsverify(RAW);
    expect(v.errors, v.report).toBe(0);
  });
  it.skipIf(!HAVE_ASTROPY)("astropy decodes the same pixels as the formatter", async () => {
    const d = astropyDigest(RAW);
    const raw = await readMegacamRaw(RAW, 27);
    expect(d[2]!.shape).toEqual([2112, 4644]);
    expect(d[2]!.sha256).toBe(sha256(Uint16Array.from(raw.image.array)));
  });
  it("reading ccd00 reads well under half the file (ccd27 is never decoded)", async () => {
    const src = await openByteSource(RAW);
    let bytes = 0;
    const counting = {
      name: src.name,
      size: src.size,
      compression: src.compression,
      read: async (o: number, n: number) => {
        bytes += n;
        return src.read(o, n);
      },
      close: () => src.close(),
    };
    const f = await FitsFile.fromSource(counting);
    const raw = await readMegacamRaw(f, 0);
    await f.close();
    expect(raw.detector.name).toBe("ccd00");
    expect(bytes).toBeLessThan(0.6 * statSync(RAW).size);
    expect(raw.visitInfo!.exposureTime).toBe(60);
    expect(raw.visitInfo!.darkTime).toBe(61);
    expect(raw.observation.dataId).toMatchObject({ exposure: 2000001, detector: 0, band: "i2" });
    expect([...raw.amplifierImages.keys()]).toEqual(["A", "B"]);
    expect(raw.amplifierImages.get("B")!.raw.width).toBe(1056);
  });
});

describe.each([0, 27])("ISR of simulated ccd%i vs the noiseless truth", (id) => {
  const stats = () => truthResiduals(results.get(id)!.exposure, truths.get(id)!);
  it("mean residual < 0.1 e over the CCD; no amplifier step > 0.1 e; ≥ 99% of pixels compared", () => {
    const r = stats();
    expect(Math.abs(r.mean)).toBeLessThan(0.1);
    expect(Math.abs(r.amps[0]! - r.amps[1]!)).toBeLessThan(0.1);
    for (const a of r.amps) expect(Math.abs(a)).toBeLessThan(0.1);
    expect(r.n).toBeGreaterThan(0.99 * 2048 * 4612);
  });
  it("variance plane within 2% of the true variance", () => {
    expect(Math.abs(stats().varianceRatio - 1)).toBeLessThan(0.02);
  });
  it("residuals are consistent with the variance plane (χ² per pixel ≈ 1)", () => {
    const t = truths.get(id)!;
    const e = results.get(id)!.exposure;
    let c = 0;
    let n = 0;
    for (let i = 0; i < t.image.length; i += 7) {
      if (e.mask.array[i] || t.artefacts[i]) continue;
      c += (e.image.array[i]! - t.image[i]!) ** 2 / t.variance[i]!;
      n++;
    }
    expect(Math.abs(c / n - 1)).toBeLessThan(0.03);
  });
  it("SAT covers the planted saturated pixels and bleed trails; BAD the defects; INTRP both", () => {
    const t = truths.get(id)!;
    const e = results.get(id)!.exposure;
    const { nSat, nBad, missed } = artefactCoverage(e, t);
    expect(missed).toBe(0);
    // the scene has saturated stars with bleed trails (tall SAT columns) and 4 bad columns
    expect(nSat).toBeGreaterThan(500);
    expect(nBad).toBeGreaterThan(400);
    expect(results.get(id)!.counts.sat).toBeGreaterThan(0);
  });
  it("defects read from the Elixir-format mask equal the planted bad columns", async () => {
    const t = truths.get(id)!;
    const d = await readElixirDefects(P("mask.fits"), t.detector);
    expect(d.map(String).sort()).toEqual(t.defects.map(String).sort());
  });
  it("the fitted fringe amplitude is the planted one (2% of the sky, i band) within 2%", () => {
    const f = results.get(id)!.fringe!;
    expect(Math.abs(f.amplitude / 30 - 1)).toBeLessThan(0.02);
  });
});
