/**
 * The LSST pixel convention (afw `ImageUtils.h`).
 *
 * The centre of the first pixel is position 0 (`PIXEL_ZERO_POS`; FITS uses 1, SDSS 0.5). Pixel
 * index i covers the half-open interval [i − 0.5, i + 0.5) of positions, so the index of the
 * pixel containing position p is floor(p + 0.5).
 */

/** Position of the centre of the first pixel (LSST: 0; FITS would be 1). */
export const PIXEL_ZERO_POS = 0;

/** The integer pixel index containing a position, and the offset of the position from its centre. */
export interface PixelIndex {
  /** Pixel index: floor(pos + 0.5). */
  readonly index: number;
  /** pos − index, in [−0.5, 0.5). */
  readonly residual: number;
}

/**
 * Index of the pixel containing `pos` and the residual from the pixel centre.
 *
 * @example positionToIndex(2.7) // { index: 3, residual: -0.3 (approximately) }
 * @example positionToIndex(-0.5) // { index: 0, residual: -0.5 }
 */
export function positionToIndex(pos: number): PixelIndex {
  const index = positionToIndexOnly(pos);
  return { index, residual: pos - index };
}

/** Index of the pixel containing `pos` (floor(pos + 0.5), computed exactly); the cheap form of {@link positionToIndex}. */
export function positionToIndexOnly(pos: number): number {
  // Math.round is floor(x + 0.5) without the rounding error of the addition
  // (e.g. 0.49999999999999994 + 0.5 === 1); `+ 0` turns -0 into 0.
  return Math.round(pos) + 0;
}

/** Position of the centre of pixel `index` (equal to `index` in the LSST convention). */
export function indexToPosition(index: number): number {
  return index + PIXEL_ZERO_POS;
}
