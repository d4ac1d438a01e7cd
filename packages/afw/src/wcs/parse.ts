/**
 * Reading a celestial FITS WCS from a header into a {@link WcsModel}: CTYPE/CRPIX/CRVAL, CD or
 * PC+CDELT or CROTA2 (wcslib's precedence: PC over CD over CROTA2), CUNIT, LONPOLE/LATPOLE,
 * projection parameters, RADESYS/EQUINOX, alternate WCS letters, the LSST "A" pixel WCS (xy0),
 * and the distortions TAN-SIP (A/B/AP/BP), TPV (PVi_0..39), TNX (IRAF WAT cards) and the
 * CFHT/SCAMP "TAN+PV" convention.
 *
 * TAN+PV rule (option {@link ReadWcsOptions.tanPv}, default "auto"): a plain `RA---TAN` /
 * `DEC--TAN` header (no `-SIP`) is read as TPV when it has any PV card on the latitude axis
 * (`PV2_m`; TAN defines no latitude-axis parameters, so such a card can only be the SCAMP
 * polynomial) or a longitude-axis card `PV1_m` with m ≥ 5 (beyond wcslib's PV1_0..4 fiducial
 * point / pole parameters). "tpv" forces TPV for any plain TAN header with PV cards; "ignore"
 * reads TAN exactly as wcslib does (PV polynomial ignored).
 */
import type { Header } from "../fits/header.js";
import { WcsError, type WcsErrorLocation } from "./errors.js";
import { Poly2D } from "./poly.js";
import { PROJECTION_CODES, type ProjectionParams } from "./projections.js";

/** Celestial reference frame of the sky coordinates. */
export interface SkyFrame {
  /** "ICRS" or "FK5" (FK5 J2000 coordinates are used as they are, as wcslib does). */
  readonly radesys: "ICRS" | "FK5";
  /** Equinox (Julian years) for FK5, null for ICRS. */
  readonly equinox: number | null;
}

/** Distortion in pixel space: TAN-SIP polynomials (offsets from CRPIX, pixels). */
export interface SipDistortion {
  /** A: u' = u + A(u, v). */
  readonly a: Poly2D;
  /** B: v' = v + B(u, v). */
  readonly b: Poly2D;
  /** Inverse AP (u = U + AP(U, V)) if known. */
  readonly ap: Poly2D | null;
  /** Inverse BP. */
  readonly bp: Poly2D | null;
}

/** Distortion in the intermediate-world plane (degrees): ξ = xi(X, Y), η = eta(X, Y). */
export interface PlaneDistortion {
  /** Where it came from: TPV (or TAN+PV) or TNX (converted exactly to monomials). */
  readonly kind: "TPV" | "TNX";
  /** ξ as a polynomial of the CD output (X, Y) in degrees. */
  readonly xi: Poly2D;
  /** η as a polynomial of (X, Y) in degrees. */
  readonly eta: Poly2D;
}

/** Everything that defines a celestial WCS, in LSST pixel coordinates. */
export interface WcsModel {
  /** Reference pixel, LSST 0-based PARENT coordinates (FITS CRPIX − 1 + xy0). */
  readonly crpix: readonly [number, number];
  /** Reference sky position (α0, δ0) in degrees. */
  readonly crval: readonly [number, number];
  /** CD matrix (degrees per pixel), row-major [CD1_1, CD1_2, CD2_1, CD2_2] (row 1 = longitude). */
  readonly cd: readonly [number, number, number, number];
  /** Projection code (TAN for TPV/TNX/SIP). */
  readonly projection: string;
  /** Projection parameters PV2_m of the latitude axis (not for TPV). */
  readonly projParams: ProjectionParams;
  /** LONPOLE in degrees, or undefined for the default. */
  readonly lonpole: number | undefined;
  /** LATPOLE in degrees, or undefined for the default. */
  readonly latpole: number | undefined;
  /** SIP distortion or null. */
  readonly sip: SipDistortion | null;
  /** TPV/TNX distortion or null. */
  readonly plane: PlaneDistortion | null;
  /** Sky frame. */
  readonly frame: SkyFrame;
}

/** Options for reading a WCS from a header. */
export interface ReadWcsOptions {
  /** Alternate WCS letter ("" = primary, "A".."Z"). Default "". */
  alt?: string;
  /** How PV cards under a plain TAN CTYPE are read (see module doc). Default "auto". */
  tanPv?: "auto" | "tpv" | "ignore";
  /**
   * xy0 of the image the header belongs to: "auto" (default) reads it from the LSST "A" pixel WCS
   * (CTYPE1A = 'LINEAR'); a pair sets it; "none" uses (0, 0).
   */
  xy0?: "auto" | "none" | readonly [number, number];
  /** File name / HDU for error messages. */
  location?: WcsErrorLocation;
}

const UNIT_TO_DEG: Record<string, number> = {
  deg: 1,
  degree: 1,
  degrees: 1,
  arcmin: 1 / 60,
  arcsec: 1 / 3600,
  mas: 1 / 3.6e6,
  rad: 180 / Math.PI,
};

const LNG = /^(RA|GLON|ELON|SLON|HLON|[A-Z]{1}LON|[A-Z]{2}LN)$/;
const LAT = /^(DEC|GLAT|ELAT|SLAT|HLAT|[A-Z]{1}LAT|[A-Z]{2}LT)$/;

interface CtypeParts {
  coord: string;
  code: string;
  sip: boolean;
}

function splitCtype(ctype: string, loc: WcsErrorLocation): CtypeParts {
  const m = /^(.{4})-(.{3})(-SIP)?\s*$/.exec(ctype.toUpperCase());
  if (!m) throw new WcsError("BAD_CARD", `cannot parse celestial CTYPE '${ctype}' (expected e.g. 'RA---TAN')`, loc);
  return { coord: m[1]!.replace(/-+$/, ""), code: m[2]!, sip: m[3] !== undefined };
}

/** xy0 from the LSST "A" pixel WCS (CTYPE1A = 'LINEAR'), or (0, 0). */
export function xy0FromHeader(h: Header): [number, number] {
  if (h.getString("CTYPE1A")?.trim().toUpperCase() === "LINEAR" && h.has("CRVAL1A") && h.has("CRVAL2A")) {
    return [
      Math.round(h.requireNumber("CRVAL1A") - (h.getNumber("CRPIX1A") ?? 1) + 1),
      Math.round(h.requireNumber("CRVAL2A") - (h.getNumber("CRPIX2A") ?? 1) + 1),
    ];
  }
  return [0, 0];
}

/** True when the header has a celestial WCS (CTYPE1/2 with a longitude/latitude pair). */
export function hasCelestialWcs(h: Header, alt = ""): boolean {
  const c1 = h.has(`CTYPE1${alt}`) ? h.get(`CTYPE1${alt}`) : undefined;
  const c2 = h.has(`CTYPE2${alt}`) ? h.get(`CTYPE2${alt}`) : undefined;
  if (typeof c1 !== "string" || typeof c2 !== "string") return false;
  const a = /^(.{4})-/.exec(c1.toUpperCase());
  const b = /^(.{4})-/.exec(c2.toUpperCase());
  if (!a || !b) return false;
  const ca = a[1]!.replace(/-+$/, "");
  const cb = b[1]!.replace(/-+$/, "");
  return (LNG.test(ca) && LAT.test(cb)) || (LAT.test(ca) && LNG.test(cb));
}

/** Reads the celestial WCS of a header. @throws WcsError naming the file, HDU and card. */
export function readWcsModel(h: Header, options: ReadWcsOptions = {}): WcsModel {
  const alt = (options.alt ?? "").trim().toUpperCase();
  if (!/^[A-Z]?$/.test(alt))
    throw new WcsError("INVALID_ARGUMENT", `alternate WCS letter must be A-Z or empty, got '${options.alt}'`);
  const base: WcsErrorLocation = { ...(options.location ?? {}) };
  if (base.file === undefined && h.location.file !== undefined) base.file = h.location.file;
  if (base.hdu === undefined && h.location.hdu !== undefined) base.hdu = h.location.hdu;
  const at = (card: string): WcsErrorLocation => ({ ...base, card });
  const num = (key: string): number | undefined => {
    if (!h.has(key)) return undefined;
    const v = h.get(key);
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    throw new WcsError("BAD_CARD", `expected a number, found ${JSON.stringify(v)}`, at(key));
  };
  const str = (key: string): string | undefined => {
    if (!h.has(key)) return undefined;
    const v = h.get(key);
    if (typeof v !== "string") throw new WcsError("BAD_CARD", `expected a string, found ${String(v)}`, at(key));
    return v.trim();
  };
  const k = (name: string): string => `${name}${alt}`;

  const ct1 = str(k("CTYPE1"));
  const ct2 = str(k("CTYPE2"));
  if (ct1 === undefined || ct2 === undefined || ct1 === "" || ct2 === "") {
    throw new WcsError(
      "NO_WCS",
      `no celestial WCS: CTYPE1${alt}/CTYPE2${alt} missing or blank`,
      at(k(ct1 === undefined || ct1 === "" ? "CTYPE1" : "CTYPE2")),
    );
  }
  const p1 = splitCtype(ct1, at(k("CTYPE1")));
  const p2 = splitCtype(ct2, at(k("CTYPE2")));
  let lngAxis: 0 | 1;
  if (LNG.test(p1.coord) && LAT.test(p2.coord)) lngAxis = 0;
  else if (LAT.test(p1.coord) && LNG.test(p2.coord)) lngAxis = 1;
  else
    throw new WcsError(
      "NO_WCS",
      `CTYPE1${alt}='${ct1}', CTYPE2${alt}='${ct2}' are not a celestial longitude/latitude pair`,
      at(k("CTYPE1")),
    );
  if (p1.code !== p2.code) throw new WcsError("BAD_CARD", `projection codes differ: '${ct1}' and '${ct2}'`, at(k("CTYPE2")));
  if (p1.sip !== p2.sip) throw new WcsError("BAD_CARD", `only one axis says -SIP: '${ct1}' and '${ct2}'`, at(k("CTYPE2")));
  const latAxis = (1 - lngAxis) as 0 | 1;
  const L = lngAxis + 1;
  const B = latAxis + 1;
  let code = p1.code;
  const sipFlag = p1.sip;

  // Units
  const unitScale = (i: number): number => {
    const u = str(k(`CUNIT${i}`));
    if (u === undefined || u === "") return 1;
    const s = UNIT_TO_DEG[u.toLowerCase()];
    if (s === undefined)
      throw new WcsError("UNSUPPORTED", `celestial axis unit '${u}' (deg, arcmin, arcsec, mas, rad are)`, at(k(`CUNIT${i}`)));
    return s;
  };
  const us = [unitScale(1), unitScale(2)];

  // Linear part: PC (with CDELT) over CD over CROTA2.
  const hasAny = (prefix: string): boolean =>
    [11, 12, 21, 22].some((ij) => h.has(k(`${prefix}${Math.floor(ij / 10)}_${ij % 10}`)));
  const m = [0, 0, 0, 0];
  if (hasAny("PC") || !hasAny("CD")) {
    const cdelt = [num(k("CDELT1")) ?? 1, num(k("CDELT2")) ?? 1];
    if (hasAny("PC")) {
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) m[i * 2 + j] = cdelt[i]! * (num(k(`PC${i + 1}_${j + 1}`)) ?? (i === j ? 1 : 0));
    } else {
      const rho = ((num(k(`CROTA${B}`)) ?? num(k(`CROTA${L}`)) ?? 0) * Math.PI) / 180;
      const c = Math.cos(rho);
      const s = Math.sin(rho);
      // wcslib: CROTA applies as PC_lng,lng = cos, PC_lng,lat = −sin·(cdelt_lat/cdelt_lng), ...
      const cl = cdelt[lngAxis]!;
      const cb = cdelt[latAxis]!;
      m[lngAxis * 2 + lngAxis] = cl * c;
      m[lngAxis * 2 + latAxis] = -cb * s;
      m[latAxis * 2 + lngAxis] = cl * s;
      m[latAxis * 2 + latAxis] = cb * c;
    }
  } else {
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) m[i * 2 + j] = num(k(`CD${i + 1}_${j + 1}`)) ?? 0;
  }
  for (let j = 0; j < 2; j++) {
    m[j] = m[j]! * us[0]!;
    m[2 + j] = m[2 + j]! * us[1]!;
  }
  // rows ordered (longitude, latitude)
  const cd: [number, number, number, number] = [m[lngAxis * 2]!, m[lngAxis * 2 + 1]!, m[latAxis * 2]!, m[latAxis * 2 + 1]!];
  const det = cd[0] * cd[3] - cd[1] * cd[2];
  if (!(Number.isFinite(det) && det !== 0))
    throw new WcsError("BAD_CARD", `the linear transformation (CD/PC/CDELT) is singular or not finite`, at(k("CD1_1")));

  const crval1 = num(k(`CRVAL${L}`));
  const crval2 = num(k(`CRVAL${B}`));
  if (crval1 === undefined || crval2 === undefined)
    throw new WcsError("BAD_CARD", "CRVAL1/CRVAL2 missing", at(k(crval1 === undefined ? `CRVAL${L}` : `CRVAL${B}`)));
  const crval: [number, number] = [crval1 * us[lngAxis]!, crval2 * us[latAxis]!];
  if (Math.abs(crval[1]) > 90)
    throw new WcsError("BAD_CARD", `latitude CRVAL${B} = ${crval[1]} is outside [-90, 90]`, at(k(`CRVAL${B}`)));
  const xy0 =
    options.xy0 === "none" ? [0, 0] : options.xy0 === undefined || options.xy0 === "auto" ? xy0FromHeader(h) : options.xy0;
  const crpix: [number, number] = [(num(k("CRPIX1")) ?? 0) - 1 + xy0[0]!, (num(k("CRPIX2")) ?? 0) - 1 + xy0[1]!];

  // PV cards by axis
  const pvOf = (axis: number): Map<number, number> => {
    const out = new Map<number, number>();
    const re = new RegExp(`^PV${axis}_(\\d+)${alt}$`);
    for (const key of h.keys()) {
      const mm = re.exec(key);
      if (mm) out.set(Number(mm[1]), num(key)!);
    }
    return out;
  };
  const pvL = pvOf(L);
  const pvB = pvOf(B);

  // TAN+PV convention
  if (code === "TAN" && !sipFlag && (pvL.size > 0 || pvB.size > 0)) {
    const mode = options.tanPv ?? "auto";
    const scamp = pvB.size > 0 || [...pvL.keys()].some((j) => j >= 5);
    if (mode === "tpv" || (mode === "auto" && scamp)) code = "TPV";
    else if (mode === "ignore") {
      pvL.clear();
      pvB.clear();
    }
  }

  let plane: PlaneDistortion | null = null;
  let projCode = code;
  let projParams: Map<number, number> = new Map();
  if (code === "TPV") {
    projCode = "TAN";
    if (lngAxis !== 0) throw new WcsError("UNSUPPORTED", "TPV with the latitude on axis 1 is not supported", at(k("CTYPE1")));
    plane = tpvFromPv(pvL, pvB, at(k("PV1_0")));
  } else if (code === "TNX") {
    projCode = "TAN";
    if (lngAxis !== 0) throw new WcsError("UNSUPPORTED", "TNX with the latitude on axis 1 is not supported", at(k("CTYPE1")));
    plane = readTnx(h, base);
  } else if (code === "ZPX") {
    throw new WcsError("UNSUPPORTED", `projection '${code}' is not implemented`, at(k("CTYPE1")));
  } else {
    if (!PROJECTION_CODES.includes(code))
      throw new WcsError(
        "UNSUPPORTED",
        `projection '${code}' is not implemented (${PROJECTION_CODES.join(", ")}, TPV, TNX are)`,
        at(k("CTYPE1")),
      );
    projParams = pvB;
    for (const [j, v] of pvL) {
      if (j === 3 || j === 4) continue; // LONPOLE / LATPOLE aliases, handled below
      const def = j === 0 ? 0 : undefined;
      if (v !== def)
        throw new WcsError(
          "UNSUPPORTED",
          `longitude-axis projection parameter PV${L}_${j} = ${v} (non-default fiducial point) is not supported`,
          at(k(`PV${L}_${j}`)),
        );
    }
  }

  let sip: SipDistortion | null = null;
  if (sipFlag) {
    if (lngAxis !== 0) throw new WcsError("UNSUPPORTED", "TAN-SIP with the latitude on axis 1 is not supported", at(k("CTYPE1")));
    sip = readSip(h, at);
  }

  const lonpole = num(k("LONPOLE")) ?? (code === "TPV" || code === "TNX" ? undefined : pvL.get(3));
  const latpole = num(k("LATPOLE")) ?? (code === "TPV" || code === "TNX" ? undefined : pvL.get(4));

  return {
    crpix,
    crval,
    cd,
    projection: projCode,
    projParams,
    lonpole,
    latpole,
    sip,
    plane,
    frame: readFrame(h, alt, at),
  };
}

function readFrame(h: Header, alt: string, at: (c: string) => WcsErrorLocation): SkyFrame {
  const rk = h.has(`RADESYS${alt}`) ? `RADESYS${alt}` : h.has("RADECSYS") ? "RADECSYS" : undefined;
  const eqKey = h.has(`EQUINOX${alt}`) ? `EQUINOX${alt}` : h.has("EPOCH") ? "EPOCH" : undefined;
  const eqv = eqKey === undefined ? undefined : h.get(eqKey);
  const equinox =
    typeof eqv === "number"
      ? eqv
      : typeof eqv === "string" && Number.isFinite(Number(eqv.replace(/^[JB]/, "")))
        ? Number(eqv.replace(/^[JB]/, ""))
        : undefined;
  let sys =
    rk === undefined
      ? undefined
      : String(h.get(rk) ?? "")
          .trim()
          .toUpperCase();
  if (sys === undefined || sys === "") sys = equinox === undefined ? "ICRS" : equinox < 1984 ? "FK4" : "FK5";
  if (sys === "ICRS") return { radesys: "ICRS", equinox: null };
  if (sys === "FK5") {
    const e = equinox ?? 2000;
    if (Math.abs(e - 2000) > 1e-9)
      throw new WcsError(
        "UNSUPPORTED",
        `FK5 with equinox ${e}: precession to J2000 is not implemented`,
        at(eqKey ?? rk ?? "RADESYS"),
      );
    return { radesys: "FK5", equinox: 2000 };
  }
  if (sys === "FK4" || sys === "FK4-NO-E")
    throw new WcsError(
      "UNSUPPORTED",
      `${sys} (B1950) coordinates are not supported: convert the header to ICRS/FK5 J2000 first`,
      at(rk ?? eqKey ?? "RADESYS"),
    );
  throw new WcsError("UNSUPPORTED", `reference system '${sys}' is not supported (ICRS, FK5 J2000 are)`, at(rk ?? "RADESYS"));
}

/** TPV term k → [x power, y power] or the radial power as [-1, p]. */
export const TPV_TERMS: ReadonlyArray<readonly [number, number]> = (() => {
  const t: [number, number][] = [];
  for (let d = 0; d <= 7; d++) {
    for (let j = 0; j <= d; j++) t.push([d - j, j]);
    if (d % 2 === 1) t.push([-1, d]);
  }
  return t;
})();

function tpvPoly(pv: Map<number, number>, identity: "x" | "y"): Poly2D {
  let order = 1;
  for (const [kk, v] of pv) {
    if (v === 0) continue;
    const t = TPV_TERMS[kk];
    if (t) order = Math.max(order, t[0] < 0 ? 1 : t[0] + t[1]);
  }
  const radial = new Float64Array(4);
  const p = new Poly2D(order);
  if (pv.size === 0) {
    if (identity === "x") p.set(1, 0, 1);
    else p.set(0, 1, 1);
    return p;
  }
  for (const [kk, v] of pv) {
    const t = TPV_TERMS[kk];
    if (!t || v === 0) continue;
    if (t[0] < 0) radial[(t[1] - 1) / 2] = v;
    else p.set(t[0], t[1], v);
  }
  return new Poly2D(order, p.coeffs, radial);
}

/** TPV distortion from the PV cards of the longitude (ξ) and latitude (η) axes. */
function tpvFromPv(pvL: Map<number, number>, pvB: Map<number, number>, loc: WcsErrorLocation): PlaneDistortion {
  for (const [kk] of [...pvL, ...pvB]) {
    if (kk > 39) throw new WcsError("BAD_CARD", `TPV defines PVi_0..PVi_39, found index ${kk}`, loc);
  }
  // η uses the same terms with x and y exchanged: η = Σ PV2_k term_k(y, x).
  return { kind: "TPV", xi: tpvPoly(pvL, "x"), eta: tpvPoly(pvB, "x").transposed() };
}

function readSip(h: Header, at: (c: string) => WcsErrorLocation): SipDistortion {
  const poly = (name: string, required: boolean): Poly2D | null => {
    const ok = `${name}_ORDER`;
    if (!h.has(ok)) {
      if (required) throw new WcsError("BAD_CARD", `CTYPE says -SIP but ${ok} is missing`, at(ok));
      return null;
    }
    const order = h.get(ok);
    if (typeof order !== "number" || !Number.isInteger(order) || order < 0 || order > 20)
      throw new WcsError("BAD_CARD", `${ok} must be an integer in [0, 20], got ${String(order)}`, at(ok));
    const p = new Poly2D(order);
    const re = new RegExp(`^${name}_(\\d+)_(\\d+)$`);
    for (const key of h.keys()) {
      const m = re.exec(key);
      if (!m) continue;
      const i = Number(m[1]);
      const j = Number(m[2]);
      const v = h.get(key);
      if (typeof v !== "number") throw new WcsError("BAD_CARD", `expected a number, found ${String(v)}`, at(key));
      if (i + j > order) throw new WcsError("BAD_CARD", `${key} exceeds ${ok} = ${order}`, at(key));
      p.set(i, j, v);
    }
    return p;
  };
  return { a: poly("A", true)!, b: poly("B", true)!, ap: poly("AP", false), bp: poly("BP", false) };
}

/** The IRAF WAT string of an axis: WATi_001, WATi_002... concatenated as 68-character pieces. */
function watString(h: Header, axis: number): string {
  let s = "";
  for (let n = 1; n < 1000; n++) {
    const key = `WAT${axis}_${String(n).padStart(3, "0")}`;
    if (!h.has(key)) break;
    const next = `WAT${axis}_${String(n + 1).padStart(3, "0")}`;
    const v = String(h.get(key) ?? "");
    s += h.has(next) ? v.padEnd(68, " ") : v;
  }
  return s;
}

/** TNX: TAN plus IRAF gsurfit corrections lngcor/latcor of (ξ, η) in degrees, as exact monomials. */
function readTnx(h: Header, base: WcsErrorLocation): PlaneDistortion {
  const surface = (axis: number, attr: "lngcor" | "latcor"): Poly2D | null => {
    const s = watString(h, axis);
    const m = new RegExp(`${attr}\\s*=\\s*"([^"]*)"`).exec(s);
    if (!m) return null;
    const vals = m[1]!.trim().split(/\s+/).map(Number);
    const loc = { ...base, card: `WAT${axis}_001` };
    if (vals.length < 8 || vals.some((v) => !Number.isFinite(v))) throw new WcsError("BAD_CARD", `cannot parse TNX ${attr}`, loc);
    const [type, xorder, yorder, xterms, xmin, xmax, ymin, ymax] = vals as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (![1, 2, 3].includes(type))
      throw new WcsError("UNSUPPORTED", `TNX ${attr} surface type ${type} (1 Chebyshev, 2 Legendre, 3 polynomial are)`, loc);
    if (![0, 1, 2].includes(xterms)) throw new WcsError("BAD_CARD", `TNX ${attr} cross-terms code ${xterms}`, loc);
    if (!(xorder >= 1 && yorder >= 1 && xorder <= 12 && yorder <= 12))
      throw new WcsError("BAD_CARD", `TNX ${attr} orders ${xorder}, ${yorder}`, loc);
    const maxOrder = Math.max(xorder, yorder);
    const terms: [number, number][] = [];
    for (let j = 0; j < yorder; j++) {
      const imax = xterms === 1 ? xorder - 1 : xterms === 2 ? Math.min(xorder - 1, maxOrder - 1 - j) : j === 0 ? xorder - 1 : 0;
      for (let i = 0; i <= imax; i++) terms.push([i, j]);
    }
    const coeffs = vals.slice(8);
    if (coeffs.length !== terms.length)
      throw new WcsError("BAD_CARD", `TNX ${attr} has ${coeffs.length} coefficients, expected ${terms.length}`, loc);
    // basis matrices: basis_m(x') as polynomials in x (x' = (2x − max − min)/(max − min))
    const basis = (n: number, lo: number, hi: number): number[][] => {
      const out: number[][] = [];
      const a = type === 3 ? 0 : -(hi + lo) / (hi - lo);
      const b = type === 3 ? 1 : 2 / (hi - lo);
      for (let mm = 0; mm < n; mm++) {
        const row = new Array<number>(n).fill(0);
        if (mm === 0) row[0] = 1;
        else if (mm === 1) {
          row[0] = a;
          row[1] = b;
        } else if (type === 3) row[mm] = 1;
        else {
          const p1 = out[mm - 1]!;
          const p2 = out[mm - 2]!;
          // Chebyshev: P_m = 2 x' P_{m-1} − P_{m-2}; Legendre: P_m = ((2m−1) x' P_{m-1} − (m−1) P_{m-2}) / m
          const f1 = type === 1 ? 2 : (2 * mm - 1) / mm;
          const f2 = type === 1 ? 1 : (mm - 1) / mm;
          for (let q = 0; q < n; q++) {
            row[q] = f1 * a * p1[q]! - f2 * p2[q]! + (q > 0 ? f1 * b * p1[q - 1]! : 0);
          }
        }
        out.push(row);
      }
      return out;
    };
    const bx = basis(xorder, xmin, xmax);
    const by = basis(yorder, ymin, ymax);
    const order = xorder - 1 + yorder - 1;
    const p = new Poly2D(order);
    terms.forEach(([i, j], t) => {
      const c = coeffs[t]!;
      if (c === 0) return;
      for (let q = 0; q <= i; q++) {
        for (let r = 0; r <= j; r++) {
          const v = c * bx[i]![q]! * by[j]![r]!;
          if (v !== 0) p.coeffs[q * (order + 1) + r]! += v;
        }
      }
    });
    return p;
  };
  const lng = surface(1, "lngcor");
  const lat = surface(2, "latcor");
  const ord = Math.max(1, lng?.order ?? 1, lat?.order ?? 1);
  const xi = new Poly2D(ord);
  const eta = new Poly2D(ord);
  xi.set(1, 0, 1);
  eta.set(0, 1, 1);
  const add = (dst: Poly2D, src: Poly2D | null): void => {
    if (!src) return;
    for (let i = 0; i <= src.order; i++) for (let j = 0; i + j <= src.order; j++) dst.set(i, j, dst.get(i, j) + src.get(i, j));
  };
  add(xi, lng);
  add(eta, lat);
  return { kind: "TNX", xi, eta };
}
