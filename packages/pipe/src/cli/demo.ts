import { mkdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Exposure, FitsFile, FitsWriter, type RawHdu, readSkyWcs, writeExposure } from "@skystack/afw";
import { createTsBackend, gaussianKernel1d, makePlanes } from "@skystack/kernels";
import { UsageError } from "./errors.js";
import type { CliLog } from "./log.js";

const HELP = `usage: skystack demo [--out DIR] [--json]

Runs skystack on built-in real data (a CFHT MegaCam cutout of an Elixir-processed frame): reads it,
summarises its header, evaluates its distorted WCS (SCAMP TAN+PV read as TPV), measures pixel
statistics, writes it back tile-compressed (lossless RICE_1, and quantized float32 RICE_1) checking
that each file decodes to the right pixels, then runs ISR (obs-cfht's settings for Elixir frames:
electrons, variance, SAT/BAD masks; postISR.fits in the LSST layout) and detects sources at 5 sigma
on the PSF-smoothed image, with their sky positions. Outputs go to DIR (default ./skystack-demo).`;

/** Path of the built-in demo image. */
export function demoImagePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Works from src/cli (tests) and dist/cli (installed): data/ sits beside both.
  return resolve(here, "..", "..", "data", "demo", "cutout-1616687p.fits");
}

/** Summary statistics of the demo image (afw Statistics; the clipped pair is MEANCLIP/STDEVCLIP, 3 sigma, 3 passes). */
export interface DemoStatistics {
  /** Number of finite pixels. */
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation. */
  stdev: number;
  median: number;
  /** Interquartile range (linear interpolation at f(n-1)). */
  iqr: number;
  meanClip: number;
  stdevClip: number;
}

/** Computes {@link DemoStatistics} with the kernels' reference (ts) statistics. */
export async function demoStatistics(data: ArrayLike<number>, width: number, height: number): Promise<DemoStatistics> {
  const planes = makePlanes(width, height, false, false);
  planes.image.set(data);
  const s = await createTsBackend().statistics(planes);
  return {
    count: s.npoint,
    min: s.min,
    max: s.max,
    mean: s.mean,
    stdev: s.stdev,
    median: s.median,
    iqr: s.iqr,
    meanClip: s.meanClip,
    stdevClip: s.stdevClip,
  };
}

/** `skystack demo`. */
export async function demo(argv: string[], log: CliLog): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const outDir = resolve(values.out ?? "skystack-demo");
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create --out directory ${outDir}: ${(e as Error).message}`);
  }
  const inputPath = demoImagePath();
  const input = await FitsFile.open(inputPath);
  const img = await input.readImage(0);
  await input.close();
  const h = img.header;
  const summary = {
    file: inputPath,
    instrument: `${h.getString("INSTRUME") ?? "?"} / ${h.getString("DETECTOR") ?? "?"}`,
    ccd: h.getString("EXTNAME") ?? h.getString("CCDNAME") ?? "?",
    filter: h.getString("FILTER") ?? "?",
    exptime_s: h.getNumber("EXPTIME"),
    date_obs: h.getString("DATE-OBS"),
    airmass: h.getNumber("AIRMASS"),
    shape: img.shape,
    pixel_type: img.data.constructor.name,
    wcs: `${h.getString("CTYPE1") ?? "?"} / ${h.getString("CTYPE2") ?? "?"} at (${h.getNumber("CRVAL1")}, ${h.getNumber("CRVAL2")}) deg`,
  };
  const stats = await demoStatistics(img.data as Uint16Array, img.shape[0]!, img.shape[1]!);
  // MegaCam's Elixir WCS: SCAMP TAN+PV, read as TPV.
  const wcs = readSkyWcs(h);
  const cx = (img.shape[0]! - 1) / 2;
  const cy = (img.shape[1]! - 1) / 2;
  const centre = wcs.pixelToSky(cx, cy);
  const sky = {
    centre_ra_deg: centre.raDeg,
    centre_dec_deg: centre.decDeg,
    pixel_scale_arcsec: wcs.getPixelScale(cx, cy),
    rotation_deg: (wcs.getRotation(cx, cy).angle * 180) / Math.PI,
    inverse_residual_px: wcs.roundTripError(cx, cy),
  };

  const rice = join(outDir, "cutout-rice.fits.fz");
  const quantized = join(outDir, "cutout-float-q4.fits.fz");
  const w1 = await FitsWriter.create(rice);
  await w1.writeCompressedImage(img.data, img.shape, { compression: "RICE_1", header: h });
  await w1.close();
  const floats = Float32Array.from(img.data as Uint16Array);
  const w2 = await FitsWriter.create(quantized);
  await w2.writeCompressedImage(floats, img.shape, { compression: "RICE_1", quantizeLevel: 4, header: h });
  await w2.close();

  const back1 = await FitsFile.open(rice);
  const r1 = await back1.readImage(1);
  await back1.close();
  let exact = r1.data.length === img.data.length;
  for (let i = 0; exact && i < r1.data.length; i++) exact = r1.data[i] === img.data[i];
  const back2 = await FitsFile.open(quantized);
  const r2 = await back2.readImage(1);
  const zscaleCard = (await back2.hdu(1)).header;
  await back2.close();
  let maxErr = 0;
  for (let i = 0; i < floats.length; i++) maxErr = Math.max(maxErr, Math.abs((r2.data[i] as number) - floats[i]!));
  const isr = await demoIsr(inputPath, summary.ccd, join(outDir, "postISR.fits"));
  const sources = await demoDetect(isr.image, isr.width, isr.height, 5);
  const detection = {
    threshold_sigma: 5,
    psf_sigma_px: sources.psfSigma,
    background_e: sources.background,
    noise_e: sources.noise,
    threshold_e: sources.threshold,
    count: sources.list.length,
    brightest: sources.list.slice(0, 5).map((s) => {
      const p = wcs.pixelToSky(s.x, s.y);
      return { x: s.x, y: s.y, ra_deg: p.raDeg, dec_deg: p.decDeg, flux_e: s.flux, npix: s.npix };
    }),
  };
  const inSize = (await stat(inputPath)).size;
  const result = {
    summary,
    sky,
    statistics: stats,
    isr: { file: isr.file, units: "electron", gain: isr.gain, sat_px: isr.sat, bad_px: isr.bad },
    detection,
    outputs: [
      { file: rice, bytes: (await stat(rice)).size, ratio: inSize / (await stat(rice)).size, lossless: exact },
      {
        file: quantized,
        bytes: (await stat(quantized)).size,
        ratio: (floats.length * 4) / (await stat(quantized)).size,
        max_abs_error: maxErr,
        quantize: zscaleCard.getString("ZQUANTIZ"),
      },
    ],
  };
  if (!exact) throw new Error(`lossless round trip failed for ${rice}`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const f = (x: number): string => x.toFixed(2);
  process.stdout.write(
    [
      `skystack demo: ${summary.file}`,
      `  ${summary.instrument}, CCD ${summary.ccd}, filter ${summary.filter}, ${summary.exptime_s} s, ${summary.date_obs}, airmass ${summary.airmass}`,
      `  ${summary.shape.join(" x ")} ${summary.pixel_type}; WCS ${summary.wcs}`,
      `sky: centre RA ${sky.centre_ra_deg.toFixed(6)} Dec ${sky.centre_dec_deg.toFixed(6)} deg, ${sky.pixel_scale_arcsec.toFixed(4)} arcsec/pixel, rotation ${sky.rotation_deg.toFixed(3)} deg (TPV distortion; inverse residual ${sky.inverse_residual_px.toExponential(1)} px)`,
      `statistics (ADU): n=${stats.count} min=${stats.min} max=${stats.max} mean=${f(stats.mean)} stdev=${f(stats.stdev)}`,
      `  median=${f(stats.median)} IQR=${f(stats.iqr)} clipped mean=${f(stats.meanClip)} clipped stdev=${f(stats.stdevClip)}`,
      `wrote ${rice}: ${result.outputs[0]!.bytes} bytes (${f(result.outputs[0]!.ratio)}x), lossless round trip: ${exact ? "yes" : "NO"}`,
      `wrote ${quantized}: ${result.outputs[1]!.bytes} bytes (${f(result.outputs[1]!.ratio)}x vs float32), max |error| ${maxErr.toPrecision(3)} ADU (${result.outputs[1]!.quantize}, q=4)`,
      `isr: wrote ${isr.file} (electrons, gain ${isr.gain} e/ADU, variance, SAT ${isr.sat} px, BAD ${isr.bad} px)`,
      `detection: ${detection.count} sources at ${detection.threshold_sigma} sigma (PSF sigma ${f(detection.psf_sigma_px)} px, background ${f(detection.background_e)} e, noise ${f(detection.noise_e)} e); brightest:`,
      ...detection.brightest.map(
        (b) =>
          `  x ${b.x.toFixed(1).padStart(6)} y ${b.y.toFixed(1).padStart(6)}  RA ${b.ra_deg.toFixed(6)} Dec ${b.dec_deg.toFixed(6)}  flux ${b.flux_e.toFixed(0).padStart(8)} e  (${b.npix} px)`,
      ),
      "",
    ].join("\n"),
  );
  log.debug(`outputs in ${outDir}`);
  return 0;
}

/** What `skystack demo` needs from the isr and obs-cfht packages (loaded at run time: pipe cannot depend on them). */
interface DemoIsrModules {
  isr: {
    IsrConfig: { defaults(): unknown; applyData(c: unknown, data: Record<string, unknown>, origin: string): unknown };
    IsrTask: new (o: {
      config: unknown;
    }) => {
      run(raw: unknown, calibs: object): Promise<{ exposure: Exposure; counts: { sat: number; bad: number } }>;
    };
    configTable(config: unknown): RawHdu;
  };
  cfht: {
    readMegacamRaw(path: string, ccd: number): Promise<{ filter?: unknown; detector: { amplifiers: { gain: number }[] } }>;
    megacamIsrConfigOverrides(filter: unknown, elixirProcessed: boolean): Record<string, unknown>;
  };
}

/**
 * ISR of the demo cutout as `skystack isr` does it for an Elixir `p` frame (gain → electrons,
 * variance, SAT/BAD/NaN masks, interpolation), written to `out`.
 */
async function demoIsr(
  path: string,
  ccdName: string,
  out: string,
): Promise<{ file: string; image: Float32Array; width: number; height: number; gain: number; sat: number; bad: number }> {
  const specs = ["@skystack/isr", "@skystack/obs-cfht"];
  let m: DemoIsrModules;
  try {
    const [isr, cfht] = await Promise.all(specs.map((s) => import(s)));
    m = { isr, cfht } as DemoIsrModules;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "ERR_MODULE_NOT_FOUND") throw new Error(`skystack demo needs ${specs.join(" and ")}: ${err.message}`);
    throw e;
  }
  const ccd = Number(/(\d+)$/.exec(ccdName)?.[1] ?? Number.NaN);
  const raw = await m.cfht.readMegacamRaw(path, ccd);
  const config = m.isr.IsrConfig.applyData(
    m.isr.IsrConfig.defaults(),
    m.cfht.megacamIsrConfigOverrides(raw.filter ?? null, true),
    "megacam defaults",
  );
  const result = await new m.isr.IsrTask({ config }).run(raw, {});
  await writeExposure(out, result.exposure, { unit: "electron", extraHdus: [m.isr.configTable(config)] });
  const img = result.exposure.image.toContiguous();
  return {
    file: out,
    image: img.array as Float32Array,
    width: img.width,
    height: img.height,
    gain: raw.detector.amplifiers[0]?.gain ?? Number.NaN,
    sat: result.counts.sat,
    bad: result.counts.bad,
  };
}

/** A detected source: flux-weighted centroid (0-based pixels), flux above background (e⁻), pixels. */
interface DemoSource {
  x: number;
  y: number;
  flux: number;
  npix: number;
}

/**
 * Detection as meas_algorithms does it in outline: subtract the clipped-mean background, smooth
 * with a Gaussian of the seeing (MegaCam ~0.7″ → σ 1.6 px), threshold the smoothed image at
 * `nSigma` times its own clipped noise, keep footprints of ≥ 3 px; sources sorted by flux.
 */
export async function demoDetect(
  image: Float32Array,
  width: number,
  height: number,
  nSigma: number,
): Promise<{ list: DemoSource[]; background: number; noise: number; threshold: number; psfSigma: number }> {
  const be = createTsBackend();
  const planes = makePlanes(width, height, false, false);
  planes.image.set(image);
  const st = await be.statistics(planes);
  const background = st.meanClip;
  for (let i = 0; i < planes.image.length; i++) planes.image[i] = planes.image[i]! - background;
  const psfSigma = 1.6;
  const k = gaussianKernel1d(psfSigma);
  const smoothed = await be.convolveSeparable(planes, k, k);
  const sst = await be.statistics(smoothed);
  const threshold = nSigma * sst.stdevClip;
  const footprints = await be.detect(smoothed, { threshold, npixMin: 3 });
  const list = footprints.map((fp) => {
    let sum = 0;
    let sx = 0;
    let sy = 0;
    for (let s = 0; s < fp.spans.length; s += 3) {
      const y = fp.spans[s]!;
      for (let x = fp.spans[s + 1]!; x <= fp.spans[s + 2]!; x++) {
        const v = planes.image[y * width + x]!;
        sum += v;
        sx += v * x;
        sy += v * y;
      }
    }
    return { x: sx / sum, y: sy / sum, flux: sum, npix: fp.npix };
  });
  list.sort((a, b) => b.flux - a.flux);
  return { list, background, noise: st.stdevClip, threshold, psfSigma };
}
