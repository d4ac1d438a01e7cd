/**
 * Modified Julian Date ↔ ISO-8601 calendar strings, with no time-scale conversion: an MJD in TAI
 * formats to a TAI calendar string (as in the DATE-AVG card, TIMESYS = 'TAI'), an MJD in UTC to a
 * UTC one. Converting between TAI and UTC needs a leap-second table and is not done here.
 */

/** MJD of 1970-01-01T00:00:00. */
export const MJD_UNIX_EPOCH = 40587;

const MICROS_PER_DAY = 86_400_000_000;

/**
 * Format an MJD as `YYYY-MM-DDTHH:MM:SS.ssssss` (microsecond precision, no zone suffix).
 * @throws RangeError for a non-finite MJD.
 */
export function mjdToIsoString(mjd: number): string {
  if (!Number.isFinite(mjd)) throw new RangeError(`cannot format MJD ${mjd} as a date`);
  let day = Math.floor(mjd);
  let micros = Math.round((mjd - day) * MICROS_PER_DAY);
  if (micros >= MICROS_PER_DAY) {
    day += 1;
    micros -= MICROS_PER_DAY;
  }
  const date = new Date((day - MJD_UNIX_EPOCH) * 86_400_000).toISOString().slice(0, 10);
  const pad = (v: number, n: number) => String(v).padStart(n, "0");
  const us = micros % 1_000_000;
  const s = Math.floor(micros / 1_000_000);
  return `${date}T${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}.${pad(us, 6)}`;
}

/**
 * Parse `YYYY-MM-DD[THH:MM[:SS[.fff...]]]` (an optional trailing `Z` is ignored; no other zone is
 * accepted) as an MJD in the same time scale.
 * @throws RangeError if the string is not in that form.
 */
export function isoStringToMjd(iso: string): number {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?Z?$/.exec(iso.trim());
  if (m === null) throw new RangeError(`cannot parse "${iso}" as an ISO-8601 date`);
  const [, y, mo, d, hh, mm, ss, frac] = m;
  const days = Date.UTC(Number(y), Number(mo) - 1, Number(d)) / 86_400_000 + MJD_UNIX_EPOCH;
  const seconds = Number(hh ?? 0) * 3600 + Number(mm ?? 0) * 60 + Number(ss ?? 0) + (frac ? Number(frac) : 0);
  const mjd = days + seconds / 86400;
  if (!Number.isFinite(mjd)) throw new RangeError(`cannot parse "${iso}" as an ISO-8601 date`);
  return mjd;
}
