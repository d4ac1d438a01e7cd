import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Header } from "@skystack/afw";
import { parseHeaderText } from "../src/index.js";

/** Root of the real test data. */
export const REAL = fileURLToPath(new URL("../../../test/data/real/", import.meta.url));

/** Headers of a real header-text file in test/data/real/cfht-megacam-headers/. */
export function realHeaders(name: string): Header[] {
  const path = `${REAL}cfht-megacam-headers/${name}.fits.header`;
  return parseHeaderText(readFileSync(path, "latin1"), path);
}

type Ext = Record<string, string | number | null>;
/** Values read independently by astropy (fixtures/gen_header_fixtures.py). */
export const ASTROPY: Record<string, { primary: Record<string, string | number | null>; extensions: Ext[] }> = JSON.parse(
  readFileSync(fileURLToPath(new URL("./fixtures/header-values.json", import.meta.url)), "utf8"),
);

/** 1-based IRAF "[a:b,c:d]" → 0-based [minX, minY, maxX, maxY] by plain arithmetic. */
export function box0(sec: string): number[] {
  const [a, b, c, d] = sec.replace(/[[\]]/g, "").split(/[,:]/).map(Number) as [number, number, number, number];
  return [Math.min(a, b) - 1, Math.min(c, d) - 1, Math.max(a, b) - 1, Math.max(c, d) - 1];
}
