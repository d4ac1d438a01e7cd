/**
 * Typed errors of the WCS module. Messages name the file, HDU and card when the problem comes from
 * a FITS header, and the pixel/sky position when a transform fails.
 */

/** Machine-readable reason for a {@link WcsError}. */
export type WcsErrorCode =
  /** The header has no celestial WCS (no CTYPE1/CTYPE2 with a longitude/latitude pair). */
  | "NO_WCS"
  /** A WCS card is present but malformed or inconsistent (singular CD, bad CTYPE pair...). */
  | "BAD_CARD"
  /** A valid WCS form this library does not implement (projection code, FK4 frame...). */
  | "UNSUPPORTED"
  /** `skyToPixel` did not converge; the message gives the residual. */
  | "NO_CONVERGENCE"
  /** A point has no image under the transform (behind the projection, outside its domain). */
  | "OUT_OF_DOMAIN"
  /** A caller passed an invalid argument (array lengths, orders, too few points to fit). */
  | "INVALID_ARGUMENT";

/** Where a WCS problem comes from. */
export interface WcsErrorLocation {
  /** File name (or label of in-memory data). */
  file?: string | undefined;
  /** 0-based HDU index. */
  hdu?: number | undefined;
  /** Header card concerned. */
  card?: string | undefined;
}

/** The error thrown by `afw/wcs`. */
export class WcsError extends Error {
  /** Machine-readable reason. */
  readonly code: WcsErrorCode;
  /** File, HDU and card the problem comes from (when it comes from a header). */
  readonly location: WcsErrorLocation;
  /** For NO_CONVERGENCE: the remaining pixel residual of the inverse, in pixels. */
  readonly residual: number | undefined;

  constructor(code: WcsErrorCode, detail: string, where: WcsErrorLocation = {}, residual?: number) {
    const parts: string[] = [];
    if (where.file !== undefined) parts.push(where.file);
    if (where.hdu !== undefined) parts.push(`HDU ${where.hdu}`);
    if (where.card !== undefined) parts.push(`card ${where.card}`);
    super(parts.length > 0 ? `${parts.join(": ")}: ${detail}` : detail);
    this.name = "WcsError";
    this.code = code;
    this.location = where;
    this.residual = residual;
  }
}
