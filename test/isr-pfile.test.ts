// `skystack isr` on Elixir-processed MegaCam `p` files, end to end. A simulated full-size `p` CCD
// (the raw simulator's scene put through an exact Elixir imred: overscan, bias, flat, defringing,
// mask; written in the format of the real 1257365p.fits) goes through the CLI as a user runs it;
// the Exposure must equal the simulator's truth in electrons within the noise, with the SAT/BAD
// planes, and without overscan/bias/flat applied a second time (obs_cfht's isr config: the
// --bias/--flat given are not used, and a warning says so). The real OSSOS `p` cutouts go through
// the same reader and CLI.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Camera, type Exposure, FitsFile, readExposure } from "@skystack/afw";
import {
  type MegacamCcdTruth,
  megacamCamera,
  parseHeaderText,
  readMegacamRaw,
  simulateMegacamProcessed,
  writeMegacamMasters,
} from "@skystack/obs-cfht";
import { ARTEFACT } from "@skystack/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artefactCoverage, truthResiduals } from "./helpers/isr-truth.js";
import { fitsverify, HAVE_FITSVERIFY } from "./helpers/tools.js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "isr-pfile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const P = (n: string) => join(dir, n);
const ID = 0; // IMRED_SF = 1 in the real file: BSCALE 1, BZERO 32668
const ID2 = 27; // IMRED_SF = 1.068651438: BSCALE 1.07, BZERO 34961.18, SATURATE 69934
const PFILE = P("2000004p.fits.fz");
const CUTOUT = join(root, "test/data/real/cfht-megacam-ossos/cutout-1616687p.fits");

function skystack(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "scripts", "skystack-dev.ts"), ...args],
    {
      encoding: "utf8",
      cwd: root,
    },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let truth: MegacamCcdTruth;
let out: Exposure;
let run: { status: number; stdout: string; stderr: string };
let runTable: { status: number; stdout: string; stderr: string };
let run2: { status: number; stdout: string; stderr: string };
let truth2: MegacamCcdTruth;
const real = parseHeaderText(
  readFileSync(new URL("./data/real/cfht-megacam-headers/1257365p.fits.header", import.meta.url), "latin1"),
);

beforeAll(async () => {
  const cam36 = megacamCamera(36);
  const camera = new Camera("MegaCam", [cam36.get(ID), cam36.get(ID2)]);
  const truths = await simulateMegacamProcessed(PFILE, {
    camera,
    flatScale: (ccd) => real[ccd + 1]!.getNumber("IMRED_SF")!,
    visit: {
      expnum: 2000004,
      filter: "i.MP9702",
      exptime: 60,
      darktime: 61,
      mjdObs: 55503.25,
      ra: 214.88,
      dec: 52.66,
      airmass: 1.2,
    },
    seed: 11,
    keepTruth: [ID, ID2],
  });
  truth = truths.get(ID)!;
  truth2 = truths.get(ID2)!;
  await writeMegacamMasters({ camera, biasPath: P("bias.fits"), flatPath: P("flat.fits"), maskPath: P("mask.fits") });
  // the same defects as an ip_isr ECSV defect table (detector frame)
  writeFileSync(
    P("defects.ecsv"),
    [
      "# %ECSV 1.0",
      "# ---",
      "# datatype:",
      ...["x0", "y0", "width", "height"].map((n) => `# - {name: ${n}, datatype: int64}`),
      "# meta: !!omap",
      `# - {DETECTOR: ${ID}}`,
      "# schema: astropy-2.0",
      "x0 y0 width height",
      ...truth.defects.map((b) => `${b.min.x} ${b.min.y} ${b.width} ${b.height}`),
      "",
    ].join("\n"),
  );
  const common = ["isr", "--instrument", "megacam", "--raw", PFILE, "--ccd", String(ID)];
  run = skystack(
    "--log-level",
    "debug",
    ...common,
    "--bias",
    P("bias.fits"),
    "--flat",
    P("flat.fits"),
    "--defects",
    P("mask.fits"),
    "--out",
    P("p.fits"),
  );
  if (run.status === 0) out = (await readExposure(P("p.fits"))) as Exposure;
  runTable = skystack(...common, "--defects", P("defects.ecsv"), "--out", P("pTable.fits"));
  run2 = skystack(
    "isr",
    "--instrument",
    "megacam",
    "--raw",
    PFILE,
    "--ccd",
    String(ID2),
    "--defects",
    P("mask.fits"),
    "--out",
    P("p27.fits"),
  );
}, 300_000);

describe("simulated Elixir p MEF: the format of the real 1257365p.fits", () => {
  it.each([
    [ID, 1],
    [ID2, 2],
  ])(
    "ccd%i: RICE_1 int16 2112×4644 (overscan kept), BSCALE/BZERO/SATURATE of its IMRED_SF, AMPLIST A, IMRED_* cards; section/electrical cards as the real CCD",
    async (id, hduIndex) => {
      const f = await FitsFile.open(PFILE);
      const hdus = await f.hdus();
      await f.close();
      expect(hdus.length).toBe(3);
      const h = hdus[hduIndex]!.header;
      const r = real[id + 1]!;
      expect(h.get("EXTNAME")).toBe(r.get("EXTNAME"));
      expect(hdus[hduIndex]!.type).toBe("compressed-image");
      for (const k of [
        "ZBITPIX",
        "ZNAXIS1",
        "ZNAXIS2",
        "ZTILE1",
        "ZTILE2",
        "ZCMPTYPE",
        "BZERO",
        "BSCALE",
        "AMPLIST",
        "SATURATE",
        "MAXLIN",
        "IMRED_SF",
      ])
        expect([k, h.get(k)]).toEqual([k, r.get(k)]);
      for (const k of [
        "CCDSIZE",
        "DATASEC",
        "DETSEC",
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
      ])
        expect([k, h.get(k)]).toEqual([k, r.get(k)]);
      for (const k of [
        "GAIN",
        "GAINA",
        "GAINB",
        "RDNOISEA",
        "RDNOISEB",
        "CCDNAME",
        "MAXLINA",
        "MAXLINB",
        "IMRED_OP",
        "IMRED_OV",
        "IMRED_NF",
        "INHERIT",
      ])
        expect([k, h.get(k)]).toEqual([k, r.get(k)]);
      const imred = (x: typeof h) =>
        x
          .keys()
          .filter((k) => k.startsWith("IMRED_"))
          .sort();
      expect(imred(h)).toEqual(imred(r));
      expect(hdus[0]!.header.get("IMRED_OP")).toBe(real[0]!.get("IMRED_OP"));
      expect(hdus[0]!.header.get("FILENAME")).toBe("2000004p00");
    },
  );
  it.skipIf(!HAVE_FITSVERIFY)("passes fitsverify", () => {
    const v = fitsverify(PFILE);
    expect(v.errors, v.report).toBe(0);
  });
  it("reads through readMegacamRaw as one amplifier over DATASEC with the mean gain; overscan columns and bad pixels are 0 (Elixir mask)", async () => {
    const raw = await readMegacamRaw(PFILE, ID);
    expect(raw.cutout).toBe(false);
    const [a, ...rest] = raw.detector.amplifiers;
    expect(rest).toHaveLength(0);
    expect(a!.rawDataBBox.toString()).toBe("Box2I(minimum=(32, 0), maximum=(2079, 4611))");
    expect(a!.gain).toBe(raw.headers.ccd.get("GAIN"));
    expect(a!.saturation).toBe(65435);
    let nonzero = 0;
    for (let y = 0; y < 4644; y++) for (const x of [0, 31, 2080, 2111]) if (raw.image.get(x, y) !== 0) nonzero++;
    expect(nonzero).toBe(0);
    const b = truth.defects[0]!;
    expect(raw.image.get(b.min.x + 32, b.min.y)).toBe(0);
  });
});

describe("skystack isr on a simulated Elixir p file", () => {
  it("exits 0; --bias/--flat are not used, with one warning naming the file, IMRED_OP and the flags", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^warn(ing)?: isr: .*2000004p\.fits\.fz is Elixir-processed \(MASK_BP \+ OVERSCAN \+ BIAS \+ FLAT-FIELD\); --bias, --flat not used \(doBias, doFlat off\)$/m,
    );
    expect(run.stderr).toMatch(/^(info: )?isr: ccd00 -> .*p\.fits \(2048x4612, electrons; SAT \d+, BAD \d+, INTRP \d+ px\)$/m);
  });
  it("the resolved config has overscan, bias, dark, flat, fringe and linearity off (obs_cfht for p frames)", () => {
    const line = run.stderr.split("\n").find((l) => l.includes("isr config: "))!;
    const cfg = JSON.parse(line.slice(line.indexOf("isr config: ") + 12)) as Record<string, unknown>;
    expect([cfg.doOverscan, cfg.doBias, cfg.doDark, cfg.doFlat, cfg.doFringe, cfg.doLinearize]).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
  it("equals the truth in electrons within the noise: mean residual < 0.1 e, variance within 2%; the bias and flat were not applied again", () => {
    const sig = truth.signature;
    const G = truth.detector.amplifiers.reduce((s, a) => s + a.gain, 0) / 2;
    // regressions of the residual on what a second bias subtraction / flat division would leave
    let sb = 0;
    let bb = 0;
    let sf = 0;
    let ff = 0;
    const res = truthResiduals(out, truth, 1024, (i, r) => {
      const bias = -sig.biasPattern[i]! * G;
      const flat = truth.image[i]! * (1 / sig.flat[i]! - 1);
      sb += r * bias;
      bb += bias * bias;
      sf += r * flat;
      ff += flat * flat;
    });
    expect([out.width, out.height]).toEqual([2048, 4612]);
    expect(out.metadata.get("LSST ISR UNITS")).toBe("electron");
    expect(res.n).toBeGreaterThan(0.99 * 2048 * 4612);
    expect(Math.abs(res.mean)).toBeLessThan(0.1);
    expect(Math.abs(res.varianceRatio - 1)).toBeLessThan(0.02);
    expect(Math.abs(sb / bb)).toBeLessThan(0.05); // 1 if the bias had been subtracted again
    expect(Math.abs(sf / ff)).toBeLessThan(0.05); // 1 if the flat had been divided again
  });
  it("SAT covers every saturated pixel (written at SATURATE 65435), BAD the Elixir-masked columns; all interpolated", () => {
    const c = artefactCoverage(out, truth);
    expect(c.nSat).toBeGreaterThan(500);
    expect(c.nBad).toBeGreaterThan(400);
    expect(c.missed).toBe(0);
  });
  it("--defects as an ECSV defect table gives the same BAD plane as the Elixir mask", async () => {
    expect(runTable.status, runTable.stderr).toBe(0);
    const e = await readExposure(P("pTable.fits"));
    const BAD = out.mask.getPlaneBitMask("BAD");
    let differ = 0;
    let nBad = 0;
    for (let i = 0; i < e.mask.array.length; i++) {
      nBad += out.mask.array[i]! & BAD ? 1 : 0;
      if ((e.mask.array[i]! & BAD) !== (out.mask.array[i]! & BAD)) differ++;
    }
    expect(nBad).toBeGreaterThan(400);
    expect(differ).toBe(0);
  });
  it("--defects with a file that is neither a mask nor a table: exit 1, one line naming the file", () => {
    const r = skystack(
      "isr",
      "--instrument",
      "megacam",
      "--raw",
      PFILE,
      "--ccd",
      String(ID),
      "--defects",
      P("bias.fits"),
      "--out",
      P("x.fits"),
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/bias\.fits: not a defect table \(no table HDU\)/);
  });
});

describe("real Elixir p cutouts (OSSOS, single image HDU with the MegaCam cards)", () => {
  it("readMegacamRaw reads them as a cutout: one amplifier over the image, mean gain, filter and visit from the header", async () => {
    for (const [name, ccd, w, h, gain] of [
      ["cutout-1616687p.fits", 10, 251, 251, 1.645],
      ["cutout-1616690p.fits", 21, 251, 251, 1.55],
      ["cutout_1200_2400_1350_2300-1616681p.fits", 21, 151, 101, 1.55],
    ] as const) {
      const raw = await readMegacamRaw(join(root, "test/data/real/cfht-megacam-ossos", name), ccd);
      expect(raw.cutout).toBe(true);
      expect([raw.detector.name, raw.detector.bbox.width, raw.detector.bbox.height]).toEqual([`ccd${ccd}`, w, h]);
      expect(raw.detector.amplifiers.map((a) => [a.name, a.gain, a.readNoise])).toEqual([["A", gain, 4]]);
      expect(raw.filter?.physicalLabel).toBe("r.MP9601");
      expect(raw.observation.dataId.exposure).toBe(Number(/(\d+)p\.fits/.exec(name)![1]));
    }
  });
  it("skystack isr: image = ADU × GAIN, variance = image + RDNOISE² (no overscan/bias/flat); a CCD it is not: exit 1", async () => {
    const r = skystack("isr", "--instrument", "megacam", "--raw", CUTOUT, "--ccd", "10", "--out", P("cut.fits"));
    expect(r.status, r.stderr).toBe(0);
    const e = await readExposure(P("cut.fits"));
    const f = await FitsFile.open(CUTOUT);
    const img = await f.readImage(0);
    const gain = (await f.hdu(0)).header.getNumber("GAIN")!;
    const rn = (await f.hdu(0)).header.getNumber("RDNOISE")!;
    await f.close();
    expect([e.width, e.height]).toEqual([251, 251]);
    let worst = 0;
    let worstVar = 0;
    for (let i = 0; i < 251 * 251; i++) {
      if (e.mask.array[i]) continue;
      const want = Math.fround(Number(img.data[i]) * gain);
      worst = Math.max(worst, Math.abs(e.image.array[i]! - want) / want);
      worstVar = Math.max(worstVar, Math.abs(e.variance.array[i]! - (Math.max(want, 0) + rn * rn)) / want);
    }
    expect(worst).toBeLessThan(1e-6);
    expect(worstVar).toBeLessThan(1e-6);
    const bad = skystack("isr", "--instrument", "megacam", "--raw", CUTOUT, "--ccd", "21", "--out", P("x.fits"));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/cutout-1616687p\.fits.*ccd21/);
  });
});

describe("a p CCD with IMRED_SF ≠ 1 (BSCALE 1.07)", () => {
  it("skystack isr gives electrons (ADU × GAIN, the gain cards being divided by IMRED_SF) within the noise, variance within 2%, SAT at the scaled SATURATE", async () => {
    expect(run2.status, run2.stderr).toBe(0);
    expect(run2.stderr).not.toMatch(/warn/);
    const e = await readExposure(P("p27.fits"));
    const SAT = e.mask.getPlaneBitMask("SAT");
    let s = 0;
    let n = 0;
    let nSat = 0;
    let missed = 0;
    let vs = 0;
    let tv = 0;
    for (let i = 0; i < e.image.array.length; i++) {
      if (truth2.artefacts[i]! & ARTEFACT.SATURATED) {
        nSat++;
        if (!(e.mask.array[i]! & SAT)) missed++;
      }
      if (e.mask.array[i] || truth2.artefacts[i]) continue;
      s += e.image.array[i]! - truth2.image[i]!;
      vs += e.variance.array[i]!;
      tv += truth2.variance[i]!;
      n++;
    }
    expect(Math.abs(vs / tv - 1)).toBeLessThan(0.02);
    expect(n).toBeGreaterThan(0.99 * 2048 * 4612);
    expect(Math.abs(s / n)).toBeLessThan(0.1);
    expect(nSat).toBeGreaterThan(100);
    expect(missed).toBe(0);
  });
});
