/**
 * Headers of Elixir-processed MegaCam `p` files, written the way Elixir writes them (card set of
 * `1257365p.fits`): the raw cards, with the CCD spliced "as if read from A" (AMPLIST 'A'), the
 * 16-bit dynamic range shifted by 100 ADU (SATURATE/MAXLIN 65435, BZERO 32668), the imred
 * (IMRED_*) cards naming the mask, bias and flat applied, and the imcombred (IMCMB_*) cards when
 * the frame was defringed.
 */
import { type Detector, type Header, mjdToIsoString } from "@skystack/afw";
import { type MegacamVisit, megacamCcdHeader, megacamPrimaryHeader } from "./rawHeaders.js";

/** Lowest value Elixir keeps in a `p` frame, ADU ("Thresholding inputs from -100.00"). */
export const ELIXIR_P_MIN = -100;
/** Highest value of a `p` frame (the 16-bit range shifted by 100), ADU; the SATURATE card. */
export const ELIXIR_P_SATURATE = 65435;
/** BZERO of a `p` frame (int16 storage of [-100, 65435]). */
export const ELIXIR_P_BZERO = 32668;

/** 16-bit storage of a `p` CCD whose flat scaling factor is IMRED_SF (see {@link elixirScaling}). */
export interface ElixirScaling {
  /** IMRED_SF: the CCD's mosaic flat-field scaling factor. */
  readonly sf: number;
  /** BSCALE = IMRED_SF rounded to 0.01. */
  readonly bscale: number;
  /** BZERO = BSCALE × (32768 − round(100 / IMRED_SF)), rounded to 0.01. */
  readonly bzero: number;
  /** SATURATE = MAXLIN = floor(65535 × IMRED_SF − 100), ADU. */
  readonly saturate: number;
}

/**
 * Elixir's "preserving dynamic" scaling of a `p` CCD: the 16-bit range [-100, 65435] stretched by
 * the flat scaling factor IMRED_SF. The relations reproduce the BSCALE, BZERO, SATURATE and MAXLIN
 * cards of all 36 CCDs of the real 1257365p.fits from their IMRED_SF.
 */
export function elixirScaling(sf = 1): ElixirScaling {
  const bscale = Math.round(sf * 100) / 100;
  return {
    sf,
    bscale,
    bzero: Math.round(bscale * (32768 - Math.round(100 / sf)) * 100) / 100,
    saturate: Math.floor(65535 * sf - 100),
  };
}

/** Names of the calibrations an Elixir run applied (they go into IMRED_MK/BS/FF, IMCMB_*). */
export interface ElixirCalibNames {
  /** Camera run id, e.g. "10Bm03" (CRUNID). */
  readonly crunid: string;
  /** Bad-pixel mask file, e.g. "2003A.mask.0.36.02". */
  readonly mask: string;
  /** Master bias file, e.g. "10Bm03.bias.0.36.00". */
  readonly bias: string;
  /** Master flat file, e.g. "10Bm03.flat.i2.36.01". */
  readonly flat: string;
  /** Fringe frame subtracted (null = not defringed). */
  readonly fringe: string | null;
}

function imredCards(h: Header, v: MegacamVisit, c: ElixirCalibNames, ccd: string | null, date: string): void {
  const ext = (f: string) => (ccd === null ? f : `${f}.fits[${ccd}]`);
  const nn = ccd === null ? "" : ccd.slice(3);
  h.set("CRUNID", c.crunid, { comment: "Elixir camera run ID" });
  h.set("IMRED_DT", date, { comment: "Date" });
  h.set("IMRED_IF", ccd === null ? `${v.expnum}o` : `${v.expnum}o.fits[${ccd}]`, { comment: "Input file to process by imred" });
  h.set("IMRED_OF", ccd === null ? `${v.expnum}p.phu` : `${v.expnum}p${nn}.det`, {
    comment: "Output file resulting from the process by imred",
  });
  h.set("IMRED_OP", "MASK_BP + OVERSCAN + BIAS + FLAT-FIELD", { comment: "Operation(s)" });
  h.set("IMRED_MK", ext(c.mask), { comment: "Mask of bad pixels (0/1) input file" });
  h.set("IMRED_OV", "1DYMODEL_OVERSCAN", { comment: "Type of overscan level correction" });
  h.set("IMRED_BS", ext(c.bias), { comment: "Bias frame input file" });
  h.set("IMRED_FF", ext(c.flat), { comment: "Flat-field frame input file" });
  if (ccd !== null) {
    h.set("IMRED_NF", true, { comment: "Normalized flat-field" });
    h.set("IMRED_SF", 1.0, { comment: "Output file dynamic stretching factor (BSCALe)", isInteger: false });
  }
  if (c.fringe !== null) {
    h.set("IMCMB_DT", date, { comment: "Date" });
    h.set("IMCMB_CA", "SCALED_DIFFERENCE", { comment: "Combining algorithm on final stack" });
    h.set("IMCMB_FT", "DEFRINGE_SCIENCE", { comment: "Stacked frame type" });
    h.set("IMCMB_OP", "MODE_OFFSETING + FRINGE_RESCALING", { comment: "Input operations" });
    h.set("IMCMB_NI", 2, { comment: "Number of input files" });
    h.set("IMCMB_01", `${c.fringe}.fits[${ccd ?? "ccd00"}]`, { comment: "Input file stats" });
  }
}

function elixirDate(v: MegacamVisit): string {
  return `FLIPS ver 3.0 - Elixir by CFHT - simulated from MJD ${mjdToIsoString(v.mjdObs).slice(0, 10)}`;
}

/** Primary header of a `p` MEF with `nExtensions` CCDs (FILENAME `NNNNNNNp00`, IMRED_* cards). */
export function megacamProcessedPrimaryHeader(v: MegacamVisit, nExtensions: number, calibs: ElixirCalibNames): Header {
  const h = megacamPrimaryHeader(v, nExtensions);
  h.set("FILENAME", `${v.expnum}p00`, { comment: "Current filename after processing" });
  h.set("MAXLIN", ELIXIR_P_SATURATE, { comment: "Maximum linearity value (ADU)" });
  h.set("SATURATE", ELIXIR_P_SATURATE, { comment: "Saturation value (ADU)" });
  imredCards(h, v, calibs, null, elixirDate(v));
  return h;
}

/**
 * Extension header of one CCD of a `p` MEF: the raw cards of {@link megacamCcdHeader} with
 * AMPLIST 'A', SATURATE and MAXLIN/A/B of the scaling (65435 for IMRED_SF = 1), GAIN/GAINA/GAINB
 * divided by IMRED_SF (to 4 decimals), FILENAME and the IMRED_* (and IMCMB_*) cards.
 * BZERO/BSCALE are added by the writer (the stored data are int16).
 */
export function megacamProcessedCcdHeader(
  d: Detector,
  v: MegacamVisit,
  calibs: ElixirCalibNames,
  scaling: ElixirScaling = elixirScaling(1),
): Header {
  const h = megacamCcdHeader(d, v);
  h.set("FILENAME", `${v.expnum}p00`, { comment: "Current filename after processing" });
  h.set("AMPLIST", "A", { comment: "Data are now as if CCD read from A amp" });
  h.set("SATURATE", scaling.saturate, { comment: "Pixel saturation level (ADU)" });
  for (const k of ["MAXLIN", "MAXLINA", "MAXLINB"]) if (h.has(k)) h.set(k, scaling.saturate);
  h.set("INHERIT", false, { comment: "No need to inherit global headers" });
  imredCards(h, v, calibs, d.name, elixirDate(v));
  h.set("IMRED_SF", scaling.sf, { comment: "Output file dynamic stretching factor (BSCALe)", isInteger: false });
  // the flat scaling multiplies the data by IMRED_SF, so Elixir divides the gains by it
  // (1257365p: GAIN/GAINA/GAINB = the raw values / IMRED_SF, to 4 decimals, on all 36 CCDs)
  for (const k of ["GAIN", "GAINA", "GAINB"]) {
    const g = h.getNumber(k);
    if (g !== undefined) h.set(k, Math.round((g / scaling.sf) * 1e4) / 1e4, { isInteger: false });
  }
  return h;
}
