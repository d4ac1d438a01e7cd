import { mkdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FitsFile, FitsWriter, readSkyWcs } from "@skystack/afw";
import { createTsBackend, makePlanes } from "@skystack/kernels";
import { UsageError } from "./errors.js";
import type { CliLog } from "./log.js";

const HELP = `usage: skystack demo [--out DIR] [--json]

Runs skystack on built-in real data (a CFHT MegaCam cutout): reads it, summarises its header,
evaluates its distorted WCS (SCAMP TAN+PV read as TPV), measures pixel statistics, and writes it back tile-compressed (lossless RICE_1, and quantized
float32 RICE_1), checking that each file decodes to the right pixels. Outputs go to DIR
(default ./skystack-demo).`;

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
  const inSize = (await stat(inputPath)).size;
  const result = {
    summary,
    sky,
    statistics: stats,
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
      "",
    ].join("\n"),
  );
  log.debug(`outputs in ${outDir}`);
  return 0;
}
