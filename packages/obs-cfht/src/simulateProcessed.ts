/**
 * Simulated Elixir-processed MegaCam `p` MEFs in the format of `1257365p.fits`: primary (no data)
 * + one RICE_1 extension per CCD, 2112 × 4644 int16 (the raw frame, overscan columns kept),
 * 2112 × 1 tiles, BZERO 32668 / BSCALE 1 (values -100 … 65435 ADU; other BSCALE/BZERO/SATURATE
 * for a flat scaling IMRED_SF ≠ 1, {@link elixirScaling}), AMPLIST 'A', IMRED_* cards.
 *
 * Each CCD is the raw simulator's frame (same scene, signature and noise for the same seed) put
 * through an exact Elixir `imred` + defringing: per-row median of the overscan (BSECA/B,
 * "1DYMODEL_OVERSCAN"), minus the exact bias pattern, divided by the exact flat expressed in ADU
 * of the CCD's GAIN card (so both halves share it: e⁻ = ADU × GAIN; with a flat scaling IMRED_SF
 * the data are multiplied by it and the GAIN cards divided by it, as in the real files), minus the
 * exact fringe, times the Elixir mask (bad pixels and overscans 0), stored as 16-bit
 * integers with BSCALE/BZERO, the range clipped below SATURATE (pixels that saturated the ADC are
 * written at SATURATE, 65435 for IMRED_SF = 1).
 * Elixir does not subtract the dark: the truth returned includes it.
 */
import { type Camera, compressImageHdu, FitsWriter } from "@skystack/afw";
import { MEGACAM_RAW_HEIGHT, MEGACAM_RAW_WIDTH } from "./camera.js";
import {
  ELIXIR_P_MIN,
  type ElixirCalibNames,
  type ElixirScaling,
  elixirScaling,
  megacamProcessedCcdHeader,
  megacamProcessedPrimaryHeader,
} from "./processedHeaders.js";
import { elixirMask, type MegacamCcdTruth, type SimulateMegacamOptions, signatureDefects, simulateCcd } from "./simulate.js";

/** Options of {@link simulateMegacamProcessed}: those of the raw simulator plus the calib names. */
export interface SimulateMegacamProcessedOptions extends SimulateMegacamOptions {
  /** Names written into the IMRED_* cards (default: simulated names from the visit's RUNID). */
  readonly calibNames?: ElixirCalibNames;
  /**
   * IMRED_SF of each CCD (default 1): Elixir's mosaic-normalised flat multiplies the CCD by this
   * factor; BSCALE/BZERO/SATURATE follow ({@link elixirScaling}) and the GAIN cards are divided by
   * it, so electrons = p ADU × GAIN still.
   */
  readonly flatScale?: (ccd: number) => number;
}

function median(v: Float64Array): number {
  v.sort();
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
}

/**
 * Simulates one Elixir-processed MegaCam exposure into `path` (see the module doc).
 * @returns for the `keepTruth` CCDs: the truth of the `p` image in e⁻ (ADU × GAIN: scene + dark
 * current / flat), its variance in e⁻² (Poisson + read noise through the flat, plus the
 * overscan-median and 16-bit rounding terms), the planted artefacts and the defects.
 */
export async function simulateMegacamProcessed(
  path: string,
  options: SimulateMegacamProcessedOptions,
): Promise<Map<number, MegacamCcdTruth>> {
  const cam: Camera = options.camera;
  const v = options.visit;
  const full = new Set(options.ccds ?? cam.detectors.map((d) => d.id));
  const keep = new Set(options.keepTruth ?? []);
  const truths = new Map<number, MegacamCcdTruth>();
  const run = v.runid ?? "SIM";
  const band = v.filter.trim().replace(/\.MP\d+$/, "");
  const fringing = !options.bias && options.flatLevel === undefined && (band.startsWith("i") || band.startsWith("z"));
  const names: ElixirCalibNames = options.calibNames ?? {
    crunid: run,
    mask: "SIM.mask.0.36.00",
    bias: `${run}.bias.0.36.00`,
    flat: `${run}.flat.${band}.36.00`,
    fringe: fringing ? `${run}.fringe.${band}.36.00` : null,
  };
  const w = await FitsWriter.create(path);
  try {
    await w.writeImage(new Uint8Array(0), [], { header: megacamProcessedPrimaryHeader(v, cam.size, names) });
    for (const det of cam.detectors) {
      const c = simulateCcd(det, options, full.has(det.id));
      const scaling = elixirScaling(options.flatScale?.(det.id) ?? 1);
      const header = megacamProcessedCcdHeader(det, v, names, scaling);
      const G = header.getNumber("GAIN")!;
      const { stored, truth, variance } = elixirProcess(c, G, scaling);
      const hdu = compressImageHdu(stored, [MEGACAM_RAW_WIDTH, MEGACAM_RAW_HEIGHT], {
        compression: "RICE_1",
        tileShape: [MEGACAM_RAW_WIDTH, 1],
        header,
        extname: det.name,
      });
      hdu.header.set("BZERO", scaling.bzero, { comment: "Zero factor", isInteger: false });
      hdu.header.set("BSCALE", scaling.bscale, { comment: "Scale factor", isInteger: false });
      await w.writeRaw(hdu);
      if (keep.has(det.id) && truth) {
        truths.set(det.id, {
          detector: det,
          image: truth,
          variance,
          artefacts: c.frame.artefacts,
          rows: c.rows,
          defects: signatureDefects(c.signature),
          signature: c.signature,
        });
      }
    }
    await w.close();
  } catch (e) {
    await w.abort().catch(() => {});
    throw e;
  }
  return truths;
}

/**
 * The Elixir processing of one simulated raw CCD (module doc). `G` is the `p` GAIN card (the raw
 * mean gain / IMRED_SF), e⁻/ADU: p ADU = flat-fielded electrons / G.
 */
function elixirProcess(
  c: ReturnType<typeof simulateCcd>,
  G: number,
  sc: ElixirScaling,
): { stored: Int16Array; truth: Float32Array | null; variance: Float32Array } {
  const { frame, signature: sig, detector: det } = c;
  const rawW = frame.rawWidth;
  const W = det.bbox.width;
  const H = det.bbox.height;
  const mask = elixirMask(sig);
  const { bscale, bzero, saturate } = sc;
  // stored integer of a physical value; SATURATE rounds up so that it reads back >= SATURATE
  const toStored = (p: number) => Math.max(-32768, Math.min(32767, Math.round((p - bzero) / bscale)));
  const satStored = Math.min(32767, Math.ceil((saturate - bzero) / bscale));
  const stored = new Int16Array(rawW * frame.rawHeight).fill(toStored(0));
  const truth = c.truth ? new Float32Array(W * H) : null;
  const variance = new Float32Array(W * H);
  const dark = sig.darkRate * c.darkTime;
  for (const amp of det.amplifiers) {
    const g = amp.gain;
    const os = amp.rawHorizontalOverscanBBox;
    const nOs = os.width;
    const buf = new Float64Array(nOs);
    // variance of a median of nOs samples ≈ (π/2)·σ²/nOs (σ² = read noise + ADU rounding), e⁻²
    const medVar = ((Math.PI / 2) * (amp.readNoise ** 2 + (g * g) / 12)) / nOs;
    const rd = amp.rawDataBBox;
    for (let j = 0; j < rd.height; j++) {
      const ry = rd.min.y + j;
      for (let k = 0; k < nOs; k++) buf[k] = frame.raw[ry * rawW + os.min.x + k]!;
      const level = median(buf);
      const ay = amp.rawFlipY ? amp.bbox.max.y - j : amp.bbox.min.y + j;
      for (let i = 0; i < rd.width; i++) {
        const rx = rd.min.x + i;
        const ri = ry * rawW + rx;
        const ax = amp.rawFlipX ? amp.bbox.max.x - i : amp.bbox.min.x + i;
        const di = (ay - det.bbox.min.y) * W + (ax - det.bbox.min.x);
        const f = sig.flat[di]!;
        const fringe = c.fringeAmplitude && sig.fringe ? c.fringeAmplitude * sig.fringe[di]! : 0;
        let s: number;
        if (mask[ri] === 0) s = toStored(0);
        else if (frame.raw[ri]! >= 65535) s = satStored;
        else {
          const eMeas = (frame.raw[ri]! - level - sig.biasPattern[di]!) * g;
          const p = (eMeas / f - fringe) / G;
          s = Math.min(toStored(Math.max(ELIXIR_P_MIN * bscale, p)), satStored - 1);
        }
        stored[ri] = s;
        if (truth) truth[di] = c.truth![di]! + dark / f;
        variance[di] = frame.truthVariance[di]! + medVar / (f * f) + (bscale * G) ** 2 / 12;
      }
    }
  }
  return { stored, truth, variance };
}
