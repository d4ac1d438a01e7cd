/**
 * IRAF/NOAO image sections (`DATASEC = '[33:2080,1:4612]'`): 1-based, inclusive, FITS axis order,
 * and possibly reversed (`DETSEC = '[4160:2113,19351:14740]'` means the axis runs backwards).
 */
import { Box2I } from "../geom/box.js";
import { AfwError } from "../image/errors.js";

/** A parsed section: the 0-based inclusive box it covers and whether each axis is reversed. */
export interface IrafSection {
  /** Pixels covered, 0-based inclusive (LSST convention). */
  readonly bbox: Box2I;
  /** True when the section is written high:low along x (`[2048:1,...]`). */
  readonly flipX: boolean;
  /** True when the section is written high:low along y. */
  readonly flipY: boolean;
}

const SECTION_RE = /^\s*\[\s*(-?\d+)\s*:\s*(-?\d+)\s*,\s*(-?\d+)\s*:\s*(-?\d+)\s*\]\s*$/;

/**
 * Parses an IRAF section string. `[0:0,0:0]` (CFHT's "not used" BIASSEC) gives `null`.
 * @param what names the card (and file/HDU) in the error message.
 * @throws AfwError BAD_ARGUMENT for anything that is not `[x1:x2,y1:y2]` with positive integers.
 * @example parseIrafSection("[33:2080,1:4612]").bbox  // Box2I (32,0)-(2079,4611)
 */
export function parseIrafSection(text: string, what = "section"): IrafSection | null {
  const m = SECTION_RE.exec(text);
  if (!m) throw new AfwError("INVALID_ARGUMENT", `${what}: ${JSON.stringify(text)} is not an IRAF section [x1:x2,y1:y2]`);
  const [x1, x2, y1, y2] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (x1 === 0 && x2 === 0 && y1 === 0 && y2 === 0) return null;
  if (x1 < 1 || x2 < 1 || y1 < 1 || y2 < 1) {
    throw new AfwError("INVALID_ARGUMENT", `${what}: ${JSON.stringify(text)} has a coordinate below 1 (sections are 1-based)`);
  }
  return {
    bbox: new Box2I(Math.min(x1, x2) - 1, Math.min(y1, y2) - 1, Math.max(x1, x2) - 1, Math.max(y1, y2) - 1),
    flipX: x2 < x1,
    flipY: y2 < y1,
  };
}

/** Formats a 0-based box as an IRAF section (1-based), reversed along the flipped axes. */
export function formatIrafSection(bbox: Box2I, flipX = false, flipY = false): string {
  const x = flipX ? `${bbox.max.x + 1}:${bbox.min.x + 1}` : `${bbox.min.x + 1}:${bbox.max.x + 1}`;
  const y = flipY ? `${bbox.max.y + 1}:${bbox.min.y + 1}` : `${bbox.min.y + 1}:${bbox.max.y + 1}`;
  return `[${x},${y}]`;
}
