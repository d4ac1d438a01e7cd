import { FitsError, type FitsErrorLocation } from "./errors.js";

/**
 * A rectangular section of an N-d image, 0-based, in FITS axis order (axis 0 = NAXIS1 = x).
 * Axes not listed are taken whole.
 */
export interface ImageSection {
  /** First pixel along each axis (0-based). */
  start: number[];
  /** Number of pixels along each axis. */
  shape: number[];
}

/** Completes and checks a section against an image shape; undefined means the whole image. */
export function resolveSection(imageShape: number[], section: ImageSection | undefined, where: FitsErrorLocation): ImageSection {
  const start: number[] = [];
  const shape: number[] = [];
  for (let a = 0; a < imageShape.length; a++) {
    const full = imageShape[a]!;
    const s = section?.start[a] ?? 0;
    const n = section?.shape[a] ?? full - s;
    if (!Number.isInteger(s) || !Number.isInteger(n) || s < 0 || n < 0 || s + n > full) {
      throw new FitsError(
        "BAD_ARGUMENT",
        `section start ${JSON.stringify(section?.start)} shape ${JSON.stringify(section?.shape)} is outside the image shape ${JSON.stringify(imageShape)} (axis ${a + 1})`,
        where,
      );
    }
    start.push(s);
    shape.push(n);
  }
  if (section && (section.start.length > imageShape.length || section.shape.length > imageShape.length)) {
    throw new FitsError("BAD_ARGUMENT", `section has more axes than the image (${imageShape.length})`, where);
  }
  return { start, shape };
}

/** Product of the entries (pixel count of a shape). */
export function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}
