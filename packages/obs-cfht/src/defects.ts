/**
 * Defects from CFHT Elixir bad-pixel masks (`2004B.mask.0.36.01.fits.gz`): one 2112 × 4644 image
 * per CCD in the raw frame, 1 = good, 0 = bad (the overscan columns are 0 too). Only the asked CCD
 * is decoded (the file is 706 MB decompressed; it is streamed, never held whole).
 */
import { type Box2I, type Detector, FitsFile } from "@skystack/afw";
import { defectsFromMaskPixels, rawDefectsToDetector } from "@skystack/isr";
import { CfhtError } from "./errors.js";
import { ccdExtname } from "./rawFormatter.js";

/** Bad-pixel boxes of one CCD of an Elixir mask, in the raw frame (includes the overscan columns). */
export async function readElixirMaskRaw(
  path: string,
  ccd: number | string,
): Promise<{ boxes: Box2I[]; width: number; height: number }> {
  const file = await FitsFile.open(path);
  try {
    const name = ccdExtname(ccd);
    let idx: number;
    try {
      idx = (await file.hdu(name)).index;
    } catch (e) {
      throw new CfhtError("NO_SUCH_CCD", `${file.name}: no extension ${name}`, { cause: e });
    }
    const img = await file.readImage(idx);
    const [w, h] = img.shape as [number, number];
    return { boxes: defectsFromMaskPixels(img.data as ArrayLike<number>, w, h, 0), width: w, height: h };
  } finally {
    await file.close();
  }
}

/** Defects of one CCD of an Elixir mask in the assembled detector frame (overscan parts dropped). */
export async function readElixirDefects(path: string, detector: Detector): Promise<Box2I[]> {
  const { boxes } = await readElixirMaskRaw(path, detector.name);
  return rawDefectsToDetector(boxes, detector);
}
