import { FitsError, type FitsErrorLocation } from "./errors.js";

/** A complex number as written in a FITS card: `(re, im)`. */
export interface FitsComplex {
  readonly re: number;
  readonly im: number;
}

/**
 * The value of a header card. Integers that fit in a double exactly are `number`s, larger ones
 * `bigint`s; `null` is a keyword with an undefined (blank) value.
 */
export type CardValue = string | number | bigint | boolean | FitsComplex | null;

/** Keywords whose cards carry free text rather than a value. */
export const COMMENTARY_KEYWORDS: ReadonlySet<string> = new Set(["COMMENT", "HISTORY", ""]);

/** One logical header card (a long string continued over CONTINUE cards is one card). */
export interface Card {
  /** Keyword, upper case. HIERARCH cards keep the words after `HIERARCH` ("ESO DET CHIP"). */
  keyword: string;
  /** The value; for commentary cards the text. */
  value: CardValue;
  /** The comment after `/`, without leading/trailing blanks; "" when none. */
  comment: string;
  /** True for COMMENT/HISTORY/blank and any keyword written without a value indicator. */
  commentary: boolean;
  /** True when written with the HIERARCH convention. */
  hierarch: boolean;
  /** Whether a number was written as an integer (kept so "1.0" stays real on round trip). */
  isInteger?: boolean;
  /** The original 80-character card images, kept so unmodified cards are rewritten byte for byte. */
  raw?: string[];
  /** Set when the value field could not be parsed; the raw text is kept and typed access fails. */
  unparsed?: string;
}

/** Length of a card image in characters. */
export const CARD_LENGTH = 80;

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

/** Parses the value field text of a card (everything after "= "); returns value, comment and rest. */
function parseValueField(text: string): { value: CardValue; comment: string; isInteger?: boolean; unparsed?: string } {
  let i = 0;
  while (i < text.length && text[i] === " ") i++;
  if (i >= text.length) return { value: null, comment: "" };
  if (text[i] === "/") return { value: null, comment: text.slice(i + 1).trim() };
  if (text[i] === "'") {
    let s = "";
    let j = i + 1;
    for (;;) {
      const q = text.indexOf("'", j);
      if (q < 0) return { value: null, comment: "", unparsed: text.trim() };
      s += text.slice(j, q);
      if (text[q + 1] === "'") {
        s += "'";
        j = q + 2;
        continue;
      }
      j = q + 1;
      break;
    }
    const rest = text.slice(j);
    const slash = rest.indexOf("/");
    const between = slash >= 0 ? rest.slice(0, slash) : rest;
    if (between.trim() !== "") return { value: s.replace(/ +$/, ""), comment: "", unparsed: text.trim() };
    return { value: s.replace(/ +$/, ""), comment: slash >= 0 ? rest.slice(slash + 1).trim() : "" };
  }
  let valueText: string;
  let comment = "";
  if (text[i] === "(") {
    const close = text.indexOf(")", i);
    if (close < 0) return { value: null, comment: "", unparsed: text.trim() };
    valueText = text.slice(i, close + 1);
    const rest = text.slice(close + 1);
    const slash = rest.indexOf("/");
    comment = slash >= 0 ? rest.slice(slash + 1).trim() : "";
    const inner = valueText.slice(1, -1).split(",");
    if (inner.length === 2) {
      const re = inner[0]!.trim();
      const im = inner[1]!.trim();
      if (FLOAT_RE.test(re) && FLOAT_RE.test(im)) {
        return { value: { re: parseFitsFloat(re), im: parseFitsFloat(im) }, comment };
      }
    }
    return { value: null, comment, unparsed: valueText };
  }
  const slash = text.indexOf("/", i);
  valueText = (slash >= 0 ? text.slice(i, slash) : text.slice(i)).trim();
  comment = slash >= 0 ? text.slice(slash + 1).trim() : "";
  if (valueText === "T") return { value: true, comment };
  if (valueText === "F") return { value: false, comment };
  if (INT_RE.test(valueText)) {
    const n = Number(valueText);
    if (Number.isSafeInteger(n)) return { value: n, comment, isInteger: true };
    return { value: BigInt(valueText), comment, isInteger: true };
  }
  if (FLOAT_RE.test(valueText)) return { value: parseFitsFloat(valueText), comment, isInteger: false };
  return { value: null, comment, unparsed: valueText };
}

function parseFitsFloat(s: string): number {
  return Number(s.replace(/[Dd]/, "E"));
}

/** True when the card image (80 chars) is a CONTINUE card. */
export function isContinueCard(image: string): boolean {
  return image.startsWith("CONTINUE") && image.slice(8, 10) !== "= ";
}

/**
 * Parses one 80-character card image. CONTINUE cards are merged by the header parser, not here.
 * Never throws for odd values (they are kept as `unparsed`); throws only for non-ASCII bytes.
 */
export function parseCard(image: string, where: FitsErrorLocation = {}): Card {
  for (let k = 0; k < image.length; k++) {
    const c = image.charCodeAt(k);
    if (c < 0x20 || c > 0x7e) {
      throw new FitsError(
        "BAD_CARD",
        `header card contains a non-printable byte 0x${c.toString(16).padStart(2, "0")} at column ${k + 1}`,
        where,
      );
    }
  }
  const key8 = image.slice(0, 8).trimEnd().toUpperCase();
  if (key8 === "HIERARCH") {
    const eq = image.indexOf("=", 8);
    if (eq > 0) {
      const keyword = image.slice(9, eq).trim().replace(/\s+/g, " ").toUpperCase();
      const parsed = parseValueField(image.slice(eq + 1));
      return { keyword, ...parsed, commentary: false, hierarch: true, raw: [image] };
    }
  }
  if (COMMENTARY_KEYWORDS.has(key8) || image.slice(8, 10) !== "= ") {
    return { keyword: key8, value: image.slice(8).trimEnd(), comment: "", commentary: true, hierarch: false, raw: [image] };
  }
  const parsed = parseValueField(image.slice(10));
  return { keyword: key8, ...parsed, commentary: false, hierarch: false, raw: [image] };
}

/** Appends the text of a CONTINUE card to a string card that ended with '&'. */
export function continueCard(card: Card, image: string): boolean {
  if (typeof card.value !== "string" || !card.value.endsWith("&")) return false;
  const parsed = parseValueField(image.slice(8));
  if (typeof parsed.value !== "string") return false;
  card.value = card.value.slice(0, -1) + parsed.value;
  if (parsed.comment) card.comment = card.comment ? `${card.comment} ${parsed.comment}` : parsed.comment;
  card.raw?.push(image);
  return true;
}

/** Formats a float the way FITS readers expect: shortest round-trip digits, upper-case E, a '.'. */
export function formatFitsFloat(x: number): string {
  if (!Number.isFinite(x)) throw new FitsError("BAD_VALUE", `cannot write non-finite number ${x} in a FITS header`);
  let s = String(x);
  if (Object.is(x, -0)) s = "-0.0";
  let mantissa = s;
  let exponent = "";
  const e = s.indexOf("e");
  if (e >= 0) {
    mantissa = s.slice(0, e);
    const exp = Number(s.slice(e + 1));
    exponent = `E${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (!mantissa.includes(".")) mantissa += ".0";
  return mantissa + exponent;
}

function formatValue(card: Card): string {
  const v = card.value;
  if (v === null) return "";
  if (typeof v === "boolean") return (v ? "T" : "F").padStart(20);
  if (typeof v === "bigint") return v.toString().padStart(20);
  if (typeof v === "number") {
    if (card.isInteger !== false && Number.isInteger(v) && Math.abs(v) < 1e21 && !Object.is(v, -0)) {
      return String(v).padStart(20);
    }
    return formatFitsFloat(v).padStart(20);
  }
  // Strings are left-justified and the value field padded to 20 columns, as cfitsio and astropy
  // write them (astropy even verifies CHECKSUM against its own formatting of the cards).
  if (typeof v === "string") return `'${v.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  return `(${formatFitsFloat(v.re)}, ${formatFitsFloat(v.im)})`.padStart(20);
}

function checkPrintable(text: string, what: string, keyword: string): void {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x20 || c > 0x7e) {
      throw new FitsError("BAD_VALUE", `${what} contains a character FITS headers cannot hold (code ${c})`, {
        card: keyword,
      });
    }
  }
}

/** Formats a card into one or more 80-character card images (CONTINUE for long strings). */
export function formatCard(card: Card): string[] {
  if (card.raw && card.raw.length > 0) return card.raw;
  const kw = card.keyword;
  checkPrintable(kw, "keyword", kw);
  if (card.commentary) {
    const text = typeof card.value === "string" ? card.value : String(card.value ?? "");
    checkPrintable(text, "commentary text", kw);
    const images: string[] = [];
    const width = 72;
    if (text.length === 0) return [kw.padEnd(80)];
    for (let off = 0; off < text.length; off += width) images.push((kw.padEnd(8) + text.slice(off, off + width)).padEnd(80));
    return images;
  }
  if (typeof card.value === "string") checkPrintable(card.value, "string value", kw);
  checkPrintable(card.comment, "comment", kw);
  const prefix = card.hierarch ? `HIERARCH ${kw} = ` : `${kw.padEnd(8)}= `;
  if (!card.hierarch && kw.length > 8) {
    throw new FitsError("BAD_VALUE", "keyword longer than 8 characters needs the HIERARCH convention", { card: kw });
  }
  let valueText = formatValue(card);
  if (typeof card.value === "string" && prefix.length + valueText.trimEnd().length > 80) {
    return formatLongString(prefix, card.value, card.comment);
  }
  if (prefix.length + valueText.length > 80) {
    throw new FitsError("BAD_VALUE", "value does not fit in one 80-character card", { card: kw });
  }
  let image = prefix + (card.comment ? valueText : valueText.trimEnd());
  if (card.comment) {
    const room = 80 - image.length - 3;
    if (room > 0) image += ` / ${card.comment.slice(0, room)}`;
  }
  valueText = image.padEnd(80);
  return [valueText];
}

function formatLongString(prefix: string, value: string, comment: string): string[] {
  const images: string[] = [];
  // Split the escaped string into chunks that fit, never splitting a doubled quote.
  const chunks: string[] = [];
  let rest = value;
  let first = true;
  while (rest.length > 0 || first) {
    const avail = (first ? 80 - prefix.length : 80 - 10) - 3; // quotes + '&'
    let take = Math.min(rest.length, avail);
    while (take > 0 && rest.slice(0, take).replace(/'/g, "''").length > avail) take--;
    chunks.push(rest.slice(0, take));
    rest = rest.slice(take);
    first = false;
  }
  chunks.forEach((chunk, k) => {
    const last = k === chunks.length - 1;
    const body = `'${chunk.replace(/'/g, "''")}${last ? "" : "&"}'`;
    const head = k === 0 ? prefix : "CONTINUE  ";
    images.push((head + body).padEnd(80));
  });
  if (comment) {
    // The comment goes on a final CONTINUE card with an empty string, as astropy writes it.
    const lastIdx = images.length - 1;
    const lastImage = images[lastIdx]!.trimEnd();
    const room = 80 - lastImage.length - 3;
    if (room >= comment.length) {
      images[lastIdx] = `${lastImage} / ${comment}`.padEnd(80);
    } else {
      const body = images[lastIdx]!.trimEnd();
      images[lastIdx] = `${body.slice(0, -1)}&'`.padEnd(80);
      // Split at spaces (readers join the pieces with one space), hard-split only long words.
      const pieces: string[] = [];
      let rest = comment;
      while (rest.length > 64) {
        const cut = rest.lastIndexOf(" ", 64);
        const at = cut > 0 ? cut : 64;
        pieces.push(rest.slice(0, at));
        rest = rest.slice(cut > 0 ? at + 1 : at);
      }
      pieces.push(rest);
      pieces.forEach((piece, k) => {
        const lastPiece = k === pieces.length - 1;
        images.push(`CONTINUE  '${lastPiece ? "" : "&"}' / ${piece}`.padEnd(80));
      });
    }
  }
  return images;
}
