/**
 * MegaCam header translation (astro_metadata_translator `MegaPrimeTranslator`): VisitInfo,
 * filter, exposure id, detector id and the data id used by `ingest-raws`.
 */
import {
  degToRad,
  type FilterLabel,
  type Header,
  isoStringToMjd,
  makeVisitInfo,
  SpherePoint,
  type VisitInfo,
} from "@skystack/afw";
import { CardSource } from "./cards.js";
import { CfhtError } from "./errors.js";
import { megacamFilterLabel } from "./filters.js";
import { utcToTaiMjd } from "./time.js";

/** Instrument name used in data ids and VisitInfo. */
export const MEGAPRIME = "MegaPrime";
/** Mauna Kea site height used by the translator, metres. */
export const CFHT_ELEVATION_M = 4215;

/** What a MegaCam header says about an exposure and CCD. */
export interface MegacamObservation {
  /** Observation metadata (date = mid-exposure, TAI MJD). */
  readonly visitInfo: VisitInfo;
  /** Filter label. */
  readonly filter: FilterLabel;
  /** CFHT odometer number (EXPNUM). */
  readonly exposureId: number;
  /** CCD name `ccdNN`, or null for a primary-only header. */
  readonly detectorName: string | null;
  /** CCD number, or null. */
  readonly detectorId: number | null;
  /** EXPNUM × 36 + ccd (obs_cfht's detector_exposure_id), or null. */
  readonly detectorExposureId: number | null;
  /** Butler data id (instrument, exposure, detector, band). */
  readonly dataId: {
    instrument: string;
    exposure: number;
    detector: number | null;
    band: string | null;
    physical_filter: string;
  };
}

/** The CCD name (`ccdNN`) of an extension header: the EXTNAME card that looks like one. */
export function megacamDetectorName(ext: Header): string | null {
  for (const v of ext.getAll("EXTNAME")) {
    const s = String(v ?? "").trim();
    if (/^ccd\d{2}$/i.test(s)) return s.toLowerCase();
  }
  return null;
}

/** UTC MJD at the start of the exposure: DATE-OBS + UTC-OBS, else MJD-OBS. */
function startUtcMjd(c: CardSource): number {
  const date = c.string("DATE-OBS");
  const utc = c.string("UTC-OBS") ?? c.string("UTIME");
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date) && utc) {
    const m = /^(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(utc);
    if (m) return isoStringToMjd(`${date}T${m[1]!.padStart(2, "0")}:${m[2]}:${m[3]!.padStart(2, "0")}`);
  }
  if (date?.includes("T")) return isoStringToMjd(date);
  const mjd = c.number("MJD-OBS") ?? c.number("MJDATE");
  if (mjd === undefined) throw new CfhtError("MISSING_CARD", `${c.where}: no DATE-OBS+UTC-OBS nor MJD-OBS`);
  return mjd;
}

/**
 * Translates a MegaCam header. `ext` is the CCD extension header (cards there win), `primary` the
 * primary header (either may be omitted).
 * @param where file/HDU named in errors.
 */
export function translateMegacamHeader(primary: Header | null, ext: Header | null = null, where = "header"): MegacamObservation {
  const hs = [ext, primary].filter((h): h is Header => h !== null);
  const c = new CardSource(hs, where);
  const exposureTime = c.requireNumber("EXPTIME");
  const darkTime = c.number("DARKTIME") ?? exposureTime;
  const exposureId = c.requireNumber("EXPNUM");
  const start = startUtcMjd(c);
  const date = utcToTaiMjd(start + exposureTime / 2 / 86400);
  const ra = c.number("RA_DEG") ?? c.number("BORE-RA");
  const dec = c.number("DEC_DEG") ?? c.number("BORE-DEC");
  const alt = c.number("TELALT");
  const az = c.number("TELAZ");
  const lat = c.number("LATITUDE");
  const lon = c.number("LONGITUD");
  const pressureMb = c.number("PRESSURE");
  const pressure = pressureMb !== undefined ? pressureMb * 100 : (c.number("AIRPRESS") ?? Number.NaN);
  const temp = c.number("TEMPERAT");
  const hum = c.number("RELHUMID");
  const filterName = c.string("FILTER") ?? "";
  const filter = megacamFilterLabel(filterName);
  const detectorName = ext ? megacamDetectorName(ext) : null;
  const detectorId = detectorName ? Number(detectorName.slice(3)) : null;
  const visitInfo = makeVisitInfo({
    id: exposureId,
    exposureTime,
    darkTime,
    date,
    boresightRaDec: ra !== undefined && dec !== undefined ? SpherePoint.fromDegrees(ra, dec) : null,
    boresightAzAlt: alt !== undefined && az !== undefined ? SpherePoint.fromDegrees(az, alt) : null,
    boresightAirmass: c.number("AIRMASS") ?? c.number("BORE-AIRMASS") ?? Number.NaN,
    boresightRotAngle: 0,
    rotType: "SKY",
    observatory:
      lat !== undefined && lon !== undefined
        ? { latitude: degToRad(lat), longitude: degToRad(lon), elevation: CFHT_ELEVATION_M }
        : null,
    weather:
      temp !== undefined || hum !== undefined || !Number.isNaN(pressure)
        ? { airTemperature: temp ?? Number.NaN, airPressure: pressure, humidity: hum ?? Number.NaN }
        : null,
    instrumentLabel: MEGAPRIME,
    observationType: (c.string("OBSTYPE") ?? "").toLowerCase(),
    scienceProgram: c.string("RUNID") ?? "",
    object: c.string("OBJECT") ?? "",
  });
  return {
    visitInfo,
    filter,
    exposureId,
    detectorName,
    detectorId,
    detectorExposureId: detectorId === null ? null : exposureId * 36 + detectorId,
    dataId: {
      instrument: MEGAPRIME,
      exposure: exposureId,
      detector: detectorId,
      band: filter.band ?? null,
      physical_filter: filterName,
    },
  };
}
