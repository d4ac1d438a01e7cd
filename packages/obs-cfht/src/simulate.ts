/**
 * Simulated MegaCam data in the real format: raw MEFs (primary + one RICE_1 extension per CCD,
 * 2112 × 4644 uint16, 2112 × 1 tiles, BZERO 32768, CFHT header cards), the matching master
 * bias / flat / dark / fringe MEFs (float32, detector frame, extensions `ccdNN`), an Elixir-format
 * bad-pixel mask, truth catalogs and noiseless truth images.
 */
import { Box2I, type Camera, type Detector, FitsWriter, Header } from "@skystack/afw";
import {
  type DetectorSignature,
  type MefExtension,
  makeRawFrame,
  makeScene,
  makeSignature,
  type RawFrame,
  Rng,
  renderTruth,
  type SceneOptions,
  type SignatureOptions,
  type SimPsf,
  SimTanWcs,
  type TruthRow,
  truthRows,
  writeMef,
  writeTruthCatalog,
} from "@skystack/sim";
import { MEGACAM_RAW_HEIGHT, MEGACAM_RAW_WIDTH } from "./camera.js";
import { type MegacamVisit, megacamCcdHeader, megacamPrimaryHeader } from "./rawHeaders.js";

/** MegaCam plate scale, arcsec per mm (0.185″ / 13.5 µm). */
export const MEGACAM_PLATE_SCALE = 0.185 / 0.0135;

/** Options of {@link simulateMegacamRaw}. */
export interface SimulateMegacamOptions {
  /** Camera (megacamCamera(36) or (40)). */
  readonly camera: Camera;
  /** The observation. */
  readonly visit: MegacamVisit;
  /** Seed of the scene and noise (default 1). */
  readonly seed?: number;
  /** Instrument signature options (same seed ⇒ same masters). */
  readonly instrument?: SignatureOptions;
  /** Scene options (sky, numbers of sources...). */
  readonly scene?: SceneOptions;
  /** PSF (default Moffat β 3, FWHM 0.7″ = 3.8 px, +20% at the field edge). */
  readonly psf?: SimPsf;
  /** Fringe amplitude, e⁻ (default 2% of the sky for i/z filters, else 0). */
  readonly fringeAmplitude?: number;
  /** CCDs to fill with a scene (default all); the others get sky only. */
  readonly ccds?: readonly number[];
  /** CCDs whose truth (image, variance, artefacts, rows) is returned in memory (default none). */
  readonly keepTruth?: readonly number[];
  /** Write a truth catalog here (all simulated CCDs, with a `ccd` column in the extname). */
  readonly truthCatalogPath?: string;
  /** Write the noiseless truth images here (float32 MEF, GZIP_2). */
  readonly truthImagePath?: string;
  /** Empty scene (bias, flat lamp): a constant truth level in e⁻ (default: a sky scene). */
  readonly flatLevel?: number;
  /** No signal at all (bias frame). */
  readonly bias?: boolean;
  /** Add Poisson and read noise (default true; false gives exact, noiseless raw frames). */
  readonly noise?: boolean;
}

/** Truth of one simulated CCD. */
export interface MegacamCcdTruth {
  readonly detector: Detector;
  /** Noiseless truth, e⁻, detector frame. */
  readonly image: Float32Array;
  /** Expected ISR-output variance, e⁻². */
  readonly variance: Float32Array;
  /** Planted artefacts (sim ARTEFACT bits). */
  readonly artefacts: Uint8Array;
  /** Catalog rows. */
  readonly rows: readonly TruthRow[];
  /** Defects of the detector (bad columns), detector frame. */
  readonly defects: readonly Box2I[];
  /** The detector's signature (flat, bias pattern...). */
  readonly signature: DetectorSignature;
}

/** Signature of a MegaCam detector under the given instrument options. */
export function megacamSignature(detector: Detector, options: SignatureOptions = {}): DetectorSignature {
  return makeSignature(detector, options);
}

/** The bad columns of a signature as defect boxes (detector frame). */
export function signatureDefects(sig: DetectorSignature): Box2I[] {
  return sig.badColumns.map(
    (b) =>
      new Box2I(
        b.x + sig.detector.bbox.min.x,
        b.y0 + sig.detector.bbox.min.y,
        b.x + sig.detector.bbox.min.x,
        b.y1 + sig.detector.bbox.min.y,
      ),
  );
}

/** One simulated CCD: its signature, noiseless truth (e⁻, null for a bias), scene rows and raw frame. */
export interface SimulatedCcd {
  readonly detector: Detector;
  readonly signature: DetectorSignature;
  readonly truth: Float32Array | null;
  readonly rows: TruthRow[];
  readonly frame: RawFrame;
  /** Fringe amplitude added, e⁻ (0 = none). */
  readonly fringeAmplitude: number;
  /** Dark time, s. */
  readonly darkTime: number;
}

/** Fringe amplitude a simulation adds, e⁻ (default 2% of the sky for i/z filters, else 0). */
export function megacamFringeAmplitude(options: SimulateMegacamOptions): number {
  if (options.bias || options.flatLevel !== undefined) return 0;
  const band = options.visit.filter.trim()[0];
  const sky = options.scene?.sky ?? 1500;
  return options.fringeAmplitude ?? (band === "i" || band === "z" ? 0.02 * sky : 0);
}

/**
 * Simulates one CCD of an exposure (the machinery shared by the raw and the Elixir `p`
 * simulators): the scene (when `withScene`, else sky only), the signature and the raw frame.
 */
export function simulateCcd(det: Detector, options: SimulateMegacamOptions, withScene: boolean): SimulatedCcd {
  const v = options.visit;
  const seed = options.seed ?? 1;
  const sky = options.scene?.sky ?? 1500;
  const psf: SimPsf = options.psf ?? { kind: "MOFFAT", fwhm: 0.7 / 0.185, beta: 3, variation: 0.2, edgeRadius: 130 };
  const sig = makeSignature(det, options.instrument);
  const rng = new Rng(((seed * 2654435761) ^ (det.id * 40503) ^ v.expnum) >>> 0);
  const W = det.bbox.width;
  const H = det.bbox.height;
  let truth: Float32Array | null = null;
  let scene = null;
  let rows: TruthRow[] = [];
  if (options.bias) truth = null;
  else if (options.flatLevel !== undefined) truth = new Float32Array(W * H).fill(options.flatLevel);
  else if (withScene) {
    scene = makeScene(W, H, rng.fork("scene"), {
      sky,
      ...options.scene,
      zeroPoint: options.scene?.zeroPoint ?? 26.5 + 2.5 * Math.log10(v.exptime),
    });
    const r = renderTruth(scene, {
      psf,
      fieldRadius: (x, y) => Math.hypot(det.pixelToFocalPlane(x, y).x, det.pixelToFocalPlane(x, y).y),
    });
    truth = r.image;
    const wcs = new SimTanWcs(det, { ra: v.ra, dec: v.dec }, MEGACAM_PLATE_SCALE);
    const sat = new Set(scene.stars.filter((s) => s.flux > 1e6).map((s) => s.id));
    rows = truthRows(scene, wcs, r.fluxOnChip, sat);
  } else truth = new Float32Array(W * H).fill(sky);
  const fringeAmplitude = megacamFringeAmplitude(options);
  const darkTime = v.darktime ?? Math.round(v.exptime);
  const frame = makeRawFrame(sig, truth, scene, rng.fork("noise"), {
    exposureTime: v.exptime,
    darkTime,
    fringeAmplitude,
    noise: options.noise ?? true,
    rawWidth: MEGACAM_RAW_WIDTH,
    rawHeight: MEGACAM_RAW_HEIGHT,
  });
  return { detector: det, signature: sig, truth, rows, frame, fringeAmplitude, darkTime };
}

function ccdTruth(c: SimulatedCcd): MegacamCcdTruth {
  return {
    detector: c.detector,
    image: c.truth!,
    variance: c.frame.truthVariance,
    artefacts: c.frame.artefacts,
    rows: c.rows,
    defects: signatureDefects(c.signature),
    signature: c.signature,
  };
}

/**
 * Simulates one raw MegaCam exposure into `path` (see the module doc).
 * @returns truths of the `keepTruth` CCDs.
 */
export async function simulateMegacamRaw(path: string, options: SimulateMegacamOptions): Promise<Map<number, MegacamCcdTruth>> {
  const cam = options.camera;
  const v = options.visit;
  const full = new Set(options.ccds ?? cam.detectors.map((d) => d.id));
  const keep = new Set(options.keepTruth ?? []);
  const truths = new Map<number, MegacamCcdTruth>();
  const truthImages: MefExtension[] = [];
  const catalogRows: TruthRow[] = [];
  const primary = megacamPrimaryHeader(v, cam.size);
  async function* extensions(): AsyncGenerator<MefExtension> {
    for (const det of cam.detectors) {
      const c = simulateCcd(det, options, full.has(det.id));
      if (options.truthCatalogPath && c.rows.length)
        catalogRows.push(...c.rows.map((r) => ({ ...r, id: det.id * 1_000_000 + r.id })));
      if (options.truthImagePath && c.truth) {
        truthImages.push({ extname: det.name, header: new Header(), pixels: c.truth, shape: [det.bbox.width, det.bbox.height] });
      }
      if (keep.has(det.id) && c.truth) truths.set(det.id, ccdTruth(c));
      yield {
        extname: det.name,
        header: megacamCcdHeader(det, v),
        pixels: c.frame.raw,
        shape: [c.frame.rawWidth, c.frame.rawHeight],
      };
    }
  }
  await writeMef(path, primary, extensions());
  if (options.truthCatalogPath) await writeTruthCatalog(options.truthCatalogPath, catalogRows);
  if (options.truthImagePath) await writeMef(options.truthImagePath, megacamPrimaryHeader(v, truthImages.length), truthImages);
  return truths;
}

/** Which master calibrations to write. */
export interface MegacamMastersOptions {
  readonly camera: Camera;
  /** CCDs to include (default all). */
  readonly ccds?: readonly number[];
  /** Instrument signature options (must match the raw simulation). */
  readonly instrument?: SignatureOptions;
  /** Paths (each optional). */
  readonly biasPath?: string;
  readonly flatPath?: string;
  readonly darkPath?: string;
  readonly fringePath?: string;
  /** Elixir-format bad-pixel mask (int16 2112×4644 per CCD, 1 = good, 0 = bad, overscan 0). */
  readonly maskPath?: string;
}

/**
 * Writes exact (noise-free) master calibrations of the simulated instrument: bias (ADU, the fixed
 * pattern after overscan), flat (mean 1), dark (e⁻/s), fringe (unit amplitude, e⁻), each a MEF of
 * float32 `ccdNN` extensions in the detector frame; and the defects as an Elixir mask.
 */
export async function writeMegacamMasters(options: MegacamMastersOptions): Promise<void> {
  const cam = options.camera;
  const ids = options.ccds ?? cam.detectors.map((d) => d.id);
  const prim = (type: string) => {
    const h = new Header();
    h.set("OBSTYPE", type);
    h.set("INSTRUME", "MegaPrime");
    h.set("SIMULATE", true);
    return h;
  };
  type Out = { w: FitsWriter; unit: string | null; pick: (s: DetectorSignature) => Float32Array | Int16Array; raw: boolean };
  const outs: Out[] = [];
  const open = async (path: string | undefined, type: string, unit: string | null, pick: Out["pick"], raw = false) => {
    if (!path) return;
    const w = await FitsWriter.create(path);
    await w.writeImage(new Uint8Array(0), [], { header: prim(type) });
    outs.push({ w, unit, pick, raw });
  };
  try {
    await open(options.biasPath, "BIAS", "adu", (s) => s.biasPattern);
    await open(options.flatPath, "FLAT", null, (s) => s.flat);
    await open(options.darkPath, "DARK", "electron/s", (s) => new Float32Array(s.width * s.height).fill(s.darkRate));
    await open(options.fringePath, "FRINGE", "electron", (s) => s.fringe ?? new Float32Array(s.width * s.height));
    await open(options.maskPath, "MASK", null, elixirMask, true);
    for (const id of ids) {
      const s = makeSignature(cam.get(id), options.instrument);
      for (const o of outs) {
        const h = new Header();
        if (o.unit !== null) h.set("BUNIT", o.unit);
        const shape = o.raw ? [MEGACAM_RAW_WIDTH, MEGACAM_RAW_HEIGHT] : [s.width, s.height];
        await o.w.writeImage(o.pick(s), shape, { header: h, extname: s.detector.name });
      }
    }
    for (const o of outs) await o.w.close();
  } catch (e) {
    for (const o of outs) await o.w.abort().catch(() => {});
    throw e;
  }
}

/** The Elixir-format bad-pixel mask of a signature: raw frame, 1 on good data pixels, 0 elsewhere. */
export function elixirMask(s: DetectorSignature): Int16Array {
  const m = new Int16Array(MEGACAM_RAW_WIDTH * MEGACAM_RAW_HEIGHT);
  for (const a of s.detector.amplifiers) {
    const rd = a.rawDataBBox;
    for (let y = rd.min.y; y <= rd.max.y; y++) m.fill(1, y * MEGACAM_RAW_WIDTH + rd.min.x, y * MEGACAM_RAW_WIDTH + rd.max.x + 1);
  }
  for (const b of s.badColumns) {
    const x = b.x + s.detector.bbox.min.x;
    const a = s.detector.amplifierAt(x, b.y0 + s.detector.bbox.min.y)!;
    const lx = x - a.bbox.min.x;
    const rx = a.rawFlipX ? a.rawDataBBox.max.x - lx : a.rawDataBBox.min.x + lx;
    for (let y = b.y0; y <= b.y1; y++) {
      const ly = y + s.detector.bbox.min.y - a.bbox.min.y;
      const ry = a.rawFlipY ? a.rawDataBBox.max.y - ly : a.rawDataBBox.min.y + ly;
      m[ry * MEGACAM_RAW_WIDTH + rx] = 0;
    }
  }
  return m;
}
