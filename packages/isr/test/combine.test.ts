import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile, FitsWriter, Image } from "@skystack/afw";
import { afterAll, describe, expect, it } from "vitest";
import { combineFrames, fitsBandInput, imageBandInput, meanStd } from "../src/index.js";
import { gaussian } from "./helpers.js";

const W = 300;
const H = 250;
function frame(seed: number, level: number, sigma: number, pattern: Float32Array): Image<Float32Array> {
  const g = gaussian(seed);
  const im = Image.make(W, H, "float32");
  for (let i = 0; i < W * H; i++) im.array[i] = level + pattern[i]! + sigma * g();
  return im;
}
const pattern = Float32Array.from({ length: W * H }, (_, i) => 3 * Math.sin(i / 97));
const dir = mkdtempSync(join(tmpdir(), "isr-combine-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("combineFrames", () => {
  it("MEANCLIP of 10 frames: noise down by √10 within 5%; a planted outlier frame is clipped", async () => {
    const frames = Array.from({ length: 10 }, (_, k) => frame(100 + k, 1000, 5, pattern));
    const bad = frame(999, 1000, 5, pattern).add(500);
    const r = await combineFrames([...frames.map((f, k) => imageBandInput(f, `f${k}`)), imageBandInput(bad, "outlier")], W, H, {
      bandRows: 37,
    });
    const resid = Float32Array.from(r.image.array, (v, i) => v - 1000 - pattern[i]!);
    const { mean, stdev } = meanStd(resid);
    // 10 good frames (the outlier rejected everywhere): σ/√10, plus the 3σ-clipping loss (~1.3%)
    expect(Math.abs(stdev / (5 / Math.sqrt(10)) - 1)).toBeLessThan(0.05);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(r.rejectedPerInput[10]).toBe(W * H);
    expect(Math.max(...r.rejectedPerInput.slice(0, 10))).toBeLessThan(0.01 * W * H);
    // the plain MEAN is pulled by the outlier: 500/11
    const m = await combineFrames([...frames.map((f, k) => imageBandInput(f, `f${k}`)), imageBandInput(bad, "outlier")], W, H, {
      method: "MEAN",
    });
    expect(meanStd(Float32Array.from(m.image.array, (v, i) => v - 1000 - pattern[i]!)).mean).toBeCloseTo(500 / 11, 0);
  });
  it("LOCAL σ (default) loses less than PIXEL σ when clipping 10 frames", async () => {
    const frames = Array.from({ length: 10 }, (_, k) => frame(300 + k, 1000, 5, pattern));
    const sd = async (sigmaEstimate: "LOCAL" | "PIXEL") => {
      const r = await combineFrames(
        frames.map((f, k) => imageBandInput(f, `f${k}`)),
        W,
        H,
        { sigmaEstimate },
      );
      return meanStd(Float32Array.from(r.image.array, (v, i) => v - 1000 - pattern[i]!)).stdev / (5 / Math.sqrt(10));
    };
    const local = await sd("LOCAL");
    const pixel = await sd("PIXEL");
    expect(local).toBeLessThan(1.03);
    expect(pixel).toBeGreaterThan(local);
  });
  it("streams FITS files band by band and scales flats by their own level", async () => {
    const paths: string[] = [];
    for (let k = 0; k < 5; k++) {
      const p = join(dir, `flat${k}.fits`);
      const w = await FitsWriter.create(p);
      const f = frame(200 + k, 0, 0, pattern).add(0);
      for (let i = 0; i < W * H; i++) f.array[i] = (5000 + 1000 * k) * (1 + 0.01 * Math.sin(i / 50));
      await w.writeImage(f.array, [W, H]);
      await w.close();
      paths.push(p);
    }
    const files = await Promise.all(paths.map((p) => FitsFile.open(p)));
    const r = await combineFrames(
      files.map((f) => fitsBandInput(f, 0, W)),
      W,
      H,
      { scaling: "MEAN", bandRows: 64 },
    );
    for (const f of files) await f.close();
    for (const i of [0, 777, W * H - 1]) expect(r.image.array[i]! / (1 + 0.01 * Math.sin(i / 50))).toBeCloseTo(1, 3);
    expect(r.scales[4]! / r.scales[0]!).toBeCloseTo(9000 / 5000, 6);
  });
});
