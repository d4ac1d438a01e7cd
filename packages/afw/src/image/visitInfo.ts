/**
 * `VisitInfo`: the observation metadata of an exposure (afw `VisitInfo`).
 *
 * A frozen record; build one with {@link makeVisitInfo} (fields you omit take their "unknown"
 * value: NaN for numbers, "" for strings, null for positions, "UNKNOWN" for the rotator type).
 * Angles are radians, times seconds, and `date` is the **MJD in TAI at the middle of the exposure**
 * (a number, so it can be compared and differenced; use `mjdToIsoString` for the DATE-AVG string,
 * which afw writes with TIMESYS = 'TAI').
 */
import type { SpherePoint } from "../geom/sphere.js";

/** How the rotator angle is defined (afw `RotType`). */
export type RotType =
  /** Unknown. */
  | "UNKNOWN"
  /** Position angle of the focal plane on the sky (east of north). */
  | "SKY"
  /** Angle of the focal plane relative to the horizon. */
  | "HORIZON"
  /** Mechanical rotator angle. */
  | "MOUNT";

/** Observatory location. */
export interface Observatory {
  /** Geodetic longitude, radians, east positive. */
  readonly longitude: number;
  /** Geodetic latitude, radians. */
  readonly latitude: number;
  /** Elevation above the WGS84 ellipsoid, metres. */
  readonly elevation: number;
}

/** Weather at the time of observation (NaN = unknown). */
export interface Weather {
  /** Air temperature, °C. */
  readonly airTemperature: number;
  /** Air pressure, Pa. */
  readonly airPressure: number;
  /** Relative humidity, percent. */
  readonly humidity: number;
}

/** Observation metadata of one exposure. */
export interface VisitInfo {
  /** Exposure/visit id (FITS IDNUM); 0 if unknown. */
  readonly id: number;
  /** Exposure (shutter-open) time, seconds; NaN if unknown. */
  readonly exposureTime: number;
  /** Dark-current integration time, seconds; NaN if unknown. */
  readonly darkTime: number;
  /** Middle of the exposure as an MJD in TAI; NaN if unknown. */
  readonly date: number;
  /** Earth rotation angle at `date`, radians; NaN if unknown. */
  readonly era: number;
  /** Boresight ICRS position; null if unknown. */
  readonly boresightRaDec: SpherePoint | null;
  /** Boresight (azimuth, altitude) as a SpherePoint (ra = azimuth N through E, dec = altitude). */
  readonly boresightAzAlt: SpherePoint | null;
  /** Airmass at the boresight; NaN if unknown. */
  readonly boresightAirmass: number;
  /** Rotator angle, radians (meaning given by `rotType`); NaN if unknown. */
  readonly boresightRotAngle: number;
  /** Definition of `boresightRotAngle`. */
  readonly rotType: RotType;
  /** Observatory location; null if unknown. */
  readonly observatory: Observatory | null;
  /** Weather; null if unknown. */
  readonly weather: Weather | null;
  /** Instrument name, e.g. "MegaPrime"; "" if unknown. */
  readonly instrumentLabel: string;
  /** Focus position along z, mm; NaN if unknown. */
  readonly focusZ: number;
  /** Observation type, e.g. "science", "bias", "flat"; "" if unknown. */
  readonly observationType: string;
  /** Science programme / proposal id; "" if unknown. */
  readonly scienceProgram: string;
  /** Why the observation was taken; "" if unknown. */
  readonly observationReason: string;
  /** Target object name; "" if unknown. */
  readonly object: string;
  /** True if the pixels contain simulated content. */
  readonly hasSimulatedContent: boolean;
}

/** The VisitInfo with every field unknown. */
export const EMPTY_VISIT_INFO: VisitInfo = Object.freeze({
  id: 0,
  exposureTime: Number.NaN,
  darkTime: Number.NaN,
  date: Number.NaN,
  era: Number.NaN,
  boresightRaDec: null,
  boresightAzAlt: null,
  boresightAirmass: Number.NaN,
  boresightRotAngle: Number.NaN,
  rotType: "UNKNOWN",
  observatory: null,
  weather: null,
  instrumentLabel: "",
  focusZ: Number.NaN,
  observationType: "",
  scienceProgram: "",
  observationReason: "",
  object: "",
  hasSimulatedContent: false,
});

/**
 * A frozen VisitInfo from the given fields, others unknown.
 * @example makeVisitInfo({ exposureTime: 30, date: 60000.25, instrumentLabel: "MegaPrime" })
 */
export function makeVisitInfo(fields: Partial<VisitInfo> = {}): VisitInfo {
  return Object.freeze({ ...EMPTY_VISIT_INFO, ...fields });
}
