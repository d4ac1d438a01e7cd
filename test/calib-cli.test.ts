// `skystack calib` end to end, the loop an instrument team runs: simulated raw biases and lamp
// flats (full-size MegaCam CCD, RICE MEFs) → master bias and flat through the CLI → `skystack isr`
// of a science raw with those masters → the simulator's truth. Checks the masters against the
// simulator's instrument signature (noise down by √N), their MEF layout, and the ISR output
// against the issue-6 tolerances.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Camera, type Exposure, FitsFile, readExposure } from "@skystack/afw";
import { meanStd } from "@skystack/isr";
import {
  type MegacamCcdTruth,
  megacamCamera,
  signatureDefects,
  simulateMegacamRaw,
  writeMegacamMasters,
} from "@skystack/obs-cfht";
import { makeSignature } from "@skystack/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { truthResiduals } from "./helpers/isr-truth.js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "calib-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const P = (n: string) => join(dir, n);
const ID = 27;
const N = 5;
const FLAT_LEVEL = 20000;
const det = megacamCamera(36).get(ID);
const camera = new Camera("MegaCam", [det]);
const sig = makeSignature(det); // the signature every simulated frame of this CCD carries
const W = 2048;
const H = 4612;

function skystack(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "scripts", "skystack-dev.ts"), ...args],
    { encoding: "utf8", cwd: root },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const visit = (expnum: number, kind: "BIAS" | "FLAT" | "OBJECT") => ({
  expnum,
  filter: kind === "BIAS" ? "filter_name" : "r.MP9601",
  exptime: kind === "BIAS" ? 0 : kind === "FLAT" ? 5 : 60,
  // dark current is 0.001 e⁻/s: with 1 s of dark time it is negligible, so no master dark is needed
  darktime: kind === "BIAS" ? 0 : kind === "FLAT" ? 5 : 1,
  mjdObs: 55503 + expnum / 1e7,
  ra: 214.88,
  dec: 52.66,
  obstype: kind,
});

let truth: MegacamCcdTruth;
let biasRun: ReturnType<typeof skystack>;
let flatRun: ReturnType<typeof skystack>;
let isrRun: ReturnType<typeof skystack>;
let out: Exposure;

beforeAll(async () => {
  const biases: string[] = [];
  const flats: string[] = [];
  for (let k = 0; k < N; k++) {
    const b = P(`${3100000 + k}o.fits.fz`);
    await simulateMegacamRaw(b, { camera, visit: visit(3100000 + k, "BIAS"), seed: 11, bias: true });
    biases.push(b);
    const f = P(`${3100100 + k}o.fits.fz`);
    await simulateMegacamRaw(f, { camera, visit: visit(3100100 + k, "FLAT"), seed: 11, flatLevel: FLAT_LEVEL });
    flats.push(f);
  }
  const sci = P("3100200o.fits.fz");
  truth = (await simulateMegacamRaw(sci, { camera, visit: visit(3100200, "OBJECT"), seed: 11, keepTruth: [ID] })).get(ID)!;
  // the CCD's bad columns as an Elixir mask (what an instrument team has for its camera)
  await writeMegacamMasters({ camera, maskPath: P("mask.fits") });
  const common = ["--instrument", "megacam", "--ccd", "all"];
  biasRun = skystack("calib", "bias", ...common, "--out", P("master-bias.fits"), ...biases);
  flatRun = skystack("calib", "flat", ...common, "--bias", P("master-bias.fits"), "--out", P("master-flat.fits"), ...flats);
  isrRun = skystack(
    "isr",
    "--instrument",
    "megacam",
    "--raw",
    sci,
    "--ccd",
    String(ID),
    "--bias",
    P("master-bias.fits"),
    "--flat",
    P("master-flat.fits"),
    "--defects",
    P("mask.fits"),
    "--out",
    P("postISR.fits"),
  );
  if (isrRun.status === 0) out = (await readExposure(P("postISR.fits"))) as Exposure;
}, 600_000);

async function readCcd(path: string): Promise<{ data: Float32Array; header: Map<string, unknown>; hdus: string[] }> {
  const f = await FitsFile.open(path);
  try {
    const hdus = (await f.hdus()).map((h) => String(h.header.get("EXTNAME") ?? ""));
    const hdu = await f.hdu(`ccd${ID}`);
    const img = await f.readImage(hdu.index);
    const header = new Map<string, unknown>(hdu.header.keys().map((k) => [k, hdu.header.get(k)]));
    return { data: img.data as Float32Array, header, hdus };
  } finally {
    await f.close();
  }
}

const bad = new Uint8Array(W * H);
for (const b of signatureDefects(sig)) for (let y = b.min.y; y <= b.max.y; y++) bad[y * W + b.min.x] = 1;

/** σ of (a − model) over good pixels. */
function residualSigma(a: Float32Array, model: (i: number) => number): number {
  const r = new Float64Array(a.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!bad[i]) r[n++] = a[i]! - model(i);
  return meanStd(r, n).stdev;
}

describe("skystack calib → skystack isr on simulated MegaCam frames", () => {
  it("both calib commands exit 0 and report the CCD, frame count and rejections", () => {
    expect(biasRun.status, biasRun.stderr).toBe(0);
    expect(biasRun.stderr).toMatch(/^calib bias: ccd27 from 5 frames \(MEANCLIP 3 sigma; \d+ px rejected\)$/m);
    expect(flatRun.status, flatRun.stderr).toBe(0);
    expect(flatRun.stderr).toMatch(/^calib flat: wrote .*master-flat\.fits \(1 CCD\)$/m);
    // the work directory of the intermediate frames is gone
    expect(readdirSync(dir).filter((n) => n.includes(".work-"))).toEqual([]);
  });
  it("master bias: the MEF layout isr reads, ADU, and the bias structure with noise down by √N", async () => {
    const m = await readCcd(P("master-bias.fits"));
    expect(m.hdus).toEqual(["", "ccd27", "ISR_CONFIG"]);
    expect([m.header.get("BUNIT"), m.header.get("NCOMBINE"), m.header.get("NAXIS1"), m.header.get("NAXIS2")]).toEqual([
      "adu",
      N,
      W,
      H,
    ]);
    // read noise per amplifier in ADU (A: x < 1024), from the camera
    const [a, b] = det.amplifiers;
    const expected = Math.sqrt(((a!.readNoise / a!.gain) ** 2 + (b!.readNoise / b!.gain) ** 2) / 2 / N);
    const got = residualSigma(m.data, (i) => sig.biasPattern[i]!);
    // per-row overscan fits add a little; clipping costs ~1%: within 10% of σ_read/√N
    console.info(`master bias: residual σ ${got.toFixed(4)} ADU = ${(got / expected).toFixed(3)} × σ_read/√${N}`);
    expect(Math.abs(got / expected - 1)).toBeLessThan(0.1);
  });
  it("master flat: mean 1, the true flat shape, noise 1/√(N·level)", async () => {
    const m = await readCcd(P("master-flat.fits"));
    expect(m.hdus).toEqual(["", "ccd27", "ISR_CONFIG"]);
    const mean = meanStd(m.data).mean;
    expect(Math.abs(mean - 1)).toBeLessThan(2e-3);
    const got = residualSigma(m.data, (i) => sig.flat[i]! * mean);
    console.info(
      `master flat: mean ${mean.toFixed(5)}, residual σ ${(got / Math.sqrt(1 / (N * FLAT_LEVEL))).toFixed(3)} × 1/√(N·level)`,
    );
    expect(Math.abs(got / Math.sqrt(1 / (N * FLAT_LEVEL)) - 1)).toBeLessThan(0.1);
  });
  it("ISR with the CLI-made masters equals the truth: mean residual and amplifier step < 0.1 e", () => {
    expect(isrRun.status, isrRun.stderr).toBe(0);
    const r = truthResiduals(out, truth);
    console.info(`isr with CLI masters: mean residual ${r.mean.toFixed(4)} e, amp step ${(r.amps[0] - r.amps[1]).toFixed(4)} e`);
    expect(r.n).toBeGreaterThan(0.98 * W * H);
    expect(Math.abs(r.mean)).toBeLessThan(0.1);
    expect(Math.abs(r.amps[0] - r.amps[1])).toBeLessThan(0.1);
  });
});

describe("skystack calib bad input", () => {
  it("no type, a bias made with --bias, no raws, a bad --ccd: exit 2 with one line", () => {
    const cases: [string[], RegExp][] = [
      [["calib", "--instrument", "megacam", "--ccd", "1", "--out", P("x.fits")], /first argument must be bias, dark or flat/],
      [
        ["calib", "bias", "--instrument", "megacam", "--ccd", "1", "--bias", "b.fits", "--out", P("x.fits"), "r.fits"],
        /no --bias/,
      ],
      [["calib", "flat", "--instrument", "megacam", "--ccd", "1", "--out", P("x.fits")], /no raw files given/],
      [["calib", "flat", "--instrument", "megacam", "--ccd", "1;2", "--out", P("x.fits"), "r.fits"], /--ccd must be CCD numbers/],
      [
        ["calib", "flat", "--instrument", "megacam", "--ccd", "1", "--method", "mode", "--out", P("x.fits"), "r.fits"],
        /--method/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = skystack(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    }
  });
  it("a raw without the CCD: exit 1 naming the file, and no master is left behind", () => {
    const r = skystack("calib", "bias", "--instrument", "megacam", "--ccd", "5", "--out", P("never.fits"), P("3100000o.fits.fz"));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/3100000o\.fits\.fz.*ccd05/);
    expect(readdirSync(dir).filter((n) => n.includes("never"))).toEqual([]);
  });
});
