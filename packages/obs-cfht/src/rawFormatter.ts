/**
 * The MegaCam raw formatter: reads one CCD of a raw MEF (`.fits` or fpacked `.fits.fz`) — only
 * the primary header, the headers before the CCD and the CCD's own data are read; other CCDs are
 * never decoded — and returns the raw frame (ADU, float32), per-amplifier views, the Detector
 * built from the CCD's header, and the translated VisitInfo and filter.
 */
import {
  type Amplifier,
  FitsFile,
  type FitsPixelArray,
  type HduInfo,
  type Header,
  Image,
  OrderedPropertyList,
  type PropertyList,
} from "@skystack/afw";
import type { RawCcd } from "@skystack/isr";
import { megacamCutoutDetector, megacamDetectorFromHeader } from "./camera.js";
import { CfhtError } from "./errors.js";
import { type MegacamObservation, translateMegacamHeader } from "./translator.js";

/** One CCD as read from a raw MegaCam file. */
export interface MegacamRawCcd extends RawCcd {
  /** Header translation. */
  readonly observation: MegacamObservation;
  /** Per amplifier: its whole raw box (data + overscans) as a view of `image`. */
  readonly amplifierImages: ReadonlyMap<string, { readonly amplifier: Amplifier; readonly raw: Image<Float32Array> }>;
  /** The CCD extension header and the primary header. */
  readonly headers: { readonly primary: Header; readonly ccd: Header };
  /**
   * True for a cutout of a processed CCD (an image smaller than the CCD's data section, no
   * overscan): its detector is {@link megacamCutoutDetector} (one amplifier over the image).
   */
  readonly cutout: boolean;
}

/** Pixels as float32 (the typed-array constructor converts natively; `from` iterates). */
function toFloat32(data: FitsPixelArray): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, Number);
  return new Float32Array(data);
}

/** `ccd` as an EXTNAME: 7 → "ccd07"; a string is used as is. */
export function ccdExtname(ccd: number | string): string {
  return typeof ccd === "number" ? `ccd${String(ccd).padStart(2, "0")}` : ccd;
}

/** Header values worth carrying in an exposure's metadata (strings, numbers, booleans only). */
function toPropertyList(primary: Header, ccd: Header): PropertyList {
  const pl = new OrderedPropertyList();
  for (const h of [primary, ccd]) {
    for (const k of h.keys()) {
      if (
        k === "" ||
        k === "COMMENT" ||
        k === "HISTORY" ||
        /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|TTYPE\d+|TFORM\d+|Z[A-Z0-9]+|EXTEND|BZERO|BSCALE|END)$/.test(k)
      )
        continue;
      const v = h.get(k);
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") pl.set(k, v);
    }
  }
  return pl;
}

/**
 * Reads one CCD of a raw MegaCam MEF (a path, bytes, or an open FitsFile, which is left open).
 * Elixir `p` files read the same way (AMPLIST 'A': one amplifier over DATASEC), and so does a
 * single-HDU cutout of a `p` CCD (the HDU's EXTNAME is `ccdNN`; see {@link MegacamRawCcd.cutout}).
 * @param ccd CCD number (0-39) or EXTNAME.
 * @throws CfhtError NO_SUCH_CCD when the file has no such extension (message names file and CCD).
 */
export async function readMegacamRaw(path: string | Uint8Array | FitsFile, ccd: number | string): Promise<MegacamRawCcd> {
  const owned = !(path instanceof FitsFile);
  const file = path instanceof FitsFile ? path : await FitsFile.open(path);
  try {
    const name = ccdExtname(ccd);
    let hdu: HduInfo;
    try {
      hdu = await file.hdu(name);
    } catch (e) {
      throw new CfhtError("NO_SUCH_CCD", `${file.name}: no extension ${name}`, { cause: e });
    }
    const primary = (await file.hdu(0)).header;
    const where = `${file.name}[${name}]`;
    const img = await file.readImage(hdu.index);
    const [w, h] = img.shape as [number, number];
    if (img.shape.length !== 2) throw new CfhtError("BAD_FORMAT", `${where}: image has ${img.shape.length} axes, expected 2`);
    const data = toFloat32(img.data);
    const image = new Image(data, w, h);
    const ccdHeader = hdu.header;
    let detector = megacamDetectorFromHeader(ccdHeader, { primary, where });
    const fits = detector.amplifiers.every((a) => a.rawBBox.max.x < w && a.rawBBox.max.y < h);
    // A processed cutout: smaller than the data section, no overscan (BIASSEC '[0:0,0:0]').
    const cutout = !fits && w <= detector.bbox.width && h <= detector.bbox.height;
    if (cutout) detector = megacamCutoutDetector(ccdHeader, w, h, { primary, where });
    else if (!fits) {
      const a = detector.amplifiers.find((a) => a.rawBBox.max.x >= w || a.rawBBox.max.y >= h)!;
      throw new CfhtError("BAD_FORMAT", `${where}: amplifier ${a.name} raw box ${a.rawBBox} exceeds the ${w}x${h} image`);
    }
    const observation = translateMegacamHeader(primary, ccdHeader, where);
    const amplifierImages = new Map(
      detector.amplifiers.map((a) => [a.name, { amplifier: a, raw: image.subimage(a.rawBBox) }] as const),
    );
    return {
      image,
      detector,
      visitInfo: observation.visitInfo,
      filter: observation.filter,
      metadata: toPropertyList(primary, ccdHeader),
      observation,
      amplifierImages,
      headers: { primary, ccd: ccdHeader },
      cutout,
    };
  } finally {
    if (owned) await file.close();
  }
}

/**
 * Reads the `ccdNN` extension of a calibration MEF (master bias/flat/dark/fringe) as a float32
 * image; a single-image file (no such extension, image in the primary) is accepted too.
 */
export async function readMegacamCalib(path: string, ccd: number | string): Promise<Image<Float32Array>> {
  const file = await FitsFile.open(path);
  try {
    const name = ccdExtname(ccd);
    let index: number;
    try {
      index = (await file.hdu(name)).index;
    } catch {
      const p = await file.hdu(0);
      if ((p.header.getInt("NAXIS") ?? 0) !== 2)
        throw new CfhtError("NO_SUCH_CCD", `${file.name}: no extension ${name} and no image in the primary HDU`);
      index = 0;
    }
    const img = await file.readImage(index);
    const data = toFloat32(img.data);
    return new Image(data, img.shape[0]!, img.shape[1]!);
  } finally {
    await file.close();
  }
}
