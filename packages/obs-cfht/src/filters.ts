/**
 * MegaCam filters: physical filter name (FILTER card) → band label, and the abstract band (first
 * letter) used to pick reference-catalog columns.
 *
 * The original set follows the map (`i.MP9702` → `i2`, the post-2007 i filter); the newer
 * filters follow obs_cfht `cfhtFilters.py` names; `gri.MP9605` is the wide gri filter.
 */
import { type FilterLabel, makeFilterLabel } from "@skystack/afw";

/** Physical filter → band label. */
export const MEGACAM_FILTERS: Readonly<Record<string, string>> = Object.freeze({
  "u.MP9301": "u",
  "g.MP9401": "g",
  "r.MP9601": "r",
  "i.MP9701": "i",
  "i.MP9702": "i2",
  "z.MP9801": "z",
  "u.MP9302": "u2",
  "u.MP9303": "u3",
  "g.MP9402": "g2",
  "g.MP9501": "g3",
  "g.MP9502": "g4",
  "r.MP9602": "r2",
  "r.MP9603": "r3",
  "r.MP9604": "r4",
  "r.MP9605": "r5",
  "i.MP9703": "i3",
  "z.MP9901": "z2",
  "gri.MP9605": "gri",
});

/**
 * The FilterLabel of a FILTER card value: band from {@link MEGACAM_FILTERS}; an unknown filter keeps
 * its physical label with no band (e.g. bias frames have `filter_name`).
 */
export function megacamFilterLabel(physical: string): FilterLabel {
  const p = physical.trim();
  const band = MEGACAM_FILTERS[p];
  return band === undefined ? makeFilterLabel({ physicalLabel: p }) : makeFilterLabel({ band, physicalLabel: p });
}

/** Abstract photometric band of a band label ("i2" → "i", "gri" → "gri"). */
export function abstractBand(band: string): string {
  return /^[ugriz]\d$/.test(band) ? band[0]! : band;
}
