/**
 * The MegaCam camera: 36 CCDs (2003-2015) or 40 (with the four "ears", from 2015), each a
 * 2048 × 4612 EEV CCD42-90 read by two amplifiers A (left half) and B (right half) into a
 * 2112 × 4644 raw frame: serial overscan of A at raw x 0-31, of B at 2080-2111, parallel overscan
 * rows 4612-4643 (raw frames are "spliced" by CFHT so both halves read as if from amplifier A:
 * no raw flips). Geometry comes from the headers' section cards (DATASEC, DSECA/B, TSECA/B,
 * BSECA/B, ASECA/B, CSECA/B, DETSEC, CCDSIZE, AMPLIST), electrical values from GAINA/B,
 * RDNOISEA/B, SATURATE, MAXLINA/B; missing cards fall back to the camera defaults
 * ({@link MEGACAM_CCDS}).
 */
import { Amplifier, Box2I, Camera, Detector, type Header, Point2D, parseIrafSection } from "@skystack/afw";
import { CardSource } from "./cards.js";
import { MEGACAM_CCDS } from "./ccdTable.js";
import { CfhtError } from "./errors.js";
import { megacamDetectorName } from "./translator.js";

/** Raw frame width (data + serial overscans), pixels. */
export const MEGACAM_RAW_WIDTH = 2112;
/** Raw frame height (data + parallel overscan), pixels. */
export const MEGACAM_RAW_HEIGHT = 4644;
/** Assembled CCD width, pixels. */
export const MEGACAM_CCD_WIDTH = 2048;
/** Assembled CCD height, pixels. */
export const MEGACAM_CCD_HEIGHT = 4612;
/** Pixel size, mm (13.5 µm). */
export const MEGACAM_PIXEL_SIZE_MM = 0.0135;
/** Full mosaic (DETSIZE) in pixels: [1:23219,1:19354]. */
export const MEGACAM_DETSIZE = { width: 23219, height: 19354 } as const;
/** Saturation when no card says otherwise, ADU. */
export const MEGACAM_DEFAULT_SATURATION = 65535;

/** Camera-default section cards of a raw MegaCam CCD (as in every raw header). */
export const MEGACAM_DEFAULT_SECTIONS: Readonly<Record<string, string>> = Object.freeze({
  CCDSIZE: "[1:2048,1:4612]",
  DATASEC: "[33:2080,1:4612]",
  ASECA: "[1:1056,1:4612]",
  DSECA: "[33:1056,1:4612]",
  TSECA: "[33:1056,1:4612]",
  BSECA: "[1:32,1:4644]",
  CSECA: "[1:1024,1:4612]",
  ASECB: "[1057:2112,1:4612]",
  DSECB: "[1057:2080,1:4612]",
  TSECB: "[1057:2080,1:4612]",
  BSECB: "[2081:2112,1:4644]",
  CSECB: "[1025:2048,1:4612]",
});

function section(c: CardSource, key: string, fallback: string | undefined): { bbox: Box2I; flipX: boolean; flipY: boolean } {
  const text = c.string(key) ?? fallback;
  if (text === undefined) throw new CfhtError("MISSING_CARD", `${c.where}: card ${key} is missing and has no default`);
  const s = parseIrafSection(text, `${c.where} card ${key}`);
  if (!s) throw new CfhtError("BAD_CARD", `${c.where}: card ${key} = '${text}' is an empty section`);
  return s;
}

/** Options of {@link megacamDetectorFromHeader}. */
export interface MegacamDetectorOptions {
  /** CCD number when the header has no `ccdNN` EXTNAME. */
  readonly id?: number;
  /** Name used in errors. */
  readonly where?: string;
  /** Primary header searched after the extension. */
  readonly primary?: Header | null;
}

/**
 * A MegaCam detector from a CCD extension header (missing cards take camera defaults).
 * @throws CfhtError for a card with a bad value or a CCD with no known number.
 */
export function megacamDetectorFromHeader(ext: Header | null, options: MegacamDetectorOptions = {}): Detector {
  const name =
    (ext && megacamDetectorName(ext)) ?? (options.id !== undefined ? `ccd${String(options.id).padStart(2, "0")}` : null);
  const where = options.where ?? name ?? "header";
  if (name === null) throw new CfhtError("MISSING_CARD", `${where}: no EXTNAME ccdNN and no CCD number given`);
  const id = Number(name.slice(3));
  const row = MEGACAM_CCDS[id];
  const c = new CardSource(
    [ext, options.primary ?? null].filter((h): h is Header => h !== null),
    where,
  );
  const ampNames = (c.string("AMPLIST") ?? "A B").split(/\s+/).filter((s) => s.length > 0);
  const ccd = section(c, "CCDSIZE", MEGACAM_DEFAULT_SECTIONS.CCDSIZE).bbox;
  const saturation = c.number("SATURATE") ?? MEGACAM_DEFAULT_SATURATION;
  const dataSec = section(c, "DATASEC", MEGACAM_DEFAULT_SECTIONS.DATASEC).bbox;
  const amplifiers = ampNames.map((a, k) => {
    const idx = a === "A" ? 0 : a === "B" ? 1 : -1;
    if (idx < 0) throw new CfhtError("BAD_CARD", `${where}: AMPLIST names an unknown amplifier ${JSON.stringify(a)}`);
    const single = ampNames.length === 1;
    // A single listed amplifier (Elixir "p" frames: "as if read from A") covers the whole DATASEC.
    const data = single
      ? { bbox: dataSec, flipX: false, flipY: false }
      : section(c, `DSEC${a}`, c.string(`TSEC${a}`) ?? MEGACAM_DEFAULT_SECTIONS[`DSEC${a}`]);
    const bbox = single ? ccd : section(c, `CSEC${a}`, MEGACAM_DEFAULT_SECTIONS[`CSEC${a}`]).bbox;
    const bsec = section(c, `BSEC${a}`, MEGACAM_DEFAULT_SECTIONS[`BSEC${a}`]).bbox;
    const asec = section(c, `ASEC${a}`, MEGACAM_DEFAULT_SECTIONS[`ASEC${a}`]).bbox;
    const raw = asec.expandedTo(bsec).expandedTo(data.bbox);
    const horizontal = new Box2I(bsec.min.x, data.bbox.min.y, bsec.max.x, data.bbox.max.y);
    const vertical =
      bsec.max.y > data.bbox.max.y ? new Box2I(data.bbox.min.x, data.bbox.max.y + 1, data.bbox.max.x, bsec.max.y) : Box2I.EMPTY;
    const gain = single
      ? (c.number("GAIN") ?? c.number(`GAIN${a}`) ?? row?.[3])
      : (c.number(`GAIN${a}`) ?? (row?.[3 + idx] as number | undefined));
    let readNoise = single ? (c.number("RDNOISE") ?? c.number(`RDNOISE${a}`)) : c.number(`RDNOISE${a}`);
    // CfhtIsrTask: a per-amp read noise above 60000 is a placeholder; use the CCD average.
    if (readNoise !== undefined && readNoise > 60000) readNoise = c.number("RDNOISE");
    readNoise ??= row?.[5 + idx] as number | undefined;
    if (gain === undefined || readNoise === undefined) {
      throw new CfhtError("MISSING_CARD", `${where}: no GAIN${a}/RDNOISE${a} card and no camera default for ${name}`);
    }
    return new Amplifier({
      name: a,
      bbox,
      gain,
      readNoise,
      saturation,
      readoutCorner: k === 0 || idx === 0 ? "LL" : "LR",
      linearityType: "NONE",
      linearityCoeffs: [],
      linearityMaximum: c.number(`MAXLIN${a}`) ?? c.number("MAXLIN") ?? Number.NaN,
      rawBBox: raw,
      rawDataBBox: data.bbox,
      rawHorizontalOverscanBBox: horizontal,
      rawVerticalOverscanBBox: vertical,
      rawFlipX: data.flipX,
      rawFlipY: data.flipY,
    });
  });
  const detsecText = c.string("DETSEC") ?? row?.[2];
  let placement = null;
  if (detsecText !== undefined) {
    const d = parseIrafSection(detsecText, `${where} card DETSEC`);
    if (d) {
      // Mosaic pixel (0-based) of CCD pixel (0, 0), relative to the mosaic centre, in mm.
      const mx = d.flipX ? d.bbox.max.x : d.bbox.min.x;
      const my = d.flipY ? d.bbox.max.y : d.bbox.min.y;
      const cx = (MEGACAM_DETSIZE.width - 1) / 2;
      const cy = (MEGACAM_DETSIZE.height - 1) / 2;
      placement = {
        origin: new Point2D((mx - cx) * MEGACAM_PIXEL_SIZE_MM, (my - cy) * MEGACAM_PIXEL_SIZE_MM),
        pixelSize: MEGACAM_PIXEL_SIZE_MM,
        flipX: d.flipX,
        flipY: d.flipY,
      };
    }
  }
  // The detector box is the union of the amplifier boxes: a few real headers disagree with it in
  // CCDSIZE/DETSEC (02AE10 bias ccd30 says 4613 rows for 4612 data rows).
  let bbox = amplifiers[0]!.bbox;
  for (const a of amplifiers) bbox = bbox.expandedTo(a.bbox);
  return new Detector({
    name,
    id,
    serial: c.string("CCDNAME") ?? row?.[1] ?? "",
    physicalType: id >= 36 ? "SCIENCE_EAR" : "SCIENCE",
    bbox,
    amplifiers,
    placement,
  });
}

/**
 * The detector of a cutout of a processed CCD (`cutout-1616687p.fits`: one image HDU with the
 * CCD's cards but no overscan, and no card saying where on the CCD it was cut): one amplifier "A"
 * covering the `width` × `height` image, pixel (0, 0) at the image's first pixel, with the CCD's
 * mean gain (GAIN, else the mean of GAINA/GAINB), read noise RDNOISE (else the mean of
 * RDNOISEA/B) and SATURATE; no focal-plane placement (the offset is unknown).
 * @throws CfhtError when the header has no ccdNN EXTNAME and no `id`, or no gain/read noise.
 */
export function megacamCutoutDetector(
  ext: Header,
  width: number,
  height: number,
  options: MegacamDetectorOptions = {},
): Detector {
  const name = megacamDetectorName(ext) ?? (options.id !== undefined ? `ccd${String(options.id).padStart(2, "0")}` : null);
  const where = options.where ?? name ?? "header";
  if (name === null) throw new CfhtError("MISSING_CARD", `${where}: no EXTNAME ccdNN and no CCD number given`);
  const id = Number(name.slice(3));
  const row = MEGACAM_CCDS[id];
  const c = new CardSource(
    [ext, options.primary ?? null].filter((h): h is Header => h !== null),
    where,
  );
  const mean = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? (a + b) / 2 : undefined);
  const gain = c.number("GAIN") ?? mean(c.number("GAINA"), c.number("GAINB")) ?? mean(row?.[3], row?.[4]);
  const readNoise = c.number("RDNOISE") ?? mean(c.number("RDNOISEA"), c.number("RDNOISEB")) ?? mean(row?.[5], row?.[6]);
  if (gain === undefined || readNoise === undefined)
    throw new CfhtError("MISSING_CARD", `${where}: no GAIN/RDNOISE card and no camera default for ${name}`);
  const box = new Box2I(0, 0, width - 1, height - 1);
  const amp = new Amplifier({
    name: "A",
    bbox: box,
    gain,
    readNoise,
    saturation: c.number("SATURATE") ?? MEGACAM_DEFAULT_SATURATION,
    readoutCorner: "LL",
    linearityType: "NONE",
    linearityCoeffs: [],
    linearityMaximum: c.number("MAXLIN") ?? Number.NaN,
    rawBBox: box,
    rawDataBBox: box,
    rawHorizontalOverscanBBox: Box2I.EMPTY,
    rawVerticalOverscanBBox: Box2I.EMPTY,
    rawFlipX: false,
    rawFlipY: false,
  });
  return new Detector({
    name,
    id,
    serial: c.string("CCDNAME") ?? row?.[1] ?? "",
    physicalType: id >= 36 ? "SCIENCE_EAR" : "SCIENCE",
    bbox: box,
    amplifiers: [amp],
    placement: null,
  });
}

/**
 * The MegaCam camera from the built-in defaults: 36 CCDs (2003-2015) or 40 (2015 on).
 * @example megacamCamera(40).get("ccd39").amplifier("B").gain  // 1.63
 */
export function megacamCamera(nDetectors: 36 | 40 = 36): Camera {
  if (nDetectors !== 36 && nDetectors !== 40) throw new CfhtError("BAD_FORMAT", `MegaCam has 36 or 40 CCDs, not ${nDetectors}`);
  const dets: Detector[] = [];
  for (let i = 0; i < nDetectors; i++) dets.push(megacamDetectorFromHeader(null, { id: i }));
  return new Camera(nDetectors === 36 ? "MegaCam" : "MegaCam-40", dets);
}

/** A camera built from the CCD extension headers of one file (36 or 40 of them). */
export function megacamCameraFromHeaders(exts: readonly Header[], where = "file"): Camera {
  return new Camera(
    exts.length > 36 ? "MegaCam-40" : "MegaCam",
    exts.map((h, i) => megacamDetectorFromHeader(h, { where: `${where}[${megacamDetectorName(h) ?? `HDU ${i + 1}`}]` })),
  );
}
