/**
 * MegaCam raw headers written the way CFHT writes them (key set, order and section values of
 * `1257365o.fits`): a primary header with the observation cards, and per CCD the detector cards
 * (AMPLIST, CCDSIZE, DETSEC/A/B, DATASEC, ASEC/DSEC/TSEC/BSEC/CSEC A/B, GAINA/B, RDNOISEA/B,
 * SATURATE, MAXLIN...) followed by the observation cards again (raw extensions repeat them).
 */
import { Box2I, type Detector, formatIrafSection, Header, mjdToIsoString } from "@skystack/afw";
import { MEGACAM_DETSIZE, MEGACAM_PIXEL_SIZE_MM } from "./camera.js";

/** What a simulated MegaCam exposure says about itself. */
export interface MegacamVisit {
  /** Odometer number (EXPNUM/OBSID). */
  readonly expnum: number;
  /** FILTER, e.g. "i.MP9702" ("filter_name" for a bias). */
  readonly filter: string;
  /** EXPTIME, s. */
  readonly exptime: number;
  /** DARKTIME, s (default = exptime rounded). */
  readonly darktime?: number;
  /** UTC MJD of the start (MJD-OBS). */
  readonly mjdObs: number;
  /** Pointing, degrees. */
  readonly ra: number;
  readonly dec: number;
  /** AIRMASS. */
  readonly airmass?: number;
  /** OBSTYPE: OBJECT, BIAS, FLAT, DARK (default OBJECT). */
  readonly obstype?: string;
  /** OBJECT. */
  readonly object?: string;
  /** RUNID. */
  readonly runid?: string;
}

function sexagesimal(v: number, hours: boolean): string {
  const sign = v < 0 ? "-" : "";
  let a = Math.abs(hours ? v / 15 : v);
  const d = Math.floor(a);
  a = (a - d) * 60;
  const m = Math.floor(a);
  const s = (a - m) * 60;
  return `${sign}${d}:${String(m).padStart(2, "0")}:${s.toFixed(hours ? 2 : 1).padStart(hours ? 5 : 4, "0")}`;
}

function observationCards(h: Header, v: MegacamVisit): void {
  const iso = mjdToIsoString(v.mjdObs);
  const endIso = mjdToIsoString(v.mjdObs + (v.exptime + 2) / 86400);
  const utc = (s: string) => s.slice(11, 22).replace(/^0/, "");
  h.set("OBSTYPE", v.obstype ?? "OBJECT", { comment: "Observation/ Exposure type" });
  h.set("EXPTYPE", v.obstype ?? "OBJECT", { comment: "OBSTYPE is the new name for this" });
  h.set("EXPNUM", v.expnum, { comment: "CFHT odometer number" });
  h.set("OBSID", v.expnum, { comment: "CFHT odometer number" });
  h.set("EXPTIME", v.exptime, { comment: "Measured integration time (seconds)", isInteger: false });
  h.set("EXPREQ", Math.round(v.exptime), { comment: "Requested integration time (seconds)", isInteger: false });
  h.set("DARKTIME", v.darktime ?? Math.round(v.exptime), { comment: "Dark current time (seconds)", isInteger: false });
  h.set("INSTRUME", "MegaPrime");
  h.set("FILTER", v.filter, { comment: "Name of filter in position" });
  h.set("TELESCOP", "CFHT 3.6m", { comment: "Hawaii Big Island, Mauna Kea" });
  h.set("LATITUDE", 19.825252, { comment: "Latitude (degrees N)" });
  h.set("LONGITUD", -155.468876, { comment: "Longitude (degrees E)" });
  h.set("DATE-OBS", iso.slice(0, 10), { comment: "Date at start of observation (UTC)" });
  h.set("UTC-OBS", utc(iso), { comment: "Time at start of observation (UTC)" });
  h.set("MJD-OBS", Number(v.mjdObs.toFixed(7)), { comment: "Modified Julian Date at start of obs." });
  h.set("UTCEND", utc(endIso), { comment: "Time at end of observation (UTC)" });
  h.set("EQUINOX", 2000.0, { comment: "Equinox of coordinates" });
  h.set("RADECSYS", "FK5", { comment: "Coordinate system for equinox (FK4/FK5/GAPPT)" });
  h.set("RA", sexagesimal(v.ra, true), { comment: "Telescope right ascension" });
  h.set("DEC", sexagesimal(v.dec, false), { comment: "Telescope declination" });
  h.set("RA_DEG", Number(v.ra.toFixed(6)), { comment: "Telescope right ascension in degrees" });
  h.set("DEC_DEG", Number(v.dec.toFixed(6)), { comment: "Telescope declination in degrees" });
  h.set("OBJECT", v.object ?? "SIMULATED");
  h.set("RUNID", v.runid ?? "SIM");
  h.set("AIRMASS", v.airmass ?? 1.0, { comment: "Airmass at start of observation", isInteger: false });
}

/** The primary header of a raw MegaCam MEF with `nExtensions` CCDs. */
export function megacamPrimaryHeader(v: MegacamVisit, nExtensions: number): Header {
  const h = new Header();
  h.set("NEXTEND", nExtensions, { comment: "Number of extensions" });
  h.set("FILENAME", `${v.expnum}o`, { comment: "Base filename at acquisition" });
  h.set("DETECTOR", "MegaCam");
  h.set("DETSIZE", `[1:${MEGACAM_DETSIZE.width},1:${MEGACAM_DETSIZE.height}]`, { comment: "Total data pixels in full mosaic" });
  observationCards(h, v);
  h.set("SIMULATE", true, { comment: "pixels simulated by @skystack/sim" });
  return h;
}

/** DETSEC of a box of the detector (mosaic pixels, 1-based, reversed where the CCD is flipped). */
function detsec(d: Detector, x0: number, x1: number): string {
  const p = d.placement;
  if (!p) return "[0:0,0:0]";
  const cx = (MEGACAM_DETSIZE.width - 1) / 2;
  const cy = (MEGACAM_DETSIZE.height - 1) / 2;
  const mx = (x: number) => Math.round(d.pixelToFocalPlane(x, 0).x / MEGACAM_PIXEL_SIZE_MM + cx) + 1;
  const my = (y: number) => Math.round(d.pixelToFocalPlane(0, y).y / MEGACAM_PIXEL_SIZE_MM + cy) + 1;
  return `[${mx(x0)}:${mx(x1)},${my(d.bbox.min.y)}:${my(d.bbox.max.y)}]`;
}

/** The extension header of one CCD (detector cards, then the observation cards). */
export function megacamCcdHeader(d: Detector, v: MegacamVisit): Header {
  const h = new Header();
  const amps = d.amplifiers;
  const A = amps[0]!;
  const B = amps[1] ?? amps[0]!;
  h.set("EXTVER", d.id, { comment: "Now matches the CCD number in the mosaic" });
  h.set("DETECTOR", "MegaCam");
  h.set("DETSIZE", `[1:${MEGACAM_DETSIZE.width},1:${MEGACAM_DETSIZE.height}]`, { comment: "Total data pixels in full mosaic" });
  h.set("CCDSUM", "1 1", { comment: "Binning factors" });
  h.set("PIXSIZE1", 13.5, { comment: "Pixel size for axis 1 (microns)" });
  h.set("PIXSIZE2", 13.5, { comment: "Pixel size for axis 2 (microns)" });
  h.set("PIXSCAL1", 0.185, { comment: "Pixel scale for axis 1 (arcsec/pixel)" });
  h.set("PIXSCAL2", 0.185, { comment: "Pixel scale for axis 2 (arcsec/pixel)" });
  const nn = String(d.id).padStart(2, "0");
  h.set("AMPNAME", `${nn}a + ${nn}b`, { comment: "List of amplifiers names for this image" });
  h.set("AMPLIST", amps.map((a) => a.name).join(" "), { comment: "List of amplifiers for this CCD" });
  h.set("CCDSIZE", formatIrafSection(d.bbox), { comment: "Detector imaging area size" });
  h.set("DETSEC", detsec(d, d.bbox.min.x, d.bbox.max.x), { comment: "Mosaic area of the entire readout" });
  // Per-amp DETSECs run in readout order: an amplifier reading from the right starts at its max x.
  for (const a of amps) {
    const right = a.readoutCorner === "LR" || a.readoutCorner === "UR";
    h.set(`DETSEC${a.name}`, detsec(d, right ? a.bbox.max.x : a.bbox.min.x, right ? a.bbox.min.x : a.bbox.max.x), {
      comment: `Mosaic area of the ${a.name} readout`,
    });
  }
  const data = A.rawDataBBox.expandedTo(B.rawDataBBox);
  h.set("DATASEC", formatIrafSection(data), { comment: "Imaging area of the entire CCD in raw frame" });
  for (const a of amps) {
    const asec = a.rawBBox.clippedTo(data.expandedTo(a.rawHorizontalOverscanBBox)).clippedTo(a.rawBBox);
    const aRows = a.rawHorizontalOverscanBBox.expandedTo(a.rawDataBBox);
    h.set(`ASEC${a.name}`, formatIrafSection(aRows.isEmpty() ? asec : aRows), {
      comment: `Section by ${a.name} amplifier in raw frame`,
    });
    h.set(`DSEC${a.name}`, formatIrafSection(a.rawDataBBox, a.rawFlipX, a.rawFlipY), {
      comment: `Image area of ${a.name} amplifier in raw frame`,
    });
    h.set(`TSEC${a.name}`, formatIrafSection(a.rawDataBBox, a.rawFlipX, a.rawFlipY), {
      comment: `Trim section of ${a.name} amplifier = DSEC${a.name}`,
    });
    const bsec = a.rawHorizontalOverscanBBox.expandedTo(
      a.rawVerticalOverscanBBox.isEmpty() ? a.rawHorizontalOverscanBBox : a.rawVerticalOverscanBBox,
    );
    h.set(
      `BSEC${a.name}`,
      formatIrafSection(new Box2I(a.rawHorizontalOverscanBBox.min.x, bsec.min.y, a.rawHorizontalOverscanBBox.max.x, bsec.max.y)),
      {
        comment: `Overscan of ${a.name} amplifier in raw frame`,
      },
    );
    h.set(`CSEC${a.name}`, formatIrafSection(a.bbox), { comment: `Section in full CCD after BSEC${a.name} cut out` });
  }
  h.set("CCDNAME", d.serial, { comment: "Name of the CCD (manufacturer reference)" });
  h.set("MAXLIN", Math.round((A.linearityMaximum + B.linearityMaximum) / 2) || 65535, {
    comment: "Level at 1% linearity departure (ADU) = Average",
  });
  for (const a of amps)
    h.set(`MAXLIN${a.name}`, Number.isFinite(a.linearityMaximum) ? a.linearityMaximum : 65535, {
      comment: `Level at 1% linearity departure (ADU) ${a.name} amp`,
    });
  h.set("SATURATE", A.saturation, { comment: "Saturation value (ADU)" });
  h.set("GAIN", Number(((A.gain + B.gain) / 2).toFixed(4)), {
    comment: "Converting gain (e-/ADU) = Average [A,B] amps",
    isInteger: false,
  });
  for (const a of amps)
    h.set(`GAIN${a.name}`, a.gain, { comment: `Converting gain of ${a.name} amplifier (e-/ADU)`, isInteger: false });
  h.set("RDNOISE", Math.round((A.readNoise + B.readNoise) / 2), { comment: "Read noise (electrons) = Average [A,B] amps" });
  for (const a of amps) h.set(`RDNOISE${a.name}`, a.readNoise, { comment: `Read noise (electrons) ${a.name} amplifier` });
  h.set("BIASSEC", "[0:0,0:0]", { comment: "Dual amplifiers readout - see BSECA & BSECB" });
  observationCards(h, v);
  return h;
}
