// The skystack CLI contract (DESIGN.md): fits info/header/convert and demo, run as a user would.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile } from "@skystack/afw";
import { afterAll, describe, expect, it } from "vitest";
import { fitsverify, HAVE_ASTROPY, HAVE_FITSVERIFY, PYTHON, sha256 } from "./helpers/tools.js";

const root = join(import.meta.dirname, "..");
const real = join(root, "test", "data", "real");
const dir = mkdtempSync(join(tmpdir(), "skystack-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

describe("skystack fits info", () => {
  it("--json lists every HDU as the contract says", () => {
    const r = skystack("fits", "info", join(real, "decam-cp-legacypipe", "c4d_130105_065255_ooi_r_a1-N15.fits.fz"), "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { index: 0, type: "image", extname: null, bitpix: 16, shape: [], compression: null, rows: null },
      { index: 1, type: "compressed-image", extname: "N15", bitpix: -32, shape: [280, 375], compression: "RICE_1", rows: null },
    ]);
  });
  it("reports tables with their rows, and detects compression from content", () => {
    const t = JSON.parse(
      skystack("fits", "info", join(real, "sdss-dr8-tractor", "photoObj-001000-1-0100.fits"), "--json").stdout,
    );
    expect(t[1]).toMatchObject({ type: "bintable", rows: 19 });
    const trap = JSON.parse(
      skystack("fits", "info", join(real, "decam-cp-legacypipe", "c4d_150329_083320_ooi_r_v1.fits.fz"), "--json").stdout,
    );
    expect(trap[1]).toMatchObject({ type: "image", compression: null, shape: [41, 51], bitpix: -32 });
  });
  it("prints a table without --json", () => {
    const r = skystack("fits", "info", join(real, "sdss-dr8-tractor", "frame-r-001000-1-0100.fits.bz2"));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PRIMARY\s+image\s+-32\s+\(100, 100\)/);
  });
});

describe("skystack fits header", () => {
  it("prints the image header of a compressed HDU, or the stored table header with --raw", () => {
    const f = join(real, "decam-cp-legacypipe", "c4d_130105_065255_ood_r_a1-N15.fits.fz");
    const r = skystack("fits", "header", f, "--hdu", "1");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^XTENSION= 'IMAGE {3}'/);
    expect(r.stdout).toMatch(/\nNAXIS1 {2}= {18}280\n/);
    expect(r.stdout.trimEnd().endsWith("END")).toBe(true);
    expect(skystack("fits", "header", f, "--hdu", "1", "--raw").stdout).toMatch(/ZCMPTYPE= 'RICE_1 {2}'/);
  });
});

describe("skystack fits convert", () => {
  it("decompresses, recompresses and keeps pixels", async () => {
    const src = join(real, "decam-cp-legacypipe", "c4d_130105_065255_ood_r_a1-N15.fits.fz");
    const plain = join(dir, "ood.fits");
    const gz = join(dir, "ood-gzip2.fits.fz");
    expect(skystack("fits", "convert", src, plain).status).toBe(0);
    expect(skystack("fits", "convert", plain, gz, "--compress", "gzip2", "--checksum").status).toBe(0);
    const a = await FitsFile.open(src);
    const b = await FitsFile.open(plain);
    const c = await FitsFile.open(gz);
    const want = sha256((await a.readImage(1)).data);
    expect(sha256((await b.readImage(1)).data)).toBe(want);
    expect(sha256((await c.readImage(1)).data)).toBe(want);
    expect((await c.hdu(1)).header.get("ZCMPTYPE")).toBe("GZIP_2");
    expect(await c.verifyChecksum(1)).toEqual({ datasum: "ok", checksum: "ok" });
    for (const f of [a, b, c]) await f.close();
    if (HAVE_FITSVERIFY) for (const p of [plain, gz]) expect(fitsverify(p)).toMatchObject({ errors: 0, warnings: 0 });
  });
  it("quantizes floats with the chosen level, dither and seed", async () => {
    const out = join(dir, "tpv-q.fits.fz");
    const r = skystack(
      "fits",
      "convert",
      join(real, "wcs-galsim", "tpv.fits"),
      out,
      "--compress",
      "rice",
      "--quantize",
      "8",
      "--dither",
      "2",
      "--seed",
      "77",
    );
    expect(r.status, r.stderr).toBe(0);
    const f = await FitsFile.open(out);
    const h = (await f.hdu(1)).header;
    expect([h.get("ZQUANTIZ"), h.get("ZDITHER0"), h.get("ZCMPTYPE")]).toEqual(["SUBTRACTIVE_DITHER_2", 77, "RICE_1"]);
    expect((await f.readImage(1)).header.get("CTYPE1")).toBe("RA---TPV");
    await f.close();
  });
  it("fails with a one-line reason and a non-zero status on bad input", () => {
    const missing = skystack("fits", "info", join(dir, "nope.fits"));
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope\.fits: cannot open/);
    const notFits = skystack("fits", "info", join(real, "sep-sextractor", "image.cat"));
    expect(notFits.status).toBe(1);
    expect(notFits.stderr).toMatch(/not a FITS file/);
    const usage = skystack("fits", "convert", "a.fits", "b.fits", "--compress", "zip");
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--compress must be one of/);
    expect(skystack("fits", "frobnicate").status).toBe(2);
    expect(skystack("fits", "info", "--help").stdout).toMatch(/usage: skystack fits info/);
  });
});

describe("skystack demo", () => {
  it("runs on built-in data and reports lossless and quantized round trips", () => {
    const r = skystack("demo", "--out", join(dir, "demo"), "--json");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary.filter).toBe("r.MP9601");
    expect(out.summary.shape).toEqual([251, 251]);
    expect(out.statistics.count).toBe(251 * 251);
    expect(out.sky.pixel_scale_arcsec).toBeCloseTo(0.186, 2); // MegaCam: 0.187"/pixel at the centre of the mosaic
    expect(out.sky.inverse_residual_px).toBeLessThan(1e-8);
    expect(out.outputs[0].lossless).toBe(true);
    expect(out.outputs[1].max_abs_error).toBeGreaterThan(0);
    expect(out.outputs[1].max_abs_error).toBeLessThan(out.statistics.stdevClip / 4);
  });
  it("runs ISR (electrons, variance) and detection; sources agree with scipy/astropy doing the same", () => {
    const r = skystack("demo", "--out", join(dir, "demo2"), "--json");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.isr.units).toBe("electron");
    expect(out.detection.count).toBeGreaterThan(5);
    if (!HAVE_ASTROPY) return;
    // Independent: the ISR output read by astropy is ADU × GAIN with variance = image + RDNOISE²;
    // scipy smooths with the same Gaussian, labels 8-connected pixels above the threshold, and
    // measures flux-weighted centroids and fluxes of the same footprints.
    const py = spawnSync(
      PYTHON,
      [
        "-c",
        `
import json, sys, numpy as np
from astropy.io import fits
from astropy.stats import sigma_clipped_stats
from scipy import ndimage
raw = fits.getdata(sys.argv[1]).astype(np.float64); hdr = fits.getheader(sys.argv[1])
with fits.open(sys.argv[2]) as f:
    img = f['IMAGE'].data.astype(np.float64); var = f['VARIANCE'].data.astype(np.float64); unit = f['IMAGE'].header['BUNIT']
    cfg = f['ISR_CONFIG'].data
bg, thr, sig = float(sys.argv[3]), float(sys.argv[4]), 1.6
r = int(np.ceil(3.5 * sig)); k = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sig * sig)); k /= k.sum()
d = img - bg
sm = ndimage.correlate1d(ndimage.correlate1d(d, k, axis=1, mode='constant'), k, axis=0, mode='constant')
good = np.zeros_like(sm, bool); good[r:-r, r:-r] = True
lab, n = ndimage.label((sm >= thr) & good, structure=np.ones((3, 3)))
src = []
for i in range(1, n + 1):
    m = lab == i
    if m.sum() < 3: continue
    f = d[m].sum(); ys, xs = np.nonzero(m)
    src.append(dict(x=float((d[m] * xs).sum() / f), y=float((d[m] * ys).sum() / f), flux=float(f), npix=int(m.sum())))
src.sort(key=lambda s: -s['flux'])
print(json.dumps(dict(unit=unit, gain_err=float(np.max(np.abs(img - raw * hdr['GAIN']) / np.abs(raw * hdr['GAIN']))),
    var_err=float(np.max(np.abs(var - (img + hdr['RDNOISE'] ** 2)) / var)), astropy_bg=float(sigma_clipped_stats(img)[0]),
    config_rows=len(cfg), n=len(src), src=src[:5])))
`,
        join(import.meta.dirname, "..", "packages", "pipe", "data", "demo", "cutout-1616687p.fits"),
        out.isr.file,
        String(out.detection.background_e),
        String(out.detection.threshold_e),
      ],
      { encoding: "utf8" },
    );
    expect(py.status, py.stderr).toBe(0);
    const ref = JSON.parse(py.stdout);
    expect(ref.unit).toBe("electron");
    expect(ref.gain_err).toBeLessThan(1e-6);
    expect(ref.var_err).toBeLessThan(1e-6);
    expect(ref.config_rows).toBeGreaterThan(20);
    // afw MEANCLIP (3σ, 3 passes from median ± 3·0.7413·IQR) and astropy's sigma_clipped_stats
    // (3σ about the median, 5 passes) clip slightly differently: within 5% of the noise
    expect(Math.abs(ref.astropy_bg - out.detection.background_e)).toBeLessThan(0.05 * out.detection.noise_e);
    expect(out.detection.count).toBe(ref.n);
    out.detection.brightest.forEach((b: { x: number; y: number; flux_e: number; npix: number }, i: number) => {
      const s = ref.src[i];
      expect(b.npix).toBe(s.npix);
      expect(Math.abs(b.x - s.x)).toBeLessThan(1e-3);
      expect(Math.abs(b.y - s.y)).toBeLessThan(1e-3);
      expect(Math.abs(b.flux_e / s.flux - 1)).toBeLessThan(1e-5);
    });
  });
});
