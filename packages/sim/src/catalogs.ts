/**
 * Truth and reference catalogs of a simulated scene, as FITS binary tables (afw encodeBinTable).
 *
 * Truth: every star and galaxy with its LSST pixel position (assembled detector), sky position,
 * flux in electrons (total, and on the chip) and nJy, magnitude, and whether it saturates.
 * Reference catalog: the stars (not galaxies) with LSST refcat columns (`coord_ra`/`coord_dec` in
 * radians, `<band>_flux`/`<band>_fluxErr` in nJy) and realistic errors: positions scattered by
 * `posErrMas`, fluxes by a magnitude error growing toward the faint end.
 */
import { degToRad, encodeBinTable, FitsWriter, type Header } from "@skystack/afw";
import type { Rng } from "./random.js";
import { magToNanojansky, type SimScene } from "./scene.js";
import type { SimTanWcs } from "./wcs.js";

/** One truth row. */
export interface TruthRow {
  readonly id: number;
  readonly type: "star" | "galaxy";
  /** LSST pixel position in the assembled detector. */
  readonly x: number;
  readonly y: number;
  /** Degrees. */
  readonly ra: number;
  readonly dec: number;
  /** Total flux, e⁻. */
  readonly flux: number;
  /** Flux falling on the CCD, e⁻. */
  readonly fluxOnChip: number;
  /** Flux, nJy. */
  readonly fluxNjy: number;
  /** AB magnitude. */
  readonly mag: number;
  /** Peak above full well. */
  readonly saturated: boolean;
}

/** Truth rows of a scene. */
export function truthRows(
  scene: SimScene,
  wcs: SimTanWcs,
  fluxOnChip: Map<number, number>,
  saturatedIds: ReadonlySet<number>,
): TruthRow[] {
  const rows: TruthRow[] = [];
  for (const [type, list] of [
    ["star", scene.stars],
    ["galaxy", scene.galaxies],
  ] as const) {
    for (const s of list) {
      const sky = wcs.pixelToSky(s.x, s.y);
      rows.push({
        id: s.id,
        type,
        x: s.x,
        y: s.y,
        ra: sky.ra,
        dec: sky.dec,
        flux: s.flux,
        fluxOnChip: fluxOnChip.get(s.id) ?? 0,
        fluxNjy: magToNanojansky(s.mag),
        mag: s.mag,
        saturated: saturatedIds.has(s.id),
      });
    }
  }
  return rows;
}

/** Writes truth rows as a FITS binary table (primary HDU empty). */
export async function writeTruthCatalog(path: string, rows: readonly TruthRow[], extra?: Header): Promise<void> {
  const col = (f: (r: TruthRow) => number) => Float64Array.from(rows, f);
  const t = encodeBinTable(
    [
      { name: "id", data: BigInt64Array.from(rows, (r) => BigInt(r.id)) },
      { name: "type", data: rows.map((r) => r.type) },
      { name: "x", data: col((r) => r.x), unit: "pixel", doc: "LSST pixel x (assembled detector, first pixel centre = 0)" },
      { name: "y", data: col((r) => r.y), unit: "pixel", doc: "LSST pixel y" },
      { name: "coord_ra", data: col((r) => r.ra), unit: "deg" },
      { name: "coord_dec", data: col((r) => r.dec), unit: "deg" },
      { name: "flux", data: col((r) => r.flux), unit: "electron", doc: "total flux in the flat-fielded image" },
      { name: "flux_on_chip", data: col((r) => r.fluxOnChip), unit: "electron" },
      { name: "flux_nJy", data: col((r) => r.fluxNjy), unit: "nJy" },
      { name: "mag", data: col((r) => r.mag), unit: "mag(AB)" },
      { name: "saturated", data: Uint8Array.from(rows, (r) => (r.saturated ? 1 : 0)), format: "L" },
    ],
    { extname: "TRUTH", header: extra },
  );
  await writeTables(path, [t]);
}

async function writeTables(path: string, tables: readonly { header: Header; data: Uint8Array }[]): Promise<void> {
  const w = await FitsWriter.create(path);
  await w.writeImage(new Uint8Array(0), []);
  for (const t of tables) await w.writeRaw(t);
  await w.close();
}

/** Options of {@link writeReferenceCatalog}. */
export interface RefcatOptions {
  /** Band name used in the flux columns (e.g. "i"). */
  readonly band: string;
  /** Position error, mas (default 20). */
  readonly posErrMas?: number;
  /** Magnitude error at mag 20 (default 0.005); grows as 10^(0.4 (m − 20)) to the faint end, + 0.002 floor. */
  readonly magErr20?: number;
  /** Faintest magnitude listed (default 22). */
  readonly magLimit?: number;
}

/** Writes the scene's stars as a reference catalog (LSST refcat columns) with scattered values. */
export async function writeReferenceCatalog(
  path: string,
  rows: readonly TruthRow[],
  rng: Rng,
  options: RefcatOptions,
): Promise<number> {
  const stars = rows.filter((r) => r.type === "star" && r.mag <= (options.magLimit ?? 22));
  const pe = options.posErrMas ?? 20;
  const e20 = options.magErr20 ?? 0.005;
  const mas = degToRad(1 / 3.6e6);
  const ra = new Float64Array(stars.length);
  const dec = new Float64Array(stars.length);
  const flux = new Float64Array(stars.length);
  const fluxErr = new Float64Array(stars.length);
  stars.forEach((s, i) => {
    dec[i] = degToRad(s.dec) + pe * mas * rng.normal();
    ra[i] = degToRad(s.ra) + (pe * mas * rng.normal()) / Math.cos(degToRad(s.dec));
    const sm = 0.002 + e20 * 10 ** (0.4 * (s.mag - 20));
    fluxErr[i] = s.fluxNjy * sm * 0.4 * Math.LN10;
    flux[i] = s.fluxNjy + fluxErr[i]! * rng.normal();
  });
  const t = encodeBinTable(
    [
      { name: "id", data: BigInt64Array.from(stars, (s) => BigInt(s.id)) },
      { name: "coord_ra", data: ra, unit: "rad" },
      { name: "coord_dec", data: dec, unit: "rad" },
      { name: "coord_raErr", data: new Float32Array(stars.length).fill(pe * mas), unit: "rad" },
      { name: "coord_decErr", data: new Float32Array(stars.length).fill(pe * mas), unit: "rad" },
      { name: `${options.band}_flux`, data: flux, unit: "nJy" },
      { name: `${options.band}_fluxErr`, data: fluxErr, unit: "nJy" },
    ],
    { extname: "REFCAT" },
  );
  await writeTables(path, [t]);
  return stars.length;
}
