/** Card lookup over an extension header with the primary header as fallback (INHERIT-like). */
import type { Header } from "@skystack/afw";
import { CfhtError } from "./errors.js";

/** Headers searched in order: the CCD extension first, then the primary. */
export class CardSource {
  constructor(
    /** Headers in search order. */
    readonly headers: readonly Header[],
    /** Name used in errors, e.g. "1257365o.fits[ccd03]". */
    readonly where: string,
  ) {}

  private find(key: string): Header | undefined {
    return this.headers.find((h) => h.has(key));
  }

  /** A number card, or undefined if absent. @throws CfhtError BAD_CARD if present but not a number. */
  number(key: string): number | undefined {
    const h = this.find(key);
    if (!h) return undefined;
    const v = h.get(key);
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    throw new CfhtError("BAD_CARD", `${this.where}: card ${key} = ${JSON.stringify(v)} is not a number`);
  }

  /** A string card (trimmed), or undefined if absent. */
  string(key: string): string | undefined {
    const h = this.find(key);
    if (!h) return undefined;
    const v = h.get(key);
    return v === null || v === undefined ? undefined : String(v).trim();
  }

  /** A number card that must be present. @throws CfhtError MISSING_CARD */
  requireNumber(key: string): number {
    const v = this.number(key);
    if (v === undefined) throw new CfhtError("MISSING_CARD", `${this.where}: card ${key} is missing`);
    return v;
  }

  /** All values of a card in every header (e.g. EXTNAME appears twice in fpacked files). */
  all(key: string): string[] {
    return this.headers.flatMap((h) => h.getAll(key).map((v) => String(v ?? "").trim()));
  }
}
