/**
 * Constructing SkyWcs objects: from a FITS header, from parameters (afw `makeSkyWcs`,
 * `makeTanSipWcs`, `makeCdMatrix`), and writing one back as FITS cards (`getFitsMetadata`).
 */
import { FitsFile } from "../fits/file.js";
import { Header } from "../fits/header.js";
import type { Point2D } from "../geom/point.js";
import type { SpherePoint } from "../geom/sphere.js";
import { WcsError } from "./errors.js";
import { type ReadWcsOptions, readWcsModel, type SkyFrame, TPV_TERMS, type WcsModel } from "./parse.js";
import type { Poly2D } from "./poly.js";
import { type Matrix2, SkyWcs } from "./skywcs.js";

/** Reads the celestial WCS of a header (see `parse.ts` for the conventions and options). */
export function readSkyWcs(header: Header, options: ReadWcsOptions = {}): SkyWcs {
  return new SkyWcs(readWcsModel(header, options));
}

/**
 * Reads the WCS of one HDU of a FITS file (tile-compressed HDUs use their image header).
 * @param hdu HDU index (default: the first HDU with a celestial WCS)
 */
export async function readSkyWcsFromFile(path: string | Uint8Array, hdu?: number, options: ReadWcsOptions = {}): Promise<SkyWcs> {
  const f = await FitsFile.open(path);
  try {
    const name = typeof path === "string" ? path : "<memory>";
    if (hdu !== undefined) {
      const info = await f.hdu(hdu);
      return readSkyWcs(f.imageHeader(info), { ...options, location: { file: name, hdu } });
    }
    const all = await f.hdus();
    let first: Error | undefined;
    for (const info of all) {
      const h = f.imageHeader(info);
      if (!h.has("CTYPE1") || String(h.get("CTYPE1") ?? "").trim() === "") continue;
      try {
        return readSkyWcs(h, { ...options, location: { file: name, hdu: info.index } });
      } catch (e) {
        first ??= e as Error;
      }
    }
    if (first) throw first;
    throw new WcsError("NO_WCS", "no HDU has a celestial WCS", { file: name });
  } finally {
    await f.close();
  }
}

/**
 * A CD matrix for a pixel scale and orientation (afw `makeCdMatrix`): East towards −x and North
 * towards +y at orientation 0, rotated by `orientation` (radians, North through East); `flipX`
 * puts East towards +x.
 * @param scaleArcsec pixel scale, arcseconds per pixel
 */
export function makeCdMatrix(scaleArcsec: number, orientation = 0, flipX = false): Matrix2 {
  const s = scaleArcsec / 3600;
  const c = Math.cos(orientation);
  const n = Math.sin(orientation);
  const xs = flipX ? -1 : 1;
  return [-s * c * xs, s * n, s * n * xs, s * c];
}

/** Parameters of a WCS without distortion. */
export interface SimpleWcsParams {
  /** Reference pixel (LSST PARENT coordinates). */
  crpix: Point2D | readonly [number, number];
  /** Reference sky position. */
  crval: SpherePoint;
  /** CD matrix, degrees per pixel, [CD1_1, CD1_2, CD2_1, CD2_2]. */
  cd: Matrix2;
  /** Projection code (default "TAN"). */
  projection?: string;
  /** Projection parameters PV2_m (e.g. CEA's λ). */
  projParams?: ReadonlyMap<number, number>;
  /** Sky frame (default ICRS). */
  frame?: SkyFrame;
}

function pair(p: Point2D | readonly [number, number]): [number, number] {
  return Array.isArray(p) ? [p[0]!, p[1]!] : [(p as Point2D).x, (p as Point2D).y];
}

function baseModel(p: SimpleWcsParams): WcsModel {
  return {
    crpix: pair(p.crpix),
    crval: [p.crval.raDeg, p.crval.decDeg],
    cd: [...p.cd] as Matrix2,
    projection: p.projection ?? "TAN",
    projParams: p.projParams ?? new Map(),
    lonpole: undefined,
    latpole: undefined,
    sip: null,
    plane: null,
    frame: p.frame ?? { radesys: "ICRS", equinox: null },
  };
}

/** A WCS without distortion (afw `makeSkyWcs(crpix, crval, cd, projection)`). */
export function makeSkyWcs(p: SimpleWcsParams): SkyWcs {
  return new SkyWcs(baseModel(p));
}

/** A TAN-SIP WCS (afw `makeTanSipWcs`): forward A/B and optional inverse AP/BP (pixels). */
export function makeTanSipWcs(p: Omit<SimpleWcsParams, "projection">, a: Poly2D, b: Poly2D, ap?: Poly2D, bp?: Poly2D): SkyWcs {
  return new SkyWcs({ ...baseModel(p), sip: { a, b, ap: ap ?? null, bp: bp ?? null } });
}

/** A TPV WCS: ξ = xi(X, Y), η = eta(X, Y) of the CD output in degrees (radial terms allowed in TPV's slots). */
export function makeTpvWcs(p: Omit<SimpleWcsParams, "projection">, xi: Poly2D, eta: Poly2D): SkyWcs {
  for (const q of [xi, eta])
    if (q.order > 7) throw new WcsError("INVALID_ARGUMENT", `TPV polynomials have order <= 7, got ${q.order}`);
  return new SkyWcs({ ...baseModel(p), plane: { kind: "TPV", xi, eta } });
}

const LNG_NAME = "RA--";
const LAT_NAME = "DEC-";

/**
 * FITS cards for a WCS (afw `getFitsMetadata`): exact for every projection, TAN-SIP (with AP/BP
 * when known) and TPV; TNX is written exactly as TPV (its corrections are cubic polynomials).
 * CRPIX is written FITS 1-based for an image whose first pixel is at `xy0`:
 * CRPIX = crpix − xy0 + 1.
 */
export function getFitsMetadata(wcs: SkyWcs, xy0: readonly [number, number] = [0, 0]): Header {
  const m = wcs.model;
  const h = new Header();
  const code = m.plane ? "TPV" : m.sip ? "TAN-SIP" : m.projection;
  h.set("WCSAXES", 2, { comment: "number of WCS axes" });
  h.set("CTYPE1", `${LNG_NAME}-${code}`, { comment: "RA, projection" });
  h.set("CTYPE2", `${LAT_NAME}-${code}`, { comment: "Dec, projection" });
  h.set("CRPIX1", m.crpix[0] - xy0[0] + 1, { comment: "reference pixel (FITS 1-based)", isInteger: false });
  h.set("CRPIX2", m.crpix[1] - xy0[1] + 1, { comment: "reference pixel (FITS 1-based)", isInteger: false });
  h.set("CRVAL1", m.crval[0], { comment: "RA at the reference pixel (deg)", isInteger: false });
  h.set("CRVAL2", m.crval[1], { comment: "Dec at the reference pixel (deg)", isInteger: false });
  h.set("CUNIT1", "deg", { comment: "unit of CRVAL1 and CD1_j" });
  h.set("CUNIT2", "deg", { comment: "unit of CRVAL2 and CD2_j" });
  const names = ["CD1_1", "CD1_2", "CD2_1", "CD2_2"];
  m.cd.forEach((v, i) => {
    h.set(names[i]!, v, { comment: "linear transformation (deg/pixel)", isInteger: false });
  });
  h.set("LONPOLE", wcs.rotation.lonpoleDeg, { comment: "native longitude of the celestial pole (deg)", isInteger: false });
  h.set("LATPOLE", wcs.rotation.latpoleDeg, { comment: "native latitude of the celestial pole (deg)", isInteger: false });
  h.set("RADESYS", m.frame.radesys, { comment: "celestial reference frame" });
  if (m.frame.equinox !== null) h.set("EQUINOX", m.frame.equinox, { comment: "equinox (Julian years)", isInteger: false });
  if (!m.plane && !m.sip)
    for (const [k, v] of m.projParams) h.set(`PV2_${k}`, v, { comment: "projection parameter", isInteger: false });
  if (m.sip) {
    const put = (name: string, p: Poly2D | null, comment: string): void => {
      if (!p) return;
      h.set(`${name}_ORDER`, p.order, { comment });
      for (let i = 0; i <= p.order; i++)
        for (let j = 0; i + j <= p.order; j++) {
          const v = p.get(i, j);
          if (v !== 0) h.set(`${name}_${i}_${j}`, v, { comment: "SIP coefficient", isInteger: false });
        }
    };
    put("A", m.sip.a, "SIP polynomial order, axis 1, pixel to sky");
    put("B", m.sip.b, "SIP polynomial order, axis 2, pixel to sky");
    put("AP", m.sip.ap, "SIP polynomial order, axis 1, sky to pixel");
    put("BP", m.sip.bp, "SIP polynomial order, axis 2, sky to pixel");
  }
  if (m.plane) {
    const { xi, eta } = m.plane;
    const etaT = eta.transposed();
    for (const [axis, p] of [
      [1, xi],
      [2, etaT],
    ] as const) {
      if (p.order > 7)
        throw new WcsError("UNSUPPORTED", `${m.plane.kind} polynomial of order ${p.order} cannot be written as TPV (order <= 7)`);
      TPV_TERMS.forEach((t, k) => {
        const v = t[0] < 0 ? (p.radial ? p.radial[(t[1] - 1) / 2]! : 0) : p.get(t[0], t[1]);
        if (v !== 0 || k <= 2) h.set(`PV${axis}_${k}`, v, { comment: "TPV distortion coefficient", isInteger: false });
      });
    }
  }
  return h;
}
