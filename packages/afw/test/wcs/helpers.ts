// Shared helpers of the WCS tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FitsFile } from "../../src/fits/file.js";
import { Header } from "../../src/fits/header.js";

export const REAL_DIR = join(import.meta.dirname, "..", "..", "..", "..", "test", "data", "real");
export const FIXTURES = join(import.meta.dirname, "fixtures");

export interface PointCase {
  name: string;
  x: number[];
  y: number[];
  ra: number[];
  dec: number[];
}
export interface RealCase extends PointCase {
  file: string;
  hdu: number;
  ctype: string | null;
  naxis: [number, number];
}
export interface SynthCase extends PointCase {
  header: Record<string, number | string>;
}

export function loadFixture<T>(name: string): { meta: Record<string, string>; cases: T[] } {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as { meta: Record<string, string>; cases: T[] };
}

/** The (image) header of one HDU of a real file. */
export async function realHeader(file: string, hdu: number): Promise<Header> {
  const f = await FitsFile.open(join(REAL_DIR, file));
  try {
    const h = f.imageHeader(await f.hdu(hdu));
    h.location = { file, hdu };
    return h;
  } finally {
    await f.close();
  }
}

export function headerFrom(cards: Record<string, number | string>): Header {
  return Header.fromEntries(
    Object.entries(cards).map(
      ([k, v]) =>
        [
          k,
          typeof v === "number" && k !== "NAXIS1" && k !== "NAXIS2" && Number.isInteger(v) && !/_ORDER$/.test(k) ? v + 0 : v,
        ] as [string, number | string],
    ),
  );
}

/** Angular distance between (ra1, dec1) and (ra2, dec2) in degrees (small separations). */
export function sepDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  let dra = ra1 - ra2;
  if (dra > 180) dra -= 360;
  if (dra < -180) dra += 360;
  return Math.hypot(dra * Math.cos((dec2 * Math.PI) / 180), dec1 - dec2);
}
