// Master bias and flat from 10 simulated full-size MegaCam frames each, ISR'd (overscan, and bias
// for the flats), written to FITS, then combined band by band from the files (cp_pipe-style
// MEANCLIP): the noise drops by √10 within 5% and a planted outlier frame is clipped.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Camera, FitsFile, FitsWriter } from "@skystack/afw";
import { combineFrames, fitsBandInput, meanStd, runIsr } from "@skystack/isr";
import { megacamCamera, readMegacamRaw, signatureDefects, simulateMegacamRaw } from "@skystack/obs-cfht";
import { makeSignature } from "@skystack/sim";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "isr-masters-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const det = megacamCamera(36).get(27);
const camera = new Camera("MegaCam", [det]);
const sig = makeSignature(det);
const W = 2048;
const H = 4612;

/** Simulates frame k, runs ISR (overscan; bias for flats), writes it; returns its path. */
async function frame(k: number, kind: "bias" | "flat", extra: { flatLevel?: number } = {}): Promise<string> {
  const isBias = kind === "bias" && extra.flatLevel === undefined;
  const raw = join(dir, `${kind}${k}.fits.fz`);
  const visit = {
    expnum: 3000000 + k + (kind === "flat" ? 100 : 0),
    filter: kind === "flat" ? "r.MP9601" : "filter_name",
    exptime: kind === "flat" ? 5 : 0,
    darktime: 0,
    mjdObs: 55503 + k / 100,
    ra: 0,
    dec: 0,
    obstype: kind.toUpperCase(),
  };
  await simulateMegacamRaw(raw, {
    camera,
    visit,
    seed: 11,
    ...(isBias ? { bias: true } : {}),
    ...(extra.flatLevel !== undefined ? { flatLevel: extra.flatLevel } : {}),
  });
  const r = await readMegacamRaw(raw, 27);
  const opts = { overscan: { fitType: "POLY" as const, order: 3 }, doInterpolate: false, doFringe: false, doDefect: false };
  const isr =
    kind === "bias"
      ? runIsr(r, {}, { ...opts, doApplyGains: false, doVariance: false })
      : runIsr(
          r,
          { bias: sig.biasPattern.length ? new (await import("@skystack/afw")).Image(sig.biasPattern, W, H) : null },
          opts,
        );
  const out = join(dir, `${kind}${k}.fits`);
  const w = await FitsWriter.create(out);
  await w.writeImage(isr.exposure.image.array, [W, H]);
  await w.close();
  rmSync(raw);
  return out;
}

/** σ of (image − model) over good pixels (bad columns excluded), sampled. */
function residualSigma(a: Float32Array, model: (i: number) => number, bad: Uint8Array): number {
  const r = new Float64Array(Math.ceil(a.length / 3));
  let n = 0;
  for (let i = 0; i < a.length; i += 3) if (!bad[i]) r[n++] = a[i]! - model(i);
  return meanStd(r, n).stdev;
}

const bad = new Uint8Array(W * H);
for (const b of signatureDefects(sig)) for (let y = b.min.y; y <= b.max.y; y++) bad[y * W + b.min.x] = 1;

async function readAll(p: string): Promise<Float32Array> {
  const f = await FitsFile.open(p);
  const d = (await f.readImage(0)).data as Float32Array;
  await f.close();
  return d;
}

describe("master calibrations from 10 simulated MegaCam frames", () => {
  it("master bias: noise down by √10 within 5%; an outlier frame (light leak) is clipped", async () => {
    const paths: string[] = [];
    for (let k = 0; k < 10; k++) paths.push(await frame(k, "bias"));
    paths.push(await frame(99, "bias", { flatLevel: 400 }));
    const files = await Promise.all(paths.map((p) => FitsFile.open(p)));
    const res = await combineFrames(
      files.map((f) => fitsBandInput(f, 0, W)),
      W,
      H,
      { bandRows: 200 },
    );
    for (const f of files) await f.close();
    const single = residualSigma(await readAll(paths[0]!), (i) => sig.biasPattern[i]!, bad);
    const master = residualSigma(res.image.array, (i) => sig.biasPattern[i]!, bad);
    // MEANCLIP at 3σ of 10 Gaussian values loses ~1.3% efficiency: allow the 5% band around √10
    expect(Math.abs(single / master / Math.sqrt(10) - 1)).toBeLessThan(0.05);
    expect(res.rejectedPerInput[10]!).toBeGreaterThan(0.99 * W * H);
    expect(Math.max(...res.rejectedPerInput.slice(0, 10))).toBeLessThan(0.01 * W * H);
  }, 300_000);
  it("master flat (inputs scaled by their mean): noise down by √10 within 5%, shape = the true flat", async () => {
    const paths: string[] = [];
    for (let k = 0; k < 10; k++) paths.push(await frame(k, "flat", { flatLevel: 20000 }));
    const files = await Promise.all(paths.map((p) => FitsFile.open(p)));
    const res = await combineFrames(
      files.map((f) => fitsBandInput(f, 0, W)),
      W,
      H,
      { bandRows: 200, scaling: "MEAN" },
    );
    for (const f of files) await f.close();
    const first = await readAll(paths[0]!);
    const m0 = meanStd(first).mean;
    const mm = meanStd(res.image.array).mean;
    const single = residualSigma(first, (i) => sig.flat[i]! * m0, bad) / m0;
    const master = residualSigma(res.image.array, (i) => sig.flat[i]! * mm, bad) / mm;
    // single-frame noise of a 20000 e⁻ flat: 1/√20000 = 0.71% (read noise adds 0.05%)
    expect(Math.abs(single / Math.sqrt(1 / 20000) - 1)).toBeLessThan(0.03);
    expect(Math.abs(single / master / Math.sqrt(10) - 1)).toBeLessThan(0.05);
    // each input scaled by its own mean: the master is the flat shape times the first scale
    expect(res.scales.every((s) => Math.abs(s / 20000 - 1) < 0.01)).toBe(true);
  }, 300_000);
});
