/**
 * Reads "header text" files: FITS header cards as lines of text (one 80-column card per line, not
 * blocked to 2880 bytes), one header after another, each ending at `END` — the form in which
 * archives such as CADC publish full MEF headers without pixels.
 */
import { Header } from "@skystack/afw";
import { CfhtError } from "./errors.js";

/**
 * All headers of a header-text file, in order (primary first).
 * @param name file name used in error messages.
 * @throws CfhtError BAD_FORMAT if a header has no END card or there is none.
 */
export function parseHeaderText(text: string, name = "<text>"): Header[] {
  const out: Header[] = [];
  let cards: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (cards.length === 0 && raw.trim() === "") continue;
    const line = raw.length > 80 ? raw.slice(0, 80) : raw.padEnd(80, " ");
    cards.push(line);
    if (line.startsWith("END") && line.trim() === "END") {
      const bytes = new Uint8Array(cards.length * 80);
      for (let i = 0; i < cards.length; i++) {
        const c = cards[i]!;
        for (let k = 0; k < 80; k++) bytes[i * 80 + k] = c.charCodeAt(k) & 0x7f;
      }
      out.push(Header.parse(bytes, { file: name, hdu: out.length }).header);
      cards = [];
    }
  }
  if (cards.length > 0) throw new CfhtError("BAD_FORMAT", `${name}: header ${out.length} has no END card`);
  if (out.length === 0) throw new CfhtError("BAD_FORMAT", `${name}: no header found`);
  return out;
}
