// `skystack isr` end to end (DESIGN.md CLI contract): a simulated full-size MegaCam raw CCD (RICE
// MEF) with MEF master calibrations goes through the CLI as a user runs it; the written Exposure
// is compared with the simulator's noiseless truth (issue 6 tolerances), and bad input gives exit
// 2 (usage/config) or 1 (no such CCD) with a one-line reason.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Camera, type Exposure, FitsFile, FitsWriter, readExposure } from "@skystack/afw";
import { type MegacamCcdTruth, megacamCamera, simulateMegacamRaw, writeMegacamMasters } from "@skystack/obs-cfht";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artefactCoverage, truthResiduals } from "./helpers/isr-truth.js";
import { HAVE_ASTROPY, PYTHON } from "./helpers/tools.js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "isr-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const P = (n: string) => join(dir, n);
const ID = 27;
const RAW = P("2000002o.fits.fz");

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

const calibArgs = () => [
  "--bias",
  P("bias.fits"),
  "--dark",
  P("dark.fits"),
  "--flat",
  P("flat.fits"),
  "--fringe",
  P("fringe.fits"),
  "--defects",
  P("mask.fits"),
];

let truth: MegacamCcdTruth;
let out: Exposure;
let run: { status: number; stdout: string; stderr: string };

beforeAll(async () => {
  const camera = new Camera("MegaCam", [megacamCamera(36).get(ID)]);
  const truths = await simulateMegacamRaw(RAW, {
    camera,
    visit: {
      expnum: 2000002,
      filter: "i.MP9702",
      exptime: 60,
      darktime: 61,
      mjdObs: 55503.25,
      ra: 214.88,
      dec: 52.66,
      airmass: 1.2,
    },
    seed: 11,
    keepTruth: [ID],
  });
  truth = truths.get(ID)!;
  await writeMegacamMasters({
    camera,
    biasPath: P("bias.fits"),
    flatPath: P("flat.fits"),
    darkPath: P("dark.fits"),
    fringePath: P("fringe.fits"),
    maskPath: P("mask.fits"),
  });
  run = skystack("isr", "--instrument", "megacam", "--raw", RAW, "--ccd", String(ID), ...calibArgs(), "--out", P("postISR.fits"));
  if (run.status === 0) out = (await readExposure(P("postISR.fits"))) as Exposure;
}, 300_000);

describe("skystack isr on a simulated MegaCam raw", () => {
  it("exits 0 and reports the CCD, the output and the fringe fit (obs-cfht: fringe on in i)", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^isr: ccd27 -> .*postISR\.fits \(2048x4612, electrons; SAT \d+, BAD \d+, INTRP \d+ px, fringe amplitude [\d.]+\)$/m,
    );
  });
  it("writes the assembled, trimmed CCD in electrons with SAT/BAD/INTRP planes and its detector/filter", () => {
    expect([out.width, out.height]).toEqual([2048, 4612]);
    expect(out.metadata.get("LSST ISR UNITS")).toBe("electron");
    for (const p of ["SAT", "BAD", "INTRP", "EDGE", "SUSPECT"]) expect(out.mask.getPlaneBitMask(p)).toBeGreaterThan(0);
    expect(out.filter?.physicalLabel).toBe("i.MP9702");
  });
  it("equals the noiseless truth within the noise: mean residual and amplifier step < 0.1 e, variance within 2%", () => {
    const r = truthResiduals(out, truth);
    expect(r.n).toBeGreaterThan(0.99 * 2048 * 4612);
    expect(Math.abs(r.mean)).toBeLessThan(0.1);
    expect(Math.abs(r.amps[0] - r.amps[1])).toBeLessThan(0.1);
    expect(Math.abs(r.varianceRatio - 1)).toBeLessThan(0.02);
  });
  it("SAT and BAD cover the planted saturation/bleed trails and bad columns, all interpolated", () => {
    const c = artefactCoverage(out, truth);
    expect(c.nSat).toBeGreaterThan(500);
    expect(c.nBad).toBeGreaterThan(400);
    expect(c.missed).toBe(0);
  });
});

describe("skystack isr config overrides", () => {
  it("--config FILE then -c apply on top of the instrument defaults (fringe off, then EDGE border)", async () => {
    writeFileSync(P("isr.yaml"), "doFringe: false\nedgeMaskWidth: 2\n");
    const r = skystack(
      "isr",
      "--instrument",
      "megacam",
      "--raw",
      RAW,
      "--ccd",
      String(ID),
      ...calibArgs(),
      "--config",
      P("isr.yaml"),
      "-c",
      "edgeMaskWidth=3",
      "--out",
      P("noFringe.fits"),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^isr: ccd27 -> /m);
    expect(r.stderr).not.toMatch(/fringe amplitude/);
    const e = await readExposure(P("noFringe.fits"));
    const EDGE = e.mask.getPlaneBitMask("EDGE");
    expect([0, 1, 2].map((x) => e.mask.get(x, 2000) & EDGE)).toEqual([EDGE, EDGE, EDGE]);
    expect(e.mask.get(3, 2000) & EDGE).toBe(0);
    expect(out.mask.get(0, 2000) & EDGE).toBe(0); // default: no edge mask
    // the resolved config is recorded in the output: defaults, then MegaCam, then --config, then -c
    const f = await FitsFile.open(P("noFringe.fits"));
    const t = await f.readTable("ISR_CONFIG");
    await f.close();
    const values = t.column("VALUE").data as string[];
    const cfg = new Map((t.column("FIELD").data as string[]).map((k, i) => [k, JSON.parse(values[i]!)]));
    expect(cfg.get("doFringe")).toBe(false);
    expect(cfg.get("edgeMaskWidth")).toBe(3);
    expect(cfg.get("overscan.fitType")).toBe("POLY");
    expect(cfg.get("overscan.order")).toBe(3);
    expect(cfg.get("doBias")).toBe(true);
    const image = (await FitsFile.open(P("noFringe.fits"))) as FitsFile;
    expect((await image.hdu("IMAGE")).header.get("BUNIT")).toBe("electron");
    await image.close();
    if (HAVE_ASTROPY) {
      const py = spawnSync(
        PYTHON,
        [
          "-c",
          "import sys; from astropy.table import Table; t = Table.read(sys.argv[1], hdu='ISR_CONFIG'); print(dict(zip([k.strip() for k in t['FIELD']], t['VALUE']))['edgeMaskWidth'])",
          P("noFringe.fits"),
        ],
        { encoding: "utf8" },
      );
      expect(py.stdout.trim(), py.stderr).toBe("3");
    }
  });
});

describe("skystack isr bad input", () => {
  const oneLine = (stderr: string) => stderr.trim().split("\n");
  it("missing --raw: exit 2, one line naming the flag", () => {
    const r = skystack("isr", "--instrument", "megacam", "--ccd", "27", "--out", P("x.fits"));
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toEqual(["error: isr: --raw is required"]);
  });
  it("a CCD the file does not have: exit 1, one line naming the file and the extension", () => {
    const r = skystack("isr", "--instrument", "megacam", "--raw", RAW, "--ccd", "5", "--out", P("x.fits"));
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/2000002o\.fits\.fz.*ccd05/);
  });
  it("a non-numeric --ccd and an unknown instrument: exit 2", () => {
    expect(skystack("isr", "--instrument", "megacam", "--raw", RAW, "--ccd", "x1", "--out", P("x.fits")).stderr).toMatch(
      /--ccd must be a CCD number, got 'x1'/,
    );
    const r = skystack("isr", "--instrument", "hsc", "--raw", RAW, "--ccd", "1", "--out", P("x.fits"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown --instrument 'hsc'/);
  });
  it("a calibration of the wrong size: exit 1, one line naming the flag, the file and both sizes", async () => {
    const w = await FitsWriter.create(P("small-flat.fits"));
    await w.writeImage(new Float32Array(100 * 50).fill(1), [100, 50]);
    await w.close();
    const r = skystack(
      "isr",
      "--instrument",
      "megacam",
      "--raw",
      RAW,
      "--ccd",
      String(ID),
      "--flat",
      P("small-flat.fits"),
      "--out",
      P("x.fits"),
    );
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /--flat .*small-flat\.fits \(ccd 27\) is 100x50; expected the detector 2048x4612 or the raw frame 2112x4644/,
    );
  });
  it("an invalid -c override: exit 2, one line naming the config field", () => {
    const r = skystack(
      "isr",
      "--instrument",
      "megacam",
      "--raw",
      RAW,
      "--ccd",
      String(ID),
      "-c",
      "overscan.numSigmaClip=-1",
      "--out",
      P("x.fits"),
    );
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/overscan\.numSigmaClip/);
  });
});
