import { FitsError, type FitsErrorLocation } from "./errors.js";

/** Binary-table element type codes (FITS standard table 18). */
export type BinTableCode = "L" | "X" | "B" | "I" | "J" | "K" | "A" | "E" | "D" | "C" | "M";

/** A parsed BINTABLE TFORMn. */
export interface BinTableFormat {
  /** Repeat count r of `rTa` (for P/Q: always 1, the descriptor). */
  repeat: number;
  /** Element type; for variable-length arrays, the type of the heap elements. */
  code: BinTableCode;
  /** Variable-length array descriptor kind: "P" (32-bit) or "Q" (64-bit), or null. */
  varLength: "P" | "Q" | null;
  /** For P/Q: the declared maximum length `(emax)`, when given. */
  maxLength: number | undefined;
  /** Bytes this column occupies in the fixed-width row. */
  width: number;
  /** Bytes per element (X: 1 per 8 bits handled by `width`). */
  elementSize: number;
}

const ELEMENT_SIZE: Record<BinTableCode, number> = { L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16 };

const TFORM_RE = /^\s*(\d*)\s*([LXBIJKAEDCMPQ])\s*([LXBIJKAEDCM]?)\s*(?:\(\s*(\d+)\s*\))?(.*)$/;

/** Parses a BINTABLE TFORMn value ("1E", "12A", "1PB(2112)", "16X", "3QD"). */
export function parseBinTableFormat(tform: string, where: FitsErrorLocation = {}): BinTableFormat {
  const m = TFORM_RE.exec(tform.toUpperCase());
  if (!m) throw new FitsError("BAD_VALUE", `cannot parse TFORM ${JSON.stringify(tform)}`, where);
  const repeat = m[1] === "" ? 1 : Number(m[1]);
  if (!Number.isSafeInteger(repeat)) throw new FitsError("BAD_VALUE", `TFORM repeat count too large in ${tform}`, where);
  const t = m[2]!;
  if (t === "P" || t === "Q") {
    const code = m[3] as BinTableCode | "";
    if (code === "") throw new FitsError("BAD_VALUE", `variable-length TFORM ${tform} lacks an element type`, where);
    if (repeat > 1) throw new FitsError("BAD_VALUE", `variable-length TFORM ${tform} has repeat > 1`, where);
    return {
      repeat,
      code,
      varLength: t,
      maxLength: m[4] === undefined ? undefined : Number(m[4]),
      width: repeat * (t === "P" ? 8 : 16),
      elementSize: ELEMENT_SIZE[code],
    };
  }
  if (m[3] !== "" || m[4] !== undefined) throw new FitsError("BAD_VALUE", `cannot parse TFORM ${JSON.stringify(tform)}`, where);
  const code = t as BinTableCode;
  const width = code === "X" ? Math.ceil(repeat / 8) : repeat * ELEMENT_SIZE[code];
  return { repeat, code, varLength: null, maxLength: undefined, width, elementSize: ELEMENT_SIZE[code] };
}

/** Formats a TFORM from its parts ("1PB(2112)", "16X", "E"). */
export function formatBinTableFormat(f: Pick<BinTableFormat, "repeat" | "code" | "varLength" | "maxLength">): string {
  if (f.varLength) return `1${f.varLength}${f.code}${f.maxLength !== undefined ? `(${f.maxLength})` : ""}`;
  return `${f.repeat}${f.code}`;
}
