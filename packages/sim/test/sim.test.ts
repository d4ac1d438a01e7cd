import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Amplifier, Box2I, Detector, FitsFile, Point2D } from "@skystack/afw";
import { afterAll, describe, expect, it } from "vitest";
import {
  ARTEFACT,
  addPointSource,
  biasLevelAt,
  makeRawFrame,
  makeScene,
  makeSignature,
  profile,
  Rng,
  renderTruth,
  SimTanWcs,
  truthRows,
  writeReferenceCatalog,
  writeTruthCatalog,
} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "sim-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function detector(w = 200, h = 300): Detector {
  const amp = (name: string, x0: number, rx0: number, os: number, flip: boolean) =>
    new Amplifier({
      name,
      bbox: Box2I.fromXYWH(x0, 0, w / 2, h),
      gain: name === "A" ? 1.5 : 2,
      readNoise: name === "A" ? 4 : 6,
      saturation: 65535,
      rawBBox: Box2I.fromXYWH(Math.min(rx0, os), 0, w / 2 + 10, h + 5),
      rawDataBBox: Box2I.fromXYWH(rx0, 0, w / 2, h),
      rawHorizontalOverscanBBox: Box2I.fromXYWH(os, 0, 10, h),
      rawVerticalOverscanBBox: Box2I.fromXYWH(rx0, h, w / 2, 5),
      readoutCorner: name === "A" ? "LL" : "LR",
      rawFlipX: flip,
    });
  return new Detector({
    name: "ccd07",
    id: 7,
    bbox: Box2I.fromXYWH(0, 0, w, h),
    amplifiers: [amp("A", 0, 10, 0, false), amp("B", w / 2, w / 2 + 10, w + 10, true)],
    placement: { origin: new Point2D(-10, 5), pixelSize: 0.0135, flipX: false, flipY: false },
  });
}

describe("Rng", () => {
  it("is deterministic and has the right moments (normal, Poisson small and large λ)", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let i = 0; i < 100; i++) expect(a.nextUint32()).toBe(b.nextUint32());
    const r = new Rng(1);
    const n = 200_000;
    for (const [f, mean, v] of [
      [() => r.normal(), 0, 1],
      [() => r.poisson(5), 5, 5],
      [() => r.poisson(1000), 1000, 1000],
    ] as const) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = f();
        s += x;
        s2 += x * x;
      }
      const m = s / n;
      expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(v / n));
      expect(Math.abs((s2 / n - m * m) / v - 1)).toBeLessThan(0.02);
    }
  });
});

describe("PSF rendering", () => {
  it.each(["MOFFAT", "DOUBLE_GAUSSIAN"] as const)(
    "%s: flux conserved and the FWHM measured on the image is the requested one",
    (kind) => {
      const W = 101;
      const img = new Float32Array(W * W);
      const added = addPointSource(img, W, W, 50, 50, 1e5, profile({ kind, fwhm: 6 }, 6), 40);
      expect(added).toBeCloseTo(1e5, 0);
      const peak = img[50 * W + 50]!;
      let x = 50;
      while (img[50 * W + x + 1]! > peak / 2) x++;
      const a = img[50 * W + x]!;
      const b = img[50 * W + x + 1]!;
      const half = x + (a - peak / 2) / (a - b) - 50;
      // pixel-integrated (3×3 sampled) profile: FWHM within 5%
      expect(Math.abs((2 * half) / 6 - 1)).toBeLessThan(0.05);
    },
  );
});

describe("scene, truth and raw frame", () => {
  const det = detector();
  const scene = makeScene(200, 300, new Rng(3), { nStars: 30, nGalaxies: 10, nSaturatedStars: 0, nCosmicRays: 5, sky: 100 });
  const { image: truth, fluxOnChip } = renderTruth(scene, { psf: { kind: "MOFFAT", fwhm: 3 } });
  it("truth = sky + the sources' on-chip flux + trail", () => {
    let s = 0;
    for (const v of truth) s += v - 100;
    let f = 0;
    for (const v of fluxOnChip.values()) f += v;
    const trail = scene.trails.reduce((t, tr) => t + tr.brightness * 200 * Math.sqrt(1 + tr.slope * tr.slope), 0);
    expect(Math.abs(s - f - trail) / (f + trail)).toBeLessThan(0.02);
  });
  it("is deterministic for a seed and differs for another", () => {
    const sig = makeSignature(det, { seed: 5 });
    const r1 = makeRawFrame(sig, truth, scene, new Rng(9), { exposureTime: 60, darkTime: 60 });
    const r2 = makeRawFrame(makeSignature(det, { seed: 5 }), truth, scene, new Rng(9), { exposureTime: 60, darkTime: 60 });
    const r3 = makeRawFrame(sig, truth, scene, new Rng(10), { exposureTime: 60, darkTime: 60 });
    expect(Buffer.from(r1.raw.buffer).equals(Buffer.from(r2.raw.buffer))).toBe(true);
    expect(Buffer.from(r1.raw.buffer).equals(Buffer.from(r3.raw.buffer))).toBe(false);
  });
  it("noiseless raw: overscan = bias level(y); data = signal·flat/gain + level + pattern, placed with flips", () => {
    const sig = makeSignature(det, { seed: 5, nBadColumns: 0 });
    const r = makeRawFrame(sig, truth, null, new Rng(1), { exposureTime: 60, darkTime: 0, noise: false });
    const H = r.rawHeight;
    expect([r.rawWidth, H]).toEqual([220, 305]);
    expect(r.raw[7 * 220 + 3]).toBe(Math.round(biasLevelAt(sig, 0, 7, H)));
    expect(r.raw[300 * 220 + 150]).toBe(Math.round(biasLevelAt(sig, 1, 300, H))); // parallel overscan of B
    expect(r.raw[299 * 220 + 215]).toBe(Math.round(biasLevelAt(sig, 1, 299, H))); // serial overscan of B
    // detector pixel (x=150, y=20) is in amp B (gain 2), raw x = 110 + (199 - 150) (flipped)
    const i = 20 * 200 + 150;
    expect(r.raw[20 * 220 + 110 + 49]).toBe(
      Math.round((truth[i]! * sig.flat[i]!) / 2 + biasLevelAt(sig, 1, 20, H) + sig.biasPattern[i]!),
    );
    expect(Math.abs(r.truthVariance[i]! - (truth[i]! * sig.flat[i]! + 36) / sig.flat[i]! ** 2)).toBeLessThan(1e-2);
  });
  it("bleeding conserves charge along the column and saturates at the full well", () => {
    const sig = makeSignature(det, { seed: 5, nBadColumns: 0, fringes: false, fullWell: 50000 });
    const t = new Float32Array(200 * 300);
    t[150 * 200 + 60] = 1_000_000;
    const r = makeRawFrame(sig, t, null, new Rng(1), { exposureTime: 1, darkTime: 0, noise: false });
    let n = 0;
    let e = 0;
    for (let y = 0; y < 300; y++) {
      if (r.artefacts[y * 200 + 60]! & ARTEFACT.SATURATED) n++;
      e +=
        ((r.raw[y * 220 + 10 + 60]! - biasLevelAt(sig, 0, y, r.rawHeight) - sig.biasPattern[y * 200 + 60]!) * 1.5) /
        sig.flat[y * 200 + 60]!;
    }
    expect(n).toBeGreaterThanOrEqual(Math.floor(1_000_000 / 50000 / 1.1));
    expect(Math.abs(e / 1_000_000 - 1)).toBeLessThan(0.01);
    // every pixel that holds bled charge is flagged: SATURATED at full well, BLEED for the
    // partly filled ends of the trail; nothing else in the column carries charge
    let unflagged = 0;
    let ends = 0;
    for (let y = 0; y < 300; y++) {
      const a = r.artefacts[y * 200 + 60]!;
      const charge =
        ((r.raw[y * 220 + 10 + 60]! - biasLevelAt(sig, 0, y, r.rawHeight) - sig.biasPattern[y * 200 + 60]!) * 1.5) /
        sig.flat[y * 200 + 60]!;
      if (charge > 10 && !(a & (ARTEFACT.SATURATED | ARTEFACT.BLEED))) unflagged++;
      if (a & ARTEFACT.BLEED && !(a & ARTEFACT.SATURATED)) ends++;
    }
    expect(unflagged).toBe(0);
    expect(ends).toBeGreaterThanOrEqual(1);
  });
});

describe("catalogs", () => {
  const det = detector();
  const scene = makeScene(200, 300, new Rng(4), { nStars: 50, nGalaxies: 5, sky: 100 });
  const { fluxOnChip } = renderTruth(scene, { psf: { kind: "MOFFAT", fwhm: 3 } });
  const wcs = new SimTanWcs(det, { ra: 150, dec: 2 }, 13.7);
  const rows = truthRows(scene, wcs, fluxOnChip, new Set());
  it("TAN mapping round-trips pixel → sky → pixel", () => {
    for (const r of rows.slice(0, 10)) {
      const p = wcs.skyToPixel(r.ra, r.dec);
      expect(p.x).toBeCloseTo(r.x, 6);
      expect(p.y).toBeCloseTo(r.y, 6);
    }
  });
  it("truth and reference catalogs are FITS tables with units, read back by afw (and astropy)", async () => {
    const tp = join(dir, "truth.fits");
    const rp = join(dir, "ref.fits");
    await writeTruthCatalog(tp, rows);
    const n = await writeReferenceCatalog(rp, rows, new Rng(2), { band: "i", magLimit: 30 });
    expect(n).toBe(scene.stars.length);
    const f = await FitsFile.open(tp);
    const t = await f.readTable(1);
    await f.close();
    expect(t.nrows).toBe(rows.length);
    const g = await FitsFile.open(rp);
    const rt = await g.readTable("REFCAT");
    await g.close();
    expect(rt.nrows).toBe(n);
    const py = "/usr/bin/python3";
    if (existsSync(py)) {
      const out = execFileSync(
        py,
        [
          "-c",
          `from astropy.table import Table; t=Table.read('${rp}'); import json; print(json.dumps([str(t['i_flux'].unit), float(t['coord_ra'][0]), len(t)]))`,
        ],
        { encoding: "utf8" },
      );
      const [unit, ra0, len] = JSON.parse(out.trim().split("\n").pop()!);
      expect(unit).toBe("nJy");
      expect(len).toBe(n);
      // 20 mas scatter around the truth position
      expect(Math.abs(ra0 - (rows.find((r) => r.type === "star")!.ra * Math.PI) / 180)).toBeLessThan(1e-6);
    }
  });
});
