/** UTC → TAI for the MegaCam era (leap seconds since 1999). */

/** [UTC MJD from which it applies, TAI − UTC in seconds] (IERS Bulletin C). */
const LEAP: readonly (readonly [number, number])[] = [
  [51179, 32], // 1999-01-01
  [53736, 33], // 2006-01-01
  [54832, 34], // 2009-01-01
  [56109, 35], // 2012-07-01
  [57204, 36], // 2015-07-01
  [57754, 37], // 2017-01-01
];

/**
 * TAI − UTC, seconds, at a UTC MJD.
 * @throws RangeError before 1999-01-01 (not needed for MegaCam, first light 2002... older data use 32 s).
 */
export function taiMinusUtc(utcMjd: number): number {
  if (!(utcMjd >= LEAP[0]![0])) throw new RangeError(`TAI-UTC table starts at MJD ${LEAP[0]![0]} (got ${utcMjd})`);
  let v = LEAP[0]![1];
  for (const [m, s] of LEAP) if (utcMjd >= m) v = s;
  return v;
}

/** UTC MJD → TAI MJD. */
export function utcToTaiMjd(utcMjd: number): number {
  return utcMjd + taiMinusUtc(utcMjd) / 86400;
}
