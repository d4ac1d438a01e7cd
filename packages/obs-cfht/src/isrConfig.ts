/**
 * obs_cfht ISR defaults as plain options for `runIsr` (`config/isr.py`): raw `o` frames with
 * master calibrations get the full ISR; Elixir-processed `p` frames are already overscan-, bias-
 * and flat-corrected (IMRED_OP), so only assembly, masking, gain and variance are done.
 */
import type { FilterLabel, Header } from "@skystack/afw";
import type { IsrOptions } from "@skystack/isr";

/** Physical filters that fringe (obs_cfht fringe.filters). */
export const MEGACAM_FRINGE_FILTERS: readonly string[] = ["i.MP9701", "i.MP9702", "z.MP9801"];

/** True for an Elixir-processed frame (IMRED_OP present, or a `p` file name). */
export function isElixirProcessed(ccdHeader: Header, fileName = ""): boolean {
  return ccdHeader.has("IMRED_OP") || /\d+p\.fits/.test(fileName);
}

/** ISR options for a MegaCam CCD. */
export function megacamIsrOptions(filter: FilterLabel | null, elixirProcessed: boolean): IsrOptions {
  if (elixirProcessed) {
    return { doOverscan: false, doBias: false, doDark: false, doFlat: false, doFringe: false, doLinearize: false };
  }
  return {
    overscan: { fitType: "POLY", order: 3 },
    doFringe: MEGACAM_FRINGE_FILTERS.includes(filter?.physicalLabel ?? ""),
    fringe: { pedestal: true, small: 1, num: 30000, iterations: 20, clip: 3 },
  };
}

/**
 * obs_cfht defaults as IsrTask config overrides (plain data for `IsrConfig.applyData`, the
 * pex_config `setDefaults` of `config/isr.py`): POLY order-3 overscan, fringe correction only for
 * i/z (`MEGACAM_FRINGE_FILTERS`), and for Elixir-processed frames no overscan/bias/dark/flat/fringe/
 * linearity.
 */
export function megacamIsrConfigOverrides(filter: FilterLabel | null, elixirProcessed: boolean): Record<string, unknown> {
  if (elixirProcessed) {
    return { doOverscan: false, doBias: false, doDark: false, doFlat: false, doFringe: false, doLinearize: false };
  }
  return {
    overscan: { fitType: "POLY", order: 3 },
    doFringe: MEGACAM_FRINGE_FILTERS.includes(filter?.physicalLabel ?? ""),
    fringe: { pedestal: true, small: 1, num: 30000, iterations: 20, clip: 3 },
  };
}
